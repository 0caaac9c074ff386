// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "authorizationserver.h"

#include <common/base64url.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

namespace Greenroom::Auth {

namespace {

constexpr qint64 SessionSeconds = 3600;       // upstream: an hour to sign in
constexpr qint64 CodeSeconds = 600;           // upstream: codes last ten minutes
constexpr qint64 DeviceSeconds = 900;         // RFC 8628's example: fifteen minutes
constexpr int DeviceInterval = 5;
// Sign-ins in progress at once: anyone may start one, so they are bounded.
constexpr qsizetype MaxPendingSessions = 10000;
// Wrong user codes tried a minute, from anyone: with 10,000 devices waiting,
// guessing one of 20^8 codes would otherwise take minutes at full speed.
constexpr qsizetype MaxCodeMissesPerMinute = 30;

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data()) + count / 4);
    return bytes;
}

QString randomToken(int bytes = 32)
{
    return randomBase64Url(bytes);
}

// Eight letters a person can read out and type: consonants only (no words,
// no 0/O confusions), shown as XXXX-XXXX.
QString userCode()
{
    static const char Letters[] = "BCDFGHJKLMNPQRSTVWXZ";
    const QByteArray random = randomBytes(8);
    QString code;
    for (int i = 0; i < 8; ++i) {
        if (i == 4)
            code += QLatin1Char('-');
        code += QLatin1Char(Letters[quint8(random.at(i)) % 20]);
    }
    return code;
}

bool isLoopbackHost(const QString &host)
{
    return host == QLatin1String("localhost") || host == QLatin1String("127.0.0.1") || host == QLatin1String("::1");
}

QByteArray hashOf(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

OAuthError grantError(const QString &description)
{
    return {400, QStringLiteral("invalid_grant"), description};
}

// The redirect URI with `params` added to its query.
QString withParams(const QString &redirectUri, const QList<std::pair<QString, QString>> &params)
{
    QUrl url(redirectUri);
    QUrlQuery query(url);
    for (const auto &[name, value] : params)
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

// Refresh sessions in this process (tests, and servers that keep none).
class MemoryRefreshSessions : public RefreshSessionStore
{
public:
    void put(const QString &id, const Session &session) override { m_sessions.insert(id, session); }
    std::optional<Session> take(const QString &id, qint64 now) override
    {
        m_sessions.removeIf([now](const auto &it) { return it.value().expiresAt < now; });
        if (!m_sessions.contains(id))
            return std::nullopt;
        return m_sessions.take(id);
    }

private:
    QHash<QString, Session> m_sessions;
};

} // namespace

QJsonObject AuthorizationServer::Tokens::toJson(bool withIdToken) const
{
    QJsonObject json{{QStringLiteral("access_token"), accessToken},
                     {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                     {QStringLiteral("expires_in"), expiresIn}};
    if (withIdToken)
        json.insert(QStringLiteral("id_token"), accessToken);
    if (!scope.isEmpty())
        json.insert(QStringLiteral("scope"), scope);
    if (!refreshToken.isEmpty())
        json.insert(QStringLiteral("refresh_token"), refreshToken);
    return json;
}

QJsonObject AuthorizationServer::DeviceGrant::toJson(const QString &verificationUri) const
{
    return {{QStringLiteral("device_code"), deviceCode},
            {QStringLiteral("user_code"), userCode},
            {QStringLiteral("verification_uri"), verificationUri},
            {QStringLiteral("verification_uri_complete"), verificationUri + QStringLiteral("?user_code=") + userCode},
            {QStringLiteral("expires_in"), expiresIn},
            {QStringLiteral("interval"), interval}};
}

AuthorizationServer::AuthorizationServer(UserTokens &tokens, Options options)
    : m_tokens(tokens),
      m_options(std::move(options)),
      m_refreshSessions(m_options.refreshSessions ? m_options.refreshSessions : std::make_shared<MemoryRefreshSessions>())
{
}

qint64 AuthorizationServer::now() const
{
    return m_options.now ? m_options.now() : QDateTime::currentSecsSinceEpoch();
}

QJsonObject AuthorizationServer::cliClientMetadata() const
{
    return {{QStringLiteral("client_id"), cliClientId()},
            {QStringLiteral("client_name"), QStringLiteral("Backstage CLI")},
            {QStringLiteral("redirect_uris"), QJsonArray{QStringLiteral("http://127.0.0.1:8055/callback")}},
            {QStringLiteral("response_types"), QJsonArray{QStringLiteral("code")}},
            {QStringLiteral("grant_types"), QJsonArray{QStringLiteral("authorization_code")}},
            {QStringLiteral("token_endpoint_auth_method"), QStringLiteral("none")},
            {QStringLiteral("scope"), QStringLiteral("openid offline_access")}};
}

QJsonObject AuthorizationServer::configuration() const
{
    const QString base = m_options.issuer;
    QJsonArray scopes{QStringLiteral("openid")};
    QJsonArray grants{QStringLiteral("authorization_code")};
    if (m_options.refreshTokens) {
        scopes.append(QStringLiteral("offline_access"));
        grants.append(QStringLiteral("refresh_token"));
    }
    grants.append(QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
    return {{QStringLiteral("issuer"), base},
            {QStringLiteral("token_endpoint"), base + QStringLiteral("/v1/token")},
            {QStringLiteral("userinfo_endpoint"), base + QStringLiteral("/v1/userinfo")},
            {QStringLiteral("jwks_uri"), base + QStringLiteral("/.well-known/jwks.json")},
            {QStringLiteral("response_types_supported"), QJsonArray{QStringLiteral("code"), QStringLiteral("id_token")}},
            {QStringLiteral("subject_types_supported"), QJsonArray{QStringLiteral("public")}},
            {QStringLiteral("id_token_signing_alg_values_supported"), QJsonArray{QStringLiteral("ES256")}},
            {QStringLiteral("scopes_supported"), scopes},
            {QStringLiteral("token_endpoint_auth_methods_supported"),
             QJsonArray{QStringLiteral("client_secret_basic"), QStringLiteral("client_secret_post"), QStringLiteral("none")}},
            {QStringLiteral("claims_supported"), QJsonArray{QStringLiteral("sub"), QStringLiteral("ent")}},
            {QStringLiteral("grant_types_supported"), grants},
            {QStringLiteral("authorization_endpoint"), base + QStringLiteral("/v1/authorize")},
            {QStringLiteral("device_authorization_endpoint"), base + QStringLiteral("/v1/device_authorization")},
            {QStringLiteral("code_challenge_methods_supported"), QJsonArray{QStringLiteral("S256"), QStringLiteral("plain")}},
            {QStringLiteral("revocation_endpoint"), base + QStringLiteral("/v1/revoke")},
            {QStringLiteral("client_id_metadata_document_supported"), true}};
}

void AuthorizationServer::dropExpired()
{
    const qint64 at = now();
    m_sessions.removeIf([at](const auto &it) { return it.value().expiresAt < at; });
    m_codes.removeIf([at](const auto &it) { return it.value().expiresAt < at; });
    for (auto it = m_devices.begin(); it != m_devices.end();) {
        if (it->expiresAt < at) {
            m_userCodes.remove(it->userCode);
            it = m_devices.erase(it);
        } else {
            ++it;
        }
    }
}

Result<QString> AuthorizationServer::createSession(const AuthorizeRequest &request)
{
    dropExpired();
    if (request.responseType != QLatin1String("code"))
        return Error::input(QStringLiteral("Only authorization code flow is supported"));
    // The one client: the CLI's metadata document, a public client.
    if (request.clientId != cliClientId())
        return Error::input(QStringLiteral("Invalid client_id '%1'").arg(request.clientId));
    const QUrl redirect(request.redirectUri);
    const QString normalized = redirect.scheme() + QStringLiteral("://") + redirect.host()
                               + (redirect.port() >= 0 ? QStringLiteral(":%1").arg(redirect.port()) : QString()) + redirect.path();
    if (!redirect.userInfo().isEmpty() || redirect.scheme() != QLatin1String("http") || !isLoopbackHost(redirect.host()))
        return Error::input(QStringLiteral("Invalid redirect_uri '%1'").arg(normalized));
    // Registered: http://127.0.0.1:8055/callback; any port on loopback (RFC 8252).
    if (redirect.host() != QLatin1String("127.0.0.1") || redirect.path() != QLatin1String("/callback"))
        return Error::input(QStringLiteral("Invalid redirect_uri '%1', not registered in client metadata").arg(request.redirectUri));
    if (request.codeChallenge.isEmpty())
        return Error::input(QStringLiteral("PKCE is required for public clients. Provide a code_challenge parameter."));
    if (request.codeChallengeMethod != QLatin1String("S256") && request.codeChallengeMethod != QLatin1String("plain"))
        return Error::input(QStringLiteral("Invalid code_challenge_method"));
    if (m_sessions.size() >= MaxPendingSessions)
        return Error(QStringLiteral("ServiceUnavailableError"), QStringLiteral("Too many sign-ins in progress; try again in a few minutes"));
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_sessions.insert(id, Session{request, now() + SessionSeconds});
    return id;
}

bool AuthorizationServer::isPending(const QString &sessionId) const
{
    const auto session = m_sessions.constFind(sessionId);
    return session != m_sessions.cend() && session->status == Session::Status::Pending && session->expiresAt >= now();
}

Result<QString> AuthorizationServer::approve(const QString &sessionId, const SignedInUser &user)
{
    if (!isPending(sessionId))
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("Authorization session not found or expired"));
    Session &session = m_sessions[sessionId];
    session.status = Session::Status::Approved;
    session.user = user;
    if (!session.deviceCode.isEmpty())
        return QString();   // the device collects its tokens by polling
    const QString code = randomToken();
    m_codes.insert(code, Code{sessionId, now() + CodeSeconds});
    QList<std::pair<QString, QString>> params{{QStringLiteral("code"), code}};
    if (!session.request.state.isEmpty())
        params.append({QStringLiteral("state"), session.request.state});
    return withParams(session.request.redirectUri, params);
}

Result<QString> AuthorizationServer::reject(const QString &sessionId, const QString &error, const QString &description)
{
    if (!isPending(sessionId))
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("Authorization session not found or expired"));
    Session &session = m_sessions[sessionId];
    session.status = Session::Status::Rejected;
    if (!session.deviceCode.isEmpty())
        return QString();
    QList<std::pair<QString, QString>> params{{QStringLiteral("error"), error}, {QStringLiteral("error_description"), description}};
    if (!session.request.state.isEmpty())
        params.append({QStringLiteral("state"), session.request.state});
    return withParams(session.request.redirectUri, params);
}

std::variant<AuthorizationServer::Tokens, OAuthError> AuthorizationServer::issue(const SignedInUser &user, const QString &scope)
{
    // Upstream's token carries only `sub` and reads ownership from its user
    // info store; Greenroom's permission checks read `ent`, so it is in.
    auto token = m_tokens.issue(user.userEntityRef, user.ownershipRefs);
    if (!token)
        return OAuthError{500, QStringLiteral("server_error"), token.error().message};
    Tokens tokens;
    tokens.accessToken = token.value();
    tokens.expiresIn = m_tokens.lifetimeSeconds();
    tokens.scope = scope.isEmpty() ? QStringLiteral("openid") : scope;
    if (m_options.refreshTokens && scope.split(QLatin1Char(' ')).contains(QLatin1String("offline_access"))) {
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        tokens.refreshToken = id + QLatin1Char('.') + randomToken();
        m_refreshSessions->put(id, {hashOf(tokens.refreshToken), user.userEntityRef, tokens.scope, now() + m_options.refreshLifetimeSeconds});
    }
    return tokens;
}

std::variant<AuthorizationServer::Tokens, OAuthError> AuthorizationServer::exchangeCode(const QString &code, const QString &redirectUri,
                                                                                       const QString &codeVerifier)
{
    dropExpired();
    const auto found = m_codes.find(code);
    if (found == m_codes.end())
        return grantError(QStringLiteral("Invalid authorization code"));
    if (found->expiresAt < now())
        return grantError(QStringLiteral("Authorization code expired"));
    if (found->used)
        return grantError(QStringLiteral("Authorization code already used"));
    const auto session = m_sessions.constFind(found->sessionId);
    if (session == m_sessions.cend())
        return OAuthError{400, QStringLiteral("invalid_request"), QStringLiteral("Invalid authorization session")};
    if (session->request.redirectUri != redirectUri)
        return grantError(QStringLiteral("Redirect URI mismatch"));
    if (session->status != Session::Status::Approved)
        return grantError(QStringLiteral("Authorization not approved"));
    if (codeVerifier.isEmpty())
        return grantError(QStringLiteral("Code verifier required for PKCE"));
    const QString expected = session->request.codeChallengeMethod == QLatin1String("S256")
                                 ? pkceChallenge(codeVerifier)
                                 : codeVerifier;
    if (expected != session->request.codeChallenge)
        return grantError(QStringLiteral("Invalid code verifier"));
    found->used = true;
    return issue(session->user, session->request.scope);
}

std::variant<AuthorizationServer::Tokens, OAuthError> AuthorizationServer::refresh(const QString &refreshToken)
{
    dropExpired();
    if (!m_options.refreshTokens)
        return OAuthError{400, QStringLiteral("invalid_request"), QStringLiteral("Refresh tokens are not enabled")};
    const QStringList parts = refreshToken.split(QLatin1Char('.'));
    if (parts.size() != 2 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return grantError(QStringLiteral("Invalid refresh token format"));
    // Taken: each refresh token works once (it rotates).
    std::optional<RefreshSessionStore::Session> held = m_refreshSessions->take(parts.at(0), now());
    if (!held)
        return grantError(QStringLiteral("Invalid refresh token"));
    if (held->hash != hashOf(refreshToken)) {
        m_refreshSessions->put(parts.at(0), *held);   // someone else's id with a wrong secret: theirs stays
        return grantError(QStringLiteral("Invalid refresh token"));
    }
    SignedInUser user{held->userEntityRef, {held->userEntityRef}};
    if (m_options.currentUser) {
        auto current = m_options.currentUser(held->userEntityRef);
        if (!current)
            return grantError(QStringLiteral("User entity no longer exists in the catalog"));
        user = current.value();
    }
    return issue(user, held->scope);
}

void AuthorizationServer::revoke(const QString &refreshToken)
{
    const QString id = refreshToken.section(QLatin1Char('.'), 0, 0);
    std::optional<RefreshSessionStore::Session> held = m_refreshSessions->take(id, now());
    if (held && held->hash != hashOf(refreshToken))
        m_refreshSessions->put(id, *held);
}

std::variant<AuthorizationServer::DeviceGrant, OAuthError> AuthorizationServer::startDevice(const QString &clientId, const QString &scope)
{
    dropExpired();
    if (clientId != cliClientId())
        return OAuthError{401, QStringLiteral("invalid_client"), QStringLiteral("Invalid client_id '%1'").arg(clientId)};
    if (m_sessions.size() >= MaxPendingSessions)
        return OAuthError{503, QStringLiteral("temporarily_unavailable"), QStringLiteral("Too many sign-ins in progress; try again in a few minutes")};
    DeviceGrant grant;
    grant.deviceCode = randomToken();
    do
        grant.userCode = userCode();
    while (m_userCodes.contains(grant.userCode));
    grant.expiresIn = DeviceSeconds;
    grant.interval = DeviceInterval;
    const QString sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    Session session{AuthorizeRequest{clientId, {}, QStringLiteral("code"), scope, {}, {}, {}, {}}, now() + DeviceSeconds};
    session.deviceCode = grant.deviceCode;
    m_sessions.insert(sessionId, session);
    m_devices.insert(grant.deviceCode, Device{sessionId, grant.userCode, now() + DeviceSeconds, 0, DeviceInterval});
    m_userCodes.insert(grant.userCode, grant.deviceCode);
    return grant;
}

Result<QString> AuthorizationServer::sessionForUserCode(const QString &userCode)
{
    dropExpired();
    const qint64 at = now();
    m_codeMisses.removeIf([at](qint64 miss) { return miss <= at - 60; });
    if (m_codeMisses.size() >= MaxCodeMissesPerMinute)
        return Error(QStringLiteral("TooManyRequestsError"), QStringLiteral("Too many wrong codes were tried in the last minute; wait a minute and try again"));
    // People type codes in lower case and without the dash.
    QString typed = userCode.toUpper().remove(QLatin1Char('-')).remove(QLatin1Char(' '));
    if (typed.size() == 8)
        typed.insert(4, QLatin1Char('-'));
    const auto deviceCode = m_userCodes.constFind(typed);
    if (deviceCode == m_userCodes.cend()) {
        m_codeMisses.append(at);
        return Error::input(QStringLiteral("No device is waiting for the code '%1'").arg(userCode));
    }
    const QString sessionId = m_devices.value(*deviceCode).sessionId;
    if (!isPending(sessionId))
        return Error::input(QStringLiteral("The code '%1' was used already").arg(userCode));
    return sessionId;
}

std::variant<AuthorizationServer::Tokens, OAuthError> AuthorizationServer::pollDevice(const QString &deviceCode)
{
    dropExpired();
    const auto device = m_devices.find(deviceCode);
    if (device == m_devices.end())
        return OAuthError{400, QStringLiteral("expired_token"), QStringLiteral("The device code has expired; start again")};
    const qint64 at = now();
    if (device->lastPoll > 0 && at - device->lastPoll < device->interval) {
        device->interval += 5;   // RFC 8628 3.5: slow down by five seconds
        device->lastPoll = at;
        return OAuthError{400, QStringLiteral("slow_down"), QStringLiteral("Polling too fast; wait %1 seconds").arg(device->interval)};
    }
    device->lastPoll = at;
    const QString sessionId = device->sessionId;
    const Session session = m_sessions.value(sessionId);
    switch (session.status) {
    case Session::Status::Pending:
        return OAuthError{400, QStringLiteral("authorization_pending"), QStringLiteral("The user has not signed in yet")};
    case Session::Status::Rejected:
        m_userCodes.remove(device->userCode);
        m_devices.erase(device);
        return OAuthError{400, QStringLiteral("access_denied"), QStringLiteral("The user refused, or could not sign in")};
    case Session::Status::Approved:
        break;
    }
    m_userCodes.remove(device->userCode);
    m_devices.erase(device);
    m_sessions.remove(sessionId);
    return issue(session.user, session.request.scope);
}

} // namespace Greenroom::Auth
