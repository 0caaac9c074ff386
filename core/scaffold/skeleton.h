// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "templatelanguage.h"

#include <common/result.h>

#include <QJsonObject>
#include <QStringList>

namespace Greenroom::Scaffold {

// fetch:template's inputs that shape the rendering.
struct SkeletonOptions
{
    QJsonObject values;                 // the files see `values` (`cookiecutter` in compat mode)
    QStringList copyWithoutTemplating;  // globs: contents copied raw, paths still rendered
    QStringList copyWithoutRender;      // legacy globs: neither contents nor paths rendered
    bool cookiecutterCompat = false;    // `{{ }}` delimiters, `cookiecutter.x`, `jsonify`
    QString templateFileExtension;      // set: only files with it are rendered, and lose it
    bool replace = false;               // overwrite files that exist
    bool trimBlocks = false;
    bool lstripBlocks = false;
};

/*
 * Renders the skeleton folder `source` into `target` as fetch:template
 * does: every path is a template (an entry whose rendered path is empty,
 * starts with "/" or contains "//" is skipped; that is how templates make
 * files optional), text files are rendered, binary files and symlinks are
 * copied as they are, file modes are kept, and nothing is written outside
 * `target`. `log` receives Backstage's lines ("Writing file x to template
 * output path ..."). Errors name the skeleton file and line.
 */
Status renderSkeleton(const QString &source, const QString &target, const SkeletonOptions &options, QStringList *log = nullptr);

// The template language as the options set it up (delimiters, filters, whitespace).
TemplateEnvironment skeletonEnvironment(const SkeletonOptions &options);

// The input combinations fetch:template refuses, with Backstage's messages.
Status checkSkeletonOptions(const SkeletonOptions &options);

} // namespace Greenroom::Scaffold
