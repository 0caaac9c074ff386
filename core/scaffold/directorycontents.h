// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonArray>
#include <QStringList>

namespace Greenroom::Scaffold {

/*
 * Files as Backstage's dry run carries them in `directoryContents`:
 * [{path, executable, base64Content}], paths relative and sorted. The same
 * shape takes a template's files to a desktop that runs a task itself.
 */

// Every regular file below `folder` (dot files too). Symlinks are left out,
// never followed: a link in a template folder must not hand out what it
// points at. More than `maxBytes` in all is an error naming the folder.
Result<QJsonArray> readDirectoryContents(const QString &folder, qint64 maxBytes = 64 * 1024 * 1024);

// The named files of `folder` (a workspace's, as TaskResult lists them).
// A symlink is never followed: one that resolves is left out, a broken one
// is carried as its link text, as Backstage's serializeDirectoryContents does.
QJsonArray directoryContents(const QString &folder, const QStringList &relativePaths);

// Writes them below `folder`; a path that would lead out of it is refused
// (resolveSafeChildPath's error) and nothing after it is written.
Status writeDirectoryContents(const QString &folder, const QJsonArray &contents);

} // namespace Greenroom::Scaffold
