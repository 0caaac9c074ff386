// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Writing a location's entities on PostgreSQL: the same steps as the SQLite
// store's (sqlitewrites.cpp), each write one transaction under the store's
// write lock. Rows go to the server a chunk at a time as arrays unnested
// there, so a large write costs a few round trips per thousand entities,
// not several per entity.
#include "postgrescatalogstore.h"

#include "docsstore.h"
#include "postgrescatalogstore_p.h"

#include <model/annotations.h>
#include <search/searchtext.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QUuid>
#include <QtConcurrent/QtConcurrentMap>

#include <numeric>

namespace Greenroom::Store {

using namespace Internal;

namespace {

// Entities stitched and written per round of statements.
constexpr qsizetype Chunk = 1024;
// Relation rows sent at once.
constexpr qsizetype RelationBatch = 20000;

// Weighted words of a search document, as PostgreSQL's full text sees them:
// titles and names over keywords over the rest. 'simple' keeps words as
// written (no stemming), as SQLite's unicode61 tokenizer does.
const char *const EntityWords =
    "setweight(to_tsvector('simple', coalesce(t.title, '') || ' ' || coalesce(t.name, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(t.keywords, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(t.body, '')), 'C')";

} // namespace

Status PostgresCatalogStorePrivate::insertRelations(qint64 originId, const QList<Model::Relation> &relations, WriteState &state)
{
    for (const Model::Relation &r : relations) {
        state.relationOrigins.add(originId);
        state.relationSources.add(r.sourceRef);
        state.relationTypes.add(r.type);
        state.relationTargets.add(r.targetRef);
        state.restitch.insert(r.sourceRef);
    }
    return state.relationOrigins.size() >= RelationBatch ? flushRelations(state) : Status(Ok{});
}

Status PostgresCatalogStorePrivate::flushRelations(WriteState &state)
{
    if (state.relationOrigins.isEmpty())
        return Ok{};
    auto inserted = db.query(QStringLiteral("INSERT INTO relations(origin_id, source_ref, type, target_ref) "
                                            "SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[])"),
                             {state.relationOrigins.literal(), state.relationSources.literal(), state.relationTypes.literal(),
                              state.relationTargets.literal()});
    state.relationOrigins.clear();
    state.relationSources.clear();
    state.relationTypes.clear();
    state.relationTargets.clear();
    return inserted ? Status(Ok{}) : Status(inserted.error());
}

Status PostgresCatalogStorePrivate::deleteRelations(qint64 originId, WriteState &state)
{
    auto sources = db.query(QStringLiteral("DELETE FROM relations WHERE origin_id = ? RETURNING source_ref"), {originId});
    if (!sources)
        return sources.error();
    for (int i = 0; i < sources->size(); ++i)
        state.restitch.insert(sources->text(i, 0));
    return Ok{};
}

Result<qint64> PostgresCatalogStorePrivate::appendChange(const QString &ref, const QString &uid, bool deleted,
                                                         const QString &etag, WriteState &state)
{
    // One row per ref: a new change takes the next number and replaces the old row.
    auto sequence = db.integer(QStringLiteral("INSERT INTO changes(sequence, ref, uid, deleted, etag, changed_at) "
                                              "VALUES (nextval('change_sequence'), ?, ?, ?, ?, ?) ON CONFLICT (ref) DO UPDATE SET "
                                              "sequence = excluded.sequence, uid = excluded.uid, deleted = excluded.deleted, "
                                              "etag = excluded.etag, changed_at = excluded.changed_at RETURNING sequence"),
                               {ref, uid, deleted, etag, state.now});
    if (!sequence)
        return sequence.error();
    state.lastSequence = std::max(state.lastSequence, sequence.value());
    return sequence.value();
}

Status PostgresCatalogStorePrivate::finishChanges(const WriteState &state)
{
    if (state.lastSequence == 0)
        return Ok{};
    auto recorded = db.query(QStringLiteral("UPDATE store_state SET value = greatest(value, ?) WHERE key = 'last_sequence'"),
                             {state.lastSequence});
    if (!recorded)
        return recorded.error();
    // Delivered at the commit, to every replica listening (PostgresChangeListener).
    auto told = db.query(QStringLiteral("SELECT pg_notify(?, ?)"), {QString::fromLatin1(ChangesChannel), QString::number(state.lastSequence)});
    return told ? Status(Ok{}) : Status(told.error());
}

Status PostgresCatalogStorePrivate::deleteEntityRow(qint64 id, const QString &ref, const QString &uid, WriteState &state, int &deleted)
{
    if (Status s = deleteRelations(id, state); !s)
        return s;
    const QVariantList ids{QByteArray('{' + QByteArray::number(id) + '}')};
    for (const char *sql : {"DELETE FROM search WHERE entity_id = ANY(?::bigint[])", "DELETE FROM entity_text WHERE entity_id = ANY(?::bigint[])",
                            "DELETE FROM entities WHERE id = ANY(?::bigint[])"}) {
        if (auto removed = db.query(QString::fromLatin1(sql), ids); !removed)
            return removed.error();
    }
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

Result<QSet<QString>> PostgresCatalogStorePrivate::stitchAll(WriteState &state)
{
    if (Status s = flushRelations(state); !s)
        return s.error();
    QStringList refs(state.restitch.cbegin(), state.restitch.cend());
    std::sort(refs.begin(), refs.end());
    QSet<QString> changed;
    for (qsizetype start = 0; start < refs.size(); start += Chunk) {
        const QStringList chunk = refs.mid(start, Chunk);
        // 1. What each needs: its stored row (unless new) and its relations, two queries for the chunk.
        PgArray stored;
        for (const QString &ref : chunk) {
            if (!state.newRows.contains(ref))
                stored.add(ref);
        }
        QHash<QString, int> rowOf;
        PgRows rows;
        if (!stored.isEmpty()) {
            auto read = db.query(QStringLiteral("SELECT id, uid, final, status_items, etag, ref FROM entities WHERE ref = ANY(?::text[])"),
                                 {stored.literal()});
            if (!read)
                return read.error();
            rows = std::move(read).value();
            for (int i = 0; i < rows.size(); ++i)
                rowOf.insert(rows.text(i, 5), i);
        }
        PgArray all;
        for (const QString &ref : chunk)
            all.add(ref);
        auto relationRows = db.query(QStringLiteral("SELECT DISTINCT source_ref, type, target_ref FROM relations "
                                                    "WHERE source_ref = ANY(?::text[]) ORDER BY source_ref, type, target_ref"),
                                     {all.literal()});
        if (!relationRows)
            return relationRows.error();
        QHash<QString, QList<std::pair<QString, QString>>> relationsOf;
        for (int i = 0; i < relationRows->size(); ++i)
            relationsOf[relationRows->text(i, 0)].append({relationRows->text(i, 1), relationRows->text(i, 2)});

        QList<StitchInput> inputs;
        inputs.reserve(chunk.size());
        for (const QString &ref : chunk) {
            StitchInput input;
            input.ref = ref;
            const auto fresh = state.newRows.constFind(ref);
            const auto json = state.bodyJson.constFind(ref);
            const auto body = state.bodies.constFind(ref);
            if (fresh != state.newRows.cend()) {
                input.id = fresh->id;
                input.uid = fresh->uid;
                input.isNew = true;
            } else {
                const auto row = rowOf.constFind(ref);
                if (row == rowOf.cend())
                    continue;   // a relation to an entity that does not exist (yet)
                input.id = rows.integer(*row, 0);
                input.uid = rows.text(*row, 1);
                input.statusItems = rows.isNull(*row, 3) ? QByteArray() : rows.bytes(*row, 3);
                input.oldEtag = rows.text(*row, 4);
                if (json == state.bodyJson.cend() && body == state.bodies.cend()) {
                    input.bodyJson = rows.bytes(*row, 2);
                    input.bodyJsonIsFinal = true;
                }
            }
            if (json != state.bodyJson.cend()) {
                input.bodyJson = json.value();
            } else if (body != state.bodies.cend()) {
                input.body = body.value();
                input.keyOrder = state.orders.value(ref);
            }
            input.relations = relationsOf.value(ref);
            inputs.append(std::move(input));
            state.bodyJson.remove(ref);
            state.bodies.remove(ref);
            state.orders.remove(ref);
        }
        rows = PgRows();

        // 2. Final JSON, etags and index rows on every core.
        const QList<StitchOutput> outputs = QtConcurrent::blockingMapped(inputs, &Stitcher::stitch);

        // 3. What changed, written as arrays.
        PgArray replacedIds;
        PgArray searchIds, searchKeys, searchOrdinals, searchValues, searchOriginals, searchFirsts;
        PgArray textIds, titles, names, keywords, bodies;
        PgArray changeSequences, changeRefs, changeUids, changeEtags;
        PgArray newIds, newRefs, newUids, newKinds, newNames, newEtags, newHashes, newOrigins, newLocations, newParents, newFinals, newSequences;
        PgArray updIds, updFinals, updEtags, updSequences;
        // Change numbers for the chunk, taken as one block (the write lock is held: nobody else takes any).
        qsizetype changes = 0;
        for (const StitchOutput &output : outputs)
            changes += output.changed ? 1 : 0;
        qint64 nextSequence = 0;
        if (changes > 0) {
            auto last = db.integer(QStringLiteral("SELECT setval('change_sequence', nextval('change_sequence') + ? - 1)"), {qint64(changes)});
            if (!last)
                return last.error();
            nextSequence = last.value() - changes + 1;
        }
        for (qsizetype i = 0; i < inputs.size(); ++i) {
            const StitchInput &input = inputs.at(i);
            const StitchOutput &output = outputs.at(i);
            const std::optional<NewRow> fresh = state.newRows.contains(input.ref) ? std::optional<NewRow>(state.newRows.take(input.ref))
                                                                                    : std::nullopt;
            if (!output.index.error.isEmpty())
                return Error::input(QStringLiteral("%1: %2").arg(input.ref, output.index.error));
            if (!output.changed)
                continue;
            changed.insert(input.ref);
            if (!input.isNew)
                replacedIds.add(input.id);
            qint64 ordinal = 0;
            QString previousKey;
            for (const Model::SearchRow &row : output.index.rows) {
                searchIds.add(input.id);
                searchKeys.add(row.key);
                searchOrdinals.add(ordinal++);
                searchValues.addOrNull(row.value);
                if (row.originalValue.isNull() || row.originalValue == row.value)
                    searchOriginals.addNull();
                else
                    searchOriginals.add(row.originalValue);
                searchFirsts.add(row.key != previousKey);
                previousKey = row.key;
            }
            const Search::IndexedDocument &document = output.index.document;
            textIds.add(input.id);
            // Folded as the search box folds its words (letters and digits, no accents).
            titles.add(Search::wordKey(document.title));
            names.add(Search::wordKey(document.name));
            keywords.add(Search::wordKey(document.keywords));
            bodies.add(Search::wordKey(document.text));
            const qint64 sequence = nextSequence++;
            state.lastSequence = std::max(state.lastSequence, sequence);
            changeSequences.add(sequence);
            changeRefs.add(input.ref);
            changeUids.add(input.uid);
            changeEtags.add(output.etag);
            if (fresh) {
                newIds.add(fresh->id);
                newRefs.add(input.ref);
                newUids.add(fresh->uid);
                newKinds.add(fresh->kind);
                newNames.add(fresh->name);
                newEtags.add(output.etag);
                newHashes.add(fresh->bodyHash);
                newOrigins.addOrNull(fresh->originKey);
                newLocations.addOrNull(fresh->locationKey);
                newParents.addOrNull(fresh->parentRef);
                newFinals.add(output.finalJson);
                newSequences.add(sequence);
            } else {
                updIds.add(input.id);
                updFinals.add(output.finalJson);
                updEtags.add(output.etag);
                updSequences.add(sequence);
            }
        }
        inputs.clear();
        const auto run = [this](const char *sql, const QVariantList &params) -> Status {
            auto done = db.query(QString::fromLatin1(sql), params);
            return done ? Status(Ok{}) : Status(done.error());
        };
        if (!replacedIds.isEmpty()) {
            if (Status s = run("DELETE FROM search WHERE entity_id = ANY(?::bigint[])", {replacedIds.literal()}); !s)
                return s.error();
            if (Status s = run("DELETE FROM entity_text WHERE entity_id = ANY(?::bigint[])", {replacedIds.literal()}); !s)
                return s.error();
        }
        if (!searchIds.isEmpty()) {
            if (Status s = run("INSERT INTO search(entity_id, key, ordinal, value, original_value, first) "
                               "SELECT * FROM unnest(?::bigint[], ?::text[], ?::integer[], ?::text[], ?::text[], ?::boolean[])",
                               {searchIds.literal(), searchKeys.literal(), searchOrdinals.literal(), searchValues.literal(),
                                searchOriginals.literal(), searchFirsts.literal()});
                !s)
                return s.error();
        }
        if (!textIds.isEmpty()) {
            const QByteArray sql = QByteArray("INSERT INTO entity_text(entity_id, words) SELECT t.id, ") + EntityWords
                                   + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t(id, title, name, keywords, body)";
            if (Status s = run(sql.constData(), {textIds.literal(), titles.literal(), names.literal(), keywords.literal(), bodies.literal()}); !s)
                return s.error();
            if (Status s = run("INSERT INTO changes(sequence, ref, uid, deleted, etag, changed_at) "
                               "SELECT c.sequence, c.ref, c.uid, false, c.etag, ? FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) "
                               "AS c(sequence, ref, uid, etag) ON CONFLICT (ref) DO UPDATE SET sequence = excluded.sequence, "
                               "uid = excluded.uid, deleted = false, etag = excluded.etag, changed_at = excluded.changed_at",
                               {state.now, changeSequences.literal(), changeRefs.literal(), changeUids.literal(), changeEtags.literal()});
                !s)
                return s.error();
        }
        if (!newIds.isEmpty()) {
            if (Status s = run("INSERT INTO entities(id, ref, uid, kind, name, etag, body_hash, origin_key, location_key, parent_ref, final, sequence) "
                               "SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                               "?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])",
                               {newIds.literal(), newRefs.literal(), newUids.literal(), newKinds.literal(), newNames.literal(),
                                newEtags.literal(), newHashes.literal(), newOrigins.literal(), newLocations.literal(),
                                newParents.literal(), newFinals.literal(), newSequences.literal()});
                !s)
                return s.error();
        }
        if (!updIds.isEmpty()) {
            if (Status s = run("UPDATE entities e SET final = u.final, etag = u.etag, sequence = u.sequence "
                               "FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[]) AS u(id, final, etag, sequence) WHERE e.id = u.id",
                               {updIds.literal(), updFinals.literal(), updEtags.literal(), updSequences.literal()});
                !s)
                return s.error();
        }
    }
    return changed;
}

Result<WriteReport> PostgresCatalogStore::applyLocation(LocationWrite write)
{
    return writeLocation(std::move(write), {});
}

Result<WriteReport> PostgresCatalogStore::writeLocation(LocationWrite write, const std::function<Status()> &alsoInTransaction)
{
    using State = PostgresCatalogStorePrivate::WriteState;
    PgTransaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    State state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    WriteReport report;
    if (write.onlyIfRegistered) {
        auto registered = d->db.query(QStringLiteral("SELECT 1 FROM locations WHERE type || ':' || target = ?"), {write.originKey});
        if (!registered)
            return registered.error();
        if (registered->size() == 0) {
            report.skipped = true;
            report.lastSequence = lastSequence();
            return report;   // rolled back: nothing was written
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
        for (const QString &scope : scopesOf(write)) {
            auto rows = d->db.query(QStringLiteral("SELECT id, ref, uid, body_hash, parent_ref, location_key, status_items IS NOT NULL "
                                                   "FROM entities WHERE origin_key = ?") + scopeClause(write),
                                    scopeParams(write, scope));
            if (!rows)
                return rows.error();
            for (int i = 0; i < rows->size(); ++i)
                existing.insert(rows->text(i, 1), {rows->integer(i, 0), rows->text(i, 2), rows->bytes(i, 3), rows->text(i, 4),
                                                   rows->text(i, 5), rows->boolean(i, 6)});
        }
    }

    QList<EntityDigest> digests = digestsOf(write.entities);

    // Refs of this write another origin owns already: one query for all of them.
    QHash<QString, QString> ownedElsewhere;   // ref -> its location key
    {
        PgArray refs;
        for (const EntityWrite &w : std::as_const(write.entities)) {
            if (!existing.contains(w.ref))
                refs.add(w.ref);
        }
        if (!refs.isEmpty()) {
            auto owned = d->db.query(QStringLiteral("SELECT ref, location_key FROM entities WHERE ref = ANY(?::text[]) AND origin_key IS NOT NULL"),
                                     {refs.literal()});
            if (!owned)
                return owned.error();
            for (int i = 0; i < owned->size(); ++i)
                ownedElsewhere.insert(owned->text(i, 0), owned->text(i, 1));
        }
    }
    // The write lock is held, so ids for new entities can be handed out here.
    auto maxId = d->db.integer(QStringLiteral("SELECT coalesce(max(id), 0) FROM entities"));
    if (!maxId)
        return maxId.error();
    qint64 nextId = maxId.value();

    QList<qsizetype> order(write.entities.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](qsizetype a, qsizetype b) { return write.entities.at(a).ref < write.entities.at(b).ref; });

    const std::function<std::optional<QString>(const QString &)> ownerLocation = [&ownedElsewhere](const QString &ref) {
        const auto owner = ownedElsewhere.constFind(ref);
        return owner == ownedElsewhere.cend() ? std::nullopt : std::optional<QString>(owner.value());
    };
    PgArray clearIds;   // unchanged entities whose old problem goes
    PgArray updIds, updHashes, updLocations, updParents;
    QSet<QString> seen;
    QSet<QString> bodiesWritten;
    for (const qsizetype i : std::as_const(order)) {
        EntityWrite &w = write.entities[i];
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
                clearIds.add(it->id);
                state.restitch.insert(w.ref);
            }
            continue;
        }
        if (verdict == EntityVerdict::Changed) {
            updIds.add(it->id);
            updHashes.add(hash);
            updLocations.addOrNull(w.locationKey);
            updParents.addOrNull(w.parentRef);
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
    if (!clearIds.isEmpty()) {
        if (auto cleared = d->db.query(QStringLiteral("UPDATE entities SET status_items = NULL WHERE id = ANY(?::bigint[])"),
                                       {clearIds.literal()});
            !cleared)
            return cleared.error();
    }
    if (!updIds.isEmpty()) {
        if (auto updated = d->db.query(QStringLiteral("UPDATE entities e SET body_hash = u.hash, location_key = u.location, "
                                                      "parent_ref = u.parent, status_items = NULL FROM unnest(?::bigint[], ?::text[], "
                                                      "?::text[], ?::text[]) AS u(id, hash, location, parent) WHERE e.id = u.id"),
                                       {updIds.literal(), updHashes.literal(), updLocations.literal(), updParents.literal()});
            !updated)
            return updated.error();
    }

    // Entities that failed this time keep their last good version, with the problem in status.
    QSet<QString> kept = write.keptParents;
    for (const EntityFailure &failure : write.failures) {
        auto marked = d->db.query(QStringLiteral("UPDATE entities SET status_items = ? WHERE ref = ? AND origin_key = ?"),
                                  {QJsonDocument(QJsonArray{failure.statusItem}).toJson(QJsonDocument::Compact), failure.ref,
                                   write.originKey});
        if (!marked)
            return marked.error();
        state.restitch.insert(failure.ref);
        kept.insert(failure.ref);
    }
    keepSubtrees(existing, seen, kept);
    for (auto it = existing.cbegin(); it != existing.cend(); ++it) {
        if (seen.contains(it.key()) || kept.contains(it.key()))
            continue;
        if (!write.keepOrphans) {
            if (Status s = d->deleteEntityRow(it->id, it.key(), it->uid, state, report.deleted); !s)
                return s.error();
            continue;
        }
        // orphanStrategy keep: the entity stays, marked as an orphan once.
        auto final = d->db.query(QStringLiteral("SELECT final FROM entities WHERE id = ?"), {it->id});
        if (!final || final->size() == 0)
            return Error::internal(QStringLiteral("entity %1 vanished during its write").arg(it.key()));
        const std::optional<QJsonObject> orphaned = orphanedBody(final->bytes(0, 0));
        if (!orphaned)
            continue;
        const QJsonObject &body = *orphaned;
        if (auto marked = d->db.query(QStringLiteral("UPDATE entities SET body_hash = ? WHERE id = ?"), {Stitcher::bodyHash(body), it->id});
            !marked)
            return marked.error();
        state.restitch.insert(it.key());
        state.bodies.insert(it.key(), body);
        bodiesWritten.insert(it.key());
        ++report.updated;
    }

    auto changed = d->stitchAll(state);
    if (!changed)
        return changed.error();
    for (const QString &ref : std::as_const(changed.value())) {
        if (!bodiesWritten.contains(ref))
            ++report.restitched;
    }

    for (const QString &scope : scopesOf(write)) {
        auto cleared = d->db.query(QStringLiteral("DELETE FROM processing_errors WHERE origin_key = ?") + scopeClause(write),
                                   scopeParams(write, scope));
        if (!cleared)
            return cleared.error();
    }
    for (const ProcessingErrorRecord &e : write.errors + report.conflicts) {
        auto added = d->db.query(QStringLiteral("INSERT INTO processing_errors(origin_key, location_key, file, line, entity_ref, name, "
                                                "message, reason, level) VALUES (?,?,?,?,?,?,?,?,?)"),
                                 {write.originKey, e.locationKey, e.file, qint64(e.line), e.entityRef, e.name, e.message, e.reason, e.level});
        if (!added)
            return added.error();
    }
    if (alsoInTransaction) {
        if (Status s = alsoInTransaction(); !s)
            return s.error();
    }
    if (Status s = d->finishChanges(state); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    // A large write changes what the planner should know of the tables; it
    // would learn it only when autovacuum next analyses them.
    constexpr int LargeWrite = 5000;
    if (report.inserted + report.updated + report.deleted >= LargeWrite)
        (void)d->db.exec(QStringLiteral("ANALYZE entities, search, relations, changes"));
    report.lastSequence = lastSequence();
    return report;
}

Status PostgresCatalogStore::removeEntityByUid(const QString &uid)
{
    PgTransaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s;
    auto row = d->db.query(QStringLiteral("SELECT id, ref FROM entities WHERE uid = ?"), {uid});
    if (!row)
        return row.error();
    if (row->size() == 0)
        return Ok{};
    PostgresCatalogStorePrivate::WriteState state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    int deleted = 0;
    if (Status s = d->deleteEntityRow(row->integer(0, 0), row->text(0, 1), uid, state, deleted); !s)
        return s;
    if (auto changed = d->stitchAll(state); !changed)
        return changed.error();
    if (Status s = d->finishChanges(state); !s)
        return s;
    return tx.commit();
}

} // namespace Greenroom::Store
