// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docssource.h"

#include <model/annotations.h>
#include <model/entityref.h>
#include <model/locationref.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>

namespace Greenroom::Ingest {

namespace {

// A folder of a repository as a tree URL; the target the reader is sent.
QString treeUrl(const GitTarget &target)
{
    return target.repository + QStringLiteral("/tree/") + target.ref + QLatin1Char('/') + target.path;
}

Result<GitTarget> gitFolder(const QString &target)
{
    auto parsed = GitTarget::parse(target);
    if (!parsed)
        return Error::input(QStringLiteral("Unable to read docs from %1: expected a repository folder URL such as "
                                           "https://github.com/org/repo/tree/main/docs-root").arg(GitReader::displayUrl(target)));
    return parsed.value();
}

bool isWebHost(const QString &repository)
{
    const QUrl url(repository);
    return url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http");
}

QString webRepository(const GitTarget &target)
{
    QString repository = target.repository;
    if (repository.endsWith(QLatin1String(".git")))
        repository.chop(4);
    return repository;
}

} // namespace

Result<DocsSource> DocsSource::forEntity(const QJsonObject &entity)
{
    const QString ref = Model::annotation(entity, Model::Annotations::TechDocsRef);
    if (ref.isEmpty())
        return Error::input(QStringLiteral("No %1 annotation provided in entity: %2")
                                .arg(Model::Annotations::TechDocsRef, entity.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString()));
    auto parsed = Model::LocationRef::parse(ref);
    if (!parsed)
        return parsed.error();
    DocsSource source;
    if (parsed->type == QLatin1String("url")) {
        auto folder = gitFolder(parsed->target);
        if (!folder)
            return folder.error();
        source.locationType = QStringLiteral("url");
        source.locationTarget = parsed->target;
        source.git = folder.value();
        return source;
    }
    if (parsed->type != QLatin1String("dir"))
        return Error::input(QStringLiteral("No preparer registered for type: \"%1\"").arg(parsed->type));

    QString base = Model::annotation(entity, Model::Annotations::SourceLocation);
    if (base.isEmpty())
        base = Model::annotation(entity, Model::Annotations::ManagedByLocation);
    if (base.isEmpty())
        return Error::input(QStringLiteral("Entity '%1' is missing location").arg(Model::EntityRef::canonical(entity)));
    auto location = Model::LocationRef::parse(base);
    if (!location)
        return location.error();
    if (location->type == QLatin1String("file")) {
        const QString parent = QFileInfo(location->target).path();
        const QString folder = QDir::cleanPath(QDir(parent).filePath(parsed->target));
        if (folder != parent && !folder.startsWith(parent + QLatin1Char('/')))
            return Error(QStringLiteral("NotAllowedError"),
                         QStringLiteral("Relative path is not allowed to refer to a directory outside its parent"));
        source.locationType = QStringLiteral("dir");
        source.locationTarget = folder;
        source.folder = folder;
        return source;
    }
    if (location->type == QLatin1String("url") || location->type == QLatin1String("git")) {
        Result<GitTarget> file = gitFolder(location->target);
        if (!file)
            return file.error();
        // A source-location names a folder (…/tree/main/services/api/): `dir:` is relative to that folder
        // itself, as resolving against a URL that ends in '/' is; a managed-by-location names a file.
        GitTarget base = file.value();
        if (location->target.endsWith(QLatin1Char('/')))
            base.path = base.path.isEmpty() ? QStringLiteral(".") : base.path + QStringLiteral("/.");
        auto folder = base.resolved(parsed->target);
        if (!folder)
            return folder.error();
        source.locationType = QStringLiteral("url");
        source.locationTarget = treeUrl(folder.value());
        source.git = folder.value();
        return source;
    }
    return Error::input(QStringLiteral("Unable to resolve location type %1").arg(location->type));
}

QString DocsSource::repositoryUrl() const
{
    if (!git || !isWebHost(git->repository))
        return {};
    return webRepository(*git) + QStringLiteral("/tree/") + git->ref + QLatin1Char('/') + git->path;
}

QString DocsSource::editUrl() const
{
    if (!git || !isWebHost(git->repository))
        return {};
    const bool gitlab = QUrl(git->repository).host().contains(QLatin1String("gitlab"));
    return webRepository(*git) + (gitlab ? QStringLiteral("/-/edit/") : QStringLiteral("/edit/")) + git->ref + QLatin1Char('/') + git->path;
}

Result<QString> docsContentKey(const DocsSource &source, GitReader::Session &git, const DocsReadOptions &options)
{
    if (source.git) {
        if (source.locationType == QLatin1String("url") && isWebHost(source.git->repository)
            && !options.allow.isAllowed(QUrl(source.git->repository))
            && !GitHubIntegration::forUrl(options.github, QUrl(source.git->repository)))
            return Error(QStringLiteral("NotAllowedError"),
                         QStringLiteral("Reading from '%1' is not allowed. You may need to configure an integration for the "
                                        "target host, or add it to the configured list of allowed hosts at 'backend.reading.allow'")
                             .arg(GitReader::displayUrl(source.git->repository)));
        auto id = git.folderId(*source.git);
        if (!id)
            return id.error();
        return QStringLiteral("git:") + id.value();
    }
    if (!QFileInfo(source.folder).isDir())
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("The docs folder %1 does not exist").arg(source.folder));
    // Stat every file rather than read it: cheap enough to run after every
    // read of the catalog location, and any save changes size or time.
    struct Entry
    {
        QString path;
        qint64 size;
        qint64 modified;
    };
    QList<Entry> entries;
    const QDir root(source.folder);
    QDirIterator it(source.folder, QDir::Files | QDir::NoDotAndDotDot | QDir::System, QDirIterator::Subdirectories);
    qint64 total = 0;
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        const QString relative = root.relativeFilePath(info.filePath());
        if (relative.startsWith(QLatin1Char('.')) || relative.contains(QLatin1String("/.")))
            continue;   // .git and other hidden folders are never docs
        total += info.size();
        if (total > options.maxBytes)
            return Error::input(QStringLiteral("The docs folder %1 is larger than the limit of %2 bytes").arg(source.folder).arg(options.maxBytes));
        entries.append({relative, info.size(), info.lastModified().toMSecsSinceEpoch()});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.path < b.path; });
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const Entry &entry : std::as_const(entries))
        hash.addData(QStringLiteral("%1\t%2\t%3\n").arg(entry.path).arg(entry.size).arg(entry.modified).toUtf8());
    return QStringLiteral("dir:") + QString::fromLatin1(hash.result().toHex());
}

Result<PreparedDocs> prepareDocs(const DocsSource &source, GitReader::Session &git, const DocsReadOptions &options)
{
    if (!source.git)
        return PreparedDocs{source.folder, nullptr};
    auto copy = std::make_shared<QTemporaryDir>();
    if (!copy->isValid())
        return Error::internal(QStringLiteral("Cannot create a temporary folder: %1").arg(copy->errorString()));
    auto exported = git.exportFolder(*source.git, copy->path(), options.maxBytes);
    if (!exported)
        return exported.error();
    return PreparedDocs{copy->path(), copy};
}

} // namespace Greenroom::Ingest
