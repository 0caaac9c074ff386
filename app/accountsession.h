// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <sync/nativesignin.h>

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <functional>

namespace Greenroom::Ui {
class TokenVault;
}

namespace Greenroom::App {

/*
 * The person's session with the active server: signing in through the
 * system browser (NativeSignIn), the tokens kept in the OS keychain under
 * "<profile>#session" (never in settings, never logged), refreshed before
 * they expire, and signing out (the server forgets the refresh token, the
 * keychain entry goes). tokenChanged() tells the sync client which token to
 * use from now on; an empty one means the profile's static token, if any.
 */
class AccountSession : public QObject
{
    Q_OBJECT

public:
    AccountSession(QUrl server, QString profile, Ui::TokenVault &vault, QObject *parent = nullptr);

    // Reads a kept session; `ready` gets the access token to start with
    // (refreshed first when it is about to expire), or "" when there is none.
    void restore(std::function<void(const QString &accessToken)> ready);

public Q_SLOTS:
    void signIn();
    void signInWithDeviceCode();
    void signOut();

Q_SIGNALS:
    void signedIn(const QString &userEntityRef, const QStringList &ownershipRefs);
    void signedOut(const QString &reason);
    void progress(const QString &message);
    void tokenChanged(const QString &accessToken);

private:
    void adopt(const Sync::SignInTokens &tokens, bool announce);
    void scheduleRefresh();
    QString key() const { return m_profile + QStringLiteral("#session"); }

    QUrl m_server;
    QString m_profile;
    Ui::TokenVault &m_vault;
    Sync::NativeSignIn m_signIn;
    std::optional<Sync::SignInTokens> m_tokens;
    QTimer m_refresh;
    std::function<void(const QString &)> m_pendingReady;
};

} // namespace Greenroom::App
