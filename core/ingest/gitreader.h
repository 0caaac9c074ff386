// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <memory>

namespace Greenroom::Ingest {

/*
 * A `git` location's target: `<repository URL>/blob/<ref>/<path>`, the way
 * GitHub, Gitea and (with `/-/blob/`) GitLab spell a file in a repository,
 * so relative targets resolve like URLs and stay inside the repository and
 * ref. The repository URL is anything libgit2 can fetch: https://, ssh://,
 * git://, file:// or a local path (a bare repository in tests). `tree`
 * works in place of `blob`. Refs containing '/' cannot be written this way.
 */
struct GitTarget
{
    QString repository;
    QString ref;
    QString path;   // inside the repository, without a leading '/'

    static Result<GitTarget> parse(const QString &target);
    QString toString() const;
    // `relative` (./x.yaml, ../y/*.yaml) resolved against this file's folder;
    // an InputError when it leaves the repository.
    Result<GitTarget> resolved(const QString &relative) const;
};

// Credentials for fetching from a host (from the `integrations` config).
struct GitCredential
{
    QString host;       // matched against the repository URL's host, lower case
    QString username;
    QString password;   // a token or password; never printed
};

/*
 * Reads files of git repositories with libgit2. Each repository is fetched
 * into a bare mirror under the cache folder (all branches and tags, pruned),
 * so a refresh moves only new objects; files are read from the fetched
 * commit's tree, never from a checkout, so nothing half-written is read.
 */
class GitReader
{
public:
    GitReader() = default;
    GitReader(QString cacheDir, QList<GitCredential> credentials = {});

    /*
     * One pass over some locations: a repository is fetched on first use
     * and every later read in the session sees that same commit. Its
     * methods are thread-safe (they take turns).
     */
    class Session
    {
    public:
        ~Session();
        Session(const Session &) = delete;
        Session &operator=(const Session &) = delete;

        Result<QByteArray> readFile(const GitTarget &target, qint64 maxBytes);
        // Paths of the files a glob target names, sorted; a plain path
        // gives itself when it is a file, nothing when it does not exist.
        Result<QStringList> matchFiles(const GitTarget &target);
        // The commit the target's ref named when the repository was fetched.
        Result<QString> commitId(const GitTarget &target);
        // The id of the tree at the target's path (a folder; the root when
        // the path is empty): equal ids, equal contents. A NotFoundError
        // when there is no such folder.
        Result<QString> folderId(const GitTarget &target);
        // Writes that folder's files into `destination` (created) and
        // returns its tree id. Symlinks are written as symlinks (whoever
        // reads the copy decides whether they may point where they do);
        // submodules are skipped. An InputError past `maxBytes` in total.
        Result<QString> exportFolder(const GitTarget &target, const QString &destination, qint64 maxBytes);

    private:
        friend class GitReader;
        explicit Session(const GitReader &reader);
        struct Private;
        std::unique_ptr<Private> d;
    };

    std::unique_ptr<Session> session() const;
    bool isConfigured() const { return !m_cacheDir.isEmpty(); }

    // The URL without user info, for messages.
    static QString displayUrl(const QString &repository);

private:
    QString m_cacheDir;
    QList<GitCredential> m_credentials;
};

} // namespace Greenroom::Ingest
