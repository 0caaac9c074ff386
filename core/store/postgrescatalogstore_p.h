// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "pgdatabase_p.h"
#include "querysupport_p.h"
#include "stitcher_p.h"
#include "storetypes.h"

#include <QHash>
#include <QSet>

namespace Greenroom::Store {

#define PG_ENTITY_COLUMNS "e.final, e.ref, e.uid, e.etag, e.sequence, e.origin_key, e.location_key, e.parent_ref"

class PostgresCatalogStorePrivate
{
public:
    Internal::PgDatabase db;
    QString conninfo;             // as opened: a reader connects the same way
    PostgresOpenOptions options;

    Status migrate();

    // Counts and facets answered since the change sequence (any replica's)
    // last moved: counting a large result costs more than the page itself.
    qint64 cachedAtSequence = -1;
    QHash<QString, qint64> cachedCounts;
    QHash<QString, QList<FacetCount>> cachedFacets;
    // Empties the caches when the sequence has moved since they were filled.
    void checkCaches();
    static StoredEntity entityFromRow(const Internal::PgRows &rows, int row, bool rawJson = false);
    std::optional<StoredEntity> readEntity(const QString &where, const QVariant &param);

    // As the SQLite store's: a list of matching ids, or a probe per row.
    enum class FilterPlan { Lists, Probes };
    Result<Internal::SqlCondition> filterCondition(const Model::EntityFilter &filter, FilterPlan plan);
    // Every group of `filter` has a condition few entities meet.
    Result<bool> isSelective(const Model::EntityFilter &filter);

    // Inside a write transaction.
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
    struct WriteState
    {
        QSet<QString> restitch;
        QHash<QString, QJsonObject> bodies;
        QHash<QString, JsonKeyOrder> orders;
        QHash<QString, QByteArray> bodyJson;
        QHash<QString, NewRow> newRows;
        qint64 now = 0;
        qint64 lastSequence = 0;   // the highest change number this transaction took
        // Relation rows not sent yet (flushRelations).
        Internal::PgArray relationOrigins, relationSources, relationTypes, relationTargets;
    };
    Status insertRelations(qint64 originId, const QList<Model::Relation> &relations, WriteState &state);
    Status flushRelations(WriteState &state);
    Status deleteRelations(qint64 originId, WriteState &state);
    Status deleteEntityRow(qint64 id, const QString &ref, const QString &uid, WriteState &state, int &deleted);
    Result<QSet<QString>> stitchAll(WriteState &state);
    Result<qint64> appendChange(const QString &ref, const QString &uid, bool deleted, const QString &etag, WriteState &state);
    // The site of `entityRef` with a docs tombstone; false when it had none.
    Result<bool> deleteDocsSite(const QString &entityRef, WriteState &state);
    // Records the transaction's last change number for readers (lastSequence).
    Status finishChanges(const WriteState &state);
};

} // namespace Greenroom::Store
