// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "usertokens.h"

#include <common/result.h>

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

namespace Greenroom::Auth {

// Someone signed in: who, and the refs they own through (user and groups).
struct SignedInUser
{
    QString userEntityRef;
    QStringList ownershipRefs;
};

// An OAuth error as the auth backend's OIDC routes answer it: the status and
// {error, error_description}.
struct OAuthError
{
    int status = 400;
    QString error;         // invalid_request, invalid_grant, authorization_pending, ...
    QString description;
};

// Where refresh sessions are kept (the server's database, so a restart
// signs nobody out); in this process when none is given.
class RefreshSessionStore
{
public:
    struct Session
    {
        QByteArray hash;        // SHA-256 of the whole refresh token
        QString userEntityRef;
        QString scope;
        qint64 expiresAt = 0;   // seconds since the epoch
    };
    virtual ~RefreshSessionStore() = default;
    virtual void put(const QString &id, const Session &session) = 0;
    // The session `id`, removed; nullopt when there is none (or it expired).
    virtual std::optional<Session> take(const QString &id, qint64 now) = 0;
};

/*
 * The auth backend's OAuth 2.0 authorization server for native clients:
 * Backstage's OIDC router as the Backstage CLI uses it (authorization code
 * with PKCE, client ID metadata documents, refresh tokens that rotate), and
 * the device authorization grant (RFC 8628) for machines without a browser,
 * which Backstage does not have.
 *
 * The one client it knows is the CLI's: client_id
 * "<issuer>/.well-known/oauth-client/cli.json", a public client that must
 * use PKCE and redirect to a loopback address (any port: RFC 8252). The
 * checks and their messages are upstream's OidcService's.
 *
 * Sessions, codes and device codes live in memory (they last minutes);
 * refresh sessions in a RefreshSessionStore, as hashes of their tokens.
 */
class AuthorizationServer
{
public:
    struct Options
    {
        QString issuer;                  // <backend.baseUrl>/api/auth
        QString verificationUri;         // where a person enters a device's code
        bool refreshTokens = true;       // auth.experimentalRefreshToken.enabled
        qint64 refreshLifetimeSeconds = 30 * 24 * 3600;
        // The user's current ownership when a refresh token is used (groups
        // change); an error (no such user any more) refuses the refresh.
        std::function<Result<SignedInUser>(const QString &userEntityRef)> currentUser;
        std::function<qint64()> now;     // seconds since the epoch; the clock when null
        std::shared_ptr<RefreshSessionStore> refreshSessions;   // in memory when null
    };
    struct AuthorizeRequest
    {
        QString clientId, redirectUri, responseType, scope, state, nonce, codeChallenge, codeChallengeMethod;
    };
    struct Tokens
    {
        QString accessToken;
        qint64 expiresIn = 0;
        QString scope;
        QString refreshToken;   // when offline_access was granted
        QJsonObject toJson(bool withIdToken) const;
    };
    struct DeviceGrant
    {
        QString deviceCode, userCode;
        qint64 expiresIn = 0;
        int interval = 5;
        QJsonObject toJson(const QString &verificationUri) const;
    };

    AuthorizationServer(UserTokens &tokens, Options options);

    QString cliClientId() const { return m_options.issuer + QStringLiteral("/.well-known/oauth-client/cli.json"); }
    // The CLI client's metadata document.
    QJsonObject cliClientMetadata() const;
    // The discovery document (/.well-known/openid-configuration).
    QJsonObject configuration() const;

    // GET /v1/authorize: a pending session's id. Errors that may be sent
    // back to the redirect URI say so (redirectable).
    Result<QString> createSession(const AuthorizeRequest &request);
    // The session's client name and redirect, while it is pending.
    bool isPending(const QString &sessionId) const;
    // The person signed in and agreed: the redirect URI with code and state.
    Result<QString> approve(const QString &sessionId, const SignedInUser &user);
    // The person refused (or sign-in failed): the redirect URI with the error.
    Result<QString> reject(const QString &sessionId, const QString &error, const QString &description);

    // POST /v1/token.
    std::variant<Tokens, OAuthError> exchangeCode(const QString &code, const QString &redirectUri, const QString &codeVerifier);
    std::variant<Tokens, OAuthError> refresh(const QString &refreshToken);
    void revoke(const QString &refreshToken);

    // POST /v1/device_authorization, then the person's approval by user
    // code (a session they sign in to), then the device's polling.
    std::variant<DeviceGrant, OAuthError> startDevice(const QString &clientId, const QString &scope);
    Result<QString> sessionForUserCode(const QString &userCode);
    std::variant<Tokens, OAuthError> pollDevice(const QString &deviceCode);

private:
    struct Session
    {
        AuthorizeRequest request;
        qint64 expiresAt = 0;
        enum class Status { Pending, Approved, Rejected } status = Status::Pending;
        SignedInUser user = {};
        QString deviceCode = QString();   // device sessions
    };
    struct Code
    {
        QString sessionId;
        qint64 expiresAt = 0;
        bool used = false;
    };
    struct Device
    {
        QString sessionId;
        QString userCode;
        qint64 expiresAt = 0;
        qint64 lastPoll = 0;
        int interval = 5;
    };
    qint64 now() const;
    void dropExpired();
    std::variant<Tokens, OAuthError> issue(const SignedInUser &user, const QString &scope);

    UserTokens &m_tokens;
    Options m_options;
    QHash<QString, Session> m_sessions;
    QHash<QString, Code> m_codes;
    QHash<QString, Device> m_devices;          // by device code
    QHash<QString, QString> m_userCodes;       // user code -> device code
    QList<qint64> m_codeMisses;                // when a typed user code matched no device, the last minute's
    std::shared_ptr<RefreshSessionStore> m_refreshSessions;
};

} // namespace Greenroom::Auth
