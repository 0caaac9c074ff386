// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "markdowndialect.h"
#include "mkdocsconfig.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <functional>

namespace Greenroom::Docs {

struct TocEntry
{
    int level = 0;
    QString id;
    QString title;   // plain text
};

// One Markdown file to render, and how its links are resolved.
struct MarkdownSource
{
    QString text;
    QString path;    // relative to docs_dir, for messages
    // Rewrites a Markdown link or image target; called only for relative
    // links (no scheme, not "#..." or "/..."). Returns the new href, or an
    // empty string when the target is unknown (the link stays as written).
    std::function<QString(const QString &target, bool image)> rewriteLink;
    // Reads a `--8<--` snippet, path relative to the docs root; an empty
    // optional-like null string when the file is missing or not allowed.
    std::function<QString(const QString &path)> readSnippet;
};

struct RenderedMarkdown
{
    QString html;                  // unsanitised body HTML
    QList<TocEntry> toc;           // headings with ids, in document order
    QJsonObject meta;              // front matter
    QString leadingH1;             // text of the first block when it is an H1
    QList<BuildMessage> messages;  // missing links, diagrams shown as source, ...
};

/*
 * Markdown as MkDocs with techdocs-core renders it: Python-Markdown's dialect
 * (4-space block indentation, raw HTML blocks kept verbatim, no list directly
 * after a paragraph, smart emphasis) plus the extensions techdocs-core turns
 * on (admonition, details, tabbed, toc, attr_list, tables, footnotes, def
 * lists, abbr, tasklist, superfences, highlight, inlinehilite, emoji, caret,
 * mark, tilde, critic, smartsymbols, magiclink, snippets). md4c parses the
 * CommonMark core; the Python-Markdown block extensions are split out before
 * it and rendered recursively; inline extensions are handled around it.
 *
 * Stateless between calls; safe to call from several threads at once.
 */
RenderedMarkdown renderMarkdown(const MarkdownSource &source, const MarkdownDialect &dialect);

// Python-Markdown's toc slug: NFKD, ASCII only, word characters, spaces and
// hyphens kept, lower case, space/hyphen runs joined by `separator`.
QString headingSlug(const QString &text, const QString &separator = QStringLiteral("-"));

} // namespace Greenroom::Docs
