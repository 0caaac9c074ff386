// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QRegularExpression>
#include <QStringList>

namespace Greenroom::Glob {

// `*` matches within a path segment, `**` across segments, `?` one character,
// `{a,b}` alternatives; dot files match too (minimatch with `dot: true`).
QRegularExpression globToRegularExpression(const QString &glob, Qt::CaseSensitivity cs = Qt::CaseSensitive);
bool hasGlobCharacters(const QString &path);
// Files matching an absolute glob, sorted. Directories are walked only below
// the glob's fixed prefix.
QStringList expandFileGlob(const QString &absoluteGlob);

} // namespace Greenroom::Glob
