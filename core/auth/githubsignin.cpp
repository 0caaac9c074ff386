// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubsignin.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

namespace Greenroom::Auth {

namespace {

// GitHub's answers here are small; anything larger is not GitHub.
constexpr qint64 MaxAnswerBytes = 1024 * 1024;
// A GitHub that does not answer ends the sign-in rather than holding the browser's request.
constexpr int TimeoutMs = 30000;

Error signInError(const QString &message)
{
    return {QStringLiteral("AuthenticationError"), QStringLiteral("GitHub sign-in failed: ") + message};
}

// The body of a finished reply, or why there is none.
Result<QJsonObject> jsonAnswer(QNetworkReply *reply, const QString &step)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return signInError(QStringLiteral("%1: %2").arg(step, reply->errorString()));
    const QByteArray body = reply->read(MaxAnswerBytes + 1);
    if (body.size() > MaxAnswerBytes)
        return signInError(QStringLiteral("%1: the answer is too large").arg(step));
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (status >= 400)
        return signInError(QStringLiteral("%1: HTTP %2 %3").arg(step).arg(status).arg(document.object().value(QLatin1String("message")).toString()));
    if (!document.isObject())
        return signInError(QStringLiteral("%1: the answer is not a JSON object").arg(step));
    return document.object();
}

} // namespace

Result<std::optional<GitHubSignIn>> GitHubSignIn::fromConfig(const Config::ConfigReader &root, const QString &backendBaseUrl)
{
    auto environment = root.optionalString(QStringLiteral("auth.environment"));
    if (!environment)
        return environment.error();
    const QString key = QStringLiteral("auth.providers.github.") + environment->value_or(QStringLiteral("development"));
    auto block = root.optionalConfig(key);
    if (!block)
        return block.error();
    if (!block->has_value())
        return std::optional<GitHubSignIn>();
    const Config::ConfigReader &config = **block;
    GitHubSignIn github;
    auto clientId = config.string(QStringLiteral("clientId"));
    if (!clientId)
        return clientId.error();
    auto clientSecret = config.string(QStringLiteral("clientSecret"));
    if (!clientSecret)
        return clientSecret.error();
    auto callbackUrl = config.optionalString(QStringLiteral("callbackUrl"));
    auto enterprise = config.optionalString(QStringLiteral("enterpriseInstanceUrl"));
    if (!callbackUrl)
        return callbackUrl.error();
    if (!enterprise)
        return enterprise.error();
    github.clientId = clientId.value();
    github.clientSecret = clientSecret.value();
    github.callbackUrl = callbackUrl->value_or(backendBaseUrl + QStringLiteral("/api/auth/github/handler/frame"));
    if (enterprise->has_value()) {
        QString base = **enterprise;
        while (base.endsWith(QLatin1Char('/')))
            base.chop(1);
        github.webBaseUrl = base;
        github.apiBaseUrl = base + QStringLiteral("/api/v3");
    }
    auto resolvers = SignInResolvers::fromConfig(config, key);
    if (!resolvers)
        return resolvers.error();
    github.resolvers = std::move(resolvers).value();
    return std::optional(std::move(github));
}

QUrl GitHubSignIn::authorizeUrl(const QString &state) const
{
    // The parameters in the order passport's OAuth 2.0 strategy writes them.
    const auto encoded = [](const QString &value) { return QUrl::toPercentEncoding(value); };
    return QUrl::fromEncoded((webBaseUrl + QStringLiteral("/login/oauth/authorize")).toUtf8() + "?response_type=code&redirect_uri="
                             + encoded(callbackUrl) + "&scope=read%3Auser&state=" + encoded(state) + "&client_id=" + encoded(clientId));
}

void GitHubSignIn::fetchProfile(QNetworkAccessManager &network, const QString &code, std::function<void(Result<SignInProfile>)> done) const
{
    QNetworkRequest tokenRequest(QUrl(webBaseUrl + QStringLiteral("/login/oauth/access_token")));
    tokenRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    tokenRequest.setRawHeader("Accept", "application/json");
    tokenRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    tokenRequest.setTransferTimeout(TimeoutMs);
    QUrlQuery form;
    for (const auto &[name, value] : {std::pair{"client_id", clientId}, std::pair{"client_secret", clientSecret},
                                      std::pair{"code", code}, std::pair{"redirect_uri", callbackUrl}})
        form.addQueryItem(QLatin1String(name), QString::fromLatin1(QUrl::toPercentEncoding(value)));
    QNetworkReply *reply = network.post(tokenRequest, form.query(QUrl::FullyEncoded).toLatin1());
    const QString userUrl = apiBaseUrl + QStringLiteral("/user");
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, &network, userUrl, done]() {
        reply->deleteLater();
        auto answer = jsonAnswer(reply, QStringLiteral("access token"));
        if (!answer)
            return done(answer.error());
        // GitHub answers a refused code with 200 and an `error`.
        if (answer->contains(QLatin1String("error")))
            return done(signInError(answer->value(QLatin1String("error_description")).toString(answer->value(QLatin1String("error")).toString())));
        const QString token = answer->value(QLatin1String("access_token")).toString();
        if (token.isEmpty())
            return done(signInError(QStringLiteral("access token: none in the answer")));
        QNetworkRequest userRequest{QUrl(userUrl)};
        userRequest.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        userRequest.setRawHeader("Accept", "application/vnd.github+json");
        userRequest.setTransferTimeout(TimeoutMs);
        QNetworkReply *user = network.get(userRequest);
        QObject::connect(user, &QNetworkReply::finished, user, [user, done]() {
            user->deleteLater();
            auto account = jsonAnswer(user, QStringLiteral("user profile"));
            if (!account)
                return done(account.error());
            SignInProfile profile;
            profile.username = account->value(QLatin1String("login")).toString();
            profile.nodeId = account->value(QLatin1String("node_id")).toString();
            profile.email = account->value(QLatin1String("email")).toString();
            profile.displayName = account->value(QLatin1String("name")).toString(profile.username);
            done(profile);
        });
    });
}

} // namespace Greenroom::Auth
