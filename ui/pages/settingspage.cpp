// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "settingspage.h"

#include "models/permissiondecisions.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/serverprofiles.h"
#include "models/tokenvault.h"
#include "models/userpreferences.h"

#include <model/entityref.h>

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyleHints>
#include <QGuiApplication>
#include <QTreeWidget>
#include <QFileInfo>
#include <QVBoxLayout>

namespace Greenroom::Ui {

SettingsPage::SettingsPage(CatalogCache &cache, UserPreferences &preferences, ServerProfiles *profiles, TokenVault *vault,
                           QWidget *parent)
    : QWidget(parent), m_cache(cache), m_preferences(preferences), m_profiles(profiles), m_vault(vault)
{
    auto *servers = new QGroupBox(tr("Servers"));
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("profiles"));
    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("profileName"));
    m_url = new QLineEdit;
    m_url->setObjectName(QStringLiteral("profileUrl"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:7007"));
    m_kind = new QComboBox;
    m_kind->addItem(tr("Greenroom server (sync feed)"), ServerProfiles::kindName(Sync::ServerProfile::Kind::Greenroom));
    m_kind->addItem(tr("Backstage backend (catalog API)"), ServerProfiles::kindName(Sync::ServerProfile::Kind::Backstage));
    m_token = new QLineEdit;
    m_token->setObjectName(QStringLiteral("profileToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("kept in the system keychain"));
    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("settingsMessage"));
    m_message->setWordWrap(true);
    auto *save = new QPushButton(tr("Save"));
    auto *use = new QPushButton(tr("Use this server"));
    auto *remove = new QPushButton(tr("Remove"));
    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("Token"), m_token);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(save);
    buttons->addWidget(use);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto *serversLayout = new QHBoxLayout(servers);
    serversLayout->addWidget(m_list, 1);
    auto *editor = new QVBoxLayout;
    editor->addLayout(form);
    editor->addLayout(buttons);
    editor->addWidget(m_message);
    editor->addStretch(1);
    serversLayout->addLayout(editor, 2);

    auto *sync = new QGroupBox(tr("Sync"));
    auto *syncForm = new QFormLayout(sync);
    m_poll = new QSpinBox;
    m_poll->setRange(10, 3600);
    m_poll->setSuffix(tr(" s"));
    syncForm->addRow(tr("Poll Backstage backends every"), m_poll);
    syncForm->addRow(new QLabel(tr("Greenroom servers push changes as they happen.")));

    auto *identity = new QGroupBox(tr("Identity"));
    auto *identityForm = new QFormLayout(identity);
    m_identity = new QComboBox;
    m_identity->setObjectName(QStringLiteral("identity"));
    identityForm->addRow(tr("I am"), m_identity);

    auto *account = new QGroupBox(tr("Account"));
    auto *accountLayout = new QVBoxLayout(account);
    m_account = new QLabel;
    m_account->setObjectName(QStringLiteral("accountSummary"));
    m_account->setTextFormat(Qt::PlainText);
    m_account->setWordWrap(true);
    m_decisions = new QTreeWidget;
    m_decisions->setObjectName(QStringLiteral("decisionList"));
    m_decisions->setRootIsDecorated(false);
    m_decisions->setHeaderLabels({tr("Permission"), tr("The server's policy")});
    m_decisions->setMaximumHeight(150);
    accountLayout->addWidget(m_account);
    accountLayout->addWidget(m_decisions);
    showAccount(QString(), {}, QUrl(), QString(), nullptr);

    auto *appearance = new QGroupBox(tr("Appearance"));
    auto *appearanceLayout = new QVBoxLayout(appearance);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    appearanceLayout->addWidget(new QLabel(tr("The theme follows the system: %1 now.").arg(dark ? tr("dark") : tr("light"))));

    auto *plugins = new QGroupBox(tr("Plugins"));
    auto *pluginsLayout = new QVBoxLayout(plugins);
    m_plugins = new QTreeWidget;
    m_plugins->setObjectName(QStringLiteral("pluginList"));
    m_plugins->setRootIsDecorated(false);
    m_plugins->setHeaderLabels({tr("Plugin"), tr("Version"), tr("From"), tr("State")});
    m_pluginNote = new QLabel(tr("No plugins found. Put them in %1 or a folder named by GREENROOM_PLUGIN_PATH.")
                                  .arg(QStringLiteral("~/.local/share/greenroom/plugins")));
    m_pluginNote->setWordWrap(true);
    pluginsLayout->addWidget(m_plugins);
    pluginsLayout->addWidget(m_pluginNote);
    connect(m_plugins, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        const QString id = item->data(0, Qt::UserRole).toString();
        if (column != 0 || id.isEmpty())
            return;
        const bool enabled = item->checkState(0) == Qt::Checked;
        m_preferences.setPluginDisabled(id, !enabled);
        m_pluginNote->setText(tr("%1 is %2 when Greenroom starts again.").arg(item->text(0), enabled ? tr("enabled") : tr("disabled")));
    });

    // The groups scroll: the page never makes the window taller than it is.
    auto *content = new QWidget;
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(servers, 2);
    layout->addWidget(sync);
    layout->addWidget(identity);
    layout->addWidget(account);
    layout->addWidget(appearance);
    layout->addWidget(plugins, 1);
    layout->addStretch(1);

    connect(save, &QPushButton::clicked, this, &SettingsPage::saveProfile);
    connect(use, &QPushButton::clicked, this, [this] {
        if (m_profiles && m_profiles->find(m_name->text()))
            Q_EMIT profileActivated(m_name->text());
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (!m_profiles || m_name->text() == m_profiles->active())
            return;
        m_profiles->remove(m_name->text());
        if (m_vault)
            m_vault->write(m_name->text(), QString(), [](const QString &) {});
    });
    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &text) { showProfile(text.section(QLatin1Char(' '), 0, 0)); });
    connect(m_poll, &QSpinBox::valueChanged, this, [this](int seconds) {
        if (m_profiles)
            m_profiles->setPollSeconds(seconds);
    });
    connect(m_identity, &QComboBox::activated, this,
            [this] { m_preferences.setIdentity(m_identity->currentData().toString()); });
    if (m_profiles) {
        connect(m_profiles, &ServerProfiles::changed, this, &SettingsPage::reloadProfiles);
        m_poll->setValue(m_profiles->pollSeconds());
    }
    // Users are listed when the page is seen: there may be thousands.
    connect(&m_cache, &CatalogCache::changed, this, [this] {
        if (isVisible())
            reloadIdentities();
        else
            m_identitiesStale = true;
    });
    reloadProfiles();
}

void SettingsPage::showEvent(QShowEvent *event)
{
    if (m_identitiesStale) {
        m_identitiesStale = false;
        reloadIdentities();
    }
    QWidget::showEvent(event);
}

void SettingsPage::reloadProfiles()
{
    if (!m_profiles)
        return;
    const QString current = m_name->text();
    m_list->blockSignals(true);
    m_list->clear();
    for (const ServerProfiles::Entry &entry : m_profiles->all()) {
        const bool active = entry.name == m_profiles->active();
        m_list->addItem(QStringLiteral("%1 %2— %3").arg(entry.name, active ? tr("(active) ") : QString(), entry.url.toString()));
    }
    m_list->blockSignals(false);
    if (current.isEmpty())
        showProfile(m_profiles->active());
}

void SettingsPage::showProfile(const QString &name)
{
    const auto entry = m_profiles ? m_profiles->find(name) : std::nullopt;
    if (!entry)
        return;
    m_name->setText(entry->name);
    m_url->setText(entry->url.toString());
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(ServerProfiles::kindName(entry->kind))));
    m_token->clear();
    m_message->clear();
}

void SettingsPage::saveProfile()
{
    if (!m_profiles)
        return;
    const QString name = m_name->text().trimmed();
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (name.isEmpty() || !url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        m_message->setText(tr("A profile needs a name and an http(s) URL."));
        return;
    }
    ServerProfiles::Entry entry{name, url,
                                m_kind->currentData().toString() == QLatin1String("backstage") ? Sync::ServerProfile::Kind::Backstage
                                                                                               : Sync::ServerProfile::Kind::Greenroom};
    m_profiles->save(entry);
    const QString token = m_token->text();
    m_token->clear();
    if (token.isEmpty() || !m_vault) {
        m_message->setText(tr("Saved %1.").arg(name));
        return;
    }
    m_message->setText(tr("Saving the token to the keychain…"));
    m_vault->write(name, token, [this, name](const QString &error) {
        m_message->setText(error.isEmpty() ? tr("Saved %1; its token is in the keychain.").arg(name)
                                           : tr("Saved %1, but the keychain refused the token: %2").arg(name, error));
    });
}

void SettingsPage::reloadIdentities()
{
    m_identity->clear();
    m_identity->addItem(tr("Nobody (no \"owned by me\")"), QString());
    Store::EntityQuery users;
    users.filter.anyOf = {{{QStringLiteral("kind"), {QStringLiteral("user")}}}};
    users.order = {{QStringLiteral("metadata.name"), false}};
    users.limit = 5000;
    auto page = m_cache.store().queryEntities(users);
    if (page) {
        for (const Store::StoredEntity &user : page.value().items)
            m_identity->addItem(QStringLiteral("%1 (%2)").arg(EntityPresentation::displayName(user.entity),
                                                              Model::EntityRef::humanize(user.ref)), user.ref);
    }
    m_identity->setCurrentIndex(std::max(0, m_identity->findData(m_preferences.identity())));
}

void SettingsPage::showPlugins(const QList<PluginStatus> &statuses)
{
    const QSignalBlocker quiet(m_plugins);
    m_plugins->clear();
    for (const PluginStatus &status : statuses) {
        auto *item = new QTreeWidgetItem(m_plugins);
        // Its name and id (what app.extensions and the manifest call it); the file when the manifest is unreadable.
        item->setText(0, status.id.isEmpty() ? QFileInfo(status.file).fileName() : QStringLiteral("%1 (%2)").arg(status.name, status.id));
        item->setText(1, status.version);
        item->setText(2, status.origin);
        item->setToolTip(2, status.file);
        switch (status.state) {
        case PluginStatus::State::Loaded:
            item->setText(3, status.message.isEmpty() ? tr("Enabled") : tr("Enabled, with problems"));
            break;
        case PluginStatus::State::Disabled:
            item->setText(3, tr("Disabled"));
            break;
        case PluginStatus::State::Skipped:
            item->setText(3, tr("Skipped"));
            break;
        }
        item->setToolTip(3, status.message);
        item->setToolTip(0, status.message);
        if (status.state != PluginStatus::State::Skipped && !status.id.isEmpty()) {
            item->setData(0, Qt::UserRole, status.id);
            item->setCheckState(0, status.state == PluginStatus::State::Loaded ? Qt::Checked : Qt::Unchecked);
        }
    }
    for (int column = 0; column < 4; ++column)
        m_plugins->resizeColumnToContents(column);
    m_pluginNote->setVisible(statuses.isEmpty());
}

void SettingsPage::showAccount(const QString &userEntityRef, const QStringList &ownershipRefs, const QUrl &server, const QString &token,
                               QNetworkAccessManager *network)
{
    QStringList groups = ownershipRefs;
    groups.removeAll(userEntityRef);
    m_account->setText(userEntityRef.isEmpty() ? tr("Not signed in: the server decides for a guest. Sign in from the status bar.")
                                               : tr("Signed in as %1. Groups: %2.")
                                                     .arg(userEntityRef, groups.isEmpty() ? tr("none") : groups.join(QStringLiteral(", "))));
    static const QStringList common{QStringLiteral("catalog.entity.create"), QStringLiteral("catalog.location.read"),
                                    QStringLiteral("catalog.location.create"), QStringLiteral("catalog.location.delete"),
                                    QStringLiteral("catalog.entity.validate"), QStringLiteral("scaffolder.task.create"),
                                    QStringLiteral("scaffolder.template.management")};
    m_decisions->clear();
    for (const QString &permission : common)
        new QTreeWidgetItem(m_decisions, {permission, network ? tr("asking…") : tr("unknown (offline)")});
    if (!network)
        return;
    QList<PermissionQuestion> questions;
    for (const QString &permission : common)
        questions.append({permission, QString()});
    PermissionDecisions::ask(*network, server, token, questions, this, [this](const PermissionDecisions::Answers &answers) {
        for (int i = 0; i < m_decisions->topLevelItemCount() && i < answers.size(); ++i) {
            const PermissionDecisions::Answer answer = answers.at(i);
            m_decisions->topLevelItem(i)->setText(1, answer == PermissionDecisions::Answer::Allow  ? tr("allowed")
                                                     : answer == PermissionDecisions::Answer::Deny ? tr("denied")
                                                                                                  : tr("unknown (the server did not say)"));
        }
    });
}

} // namespace Greenroom::Ui
