// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "directorycontents.h"

#include "workspacepath.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QSaveFile>

namespace Greenroom::Scaffold {

namespace {

QJsonObject fileEntry(const QString &relativePath, const QByteArray &content, bool executable)
{
    return QJsonObject{{QStringLiteral("path"), relativePath},
                       {QStringLiteral("executable"), executable},
                       {QStringLiteral("base64Content"), QString::fromLatin1(content.toBase64())}};
}

} // namespace

Result<QJsonArray> readDirectoryContents(const QString &folder, qint64 maxBytes)
{
    const QDir root(folder);
    if (!root.exists())
        return Error::input(QStringLiteral("The folder %1 does not exist").arg(folder));
    QStringList paths;
    qint64 total = 0;
    QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        // A linked folder's files come through the iterator too; they are not the folder's own.
        if (!info.canonicalFilePath().startsWith(root.canonicalPath() + QLatin1Char('/')))
            continue;
        total += info.size();
        if (total > maxBytes)
            return Error::input(QStringLiteral("The files in %1 are more than %2 MiB in all").arg(folder).arg(maxBytes / (1024 * 1024)));
        paths.append(root.relativeFilePath(info.filePath()));
    }
    paths.sort();
    QJsonArray files;
    for (const QString &path : std::as_const(paths)) {
        QFile file(root.filePath(path));
        if (!file.open(QIODevice::ReadOnly))
            return Error::internal(QStringLiteral("Cannot read %1: %2").arg(file.fileName(), file.errorString()));
        files.append(fileEntry(path, file.readAll(), file.permissions() & QFileDevice::ExeOwner));
    }
    return files;
}

QJsonArray directoryContents(const QString &folder, const QStringList &relativePaths)
{
    QJsonArray files;
    for (const QString &path : relativePaths) {
        const QFileInfo info(QDir(folder).filePath(path));
        if (info.isSymLink()) {
            // As Backstage's dry run: a link that resolves is left out, a broken one
            // carries its own text. What a link points at is never read.
            if (!info.exists())
                files.append(fileEntry(path, symLinkText(info.filePath()).toUtf8(), false));
            continue;
        }
        QFile file(info.filePath());
        const bool readable = file.open(QIODevice::ReadOnly);
        files.append(fileEntry(path, readable ? file.readAll() : QByteArray(), file.permissions() & QFileDevice::ExeOwner));
    }
    return files;
}

Status writeDirectoryContents(const QString &folder, const QJsonArray &contents)
{
    for (const QJsonValue &item : contents) {
        const QString path = item[QLatin1String("path")].toString();
        auto target = resolveSafeChildPath(folder, path);
        if (!target)
            return target.error();
        QDir().mkpath(QFileInfo(target.value()).absolutePath());
        QSaveFile file(target.value());
        if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::fromBase64(item[QLatin1String("base64Content")].toString().toLatin1())) < 0
            || !file.commit())
            return Error::internal(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
        if (item[QLatin1String("executable")].toBool())
            QFile::setPermissions(target.value(), QFile::permissions(target.value()) | QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther);
    }
    return Ok{};
}

} // namespace Greenroom::Scaffold
