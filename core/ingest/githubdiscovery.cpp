// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubdiscovery.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace Greenroom::Ingest {

namespace {

// The operation upstream sends (lib/github's getOrganizationRepositories), field for field.
const QString RepositoriesQuery = QStringLiteral(
    "query repositories($org: String!, $catalogPathRef: String!, $cursor: String, $repositoriesPageSize: Int!) {\n"
    "  repositoryOwner(login: $org) {\n"
    "    login\n"
    "    repositories(first: $repositoriesPageSize, after: $cursor) {\n"
    "      nodes {\n"
    "        name\n"
    "        catalogInfoFile: object(expression: $catalogPathRef) { __typename ... on Blob { id text } }\n"
    "        url isArchived isFork visibility\n"
    "        repositoryTopics(first: 100) { nodes { ... on RepositoryTopic { topic { name } } } }\n"
    "        defaultBranchRef { name }\n"
    "      }\n"
    "      pageInfo { hasNextPage endCursor }\n"
    "    }\n"
    "  }\n"
    "}");

QString withoutLeadingSlash(const QString &path)
{
    return path.startsWith(QLatin1Char('/')) ? path.mid(1) : path;
}

QStringList topicsOf(const QJsonObject &repository)
{
    QStringList topics;
    for (const QJsonValue &node : repository.value(QLatin1String("repositoryTopics")).toObject().value(QLatin1String("nodes")).toArray())
        topics.append(node.toObject().value(QLatin1String("topic")).toObject().value(QLatin1String("name")).toString());
    return topics;
}

bool containsAny(const QStringList &topics, const QStringList &wanted)
{
    for (const QString &topic : topics) {
        if (wanted.contains(topic))
            return true;
    }
    return false;
}

} // namespace

bool satisfiesTopicFilter(const QStringList &topics, const std::optional<QStringList> &include, const std::optional<QStringList> &exclude)
{
    const bool includes = include && !include->isEmpty();
    const bool excludes = exclude && !exclude->isEmpty();
    if (!includes && !excludes)
        return true;
    if (includes && !exclude)
        return containsAny(topics, *include);
    if (!include && excludes)
        return topics.isEmpty() || !containsAny(topics, *exclude);
    if (include && exclude) {
        if (!satisfiesTopicFilter(topics, std::nullopt, exclude))
            return false;
        return satisfiesTopicFilter(topics, include, std::nullopt);
    }
    return true;
}

GitHubDiscovery::GitHubDiscovery(GitHubDiscoveryConfig config) : m_config(std::move(config)) {}

QString GitHubDiscovery::locationTarget(const QJsonObject &repository) const
{
    QString branch = m_config.branch;
    if (branch.isEmpty())
        branch = repository.value(QLatin1String("defaultBranchRef")).toObject().value(QLatin1String("name")).toString();
    if (branch.isEmpty())
        branch = QStringLiteral("-");
    return QStringLiteral("%1/blob/%2/%3").arg(repository.value(QLatin1String("url")).toString(), branch, withoutLeadingSlash(m_config.catalogPath));
}

bool GitHubDiscovery::matchesFilters(const QJsonObject &repository) const
{
    if (!m_config.allowArchived && repository.value(QLatin1String("isArchived")).toBool())
        return false;
    if (m_config.repository && !m_config.repository->match(repository.value(QLatin1String("name")).toString()).hasMatch())
        return false;
    if (!satisfiesTopicFilter(topicsOf(repository), m_config.topicInclude, m_config.topicExclude))
        return false;
    if (!m_config.allowForks && repository.value(QLatin1String("isFork")).toBool())
        return false;
    if (!m_config.visibility.isEmpty()
        && !m_config.visibility.contains(repository.value(QLatin1String("visibility")).toString(), Qt::CaseInsensitive))
        return false;
    return !repository.value(QLatin1String("defaultBranchRef")).toObject().value(QLatin1String("name")).toString().isEmpty();
}

Result<QStringList> GitHubDiscovery::organisations(GitHubClient &client) const
{
    if (!m_config.organization.isEmpty())
        return QStringList{m_config.organization};
    if (!client.integration().appTokens)
        return Error::input(QStringLiteral("catalog.providers.github.%1: app %2 is not among the apps of the GitHub integration for %3")
                                .arg(m_config.id).arg(m_config.app.value_or(0)).arg(m_config.host));
    return client.integration().appTokens->installedOrganisations(m_config.app);
}

bool GitHubDiscovery::repositoriesUnchanged(GitHubClient &client, const QString &org)
{
    bool unchanged = m_lastRepositories.contains(org);
    // Every page is asked for even after a change, so each keeps its ETag for the next run.
    for (int page = 1; page <= 1000; ++page) {
        auto answer = client.get(org, QStringLiteral("/orgs/%1/repos?per_page=100&page=%2")
                                          .arg(QString::fromUtf8(QUrl::toPercentEncoding(org))).arg(page));
        if (!answer || answer->status != 200)
            return false;   // a user account, or no access: the GraphQL query decides
        unchanged = unchanged && answer->notModified;
        if (!answer->link.contains("rel=\"next\""))
            break;
    }
    return unchanged;
}

Result<QList<Model::LocationRef>> GitHubDiscovery::read(GitHubClient &client)
{
    m_unchanged = 0;
    auto orgs = organisations(client);
    if (!orgs)
        return orgs.error();
    const QString branchRef = m_config.branch.isEmpty() ? QStringLiteral("HEAD") : m_config.branch;
    QList<Model::LocationRef> locations;
    QHash<QString, QJsonArray> seen;
    for (const QString &org : std::as_const(orgs.value())) {
        QJsonArray repositories;
        if (repositoriesUnchanged(client, org)) {
            repositories = m_lastRepositories.value(org);
            ++m_unchanged;
        } else {
            auto nodes = queryAllPages(client, org, RepositoriesQuery,
                                       {{QStringLiteral("org"), org},
                                        {QStringLiteral("catalogPathRef"), branchRef + QLatin1Char(':') + withoutLeadingSlash(m_config.catalogPath)},
                                        {QStringLiteral("repositoriesPageSize"), m_config.repositoriesPageSize}},
                                       [](const QJsonObject &data) {
                                           return data.value(QLatin1String("repositoryOwner")).toObject().value(QLatin1String("repositories")).toObject();
                                       });
            if (!nodes)
                return nodes.error();
            // Kept without the files' text: only whether each file is there matters here.
            for (const QJsonValue &value : nodes.value()) {
                QJsonObject repository = value.toObject();
                const QJsonObject file = repository.take(QLatin1String("catalogInfoFile")).toObject();
                repository.insert(QStringLiteral("catalogInfoFilePresent"),
                                  file.value(QLatin1String("__typename")).toString() == QLatin1String("Blob")
                                      && !file.value(QLatin1String("text")).toString().isEmpty());
                repositories.append(repository);
            }
        }
        seen.insert(org, repositories);
        for (const QJsonValue &value : std::as_const(repositories)) {
            const QJsonObject repository = value.toObject();
            if (m_config.validateLocationsExist && !repository.value(QLatin1String("catalogInfoFilePresent")).toBool())
                continue;
            if (matchesFilters(repository))
                locations.append({QStringLiteral("url"), locationTarget(repository), QStringLiteral("optional")});
        }
    }
    m_lastRepositories = seen;   // an organisation no longer read is forgotten
    return locations;
}

} // namespace Greenroom::Ingest
