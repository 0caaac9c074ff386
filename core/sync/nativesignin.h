// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>

namespace Greenroom::Sync {

// What signing in gives a native app.
struct SignInTokens
{
    QString accessToken;      // a Backstage user token
    QString refreshToken;     // empty when the server gives none
    QDateTime expiresAt;
    // Who, read from the access token's claims (sub, ent).
    QString userEntityRef;
    QStringList ownershipRefs;

    QByteArray toJson() const;   // for the keychain
    static std::optional<SignInTokens> fromJson(const QByteArray &json);
    // The token's claims, without verifying it (the server does that).
    static void readClaims(SignInTokens &tokens);
};

/*
 * Signing a native app in to a Greenroom server, or a Backstage backend
 * whose auth backend enables the OIDC routes, as the Backstage CLI does
 * (RFC 8252): the client is the server's CLI metadata document; a loopback
 * listener on 127.0.0.1 and an ephemeral port receives the redirect; PKCE
 * S256 and a random state guard it; the code is exchanged at /v1/token.
 * The system browser does the signing in: openBrowser() asks for it.
 *
 * For machines without a browser, the device flow: the server shows a
 * code to type on another machine, and this polls until it is used.
 */
class NativeSignIn : public QObject
{
    Q_OBJECT

public:
    explicit NativeSignIn(QObject *parent = nullptr);

    // Starts a browser sign-in at `server` (its base URL).
    void start(const QUrl &server);
    // Starts a device sign-in: deviceCodeReady() tells what to show.
    void startDevice(const QUrl &server);
    void cancel();

    // New tokens for a refresh token; refreshed() or failed().
    void refresh(const QUrl &server, const QString &refreshToken);
    // Tells the server to forget the refresh token (signing out); best effort.
    void revoke(const QUrl &server, const QString &refreshToken);

    quint16 loopbackPort() const { return m_listener.serverPort(); }

Q_SIGNALS:
    void openBrowser(const QUrl &url);
    void deviceCodeReady(const QString &userCode, const QUrl &verificationUri);
    void signedIn(const Greenroom::Sync::SignInTokens &tokens);
    void refreshed(const Greenroom::Sync::SignInTokens &tokens);
    // `refused`: the server answered no (a refresh token it no longer
    // accepts); otherwise it could not be reached, and may again later.
    void failed(const QString &message, bool refused);

private:
    void onConnection();
    void answerCallback(QTcpSocket *socket, const QByteArray &request);
    void exchange(const QUrl &tokenUrl, const QJsonObject &body, bool isRefresh);
    void pollDevice();
    void finish();

    QNetworkAccessManager m_network;
    QTcpServer m_listener;
    QUrl m_server;
    QString m_clientId;
    QString m_redirectUri;
    QString m_state;
    QString m_verifier;
    QString m_deviceCode;
    QTimer m_devicePoll;
    bool m_active = false;
};

} // namespace Greenroom::Sync

Q_DECLARE_METATYPE(Greenroom::Sync::SignInTokens)
