// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "commandline.h"

#include <sync/syncclient.h>

#include <QObject>
#include <QSettings>
#include <QThread>

#include <memory>

namespace Greenroom::Ui {
class CatalogCache;
class MainWindow;
class ServerProfiles;
class TokenVault;
class UserPreferences;
}

namespace Greenroom::App {

class AccountSession;

/*
 * The desktop app wired together: the active server profile (from the
 * command line or settings), its cache, the window reading it, and the sync
 * client writing it from a worker thread of its own.
 */
class DesktopApp : public QObject
{
    Q_OBJECT

public:
    explicit DesktopApp(CommandLine commandLine, QObject *parent = nullptr);
    ~DesktopApp() override;

    // Opens the cache and shows the window; false with `error` set when the
    // cache cannot be opened or the token file read.
    bool start(QString *error);
    Ui::MainWindow *window() const { return m_window.get(); }

public Q_SLOTS:
    void openUrl(const QUrl &url);

private:
    // The desktop's app-config ($XDG_CONFIG_HOME/greenroom/app-config.yaml)
    // and the plugins, before the window shows anything.
    void loadPlugins();
    void startSync(const QString &token);
    void stopSync();
    void switchProfile(const QString &name);

    CommandLine m_commandLine;
    QSettings m_settings;
    std::unique_ptr<Ui::ServerProfiles> m_profiles;
    std::unique_ptr<Ui::TokenVault> m_vault;
    std::unique_ptr<Ui::TokenVault> m_hostTokens;   // the person's repository host tokens, by host
    std::unique_ptr<Ui::CatalogCache> m_cache;
    std::unique_ptr<Ui::UserPreferences> m_preferences;
    std::unique_ptr<Ui::MainWindow> m_window;
    std::unique_ptr<AccountSession> m_session;
    QString m_staticToken;   // the profile's configured token; a signed-in user's token goes before it
    QString m_userRef;       // who is signed in (empty: nobody), and what they own through
    QStringList m_ownership;
    Sync::ServerProfile m_profile;
    QString m_cachePath;
    QThread m_syncThread;
    Sync::SyncClient *m_sync = nullptr;
};

} // namespace Greenroom::App
