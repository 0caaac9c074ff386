// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// Built-in actions defined outside builtinactions.cpp (they need libraries
// of their own), added to ActionRegistry::builtin().

#include "taskrunner.h"

#include <optional>

namespace Greenroom::Scaffold {

ActionInfo publishGitAction();      // publishgit.cpp, libgit2
ActionInfo publishGitHubAction();   // publishgithub.cpp, GitHub's REST API, then libgit2
ActionInfo gitHubRepoCreateAction();
ActionInfo gitHubRepoPushAction();
ActionInfo publishGitHubPullRequestAction();
ActionInfo catalogRegisterAction(); // catalogactions.cpp
ActionInfo catalogFetchAction();

// What one publisher pushes: a folder of the workspace as the first commit
// of a new branch.
struct GitPublish
{
    QString sourcePath;
    QString remoteUrl;
    QString branch;
    QString message;
    QString authorName;
    QString authorEmail;
    QString username;   // with `token`; empty: the URL's, else x-access-token
    QString token;
};

// The inputs every publisher shares (sourcePath, defaultBranch,
// gitCommitMessage, gitAuthorName/Email, token): the input, else app-config's
// scaffolder section, else Backstage's built-in values.
GitPublish gitPublishDefaults(const ActionContext &context);

// git init, add everything, commit, push (never forced; a branch that
// exists on the remote is a ConflictError). The commit's hash.
Result<QString> initCommitAndPush(ActionContext &context, const GitPublish &publish);

// What a pull request's branch carries: a folder of the workspace written
// over the base branch (at targetPath), some files deleted, as one commit.
struct GitBranchChange
{
    QString remoteUrl;
    QString username;          // with `token`
    QString token;
    QString baseBranch;
    QString branch;            // made or moved (forced) to the new commit
    QString sourceFolder;      // absolute, inside the workspace
    QString targetPath;        // inside the repository; empty: its root
    QStringList filesToDelete; // relative to targetPath
    QString message;
    QString authorName;
    QString authorEmail;
    bool createWhenEmpty = true;
};

// Clones the base branch, applies the change, commits on `branch` and pushes
// it. The commit's hash; none when nothing changed and createWhenEmpty is
// false (then nothing is pushed).
Result<std::optional<QString>> commitChangeToBranch(ActionContext &context, const GitBranchChange &change);

// A publisher's outputs: remoteUrl, repoContentsUrl (<contents>/blob/<branch>), commitHash.
void outputPublished(ActionContext &context, const QString &remoteUrl, const QString &contentsBase, const QString &branch, const QString &commitHash);

// `url` without user information, for logs and outputs.
QString displayGitUrl(const QString &url);

} // namespace Greenroom::Scaffold
