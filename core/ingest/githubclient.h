// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "githubintegration.h"
#include "httprequest.h"

#include <common/result.h>

#include <QHash>
#include <QJsonObject>

#include <chrono>
#include <functional>

namespace Greenroom::Ingest {

/*
 * GitHub's API as the catalog's GitHub providers use it: GraphQL queries
 * and REST reads for one owner (organisation), with that owner's
 * credential (an App installation's token, else the integration's token,
 * sent as `Authorization: Bearer`, as upstream sends it).
 *
 * Rate limits are waited out as upstream's Octokit throttling does, at
 * most twice per request: the primary limit (403 or 429 with
 * x-ratelimit-remaining: 0, or a GraphQL RATE_LIMITED error) until
 * x-ratelimit-reset; a secondary limit for retry-after seconds (60 when
 * GitHub gives none). A wait longer than the run may last is not started:
 * the request fails at once with the reason.
 *
 * REST reads are conditional: the ETag of each URL's last 200 is sent as
 * If-None-Match, and a 304 (which GitHub does not count against the quota)
 * answers with the body kept from that 200. One client per provider run
 * pass; the conditional answers live as long as the client's owner keeps it.
 */
class GitHubClient
{
public:
    struct Options
    {
        // Waits (tests record them instead); seconds since the epoch.
        std::function<void(std::chrono::milliseconds)> sleep;
        std::function<qint64()> now;
        // Asked before each request and wait: true ends the run (its timeout passed).
        std::function<bool()> cancelled;
        // The latest moment a wait may end, in seconds since the epoch (0: no bound).
        std::function<qint64()> deadline;
        std::function<void(const QString &)> warn;
        std::chrono::milliseconds timeout = std::chrono::seconds(60);
        int maxRetries = 2;
    };
    struct RestAnswer
    {
        int status = 0;
        QByteArray body;
        QByteArray link;   // the Link header: pages
        bool notModified = false;
    };
    struct Counters
    {
        int requests = 0;      // sent, including retries and 304s
        int notModified = 0;   // answered 304
        int rateLimitWaits = 0;
    };

    GitHubClient(GitHubIntegration integration, Options options);
    GitHubClient(const GitHubClient &) = delete;   // its default sleep refers to it
    GitHubClient &operator=(const GitHubClient &) = delete;

    const GitHubIntegration &integration() const { return m_integration; }
    // {apiBaseUrl}/graphql, or …/api/graphql for GitHub Enterprise's …/api/v3 (as @octokit/graphql derives it).
    QString graphqlUrl() const;

    // The query's `data`; an error names GitHub's message (GraphQL errors included).
    Result<QJsonObject> graphql(const QString &owner, const QString &query, const QJsonObject &variables);
    // GET {apiBaseUrl}{pathAndQuery}, conditional on the last answer's ETag.
    Result<RestAnswer> get(const QString &owner, const QString &pathAndQuery);
    Result<GitHubIntegration::Credential> credentialFor(const QString &owner) const { return m_integration.credentialFor(owner); }

    const Counters &counters() const { return m_counters; }

private:
    struct Kept
    {
        QByteArray etag;
        QByteArray body;
        QByteArray link;
    };
    // Sends `call`, waiting out rate limits; the answer that was not one.
    Result<HttpAnswer> send(HttpCall call);
    // Seconds to wait before trying `answer` again; nullopt when it is no rate limit.
    std::optional<qint64> rateLimitWait(const HttpAnswer &answer, bool *secondary) const;

    GitHubIntegration m_integration;
    Options m_options;
    Counters m_counters;
    QHash<QString, Kept> m_kept;   // by URL
};

} // namespace Greenroom::Ingest
