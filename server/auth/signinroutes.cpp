// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "signinroutes.h"

#include "catalog/routesupport.h"

#include <auth/usertokens.h>
#include <common/base64url.h>

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QUrl>
#include <QUrlQuery>

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/auth");
const QByteArray NonceCookie = "greenroom-github-nonce";
constexpr qint64 NonceSeconds = 600;
// Anyone may send a browser to GitHub from a pending sign-in, again and again: bounded.
constexpr qsizetype MaxNonces = 10000;

HttpResponse redirect(const QString &location)
{
    HttpResponse response;
    response.status = 302;
    response.headers.append(std::pair(QByteArray("Location"), QByteArray(location.toUtf8())));
    response.headers.append(std::pair(QByteArray("Content-Type"), QByteArray("text/plain; charset=utf-8")));
    response.body = "Found. Redirecting to " + location.toUtf8();
    return response;
}

HttpResponse oauthError(int status, const QString &error, const QString &description)
{
    return HttpResponse::json(QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("error_description"), description}}, status);
}

HttpResponse oauthError(const Auth::OAuthError &error)
{
    return oauthError(error.status, error.error, error.description);
}

HttpResponse page(const QString &title, const QString &body, int status = 200)
{
    HttpResponse response;
    response.status = status;
    response.headers.append(std::pair(QByteArray("Content-Type"), QByteArray("text/html; charset=utf-8")));
    response.headers.append(std::pair(QByteArray("Content-Security-Policy"), QByteArray("default-src 'none'; form-action 'self'")));
    response.body = QStringLiteral("<!doctype html><meta charset=utf-8><title>%1</title><h1>%1</h1>%2").arg(title.toHtmlEscaped(), body).toUtf8();
    return response;
}

// A body's parameters: a JSON object of strings, or a form.
QHash<QString, QString> bodyParameters(const HttpRequest &request)
{
    QHash<QString, QString> parameters;
    const QJsonDocument json = QJsonDocument::fromJson(request.body);
    if (json.isObject()) {
        const QJsonObject object = json.object();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.value().isString())
                parameters.insert(it.key(), it.value().toString());
        }
        return parameters;
    }
    QByteArray form = request.body;
    form.replace('+', ' ');
    for (const auto &[name, value] : QUrlQuery(QString::fromUtf8(form)).queryItems(QUrl::FullyDecoded))
        parameters.insert(name, value);
    return parameters;
}

QString cookie(const HttpRequest &request, const QByteArray &name)
{
    for (const QByteArray &part : request.headers.value("cookie").split(';')) {
        const QByteArray trimmed = part.trimmed();
        if (trimmed.startsWith(name + '='))
            return QString::fromLatin1(trimmed.mid(name.size() + 1));
    }
    return {};
}

QString randomState()
{
    return randomBase64Url(24);
}

// Upstream's zod-validation-error text for missing or wrong query fields.
QString validationMessage(const QStringList &problems)
{
    return QStringLiteral("Validation error: ") + problems.join(QStringLiteral("; "));
}

QStringList requiredStrings(const std::function<std::optional<QString>(const QString &)> &value, const QStringList &names)
{
    QStringList problems;
    for (const QString &name : names) {
        const std::optional<QString> text = value(name);
        if (!text)
            problems.append(QStringLiteral("Invalid input: expected string, received undefined at \"%1\"").arg(name));
        else if (name == QLatin1String("redirect_uri") && !QUrl(*text, QUrl::StrictMode).isValid())
            problems.append(QStringLiteral("Invalid URL at \"%1\"").arg(name));
        else if (name == QLatin1String("redirect_uri") && QUrl(*text).scheme().isEmpty())
            problems.append(QStringLiteral("Invalid URL at \"%1\"").arg(name));
        else if (text->isEmpty())
            problems.append(QStringLiteral("Too small: expected string to have >=1 characters at \"%1\"").arg(name));
    }
    return problems;
}

// The catalog's Users, from the server's store.
class StoreUserDirectory : public Auth::UserDirectory
{
public:
    explicit StoreUserDirectory(Store::CatalogStore &store) : m_store(store) {}
    std::optional<QJsonObject> user(const QString &ref) override
    {
        const std::optional<Store::StoredEntity> entity = m_store.entityByRef(ref);
        return entity ? std::optional(entity->entity) : std::nullopt;
    }
    Result<QList<QJsonObject>> usersWhere(const QString &key, const QString &value, int limit) override
    {
        Store::EntityQuery query;
        query.filter.anyOf.append({Model::EntityFilter::Condition{QStringLiteral("kind"), {QStringLiteral("user")}},
                                   Model::EntityFilter::Condition{key.toLower(), {value.toLower()}}});
        query.limit = limit;
        auto page = m_store.queryEntities(query);
        if (!page)
            return page.error();
        QList<QJsonObject> users;
        for (const Store::StoredEntity &entity : page->items)
            users.append(entity.entity);
        return users;
    }

private:
    Store::CatalogStore &m_store;
};

// Refresh sessions in the server's database.
class StoreRefreshSessions : public Auth::RefreshSessionStore
{
public:
    explicit StoreRefreshSessions(Store::AuthStateStore &store) : m_store(store) {}
    void put(const QString &id, const Session &session) override
    {
        if (Status kept = m_store.putRefreshSession(id, {session.hash, session.userEntityRef, session.scope, session.expiresAt}); !kept)
            qWarning("auth: %s", qPrintable(kept.error().message));
    }
    std::optional<Session> take(const QString &id, qint64 now) override
    {
        const auto session = m_store.takeRefreshSession(id, now);
        if (!session)
            return std::nullopt;
        return Session{session->hash, session->userEntityRef, session->scope, session->expiresAt};
    }

private:
    Store::AuthStateStore &m_store;
};

} // namespace

std::shared_ptr<Auth::RefreshSessionStore> SignInRoutes::refreshSessionsIn(Store::AuthStateStore &store)
{
    return std::make_shared<StoreRefreshSessions>(store);
}

std::function<void(const QJsonObject &, qint64)> SignInRoutes::publishSigningKeysTo(Store::AuthStateStore &store)
{
    return [&store](const QJsonObject &jwk, qint64 createdAt) {
        if (Status kept = store.putSigningKey(jwk.value(QLatin1String("kid")).toString(), QJsonDocument(jwk).toJson(QJsonDocument::Compact), createdAt);
            !kept)
            qWarning("auth: %s", qPrintable(kept.error().message));
    };
}

std::function<std::optional<std::pair<QJsonObject, qint64>>(const QString &)> SignInRoutes::lookUpSigningKeysIn(Store::AuthStateStore &store)
{
    return [&store](const QString &kid) -> std::optional<std::pair<QJsonObject, qint64>> {
        const auto key = store.signingKey(kid);
        if (!key)
            return std::nullopt;
        return std::pair<QJsonObject, qint64>(QJsonDocument::fromJson(key->jwk).object(), key->createdAt);
    };
}

void SignInRoutes::keepSigningKeysIn(Store::AuthStateStore &store, Auth::UserTokens &tokens)
{
    for (const Store::AuthStateStore::SigningKey &key : store.signingKeys(QDateTime::currentSecsSinceEpoch() - tokens.keyLifetimeSeconds()))
        tokens.addPublishedKey(QJsonDocument::fromJson(key.jwk).object(), key.createdAt);
}

Result<SignInRoutes::Settings> SignInRoutes::Settings::fromConfig(const Config::ConfigReader &root, const QString &backendBaseUrl)
{
    Settings settings;
    settings.backendBaseUrl = backendBaseUrl;
    auto app = root.optionalString(QStringLiteral("app.baseUrl"));
    if (!app)
        return app.error();
    settings.appBaseUrl = app->value_or(backendBaseUrl);
    const QString cimd = root.has(QStringLiteral("auth.clientIdMetadataDocuments")) ? QStringLiteral("auth.clientIdMetadataDocuments.enabled")
                                                                                     : QStringLiteral("auth.experimentalClientIdMetadataDocuments.enabled");
    auto enabled = root.optionalBoolean(cimd);
    auto refresh = root.optionalBoolean(QStringLiteral("auth.experimentalRefreshToken.enabled"));
    if (!enabled)
        return enabled.error();
    if (!refresh)
        return refresh.error();
    settings.clientIdMetadataDocuments = enabled->value_or(false);
    settings.refreshTokens = refresh->value_or(false);
    auto github = Auth::GitHubSignIn::fromConfig(root, backendBaseUrl);
    if (!github)
        return github.error();
    settings.github = std::move(github).value();
    return settings;
}

SignInRoutes::SignInRoutes(Router &router, Auth::UserTokens &tokens, Store::CatalogStore &catalog, Settings settings,
                           std::shared_ptr<Auth::RefreshSessionStore> refreshSessions, QObject *parent)
    : QObject(parent),
      m_users(std::make_unique<StoreUserDirectory>(catalog)),
      m_settings(std::move(settings)),
      m_server(tokens, Auth::AuthorizationServer::Options{
                           m_settings.backendBaseUrl + Mount, m_settings.backendBaseUrl + Mount + QStringLiteral("/device"),
                           m_settings.refreshTokens, 30 * 24 * 3600,
                           [this](const QString &ref) { return Auth::SignInResolvers::userFromCatalog(ref, *m_users); }, {},
                           std::move(refreshSessions)})
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    const bool cimd = m_settings.clientIdMetadataDocuments;
    router.add("GET", Mount, QStringLiteral("/.well-known/openid-configuration"),
               [this](const HttpRequest &) { return HttpResponse::json(m_server.configuration()); });
    router.add("GET", Mount, QStringLiteral("/.well-known/oauth-client/cli.json"), [this, cimd](const HttpRequest &) {
        if (!cimd)
            return oauthError(404, QStringLiteral("not_found"), QStringLiteral("Client ID metadata documents not enabled"));
        return HttpResponse::json(m_server.cliClientMetadata());
    });
    router.add("GET", Mount, QStringLiteral("/v1/userinfo"), [&tokens](const HttpRequest &request) {
        const QByteArray token = Auth::TokenAuthenticator::bearerToken(request.headers.value("authorization"));
        if (token.isEmpty())
            return HttpResponse::error(Error(QStringLiteral("AuthenticationError"), QStringLiteral("No token provided")), request);
        auto identity = tokens.verify(QString::fromLatin1(token));
        if (!identity)
            return HttpResponse::error(identity.error(), request);
        return HttpResponse::json(QJsonObject{{QStringLiteral("claims"), QJsonObject{{QStringLiteral("sub"), identity->userEntityRef},
                                                                                   {QStringLiteral("ent"), QJsonArray::fromStringList(identity->ownershipRefs)}}}});
    });
    if (!cimd)
        return;
    router.add("GET", Mount, QStringLiteral("/v1/authorize"), [this](const HttpRequest &request) { return authorize(request); });
    router.add("POST", Mount, QStringLiteral("/v1/token"), [this](const HttpRequest &request) { return token(request); });
    router.add("POST", Mount, QStringLiteral("/v1/revoke"), [this](const HttpRequest &request) {
        const QHash<QString, QString> body = bodyParameters(request);
        if (body.value(QStringLiteral("token")).isEmpty())
            return oauthError(400, QStringLiteral("invalid_request"), validationMessage(requiredStrings(
                [&](const QString &name) { return body.contains(name) ? std::optional(body.value(name)) : std::nullopt; }, {QStringLiteral("token")})));
        if (body.value(QStringLiteral("client_id")) != m_server.cliClientId())
            return oauthError(401, QStringLiteral("invalid_client"), body.contains(QStringLiteral("client_id"))
                                                                          ? QStringLiteral("Invalid client credentials")
                                                                          : QStringLiteral("Client authentication required"));
        m_server.revoke(body.value(QStringLiteral("token")));
        HttpResponse done;
        done.headers.append(std::pair(QByteArray("Content-Type"), QByteArray("text/html; charset=utf-8")));
        return done;
    });
    router.add("POST", Mount, QStringLiteral("/v1/device_authorization"), [this](const HttpRequest &request) { return deviceAuthorization(request); });
    router.add("GET", Mount, QStringLiteral("/device"), [this](const HttpRequest &request) { return devicePage(request); });
    router.add("GET", Mount, QStringLiteral("/github/handler/frame"), [this](const HttpRequest &request) { return githubCallback(request); });
    router.add("GET", QString(), QStringLiteral("/oauth2/authorize/:session"), [this](const HttpRequest &request) { return signInPage(request); });
}

HttpResponse SignInRoutes::authorize(const HttpRequest &request)
{
    const auto value = [&](const QString &name) -> std::optional<QString> {
        return request.hasQuery(name) ? std::optional(request.queryValues(name).last()) : std::nullopt;
    };
    const QStringList problems = requiredStrings(value, {QStringLiteral("client_id"), QStringLiteral("redirect_uri"), QStringLiteral("response_type")});
    if (!problems.isEmpty())
        return oauthError(400, QStringLiteral("invalid_request"), validationMessage(problems));
    Auth::AuthorizationServer::AuthorizeRequest authorize;
    authorize.clientId = *value(QStringLiteral("client_id"));
    authorize.redirectUri = *value(QStringLiteral("redirect_uri"));
    authorize.responseType = *value(QStringLiteral("response_type"));
    authorize.scope = value(QStringLiteral("scope")).value_or(QString());
    authorize.state = value(QStringLiteral("state")).value_or(QString());
    authorize.nonce = value(QStringLiteral("nonce")).value_or(QString());
    authorize.codeChallenge = value(QStringLiteral("code_challenge")).value_or(QString());
    authorize.codeChallengeMethod = value(QStringLiteral("code_challenge_method")).value_or(QString());
    auto session = m_server.createSession(authorize);
    if (!session)
        return HttpResponse::error(session.error(), request);
    QString app = m_settings.appBaseUrl;
    if (!app.endsWith(QLatin1Char('/')))
        app += QLatin1Char('/');
    return redirect(app + QStringLiteral("oauth2/authorize/") + session.value());
}

HttpResponse SignInRoutes::toGitHub(const QString &sessionId)
{
    const QString state = randomState();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    m_nonces.removeIf([now](const auto &it) { return it.value().expiresAt < now; });
    if (m_nonces.size() >= MaxNonces)
        return page(QStringLiteral("Try again later"), QStringLiteral("<p>Too many sign-ins are in progress; try again in a few minutes.</p>"), 503);
    m_nonces.insert(state, Pending{sessionId, now + NonceSeconds});
    HttpResponse response = redirect(m_settings.github->authorizeUrl(state).toString(QUrl::FullyEncoded));
    // The callback must come back to the browser that left from here.
    response.headers.append(std::pair(QByteArray("Set-Cookie"), QByteArray(NonceCookie + '=' + state.toLatin1() + "; Path=" + Mount.toLatin1()
                                               + "/github/handler; Max-Age=600; HttpOnly; SameSite=Lax")));
    return response;
}

HttpResponse SignInRoutes::signInPage(const HttpRequest &request)
{
    const QString sessionId = request.params.value(QStringLiteral("session"));
    if (!m_server.isPending(sessionId))
        return page(QStringLiteral("Sign-in expired"), QStringLiteral("<p>This sign-in request is not known or has expired. Start again from the app.</p>"), 404);
    if (!m_settings.github) {
        auto back = m_server.reject(sessionId, QStringLiteral("server_error"), QStringLiteral("No sign-in provider is configured (auth.providers)"));
        return back && !back->isEmpty() ? redirect(back.value())
                                       : page(QStringLiteral("Cannot sign in"), QStringLiteral("<p>No sign-in provider is configured.</p>"), 500);
    }
    return toGitHub(sessionId);
}

HttpResponse SignInRoutes::githubCallback(const HttpRequest &request)
{
    const QString state = request.queryValues(QStringLiteral("state")).value(0);
    const auto pending = m_nonces.constFind(state);
    if (state.isEmpty() || pending == m_nonces.cend() || cookie(request, NonceCookie) != state)
        return page(QStringLiteral("Sign-in failed"), QStringLiteral("<p>Authentication failed, invalid state (start again from the app).</p>"), 401);
    const QString sessionId = pending->sessionId;
    m_nonces.remove(state);
    const auto finish = [this, sessionId](const Result<Auth::SignedInUser> &user) -> HttpResponse {
        if (!user) {
            auto back = m_server.reject(sessionId, QStringLiteral("access_denied"), user.error().message);
            if (back && !back->isEmpty())
                return redirect(back.value());
            return page(QStringLiteral("Sign-in failed"), QStringLiteral("<p>%1</p>").arg(user.error().message.toHtmlEscaped()), 401);
        }
        auto back = m_server.approve(sessionId, user.value());
        if (!back)
            return page(QStringLiteral("Sign-in failed"), QStringLiteral("<p>%1</p>").arg(back.error().message.toHtmlEscaped()), 400);
        if (back->isEmpty())   // a device's session: it collects its tokens
            return page(QStringLiteral("Signed in"), QStringLiteral("<p>Signed in as %1. You can close this window and return to your device.</p>")
                                                         .arg(user->userEntityRef.toHtmlEscaped()));
        return redirect(back.value());
    };
    if (request.hasQuery(QStringLiteral("error")))
        return finish(Error(QStringLiteral("AuthenticationError"), request.queryValues(QStringLiteral("error_description")).value(0,
                                                                   request.queryValues(QStringLiteral("error")).value(0))));
    const QString code = request.queryValues(QStringLiteral("code")).value(0);
    if (code.isEmpty())
        return finish(Error(QStringLiteral("InputError"), QStringLiteral("GitHub sent no code")));
    auto deferred = std::make_shared<DeferredResponse>();
    m_settings.github->fetchProfile(m_network, code, [this, deferred, finish](Result<Auth::SignInProfile> profile) {
        if (!profile)
            return deferred->complete(finish(profile.error()));
        deferred->complete(finish(m_settings.github->resolvers.resolve(profile.value(), *m_users)));
    });
    return HttpResponse::later(deferred);
}

HttpResponse SignInRoutes::token(const HttpRequest &request)
{
    const QHash<QString, QString> body = bodyParameters(request);
    const auto value = [&](const QString &name) { return body.contains(name) ? std::optional(body.value(name)) : std::nullopt; };
    const QStringList problems = requiredStrings(value, {QStringLiteral("grant_type")});
    if (!problems.isEmpty())
        return oauthError(400, QStringLiteral("invalid_request"), validationMessage(problems));
    const QString grant = body.value(QStringLiteral("grant_type"));
    std::variant<Auth::AuthorizationServer::Tokens, Auth::OAuthError> answer;
    bool idToken = false;
    if (grant == QLatin1String("authorization_code")) {
        if (body.value(QStringLiteral("code")).isEmpty() || body.value(QStringLiteral("redirect_uri")).isEmpty())
            return oauthError(400, QStringLiteral("invalid_request"),
                              QStringLiteral("Missing code or redirect_uri parameters for authorization_code grant"));
        answer = m_server.exchangeCode(body.value(QStringLiteral("code")), body.value(QStringLiteral("redirect_uri")),
                                       body.value(QStringLiteral("code_verifier")));
        idToken = true;
    } else if (grant == QLatin1String("refresh_token")) {
        if (body.value(QStringLiteral("refresh_token")).isEmpty())
            return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("Missing refresh_token parameter for refresh_token grant"));
        answer = m_server.refresh(body.value(QStringLiteral("refresh_token")));
    } else if (grant == QLatin1String("urn:ietf:params:oauth:grant-type:device_code")) {
        answer = m_server.pollDevice(body.value(QStringLiteral("device_code")));
    } else {
        return oauthError(400, QStringLiteral("unsupported_grant_type"), QStringLiteral("Grant type %1 is not supported").arg(grant));
    }
    if (const auto *error = std::get_if<Auth::OAuthError>(&answer))
        return oauthError(*error);
    HttpResponse response = HttpResponse::json(std::get<Auth::AuthorizationServer::Tokens>(answer).toJson(idToken));
    response.headers.append(std::pair(QByteArray("Cache-Control"), QByteArray("no-store")));
    return response;
}

HttpResponse SignInRoutes::deviceAuthorization(const HttpRequest &request)
{
    const QHash<QString, QString> body = bodyParameters(request);
    auto grant = m_server.startDevice(body.value(QStringLiteral("client_id")), body.value(QStringLiteral("scope")));
    if (const auto *error = std::get_if<Auth::OAuthError>(&grant))
        return oauthError(*error);
    HttpResponse response = HttpResponse::json(std::get<Auth::AuthorizationServer::DeviceGrant>(grant)
                                                   .toJson(m_settings.backendBaseUrl + Mount + QStringLiteral("/device")));
    response.headers.append(std::pair(QByteArray("Cache-Control"), QByteArray("no-store")));
    return response;
}

HttpResponse SignInRoutes::devicePage(const HttpRequest &request)
{
    const QString form = QStringLiteral("<form method=get action=\"%1/device\"><label>Code shown on your device: "
                                        "<input name=user_code autofocus autocomplete=off></label> <button>Continue</button></form>")
                             .arg(Mount);
    const QString typed = request.queryValues(QStringLiteral("user_code")).value(0);
    if (typed.isEmpty())
        return page(QStringLiteral("Sign in a device"), form);
    auto session = m_server.sessionForUserCode(typed);
    if (!session)
        return page(QStringLiteral("Sign in a device"), QStringLiteral("<p>%1</p>").arg(session.error().message.toHtmlEscaped()) + form,
                    session.error().name == QLatin1String("TooManyRequestsError") ? 429 : 400);
    if (!m_settings.github)
        return page(QStringLiteral("Cannot sign in"), QStringLiteral("<p>No sign-in provider is configured.</p>"), 500);
    return toGitHub(session.value());
}

} // namespace Greenroom::Server
