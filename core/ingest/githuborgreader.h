// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "githubclient.h"

#include <common/result.h>

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <chrono>

namespace Greenroom::Ingest {

// A provider's schedule (schedule.frequency, schedule.timeout, schedule.initialDelay).
struct ProviderSchedule
{
    std::chrono::milliseconds frequency{0};
    std::chrono::milliseconds timeout{0};
    std::chrono::milliseconds initialDelay{0};
};

// One definition of catalog.providers.githubOrg.
struct GitHubOrgProviderConfig
{
    QString id;
    QString githubUrl;   // https://github.com, or a GitHub Enterprise host
    QStringList orgs;    // empty: every organisation an App of the integration is installed on
    ProviderSchedule schedule;
    int teamsPageSize = 25;
    int teamMembersPageSize = 50;
    int organizationMembersPageSize = 50;
    bool excludeSuspendedUsers = false;
    bool useVerifiedEmails = false;   // defaultUserTransformer.useVerifiedEmails
};

/*
 * Reads GitHub organisations' members and teams into User and Group
 * entities, as Backstage's GithubMultiOrgEntityProvider (the one
 * catalog.providers.githubOrg configures) does: the GraphQL queries
 * `users`, `teams` and `members` it sends, paged by endCursor; its default
 * transformers; the team hierarchy (parent and children); memberOf from
 * the teams' immediate members; Groups in a namespace per organisation
 * unless there is exactly one definition with exactly one organisation;
 * location annotations on https://<host>. One read gives the provider's
 * whole set (a full mutation); any failure fails the read, so what was
 * stored before stays.
 */
class GitHubOrgReader
{
public:
    GitHubOrgReader(GitHubOrgProviderConfig config, bool alwaysUseDefaultNamespace);

    // GithubMultiOrgEntityProvider:<id>
    QString providerName() const;
    const GitHubOrgProviderConfig &config() const { return m_config; }
    Result<QList<QJsonObject>> read(GitHubClient &client) const;

private:
    Result<QStringList> organisations(GitHubClient &client) const;
    Result<QList<QJsonObject>> users(GitHubClient &client, const QString &org, const QString &tokenType) const;
    Result<QList<QJsonObject>> teams(GitHubClient &client, const QString &org) const;
    Result<QJsonArray> teamMembers(GitHubClient &client, const QString &org, const QString &slug) const;

    GitHubOrgProviderConfig m_config;
    bool m_alwaysUseDefaultNamespace = false;
};

// Every node of a paged GraphQL connection: `query` is sent with `variables`
// plus `cursor` until pageInfo.hasNextPage is false; `connection` finds the
// connection in each answer's data (an error when it is missing).
Result<QJsonArray> queryAllPages(GitHubClient &client, const QString &owner, const QString &query, QJsonObject variables,
                                 const std::function<QJsonObject(const QJsonObject &data)> &connection);

} // namespace Greenroom::Ingest
