// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githuborgreader.h"

#include <model/annotations.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace Greenroom::Ingest {

namespace {

// The operations upstream sends (plugin-catalog-backend-module-github's
// lib/github), field for field: GitHub's answers are shaped by them.
QString usersQuery(bool withSuspendedAt)
{
    return QStringLiteral(
               "query users($org: String!, $email: Boolean!, $cursor: String, $organizationMembersPageSize: Int!) {\n"
               "  organization(login: $org) {\n"
               "    membersWithRole(first: $organizationMembersPageSize, after: $cursor) {\n"
               "      pageInfo { hasNextPage, endCursor }\n"
               "      nodes { avatarUrl, bio, email @include(if: $email), id, login, name, %1organizationVerifiedDomainEmails(login: $org) }\n"
               "    }\n"
               "  }\n"
               "}")
        .arg(withSuspendedAt ? QStringLiteral("suspendedAt, ") : QString());
}

const QString TeamsQuery = QStringLiteral(
    "query teams($org: String!, $cursor: String, $teamsPageSize: Int!, $membersPageSize: Int!) {\n"
    "  organization(login: $org) {\n"
    "    teams(first: $teamsPageSize, after: $cursor) {\n"
    "      pageInfo { hasNextPage, endCursor }\n"
    "      nodes {\n"
    "        slug combinedSlug name description avatarUrl editTeamUrl\n"
    "        parentTeam { slug }\n"
    "        members(first: $membersPageSize, membership: IMMEDIATE) {\n"
    "          pageInfo { hasNextPage }\n"
    "          nodes { avatarUrl, bio, email, id, login, name, organizationVerifiedDomainEmails(login: $org) }\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}");

const QString MembersQuery = QStringLiteral(
    "query members($org: String!, $teamSlug: String!, $cursor: String, $membersPageSize: Int!) {\n"
    "  organization(login: $org) {\n"
    "    team(slug: $teamSlug) {\n"
    "      members(first: $membersPageSize, after: $cursor, membership: IMMEDIATE) {\n"
    "        pageInfo { hasNextPage, endCursor }\n"
    "        nodes { login }\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}");

QString text(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

QString userRef(const QString &login)
{
    return QStringLiteral("user:default/") + login.toLower();
}

QJsonObject userEntity(const QJsonObject &node, bool useVerifiedEmails)
{
    const QString login = text(node, "login");
    QJsonObject annotations{{QStringLiteral("github.com/user-login"), login}};
    if (!text(node, "id").isEmpty())
        annotations.insert(QStringLiteral("github.com/user-id"), text(node, "id"));
    QJsonObject metadata{{QStringLiteral("name"), login}, {QStringLiteral("annotations"), annotations}};
    if (!text(node, "bio").isEmpty())
        metadata.insert(QStringLiteral("description"), text(node, "bio"));
    QJsonObject profile;
    if (!text(node, "name").isEmpty())
        profile.insert(QStringLiteral("displayName"), text(node, "name"));
    QString email = text(node, "email");
    const QJsonArray verified = node.value(QLatin1String("organizationVerifiedDomainEmails")).toArray();
    if (useVerifiedEmails && !verified.isEmpty()) {
        static const QRegularExpression plusTag(QStringLiteral("\\+[^@]*"));
        email = verified.first().toString().replace(plusTag, QString());
    }
    if (!email.isEmpty())
        profile.insert(QStringLiteral("email"), email);
    if (!text(node, "avatarUrl").isEmpty())
        profile.insert(QStringLiteral("picture"), text(node, "avatarUrl"));
    return {{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
            {QStringLiteral("kind"), QStringLiteral("User")},
            {QStringLiteral("metadata"), metadata},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("profile"), profile}, {QStringLiteral("memberOf"), QJsonArray()}}}};
}

QJsonObject teamEntity(const QJsonObject &node, const QJsonArray &members, const QString &org, bool defaultNamespace)
{
    QJsonObject annotations{{QStringLiteral("github.com/team-slug"), text(node, "combinedSlug")}};
    if (!text(node, "editTeamUrl").isEmpty())
        annotations.insert(QStringLiteral("backstage.io/edit-url"), text(node, "editTeamUrl"));
    QJsonObject metadata{{QStringLiteral("name"), text(node, "slug")}, {QStringLiteral("annotations"), annotations}};
    if (!defaultNamespace)
        metadata.insert(QStringLiteral("namespace"), org.toLower());
    if (!text(node, "description").isEmpty())
        metadata.insert(QStringLiteral("description"), text(node, "description"));
    QJsonObject profile;
    if (!text(node, "name").isEmpty())
        profile.insert(QStringLiteral("displayName"), text(node, "name"));
    if (!text(node, "avatarUrl").isEmpty())
        profile.insert(QStringLiteral("picture"), text(node, "avatarUrl"));
    QJsonObject spec{{QStringLiteral("type"), QStringLiteral("team")}, {QStringLiteral("profile"), profile},
                     {QStringLiteral("children"), QJsonArray()}};
    const QString parent = node.value(QLatin1String("parentTeam")).toObject().value(QLatin1String("slug")).toString();
    if (!parent.isEmpty())
        spec.insert(QStringLiteral("parent"), parent);
    QJsonArray memberRefs;
    for (const QJsonValue &member : members)
        memberRefs.append(QStringLiteral("default/") + member.toObject().value(QLatin1String("login")).toString());
    spec.insert(QStringLiteral("members"), memberRefs);
    return {{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
            {QStringLiteral("kind"), QStringLiteral("Group")},
            {QStringLiteral("metadata"), metadata},
            {QStringLiteral("spec"), spec}};
}

QJsonObject spec(const QJsonObject &entity)
{
    return entity.value(QLatin1String("spec")).toObject();
}

void setSpec(QJsonObject &entity, const QString &key, const QJsonValue &value)
{
    QJsonObject s = spec(entity);
    s.insert(key, value);
    entity.insert(QStringLiteral("spec"), s);
}

QString nameOf(const QJsonObject &entity)
{
    return entity.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
}

// Parents name their children and children their parent, both ways (upstream's buildOrgHierarchy).
void buildHierarchy(QList<QJsonObject> &groups)
{
    QHash<QString, qsizetype> byName;
    for (qsizetype i = 0; i < groups.size(); ++i)
        byName.insert(nameOf(groups[i]), i);
    for (const QJsonObject &group : std::as_const(groups)) {
        const QString parentName = spec(group).value(QLatin1String("parent")).toString();
        const auto parent = byName.constFind(parentName);
        if (parentName.isEmpty() || parent == byName.cend())
            continue;
        QJsonArray children = spec(groups[*parent]).value(QLatin1String("children")).toArray();
        if (!children.contains(nameOf(group))) {
            children.append(nameOf(group));
            setSpec(groups[*parent], QStringLiteral("children"), children);
        }
    }
    for (const QJsonObject &group : std::as_const(groups)) {
        for (const QJsonValue &child : spec(group).value(QLatin1String("children")).toArray()) {
            const auto found = byName.constFind(child.toString());
            if (found != byName.cend() && spec(groups[*found]).value(QLatin1String("parent")).toString().isEmpty())
                setSpec(groups[*found], QStringLiteral("parent"), nameOf(group));
        }
    }
}

// Each user's memberOf gets the groups listing them (upstream's assignGroupsToUsers).
void assignGroups(QList<QJsonObject> &users, const QHash<QString, qsizetype> &userIndex, const QList<QJsonObject> &groups)
{
    for (const QJsonObject &group : groups) {
        const QString ns = group.value(QLatin1String("metadata")).toObject().value(QLatin1String("namespace")).toString();
        const QString key = ns.isEmpty() || ns == QLatin1String("default") ? nameOf(group) : ns + QLatin1Char('/') + nameOf(group);
        for (const QJsonValue &member : spec(group).value(QLatin1String("members")).toArray()) {
            const QString login = member.toString().section(QLatin1Char('/'), -1);
            const auto user = userIndex.constFind(userRef(login));
            if (user == userIndex.cend())
                continue;
            QJsonArray memberOf = spec(users[*user]).value(QLatin1String("memberOf")).toArray();
            if (!memberOf.contains(key)) {
                memberOf.append(key);
                setSpec(users[*user], QStringLiteral("memberOf"), memberOf);
            }
        }
    }
}

// backstage.io/managed-by-location and -origin-location, on https://<host> (upstream's withLocations).
QJsonObject withLocations(QJsonObject entity, const QString &host)
{
    QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    QString location;
    if (entity.value(QLatin1String("kind")).toString() == QLatin1String("Group")) {
        const QString slug = annotations.value(QLatin1String("github.com/team-slug")).toString();
        QString org = metadata.value(QLatin1String("namespace")).toString();
        QString team = nameOf(entity);
        if (!slug.isEmpty()) {
            org = slug.section(QLatin1Char('/'), 0, 0);
            team = slug.section(QLatin1Char('/'), 1);
        }
        location = QStringLiteral("url:https://%1/orgs/%2/teams/%3").arg(host, org, team);
    } else {
        QString login = annotations.value(QLatin1String("github.com/user-login")).toString();
        if (login.isEmpty())
            login = nameOf(entity);
        location = QStringLiteral("url:https://%1/%2").arg(host, login);
    }
    // The entity's own annotations win, as lodash.merge lets them.
    if (!annotations.contains(Model::Annotations::ManagedByLocation))
        annotations.insert(Model::Annotations::ManagedByLocation, location);
    if (!annotations.contains(Model::Annotations::ManagedByOriginLocation))
        annotations.insert(Model::Annotations::ManagedByOriginLocation, location);
    metadata.insert(QStringLiteral("annotations"), annotations);
    entity.insert(QStringLiteral("metadata"), metadata);
    return entity;
}

} // namespace

Result<QJsonArray> queryAllPages(GitHubClient &client, const QString &owner, const QString &query, QJsonObject variables,
                                 const std::function<QJsonObject(const QJsonObject &data)> &connection)
{
    QJsonArray nodes;
    const QJsonObject asked = variables;
    constexpr int MaxPages = 1000;   // as upstream's queryWithPaging
    for (int page = 0; page < MaxPages; ++page) {
        auto data = client.graphql(owner, query, variables);
        if (!data)
            return data.error();
        const QJsonObject found = connection(data.value());
        if (found.isEmpty())
            return Error(QStringLiteral("NotFoundError"),
                         QStringLiteral("Found no match for %1").arg(QString::fromUtf8(QJsonDocument(asked).toJson(QJsonDocument::Compact))));
        for (const QJsonValue &node : found.value(QLatin1String("nodes")).toArray())
            nodes.append(node);
        const QJsonObject pageInfo = found.value(QLatin1String("pageInfo")).toObject();
        if (!pageInfo.value(QLatin1String("hasNextPage")).toBool())
            break;
        variables.insert(QStringLiteral("cursor"), pageInfo.value(QLatin1String("endCursor")));
    }
    return nodes;
}

GitHubOrgReader::GitHubOrgReader(GitHubOrgProviderConfig config, bool alwaysUseDefaultNamespace)
    : m_config(std::move(config)), m_alwaysUseDefaultNamespace(alwaysUseDefaultNamespace)
{
}

QString GitHubOrgReader::providerName() const
{
    return QStringLiteral("GithubMultiOrgEntityProvider:") + m_config.id;
}

Result<QStringList> GitHubOrgReader::organisations(GitHubClient &client) const
{
    if (!m_config.orgs.isEmpty())
        return m_config.orgs;
    if (!client.integration().appTokens)
        return QStringList();   // no App: nothing to list, as upstream's GithubAppCredentialsMux finds nothing
    return client.integration().appTokens->installedOrganisations();
}

Result<QList<QJsonObject>> GitHubOrgReader::users(GitHubClient &client, const QString &org, const QString &tokenType) const
{
    auto nodes = queryAllPages(client, org, usersQuery(m_config.excludeSuspendedUsers),
                               {{QStringLiteral("org"), org},
                                {QStringLiteral("email"), tokenType == QLatin1String("token")},
                                {QStringLiteral("organizationMembersPageSize"), m_config.organizationMembersPageSize}},
                               [](const QJsonObject &data) {
                                   return data.value(QLatin1String("organization")).toObject().value(QLatin1String("membersWithRole")).toObject();
                               });
    if (!nodes)
        return nodes.error();
    QList<QJsonObject> users;
    for (const QJsonValue &node : nodes.value()) {
        const QJsonObject user = node.toObject();
        if (m_config.excludeSuspendedUsers && !user.value(QLatin1String("suspendedAt")).toString().isEmpty())
            continue;
        users.append(userEntity(user, m_config.useVerifiedEmails));
    }
    return users;
}

Result<QJsonArray> GitHubOrgReader::teamMembers(GitHubClient &client, const QString &org, const QString &slug) const
{
    return queryAllPages(client, org, MembersQuery,
                         {{QStringLiteral("org"), org}, {QStringLiteral("teamSlug"), slug},
                          {QStringLiteral("membersPageSize"), m_config.teamMembersPageSize}},
                         [](const QJsonObject &data) {
                             return data.value(QLatin1String("organization")).toObject().value(QLatin1String("team")).toObject()
                                 .value(QLatin1String("members")).toObject();
                         });
}

Result<QList<QJsonObject>> GitHubOrgReader::teams(GitHubClient &client, const QString &org) const
{
    auto nodes = queryAllPages(client, org, TeamsQuery,
                               {{QStringLiteral("org"), org}, {QStringLiteral("teamsPageSize"), m_config.teamsPageSize},
                                {QStringLiteral("membersPageSize"), m_config.teamMembersPageSize}},
                               [](const QJsonObject &data) {
                                   return data.value(QLatin1String("organization")).toObject().value(QLatin1String("teams")).toObject();
                               });
    if (!nodes)
        return nodes.error();
    QList<QJsonObject> teams;
    for (const QJsonValue &value : nodes.value()) {
        const QJsonObject node = value.toObject();
        const QJsonObject members = node.value(QLatin1String("members")).toObject();
        QJsonArray memberNodes = members.value(QLatin1String("nodes")).toArray();
        if (members.value(QLatin1String("pageInfo")).toObject().value(QLatin1String("hasNextPage")).toBool()) {
            // More members than the first page: the team's own query, paged.
            auto all = teamMembers(client, org, text(node, "slug"));
            if (!all)
                return all.error();
            memberNodes = all.value();
        }
        teams.append(teamEntity(node, memberNodes, org, m_alwaysUseDefaultNamespace));
    }
    return teams;
}

Result<QList<QJsonObject>> GitHubOrgReader::read(GitHubClient &client) const
{
    auto orgs = organisations(client);
    if (!orgs)
        return orgs.error();
    QList<QJsonObject> allUsers;
    QHash<QString, qsizetype> userIndex;   // by ref: a member of several organisations is one User
    QList<QJsonObject> allTeams;
    for (const QString &org : std::as_const(orgs.value())) {
        auto credential = client.credentialFor(org);
        if (!credential)
            return credential.error();
        if (credential->token.isEmpty())
            return Error::internal(QStringLiteral("No GitHub credentials available for org '%1'. Aborting ingestion to prevent silent deletion "
                                                  "of existing entities. See https://backstage.io/docs/integrations/github/github-apps/"
                                                  "#troubleshooting for more information.").arg(org));
        auto users = this->users(client, org, credential->type);
        if (!users)
            return users.error();
        auto teams = this->teams(client, org);
        if (!teams)
            return teams.error();
        for (const QJsonObject &user : std::as_const(users.value())) {
            const QString ref = userRef(nameOf(user));
            if (!userIndex.contains(ref)) {
                userIndex.insert(ref, allUsers.size());
                allUsers.append(user);
            }
        }
        buildHierarchy(teams.value());
        assignGroups(allUsers, userIndex, teams.value());
        allTeams.append(teams.value());
    }
    const QString host = client.integration().host;
    QList<QJsonObject> entities;
    for (const QJsonObject &entity : std::as_const(allUsers))
        entities.append(withLocations(entity, host));
    for (const QJsonObject &entity : std::as_const(allTeams))
        entities.append(withLocations(entity, host));
    // Upstream's order: name, then location, kind, namespace.
    const auto key = [](const QJsonObject &entity) {
        const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
        return std::tuple(metadata.value(QLatin1String("name")).toString(),
                          metadata.value(QLatin1String("annotations")).toObject().value(Model::Annotations::ManagedByLocation).toString(),
                          entity.value(QLatin1String("kind")).toString(), metadata.value(QLatin1String("namespace")).toString());
    };
    std::stable_sort(entities.begin(), entities.end(), [&key](const QJsonObject &a, const QJsonObject &b) { return key(a) < key(b); });
    return entities;
}

} // namespace Greenroom::Ingest
