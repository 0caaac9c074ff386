// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "fakeanswer.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>

namespace Greenroom::DemoServices {

/*
 * GitHub organisations as the catalog's GitHub providers read them, answered
 * as GitHub answers:
 *
 *   POST <graphql>  the operations `users`, `teams`, `members` and
 *        `repositories` (and their variables, page sizes and cursors); a
 *        node's fields are those the query names; an unknown organisation
 *        is `null` with GitHub's NOT_FOUND error.
 *   GET  orgs/:org/repos?per_page&page  REST repository objects with an
 *        ETag and a Link header; If-None-Match on an unchanged page: 304.
 *   GET  repos/:o/:r/contents/:path?ref  the raw file (ETag, 304 likewise).
 *   GET  app/installations, POST app/installations/:id/access_tokens  for
 *        a GitHub App, with `Authorization: Bearer <JWT>` (iss = the App's id;
 *        the signature is checked by the test's verifier when set).
 *
 * Every call needs a known token (`token T` or `Bearer T`): a configured one
 * or an installation token it issued. Each answer but a 304 costs one unit
 * of quota; at zero, REST answers 403 and GraphQL a RATE_LIMITED error,
 * both with x-ratelimit-remaining: 0 and x-ratelimit-reset, until the
 * quota is set again. Secondary limits are answered on demand (403 with
 * retry-after).
 */
class FakeGitHubOrg
{
public:
    struct Member
    {
        QString login;
        QString id;   // GraphQL node id
        QString name;
        QString bio;
        QString email;
        QString avatarUrl;
        QStringList verifiedEmails;
    };
    struct Team
    {
        QString slug;
        QString name;
        QString description;
        QString parent;   // slug
        QStringList members;   // logins, immediate members
    };
    struct Repository
    {
        QString name;
        QString visibility = QStringLiteral("PUBLIC");
        bool archived = false;
        bool fork = false;
        QStringList topics;
        QString defaultBranch = QStringLiteral("main");   // empty: an empty repository
        QMap<QString, QByteArray> files;                  // "<branch>:<path>" -> contents
        QString pushedAt = QStringLiteral("2026-11-30T09:00:00Z");
    };
    struct Organisation
    {
        QString login;
        QList<Member> members;
        QList<Team> teams;
        QList<Repository> repositories;
    };
    struct App
    {
        qint64 appId = 0;
        qint64 installationId = 0;
        QString account;   // the organisation it is installed on
        bool suspended = false;
    };
    struct Counters
    {
        QMap<QString, int> graphql;   // by operation
        int rest = 0;
        int notModified = 0;
        int rateLimited = 0;
        int tokensIssued = 0;
    };

    explicit FakeGitHubOrg(QStringList tokens = {});

    // Where its repositories and teams live on the web: https://github.com by default.
    void setWebBase(const QString &base) { m_webBase = base; }
    void addOrganisation(const Organisation &organisation) { m_organisations.insert(organisation.login.toLower(), organisation); }
    Organisation *organisation(const QString &login);
    void addToken(const QString &token) { m_tokens.insert(token); }
    // {"organisations": [{login, members: [...], teams: [...], repositories: [...]}]}, as the demo data writes them.
    void load(const QJsonObject &data);

    void addApp(const App &app) { m_apps.append(app); }
    // Checks an App's JWT (header.payload.signature) with the App's public key; unset: only iss and exp are checked.
    void setJwtVerifier(std::function<bool(const QByteArray &jwt, qint64 appId)> verify) { m_verifyJwt = std::move(verify); }
    // Requests left before the primary limit, and when it resets (epoch seconds).
    void setQuota(int remaining, qint64 reset);
    // The next `count` requests are refused with a secondary limit and retry-after.
    void refuseWithSecondaryLimit(int count, int retryAfterSeconds);
    const Counters &counters() const { return m_counters; }

    std::optional<FakeAnswer> answerGraphql(const QByteArray &body, const QByteArray &authorization);
    // REST requests below the API root; nullopt for what it does not serve.
    std::optional<FakeAnswer> answerRest(const FakeRequest &request, const QByteArray &authorization, const QByteArray &ifNoneMatch);

private:
    std::optional<FakeAnswer> refusal(const QByteArray &authorization, bool graphql);
    FakeAnswer withQuota(FakeAnswer answer, bool graphql) const;
    FakeAnswer conditional(const QByteArray &body, const QByteArray &contentType, const QByteArray &ifNoneMatch, bool graphql);
    QJsonObject graphqlData(const QString &operation, const QString &query, const QJsonObject &variables, QJsonArray &errors) const;
    QString repositoryUrl(const QString &org, const QString &name) const;

    QSet<QString> m_tokens;
    QString m_webBase = QStringLiteral("https://github.com");
    QHash<QString, Organisation> m_organisations;   // by login, lower case
    QList<App> m_apps;
    std::function<bool(const QByteArray &, qint64)> m_verifyJwt;
    int m_quotaLimit = 5000;
    int m_remaining = 5000;
    qint64 m_reset = 0;
    int m_secondaryLeft = 0;
    int m_retryAfter = 0;
    Counters m_counters;
};

} // namespace Greenroom::DemoServices
