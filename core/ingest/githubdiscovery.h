// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "githubclient.h"
#include "githuborgreader.h"

#include <common/result.h>
#include <model/locationref.h>

#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace Greenroom::Ingest {

// One provider of catalog.providers.github.
struct GitHubDiscoveryConfig
{
    QString id;
    QString organization;
    std::optional<qint64> app;   // or every organisation this App is installed on
    QString host = QStringLiteral("github.com");
    QString catalogPath = QStringLiteral("/catalog-info.yaml");
    std::optional<QRegularExpression> repository;   // anchored (^…$) as upstream anchors it
    QString branch;                                  // empty: each repository's default branch
    bool allowForks = true;
    bool allowArchived = false;
    std::optional<QStringList> topicInclude;
    std::optional<QStringList> topicExclude;
    QStringList visibility;   // empty: any
    bool validateLocationsExist = false;
    int repositoriesPageSize = 25;
    ProviderSchedule schedule{std::chrono::hours(3), std::chrono::hours(1), {}};
};

/*
 * Finds the catalog files of an organisation's repositories, as Backstage's
 * GithubEntityProvider does: the GraphQL operation `repositories` (pages
 * of pageSizes.repositories, 25 by default) with upstream's filters
 * (repository name, topics, forks, visibility, archived, a default branch),
 * each match a `url` location <repo>/blob/<branch>/<catalogPath> with
 * presence optional, owned by github-provider:<id>.
 *
 * Greenroom's addition: before that query, the organisation's repository
 * list is asked for with conditional REST requests (GET /orgs/:org/repos,
 * If-None-Match). When every page answers 304, nothing about the
 * repositories changed and the last answer is used: an unchanged
 * organisation costs no quota. The client must then be the same across
 * runs, as it keeps the ETags.
 */
class GitHubDiscovery
{
public:
    explicit GitHubDiscovery(GitHubDiscoveryConfig config);

    QString providerName() const { return QStringLiteral("github-provider:") + m_config.id; }
    const GitHubDiscoveryConfig &config() const { return m_config; }
    Result<QList<Model::LocationRef>> read(GitHubClient &client);
    // How many organisations the last read took from its conditional requests.
    int unchangedOrganisations() const { return m_unchanged; }

    // The catalog file's URL for a repository as the GraphQL query answers it.
    QString locationTarget(const QJsonObject &repository) const;
    bool matchesFilters(const QJsonObject &repository) const;

private:
    Result<QStringList> organisations(GitHubClient &client) const;
    // True when every page of the organisation's repository list answered 304.
    bool repositoriesUnchanged(GitHubClient &client, const QString &org);

    GitHubDiscoveryConfig m_config;
    QHash<QString, QJsonArray> m_lastRepositories;   // by organisation: the last GraphQL answer's nodes
    int m_unchanged = 0;
};

// Upstream's satisfiesTopicFilter, oddities included (an empty include list with an exclude list, say).
bool satisfiesTopicFilter(const QStringList &topics, const std::optional<QStringList> &include, const std::optional<QStringList> &exclude);

} // namespace Greenroom::Ingest
