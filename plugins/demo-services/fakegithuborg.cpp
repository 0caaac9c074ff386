// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fakegithuborg.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>

namespace Greenroom::DemoServices {

namespace {

QJsonObject message(const QString &text)
{
    return {{QStringLiteral("message"), text}, {QStringLiteral("documentation_url"), QStringLiteral("https://docs.github.com/rest")}};
}

QString bearer(const QByteArray &authorization)
{
    for (const QByteArray &scheme : {QByteArrayLiteral("token "), QByteArrayLiteral("Bearer ")}) {
        if (authorization.startsWith(scheme))
            return QString::fromUtf8(authorization.mid(scheme.size()));
    }
    return {};
}

bool names(const QString &query, const QString &field)
{
    return QRegularExpression(QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(field))).match(query).hasMatch();
}

QString cursorAt(qsizetype offset)
{
    return QString::fromLatin1(QByteArray("cursor:v2:" + QByteArray::number(offset)).toBase64());
}

qsizetype offsetOf(const QJsonValue &cursor)
{
    if (!cursor.isString())
        return 0;
    const QByteArray text = QByteArray::fromBase64(cursor.toString().toLatin1());
    return text.startsWith("cursor:v2:") ? text.mid(10).toLongLong() : 0;
}

// A page of `all` as a GraphQL connection.
QJsonObject connection(const QJsonArray &all, const QJsonObject &variables, const QString &sizeVariable, bool withEndCursor = true)
{
    const qsizetype first = qsizetype(variables.value(sizeVariable).toInt(100));
    const qsizetype from = offsetOf(variables.value(QLatin1String("cursor")));
    QJsonArray nodes;
    for (qsizetype i = from; i < std::min<qsizetype>(all.size(), from + first); ++i)
        nodes.append(all.at(i));
    QJsonObject pageInfo{{QStringLiteral("hasNextPage"), from + first < all.size()}};
    if (withEndCursor)
        pageInfo.insert(QStringLiteral("endCursor"), nodes.isEmpty() ? QJsonValue() : QJsonValue(cursorAt(from + nodes.size())));
    return {{QStringLiteral("pageInfo"), pageInfo}, {QStringLiteral("nodes"), nodes}};
}

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QString text(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

QStringList strings(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

} // namespace

FakeGitHubOrg::FakeGitHubOrg(QStringList tokens)
{
    for (const QString &token : tokens)
        m_tokens.insert(token);
    m_reset = QDateTime::currentSecsSinceEpoch() + 3600;
}

FakeGitHubOrg::Organisation *FakeGitHubOrg::organisation(const QString &login)
{
    const auto found = m_organisations.find(login.toLower());
    return found == m_organisations.end() ? nullptr : &*found;
}

void FakeGitHubOrg::setQuota(int remaining, qint64 reset)
{
    m_remaining = remaining;
    m_reset = reset;
}

void FakeGitHubOrg::refuseWithSecondaryLimit(int count, int retryAfterSeconds)
{
    m_secondaryLeft = count;
    m_retryAfter = retryAfterSeconds;
}

void FakeGitHubOrg::load(const QJsonObject &data)
{
    for (const QJsonValue &value : data.value(QLatin1String("organisations")).toArray()) {
        const QJsonObject org = value.toObject();
        Organisation organisation{text(org, "login"), {}, {}, {}};
        for (const QJsonValue &item : org.value(QLatin1String("members")).toArray()) {
            const QJsonObject m = item.toObject();
            organisation.members.append({text(m, "login"), text(m, "id"), text(m, "name"), text(m, "bio"), text(m, "email"),
                                         text(m, "avatarUrl"), strings(m.value(QLatin1String("verifiedEmails")))});
        }
        for (const QJsonValue &item : org.value(QLatin1String("teams")).toArray()) {
            const QJsonObject t = item.toObject();
            organisation.teams.append({text(t, "slug"), text(t, "name"), text(t, "description"), text(t, "parent"),
                                       strings(t.value(QLatin1String("members")))});
        }
        for (const QJsonValue &item : org.value(QLatin1String("repositories")).toArray()) {
            const QJsonObject r = item.toObject();
            Repository repository;
            repository.name = text(r, "name");
            if (r.contains(QLatin1String("visibility")))
                repository.visibility = text(r, "visibility");
            repository.archived = r.value(QLatin1String("archived")).toBool();
            repository.fork = r.value(QLatin1String("fork")).toBool();
            repository.topics = strings(r.value(QLatin1String("topics")));
            if (r.contains(QLatin1String("defaultBranch")))
                repository.defaultBranch = text(r, "defaultBranch");
            const QJsonObject files = r.value(QLatin1String("files")).toObject();
            for (auto file = files.begin(); file != files.end(); ++file)
                repository.files.insert(repository.defaultBranch + QLatin1Char(':') + file.key(), file.value().toString().toUtf8());
            organisation.repositories.append(repository);
        }
        addOrganisation(organisation);
    }
}

QString FakeGitHubOrg::repositoryUrl(const QString &org, const QString &name) const
{
    return m_webBase + QLatin1Char('/') + org + QLatin1Char('/') + name;
}

FakeAnswer FakeGitHubOrg::withQuota(FakeAnswer answer, bool graphql) const
{
    answer.headers.append({QByteArrayLiteral("x-ratelimit-limit"), QByteArray::number(m_quotaLimit)});
    answer.headers.append({QByteArrayLiteral("x-ratelimit-remaining"), QByteArray::number(std::max(m_remaining, 0))});
    answer.headers.append({QByteArrayLiteral("x-ratelimit-reset"), QByteArray::number(m_reset)});
    answer.headers.append({QByteArrayLiteral("x-ratelimit-used"), QByteArray::number(m_quotaLimit - std::max(m_remaining, 0))});
    answer.headers.append({QByteArrayLiteral("x-ratelimit-resource"), graphql ? QByteArrayLiteral("graphql") : QByteArrayLiteral("core")});
    return answer;
}

std::optional<FakeAnswer> FakeGitHubOrg::refusal(const QByteArray &authorization, bool graphql)
{
    if (!m_tokens.contains(bearer(authorization)))
        return FakeAnswer::json(401, message(QStringLiteral("Bad credentials")));
    if (m_secondaryLeft > 0) {
        --m_secondaryLeft;
        ++m_counters.rateLimited;
        FakeAnswer refused = FakeAnswer::json(403, message(QStringLiteral("You have exceeded a secondary rate limit. Please wait a few minutes "
                                                                          "before you try again.")));
        refused.headers.append({QByteArrayLiteral("retry-after"), QByteArray::number(m_retryAfter)});
        return refused;
    }
    if (m_remaining <= 0) {
        ++m_counters.rateLimited;
        const QString text = QStringLiteral("API rate limit exceeded for user ID 1.");
        if (graphql)
            return withQuota(FakeAnswer::json(200, QJsonObject{{QStringLiteral("errors"),
                                                                 QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("RATE_LIMITED")},
                                                                                        {QStringLiteral("message"), text}}}}}),
                             true);
        return withQuota(FakeAnswer::json(403, message(text)), false);
    }
    return std::nullopt;
}

FakeAnswer FakeGitHubOrg::conditional(const QByteArray &body, const QByteArray &contentType, const QByteArray &ifNoneMatch, bool graphql)
{
    const QByteArray etag = "W/\"" + QCryptographicHash::hash(body, QCryptographicHash::Sha1).toHex() + '"';
    if (!ifNoneMatch.isEmpty() && ifNoneMatch == etag) {
        ++m_counters.notModified;   // GitHub does not count these against the quota
        FakeAnswer unchanged{304, QByteArray(), contentType};
        unchanged.headers.append({QByteArrayLiteral("ETag"), etag});
        return withQuota(unchanged, graphql);
    }
    --m_remaining;
    FakeAnswer answer{200, body, contentType};
    answer.headers.append({QByteArrayLiteral("ETag"), etag});
    return withQuota(answer, graphql);
}

QJsonObject FakeGitHubOrg::graphqlData(const QString &operation, const QString &query, const QJsonObject &variables, QJsonArray &errors) const
{
    const bool repositories = operation == QLatin1String("repositories");
    const QString login = variables.value(QLatin1String("org")).toString();
    const QString root = repositories ? QStringLiteral("repositoryOwner") : QStringLiteral("organization");
    const auto found = m_organisations.constFind(login.toLower());
    if (found == m_organisations.cend()) {
        errors.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("NOT_FOUND")},
                                  {QStringLiteral("path"), QJsonArray{root}},
                                  {QStringLiteral("message"), QStringLiteral("Could not resolve to %1 with the login of '%2'.")
                                                                  .arg(repositories ? QStringLiteral("a User") : QStringLiteral("an Organization"), login)}});
        return {{root, QJsonValue()}};
    }
    const Organisation &org = *found;
    const bool withEmail = !query.contains(QLatin1String("@include(if: $email)")) || variables.value(QLatin1String("email")).toBool();
    const auto memberNode = [&](const Member &member) {
        QJsonObject node{{QStringLiteral("login"), member.login}};
        const std::pair<QString, QString> fields[] = {{QStringLiteral("avatarUrl"), member.avatarUrl}, {QStringLiteral("bio"), member.bio},
                                                      {QStringLiteral("id"), member.id}, {QStringLiteral("name"), member.name}};
        for (const auto &[field, value] : fields) {
            if (names(query, field))
                node.insert(field, orNull(value));
        }
        if (names(query, QStringLiteral("email")) && withEmail)
            node.insert(QStringLiteral("email"), member.email);   // GitHub answers "" for no public email
        if (names(query, QStringLiteral("suspendedAt")))
            node.insert(QStringLiteral("suspendedAt"), QJsonValue());
        if (names(query, QStringLiteral("organizationVerifiedDomainEmails")))
            node.insert(QStringLiteral("organizationVerifiedDomainEmails"), QJsonArray::fromStringList(member.verifiedEmails));
        return node;
    };
    const auto memberByLogin = [&](const QString &memberLogin) {
        for (const Member &member : org.members) {
            if (member.login.compare(memberLogin, Qt::CaseInsensitive) == 0)
                return member;
        }
        return Member{memberLogin, {}, {}, {}, {}, {}, {}};
    };
    if (operation == QLatin1String("users")) {
        QJsonArray all;
        for (const Member &member : org.members)
            all.append(memberNode(member));
        return {{root, QJsonObject{{QStringLiteral("membersWithRole"), connection(all, variables, QStringLiteral("organizationMembersPageSize"))}}}};
    }
    if (operation == QLatin1String("teams")) {
        QJsonArray all;
        for (const Team &team : org.teams) {
            QJsonArray members;
            for (const QString &memberLogin : team.members)
                members.append(memberNode(memberByLogin(memberLogin)));
            QJsonObject membersPage = connection(members, QJsonObject{{QStringLiteral("first"), variables.value(QLatin1String("membersPageSize"))}},
                                                 QStringLiteral("first"), false);
            all.append(QJsonObject{{QStringLiteral("slug"), team.slug},
                                   {QStringLiteral("combinedSlug"), org.login + QLatin1Char('/') + team.slug},
                                   {QStringLiteral("name"), team.name},
                                   {QStringLiteral("description"), orNull(team.description)},
                                   {QStringLiteral("avatarUrl"), QJsonValue()},
                                   {QStringLiteral("editTeamUrl"), QStringLiteral("%1/orgs/%2/teams/%3/edit").arg(m_webBase, org.login, team.slug)},
                                   {QStringLiteral("parentTeam"), team.parent.isEmpty() ? QJsonValue() : QJsonValue(QJsonObject{{QStringLiteral("slug"), team.parent}})},
                                   {QStringLiteral("members"), membersPage}});
        }
        return {{root, QJsonObject{{QStringLiteral("teams"), connection(all, variables, QStringLiteral("teamsPageSize"))}}}};
    }
    if (operation == QLatin1String("members")) {
        const QString slug = variables.value(QLatin1String("teamSlug")).toString();
        for (const Team &team : org.teams) {
            if (team.slug != slug)
                continue;
            QJsonArray members;
            for (const QString &memberLogin : team.members)
                members.append(QJsonObject{{QStringLiteral("login"), memberLogin}});
            return {{root, QJsonObject{{QStringLiteral("team"), QJsonObject{{QStringLiteral("members"),
                                                                              connection(members, variables, QStringLiteral("membersPageSize"))}}}}}};
        }
        return {{root, QJsonObject{{QStringLiteral("team"), QJsonValue()}}}};
    }
    if (repositories) {
        const QString pathRef = variables.value(QLatin1String("catalogPathRef")).toString();
        QJsonArray all;
        for (const Repository &repository : org.repositories) {
            QString branch = pathRef.section(QLatin1Char(':'), 0, 0);
            if (branch == QLatin1String("HEAD"))
                branch = repository.defaultBranch;
            const QString key = branch + QLatin1Char(':') + pathRef.section(QLatin1Char(':'), 1);
            QJsonValue file;
            if (repository.files.contains(key))
                file = QJsonObject{{QStringLiteral("__typename"), QStringLiteral("Blob")},
                                   {QStringLiteral("id"), QString::fromLatin1(QCryptographicHash::hash(repository.files.value(key), QCryptographicHash::Sha1).toHex())},
                                   {QStringLiteral("text"), QString::fromUtf8(repository.files.value(key))}};
            QJsonArray topics;
            for (const QString &topic : repository.topics)
                topics.append(QJsonObject{{QStringLiteral("topic"), QJsonObject{{QStringLiteral("name"), topic}}}});
            all.append(QJsonObject{{QStringLiteral("name"), repository.name},
                                   {QStringLiteral("catalogInfoFile"), file},
                                   {QStringLiteral("url"), repositoryUrl(org.login, repository.name)},
                                   {QStringLiteral("isArchived"), repository.archived},
                                   {QStringLiteral("isFork"), repository.fork},
                                   {QStringLiteral("visibility"), repository.visibility},
                                   {QStringLiteral("repositoryTopics"), QJsonObject{{QStringLiteral("nodes"), topics}}},
                                   {QStringLiteral("defaultBranchRef"), repository.defaultBranch.isEmpty() ? QJsonValue()
                                                                        : QJsonValue(QJsonObject{{QStringLiteral("name"), repository.defaultBranch}})}});
        }
        return {{root, QJsonObject{{QStringLiteral("login"), org.login},
                                   {QStringLiteral("repositories"), connection(all, variables, QStringLiteral("repositoriesPageSize"))}}}};
    }
    errors.append(QJsonObject{{QStringLiteral("message"), QStringLiteral("this fake does not answer the operation '%1'").arg(operation)}});
    return {};
}

std::optional<FakeAnswer> FakeGitHubOrg::answerGraphql(const QByteArray &body, const QByteArray &authorization)
{
    if (auto refused = refusal(authorization, true))
        return refused;
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    const QString query = request.value(QLatin1String("query")).toString();
    static const QRegularExpression operationName(QStringLiteral("^\\s*query\\s+(\\w+)"));
    const QString operation = operationName.match(query).captured(1);
    ++m_counters.graphql[operation];
    --m_remaining;
    QJsonArray errors;
    const QJsonObject data = graphqlData(operation, query, request.value(QLatin1String("variables")).toObject(), errors);
    QJsonObject reply{{QStringLiteral("data"), data}};
    if (!errors.isEmpty())
        reply.insert(QStringLiteral("errors"), errors);
    return withQuota(FakeAnswer::json(200, reply), true);
}

std::optional<FakeAnswer> FakeGitHubOrg::answerRest(const FakeRequest &request, const QByteArray &authorization, const QByteArray &ifNoneMatch)
{
    const QStringList &parts = request.parts;
    if (parts.size() >= 2 && parts[0] == QLatin1String("app") && parts[1] == QLatin1String("installations")) {
        // An App's own calls: its JWT, not a token.
        const QByteArray jwt = authorization.startsWith("Bearer ") ? authorization.mid(7) : QByteArray();
        const QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(jwt.split('.').value(1), QByteArray::Base64UrlEncoding)).object();
        const qint64 appId = claims.value(QLatin1String("iss")).toInteger();
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const bool valid = jwt.count('.') == 2 && claims.value(QLatin1String("exp")).toInteger() > now
                           && claims.value(QLatin1String("iat")).toInteger() <= now && (!m_verifyJwt || m_verifyJwt(jwt, appId));
        if (!valid)
            return FakeAnswer::json(401, message(QStringLiteral("A JSON web token could not be decoded")));
        if (request.method == "GET" && parts.size() == 2) {
            QJsonArray installations;
            for (const App &app : std::as_const(m_apps)) {
                if (app.appId != appId)
                    continue;
                installations.append(QJsonObject{{QStringLiteral("id"), app.installationId},
                                                 {QStringLiteral("app_id"), app.appId},
                                                 {QStringLiteral("account"), QJsonObject{{QStringLiteral("login"), app.account},
                                                                                         {QStringLiteral("type"), QStringLiteral("Organization")}}},
                                                 {QStringLiteral("target_type"), QStringLiteral("Organization")},
                                                 {QStringLiteral("suspended_by"), app.suspended ? QJsonValue(QJsonObject{{QStringLiteral("login"), QStringLiteral("admin")}}) : QJsonValue()}});
            }
            return FakeAnswer::json(200, installations);
        }
        if (request.method == "POST" && parts.size() == 4 && parts[3] == QLatin1String("access_tokens")) {
            for (const App &app : std::as_const(m_apps)) {
                if (app.appId != appId || QString::number(app.installationId) != parts[2])
                    continue;
                if (app.suspended)
                    return FakeAnswer::json(403, message(QStringLiteral("This installation has been suspended")));
                const QString token = QStringLiteral("ghs_") + QUuid::createUuid().toString(QUuid::Id128);
                m_tokens.insert(token);
                ++m_counters.tokensIssued;
                return FakeAnswer::json(201, QJsonObject{{QStringLiteral("token"), token},
                                                         {QStringLiteral("expires_at"), QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate)},
                                                         {QStringLiteral("repository_selection"), QStringLiteral("all")}});
            }
            return FakeAnswer::json(404, message(QStringLiteral("Not Found")));
        }
        return std::nullopt;
    }
    if (request.method == "GET" && parts.size() == 3 && parts[0] == QLatin1String("orgs") && parts[2] == QLatin1String("repos")) {
        const auto found = m_organisations.constFind(parts[1].toLower());
        if (found == m_organisations.cend())
            return std::nullopt;
        if (auto refused = refusal(authorization, false))
            return refused;
        ++m_counters.rest;
        const int perPage = std::clamp(request.query.queryItemValue(QStringLiteral("per_page")).toInt(), 1, 100);
        const int page = std::max(request.query.queryItemValue(QStringLiteral("page")).toInt(), 1);
        QJsonArray repos;
        const QList<Repository> &all = found->repositories;
        for (qsizetype i = qsizetype(page - 1) * perPage; i < std::min<qsizetype>(all.size(), qsizetype(page) * perPage); ++i) {
            const Repository &r = all.at(i);
            repos.append(QJsonObject{{QStringLiteral("name"), r.name},
                                     {QStringLiteral("full_name"), found->login + QLatin1Char('/') + r.name},
                                     {QStringLiteral("html_url"), repositoryUrl(found->login, r.name)},
                                     {QStringLiteral("private"), r.visibility != QLatin1String("PUBLIC")},
                                     {QStringLiteral("visibility"), r.visibility.toLower()},
                                     {QStringLiteral("fork"), r.fork},
                                     {QStringLiteral("archived"), r.archived},
                                     {QStringLiteral("topics"), QJsonArray::fromStringList(r.topics)},
                                     {QStringLiteral("default_branch"), r.defaultBranch},
                                     {QStringLiteral("pushed_at"), r.pushedAt}});
        }
        FakeAnswer answer = conditional(QJsonDocument(repos).toJson(QJsonDocument::Compact), "application/json; charset=utf-8", ifNoneMatch, false);
        if (qsizetype(page) * perPage < all.size())
            answer.headers.append({QByteArrayLiteral("Link"), QStringLiteral("<%1/orgs/%2/repos?per_page=%3&page=%4>; rel=\"next\"")
                                                                  .arg(m_webBase, found->login).arg(perPage).arg(page + 1).toUtf8()});
        return answer;
    }
    if (request.method == "GET" && parts.size() >= 5 && parts[0] == QLatin1String("repos") && parts[3] == QLatin1String("contents")) {
        Organisation *org = organisation(parts[1]);
        if (!org)
            return std::nullopt;
        for (const Repository &repository : std::as_const(org->repositories)) {
            if (repository.name != parts[2])
                continue;
            if (auto refused = refusal(authorization, false))
                return refused;
            ++m_counters.rest;
            QString ref = request.query.queryItemValue(QStringLiteral("ref"));
            if (ref.isEmpty())
                ref = repository.defaultBranch;
            const QString key = ref + QLatin1Char(':') + parts.mid(4).join(QLatin1Char('/'));
            if (!repository.files.contains(key)) {
                --m_remaining;
                return withQuota(FakeAnswer::json(404, message(QStringLiteral("Not Found"))), false);
            }
            return conditional(repository.files.value(key), "application/vnd.github.v3.raw", ifNoneMatch, false);
        }
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace Greenroom::DemoServices
