// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QString>

namespace Greenroom::Scaffold {

/*
 * Backstage's resolveSafeChildPath: `relative` resolved against `base`
 * must stay inside `base` (no `..` escape, no absolute path, and no
 * symlink on the way that leads out: the deepest existing part is
 * resolved on disk). Otherwise a NotAllowedError with Backstage's text,
 * "Relative path is not allowed to refer to a directory outside its parent".
 */
Result<QString> resolveSafeChildPath(const QString &base, const QString &relative);

// Copies a file, or a folder with everything below it (dot files too),
// keeping file modes; symlinks are copied as links, never followed.
Status copyTree(const QString &from, const QString &to);

} // namespace Greenroom::Scaffold
