// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/router.h"

#include <auth/authorizationserver.h>
#include <auth/githubsignin.h>
#include <config/configreader.h>
#include <store/catalogstore.h>
#include <store/authstatestore.h>
#include <store/catalogstore.h>

#include <QNetworkAccessManager>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace Greenroom::Server {

/*
 * People signing in: the auth backend's OIDC routes under /api/auth as the
 * Backstage CLI uses them, with GitHub as the identity provider.
 *
 *   GET  /.well-known/openid-configuration, /.well-known/oauth-client/cli.json
 *   GET  /v1/authorize       -> <app.baseUrl>/oauth2/authorize/<session>
 *   GET  /oauth2/authorize/<session> (the app's page; served here)
 *                            -> GitHub, with a nonce cookie
 *   GET  /github/handler/frame?code&state (GitHub's callback): the profile is
 *        read, the sign-in resolvers find the User, the session is approved
 *                            -> the client's loopback redirect, with code and state
 *   POST /v1/token           authorization_code (PKCE), refresh_token,
 *                            and the device code grant
 *   POST /v1/revoke, GET /v1/userinfo
 *   POST /v1/device_authorization, GET /device (Greenroom's: a person
 *        enters the code shown by a machine without a browser)
 *
 * The OIDC routes answer only when auth.clientIdMetadataDocuments.enabled
 * is true, as upstream's; refresh tokens only with
 * auth.experimentalRefreshToken.enabled. Secrets and tokens are never logged.
 */
class SignInRoutes : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        QString backendBaseUrl;
        QString appBaseUrl;
        bool clientIdMetadataDocuments = false;
        bool refreshTokens = false;
        std::optional<Auth::GitHubSignIn> github;
        static Result<Settings> fromConfig(const Config::ConfigReader &root, const QString &backendBaseUrl);
    };

    // `refreshSessions`: where refresh sessions are kept (null: in this process).
    SignInRoutes(Router &router, Auth::UserTokens &tokens, Store::CatalogStore &catalog, Settings settings,
                 std::shared_ptr<Auth::RefreshSessionStore> refreshSessions = {}, QObject *parent = nullptr);

    // Refresh sessions kept in the server's database.
    static std::shared_ptr<Auth::RefreshSessionStore> refreshSessionsIn(Store::AuthStateStore &store);
    // The public keys of user tokens kept there too: publishSigningKeysTo is
    // UserTokens' publishKey (each new key is kept), and keepSigningKeysIn
    // gives `tokens` those of earlier runs that tokens may still carry.
    static std::function<void(const QJsonObject &jwk, qint64 createdAt)> publishSigningKeysTo(Store::AuthStateStore &store);
    static void keepSigningKeysIn(Store::AuthStateStore &store, Auth::UserTokens &tokens);
    // UserTokens' lookUpKey: a key another replica published to `store`.
    static std::function<std::optional<std::pair<QJsonObject, qint64>>(const QString &kid)> lookUpSigningKeysIn(Store::AuthStateStore &store);

private:
    HttpResponse authorize(const HttpRequest &request);
    HttpResponse signInPage(const HttpRequest &request);
    HttpResponse githubCallback(const HttpRequest &request);
    HttpResponse token(const HttpRequest &request);
    HttpResponse deviceAuthorization(const HttpRequest &request);
    HttpResponse devicePage(const HttpRequest &request);
    // Sends the browser to GitHub for `sessionId`, with a fresh nonce.
    HttpResponse toGitHub(const QString &sessionId);

    std::unique_ptr<Auth::UserDirectory> m_users;
    Settings m_settings;
    Auth::AuthorizationServer m_server;
    QNetworkAccessManager m_network;
    struct Pending
    {
        QString sessionId;
        qint64 expiresAt = 0;
    };
    QHash<QString, Pending> m_nonces;   // state sent to GitHub -> the session it signs in
};

} // namespace Greenroom::Server
