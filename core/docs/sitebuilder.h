// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "markdownrenderer.h"
#include "mkdocsconfig.h"

#include <common/result.h>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Greenroom::Docs {

struct SiteBuildOptions
{
    MkDocsOptions mkdocs;
    QString etag;               // recorded in techdocs_metadata.json when known
    qint64 buildTimestampMs = 0;  // 0 = now
};

// One rendered page, for the reader and for search.
struct BuiltPage
{
    QString source;             // relative to docs_dir
    QString url;                // site-relative, "" = home
    QString title;
    QString editUrl;
    QList<TocEntry> toc;
    QString text;               // plain text of the body
};

// Greenroom's addition to a stored site: the outline the desktop reader
// draws its nav tree and table of contents from. Not listed in
// techdocs_metadata.json, so Backstage clients see the same site.
inline const QString ReaderOutlinePath = QStringLiteral("greenroom_outline.json");

struct BuiltFile
{
    QString path;               // relative to the site root, '/'-separated
    QByteArray content;
};

// A TechDocs site, in memory: the files `techdocs-cli generate` writes
// (pages as <page>/index.html, assets, search/search_index.json,
// techdocs_metadata.json, 404.html, sitemap.xml(.gz)), and what the desktop
// reader shows natively (nav tree, page titles and tables of contents).
struct BuiltSite
{
    QString siteName;
    QString siteDescription;
    QList<BuiltFile> files;
    QList<BuiltPage> pages;
    QJsonArray nav;             // [{title, url} | {title, children: [...]}]; url "" = home
    QJsonObject metadata;       // techdocs_metadata.json
    QList<BuildMessage> messages;

    // The reader's outline: {site_name, site_description, nav, pages: [{url, title, toc, edit_url}]}.
    QJsonObject outline() const;
    // What a site is stored as: its files plus the outline at ReaderOutlinePath.
    QList<BuiltFile> filesWithOutline() const;
    qsizetype warningCount() const;
};

/*
 * Builds the docs folder `docsRoot` (the folder holding mkdocs.yml) the way
 * Backstage's generator with mkdocs-techdocs-core does. Returns an error for
 * what makes MkDocs abort (no site_name, docs_dir outside the root, a symlink
 * out of it, an unsupported Python tag); everything else is a message. With
 * `strict: true` warnings fail the build, as in MkDocs. Pages render on all
 * cores; the page HTML is sanitised before it is put in the page template.
 */
Result<BuiltSite> buildSite(const QString &docsRoot, const SiteBuildOptions &options = {});

// Writes the site to `outputDir` (created; files of an earlier build that
// this one does not have are removed, as publishing does).
Status writeSite(const BuiltSite &site, const QString &outputDir);

} // namespace Greenroom::Docs
