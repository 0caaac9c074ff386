// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "mkdocsconfig.h"

#include <common/result.h>

#include <QHash>
#include <QList>
#include <QString>

namespace Greenroom::Docs {

// One file of docs_dir and where it goes in the built site (MkDocs' rules).
struct SiteFile
{
    QString source;      // relative to docs_dir, '/'-separated
    QString output;      // relative to the site root
    QString url;         // relative to the site root; "" = home page
    bool isPage = false;
};

// The site navigation: sections, pages (by index into SiteStructure::files)
// and external links. A page's title is filled in once the page is rendered.
struct NavItem
{
    QString title;       // nav title, or empty: the page's own title
    int file = -1;       // page in SiteStructure::files
    QString url;         // external link or a nav entry whose file is missing
    QList<NavItem> children;
    bool isSection() const { return file < 0 && url.isEmpty(); }
};

struct SiteStructure
{
    QList<SiteFile> files;            // build order: per folder, files (index first) then sub-folders
    QHash<QString, int> bySource;
    QList<NavItem> nav;
    QList<BuildMessage> messages;

    // `target` as written in `fromSource` -> the URL relative to that page,
    // with its ?query#fragment, or empty when the target is no site file.
    QString relativeUrl(const QString &fromSource, const QString &target) const;
    // URL of `toUrl` relative to the page at `fromUrl` (both site-relative).
    static QString relativeTo(const QString &fromUrl, const QString &toUrl);
    // The file `target` names when linked from `fromSource`, or -1.
    int resolve(const QString &fromSource, const QString &target) const;
    // Where a link target's ?query or #fragment starts (its size when none).
    static qsizetype suffixStart(const QString &target);
};

bool isMarkdownFile(const QString &name);

// Walks docs_dir (no dot files, no top-level templates/, no symlink out of
// the docs root), gives every file its output path and URL, and builds the
// nav from mkdocs.yml or MkDocs' default order.
Result<SiteStructure> scanSite(const MkDocsConfig &config);

// MkDocs' dirname_to_title / file-stem title: '-' and '_' to spaces, first
// letter capitalised when the whole name is lower case.
QString nameToTitle(const QString &name);

} // namespace Greenroom::Docs
