// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubintegration.h"

namespace Greenroom::Ingest {

QString integrationHost(const QUrl &url)
{
    const QString host = url.host().toLower();
    return url.port() < 0 ? host : host + QLatin1Char(':') + QString::number(url.port());
}

QList<GitHubIntegration> GitHubIntegration::withDefaults(QList<GitHubIntegration> configured)
{
    for (GitHubIntegration &entry : configured) {
        if (entry.host == QLatin1String("github.com")) {
            if (entry.apiBaseUrl.isEmpty())
                entry.apiBaseUrl = QStringLiteral("https://api.github.com");
            if (entry.rawBaseUrl.isEmpty())
                entry.rawBaseUrl = QStringLiteral("https://raw.githubusercontent.com");
        }
        while (entry.apiBaseUrl.endsWith(QLatin1Char('/')))
            entry.apiBaseUrl.chop(1);
        while (entry.rawBaseUrl.endsWith(QLatin1Char('/')))
            entry.rawBaseUrl.chop(1);
        if (!entry.apps.isEmpty() && !entry.appTokens)
            entry.appTokens = std::make_shared<GitHubAppTokens>(entry.apiBaseUrl, entry.apps);
    }
    if (!forHost(configured, QStringLiteral("github.com")))
        configured.append({QStringLiteral("github.com"), QStringLiteral("https://api.github.com"),
                           QStringLiteral("https://raw.githubusercontent.com"), QString(), {}, {}});
    return configured;
}

const GitHubIntegration *GitHubIntegration::forHost(const QList<GitHubIntegration> &integrations, const QString &host)
{
    for (const GitHubIntegration &entry : integrations) {
        if (entry.host.compare(host, Qt::CaseInsensitive) == 0)
            return &entry;
    }
    return nullptr;
}

const GitHubIntegration *GitHubIntegration::forUrl(const QList<GitHubIntegration> &integrations, const QUrl &url)
{
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return nullptr;
    return forHost(integrations, integrationHost(url));
}

Result<GitHubUrl> GitHubUrl::parse(const QUrl &url)
{
    const QStringList segments = url.path(QUrl::FullyDecoded).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    static const QStringList kinds{QStringLiteral("blob"), QStringLiteral("tree"), QStringLiteral("raw")};
    if (segments.size() < 4 || !kinds.contains(segments.at(2)))
        return Error::input(QStringLiteral("Incorrect URL: %1, Error: Invalid GitHub URL or file path").arg(url.toString()));
    return GitHubUrl{segments.at(0), segments.at(1), segments.at(2), segments.at(3), segments.mid(4).join(QLatin1Char('/'))};
}

Result<QUrl> GitHubIntegration::fileFetchUrl(const QUrl &url) const
{
    auto parsed = GitHubUrl::parse(url);
    if (!parsed)
        return parsed.error();
    if (!apiBaseUrl.isEmpty() && (!token.isEmpty() || rawBaseUrl.isEmpty())) {
        QUrl api(apiBaseUrl + QStringLiteral("/repos/%1/%2/contents/%3").arg(parsed->owner, parsed->repo, parsed->path));
        api.setQuery(QStringLiteral("ref=") + QString::fromUtf8(QUrl::toPercentEncoding(parsed->ref)));
        return api;
    }
    if (rawBaseUrl.isEmpty())
        return Error::input(QStringLiteral("No apiBaseUrl or rawBaseUrl configured for the GitHub integration %1").arg(host));
    return QUrl(rawBaseUrl + QStringLiteral("/%1/%2/%3/%4").arg(parsed->owner, parsed->repo, parsed->ref, parsed->path));
}

Result<GitHubIntegration::Credential> GitHubIntegration::credentialFor(const QString &owner) const
{
    if (appTokens) {
        auto appToken = appTokens->tokenFor(owner);
        if (!appToken)
            return appToken.error();
        if (appToken->has_value())
            return Credential{**appToken, QStringLiteral("app")};
    }
    return Credential{token, QStringLiteral("token")};
}

Result<QList<QPair<QByteArray, QByteArray>>> GitHubIntegration::apiHeadersFor(const QString &owner, const QByteArray &scheme) const
{
    auto credential = credentialFor(owner);
    if (!credential)
        return credential.error();
    QList<QPair<QByteArray, QByteArray>> headers{{QByteArrayLiteral("Accept"), QByteArrayLiteral("application/vnd.github+json")},
                                                {QByteArrayLiteral("User-Agent"), QByteArrayLiteral("greenroom")}};
    if (!credential->token.isEmpty())
        headers.append({QByteArrayLiteral("Authorization"), scheme + ' ' + credential->token.toUtf8()});
    return headers;
}

QList<QPair<QByteArray, QByteArray>> GitHubIntegration::apiHeaders() const
{
    QList<QPair<QByteArray, QByteArray>> headers{{QByteArrayLiteral("Accept"), QByteArrayLiteral("application/vnd.github+json")},
                                                {QByteArrayLiteral("User-Agent"), QByteArrayLiteral("greenroom")}};
    if (!token.isEmpty())
        headers.append({QByteArrayLiteral("Authorization"), QByteArrayLiteral("token ") + token.toUtf8()});
    return headers;
}

} // namespace Greenroom::Ingest
