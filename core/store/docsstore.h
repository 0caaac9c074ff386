// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace Greenroom::Store {

// One file of a built TechDocs site.
struct DocsFile
{
    QString path;   // relative to the site root, '/'-separated (index.html, setup/index.html)
    QByteArray content;
};

// A built site to store for an entity, replacing the one it had.
struct DocsSiteWrite
{
    QString entityRef;      // canonical (lower-case kind and namespace)
    QString entityUid;
    QString sourceKey;      // what was built (a folder fingerprint, a git tree id)
    qint64 buildTimestamp = 0;
    QList<DocsFile> files;  // techdocs_metadata.json and search/search_index.json among them
    // A server's build: stored only while the entity (same uid) still has a
    // backstage.io/techdocs-ref, checked inside the write's transaction, so
    // a build that finishes after its entity lost its docs stores nothing.
    bool onlyIfDocumented = false;
};

struct DocsSiteInfo
{
    QString entityRef;
    QString entityUid;
    QString etag;           // hash of every file's path and content: equal etags, equal sites
    QString sourceKey;
    qint64 buildTimestamp = 0;
    QByteArray metadata;    // techdocs_metadata.json as stored
    qint64 sequence = 0;    // change sequence of its last change
};

struct DocsWriteReport
{
    bool changed = false;   // false: the same files were stored already (no change row)
    bool skipped = false;   // onlyIfDocumented, and the entity no longer is: nothing written
    QString etag;
    qint64 sequence = 0;
};

// A mirror's docs change not yet fetched.
struct PendingDocs
{
    QString entityRef;
    QString entityUid;
    QString etag;
};

// A page or a section of a page whose text matched.
struct DocsSearchHit
{
    QString entityRef;
    QString location;    // within the site: "setup/" or "setup/#install-it"
    QString title;       // the section's heading, or the page title
    QString pageTitle;
    QString snippet;     // matched words wrapped in \u0001 ... \u0002
    double rank = 0;     // lower is better (bm25)
};

/*
 * Built TechDocs sites, one per documented entity, in the catalog's
 * database: the server's build output and, mirrored, a desktop's offline
 * copy. Storing a site replaces all of its files in one transaction, indexes
 * its search sections (from search/search_index.json) and, when anything
 * differs, appends a docs change to the sync sequence. Deleting an entity
 * deletes its site in the same transaction.
 */
class DocsStore
{
public:
    virtual ~DocsStore() = default;

    virtual Result<DocsWriteReport> putDocsSite(const DocsSiteWrite &site) = 0;
    // False when the entity had no site.
    virtual Result<bool> removeDocsSite(const QString &entityRef) = 0;
    virtual std::optional<DocsSiteInfo> docsSite(const QString &entityRef) = 0;
    virtual QList<DocsSiteInfo> docsSites() = 0;
    virtual std::optional<QByteArray> docsFile(const QString &entityRef, const QString &path) = 0;
    virtual QList<DocsFile> docsFiles(const QString &entityRef) = 0;
    // Ranked full-text search over page and section texts of every site.
    virtual Result<QList<DocsSearchHit>> searchDocs(const QString &text, int limit) = 0;
};

// The sync sequence holds entity changes under the entity's ref and docs
// changes under this prefix plus the ref; no entity ref can start with it
// (a namespace never contains ':').
inline constexpr QLatin1StringView DocsChangePrefix("techdocs:");

} // namespace Greenroom::Store
