// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QList>
#include <QString>

namespace Greenroom::Docs {

/*
 * Turns source code into HTML spans with Pygments' short token classes (k, s2,
 * c1, mi, nt, ...) so a stylesheet written for Pygments' output (Material for
 * MkDocs' is) colours it. Written here rather than taken from a library
 * because Debian 12 packages no C++ highlighter for Qt 6 (KSyntaxHighlighting
 * is Qt 5 only there) and TechDocs pages must carry Pygments' class names; a
 * small table-driven lexer covers the languages docs use most.
 */
class CodeHighlighter
{
public:
    // Whether `language` (a fence's language name or alias) has a lexer.
    static bool knows(const QString &language);

    // The canonical name of `language` ("py" -> "python"), or "text".
    static QString canonicalName(const QString &language);

    // HTML-escaped code with token spans. Lines keep their '\n'. Unknown
    // languages come back escaped only.
    static QString highlight(const QString &code, const QString &language);
};

} // namespace Greenroom::Docs
