// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fakegithuboauth.h"

#include <QJsonArray>
#include <QUrl>
#include <QUuid>

namespace Greenroom::DemoServices {

namespace {

QString randomText()
{
    return QUuid::createUuid().toString(QUuid::Id128);
}

// The parameters of a POST as GitHub takes them: a form, or JSON.
QUrlQuery postParameters(const FakeRequest &request)
{
    const QJsonDocument json = QJsonDocument::fromJson(request.body);
    if (json.isObject()) {
        QUrlQuery query;
        const QJsonObject object = json.object();
        for (auto it = object.begin(); it != object.end(); ++it)
            query.addQueryItem(it.key(), it.value().toString());
        return query;
    }
    QByteArray form = request.body;
    form.replace('+', ' ');
    return QUrlQuery(QString::fromUtf8(form));
}

FakeAnswer oauthAnswer(const QJsonObject &fields, const QByteArray &accept)
{
    if (accept.contains("application/json"))
        return FakeAnswer::json(200, fields);
    QUrlQuery form;
    for (auto it = fields.begin(); it != fields.end(); ++it)
        form.addQueryItem(it.key(), QString::fromLatin1(QUrl::toPercentEncoding(it.value().toString())));
    return {200, form.query(QUrl::FullyEncoded).toUtf8(), "application/x-www-form-urlencoded; charset=utf-8"};
}

QString value(const QUrlQuery &query, const char *name)
{
    return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
}

} // namespace

void FakeGitHubOAuth::load(const QJsonObject &data)
{
    for (const QJsonValue &item : data.value(QLatin1String("accounts")).toArray()) {
        const QJsonObject account = item.toObject();
        addAccount({account.value(QLatin1String("login")).toString(), account.value(QLatin1String("id")).toInteger(),
                    account.value(QLatin1String("name")).toString(), account.value(QLatin1String("email")).toString()});
    }
}

FakeAnswer FakeGitHubOAuth::chooser(const QUrlQuery &query) const
{
    QByteArray page = "<!doctype html><title>Sign in to GitHub (demo)</title><h1>Sign in to GitHub (demo accounts)</h1><ul>";
    QStringList logins = m_accounts.keys();
    logins.sort();
    for (const QString &login : logins) {
        QUrlQuery as = query;
        as.removeAllQueryItems(QStringLiteral("login"));
        as.addQueryItem(QStringLiteral("login"), login);
        page += "<li><a href=\"" + m_webRoot.toUtf8() + "/login/oauth/authorize?" + as.query(QUrl::FullyEncoded).toUtf8().replace('&', "&amp;") + "\">"
                + login.toHtmlEscaped().toUtf8() + "</a></li>";
    }
    return {200, page + "</ul>", "text/html; charset=utf-8"};
}

std::optional<FakeAnswer> FakeGitHubOAuth::answerWeb(const FakeRequest &request, const QByteArray &accept)
{
    if (request.parts == QStringList{QStringLiteral("login"), QStringLiteral("oauth"), QStringLiteral("authorize")} && request.method == "GET") {
        if (value(request.query, "client_id") != m_clientId)
            return FakeAnswer{404, "<!doctype html><title>Page not found</title>", "text/html; charset=utf-8"};
        const QString login = value(request.query, "login");
        if (!m_accounts.contains(login))
            return chooser(request.query);
        const QString redirectUri = value(request.query, "redirect_uri");
        const QString code = randomText().left(20);
        m_codes.insert(code, {login, redirectUri});
        QUrl target(redirectUri);
        QUrlQuery back(target);
        back.addQueryItem(QStringLiteral("code"), code);
        if (request.query.hasQueryItem(QStringLiteral("state")))
            back.addQueryItem(QStringLiteral("state"), QString::fromLatin1(QUrl::toPercentEncoding(value(request.query, "state"))));
        target.setQuery(back);
        FakeAnswer redirect{302, {}, "text/html; charset=utf-8"};
        redirect.location = target.toString(QUrl::FullyEncoded).toUtf8();
        return redirect;
    }
    if (request.parts == QStringList{QStringLiteral("login"), QStringLiteral("oauth"), QStringLiteral("access_token")} && request.method == "POST") {
        const QUrlQuery params = postParameters(request);
        if (value(params, "client_id") != m_clientId || value(params, "client_secret") != m_clientSecret)
            return oauthAnswer({{QStringLiteral("error"), QStringLiteral("incorrect_client_credentials")},
                                {QStringLiteral("error_description"), QStringLiteral("The client_id and/or client_secret passed are incorrect.")}},
                               accept);
        const auto grant = m_codes.constFind(value(params, "code"));
        if (grant == m_codes.cend())
            return oauthAnswer({{QStringLiteral("error"), QStringLiteral("bad_verification_code")},
                                {QStringLiteral("error_description"), QStringLiteral("The code passed is incorrect or expired.")}},
                               accept);
        if (params.hasQueryItem(QStringLiteral("redirect_uri")) && value(params, "redirect_uri") != grant->redirectUri)
            return oauthAnswer({{QStringLiteral("error"), QStringLiteral("redirect_uri_mismatch")},
                                {QStringLiteral("error_description"),
                                 QStringLiteral("The redirect_uri MUST match the registered callback URL for this application.")}},
                               accept);
        const QString token = QStringLiteral("gho_") + randomText();
        m_tokens.insert(token, grant->login);
        m_codes.remove(value(params, "code"));
        return oauthAnswer({{QStringLiteral("access_token"), token}, {QStringLiteral("token_type"), QStringLiteral("bearer")},
                            {QStringLiteral("scope"), QStringLiteral("read:user")}},
                           accept);
    }
    return std::nullopt;
}

std::optional<FakeAnswer> FakeGitHubOAuth::answerApi(const FakeRequest &request, const QByteArray &authorization) const
{
    const bool user = request.parts == QStringList{QStringLiteral("user")};
    const bool emails = request.parts == QStringList{QStringLiteral("user"), QStringLiteral("emails")};
    if (request.method != "GET" || (!user && !emails))
        return std::nullopt;
    const QByteArray token = authorization.mid(authorization.indexOf(' ') + 1).trimmed();
    const auto login = m_tokens.constFind(QString::fromLatin1(token));
    if (login == m_tokens.cend())
        return FakeAnswer::json(401, QJsonObject{{QStringLiteral("message"), QStringLiteral("Bad credentials")},
                                                 {QStringLiteral("documentation_url"), QStringLiteral("https://docs.github.com/rest")}});
    const Account account = m_accounts.value(*login);
    if (emails)
        return FakeAnswer::json(200, QJsonArray{QJsonObject{{QStringLiteral("email"), account.email},
                                                            {QStringLiteral("primary"), true},
                                                            {QStringLiteral("verified"), true},
                                                            {QStringLiteral("visibility"), QStringLiteral("private")}}});
    return FakeAnswer::json(200, QJsonObject{{QStringLiteral("login"), account.login},
                                             {QStringLiteral("id"), account.id},
                                             {QStringLiteral("node_id"), QStringLiteral("U_kgDO%1").arg(account.id)},
                                             {QStringLiteral("avatar_url"), QStringLiteral("https://avatars.githubusercontent.com/u/%1?v=4").arg(account.id)},
                                             {QStringLiteral("type"), QStringLiteral("User")},
                                             {QStringLiteral("name"), account.name},
                                             {QStringLiteral("email"), account.email}});
}

} // namespace Greenroom::DemoServices
