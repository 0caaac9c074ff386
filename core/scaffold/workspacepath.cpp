// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "workspacepath.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace Greenroom::Scaffold {

namespace {

bool isInside(const QString &base, const QString &path)
{
    return path == base || path.startsWith(base.endsWith(QLatin1Char('/')) ? base : base + QLatin1Char('/'));
}

// The path with its deepest existing ancestor resolved through symlinks.
QString realPath(const QString &path)
{
    QString existing = path;
    QString rest;
    while (!existing.isEmpty() && !QFileInfo::exists(existing) && !QFileInfo(existing).isSymLink()) {
        const qsizetype slash = existing.lastIndexOf(QLatin1Char('/'));
        if (slash <= 0)
            return path;
        rest = existing.mid(slash) + rest;
        existing = existing.left(slash);
    }
    const QString canonical = QFileInfo(existing).canonicalFilePath();
    // A dangling symlink has no canonical path: it leads nowhere we can vouch for.
    return canonical.isEmpty() ? QString() : canonical + rest;
}

} // namespace

Result<QString> resolveSafeChildPath(const QString &base, const QString &relative)
{
    const QString root = QDir::cleanPath(QFileInfo(base).absoluteFilePath());
    const QString target = QDir::cleanPath(QDir::isAbsolutePath(relative) ? relative : root + QLatin1Char('/') + relative);
    const QString realRoot = realPath(root);
    const QString realTarget = realPath(target);
    if (!isInside(root, target) || realTarget.isEmpty() || !isInside(realRoot.isEmpty() ? root : realRoot, realTarget))
        return Error(QStringLiteral("NotAllowedError"), QStringLiteral("Relative path is not allowed to refer to a directory outside its parent"));
    return target;
}

Status copyTree(const QString &from, const QString &to)
{
    if (QFileInfo(from).isFile()) {
        QDir().mkpath(QFileInfo(to).absolutePath());
        QFile::remove(to);
        return QFile::copy(from, to) ? Status(Ok{}) : Status(Error::internal(QStringLiteral("Cannot copy %1").arg(from)));
    }
    QDirIterator it(from, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    QDir().mkpath(to);
    const QDir root(from);
    while (it.hasNext()) {
        const QFileInfo entry(it.next());
        const QString target = to + QLatin1Char('/') + root.relativeFilePath(entry.filePath());
        if (entry.isSymLink()) {
            QFile::remove(target);
            if (!QFile::link(entry.symLinkTarget(), target))
                return Error::internal(QStringLiteral("Cannot copy the link %1").arg(entry.fileName()));
        } else if (entry.isDir()) {
            QDir().mkpath(target);
        } else {
            QFile::remove(target);
            if (!QFile::copy(entry.filePath(), target))
                return Error::internal(QStringLiteral("Cannot copy %1").arg(root.relativeFilePath(entry.filePath())));
            QFile::setPermissions(target, entry.permissions());
        }
    }
    return Ok{};
}

} // namespace Greenroom::Scaffold
