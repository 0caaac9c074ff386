// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Writing a location's entities (applyLocation, writeLocation, removeEntityByUid):
// rows, relations, search and facet counters, full text, stitching, and the
// change feed, each write one transaction.
#include "sqlitecatalogstore.h"

#include "sqlitecatalogstore_p.h"
#include "stitcher_p.h"

#include <model/annotations.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QThreadPool>
#include <QUuid>
#include <QtConcurrent/QtConcurrentMap>

#include <cstring>

#include <numeric>

namespace Greenroom::Store {

using namespace Internal;

namespace {

// Secondary indexes a bulk write rebuilds. The same definitions are in
// migrations/0001_initial.cpp; tst_sqlitecatalogstore checks they survive a bulk write.
const char *const RelationsSourceIndex = "CREATE INDEX relations_source ON relations(source_ref, type, target_ref)";
const char *const SearchKeyValueIndex = "CREATE INDEX search_key_value ON search(key_id, value, entity_id)";
constexpr qsizetype BulkWriteThreshold = 5000;
// While a bulk write runs. It was 2 GiB, so every dirty page of a 50,000-entity
// write stayed in memory until the commit (260 MB at the peak); 32 MiB spills
// to the WAL early (32 MiB: no slower within the noise on that write, 700 MB smaller).
const char *const BulkCacheSizePragma = "PRAGMA cache_size = -32768";
// Keys with more distinct values than this (names, uids, paths) are not worth
// a counter per value: they are counted on demand instead.
constexpr qsizetype MaxCountedFacetValues = 1000;

} // namespace

Status SqliteCatalogStorePrivate::insertRelations(qint64 originId, const QList<Model::Relation> &relations,
                                                  WriteState &state)
{
    auto insert = prepare(QStringLiteral("INSERT INTO relations(origin_id, source_ref, type, target_ref) VALUES (?,?,?,?)"));
    if (!insert)
        return insert.error();
    for (const Model::Relation &r : relations) {
        if (!insert.value()->bind(1, originId).bind(2, r.sourceRef).bind(3, r.type).bind(4, r.targetRef).run())
            return Error::internal(db.lastError());
        state.restitch.insert(r.sourceRef);
    }
    return Ok{};
}

Status SqliteCatalogStorePrivate::deleteRelations(qint64 originId, WriteState &state)
{
    auto sources = prepare(QStringLiteral("SELECT DISTINCT source_ref FROM relations WHERE origin_id = ?"));
    if (!sources)
        return sources.error();
    sources.value()->bind(1, originId);
    while (sources.value()->next())
        state.restitch.insert(sources.value()->text(0));
    auto remove = prepare(QStringLiteral("DELETE FROM relations WHERE origin_id = ?"));
    if (!remove || !remove.value()->bind(1, originId).run())
        return Error::internal(db.lastError());
    return Ok{};
}

Status SqliteCatalogStorePrivate::deleteSearchRows(qint64 id, WriteState &state)
{
    auto old = prepare(QStringLiteral("SELECT s.key_id, coalesce(s.original_value, s.value), e.kind FROM search s "
                                      "JOIN entities e ON e.id = s.entity_id WHERE s.entity_id = ? AND s.value IS NOT NULL"));
    if (!old)
        return old.error();
    old.value()->bind(1, id);
    while (old.value()->next()) {
        auto deltas = facetDeltas(old.value()->integer(0), state);
        if (!deltas)
            return deltas.error();
        deltas.value()->add(old.value()->text(2), old.value()->text(1), -1);
    }
    auto remove = prepare(QStringLiteral("DELETE FROM search WHERE entity_id = ?"));
    if (!remove || !remove.value()->bind(1, id).run())
        return Error::internal(db.lastError());
    return dropSearchDocuments(id, QString(), state);
}

void SqliteCatalogStorePrivate::FacetDeltas::add(const QString &kind, const QString &value, qint64 delta)
{
    if (state != State::Collecting)
        return;
    byKindAndValue[{kind, value}] += delta;
    if (byKindAndValue.size() > MaxCountedFacetValues) {
        state = State::Overflowed;
        byKindAndValue.clear();
    }
}

Result<SqliteCatalogStorePrivate::FacetDeltas *> SqliteCatalogStorePrivate::facetDeltas(qint64 keyId, WriteState &state)
{
    auto it = state.facetDeltas.find(keyId);
    if (it == state.facetDeltas.end()) {
        auto counted = isFacetCounted(keyId);
        if (!counted)
            return counted.error();
        it = state.facetDeltas.emplace(keyId, FacetDeltas{}).first;
        if (!counted.value())
            it->second.state = FacetDeltas::State::Uncounted;
    }
    return &it->second;
}

Status SqliteCatalogStorePrivate::flushFacetDeltas(WriteState &state)
{
    auto upsert = prepare(QStringLiteral("INSERT INTO facet_counts(key_id, kind, value, count) VALUES (?,?,?,?) "
                                         "ON CONFLICT(key_id, kind, value) DO UPDATE SET count = count + excluded.count"));
    auto size = prepare(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM facet_counts WHERE key_id = ? LIMIT ?)"));
    auto stopCounting = prepare(QStringLiteral("INSERT OR IGNORE INTO facet_uncounted(key_id) VALUES (?)"));
    auto dropCounts = prepare(QStringLiteral("DELETE FROM facet_counts WHERE key_id = ?"));
    if (!upsert || !size || !stopCounting || !dropCounts)
        return Error::internal(db.lastError());
    for (const auto &[keyId, deltas] : state.facetDeltas) {
        if (deltas.state == FacetDeltas::State::Uncounted)
            continue;
        bool tooMany = deltas.state == FacetDeltas::State::Overflowed;
        if (!tooMany) {
            bool touched = false;
            for (auto d = deltas.byKindAndValue.cbegin(); d != deltas.byKindAndValue.cend(); ++d) {
                if (d.value() == 0)
                    continue;
                touched = true;
                if (!upsert.value()->bind(1, keyId).bind(2, d.key().first).bind(3, d.key().second)
                         .bind(4, d.value()).run())
                    return Error::internal(db.lastError());
            }
            if (!touched)
                continue;
            Statement &s = *size.value();
            s.bind(1, keyId).bind(2, qint64(MaxCountedFacetValues + 1));
            s.next();
            tooMany = s.integer(0) > MaxCountedFacetValues;
            s.reset();
        }
        if (tooMany) {
            if (!stopCounting.value()->bind(1, keyId).run() || !dropCounts.value()->bind(1, keyId).run())
                return Error::internal(db.lastError());
        }
    }
    state.facetDeltas.clear();
    return db.exec(QStringLiteral("DELETE FROM facet_counts WHERE count <= 0"));
}

Result<bool> SqliteCatalogStorePrivate::isFacetCounted(qint64 keyId)
{
    auto uncounted = prepare(QStringLiteral("SELECT 1 FROM facet_uncounted WHERE key_id = ?"));
    if (!uncounted)
        return uncounted.error();
    uncounted.value()->bind(1, keyId);
    const bool counted = !uncounted.value()->next();
    uncounted.value()->reset();
    return counted;
}

Result<qint64> SqliteCatalogStorePrivate::appendChange(const QString &ref, const QString &uid, bool deleted,
                                                       const QString &etag, WriteState &state)
{
    // REPLACE deletes the entity's previous change row, so the sequence holds
    // each entity once, at its latest change.
    auto insert = prepare(QStringLiteral("INSERT OR REPLACE INTO changes(ref, uid, deleted, etag, changed_at) VALUES (?,?,?,?,?)"));
    if (!insert)
        return insert.error();
    if (!insert.value()->bind(1, ref).bind(2, uid).bind(3, qint64(deleted)).bind(4, etag).bind(5, state.now).run())
        return Error::internal(db.lastError());
    return qint64(sqlite3_last_insert_rowid(db.handle()));
}

Status SqliteCatalogStorePrivate::deleteEntityRow(qint64 id, const QString &ref, const QString &uid,
                                                  WriteState &state, int &deleted)
{
    if (Status s = deleteRelations(id, state); !s)
        return s;
    if (Status s = deleteSearchRows(id, state); !s)
        return s;
    auto remove = prepare(QStringLiteral("DELETE FROM entities WHERE id = ?"));
    if (!remove || !remove.value()->bind(1, id).run())
        return Error::internal(db.lastError());
    // A mirror's catalog table rows (none on a server).
    auto unlist = prepare(QStringLiteral("DELETE FROM listing WHERE id = ?"));
    auto untag = prepare(QStringLiteral("DELETE FROM listing_tags WHERE id = ?"));
    if (!unlist || !untag || !unlist.value()->bind(1, id).run() || !untag.value()->bind(1, id).run())
        return Error::internal(db.lastError());
    if (auto change = appendChange(ref, uid, true, QString(), state); !change)
        return change.error();
    // Its docs go with it.
    if (auto docs = deleteDocsSite(ref, state); !docs)
        return docs.error();
    state.restitch.remove(ref);
    state.bodies.remove(ref);
    state.orders.remove(ref);
    state.bodyJson.remove(ref);
    ++deleted;
    return Ok{};
}

Status SqliteCatalogStorePrivate::insertIndex(qint64 id, const QString &kind, const EntityIndex &index,
                                              WriteState &state)
{
    auto insertRow = prepare(QStringLiteral(
        "INSERT INTO search(entity_id, key_id, ordinal, value, original_value, first) VALUES (?,?,?,?,?,?)"));
    if (!insertRow)
        return Error::internal(db.lastError());
    QString previousKey;
    qint64 previousKeyId = -1;
    FacetDeltas *keyDeltas = nullptr;
    qint64 ordinal = 0;
    for (const Model::SearchRow &row : index.rows) {
        const bool first = row.key != previousKey;
        if (first) {
            auto keyIdOf = keyId(row.key, true);
            if (!keyIdOf)
                return keyIdOf.error();
            previousKey = row.key;
            previousKeyId = keyIdOf.value();
            auto deltas = facetDeltas(previousKeyId, state);
            if (!deltas)
                return deltas.error();
            keyDeltas = deltas.value();
        }
        const QString &original = row.originalValue;
        Statement &s = *insertRow.value();
        s.bind(1, id).bind(2, previousKeyId).bind(3, ordinal++).bind(4, row.value);
        if (original.isNull() || original == row.value)
            s.bindNull(5);
        else
            s.bind(5, original);
        if (!s.bind(6, qint64(first)).run())
            return Error::internal(db.lastError());
        if (!original.isNull())
            keyDeltas->add(kind, original, 1);
    }
    if (Status s = insertSearchDocument(index.document, id, state); !s)
        return s;
    if (index.documented)
        state.docsToIndex.insert(index.document.entityRef);
    return Ok{};
}

Result<QSet<QString>> SqliteCatalogStorePrivate::stitchAll(WriteState &state)
{
    // 1. Gather inputs (reads, in this thread).
    auto row = prepare(QStringLiteral("SELECT id, uid, final, status_items, etag, sequence FROM entities WHERE ref = ?"));
    if (!row)
        return row.error();
    QList<StitchInput> inputs;
    inputs.reserve(state.restitch.size());
    for (const QString &ref : std::as_const(state.restitch)) {
        const auto fresh = state.newRows.constFind(ref);
        const auto json = state.bodyJson.constFind(ref);
        if (fresh != state.newRows.cend()) {
            StitchInput input;
            input.id = fresh->id;
            input.ref = ref;
            input.uid = fresh->uid;
            if (json != state.bodyJson.cend()) {
                input.bodyJson = json.value();
            } else {
                input.body = state.bodies.value(ref);
                input.keyOrder = state.orders.value(ref);
            }
            input.isNew = true;
            input.collator = &collator;
            inputs.append(std::move(input));
            continue;
        }
        Statement &r = *row.value();
        r.bind(1, ref);
        if (!r.next()) {   // a relation to an entity that does not exist (yet)
            r.reset();
            continue;
        }
        StitchInput input;
        input.id = r.integer(0);
        input.ref = ref;
        input.uid = r.text(1);
        const auto body = state.bodies.constFind(ref);
        if (json != state.bodyJson.cend()) {
            input.bodyJson = json.value();
        } else if (body != state.bodies.cend()) {
            input.body = body.value();
            input.keyOrder = state.orders.value(ref);
        } else {
            // The stored final, body and key order taken out of it on the pool.
            input.bodyJson = r.blob(2);
            input.bodyJsonIsFinal = true;
        }
        input.statusItems = r.isNull(3) ? QByteArray() : r.blob(3);
        input.oldEtag = r.text(4);
        input.isNew = r.integer(5) == 0;
        input.collator = &collator;
        r.reset();
        inputs.append(std::move(input));
    }
    auto relations = prepare(QStringLiteral("SELECT DISTINCT type, target_ref FROM relations WHERE source_ref = ? "
                                            "ORDER BY type, target_ref"));
    if (!relations)
        return relations.error();

    // Writing in id order appends to the entity-clustered tables instead of
    // scattering rows over them.
    std::sort(inputs.begin(), inputs.end(), [](const StitchInput &a, const StitchInput &b) { return a.id < b.id; });

    // 2. Build final JSON, etags and index rows on the pool, a chunk at a time
    // (the next chunk is built while this thread writes the one before), so
    // the outputs of a 100,000-entity write are never all in memory at once.
    constexpr qsizetype Chunk = 1024;
    const auto stitchChunk = [&inputs, &relations](qsizetype start) {
        if (start >= inputs.size())
            return QFuture<StitchOutput>();
        // Relations are read a chunk at a time too (this thread; the pool only stitches).
        for (qsizetype i = start; i < std::min(start + Chunk, inputs.size()); ++i) {
            Statement &r = *relations.value();
            r.bind(1, inputs[i].ref);
            while (r.next())
                inputs[i].relations.append({r.text(0), r.text(1)});
            r.reset();
        }
        return QtConcurrent::mapped(inputs.cbegin() + start, inputs.cbegin() + std::min(start + Chunk, inputs.size()), &Stitcher::stitch);
    };
    QFuture<StitchOutput> current = stitchChunk(0);
    QFuture<StitchOutput> next;
    struct StopOnExit   // an error return must not leave the pool working for nobody
    {
        QFuture<StitchOutput> &current;
        QFuture<StitchOutput> &next;
        ~StopOnExit()
        {
            for (QFuture<StitchOutput> *future : {&current, &next}) {
                future->cancel();
                future->waitForFinished();
            }
        }
    } stopOnExit{current, next};

    // 3. Write what changed (in this thread).
    if (state.bulk) {
        if (Status s = db.exec(QStringLiteral("DROP INDEX search_key_value")); !s)
            return s.error();
    }
    auto insertEntity = prepare(QStringLiteral(
        "INSERT INTO entities(id, ref, uid, kind, name, etag, body_hash, origin_key, location_key, parent_ref, final, sequence) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
    auto update = prepare(QStringLiteral("UPDATE entities SET final = ?, etag = ?, sequence = ? WHERE id = ?"));
    if (!insertEntity || !update)
        return Error::internal(db.lastError());
    QSet<QString> changed;
    QList<StitchInput> spent;   // this chunk's, written
    spent.reserve(Chunk);
    for (qsizetype start = 0; start < inputs.size(); start += Chunk) {
        next = stitchChunk(start + Chunk);
        const qsizetype end = std::min(start + Chunk, inputs.size());
        for (qsizetype i = start; i < end; ++i) {
            const StitchOutput output = current.resultAt(int(i - start));
            // Stitched: its body is not needed again in this write, so it goes now, not at the commit.
            spent.append(std::exchange(inputs[i], StitchInput()));
            const StitchInput &input = spent.last();
            state.bodyJson.remove(input.ref);
            state.bodies.remove(input.ref);
            state.orders.remove(input.ref);
            const std::optional<NewRow> fresh = state.newRows.contains(input.ref) ? std::optional<NewRow>(state.newRows.take(input.ref))
                                                                                    : std::nullopt;
            if (!output.index.error.isEmpty())
                return Error::input(QStringLiteral("%1: %2").arg(input.ref, output.index.error));
            if (!output.changed)
                continue;
            changed.insert(input.ref);
            if (!input.isNew) {
                if (Status s = deleteSearchRows(input.id, state); !s)
                    return s.error();
            }
            if (Status s = insertIndex(input.id, output.kind, output.index, state); !s)
                return s.error();
            auto sequence = appendChange(input.ref, input.uid, false, output.etag, state);
            if (!sequence)
                return sequence.error();
            if (fresh) {
                if (!insertEntity.value()->bind(1, fresh->id).bind(2, input.ref).bind(3, fresh->uid).bind(4, fresh->kind)
                         .bind(5, fresh->name).bind(6, output.etag).bind(7, fresh->bodyHash).bind(8, fresh->originKey)
                         .bind(9, fresh->locationKey).bind(10, fresh->parentRef).bind(11, output.finalJson)
                         .bind(12, sequence.value()).run())
                    return Error::internal(db.lastError());
            } else if (!update.value()->bind(1, output.finalJson).bind(2, output.etag).bind(3, sequence.value())
                            .bind(4, input.id).run()) {
                return Error::internal(db.lastError());
            }
        }
        // The chunk's outputs and facet counts go now; what the next chunk needs is in the tables.
        // The chunk's inputs and outputs are a great many small allocations,
        // most made on the pool: they are freed there too, not on this thread.
        QThreadPool::globalInstance()->start([done = std::exchange(current, std::exchange(next, QFuture<StitchOutput>())),
                                              spent = std::exchange(spent, QList<StitchInput>())] {});
        spent.reserve(Chunk);
        if (Status s = flushFacetDeltas(state); !s)
            return s.error();
    }
    if (state.bulk) {
        if (Status s = db.exec(QString::fromLatin1(SearchKeyValueIndex)); !s)
            return s.error();
    }
    return changed;
}

Result<WriteReport> SqliteCatalogStore::applyLocation(LocationWrite write)
{
    return writeLocation(std::move(write), {});
}

Result<WriteReport> SqliteCatalogStore::writeLocation(LocationWrite write, const std::function<Status()> &alsoInTransaction)
{
    using State = SqliteCatalogStorePrivate::WriteState;
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    KeyCacheGuard keyCacheGuard{d.get()};

    State state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    WriteReport report;
    if (write.onlyIfRegistered) {
        auto registered = d->prepare(QStringLiteral("SELECT 1 FROM locations WHERE type || ':' || target = ?"));
        if (!registered)
            return registered.error();
        registered.value()->bind(1, write.originKey);
        const bool stillRegistered = registered.value()->next();
        registered.value()->reset();
        if (!stillRegistered) {
            report.skipped = true;
            report.lastSequence = lastSequence();
            return report;   // the transaction rolls back: nothing was written
        }
    }

    struct Existing
    {
        qint64 id;
        QString uid;
        QByteArray bodyHash;
        QString parentRef;
        QString locationKey;
        bool hasStatus;
    };
    QHash<QString, Existing> existing;
    {
        auto rows = d->prepare(QStringLiteral("SELECT id, ref, uid, body_hash, parent_ref, location_key, "
                                              "status_items IS NOT NULL FROM entities WHERE origin_key = ?")
                               + scopeClause(write));
        if (!rows)
            return rows.error();
        Statement &r = *rows.value();
        for (const QString &scope : scopesOf(write)) {
            r.bind(1, write.originKey);
            if (!scope.isNull())
                r.bind(2, scope);
            while (r.next())
                existing.insert(r.text(1), {r.integer(0), r.text(2), r.blob(3), r.text(4), r.text(5), r.integer(6) != 0});
            r.reset();
        }
    }

    QList<EntityDigest> digests = digestsOf(write.entities);

    // We hold the write lock, so ids for new entities can be handed out here;
    // their rows are written once, already stitched.
    auto maxId = d->queryInteger(QStringLiteral("SELECT coalesce(max(id), 0) FROM entities"));
    if (!maxId)
        return maxId.error();
    qint64 nextId = maxId.value();
    auto owner = d->prepare(QStringLiteral("SELECT origin_key, location_key FROM entities WHERE ref = ?"));
    auto update = d->prepare(QStringLiteral(
        "UPDATE entities SET body_hash = ?, location_key = ?, parent_ref = ?, status_items = NULL WHERE id = ?"));
    auto clearStatus = d->prepare(QStringLiteral("UPDATE entities SET status_items = NULL WHERE id = ?"));
    if (!owner || !update || !clearStatus)
        return Error::internal(d->db.lastError());

    state.bulk = write.entities.size() - existing.size() > std::max<qsizetype>(BulkWriteThreshold, nextId);
    // A bulk write runs with a cache of its own size (BulkCacheSizePragma), the usual one back after.
    struct CacheRaise
    {
        Database &db;
        bool raised = false;
        ~CacheRaise()
        {
            if (raised)
                (void)db.exec(QString::fromLatin1(CacheSizePragma));
        }
    } cacheRaise{d->db};
    if (state.bulk) {
        if (Status s = d->db.exec(QString::fromLatin1(BulkCacheSizePragma)); !s)
            return s.error();
        cacheRaise.raised = true;
        if (Status s = d->db.exec(QStringLiteral("DROP INDEX relations_source")); !s)
            return s.error();
    }

    // New ids are handed out in ref order, so the ref-keyed indexes grow at
    // their end too. The sort is stable: among duplicates the first still wins.
    QList<qsizetype> order(write.entities.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](qsizetype a, qsizetype b) { return write.entities.at(a).ref < write.entities.at(b).ref; });

    // Another origin's hold on a ref, looked up as a new ref is met.
    const std::function<std::optional<QString>(const QString &)> ownerLocation = [&owner](const QString &ref) {
        Statement &o = *owner.value();
        o.bind(1, ref);
        std::optional<QString> other;
        if (o.next() && !o.isNull(0))
            other = o.text(1);
        o.reset();
        return other;
    };
    QSet<QString> seen;
    QSet<QString> bodiesWritten;   // inserted or updated: their change is not a "re-relation"
    for (const qsizetype i : std::as_const(order)) {
        EntityWrite &w = write.entities[i];
        // Its relations and body are in the transaction's hands once handled: they go from the write then.
        const auto release = qScopeGuard([&w, &digests, i] {
            w.relations = {};
            w.json = {};
            w.entity = {};
            w.keyOrder = {};
            digests[i] = {};
        });
        const QByteArray hash = digests.at(i).hash;
        const EntityVerdict verdict = judgeEntity(w, hash, write.originKey, existing, seen, ownerLocation, report);
        if (verdict == EntityVerdict::Duplicate || verdict == EntityVerdict::OwnedElsewhere)
            continue;
        const auto it = existing.constFind(w.ref);
        if (verdict == EntityVerdict::Unchanged) {
            if (it->hasStatus) {   // it processed cleanly again: its old problem goes
                if (!clearStatus.value()->bind(1, it->id).run())
                    return Error::internal(d->db.lastError());
                state.restitch.insert(w.ref);
            }
            continue;
        }
        if (verdict == EntityVerdict::Changed) {
            if (!update.value()->bind(1, hash).bind(2, w.locationKey).bind(3, w.parentRef).bind(4, it->id).run())
                return Error::internal(d->db.lastError());
            if (Status s = d->deleteRelations(it->id, state); !s)
                return s.error();
            if (Status s = d->insertRelations(it->id, w.relations, state); !s)
                return s.error();
            state.restitch.insert(w.ref);
            keepBodyFor(state, w);
            bodiesWritten.insert(w.ref);
            continue;
        }
        const qint64 id = ++nextId;
        state.newRows.insert(w.ref, {id, QUuid::createUuid().toString(QUuid::WithoutBraces), digests.at(i).kind, digests.at(i).name,
                                     hash, write.originKey, w.locationKey, w.parentRef});
        if (Status s = d->insertRelations(id, w.relations, state); !s)
            return s.error();
        state.restitch.insert(w.ref);
        keepBodyFor(state, w);
        bodiesWritten.insert(w.ref);
    }

    // Entities that failed this time keep their last good version, with the problem in status.
    QSet<QString> kept = write.keptParents;
    auto mark = d->prepare(QStringLiteral("UPDATE entities SET status_items = ? WHERE ref = ? AND origin_key = ?"));
    if (!mark)
        return mark.error();
    for (const EntityFailure &failure : write.failures) {
        if (!mark.value()->bind(1, QJsonDocument(QJsonArray{failure.statusItem}).toJson(QJsonDocument::Compact))
                 .bind(2, failure.ref).bind(3, write.originKey).run())
            return Error::internal(d->db.lastError());
        state.restitch.insert(failure.ref);
        kept.insert(failure.ref);
    }
    // What a failed read emitted before stays, down the whole subtree.
    keepSubtrees(existing, seen, kept);
    auto finalOf = d->prepare(QStringLiteral("SELECT final FROM entities WHERE id = ?"));
    auto orphan = d->prepare(QStringLiteral("UPDATE entities SET body_hash = ? WHERE id = ?"));
    if (!finalOf || !orphan)
        return Error::internal(d->db.lastError());
    for (auto it = existing.cbegin(); it != existing.cend(); ++it) {
        if (seen.contains(it.key()) || kept.contains(it.key()))
            continue;
        if (!write.keepOrphans) {
            if (Status s = d->deleteEntityRow(it->id, it.key(), it->uid, state, report.deleted); !s)
                return s.error();
            continue;
        }
        // orphanStrategy keep: the entity stays, marked as an orphan once.
        Statement &f = *finalOf.value();
        f.bind(1, it->id);
        if (!f.next())
            return Error::internal(d->db.lastError());
        const std::optional<QJsonObject> orphaned = orphanedBody(f.blob(0));
        f.reset();
        if (!orphaned)
            continue;
        const QJsonObject &body = *orphaned;
        if (!orphan.value()->bind(1, Stitcher::bodyHash(body)).bind(2, it->id).run())
            return Error::internal(d->db.lastError());
        state.restitch.insert(it.key());
        state.bodies.insert(it.key(), body);
        bodiesWritten.insert(it.key());
        ++report.updated;
    }

    if (state.bulk) {
        if (Status s = d->db.exec(QString::fromLatin1(RelationsSourceIndex)); !s)
            return s.error();
    }
    auto changed = d->stitchAll(state);
    if (!changed)
        return changed.error();
    for (const QString &ref : std::as_const(changed.value())) {
        if (!bodiesWritten.contains(ref))
            ++report.restitched;
    }
    if (Status s = d->flushFacetDeltas(state); !s)
        return s.error();

    auto clearErrors = d->prepare(QStringLiteral("DELETE FROM processing_errors WHERE origin_key = ?") + scopeClause(write));
    if (!clearErrors)
        return Error::internal(d->db.lastError());
    for (const QString &scope : scopesOf(write)) {
        clearErrors.value()->bind(1, write.originKey);
        if (!scope.isNull())
            clearErrors.value()->bind(2, scope);
        if (!clearErrors.value()->run())
            return Error::internal(d->db.lastError());
    }
    auto addError = d->prepare(QStringLiteral(
        "INSERT INTO processing_errors(origin_key, location_key, file, line, entity_ref, name, message, reason, level) "
        "VALUES (?,?,?,?,?,?,?,?,?)"));
    if (!addError)
        return addError.error();
    for (const ProcessingErrorRecord &e : write.errors + report.conflicts) {
        if (!addError.value()->bind(1, write.originKey).bind(2, e.locationKey).bind(3, e.file).bind(4, qint64(e.line))
                 .bind(5, e.entityRef).bind(6, e.name).bind(7, e.message).bind(8, e.reason).bind(9, e.level).run())
            return Error::internal(d->db.lastError());
    }

    if (alsoInTransaction) {
        if (Status s = alsoInTransaction(); !s)
            return s.error();
    }
    if (Status s = d->flushSearch(state); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    keyCacheGuard.committed = true;
    report.lastSequence = lastSequence();
    return report;
}

Status SqliteCatalogStore::removeEntityByUid(const QString &uid)
{
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s;
    auto row = d->prepare(QStringLiteral("SELECT id, ref FROM entities WHERE uid = ?"));
    if (!row)
        return row.error();
    row.value()->bind(1, uid);
    if (!row.value()->next())
        return Ok{};
    const qint64 id = row.value()->integer(0);
    const QString ref = row.value()->text(1);
    row.value()->reset();
    SqliteCatalogStorePrivate::WriteState state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    int deleted = 0;
    if (Status s = d->deleteEntityRow(id, ref, uid, state, deleted); !s)
        return s;
    if (auto changed = d->stitchAll(state); !changed)
        return changed.error();
    if (Status s = d->flushFacetDeltas(state); !s)
        return s;
    if (Status s = d->flushSearch(state); !s)
        return s;
    return tx.commit();
}

} // namespace Greenroom::Store
