// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QString>
#include <QStringList>

namespace Greenroom::Scaffold {

/*
 * Backstage's resolveSafeChildPath: `relative` resolved against `base`
 * must stay inside `base` (no `..` escape, no absolute path, and no
 * symlink on the way that leads out: the deepest existing part is
 * resolved on disk). Otherwise a NotAllowedError with Backstage's text,
 * "Relative path is not allowed to refer to a directory outside its parent".
 */
Result<QString> resolveSafeChildPath(const QString &base, const QString &relative);

/*
 * Copies a file, or a folder with everything below it (dot files too), to
 * `to`, keeping file modes. Symlinks are copied as links holding their own
 * text (a relative link stays relative), never followed. Every path written
 * is checked against `within`: a folder on the way that is a link leading
 * out of it (an earlier step may have left one) is refused with
 * resolveSafeChildPath's error, and a link already at a file's own place
 * is replaced, not written through. Entries of the source's top level
 * named in `leaveOut` (".git") are skipped with what is below them.
 */
Status copyTree(const QString &from, const QString &to, const QString &within, const QStringList &leaveOut = {});

// The text a symlink holds (readlink), not the path it resolves to; empty
// when `link` is not a symlink.
QString symLinkText(const QString &link);

} // namespace Greenroom::Scaffold
