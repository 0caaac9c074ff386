// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Built TechDocs sites in the catalog's SQLite database (DocsStore): files,
// search sections, and the docs changes of the sync sequence.
#include "sqlitecatalogstore.h"
#include "docssites_p.h"
#include "sqlitecatalogstore_p.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Greenroom::Store {

using namespace Internal;

namespace {

DocsSiteInfo siteFromRow(const Statement &row)
{
    return {row.text(0), row.text(1), row.text(2), row.text(3), row.integer(4), row.blob(5), row.integer(6)};
}

#define DOCS_SITE_COLUMNS "entity_ref, entity_uid, etag, source_key, build_timestamp, metadata, sequence"

} // namespace

Result<bool> SqliteCatalogStorePrivate::deleteDocsSite(const QString &entityRef, WriteState &state)
{
    auto site = prepare(QStringLiteral("SELECT entity_uid FROM docs_sites WHERE entity_ref = ?"));
    if (!site)
        return site.error();
    site.value()->bind(1, entityRef);
    const bool exists = site.value()->next();
    const QString uid = exists ? site.value()->text(0) : QString();
    site.value()->reset();
    auto unpend = prepare(QStringLiteral("DELETE FROM docs_pending WHERE entity_ref = ?"));
    if (!unpend || !unpend.value()->bind(1, entityRef).run())
        return Error::internal(db.lastError());
    if (!exists)
        return false;
    if (Status s = deleteDocsContent(entityRef, state); !s)
        return s.error();
    auto remove = prepare(QStringLiteral("DELETE FROM docs_sites WHERE entity_ref = ?"));
    if (!remove || !remove.value()->bind(1, entityRef).run())
        return Error::internal(db.lastError());
    if (auto change = appendChange(DocsChangePrefix + entityRef, uid, true, QString(), state); !change)
        return change.error();
    return true;
}

Status SqliteCatalogStorePrivate::deleteDocsContent(const QString &entityRef, WriteState &state)
{
    for (const char *sql : {"DELETE FROM docs_sections WHERE entity_ref = ?", "DELETE FROM docs_files WHERE entity_ref = ?"}) {
        auto stmt = prepare(QString::fromLatin1(sql));
        if (!stmt || !stmt.value()->bind(1, entityRef).run())
            return Error::internal(db.lastError());
    }
    // Its search documents are made again (from no sections: none) at the end.
    state.docsToIndex.insert(entityRef);
    return Ok{};
}

Result<DocsWriteReport> SqliteCatalogStore::putDocsSite(const DocsSiteWrite &site)
{
    if (site.entityRef.isEmpty() || site.entityUid.isEmpty())
        return Error::input(QStringLiteral("A docs site needs an entity ref and uid"));
    const auto metadata = std::find_if(site.files.cbegin(), site.files.cend(),
                                       [](const DocsFile &f) { return f.path == DocsMetadataPath; });
    if (metadata == site.files.cend())
        return Error::input(QStringLiteral("The docs site of %1 has no %2").arg(site.entityRef, DocsMetadataPath));
    DocsWriteReport report;
    report.etag = siteEtag(site.files);
    const QList<DocsSection> sections = sectionsOf(site.files);

    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    SqliteCatalogStorePrivate::WriteState state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    if (site.onlyIfDocumented) {
        auto documented = d->prepare(QStringLiteral(
            "SELECT 1 FROM entities WHERE ref = ? AND uid = ? "
            "AND json_extract(final, '$.metadata.annotations.\"backstage.io/techdocs-ref\"') IS NOT NULL"));
        if (!documented)
            return documented.error();
        documented.value()->bind(1, site.entityRef).bind(2, site.entityUid);
        const bool still = documented.value()->next();
        documented.value()->reset();
        if (!still) {
            report.skipped = true;
            return report;
        }
    }
    // Whatever was announced, this is the server's current site.
    auto pending = d->prepare(QStringLiteral("DELETE FROM docs_pending WHERE entity_ref = ?"));
    if (!pending || !pending.value()->bind(1, site.entityRef).run())
        return Error::internal(d->db.lastError());
    std::optional<DocsSiteInfo> previous = docsSite(site.entityRef);
    if (previous && previous->etag == report.etag && previous->entityUid == site.entityUid) {
        auto touch = d->prepare(QStringLiteral("UPDATE docs_sites SET source_key = ? WHERE entity_ref = ?"));
        if (!touch || !touch.value()->bind(1, site.sourceKey).bind(2, site.entityRef).run())
            return Error::internal(d->db.lastError());
        if (Status s = tx.commit(); !s)
            return s.error();
        report.sequence = previous->sequence;
        return report;
    }
    if (Status s = d->deleteDocsContent(site.entityRef, state); !s)
        return s.error();
    auto file = d->prepare(QStringLiteral("INSERT INTO docs_files(entity_ref, path, content) VALUES (?,?,?)"));
    auto section = d->prepare(QStringLiteral("INSERT INTO docs_sections(entity_ref, location, title, page_title, text) VALUES (?,?,?,?,?)"));
    if (!file || !section)
        return Error::internal(d->db.lastError());
    for (const DocsFile &f : site.files) {
        if (!file.value()->bind(1, site.entityRef).bind(2, f.path).bind(3, f.content).run())
            return Error::input(QStringLiteral("Cannot store %1 of the docs of %2: %3").arg(f.path, site.entityRef, d->db.lastError()));
    }
    for (const DocsSection &s : sections) {
        if (!section.value()->bind(1, site.entityRef).bind(2, s.location).bind(3, s.title).bind(4, s.pageTitle).bind(5, s.text).run())
            return Error::internal(d->db.lastError());
    }
    auto sequence = d->appendChange(DocsChangePrefix + site.entityRef, site.entityUid, false, report.etag, state);
    if (!sequence)
        return sequence.error();
    auto upsert = d->prepare(QStringLiteral("INSERT OR REPLACE INTO docs_sites(" DOCS_SITE_COLUMNS ") VALUES (?,?,?,?,?,?,?)"));
    if (!upsert || !upsert.value()->bind(1, site.entityRef).bind(2, site.entityUid).bind(3, report.etag)
                        .bind(4, site.sourceKey.isNull() ? QStringLiteral("") : site.sourceKey).bind(5, site.buildTimestamp).bind(6, metadata->content)
                        .bind(7, sequence.value()).run())
        return Error::internal(d->db.lastError());
    if (Status s = d->flushSearch(state); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    report.changed = true;
    report.sequence = sequence.value();
    return report;
}

Result<bool> SqliteCatalogStore::removeDocsSite(const QString &entityRef)
{
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    SqliteCatalogStorePrivate::WriteState state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    auto removed = d->deleteDocsSite(entityRef, state);
    if (!removed)
        return removed.error();
    if (Status s = d->flushSearch(state); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return removed.value();
}

std::optional<DocsSiteInfo> SqliteCatalogStore::docsSite(const QString &entityRef)
{
    auto stmt = d->prepare(QStringLiteral("SELECT " DOCS_SITE_COLUMNS " FROM docs_sites WHERE entity_ref = ?"));
    if (!stmt)
        return std::nullopt;
    Statement &s = *stmt.value();
    s.bind(1, entityRef);
    std::optional<DocsSiteInfo> site;
    if (s.next())
        site = siteFromRow(s);
    s.reset();
    return site;
}

QList<DocsSiteInfo> SqliteCatalogStore::docsSites()
{
    QList<DocsSiteInfo> sites;
    auto stmt = d->prepare(QStringLiteral("SELECT " DOCS_SITE_COLUMNS " FROM docs_sites ORDER BY entity_ref"));
    if (!stmt)
        return sites;
    Statement &s = *stmt.value();
    while (s.next())
        sites.append(siteFromRow(s));
    s.reset();
    return sites;
}

std::optional<QByteArray> SqliteCatalogStore::docsFile(const QString &entityRef, const QString &path)
{
    auto stmt = d->prepare(QStringLiteral("SELECT content FROM docs_files WHERE entity_ref = ? AND path = ?"));
    if (!stmt)
        return std::nullopt;
    Statement &s = *stmt.value();
    s.bind(1, entityRef).bind(2, path);
    std::optional<QByteArray> content;
    if (s.next())
        content = s.blob(0);
    s.reset();
    return content;
}

QList<DocsFile> SqliteCatalogStore::docsFiles(const QString &entityRef)
{
    QList<DocsFile> files;
    auto stmt = d->prepare(QStringLiteral("SELECT path, content FROM docs_files WHERE entity_ref = ? ORDER BY path"));
    if (!stmt)
        return files;
    Statement &s = *stmt.value();
    s.bind(1, entityRef);
    while (s.next())
        files.append({s.text(0), s.blob(1)});
    s.reset();
    return files;
}

QList<PendingDocs> SqliteCatalogStore::pendingDocs()
{
    QList<PendingDocs> pending;
    auto stmt = d->prepare(QStringLiteral("SELECT entity_ref, entity_uid, etag FROM docs_pending ORDER BY entity_ref"));
    if (!stmt)
        return pending;
    Statement &s = *stmt.value();
    while (s.next())
        pending.append({s.text(0), s.text(1), s.text(2)});
    s.reset();
    return pending;
}

Status SqliteCatalogStore::forgetPendingDocs(const QString &entityRef)
{
    auto forget = d->prepare(QStringLiteral("DELETE FROM docs_pending WHERE entity_ref = ?"));
    if (!forget || !forget.value()->bind(1, entityRef).run())
        return Error::internal(d->db.lastError());
    return Ok{};
}

Status SqliteCatalogStorePrivate::mirrorDocsChange(const MirroredChange &change, WriteState &state)
{
    if (change.deleted) {
        if (auto removed = deleteDocsSite(change.ref, state); !removed)
            return removed.error();
        return Ok{};
    }
    auto current = prepare(QStringLiteral("SELECT 1 FROM docs_sites WHERE entity_ref = ? AND etag = ?"));
    if (!current)
        return current.error();
    current.value()->bind(1, change.ref).bind(2, change.etag);
    const bool upToDate = current.value()->next();
    current.value()->reset();
    auto pend = prepare(upToDate ? QStringLiteral("DELETE FROM docs_pending WHERE entity_ref = ?1")
                                 : QStringLiteral("INSERT OR REPLACE INTO docs_pending(entity_ref, entity_uid, etag) VALUES (?1,?2,?3)"));
    if (!pend)
        return pend.error();
    pend.value()->bind(1, change.ref);
    if (!upToDate)
        pend.value()->bind(2, change.uid).bind(3, change.etag);
    if (!pend.value()->run())
        return Error::internal(db.lastError());
    return Ok{};
}

Status SqliteCatalogStorePrivate::forgetUnseenDocs(WriteState &state)
{
    QStringList gone;
    auto unseen = prepare(QStringLiteral("SELECT entity_ref FROM docs_sites WHERE ?1 || entity_ref NOT IN (SELECT ref FROM mirror_seen) "
                                         "UNION SELECT entity_ref FROM docs_pending WHERE ?1 || entity_ref NOT IN (SELECT ref FROM mirror_seen)"));
    if (!unseen)
        return unseen.error();
    unseen.value()->bind(1, QString(DocsChangePrefix));
    while (unseen.value()->next())
        gone.append(unseen.value()->text(0));
    unseen.value()->reset();
    for (const QString &ref : std::as_const(gone)) {
        if (auto removed = deleteDocsSite(ref, state); !removed)
            return removed.error();
    }
    return Ok{};
}

} // namespace Greenroom::Store
