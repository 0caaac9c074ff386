// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "workspacepath.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

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

QString symLinkText(const QString &link)
{
    char text[4096];
    const ssize_t length = ::readlink(QFile::encodeName(link).constData(), text, sizeof text);
    return length < 0 ? QString() : QFile::decodeName(QByteArray(text, length));
}

namespace {

// Writes one entry (file or link) at `target`, whose folder must stay inside `within`.
Status copyEntry(const QFileInfo &entry, const QString &target, const QString &within, const QString &name)
{
    const QString folder = QFileInfo(target).absolutePath();
    if (auto safe = resolveSafeChildPath(within, folder); !safe)
        return safe.error();
    if (auto safe = resolveSafeChildPath(within, target); !safe && !QFileInfo(target).isSymLink())
        return safe.error();
    if (!QDir().mkpath(folder))
        return Error::internal(QStringLiteral("Cannot create the folder of %1").arg(name));
    // What is there already (a link too) is replaced: removed, never written through.
    const QFileInfo existing(target);
    if ((existing.exists() || existing.isSymLink()) && !QFile::remove(target))
        return Error::internal(QStringLiteral("Cannot replace %1").arg(name));
    if (entry.isSymLink()) {
        const QString text = symLinkText(entry.filePath());
        if (text.isEmpty() || !QFile::link(text, target))
            return Error::internal(QStringLiteral("Cannot copy the link %1").arg(name));
        return Ok{};
    }
    if (!QFile::copy(entry.filePath(), target))
        return Error::internal(QStringLiteral("Cannot copy %1").arg(name));
    QFile::setPermissions(target, entry.permissions());
    return Ok{};
}

} // namespace

Status copyTree(const QString &from, const QString &to, const QString &within, const QStringList &leaveOut)
{
    const QFileInfo top(from);
    if (top.isFile() || top.isSymLink())
        return copyEntry(top, to, within, top.fileName());
    if (auto safe = resolveSafeChildPath(within, to); !safe)
        return safe.error();
    QDir().mkpath(to);
    const QDir root(from);
    QDirIterator it(from, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo entry(it.next());
        const QString relative = root.relativeFilePath(entry.filePath());
        const QString topName = relative.section(QLatin1Char('/'), 0, 0);
        if (leaveOut.contains(topName))
            continue;
        const QString target = to + QLatin1Char('/') + relative;
        if (entry.isDir() && !entry.isSymLink()) {
            if (auto safe = resolveSafeChildPath(within, target); !safe)
                return safe.error();
            if (!QDir().mkpath(target))
                return Error::internal(QStringLiteral("Cannot create %1").arg(relative));
        } else if (const Status copied = copyEntry(entry, target, within, relative); !copied) {
            return copied;
        }
    }
    return Ok{};
}

} // namespace Greenroom::Scaffold
