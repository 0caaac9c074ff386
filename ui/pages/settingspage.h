// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "plugins/desktopplugins.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTreeWidget;
class QSpinBox;
class QNetworkAccessManager;

namespace Greenroom::Ui {

class CatalogCache;
class ServerProfiles;
class TokenVault;
class UserPreferences;

// Settings: server profiles (tokens to the keychain), the active one, the
// poll interval for Backstage backends, who "me" is, and the theme.
class SettingsPage : public QWidget
{
    Q_OBJECT

public:
    SettingsPage(CatalogCache &cache, UserPreferences &preferences, ServerProfiles *profiles, TokenVault *vault,
                 QWidget *parent = nullptr);

    QListWidget *profileList() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }
    QComboBox *identityBox() const { return m_identity; }
    QLabel *message() const { return m_message; }
    void saveProfile();
    // The plugins found at start: id, version, where from, and enabled (a
    // checkbox; a change takes effect at the next start) or why skipped.
    void showPlugins(const QList<PluginStatus> &statuses);
    QTreeWidget *pluginList() const { return m_plugins; }
    // The account on the active server: who (empty: signed out), their
    // groups, and what the server's policy lets them do, asked from
    // `server` with `token` (the common permissions that need no entity).
    void showAccount(const QString &userEntityRef, const QStringList &ownershipRefs, const QUrl &server, const QString &token,
                     QNetworkAccessManager *network);
    QLabel *accountLabel() const { return m_account; }
    QTreeWidget *decisionList() const { return m_decisions; }

protected:
    void showEvent(QShowEvent *event) override;

Q_SIGNALS:
    // The person chose another server: the app reconnects to it.
    void profileActivated(const QString &name);

private:
    void reloadProfiles();
    void reloadIdentities();
    void showProfile(const QString &name);

    CatalogCache &m_cache;
    UserPreferences &m_preferences;
    QTreeWidget *m_plugins;
    QLabel *m_pluginNote;
    ServerProfiles *m_profiles;
    TokenVault *m_vault;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QComboBox *m_kind;
    QLineEdit *m_token;
    QLabel *m_message;
    QSpinBox *m_poll;
    QComboBox *m_identity;
    bool m_identitiesStale = true;
    QLabel *m_account;
    QTreeWidget *m_decisions;
};

} // namespace Greenroom::Ui
