// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// publish:git: the workspace (or a folder of it) becomes a new repository
// with one commit, pushed with libgit2 to any remote libgit2 reaches
// (https, ssh, file:// or a local bare repository). Like Backstage's
// publishers it refuses to overwrite: a branch that already exists on the
// remote is an error, and nothing is forced.
#include "builtinactions_p.h"
#include "workspacepath.h"

#include <QDir>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QUrl>

#include <git2.h>

#include <memory>
#include <mutex>

namespace Greenroom::Scaffold {

namespace {

template<typename T, void (*Free)(T *)>
struct GitDeleter
{
    void operator()(T *p) const { Free(p); }
};
template<typename T, void (*Free)(T *)>
using GitPtr = std::unique_ptr<T, GitDeleter<T, Free>>;

Error gitError(const QString &what)
{
    const git_error *last = git_error_last();
    return Error::internal(QStringLiteral("%1: %2").arg(what, last && last->message ? QString::fromUtf8(last->message) : QStringLiteral("unknown error")));
}

struct PushState
{
    QString token;
    QString username;
    int credentialAttempts = 0;
    QString rejected;   // a reference the remote refused, with its reason
};

int credentials(git_credential **out, const char *, const char *usernameFromUrl, unsigned int allowedTypes, void *payload)
{
    auto *state = static_cast<PushState *>(payload);
    // One try: libgit2 asks again after a refusal, which would loop forever.
    if (state->token.isEmpty() || state->credentialAttempts++ > 0 || !(allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
        return GIT_PASSTHROUGH;
    const QByteArray user = (state->username.isEmpty() ? (usernameFromUrl && *usernameFromUrl ? QString::fromUtf8(usernameFromUrl)
                                                                                              : QStringLiteral("x-access-token"))
                                                       : state->username).toUtf8();
    return git_credential_userpass_plaintext_new(out, user.constData(), state->token.toUtf8().constData());
}

int pushUpdate(const char *reference, const char *status, void *payload)
{
    if (status) {
        auto *state = static_cast<PushState *>(payload);
        state->rejected = QStringLiteral("%1 (%2)").arg(QString::fromUtf8(reference), QString::fromUtf8(status));
    }
    return 0;
}

// libgit2's add-all (it skips .git and honours .gitignore).
Status addEverything(git_index *index)
{
    git_strarray paths{};
    char star[] = "*";
    char *patterns[] = {star};
    paths.strings = patterns;
    paths.count = 1;
    if (git_index_add_all(index, &paths, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr) != 0)
        return gitError(QStringLiteral("Cannot add the files"));
    return git_index_write(index) == 0 ? Status(Ok{}) : Status(gitError(QStringLiteral("Cannot write the index")));
}

// The tree committed as author and committer, on `parent` if there is one,
// moving `ref` to it when one is named: the commit's id.
Result<git_oid> commitTree(git_repository *repository, const git_oid &treeId, const QString &authorName, const QString &authorEmail,
                           const QString &message, const char *ref, const git_commit *parent)
{
    git_tree *rawTree = nullptr;
    if (git_tree_lookup(&rawTree, repository, &treeId) != 0)
        return gitError(QStringLiteral("Cannot read the tree"));
    GitPtr<git_tree, git_tree_free> tree(rawTree);
    git_signature *rawSignature = nullptr;
    if (git_signature_now(&rawSignature, authorName.toUtf8().constData(), authorEmail.toUtf8().constData()) != 0)
        return gitError(QStringLiteral("Invalid author"));
    GitPtr<git_signature, git_signature_free> signature(rawSignature);
    const git_commit *parents[] = {parent};
    git_oid commitId;
    if (git_commit_create(&commitId, repository, ref, signature.get(), signature.get(), "UTF-8", message.toUtf8().constData(), tree.get(),
                          parent ? 1 : 0, parents) != 0)
        return gitError(QStringLiteral("Cannot commit"));
    return commitId;
}

} // namespace

QString displayGitUrl(const QString &url)
{
    QUrl parsed(url);
    if (!parsed.isValid() || parsed.scheme().isEmpty() || parsed.scheme() == QLatin1String("file"))
        return url;
    parsed.setUserInfo(QString());
    return parsed.toString();
}

Result<QString> initCommitAndPush(ActionContext &context, const GitPublish &publish)
{
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
    const QString &remoteUrl = publish.remoteUrl;
    const QString &branch = publish.branch;
    auto source = resolveSafeChildPath(context.workspace, publish.sourcePath.isEmpty() ? QStringLiteral("./") : publish.sourcePath);
    if (!source)
        return source.error();
    if (QFileInfo::exists(source.value() + QStringLiteral("/.git")))
        return Error(QStringLiteral("ConflictError"), QStringLiteral("%1 is a git repository already").arg(publish.sourcePath.isEmpty() ? QStringLiteral("./") : publish.sourcePath));

    context.log(QStringLiteral("Initialising a repository with branch %1").arg(branch));
    git_repository_init_options init = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    init.flags = GIT_REPOSITORY_INIT_MKPATH;
    const QByteArray head = branch.toUtf8();
    init.initial_head = head.constData();
    git_repository *rawRepository = nullptr;
    if (git_repository_init_ext(&rawRepository, QFile::encodeName(source.value()).constData(), &init) != 0)
        return gitError(QStringLiteral("Cannot create a repository"));
    GitPtr<git_repository, git_repository_free> repository(rawRepository);

    git_index *rawIndex = nullptr;
    if (git_repository_index(&rawIndex, repository.get()) != 0)
        return gitError(QStringLiteral("Cannot open the index"));
    GitPtr<git_index, git_index_free> index(rawIndex);
    if (const Status added = addEverything(index.get()); !added)
        return added.error();
    git_oid treeId;
    if (git_index_write_tree(&treeId, index.get()) != 0)
        return gitError(QStringLiteral("Cannot write the tree"));
    const QByteArray headRef = QByteArrayLiteral("refs/heads/") + head;
    auto committed = commitTree(repository.get(), treeId, publish.authorName, publish.authorEmail, publish.message, headRef.constData(), nullptr);
    if (!committed)
        return committed.error();
    const git_oid commitId = committed.value();
    char hash[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(hash, sizeof hash, &commitId);
    context.log(QStringLiteral("Committed %1 files as %2").arg(git_index_entrycount(index.get())).arg(QString::fromLatin1(hash)));

    git_remote *rawRemote = nullptr;
    if (git_remote_create(&rawRemote, repository.get(), "origin", remoteUrl.toUtf8().constData()) != 0)
        return gitError(QStringLiteral("Invalid remote %1").arg(displayGitUrl(remoteUrl)));
    GitPtr<git_remote, git_remote_free> remote(rawRemote);
    PushState state;
    state.token = publish.token;
    state.username = publish.username;
    git_push_options push = GIT_PUSH_OPTIONS_INIT;
    push.callbacks.credentials = credentials;
    push.callbacks.push_update_reference = pushUpdate;
    push.callbacks.payload = &state;
    // The branch must be new on the remote (libgit2's local transport would
    // fast-forward or even overwrite where a server refuses): look first.
    git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
    callbacks.credentials = credentials;
    callbacks.payload = &state;
    if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0)
        return gitError(QStringLiteral("Cannot push to %1").arg(displayGitUrl(remoteUrl)));
    const git_remote_head **heads = nullptr;
    size_t headCount = 0;
    if (git_remote_ls(&heads, &headCount, remote.get()) != 0)
        return gitError(QStringLiteral("Cannot list the branches of %1").arg(displayGitUrl(remoteUrl)));
    for (size_t i = 0; i < headCount; ++i) {
        if (headRef == heads[i]->name)
            return Error(QStringLiteral("ConflictError"), QStringLiteral("The remote %1 has a branch %2 already; publishing only creates new repositories (refs/heads/%2)")
                                                              .arg(displayGitUrl(remoteUrl), branch));
    }
    git_remote_disconnect(remote.get());
    state.credentialAttempts = 0;
    // Not forced ("+"): never overwrite.
    QByteArray refspec = headRef + ':' + headRef;
    char *specs[] = {refspec.data()};
    const git_strarray refspecs{specs, 1};
    context.log(QStringLiteral("Pushing to %1").arg(displayGitUrl(remoteUrl)));
    if (git_remote_push(remote.get(), &refspecs, &push) != 0)
        return gitError(QStringLiteral("Cannot push to %1").arg(displayGitUrl(remoteUrl)));
    if (!state.rejected.isEmpty())
        return Error(QStringLiteral("ConflictError"), QStringLiteral("The remote %1 refused %2").arg(displayGitUrl(remoteUrl), state.rejected));
    return QString::fromLatin1(hash);
}

Result<std::optional<QString>> commitChangeToBranch(ActionContext &context, const GitBranchChange &change)
{
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
    QTemporaryDir checkout(QDir(context.workspace).filePath(QStringLiteral("../greenroom-pr-XXXXXX")));
    if (!checkout.isValid())
        return Error::internal(QStringLiteral("Cannot make a folder for the checkout: %1").arg(checkout.errorString()));
    PushState state;
    state.token = change.token;
    state.username = change.username;
    // Only the base branch is fetched, then checked out (detached) as the change's parent.
    context.log(QStringLiteral("Fetching branch %1 of %2").arg(change.baseBranch, displayGitUrl(change.remoteUrl)));
    git_repository *rawRepository = nullptr;
    if (git_repository_init(&rawRepository, QFile::encodeName(checkout.path()).constData(), 0) != 0)
        return gitError(QStringLiteral("Cannot create a repository for the checkout"));
    GitPtr<git_repository, git_repository_free> repository(rawRepository);
    git_remote *rawRemote = nullptr;
    if (git_remote_create(&rawRemote, repository.get(), "origin", change.remoteUrl.toUtf8().constData()) != 0)
        return gitError(QStringLiteral("Invalid remote %1").arg(displayGitUrl(change.remoteUrl)));
    GitPtr<git_remote, git_remote_free> remote(rawRemote);
    const QByteArray tracking = QByteArrayLiteral("refs/remotes/origin/") + change.baseBranch.toUtf8();
    QByteArray fetchSpec = QByteArrayLiteral("+refs/heads/") + change.baseBranch.toUtf8() + ':' + tracking;
    char *fetchSpecs[] = {fetchSpec.data()};
    const git_strarray fetchRefspecs{fetchSpecs, 1};
    git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
    fetch.callbacks.credentials = credentials;
    fetch.callbacks.payload = &state;
    if (git_remote_fetch(remote.get(), &fetchRefspecs, &fetch, nullptr) != 0)
        return gitError(QStringLiteral("Cannot fetch branch %1 of %2").arg(change.baseBranch, displayGitUrl(change.remoteUrl)));
    git_oid baseId;
    if (git_reference_name_to_id(&baseId, repository.get(), tracking.constData()) != 0)
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("%1 has no branch %2").arg(displayGitUrl(change.remoteUrl), change.baseBranch));
    git_commit *rawBase = nullptr;
    if (git_commit_lookup(&rawBase, repository.get(), &baseId) != 0)
        return gitError(QStringLiteral("Branch %1 has no commit").arg(change.baseBranch));
    GitPtr<git_commit, git_commit_free> baseCommit(rawBase);
    git_checkout_options checkoutOptions = GIT_CHECKOUT_OPTIONS_INIT;
    checkoutOptions.checkout_strategy = GIT_CHECKOUT_FORCE;
    if (git_checkout_tree(repository.get(), reinterpret_cast<git_object *>(baseCommit.get()), &checkoutOptions) != 0
        || git_repository_set_head_detached(repository.get(), &baseId) != 0)
        return gitError(QStringLiteral("Cannot check out branch %1").arg(change.baseBranch));

    // The workspace's files over the checkout (never its .git), then the deletions.
    auto target = resolveSafeChildPath(checkout.path(), change.targetPath.isEmpty() ? QStringLiteral("./") : change.targetPath);
    if (!target)
        return target.error();
    // Links are committed as links (their own text), never what they point to.
    if (const Status copied = copyTree(change.sourceFolder, target.value(), checkout.path(), {QStringLiteral(".git")}); !copied)
        return copied.error();
    for (const QString &file : change.filesToDelete) {
        auto doomed = resolveSafeChildPath(target.value(), file);
        if (!doomed)
            return doomed.error();
        const QFileInfo info(doomed.value());
        if (info.isDir() && !info.isSymLink())
            QDir(doomed.value()).removeRecursively();
        else
            QFile::remove(doomed.value());
    }
    git_index *rawIndex = nullptr;
    if (git_repository_index(&rawIndex, repository.get()) != 0)
        return gitError(QStringLiteral("Cannot open the index"));
    GitPtr<git_index, git_index_free> index(rawIndex);
    git_strarray every{};
    char star[] = "*";
    char *patterns[] = {star};
    every.strings = patterns;
    every.count = 1;
    if (const Status added = addEverything(index.get()); !added)
        return added.error();
    if (git_index_update_all(index.get(), &every, nullptr, nullptr) != 0 || git_index_write(index.get()) != 0)
        return gitError(QStringLiteral("Cannot record the deletions"));
    git_oid treeId;
    if (git_index_write_tree(&treeId, index.get()) != 0)
        return gitError(QStringLiteral("Cannot write the tree"));
    if (git_oid_equal(&treeId, git_commit_tree_id(baseCommit.get())) && !change.createWhenEmpty)
        return std::optional<QString>();
    auto committed = commitTree(repository.get(), treeId, change.authorName, change.authorEmail, change.message, nullptr, baseCommit.get());
    if (!committed)
        return committed.error();
    const git_oid commitId = committed.value();
    const QByteArray branchRef = QByteArrayLiteral("refs/heads/") + change.branch.toUtf8();
    git_reference *rawReference = nullptr;
    if (git_reference_create(&rawReference, repository.get(), branchRef.constData(), &commitId, 1, "greenroom: pull request branch") != 0)
        return gitError(QStringLiteral("Invalid branch name %1").arg(change.branch));
    git_reference_free(rawReference);
    char hash[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(hash, sizeof hash, &commitId);

    state.credentialAttempts = 0;
    git_push_options push = GIT_PUSH_OPTIONS_INIT;
    push.callbacks.credentials = credentials;
    push.callbacks.push_update_reference = pushUpdate;
    push.callbacks.payload = &state;
    // Forced, as the pull-request plugin moves an existing head branch.
    QByteArray refspec = '+' + branchRef + ':' + branchRef;
    char *specs[] = {refspec.data()};
    const git_strarray refspecs{specs, 1};
    context.log(QStringLiteral("Pushing commit %1 to branch %2").arg(QString::fromLatin1(hash), change.branch));
    if (git_remote_push(remote.get(), &refspecs, &push) != 0)
        return gitError(QStringLiteral("Cannot push to %1").arg(displayGitUrl(change.remoteUrl)));
    if (!state.rejected.isEmpty())
        return Error(QStringLiteral("ConflictError"), QStringLiteral("The remote %1 refused %2").arg(displayGitUrl(change.remoteUrl), state.rejected));
    return std::optional<QString>(QString::fromLatin1(hash));
}

void outputPublished(ActionContext &context, const QString &remoteUrl, const QString &contentsBase, const QString &branch, const QString &commitHash)
{
    context.output(QStringLiteral("remoteUrl"), remoteUrl);
    context.output(QStringLiteral("repoContentsUrl"), contentsBase + QStringLiteral("/blob/") + branch);
    context.output(QStringLiteral("commitHash"), commitHash);
}

GitPublish gitPublishDefaults(const ActionContext &context)
{
    const ScaffolderServices &services = *context.services;
    const auto input = [&](const char *key, const QString &fallback) {
        const QString value = context.input.value(QLatin1String(key)).toString();
        return value.isEmpty() ? fallback : value;
    };
    GitPublish publish;
    publish.sourcePath = input("sourcePath", QStringLiteral("./"));
    publish.branch = input("defaultBranch", QStringLiteral("main"));
    publish.message = input("gitCommitMessage", services.defaultCommitMessage.isEmpty() ? QStringLiteral("initial commit") : services.defaultCommitMessage);
    publish.authorName = input("gitAuthorName", services.defaultAuthorName.isEmpty() ? QStringLiteral("Scaffolder") : services.defaultAuthorName);
    publish.authorEmail = input("gitAuthorEmail", services.defaultAuthorEmail.isEmpty() ? QStringLiteral("scaffolder@backstage.io") : services.defaultAuthorEmail);
    publish.token = context.input.value(QLatin1String("token")).toString();
    return publish;
}

namespace {

Status publishGit(ActionContext &context)
{
    GitPublish publish = gitPublishDefaults(context);
    publish.remoteUrl = context.input.value(QLatin1String("remoteUrl")).toString();
    publish.username = context.input.value(QLatin1String("gitUsername")).toString();
    if (publish.token.isEmpty()) {
        // integrations.<provider>[].token for the remote's host, as fetches use it.
        const QString host = QUrl(publish.remoteUrl).host().toLower();
        for (const Ingest::GitCredential &credential : context.services->gitCredentials) {
            if (!host.isEmpty() && credential.host.compare(host, Qt::CaseInsensitive) == 0) {
                publish.token = credential.password;
                if (publish.username.isEmpty())
                    publish.username = credential.username;
                break;
            }
        }
    }
    auto hash = initCommitAndPush(context, publish);
    if (!hash)
        return hash.error();
    // repoContentsUrl as a `git` location target (<repository>/blob/<ref>), so catalog:register can add the catalog file.
    outputPublished(context, displayGitUrl(publish.remoteUrl), displayGitUrl(publish.remoteUrl), publish.branch, hash.value());
    return Ok{};
}

} // namespace

ActionInfo publishGitAction()
{
    return {QStringLiteral("publish:git"),
            QStringLiteral("Initializes a git repository of the content in the workspace, and publishes it to any git remote."),
            QJsonDocument::fromJson(R"JSON({"type": "object", "required": ["remoteUrl"], "properties": {
                "remoteUrl": {"type": "string", "description": "Where to push: https://, ssh://, file:// or a path to a bare repository"},
                "defaultBranch": {"type": "string", "description": "Branch to create (default main)"},
                "sourcePath": {"type": "string", "description": "Folder of the workspace to publish (default the whole workspace)"},
                "gitCommitMessage": {"type": "string"}, "gitAuthorName": {"type": "string"}, "gitAuthorEmail": {"type": "string"},
                "gitUsername": {"type": "string"}, "token": {"type": "string"}}})JSON").object(),
            QJsonDocument::fromJson(R"({"type": "object", "properties": {
                "remoteUrl": {"type": "string"}, "repoContentsUrl": {"type": "string"}, "commitHash": {"type": "string"}}})").object(),
            false, publishGit};
}

} // namespace Greenroom::Scaffold
