// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <mutex>
#include <optional>

namespace Greenroom::Ingest {

// One entry of integrations.github[].apps.
struct GitHubApp
{
    qint64 appId = 0;
    QString privateKey;   // PEM; "\n" written as two characters is accepted, as upstream accepts it
    QStringList allowedInstallationOwners;   // empty: every installation
};

/*
 * A GitHub integration's Apps, and the installation tokens they hand out,
 * as Backstage's GithubAppManager gets them: the App signs a JWT with its
 * private key (RS256, issued 30 s in the past, valid 10 minutes), lists its
 * installations (GET /app/installations, kept 10 minutes), and asks for an
 * installation's token (POST /app/installations/:id/access_tokens), which
 * is kept per owner until 10 minutes before it expires. An owner outside
 * allowedInstallationOwners gets no App token; a suspended installation is
 * an error. Shared by the copies of an integration and safe to use from
 * several threads at once.
 */
class GitHubAppTokens
{
public:
    // `now`: seconds since the epoch (tests pass their own clock).
    GitHubAppTokens(QString apiBaseUrl, QList<GitHubApp> apps, std::function<qint64()> now = {});

    // An App installation's token for `owner`; nullopt when no App of this
    // integration is installed there (the integration's token is used then).
    Result<std::optional<QString>> tokenFor(const QString &owner);
    // Every installation of the Apps (GitHub's objects: id, account.login, target_type, suspended_by, ...).
    Result<QJsonArray> installations(std::optional<qint64> onlyApp = std::nullopt);
    // The logins of the organisations they are installed on (upstream's getAllInstallations, users' accounts left out).
    Result<QStringList> installedOrganisations(std::optional<qint64> onlyApp = std::nullopt);

    // The App's JSON Web Token at `now`; an InputError naming the App when its key cannot sign.
    static Result<QByteArray> appJwt(const GitHubApp &app, qint64 now);

private:
    struct Installations
    {
        QJsonArray list;
        qint64 fetchedAt = 0;
    };
    struct Token
    {
        QString token;
        qint64 renewAt = 0;
    };
    Result<QJsonArray> installationsOf(const GitHubApp &app);

    QString m_apiBaseUrl;
    QList<GitHubApp> m_apps;
    std::function<qint64()> m_now;
    std::mutex m_mutex;
    QHash<qint64, Installations> m_installations;   // by App id
    QHash<QString, Token> m_tokens;                 // by owner, lower case
};

} // namespace Greenroom::Ingest
