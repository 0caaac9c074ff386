// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "desktopapp.h"

#include "accountsession.h"

#include <mainwindow.h>
#include <models/catalogcache.h>
#include <models/serverprofiles.h>
#include <pages/createpage.h>
#include <pages/entitypage.h>
#include <models/tokenvault.h>
#include <widgets/accountwidget.h>
#include <models/userpreferences.h>
#include <pages/settingspage.h>
#include <widgets/docsweb.h>
#include <widgets/syncstatuswidget.h>

#include <config/configloader.h>

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QStandardPaths>
#include <QFile>
#include <QProcess>

namespace Greenroom::App {

namespace {

const QString DefaultProfile = QStringLiteral("local");
const QUrl DefaultServer(QStringLiteral("http://127.0.0.1:7007"));

} // namespace

DesktopApp::DesktopApp(CommandLine commandLine, QObject *parent) : QObject(parent), m_commandLine(std::move(commandLine))
{
    m_syncThread.setObjectName(QStringLiteral("sync"));
}

DesktopApp::~DesktopApp()
{
    stopSync();
}

bool DesktopApp::start(QString *error)
{
    m_profiles = std::make_unique<Ui::ServerProfiles>(m_settings);
    m_vault = std::make_unique<Ui::TokenVault>();
    m_hostTokens = std::make_unique<Ui::TokenVault>(QStringLiteral("greenroom-repository-hosts"));

    // The profile: named on the command line, else the active one, else "local".
    QString name = m_commandLine.profile;
    if (name.isEmpty())
        name = m_profiles->active();
    if (name.isEmpty())
        name = DefaultProfile;
    std::optional<Ui::ServerProfiles::Entry> entry = m_profiles->find(name);
    if (!m_commandLine.server.isEmpty() || !entry) {
        Ui::ServerProfiles::Entry updated{name, m_commandLine.server.isEmpty() ? DefaultServer : m_commandLine.server,
                                          m_commandLine.backstage ? Sync::ServerProfile::Kind::Backstage
                                                                  : Sync::ServerProfile::Kind::Greenroom};
        m_profiles->save(updated);
        entry = updated;
    }
    m_profiles->setActive(name);
    m_profile = {name, entry->url, {}, entry->kind};

    QString token;
    if (!m_commandLine.tokenFile.isEmpty()) {
        QFile file(m_commandLine.tokenFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("Cannot read the token file %1: %2").arg(m_commandLine.tokenFile, file.errorString());
            return false;
        }
        token = QString::fromUtf8(file.readAll()).trimmed();
    }

    m_cachePath = m_commandLine.cachePath.isEmpty() ? Ui::ServerProfiles::defaultCachePath(name) : m_commandLine.cachePath;
    QString cacheError;
    m_cache = Ui::CatalogCache::open(m_cachePath, &cacheError);
    if (!m_cache) {
        *error = QStringLiteral("Cannot open the cache %1: %2").arg(m_cachePath, cacheError);
        return false;
    }
    m_preferences = std::make_unique<Ui::UserPreferences>(m_settings, name);
    m_window = std::make_unique<Ui::MainWindow>(*m_cache, *m_preferences, m_settings, m_profiles.get(), m_vault.get());
    connect(m_window->settingsPage(), &Ui::SettingsPage::profileActivated, this, &DesktopApp::switchProfile);
    loadPlugins();
    // Templates run on the server the app syncs from (with the token, once the keychain gives it).
    m_window->createPage()->setServer(m_profile.url, token);
    m_window->createPage()->setHostTokens(m_hostTokens.get());
    m_window->restoreState();
    if (!m_commandLine.open.isEmpty())
        m_window->openUrl(m_commandLine.open);
    m_window->show();

    if (m_commandLine.offline) {
        Sync::SyncStatus offline;
        offline.state = Sync::SyncStatus::State::Offline;
        offline.lastSynced = Sync::SyncClient::lastSynced(m_cache->store());
        offline.error = tr("started with --offline");
        m_window->syncStatus()->showStatus(offline);
        return true;
    }
    if (!token.isEmpty() || !m_commandLine.tokenFile.isEmpty()) {
        startSync(token);
        return true;
    }
    // The person's session with the server (signed in through the browser),
    // else the profile's token from the keychain; without either, no token.
    m_session = std::make_unique<AccountSession>(m_profile.url, name, *m_vault);
    Ui::AccountWidget *account = m_window->account();
    connect(m_session.get(), &AccountSession::signedIn, account, &Ui::AccountWidget::showSignedIn);
    connect(m_session.get(), &AccountSession::signedIn, this, [this](const QString &user, const QStringList &ownership) {
        m_userRef = user;
        m_ownership = ownership;
    });
    connect(m_session.get(), &AccountSession::signedOut, this, [this] {
        m_userRef.clear();
        m_ownership.clear();
    });
    connect(m_session.get(), &AccountSession::signedOut, account, &Ui::AccountWidget::showSignedOut);
    connect(m_session.get(), &AccountSession::progress, account, &Ui::AccountWidget::showSigningIn);
    connect(account, &Ui::AccountWidget::signInRequested, m_session.get(), &AccountSession::signIn);
    connect(account, &Ui::AccountWidget::deviceSignInRequested, m_session.get(), &AccountSession::signInWithDeviceCode);
    connect(account, &Ui::AccountWidget::signOutRequested, m_session.get(), &AccountSession::signOut);
    // Another identity, another view of the catalog: the feed reconciles the cache.
    connect(m_session.get(), &AccountSession::tokenChanged, this, [this](const QString &token) {
        stopSync();
        startSync(token.isEmpty() ? m_staticToken : token);
    });
    m_vault->read(name, [this](const QString &stored, const QString &keychainError) {
        if (!keychainError.isEmpty())
            qWarning("greenroom: the keychain did not give the server token: %s", qPrintable(keychainError));
        m_staticToken = stored;
        m_session->restore([this](const QString &accessToken) { startSync(accessToken.isEmpty() ? m_staticToken : accessToken); });
    });
    return true;
}

void DesktopApp::startSync(const QString &token)
{
    Sync::ServerProfile profile = m_profile;
    profile.token = token;
    m_window->createPage()->setServer(profile.url, token);
    // Docs not built yet are built on a Greenroom server when opened; a Backstage backend's sites never reach the cache.
    const QUrl greenroomServer = profile.kind == Sync::ServerProfile::Kind::Greenroom ? profile.url : QUrl();
    m_window->docsWeb().setServer(greenroomServer, token);
    m_window->pluginServices().server = greenroomServer;
    m_window->pluginServices().serverToken = token;
    // Settings shows who this is and what the server's policy lets them do.
    m_window->settingsPage()->showAccount(m_userRef, m_ownership, greenroomServer, token, m_window->pluginServices().network);
    m_window->entityPage()->askPermissions();
    Sync::SyncClient::Options options;
    options.backstagePollIntervalMs = m_profiles->pollSeconds() * 1000;
    m_sync = new Sync::SyncClient(profile, m_cachePath, options);
    m_sync->moveToThread(&m_syncThread);
    connect(&m_syncThread, &QThread::finished, m_sync, &QObject::deleteLater);
    connect(m_sync, &Sync::SyncClient::statusChanged, m_window->syncStatus(), &Ui::SyncStatusWidget::showStatus);
    connect(m_sync, &Sync::SyncClient::cacheChanged, m_cache.get(), &Ui::CatalogCache::notifyChanged);
    m_syncThread.start();
    QMetaObject::invokeMethod(m_sync, &Sync::SyncClient::start, Qt::QueuedConnection);
}

void DesktopApp::loadPlugins()
{
    Ui::PluginServices &services = m_window->pluginServices();
    services.hostTokens = m_hostTokens.get();
    // The desktop's own app-config: what plugins read, and the entity page's layout (app.extensions).
    const QString configFile = !m_commandLine.configFile.isEmpty()
                                   ? m_commandLine.configFile
                                   : QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
                                         .filePath(QStringLiteral("greenroom/app-config.yaml"));
    if (!m_commandLine.configFile.isEmpty() && !QFileInfo::exists(configFile))
        qWarning("greenroom: --config %s: no such file", qPrintable(configFile));
    if (QFileInfo::exists(configFile)) {
        auto layer = Config::ConfigLoader::readFile(configFile, Config::systemEnvironment());
        if (!layer) {
            qWarning("greenroom: %s", qPrintable(layer.error().message));
        } else if (layer.value()) {
            services.config = layer.value()->data;
        }
    }
    QSet<QString> disabled;
    for (const QString &id : m_preferences->disabledPlugins())
        disabled.insert(id);
    const QList<Ui::PluginStatus> statuses =
        Ui::DesktopPlugins::load(PluginLoader::standardFolders(QCoreApplication::applicationDirPath()), disabled, m_window->entityLayout());
    const QJsonValue extensions = services.config.value(QLatin1String("app"))[QLatin1String("extensions")];
    for (const QString &problem : m_window->entityLayout().configure(extensions))
        qWarning("greenroom: %s: %s", qPrintable(configFile), qPrintable(problem));
    m_window->installPlugins(statuses);
}

void DesktopApp::stopSync()
{
    if (!m_sync)
        return;
    QMetaObject::invokeMethod(m_sync, &Sync::SyncClient::stop, Qt::BlockingQueuedConnection);
    m_syncThread.quit();
    m_syncThread.wait();
    m_sync = nullptr;
}

void DesktopApp::openUrl(const QUrl &url)
{
    if (!m_window)
        return;
    if (!url.isEmpty())
        m_window->openUrl(url);
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void DesktopApp::switchProfile(const QString &name)
{
    // Another server means another cache: start afresh on it, as a new run would.
    m_profiles->setActive(name);
    m_window->close();
    stopSync();
    QProcess::startDetached(QApplication::applicationFilePath(), {QStringLiteral("--profile"), name});
    QApplication::quit();
}

} // namespace Greenroom::App
