// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "gitreader.h"

#include <common/glob.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QMutexLocker>
#include <QUrl>

#include <git2.h>
#include <mutex>

namespace Greenroom::Ingest {

namespace {

const QStringList FileMarkers{QStringLiteral("/-/blob/"), QStringLiteral("/-/tree/"), QStringLiteral("/blob/"),
                              QStringLiteral("/tree/")};

void initialiseLibgit2()
{
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
}

// Fetches into one cache folder take turns, also across sessions.
QMutex &fetchMutex()
{
    static QMutex mutex;
    return mutex;
}

QString lastGitError()
{
    const git_error *error = git_error_last();
    return error && error->message ? QString::fromUtf8(error->message).trimmed() : QStringLiteral("unknown libgit2 error");
}

template<typename T, void (*Free)(T *)>
struct GitFree
{
    void operator()(T *object) const { Free(object); }
};
using RepositoryPtr = std::unique_ptr<git_repository, GitFree<git_repository, git_repository_free>>;
using RemotePtr = std::unique_ptr<git_remote, GitFree<git_remote, git_remote_free>>;
using ObjectPtr = std::unique_ptr<git_object, GitFree<git_object, git_object_free>>;
using TreePtr = std::unique_ptr<git_tree, GitFree<git_tree, git_tree_free>>;
using TreeEntryPtr = std::unique_ptr<git_tree_entry, GitFree<git_tree_entry, git_tree_entry_free>>;
using BlobPtr = std::unique_ptr<git_blob, GitFree<git_blob, git_blob_free>>;
using CommitPtr = std::unique_ptr<git_commit, GitFree<git_commit, git_commit_free>>;

// A local path becomes a file:// URL, so every repository is a URL from here on.
QString repositoryUrl(const QString &repository)
{
    if (repository.startsWith(QLatin1Char('/')))
        return QUrl::fromLocalFile(repository).toString();
    return repository;
}

struct CredentialPayload
{
    const QList<GitCredential> *credentials = nullptr;
    int attempts = 0;
};

int acquireCredential(git_credential **out, const char *url, const char *usernameFromUrl, unsigned int allowedTypes,
                      void *payload)
{
    auto *p = static_cast<CredentialPayload *>(payload);
    if (++p->attempts > 1)   // the server refused what we offered: do not loop
        return GIT_EUSER;
    if (!(allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
        return GIT_PASSTHROUGH;
    const QString host = QUrl(QString::fromUtf8(url)).host().toLower();
    for (const GitCredential &credential : *p->credentials) {
        if (credential.host.toLower() != host)
            continue;
        const QByteArray user = (credential.username.isEmpty() && usernameFromUrl ? QString::fromUtf8(usernameFromUrl)
                                                                                  : credential.username).toUtf8();
        return git_credential_userpass_plaintext_new(out, user.constData(), credential.password.toUtf8().constData());
    }
    return GIT_PASSTHROUGH;
}

QString oidText(const git_oid &id)
{
    char text[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(text, sizeof text, &id);
    return QString::fromLatin1(text);
}

} // namespace

Result<GitTarget> GitTarget::parse(const QString &target)
{
    for (const QString &marker : FileMarkers) {
        const qsizetype at = target.indexOf(marker);
        if (at <= 0)
            continue;
        const QString rest = target.mid(at + marker.size());
        const qsizetype slash = rest.indexOf(QLatin1Char('/'));
        GitTarget parsed{target.left(at), slash < 0 ? rest : rest.left(slash), slash < 0 ? QString() : rest.mid(slash + 1)};
        while (parsed.path.endsWith(QLatin1Char('/')))
            parsed.path.chop(1);
        if (parsed.ref.isEmpty())
            break;
        return parsed;
    }
    return Error::input(QStringLiteral("Invalid git location target %1, expected <repository URL>/blob/<ref>/<path>, "
                                       "e.g. https://git.example.com/acme/repo.git/blob/main/catalog-info.yaml")
                            .arg(GitReader::displayUrl(target)));
}

QString GitTarget::toString() const
{
    return repository + QStringLiteral("/blob/") + ref + (path.isEmpty() ? QString() : QLatin1Char('/') + path);
}

Result<GitTarget> GitTarget::resolved(const QString &relative) const
{
    if (relative.contains(QLatin1String("://")) || relative.startsWith(QLatin1Char('/'))) {
        auto absolute = parse(relative);
        if (!absolute)
            return absolute.error();
        return absolute.value();
    }
    const QString folder = path.contains(QLatin1Char('/')) ? path.section(QLatin1Char('/'), 0, -2) : QString();
    const QString joined = QDir::cleanPath(QStringLiteral("/") + folder + QLatin1Char('/') + relative);
    if (joined.startsWith(QLatin1String("/..")))
        return Error::input(QStringLiteral("%1 leaves the repository of %2").arg(relative, GitReader::displayUrl(toString())));
    return GitTarget{repository, ref, joined.mid(1)};
}

QString GitReader::displayUrl(const QString &repository)
{
    const QUrl url(repository);
    if (url.isValid() && !url.userInfo().isEmpty())
        return url.toString(QUrl::RemoveUserInfo);
    return repository;
}

GitReader::GitReader(QString cacheDir, QList<GitCredential> credentials)
    : m_cacheDir(std::move(cacheDir)), m_credentials(std::move(credentials))
{
}

struct GitReader::Session::Private
{
    const GitReader &reader;
    QMutex mutex;
    struct Fetched
    {
        RepositoryPtr repository;
        std::optional<Error> error;
        QHash<QString, git_oid> commits;   // by ref
    };
    QHash<QString, std::shared_ptr<Fetched>> repositories;   // by repository URL

    explicit Private(const GitReader &r) : reader(r) {}

    Fetched &fetch(const QString &repository)
    {
        auto it = repositories.find(repository);
        if (it != repositories.end())
            return **it;
        auto fetched = std::make_shared<Fetched>();
        repositories.insert(repository, fetched);
        const QString url = repositoryUrl(repository);
        const QString shown = displayUrl(url);
        const QByteArray hash = QCryptographicHash::hash(url.toUtf8(), QCryptographicHash::Sha1).toHex();
        const QString mirror = QDir(reader.m_cacheDir).filePath(QString::fromLatin1(hash) + QStringLiteral(".git"));
        QMutexLocker lock(&fetchMutex());
        git_repository *raw = nullptr;
        const QByteArray mirrorPath = QFile::encodeName(mirror);
        if (!QFileInfo::exists(mirror)) {
            if (!QDir().mkpath(reader.m_cacheDir) || git_repository_init(&raw, mirrorPath.constData(), 1) != 0) {
                fetched->error = Error::internal(QStringLiteral("could not create the git cache %1, %2").arg(mirror, lastGitError()));
                return *fetched;
            }
            fetched->repository.reset(raw);
            git_remote *remote = nullptr;
            if (git_remote_create_with_fetchspec(&remote, raw, "origin", url.toUtf8().constData(),
                                                 "+refs/heads/*:refs/heads/*") != 0
                || git_remote_add_fetch(raw, "origin", "+refs/tags/*:refs/tags/*") != 0) {
                git_remote_free(remote);
                fetched->error = Error::internal(QStringLiteral("could not set up the git cache for %1, %2").arg(shown, lastGitError()));
                return *fetched;
            }
            git_remote_free(remote);
        } else {
            if (git_repository_open_bare(&raw, mirrorPath.constData()) != 0) {
                fetched->error = Error::internal(QStringLiteral("could not open the git cache %1, %2").arg(mirror, lastGitError()));
                return *fetched;
            }
            fetched->repository.reset(raw);
        }
        git_remote *rawRemote = nullptr;
        if (git_remote_lookup(&rawRemote, raw, "origin") != 0) {
            fetched->error = Error::internal(QStringLiteral("could not open the git cache %1, %2").arg(mirror, lastGitError()));
            return *fetched;
        }
        RemotePtr remote(rawRemote);
        CredentialPayload payload{&reader.m_credentials, 0};
        git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
        options.prune = GIT_FETCH_PRUNE;
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;   // the refspec brings them all
        options.callbacks.credentials = acquireCredential;
        options.callbacks.payload = &payload;
        if (git_remote_fetch(remote.get(), nullptr, &options, "greenroom fetch") != 0) {
            // Any user info in the URL stays out of the message.
            fetched->error = Error::internal(QStringLiteral("could not fetch %1, %2").arg(shown, lastGitError()));
        }
        return *fetched;
    }

    Result<git_oid> commitOf(const GitTarget &target)
    {
        Fetched &fetched = fetch(target.repository);
        if (fetched.error)
            return *fetched.error;
        if (const auto known = fetched.commits.constFind(target.ref); known != fetched.commits.cend())
            return *known;
        git_object *raw = nullptr;
        const QStringList candidates{QStringLiteral("refs/heads/") + target.ref, QStringLiteral("refs/tags/") + target.ref,
                                     target.ref};
        for (const QString &candidate : candidates) {
            if (git_revparse_single(&raw, fetched.repository.get(), candidate.toUtf8().constData()) == 0)
                break;
            raw = nullptr;
        }
        if (!raw)
            return Error(QStringLiteral("NotFoundError"),
                         QStringLiteral("ref %1 not found in %2").arg(target.ref, displayUrl(target.repository)));
        ObjectPtr object(raw);
        git_object *peeled = nullptr;
        if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0)
            return Error(QStringLiteral("NotFoundError"),
                         QStringLiteral("ref %1 of %2 is not a commit").arg(target.ref, displayUrl(target.repository)));
        ObjectPtr commit(peeled);
        const git_oid id = *git_object_id(commit.get());
        fetched.commits.insert(target.ref, id);
        return id;
    }

    Result<TreePtr> treeOf(const GitTarget &target)
    {
        auto id = commitOf(target);
        if (!id)
            return id.error();
        git_commit *commit = nullptr;
        git_repository *repository = repositories.value(target.repository)->repository.get();
        if (git_commit_lookup(&commit, repository, &id.value()) != 0)
            return Error::internal(lastGitError());
        CommitPtr owned(commit);
        git_tree *tree = nullptr;
        if (git_commit_tree(&tree, owned.get()) != 0)
            return Error::internal(lastGitError());
        return TreePtr(tree);
    }

    // The tree at the target's path: the root tree for an empty path.
    Result<TreePtr> folderOf(const GitTarget &target)
    {
        auto root = treeOf(target);
        if (!root || target.path.isEmpty())
            return root;
        git_tree_entry *rawEntry = nullptr;
        const auto notFound = [&] {
            return Error(QStringLiteral("NotFoundError"), QStringLiteral("no folder %1 at %2")
                                                              .arg(target.path, displayUrl(target.repository) + QLatin1Char('@') + target.ref));
        };
        if (git_tree_entry_bypath(&rawEntry, root.value().get(), target.path.toUtf8().constData()) != 0)
            return notFound();
        TreeEntryPtr entry(rawEntry);
        if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE)
            return notFound();
        git_tree *tree = nullptr;
        git_repository *repository = repositories.value(target.repository)->repository.get();
        if (git_tree_lookup(&tree, repository, git_tree_entry_id(entry.get())) != 0)
            return Error::internal(lastGitError());
        return TreePtr(tree);
    }
};

GitReader::Session::Session(const GitReader &reader) : d(std::make_unique<Private>(reader))
{
    initialiseLibgit2();
}

GitReader::Session::~Session() = default;

std::unique_ptr<GitReader::Session> GitReader::session() const
{
    return std::unique_ptr<Session>(new Session(*this));
}

Result<QString> GitReader::Session::commitId(const GitTarget &target)
{
    QMutexLocker lock(&d->mutex);
    auto id = d->commitOf(target);
    if (!id)
        return id.error();
    return oidText(id.value());
}

Result<QString> GitReader::Session::folderId(const GitTarget &target)
{
    QMutexLocker lock(&d->mutex);
    auto folder = d->folderOf(target);
    if (!folder)
        return folder.error();
    return oidText(*git_tree_id(folder.value().get()));
}

Result<QString> GitReader::Session::exportFolder(const GitTarget &target, const QString &destination, qint64 maxBytes)
{
    QMutexLocker lock(&d->mutex);
    auto folder = d->folderOf(target);
    if (!folder)
        return folder.error();
    git_repository *repository = d->repositories.value(target.repository)->repository.get();
    struct Export
    {
        git_repository *repository;
        QDir destination;
        qint64 budget;
        std::optional<Error> error;
    } walk{repository, QDir(destination), maxBytes, std::nullopt};
    if (!QDir().mkpath(destination))
        return Error::internal(QStringLiteral("could not create %1").arg(destination));
    const auto visit = [](const char *root, const git_tree_entry *entry, void *payload) -> int {
        auto *w = static_cast<Export *>(payload);
        const QString path = QString::fromUtf8(root) + QString::fromUtf8(git_tree_entry_name(entry));
        const git_filemode_t mode = git_tree_entry_filemode(entry);
        if (mode == GIT_FILEMODE_TREE) {
            if (QDir().mkpath(w->destination.filePath(path)))
                return 0;
            w->error = Error::internal(QStringLiteral("could not create %1").arg(path));
            return -1;
        }
        if (mode == GIT_FILEMODE_COMMIT)   // a submodule: not part of this repository's contents
            return 0;
        git_blob *rawBlob = nullptr;
        if (git_blob_lookup(&rawBlob, w->repository, git_tree_entry_id(entry)) != 0) {
            w->error = Error::internal(lastGitError());
            return -1;
        }
        BlobPtr blob(rawBlob);
        const qint64 size = qint64(git_blob_rawsize(blob.get()));
        if ((w->budget -= size) < 0) {
            w->error = Error::input(QStringLiteral("the folder is larger than the limit of %1 bytes").arg(w->budget + size));
            return -1;
        }
        const QByteArray content(static_cast<const char *>(git_blob_rawcontent(blob.get())), qsizetype(size));
        const QString file = w->destination.filePath(path);
        if (mode == GIT_FILEMODE_LINK) {
            if (!QFile::link(QString::fromUtf8(content), file)) {
                w->error = Error::internal(QStringLiteral("could not write the symlink %1").arg(path));
                return -1;
            }
            return 0;
        }
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(content) != size) {
            w->error = Error::internal(QStringLiteral("could not write %1: %2").arg(file, out.errorString()));
            return -1;
        }
        return 0;
    };
    if (git_tree_walk(folder.value().get(), GIT_TREEWALK_PRE, visit, &walk) != 0)
        return walk.error.value_or(Error::internal(lastGitError()));
    return oidText(*git_tree_id(folder.value().get()));
}

Result<QByteArray> GitReader::Session::readFile(const GitTarget &target, qint64 maxBytes)
{
    QMutexLocker lock(&d->mutex);
    auto tree = d->treeOf(target);
    if (!tree)
        return tree.error();
    const auto notFound = [&] {
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("could not read %1, no such file at %2")
                                                          .arg(target.path, displayUrl(target.repository) + QLatin1Char('@') + target.ref));
    };
    git_tree_entry *rawEntry = nullptr;
    if (git_tree_entry_bypath(&rawEntry, tree.value().get(), target.path.toUtf8().constData()) != 0)
        return notFound();
    TreeEntryPtr entry(rawEntry);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB)
        return notFound();
    git_blob *rawBlob = nullptr;
    git_repository *repository = d->repositories.value(target.repository)->repository.get();
    if (git_blob_lookup(&rawBlob, repository, git_tree_entry_id(entry.get())) != 0)
        return Error::internal(lastGitError());
    BlobPtr blob(rawBlob);
    const auto size = git_blob_rawsize(blob.get());
    if (qint64(size) > maxBytes)
        return Error::input(QStringLiteral("file %1 is %2 bytes, larger than the limit of %3").arg(target.path).arg(size).arg(maxBytes));
    return QByteArray(static_cast<const char *>(git_blob_rawcontent(blob.get())), qsizetype(size));
}

Result<QStringList> GitReader::Session::matchFiles(const GitTarget &target)
{
    QMutexLocker lock(&d->mutex);
    auto tree = d->treeOf(target);
    if (!tree)
        return tree.error();
    if (!Glob::hasGlobCharacters(target.path)) {
        git_tree_entry *entry = nullptr;
        if (git_tree_entry_bypath(&entry, tree.value().get(), target.path.toUtf8().constData()) != 0)
            return QStringList();
        TreeEntryPtr owned(entry);
        return git_tree_entry_type(owned.get()) == GIT_OBJECT_BLOB ? QStringList{target.path} : QStringList();
    }
    struct Walk
    {
        QRegularExpression pattern;
        QStringList matches;
    } walk{Glob::globToRegularExpression(target.path), {}};
    const auto visit = [](const char *root, const git_tree_entry *entry, void *payload) -> int {
        auto *w = static_cast<Walk *>(payload);
        if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
            const QString path = QString::fromUtf8(root) + QString::fromUtf8(git_tree_entry_name(entry));
            if (w->pattern.match(path).hasMatch())
                w->matches.append(path);
        }
        return 0;
    };
    if (git_tree_walk(tree.value().get(), GIT_TREEWALK_PRE, visit, &walk) != 0)
        return Error::internal(lastGitError());
    walk.matches.sort();
    return walk.matches;
}

} // namespace Greenroom::Ingest
