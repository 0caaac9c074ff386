// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// publish:github as Backstage's GitHub module does it, its two halves
// github:repo:create and github:repo:push, and publish:github:pull-request
// (described at its handler): the repository is created through GitHub's
// REST API (under an organisation or the token's user, as GET
// /users/:owner says); access, collaborators, topics, Actions variables
// and Actions secrets (sealed with libsodium) are set; the workspace is
// pushed with libgit2 to the new repository's clone_url, and the default
// branch is protected. Settings that fail after the repository exists are
// logged and skipped, as upstream skips them; a failure to create or push,
// or to set a variable or secret, fails the step.
#include "builtinactions_p.h"
#include "githubapi_p.h"
#include "templatelanguage_p.h"
#include "workspacepath.h"

#include <ingest/httprequest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <sodium.h>

#include <optional>

namespace Greenroom::Scaffold {

namespace {

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
    // Actions secrets, sealed with the repository's public key (libsodium's
    // sealed box, as GitHub asks and upstream does); a failure fails the step.
    const QJsonObject secrets = input.value(QLatin1String("secrets")).toObject();
    if (!secrets.isEmpty()) {
        auto key = api.call("GET", repoPath + QStringLiteral("/actions/secrets/public-key"));
        if (!key)
            return key.error();
        if (!key->ok())
            return Error(QStringLiteral("Error"), QStringLiteral("Failed to get the Actions public key of %1/%2, %3").arg(owner, repo, key->message));
        const QByteArray publicKey = QByteArray::fromBase64(key->body[QLatin1String("key")].toString().toLatin1());
        if (publicKey.size() != crypto_box_PUBLICKEYBYTES || sodium_init() < 0)
            return Error::internal(QStringLiteral("The Actions public key of %1/%2 is not a sealed-box key").arg(owner, repo));
        for (auto it = secrets.begin(); it != secrets.end(); ++it) {
            const QByteArray plain = it.value().toString().toUtf8();
            QByteArray sealed(qsizetype(crypto_box_SEALBYTES) + plain.size(), Qt::Uninitialized);
            crypto_box_seal(reinterpret_cast<unsigned char *>(sealed.data()), reinterpret_cast<const unsigned char *>(plain.constData()),
                            quint64(plain.size()), reinterpret_cast<const unsigned char *>(publicKey.constData()));
            auto stored = api.call("PUT", repoPath + QStringLiteral("/actions/secrets/") + pathSegment(it.key()),
                                   QJsonObject{{QStringLiteral("encrypted_value"), QString::fromLatin1(sealed.toBase64())},
                                               {QStringLiteral("key_id"), key->body[QLatin1String("key_id")].toString()}});
            if (!stored)
                return stored.error();
            if (!stored->ok())
                return Error(QStringLiteral("Error"), QStringLiteral("Failed to set the Actions secret %1 of %2/%3, %4").arg(it.key(), owner, repo, stored->message));
        }
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

// repoUrl's target and its repository, newly created: the first half of
// publish:github, and all of github:repo:create.
Result<std::pair<GitHubTarget, QJsonObject>> newTargetRepository(ActionContext &context)
{
    auto target = gitHubTarget(context);
    if (!target)
        return target.error();
    auto created = createRepository(context, target.value());
    if (!created)
        return created.error();
    return std::pair{target.value(), created.value()};
}

// publish:github: create, then push and protect.
Status publishGitHub(ActionContext &context)
{
    auto made = newTargetRepository(context);
    if (!made)
        return made.error();
    const auto &[target, created] = made.value();
    const QString cloneUrl = created.value(QLatin1String("clone_url")).toString();
    auto pushed = pushAndProtect(context, target, cloneUrl);
    if (!pushed)
        return pushed.error();
    outputPublished(context, cloneUrl, created.value(QLatin1String("html_url")).toString(), pushed->second, pushed->first);
    return Ok{};
}

// github:repo:create: the repository and its settings, nothing pushed.
// Only remoteUrl is set, as upstream's handler sets it (its schema also
// names repoContentsUrl).
Status gitHubRepoCreate(ActionContext &context)
{
    auto made = newTargetRepository(context);
    if (!made)
        return made.error();
    context.output(QStringLiteral("remoteUrl"), made->second.value(QLatin1String("clone_url")).toString());
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

// A GitHub user's login or a team's slug, from the objects GitHub lists.
QString names(const QJsonValue &list, const char *key)
{
    QStringList out;
    for (const QJsonValue &item : list.toArray())
        out.append(item[QLatin1String(key)].toString());
    return out.join(QStringLiteral(", "));
}

// publish:github:pull-request as the GitHub module does it with
// octokit-plugin-create-pull-request: one commit of the workspace's files
// (at targetPath, with filesToDelete gone) on top of the base branch, on
// branchName (moved if it exists), then the pull request (or, with
// `update`, the open one for that branch edited), its reviewers and
// assignees. The commit is made and pushed with libgit2 rather than through
// GitHub's Git Data API; the branch and pull request GitHub ends up with
// are the same.
Status publishGitHubPullRequest(ActionContext &context)
{
    const QJsonObject &input = context.input;
    const QString targetPath = input.value(QLatin1String("targetPath")).toString();
    QStringList toDelete;
    for (const QJsonValue &file : input.value(QLatin1String("filesToDelete")).toArray())
        toDelete.append(file.toString());
    for (const auto &[path, name] : [&] {
             QList<std::pair<QString, QString>> checked;
             if (!targetPath.isEmpty())
                 checked.append({targetPath, QStringLiteral("targetPath")});
             for (const QString &file : std::as_const(toDelete))
                 checked.append({file, QStringLiteral("filesToDelete entry")});
             return checked;
         }()) {
        if (path.startsWith(QLatin1Char('/')) || path.split(QLatin1Char('/')).contains(QStringLiteral("..")))
            return Error::input(QStringLiteral("Invalid %1 '%2': must be a relative path within the target repository, without '..' segments").arg(name, path));
    }
    auto target = gitHubTarget(context);
    if (!target)
        return target.error();
    const QString branch = input.value(QLatin1String("branchName")).toString();
    const QString title = input.value(QLatin1String("title")).toString();
    if (context.dryRun) {
        context.log(QStringLiteral("Performing dry run of creating pull request"));
        context.output(QStringLiteral("targetBranchName"), branch);
        context.output(QStringLiteral("remoteUrl"), input.value(QLatin1String("repoUrl")).toString());
        context.output(QStringLiteral("pullRequestNumber"), 43);
        context.log(QStringLiteral("Dry run complete"));
        return Ok{};
    }
    if (input.value(QLatin1String("forceFork")).toBool())
        return Error::input(QStringLiteral("publish:github:pull-request cannot fork (forceFork) in Greenroom; open the pull request from a branch of %1/%2")
                                .arg(target->owner, target->repo));
    auto source = resolveSafeChildPath(context.workspace, input.value(QLatin1String("sourcePath")).toString(QStringLiteral("./")));
    if (!source)
        return source.error();
    const GitHubApi &api = *target->api;
    // Anything GitHub or git refuses from here is "Pull request creation failed", as upstream wraps it.
    const auto failed = [](const QString &why) { return Error(QStringLiteral("GithubResponseError"), QStringLiteral("Pull request creation failed: ") + why); };
    auto repository = api.call("GET", target->repoPath);
    if (!repository)
        return failed(repository.error().message);
    if (!repository->ok())
        return failed(repository->message);
    const QString base = input.value(QLatin1String("targetBranchName")).toString(repository->body[QLatin1String("default_branch")].toString());
    if (branch == base)
        return failed(QStringLiteral("\"head\" cannot be the same value as \"base\""));
    const QString head = target->owner + QLatin1Char(':') + branch;
    auto open = api.call("GET", target->repoPath + QStringLiteral("/pulls?state=open&head=") + pathSegment(head));
    if (!open || !open->ok())
        return failed(open ? open->message : open.error().message);
    const QJsonObject existing = open->body.toArray().first().toObject();
    const bool update = input.value(QLatin1String("update")).toBool();
    if (!existing.isEmpty() && !update)
        return failed(QStringLiteral("Pull request already exists: %1. Set update=true to enable updating").arg(existing.value(QLatin1String("html_url")).toString()));

    const ScaffolderServices &services = *context.services;
    GitBranchChange change;
    change.remoteUrl = repository->body[QLatin1String("clone_url")].toString();
    change.username = QStringLiteral("x-access-token");
    change.token = target->token;
    change.baseBranch = base;
    change.branch = branch;
    change.sourceFolder = source.value();
    change.targetPath = targetPath;
    change.filesToDelete = toDelete;
    change.message = input.value(QLatin1String("commitMessage")).toString(services.defaultCommitMessage.isEmpty() ? title : services.defaultCommitMessage);
    change.authorName = input.value(QLatin1String("gitAuthorName")).toString(services.defaultAuthorName);
    change.authorEmail = input.value(QLatin1String("gitAuthorEmail")).toString(services.defaultAuthorEmail);
    if (change.authorName.isEmpty())
        change.authorName = QStringLiteral("Scaffolder");
    if (change.authorEmail.isEmpty())
        change.authorEmail = QStringLiteral("scaffolder@backstage.io");
    change.createWhenEmpty = input.value(QLatin1String("createWhenEmpty")).toBool(true);
    auto committed = commitChangeToBranch(context, change);
    if (!committed)
        return failed(committed.error().message);
    if (!committed->has_value()) {
        context.log(QStringLiteral("No changes to commit, pull request was not created"));
        return Ok{};
    }

    QJsonObject request{{QStringLiteral("title"), title}, {QStringLiteral("head"), head}, {QStringLiteral("base"), base},
                        {QStringLiteral("draft"), input.value(QLatin1String("draft")).toBool(false)}};
    if (input.contains(QLatin1String("description")))
        request.insert(QStringLiteral("body"), input.value(QLatin1String("description")));
    auto pull = existing.isEmpty()
                    ? api.call("POST", target->repoPath + QStringLiteral("/pulls"), request)
                    : api.call("PATCH", target->repoPath + QStringLiteral("/pulls/%1").arg(existing.value(QLatin1String("number")).toInt()), request);
    if (!pull)
        return failed(pull.error().message);
    if (!pull->ok())
        return failed(pull->message);
    const int number = pull->body[QLatin1String("number")].toInt();
    context.log(QStringLiteral("%1 pull request #%2: %3").arg(existing.isEmpty() ? QStringLiteral("Opened") : QStringLiteral("Updated")).arg(number)
                    .arg(pull->body[QLatin1String("html_url")].toString()));
    // Reviewers and assignees are asked for; a refusal is logged, not fatal, as upstream.
    const QJsonArray reviewers = input.value(QLatin1String("reviewers")).toArray();
    QJsonArray teams;
    for (const QJsonValue &team : input.value(QLatin1String("teamReviewers")).toArray()) {
        if (!teams.contains(team))
            teams.append(team);
    }
    if (input.contains(QLatin1String("reviewers")) || input.contains(QLatin1String("teamReviewers"))) {
        QJsonObject ask{{QStringLiteral("reviewers"), reviewers}};
        if (!teams.isEmpty())
            ask.insert(QStringLiteral("team_reviewers"), teams);
        auto asked = api.call("POST", target->repoPath + QStringLiteral("/pulls/%1/requested_reviewers").arg(number), ask);
        if (asked && asked->ok())
            context.log(QStringLiteral("Added users [%1] and teams [%2] as reviewers to Pull request %3")
                            .arg(names(asked->body[QLatin1String("requested_reviewers")], "login"), names(asked->body[QLatin1String("requested_teams")], "slug"))
                            .arg(number));
        else
            context.log(QStringLiteral("Failure when adding reviewers to Pull request %1: %2").arg(number).arg(asked ? asked->message : asked.error().message));
    }
    if (input.contains(QLatin1String("assignees"))) {
        QJsonArray assignees = input.value(QLatin1String("assignees")).toArray();
        if (assignees.size() > 10) {
            context.log(QStringLiteral("Assignees list is too long, only the first 10 will be used."));
            while (assignees.size() > 10)
                assignees.removeLast();
        }
        auto added = api.call("POST", target->repoPath + QStringLiteral("/issues/%1/assignees").arg(number),
                              QJsonObject{{QStringLiteral("assignees"), assignees}});
        if (added && added->ok())
            context.log(QStringLiteral("Added assignees [%1] to Pull request %2").arg(names(added->body[QLatin1String("assignees")], "login")).arg(number));
        else
            context.log(QStringLiteral("Failure when adding assignees to Pull request %1: %2").arg(number).arg(added ? added->message : added.error().message));
    }
    context.output(QStringLiteral("targetBranchName"), pull->body[QLatin1String("base")][QLatin1String("ref")].toString(base));
    context.output(QStringLiteral("remoteUrl"), pull->body[QLatin1String("html_url")].toString());
    context.output(QStringLiteral("pullRequestNumber"), number);
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

ActionInfo publishGitHubPullRequestAction()
{
    return {QStringLiteral("publish:github:pull-request"), QStringLiteral("Publish a pull request to a GitHub repository"),
            QJsonDocument::fromJson(R"JSON({"type": "object", "required": ["repoUrl", "branchName", "title", "description"], "properties": {
                "repoUrl": {"type": "string"}, "branchName": {"type": "string"}, "filesToDelete": {"type": "array", "items": {"type": "string"}},
                "targetBranchName": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
                "draft": {"type": "boolean"}, "sourcePath": {"type": "string"}, "targetPath": {"type": "string"}, "token": {"type": "string"},
                "reviewers": {"type": "array", "items": {"type": "string"}}, "assignees": {"type": "array", "items": {"type": "string"}},
                "teamReviewers": {"type": "array", "items": {"type": "string"}}, "commitMessage": {"type": "string"},
                "update": {"type": "boolean"}, "forceFork": {"type": "boolean"}, "gitAuthorName": {"type": "string"},
                "gitAuthorEmail": {"type": "string"}, "forceEmptyGitAuthor": {"type": "boolean"}, "createWhenEmpty": {"type": "boolean"}}})JSON").object(),
            QJsonDocument::fromJson(R"({"type": "object", "required": ["targetBranchName", "remoteUrl", "pullRequestNumber"], "properties": {
                "targetBranchName": {"type": "string"}, "remoteUrl": {"type": "string"}, "pullRequestNumber": {"type": "number"}}})").object(),
            true, publishGitHubPullRequest};
}

} // namespace Greenroom::Scaffold
