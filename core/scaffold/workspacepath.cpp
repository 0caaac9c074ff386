// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "workspacepath.h"

#include <QDir>
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

} // namespace Greenroom::Scaffold
