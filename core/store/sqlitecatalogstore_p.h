// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "querysupport_p.h"
#include "sqlitedatabase_p.h"
#include "stitcher_p.h"
#include "storetypes.h"

#include <search/searchdocuments.h>

#include <QHash>
#include <QString>
#include <QVariantList>

#include <unordered_map>

namespace Greenroom::Store {

// Search documents of each type have ids in a range of their own: the
// software-catalog ones below this, the techdocs ones from it on.
inline constexpr qint64 TechDocsFirstId = qint64(1) << 40;

// The page cache a store runs with, and sets again after a bulk write.
inline constexpr const char *CacheSizePragma = "PRAGMA cache_size = -131072";   // 128 MiB

// The columns entityFromRow reads, from the entities table aliased `e`.
#define ENTITY_COLUMNS "e.final, e.ref, e.uid, e.etag, e.sequence, e.origin_key, e.location_key, e.parent_ref"

using Internal::SqlCondition;

class SqliteCatalogStorePrivate
{
public:
    Internal::Database db;
    QString path;
    // What search documents are made with: kept in the database (search_meta),
    // so every connection to it makes the same documents.
    Search::CollatorOptions collator;

    // Prepared statements by SQL text: writes run the same few statements
    // hundreds of thousands of times, and preparing costs more than running.
    std::unordered_map<QString, Internal::Statement> statements;
    // Interned search keys. Ids never change once written; keys another
    // connection adds are looked up when first met.
    QHash<QString, qint64> keyIds;
    // totalItems of recent queries, valid while the change sequence stands still.
    struct CachedCount
    {
        qint64 sequence;
        qint64 count;
    };
    QHash<QString, CachedCount> counts;

    Status migrate();
    Result<Internal::Statement *> prepare(const QString &sql);
    // The one integer a parameterless query answers.
    Result<qint64> queryInteger(const QString &sql);
    // Queries build SQL per filter shape; this keeps the cache bounded. Called
    // only where no cached statement is in use.
    void trimCaches();

    // Id of a search key; with `create`, adds it. -1 when unknown.
    Result<qint64> keyId(const QString &key, bool create);

    std::optional<StoredEntity> readEntity(const QString &where, const QVariant &param);
    static StoredEntity entityFromRow(const Internal::Statement &row, bool rawJson = false);

    // How a filter's conditions become SQL: as a list of matching ids (good
    // when few match, or for counting) or as a probe per candidate row (good
    // when walking an index in order and stopping after a page).
    enum class FilterPlan { Lists, Probes, Cheapest };
    Result<SqlCondition> filterCondition(const Model::EntityFilter &filter, FilterPlan plan);
    Result<qint64> countMatches(qint64 keyId, const QStringList &values, qint64 cap);
    Result<bool> isFacetCounted(qint64 keyId);

    // Write helpers, used inside a transaction.
    struct NewRow   // an entity first seen in this transaction, inserted when stitched
    {
        qint64 id;
        QString uid;
        QString kind;
        QString name;
        QByteArray bodyHash;
        QString originKey;
        QString locationKey;
        QString parentRef;
    };
    // Changes to one search key's facet counters within a transaction. A key
    // whose values are too many to count (names, uids) stops collecting at
    // once, so a large write does not hash a counter for every row.
    struct FacetDeltas
    {
        enum class State { Collecting, Overflowed, Uncounted };
        State state = State::Collecting;
        QHash<std::pair<QString, QString>, qint64> byKindAndValue;   // (kind, original value) -> delta
        void add(const QString &kind, const QString &value, qint64 delta);
    };
    struct WriteState
    {
        // A large import into a small catalog: secondary indexes are dropped
        // and rebuilt sorted, which beats maintaining them row by row.
        bool bulk = false;
        // key id -> changes to its facet counters (node-based: pointers stay valid)
        std::unordered_map<qint64, FacetDeltas> facetDeltas;
        QSet<QString> restitch;
        QHash<QString, QJsonObject> bodies;   // bodies written in this transaction
        QHash<QString, JsonKeyOrder> orders;  // ... and the order their files wrote their keys in
        QHash<QString, QByteArray> bodyJson;  // ... or both as compact ordered JSON (EntityWrite::json)
        QHash<QString, NewRow> newRows;
        qint64 now = 0;
        // Search documents replaced in this transaction, whose full-text rows
        // go at its end, and new ones, whose rows come then (flushSearch):
        // once FTS5 has been written in a transaction, every later statement
        // that needs a statement journal makes it flush its pending index
        // data, which made a large write several times slower.
        QList<qint64> searchReplaced;
        QList<qint64> searchAdded;
        // Entities whose techdocs documents are made again at the end.
        QSet<QString> docsToIndex;
    };
    Status insertRelations(qint64 originId, const QList<Model::Relation> &relations, WriteState &state);
    Status deleteRelations(qint64 originId, WriteState &state);
    Status deleteSearchRows(qint64 id, WriteState &state);
    // Search rows, facet deltas and full-text row of entity `id` (none there yet).
    Status insertIndex(qint64 id, const QString &kind, const Internal::EntityIndex &index, WriteState &state);
    Status deleteEntityRow(qint64 id, const QString &ref, const QString &uid, WriteState &state, int &deleted);
    // Stitches every entity in state.restitch; returns the refs whose final changed.
    Result<QSet<QString>> stitchAll(WriteState &state);
    // The deltas of a key, known to be uncounted when its counters were dropped before.
    Result<FacetDeltas *> facetDeltas(qint64 keyId, WriteState &state);
    Status flushFacetDeltas(WriteState &state);
    // Search documents (sqlitesearchindex.cpp). Adds one for entity `entityId`.
    Status insertSearchDocument(const Search::IndexedDocument &document, qint64 entityId, WriteState &state);
    // Takes out the entity's documents (of `type` only, when given).
    Status dropSearchDocuments(qint64 entityId, const QString &type, WriteState &state);
    // Makes the techdocs documents of state.docsToIndex and writes the
    // transaction's full-text changes; the last write before the commit.
    Status flushSearch(WriteState &state);
    // Reads the options the documents were made with; makes them all again
    // when those or this build's documents differ from what is stored.
    Status openSearchIndex();
    Status rebuildSearchIndex(const Search::CollatorOptions &options);
    Result<qint64> appendChange(const QString &ref, const QString &uid, bool deleted, const QString &etag,
                                WriteState &state);
    qint64 currentSequence();

    // Docs sites (sqlitedocs.cpp). Deletes the site of `entityRef` with a
    // docs tombstone; false when it had none.
    Result<bool> deleteDocsSite(const QString &entityRef, WriteState &state);
    // Its files, sections and search documents only.
    Status deleteDocsContent(const QString &entityRef, WriteState &state);
    // A mirror: a docs change from the feed marks the site to fetch, or deletes it.
    Status mirrorDocsChange(const MirroredChange &change, WriteState &state);
    // A mirror finishing a rebuild: sites whose docs change the snapshot did not hold go.
    Status forgetUnseenDocs(WriteState &state);
};

// Key ids handed out in a transaction that rolls back must not be
// remembered: unless committed, the interned-key cache is forgotten.
struct KeyCacheGuard
{
    SqliteCatalogStorePrivate *d;
    bool committed = false;
    ~KeyCacheGuard()
    {
        if (!committed)
            d->keyIds.clear();
    }
};

} // namespace Greenroom::Store
