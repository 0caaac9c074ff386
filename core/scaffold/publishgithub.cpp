// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// publish:github as Backstage's GitHub module does it, and its two halves
// github:repo:create and github:repo:push: the repository is
// created through GitHub's REST API (under an organisation or the token's
// user, as GET /users/:owner says), access, collaborators, topics and
// Actions variables are set, the workspace is pushed with libgit2 to the
// new repository's clone_url, and the default branch is protected. Settings
// that fail after the repository exists are logged and skipped, as
// upstream skips them; a failure to create or push fails the step.
#include "builtinactions_p.h"
#include "templatelanguage_p.h"

#include <ingest/httprequest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <optional>

namespace Greenroom::Scaffold {

namespace {

class GitHubApi
{
public:
    GitHubApi(const Ingest::GitHubIntegration &integration, QString token) : m_integration(integration)
    {
        m_integration.token = std::move(token);
    }

    struct Answer
    {
        int status = 0;
        QJsonValue body;
        QString message;   // GitHub's message and its errors' messages, for error texts
        bool ok() const { return status >= 200 && status < 300; }
    };

    Result<Answer> call(const QByteArray &method, const QString &path, const QJsonValue &body = QJsonValue(QJsonValue::Undefined)) const
    {
        Ingest::HttpCall request{method, QUrl(m_integration.apiBaseUrl + path), m_integration.apiHeaders(), {}};
        request.maxBytes = 16 * 1024 * 1024;
        if (!body.isUndefined()) {
            request.body = body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                           : QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
            request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        }
        auto answer = Ingest::sendHttpRequest(request);
        if (!answer)
            return answer.error();
        Answer result;
        result.status = answer->status;
        const QJsonDocument document = QJsonDocument::fromJson(answer->body);
        result.body = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
        if (!result.ok()) {
            const QJsonObject error = document.object();
            QStringList parts{error.value(QLatin1String("message")).toString(answer->reason)};
            for (const QJsonValue &detail : error.value(QLatin1String("errors")).toArray()) {
                const QString text = detail.isObject() ? detail[QLatin1String("message")].toString(detail[QLatin1String("code")].toString())
                                                       : detail.toString();
                if (!text.isEmpty())
                    parts.append(text);
            }
            result.message = QStringLiteral("%1 (HTTP %2)").arg(parts.join(QStringLiteral(": "))).arg(result.status);
        }
        return result;
    }

private:
    Ingest::GitHubIntegration m_integration;
};

QString pathSegment(const QString &text)
{
    return QString::fromUtf8(QUrl::toPercentEncoding(text));
}

// "user:default/jane" or "jane" -> "jane", as upstream's entityRefToName.
QString refToName(const QString &ref)
{
    return ref.section(QLatin1Char(':'), -1).section(QLatin1Char('/'), -1);
}

bool flag(const QJsonObject &input, const char *key, bool fallback)
{
    const QJsonValue value = input.value(QLatin1String(key));
    return value.isBool() ? value.toBool() : fallback;
}

// Where a GitHub action works: the repository repoUrl names, through the
// integration for its host, with the step's token or the integration's.
struct GitHubTarget
{
    QString host;
    QString owner;
    QString repo;
    QString token;
    QString repoPath;   // /repos/:owner/:repo
    std::optional<GitHubApi> api;
};

Result<GitHubTarget> gitHubTarget(const ActionContext &context)
{
    const QJsonObject &input = context.input;
    auto parsed = Detail::parseRepoUrlValue(input.value(QLatin1String("repoUrl")));
    if (!parsed)
        return Error::input(parsed.error().message);
    GitHubTarget target;
    target.host = parsed->toObject().value(QLatin1String("host")).toString();
    target.owner = parsed->toObject().value(QLatin1String("owner")).toString();
    target.repo = parsed->toObject().value(QLatin1String("repo")).toString();
    if (target.owner.isEmpty())
        return Error::input(QStringLiteral("Invalid repository owner provided in repoUrl"));
    const Ingest::GitHubIntegration *integration = Ingest::GitHubIntegration::forHost(context.services->github, target.host);
    if (!integration)
        return Error::input(QStringLiteral("No integration for host %1").arg(target.host));
    if (integration->apiBaseUrl.isEmpty())
        return Error::input(QStringLiteral("No apiBaseUrl configured for the GitHub integration %1").arg(target.host));
    // An empty token (an unset secret rendered) falls back to the integration's, as upstream's.
    const QString provided = input.value(QLatin1String("token")).toString();
    target.token = provided.isEmpty() ? integration->token : provided;
    if (target.token.isEmpty())
        return Error::input(QStringLiteral("No token available for host: %1, with owner %2, and repo %3").arg(target.host, target.owner, target.repo));
    target.api.emplace(*integration, target.token);
    target.repoPath = QStringLiteral("/repos/%1/%2").arg(pathSegment(target.owner), pathSegment(target.repo));
    return target;
}

// The repository created under its owner (an organisation or the token's
// user, as GET /users/:owner says), with its access, collaborators, topics
// and Actions variables: GitHub's answer for the new repository.
Result<QJsonObject> createRepository(ActionContext &context, const GitHubTarget &target)
{
    const QJsonObject &input = context.input;
    const QString &owner = target.owner;
    const QString &repo = target.repo;
    const GitHubApi &api = *target.api;
    const QString &repoPath = target.repoPath;
    if (input.contains(QLatin1String("secrets")))
        return Error::input(QStringLiteral("%1 cannot set Actions secrets (the secrets input): they must be sealed with "
                                           "libsodium, which Greenroom does not use; set them after the repository exists")
                                .arg(context.actionId));

    auto user = api.call("GET", QStringLiteral("/users/") + pathSegment(owner));
    if (!user)
        return user.error();
    if (!user->ok())
        return Error(QStringLiteral("Error"), QStringLiteral("Failed to look up the owner %1 on %2, %3").arg(owner, target.host, user->message));
    const QString ownerType = user->body[QLatin1String("type")].toString(QStringLiteral("User"));
    const QString visibility = input.value(QLatin1String("repoVisibility")).toString(QStringLiteral("private"));
    QJsonObject create{{QStringLiteral("name"), repo},
                       {QStringLiteral("private"), visibility == QLatin1String("private")},
                       {QStringLiteral("delete_branch_on_merge"), flag(input, "deleteBranchOnMerge", false)},
                       {QStringLiteral("allow_merge_commit"), flag(input, "allowMergeCommit", true)},
                       {QStringLiteral("allow_squash_merge"), flag(input, "allowSquashMerge", true)},
                       {QStringLiteral("allow_rebase_merge"), flag(input, "allowRebaseMerge", true)},
                       {QStringLiteral("allow_auto_merge"), flag(input, "allowAutoMerge", false)},
                       {QStringLiteral("allow_update_branch"), flag(input, "allowUpdateBranch", false)}};
    for (const auto &[from, to] : {std::pair{"description", "description"}, std::pair{"homepage", "homepage"}, std::pair{"hasWiki", "has_wiki"},
                                   std::pair{"hasIssues", "has_issues"}, std::pair{"hasProjects", "has_projects"}}) {
        if (input.contains(QLatin1String(from)))
            create.insert(QLatin1String(to), input.value(QLatin1String(from)));
    }
    QString createPath = QStringLiteral("/user/repos");
    if (ownerType == QLatin1String("Organization")) {
        createPath = QStringLiteral("/orgs/%1/repos").arg(pathSegment(owner));
        create.insert(QStringLiteral("visibility"), visibility);
    }
    context.log(QStringLiteral("Creating the %1 repository %2/%3 on %4").arg(ownerType, owner, repo, target.host));
    auto created = api.call("POST", createPath, create);
    if (!created)
        return created.error();
    if (!created->ok())
        return Error(QStringLiteral("Error"), QStringLiteral("Failed to create the %1 repository %2/%3, %4").arg(ownerType, owner, repo, created->message));
    if (created->body[QLatin1String("clone_url")].toString().isEmpty() || created->body[QLatin1String("html_url")].toString().isEmpty())
        return Error::internal(QStringLiteral("GitHub's answer for the new repository %1/%2 has no clone_url or html_url").arg(owner, repo));

    // What fails from here on is logged and skipped, as upstream does.
    const auto attempt = [&](const QString &what, const QByteArray &method, const QString &path, const QJsonValue &body) {
        auto answer = api.call(method, path, body);
        if (!answer || !answer->ok())
            context.log(QStringLiteral("Skipping %1, %2").arg(what, answer ? answer->message : answer.error().message));
    };
    const QString access = input.value(QLatin1String("access")).toString();
    if (access.startsWith(owner + QLatin1Char('/'))) {
        attempt(QStringLiteral("admin access for ") + access, "PUT",
                QStringLiteral("/orgs/%1/teams/%2%3").arg(pathSegment(owner), pathSegment(access.section(QLatin1Char('/'), 1)), repoPath),
                QJsonObject{{QStringLiteral("permission"), QStringLiteral("admin")}});
    } else if (!access.isEmpty() && access != owner) {
        attempt(QStringLiteral("admin access for ") + access, "PUT", repoPath + QStringLiteral("/collaborators/") + pathSegment(access),
                QJsonObject{{QStringLiteral("permission"), QStringLiteral("admin")}});
    }
    for (const QJsonValue &item : input.value(QLatin1String("collaborators")).toArray()) {
        const QJsonObject collaborator = item.toObject();
        const QString permission = collaborator.value(QLatin1String("access")).toString();
        if (collaborator.contains(QLatin1String("user"))) {
            const QString name = refToName(collaborator.value(QLatin1String("user")).toString());
            attempt(QStringLiteral("%1 access for %2").arg(permission, name), "PUT", repoPath + QStringLiteral("/collaborators/") + pathSegment(name),
                    QJsonObject{{QStringLiteral("permission"), permission}});
        } else if (collaborator.contains(QLatin1String("team"))) {
            const QString name = refToName(collaborator.value(QLatin1String("team")).toString());
            attempt(QStringLiteral("%1 access for %2").arg(permission, name), "PUT",
                    QStringLiteral("/orgs/%1/teams/%2%3").arg(pathSegment(owner), pathSegment(name), repoPath),
                    QJsonObject{{QStringLiteral("permission"), permission}});
        }
    }
    if (input.value(QLatin1String("topics")).isArray()) {
        QJsonArray names;
        QStringList shown;
        for (const QJsonValue &topic : input.value(QLatin1String("topics")).toArray()) {
            names.append(topic.toString().toLower());
            shown.append(topic.toString());
        }
        attempt(QStringLiteral("topics ") + shown.join(QLatin1Char(' ')), "PUT", repoPath + QStringLiteral("/topics"),
                QJsonObject{{QStringLiteral("names"), names}});
    }
    const QJsonObject variables = input.value(QLatin1String("repoVariables")).toObject();
    for (auto it = variables.begin(); it != variables.end(); ++it) {
        auto answer = api.call("POST", repoPath + QStringLiteral("/actions/variables"),
                               QJsonObject{{QStringLiteral("name"), it.key()}, {QStringLiteral("value"), it.value().toString()}});
        if (!answer)
            return answer.error();
        if (!answer->ok())
            return Error(QStringLiteral("Error"), QStringLiteral("Failed to set the Actions variable %1 of %2/%3, %4").arg(it.key(), owner, repo, answer->message));
    }

    return created->body.toObject();
}

// The workspace pushed to `cloneUrl` as the default branch's first commit,
// which is then protected as the inputs ask: the commit's hash and branch.
Result<std::pair<QString, QString>> pushAndProtect(ActionContext &context, const GitHubTarget &target, const QString &cloneUrl)
{
    const QJsonObject &input = context.input;
    GitPublish publish = gitPublishDefaults(context);
    publish.remoteUrl = cloneUrl;
    publish.username = QStringLiteral("x-access-token");
    publish.token = target.token;
    auto hash = initCommitAndPush(context, publish);
    if (!hash)
        return hash.error();
    if (flag(input, "protectDefaultBranch", true)) {
        QJsonArray contexts;
        for (const QJsonValue &check : input.value(QLatin1String("requiredStatusCheckContexts")).toArray())
            contexts.append(check);
        QJsonObject reviews{{QStringLiteral("required_approving_review_count"), input.value(QLatin1String("requiredApprovingReviewCount")).toInt(1)},
                            {QStringLiteral("require_code_owner_reviews"), flag(input, "requireCodeOwnerReviews", false)},
                            {QStringLiteral("dismiss_stale_reviews"), flag(input, "dismissStaleReviews", false)},
                            {QStringLiteral("require_last_push_approval"), flag(input, "requireLastPushApproval", false)}};
        if (input.contains(QLatin1String("bypassPullRequestAllowances")))
            reviews.insert(QStringLiteral("bypass_pull_request_allowances"), input.value(QLatin1String("bypassPullRequestAllowances")));
        const QJsonObject protection{
            {QStringLiteral("required_status_checks"), QJsonObject{{QStringLiteral("strict"), flag(input, "requireBranchesToBeUpToDate", true)},
                                                                   {QStringLiteral("contexts"), contexts}}},
            {QStringLiteral("restrictions"), input.contains(QLatin1String("restrictions")) ? input.value(QLatin1String("restrictions")) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("enforce_admins"), flag(input, "protectEnforceAdmins", true)},
            {QStringLiteral("required_pull_request_reviews"), reviews},
            {QStringLiteral("required_conversation_resolution"), flag(input, "requiredConversationResolution", false)},
            {QStringLiteral("required_linear_history"), flag(input, "requiredLinearHistory", false)},
            {QStringLiteral("block_creations"), false}};
        auto answer = target.api->call("PUT", target.repoPath + QStringLiteral("/branches/%1/protection").arg(pathSegment(publish.branch)), protection);
        if (!answer || !answer->ok())
            context.log(QStringLiteral("Skipping: default branch protection on '%1', %2").arg(target.repo, answer ? answer->message : answer.error().message));
        else
            context.log(QStringLiteral("Protected the branch %1").arg(publish.branch));
    }
    return std::pair{hash.value(), publish.branch};
}

// publish:github: create, then push and protect.
Status publishGitHub(ActionContext &context)
{
    auto target = gitHubTarget(context);
    if (!target)
        return target.error();
    auto created = createRepository(context, target.value());
    if (!created)
        return created.error();
    const QString cloneUrl = created->value(QLatin1String("clone_url")).toString();
    auto pushed = pushAndProtect(context, target.value(), cloneUrl);
    if (!pushed)
        return pushed.error();
    outputPublished(context, cloneUrl, created->value(QLatin1String("html_url")).toString(), pushed->second, pushed->first);
    return Ok{};
}

// github:repo:create: the repository and its settings, nothing pushed.
// Only remoteUrl is set, as upstream's handler sets it (its schema also
// names repoContentsUrl).
Status gitHubRepoCreate(ActionContext &context)
{
    auto target = gitHubTarget(context);
    if (!target)
        return target.error();
    auto created = createRepository(context, target.value());
    if (!created)
        return created.error();
    context.output(QStringLiteral("remoteUrl"), created->value(QLatin1String("clone_url")).toString());
    return Ok{};
}

// github:repo:push: the workspace into a repository that exists (GET /repos/:o/:r).
Status gitHubRepoPush(ActionContext &context)
{
    auto target = gitHubTarget(context);
    if (!target)
        return target.error();
    auto found = target->api->call("GET", target->repoPath);
    if (!found)
        return found.error();
    if (!found->ok())
        return Error(QStringLiteral("Error"), QStringLiteral("Failed to find the repository %1/%2, %3").arg(target->owner, target->repo, found->message));
    const QString cloneUrl = found->body[QLatin1String("clone_url")].toString();
    auto pushed = pushAndProtect(context, target.value(), cloneUrl);
    if (!pushed)
        return pushed.error();
    outputPublished(context, cloneUrl, found->body[QLatin1String("html_url")].toString(), pushed->second, pushed->first);
    return Ok{};
}

} // namespace

ActionInfo publishGitHubAction()
{
    return {QStringLiteral("publish:github"),
            QStringLiteral("Initializes a git repository of contents in workspace and publishes it to GitHub."),
            QJsonDocument::fromJson(R"JSON({"type": "object", "required": ["repoUrl"], "properties": {
                "repoUrl": {"type": "string", "title": "Repository Location"},
                "description": {"type": "string"}, "homepage": {"type": "string"},
                "access": {"type": "string", "description": "Sets an admin collaborator on the repository: a user login or <org>/<team-slug>"},
                "repoVisibility": {"type": "string", "enum": ["private", "public", "internal"]},
                "defaultBranch": {"type": "string"}, "sourcePath": {"type": "string"},
                "gitCommitMessage": {"type": "string"}, "gitAuthorName": {"type": "string"}, "gitAuthorEmail": {"type": "string"},
                "protectDefaultBranch": {"type": "boolean"}, "protectEnforceAdmins": {"type": "boolean"},
                "requireCodeOwnerReviews": {"type": "boolean"}, "dismissStaleReviews": {"type": "boolean"},
                "requiredApprovingReviewCount": {"type": "number"}, "requiredStatusCheckContexts": {"type": "array", "items": {"type": "string"}},
                "requireBranchesToBeUpToDate": {"type": "boolean"}, "requiredConversationResolution": {"type": "boolean"},
                "requireLastPushApproval": {"type": "boolean"}, "requiredLinearHistory": {"type": "boolean"},
                "bypassPullRequestAllowances": {"type": "object"}, "restrictions": {"type": "object"},
                "deleteBranchOnMerge": {"type": "boolean"}, "allowMergeCommit": {"type": "boolean"}, "allowSquashMerge": {"type": "boolean"},
                "allowRebaseMerge": {"type": "boolean"}, "allowAutoMerge": {"type": "boolean"}, "allowUpdateBranch": {"type": "boolean"},
                "collaborators": {"type": "array", "items": {"type": "object", "required": ["access"], "properties": {
                    "access": {"type": "string"}, "user": {"type": "string"}, "team": {"type": "string"}}}},
                "hasProjects": {"type": "boolean"}, "hasWiki": {"type": "boolean"}, "hasIssues": {"type": "boolean"},
                "topics": {"type": "array", "items": {"type": "string"}},
                "repoVariables": {"type": "object"}, "secrets": {"type": "object"},
                "token": {"type": "string"}}})JSON").object(),
            QJsonDocument::fromJson(R"({"type": "object", "properties": {
                "remoteUrl": {"type": "string"}, "repoContentsUrl": {"type": "string"}, "commitHash": {"type": "string"}}})").object(),
            false, publishGitHub};
}

namespace {

// publish:github's schema cut to `keys` (repoUrl and token always), as the
// GitHub module's split actions declare the same properties.
QJsonObject inputSubset(const QStringList &keys)
{
    const QJsonObject all = publishGitHubAction().inputSchema;
    const QJsonObject properties = all.value(QLatin1String("properties")).toObject();
    QJsonObject subset;
    for (const QString &key : keys + QStringList{QStringLiteral("repoUrl"), QStringLiteral("token")})
        subset.insert(key, properties.value(key));
    QJsonObject schema = all;
    schema.insert(QStringLiteral("properties"), subset);
    return schema;
}

} // namespace

ActionInfo gitHubRepoCreateAction()
{
    const QStringList settings{QStringLiteral("access"), QStringLiteral("allowAutoMerge"), QStringLiteral("allowMergeCommit"),
                               QStringLiteral("allowRebaseMerge"), QStringLiteral("allowSquashMerge"), QStringLiteral("allowUpdateBranch"),
                               QStringLiteral("collaborators"), QStringLiteral("deleteBranchOnMerge"), QStringLiteral("description"),
                               QStringLiteral("hasIssues"), QStringLiteral("hasProjects"), QStringLiteral("hasWiki"), QStringLiteral("homepage"),
                               QStringLiteral("repoVariables"), QStringLiteral("repoVisibility"), QStringLiteral("secrets"), QStringLiteral("topics")};
    return {QStringLiteral("github:repo:create"), QStringLiteral("Creates a GitHub repository."), inputSubset(settings),
            QJsonDocument::fromJson(R"({"type": "object", "properties": {"remoteUrl": {"type": "string"}, "repoContentsUrl": {"type": "string"}}})").object(),
            false, gitHubRepoCreate};
}

ActionInfo gitHubRepoPushAction()
{
    const QStringList pushing{QStringLiteral("defaultBranch"), QStringLiteral("sourcePath"), QStringLiteral("gitCommitMessage"),
                              QStringLiteral("gitAuthorName"), QStringLiteral("gitAuthorEmail"), QStringLiteral("protectDefaultBranch"),
                              QStringLiteral("protectEnforceAdmins"), QStringLiteral("requireCodeOwnerReviews"), QStringLiteral("dismissStaleReviews"),
                              QStringLiteral("requiredApprovingReviewCount"), QStringLiteral("requiredStatusCheckContexts"),
                              QStringLiteral("requireBranchesToBeUpToDate"), QStringLiteral("requiredConversationResolution"),
                              QStringLiteral("requireLastPushApproval"), QStringLiteral("requiredLinearHistory"),
                              QStringLiteral("bypassPullRequestAllowances"), QStringLiteral("restrictions")};
    return {QStringLiteral("github:repo:push"),
            QStringLiteral("Initializes a git repository of contents in workspace and publishes it to GitHub."), inputSubset(pushing),
            publishGitHubAction().outputSchema, false, gitHubRepoPush};
}

} // namespace Greenroom::Scaffold
