// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Built TechDocs sites on PostgreSQL (DocsStore): files, searchable
// sections, and the docs changes of the sync sequence, as sqlitedocs.cpp
// keeps them on SQLite.
#include "postgrescatalogstore.h"

#include "docssites_p.h"
#include "postgrescatalogstore_p.h"

#include <search/searchtext.h>

#include <QDateTime>

namespace Greenroom::Store {

using namespace Internal;

namespace {

#define PG_DOCS_SITE_COLUMNS "entity_ref, entity_uid, etag, source_key, build_timestamp, metadata, sequence"

DocsSiteInfo siteFromRow(const PgRows &rows, int row)
{
    return {rows.text(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3), rows.integer(row, 4), rows.bytes(row, 5),
            rows.integer(row, 6)};
}

} // namespace

Result<bool> PostgresCatalogStorePrivate::deleteDocsSite(const QString &entityRef, WriteState &state)
{
    auto site = db.query(QStringLiteral("DELETE FROM docs_sites WHERE entity_ref = ? RETURNING entity_uid"), {entityRef});
    if (!site)
        return site.error();
    if (site->size() == 0)
        return false;
    for (const char *sql : {"DELETE FROM docs_sections WHERE entity_ref = ?", "DELETE FROM docs_files WHERE entity_ref = ?"}) {
        if (auto removed = db.query(QString::fromLatin1(sql), {entityRef}); !removed)
            return removed.error();
    }
    if (auto change = appendChange(DocsChangePrefix + entityRef, site->text(0, 0), true, QString(), state); !change)
        return change.error();
    return true;
}

Result<DocsWriteReport> PostgresCatalogStore::putDocsSite(const DocsSiteWrite &site)
{
    if (site.entityRef.isEmpty() || site.entityUid.isEmpty())
        return Error::input(QStringLiteral("A docs site needs an entity ref and uid"));
    const auto metadata = std::find_if(site.files.cbegin(), site.files.cend(),
                                       [](const DocsFile &f) { return f.path == DocsMetadataPath; });
    if (metadata == site.files.cend())
        return Error::input(QStringLiteral("The docs site of %1 has no %2").arg(site.entityRef, DocsMetadataPath));
    DocsWriteReport report;
    report.etag = siteEtag(site.files);

    PgTransaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    PostgresCatalogStorePrivate::WriteState state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    if (site.onlyIfDocumented) {
        auto documented = d->db.query(QStringLiteral("SELECT 1 FROM entities WHERE ref = ? AND uid = ? "
                                                     "AND (final::jsonb -> 'metadata' -> 'annotations' -> 'backstage.io/techdocs-ref') IS NOT NULL"),
                                      {site.entityRef, site.entityUid});
        if (!documented)
            return documented.error();
        if (documented->size() == 0) {
            report.skipped = true;
            return report;
        }
    }
    const std::optional<DocsSiteInfo> previous = docsSite(site.entityRef);
    if (previous && previous->etag == report.etag && previous->entityUid == site.entityUid) {
        if (auto touched = d->db.query(QStringLiteral("UPDATE docs_sites SET source_key = ? WHERE entity_ref = ?"),
                                       {site.sourceKey.isNull() ? QStringLiteral("") : site.sourceKey, site.entityRef});
            !touched)
            return touched.error();
        if (Status s = tx.commit(); !s)
            return s.error();
        report.sequence = previous->sequence;
        return report;
    }
    for (const char *sql : {"DELETE FROM docs_sections WHERE entity_ref = ?", "DELETE FROM docs_files WHERE entity_ref = ?"}) {
        if (auto removed = d->db.query(QString::fromLatin1(sql), {site.entityRef}); !removed)
            return removed.error();
    }
    for (const DocsFile &f : site.files) {
        auto stored = d->db.query(QStringLiteral("INSERT INTO docs_files(entity_ref, path, content) VALUES (?, ?, ?::bytea)"),
                                  {site.entityRef, f.path, byteaParameter(f.content)});
        if (!stored)
            return Error::input(QStringLiteral("Cannot store %1 of the docs of %2: %3").arg(f.path, site.entityRef, stored.error().message));
    }
    PgArray locations, titles, pageTitles, bodies, foldedTitles, foldedBodies;
    for (const DocsSection &section : sectionsOf(site.files)) {
        locations.add(section.location);
        titles.add(section.title);
        pageTitles.add(section.pageTitle);
        bodies.add(section.text);
        foldedTitles.add(Search::wordKey(section.title));
        foldedBodies.add(Search::wordKey(section.text));
    }
    if (!locations.isEmpty()) {
        auto indexed = d->db.query(QStringLiteral("INSERT INTO docs_sections(entity_ref, location, title, page_title, body, words) "
                                                  "SELECT ?, s.location, s.title, s.page_title, s.body, "
                                                  "setweight(to_tsvector('simple', s.folded_title), 'A') || "
                                                  "setweight(to_tsvector('simple', s.folded_body), 'B') "
                                                  "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                                                  "AS s(location, title, page_title, body, folded_title, folded_body)"),
                                   {site.entityRef, locations.literal(), titles.literal(), pageTitles.literal(), bodies.literal(),
                                    foldedTitles.literal(), foldedBodies.literal()});
        if (!indexed)
            return indexed.error();
    }
    auto sequence = d->appendChange(DocsChangePrefix + site.entityRef, site.entityUid, false, report.etag, state);
    if (!sequence)
        return sequence.error();
    auto upsert = d->db.query(QStringLiteral("INSERT INTO docs_sites(" PG_DOCS_SITE_COLUMNS ") VALUES (?,?,?,?,?,?,?) "
                                             "ON CONFLICT (entity_ref) DO UPDATE SET entity_uid = excluded.entity_uid, etag = excluded.etag, "
                                             "source_key = excluded.source_key, build_timestamp = excluded.build_timestamp, "
                                             "metadata = excluded.metadata, sequence = excluded.sequence"),
                              {site.entityRef, site.entityUid, report.etag, site.sourceKey.isNull() ? QStringLiteral("") : site.sourceKey,
                               site.buildTimestamp, QString::fromUtf8(metadata->content), sequence.value()});
    if (!upsert)
        return upsert.error();
    if (Status s = d->finishChanges(state); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    report.changed = true;
    report.sequence = sequence.value();
    return report;
}

Result<bool> PostgresCatalogStore::removeDocsSite(const QString &entityRef)
{
    PgTransaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    PostgresCatalogStorePrivate::WriteState state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    auto removed = d->deleteDocsSite(entityRef, state);
    if (!removed)
        return removed.error();
    if (Status s = d->finishChanges(state); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return removed.value();
}

std::optional<DocsSiteInfo> PostgresCatalogStore::docsSite(const QString &entityRef)
{
    auto rows = d->db.query(QStringLiteral("SELECT " PG_DOCS_SITE_COLUMNS " FROM docs_sites WHERE entity_ref = ?"), {entityRef});
    if (!rows || rows->size() == 0)
        return std::nullopt;
    return siteFromRow(rows.value(), 0);
}

QList<DocsSiteInfo> PostgresCatalogStore::docsSites()
{
    QList<DocsSiteInfo> sites;
    auto rows = d->db.query(QStringLiteral("SELECT " PG_DOCS_SITE_COLUMNS " FROM docs_sites ORDER BY entity_ref"));
    for (int i = 0; rows && i < rows->size(); ++i)
        sites.append(siteFromRow(rows.value(), i));
    return sites;
}

std::optional<QByteArray> PostgresCatalogStore::docsFile(const QString &entityRef, const QString &path)
{
    auto rows = d->db.query(QStringLiteral("SELECT content FROM docs_files WHERE entity_ref = ? AND path = ?"), {entityRef, path});
    if (!rows || rows->size() == 0)
        return std::nullopt;
    return rows->bytea(0, 0);
}

QList<DocsFile> PostgresCatalogStore::docsFiles(const QString &entityRef)
{
    QList<DocsFile> files;
    auto rows = d->db.query(QStringLiteral("SELECT path, content FROM docs_files WHERE entity_ref = ? ORDER BY path"), {entityRef});
    for (int i = 0; rows && i < rows->size(); ++i)
        files.append({rows->text(i, 0), rows->bytea(i, 1)});
    return files;
}

Result<QList<DocsSearchHit>> PostgresCatalogStore::searchDocs(const QString &text, int limit)
{
    QList<DocsSearchHit> hits;
    QStringList terms;
    for (const Search::Word &word : Search::words(text))
        terms.append(QLatin1Char('\'') + word.folded + QStringLiteral("':*"));
    if (terms.isEmpty())
        return hits;
    // Matched words marked \u0001...\u0002, as the SQLite store's snippets are.
    auto rows = d->db.query(QStringLiteral("SELECT s.entity_ref, s.location, s.title, s.page_title, "
                                           "ts_headline('simple', s.body, q, 'StartSel=\u0001, StopSel=\u0002, MaxWords=30, MinWords=10') "
                                           "FROM docs_sections s, to_tsquery('simple', ?) q WHERE s.words @@ q "
                                           "ORDER BY ts_rank(s.words, q) DESC, s.entity_ref, s.id LIMIT ?"),
                            {terms.join(QStringLiteral(" & ")), qint64(limit)});
    if (!rows)
        return rows.error();
    for (int i = 0; i < rows->size(); ++i)
        hits.append({rows->text(i, 0), rows->text(i, 1), rows->text(i, 2), rows->text(i, 3), rows->text(i, 4), double(i)});
    return hits;
}

} // namespace Greenroom::Store
