// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sqlitecatalogstore.h"

#include "migrations/migration.h"
#include "sqlitecatalogstore_p.h"
#include "listing_p.h"
#include "stitcher_p.h"

#include <model/annotations.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QUuid>
#include <QtConcurrent/QtConcurrentMap>

#include <cstring>

#include <numeric>

namespace Greenroom::Store {

Q_LOGGING_CATEGORY(lcStore, "greenroom.store", QtInfoMsg)

using namespace Internal;

namespace {

QString placeholders(qsizetype n)
{
    QString s;
    for (qsizetype i = 0; i < n; ++i)
        s += i ? QStringLiteral(",?") : QStringLiteral("?");
    return s;
}

// LIKE pattern for a literal substring.
QString likeEscaped(const QString &term)
{
    QString escaped = term.toLower();
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
    escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return escaped;
}

QString likePattern(const QString &term)
{
    return QLatin1Char('%') + likeEscaped(term) + QLatin1Char('%');
}

void bindAll(Statement &statement, const QVariantList &params, int first = 1)
{
    for (qsizetype i = 0; i < params.size(); ++i)
        statement.bindVariant(first + int(i), params.at(i));
}

ProcessingErrorRecord conflictRecord(const QString &origin, const QString &locationKey, const QString &ref,
                                     const QString &message)
{
    ProcessingErrorRecord conflict;
    conflict.originKey = origin;
    conflict.locationKey = locationKey;
    conflict.entityRef = ref;
    conflict.name = QStringLiteral("ConflictError");
    conflict.level = QStringLiteral("warning");
    conflict.message = conflict.reason = message;
    return conflict;
}

// Secondary indexes a bulk write rebuilds. The same definitions are in
// migrations/0001_initial.cpp; tst_sqlitecatalogstore checks they survive a bulk write.
const char *const RelationsSourceIndex = "CREATE INDEX relations_source ON relations(source_ref, type, target_ref)";
const char *const SearchKeyValueIndex = "CREATE INDEX search_key_value ON search(key_id, value, entity_id)";
constexpr qsizetype BulkWriteThreshold = 5000;
// What a mirror's bulk fill drops and builds again at its end. Their
// definitions are read from sqlite_master when dropped and kept in
// mirror_state under BulkStateKey until they are built again.
const char *const MirrorDeferredIndexes[] = {"search_key_value", "relations_source", "listing_by_system", "listing_by_owner",
                                             "listing_by_type", "listing_by_lifecycle", "listing_tags_by_id"};
const QString BulkStateKey = QStringLiteral("bulk_fill_indexes");
const char *const CacheSizePragma = "PRAGMA cache_size = -131072";       // 128 MiB
// While a bulk write runs. It was 2 GiB, so every dirty page of a 50,000-entity
// write stayed in memory until the commit (260 MB at the peak); 32 MiB spills
// to the WAL early (32 MiB: no slower within the noise on that write, 700 MB smaller).
const char *const BulkCacheSizePragma = "PRAGMA cache_size = -32768";
// Keys with more distinct values than this (names, uids, paths) are not worth
// a counter per value: they are counted on demand instead.
constexpr qsizetype MaxCountedFacetValues = 1000;

#define ENTITY_COLUMNS "e.final, e.ref, e.uid, e.etag, e.sequence, e.origin_key, e.location_key, e.parent_ref"

} // namespace

// Removes a `kind=<one value>` condition from a single-group filter and returns
// the kind: such filters use the entities' kind column and per-kind counters.
static QString takeSingleKind(Model::EntityFilter &filter)
{
    if (filter.anyOf.size() != 1)
        return {};
    Model::EntityFilter::AllOf &conditions = filter.anyOf.first();
    const auto it = std::find_if(conditions.begin(), conditions.end(), [](const Model::EntityFilter::Condition &c) {
        return c.key == QLatin1String("kind") && c.values.size() == 1;
    });
    if (it == conditions.end())
        return {};
    const QString kind = it->values.first();
    conditions.erase(it);
    if (conditions.isEmpty())
        filter.anyOf.clear();
    return kind;
}

void SqlCondition::andWith(const QString &fragment, const QVariantList &fragmentParams)
{
    if (fragment.isEmpty())
        return;
    sql = sql.isEmpty() ? fragment : QStringLiteral("(%1) AND (%2)").arg(sql, fragment);
    params += fragmentParams;
}

Result<Statement *> SqliteCatalogStorePrivate::prepare(const QString &sql)
{
    auto it = statements.find(sql);
    if (it == statements.end()) {
        auto statement = db.prepare(sql);
        if (!statement)
            return statement.error();
        it = statements.emplace(sql, std::move(statement).value()).first;
    }
    it->second.reset();
    return &it->second;
}

Result<qint64> SqliteCatalogStorePrivate::queryInteger(const QString &sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.error();
    if (!stmt.value()->next())
        return Error::internal(db.lastError());
    const qint64 value = stmt.value()->integer(0);
    stmt.value()->reset();
    return value;
}

void SqliteCatalogStorePrivate::trimCaches()
{
    if (statements.size() > 256)
        statements.clear();
    if (counts.size() > 1024)
        counts.clear();
}

Result<qint64> SqliteCatalogStorePrivate::keyId(const QString &key, bool create)
{
    const auto cached = keyIds.constFind(key);
    if (cached != keyIds.cend())
        return cached.value();
    auto find = prepare(QStringLiteral("SELECT id FROM search_keys WHERE key = ?"));
    if (!find)
        return find.error();
    find.value()->bind(1, key);
    if (find.value()->next()) {
        const qint64 id = find.value()->integer(0);
        find.value()->reset();
        keyIds.insert(key, id);
        return id;
    }
    if (!create)
        return qint64(-1);
    auto insert = prepare(QStringLiteral("INSERT INTO search_keys(key) VALUES (?)"));
    if (!insert || !insert.value()->bind(1, key).run())
        return Error::internal(db.lastError());
    const qint64 id = sqlite3_last_insert_rowid(db.handle());
    keyIds.insert(key, id);
    return id;
}

SqliteCatalogStore::SqliteCatalogStore() : d(std::make_unique<SqliteCatalogStorePrivate>()) {}
SqliteCatalogStore::~SqliteCatalogStore() = default;

int SqliteCatalogStore::schemaVersion()
{
    return sqliteMigrations().last().version;
}

Result<std::unique_ptr<SqliteCatalogStore>> SqliteCatalogStore::open(const QString &path, Memory memory)
{
    std::unique_ptr<SqliteCatalogStore> store(new SqliteCatalogStore);
    store->d->path = path;
    if (Status s = store->d->db.open(path); !s)
        return s.error();
    // WAL: readers never wait for the writer. NORMAL sync: a crash of the
    // process never loses a committed transaction; a power cut may lose the
    // last ones but never corrupts.
    const bool desktop = memory == Memory::Desktop;
    for (const char *pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                               // Sorts bigger than the cache (building indexes after a bulk write)
                               // spill to a temporary file: in memory they took 150 MB at 100,000 entities.
                               "PRAGMA temp_store = FILE",
                               desktop ? "PRAGMA cache_size = -8192" : CacheSizePragma,   // 8 MiB
                               desktop ? "PRAGMA mmap_size = 0" : "PRAGMA mmap_size = 1073741824"}) {
        if (Status s = store->d->db.exec(QString::fromLatin1(pragma)); !s)
            return Error::internal(QStringLiteral("Cannot open database %1: %2").arg(path, s.error().message));
    }
    if (Status s = store->d->migrate(); !s)
        return s.error();
    return store;
}

Status SqliteCatalogStorePrivate::migrate()
{
    auto version = db.prepare(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return version.error();
    version.value().next();
    const int current = int(version.value().integer(0));
    version.value().reset();
    const int latest = sqliteMigrations().last().version;
    if (current > latest) {
        return Error::internal(QStringLiteral("Database %1 has schema version %2, but this Greenroom only knows versions "
                                              "up to %3. It was written by a newer Greenroom; upgrade Greenroom or use "
                                              "another database file.").arg(path).arg(current).arg(latest));
    }
    for (const Migration &migration : sqliteMigrations()) {
        if (migration.version <= current)
            continue;
        Transaction tx(db);
        if (Status s = tx.begin(); !s)
            return s;
        if (Status s = db.exec(migration.sql); !s) {
            return Error::internal(QStringLiteral("Database %1: migration %2 failed: %3")
                                       .arg(path).arg(migration.version).arg(s.error().message));
        }
        if (Status s = db.exec(QStringLiteral("PRAGMA user_version = %1").arg(migration.version)); !s)
            return s;
        if (Status s = tx.commit(); !s)
            return s;
        qCDebug(lcStore) << "database" << path << "migrated to schema version" << migration.version;
    }
    return Ok{};
}

StoredEntity SqliteCatalogStorePrivate::entityFromRow(const Statement &row, bool rawJson)
{
    StoredEntity e;
    // The text always: it keeps the order the entity's keys were written in.
    e.json = row.blob(0);
    if (!rawJson)
        e.entity = QJsonDocument::fromJson(e.json).object();
    e.ref = row.text(1);
    e.uid = row.text(2);
    e.etag = row.text(3);
    e.sequence = row.integer(4);
    e.originKey = row.text(5);
    e.locationKey = row.text(6);
    e.parentRef = row.text(7);
    return e;
}

std::optional<StoredEntity> SqliteCatalogStorePrivate::readEntity(const QString &where, const QVariant &param)
{
    auto stmt = prepare(QStringLiteral("SELECT " ENTITY_COLUMNS " FROM entities e WHERE ") + where);
    if (!stmt)
        return std::nullopt;
    stmt.value()->bindVariant(1, param);
    if (!stmt.value()->next())
        return std::nullopt;
    StoredEntity entity = entityFromRow(*stmt.value());
    stmt.value()->reset();
    return entity;
}

std::optional<StoredEntity> SqliteCatalogStore::entityByRef(const QString &ref)
{
    return d->readEntity(QStringLiteral("e.ref = ?"), ref.toLower());
}

std::optional<StoredEntity> SqliteCatalogStore::entityByUid(const QString &uid)
{
    return d->readEntity(QStringLiteral("e.uid = ?"), uid);
}

// ---------------------------------------------------------------------------
// Writing

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
    state.ftsPending.remove(id);
    state.ftsRemoved.insert(id);
    return Ok{};
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
    const FtsColumns &f = index.fts;
    QByteArray packed;
    for (const QString *column : {&f.name, &f.title, &f.description, &f.tags, &f.kind, &f.type, &f.owner}) {
        const QByteArray utf8 = column->toUtf8();
        const quint32 size = quint32(utf8.size());
        packed.append(reinterpret_cast<const char *>(&size), sizeof size).append(utf8);
    }
    packed.squeeze();
    state.ftsPending.insert(id, packed);
    return Ok{};
}

Status SqliteCatalogStorePrivate::flushFts(WriteState &state)
{
    auto remove = prepare(QStringLiteral("DELETE FROM entities_fts WHERE rowid = ?"));
    auto insert = prepare(QStringLiteral(
        "INSERT INTO entities_fts(rowid, name, title, description, tags, kind, type, owner) VALUES (?,?,?,?,?,?,?,?)"));
    if (!remove || !insert)
        return Error::internal(db.lastError());
    QList<qint64> removed(state.ftsRemoved.cbegin(), state.ftsRemoved.cend());
    std::sort(removed.begin(), removed.end());
    for (const qint64 id : std::as_const(removed)) {
        if (!remove.value()->bind(1, id).run())
            return Error::internal(db.lastError());
    }
    QList<qint64> ids = state.ftsPending.keys();
    std::sort(ids.begin(), ids.end());
    for (const qint64 id : std::as_const(ids)) {
        const auto found = state.ftsPending.constFind(id);
        if (found == state.ftsPending.cend())
            continue;   // never: every id queued has its seven columns
        const QByteArray &packed = *found;
        Statement &s = insert.value()->bind(1, id);
        qsizetype at = 0;
        for (int column = 0; column < 7; ++column) {
            quint32 size = 0;
            const QByteArrayView header = QByteArrayView(packed).sliced(at, sizeof size);   // asserts it is there
            std::memcpy(&size, header.data(), sizeof size);
            s.bind(column + 2, QString::fromUtf8(packed.constData() + at + sizeof size, qsizetype(size)));
            at += qsizetype(sizeof size) + qsizetype(size);
        }
        if (!s.run())
            return Error::internal(db.lastError());
    }
    state.ftsPending.clear();
    state.ftsRemoved.clear();
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
    for (qsizetype start = 0; start < inputs.size(); start += Chunk) {
        next = stitchChunk(start + Chunk);
        const qsizetype end = std::min(start + Chunk, inputs.size());
        for (qsizetype i = start; i < end; ++i) {
            const StitchOutput output = current.resultAt(int(i - start));
            // Stitched: its body is not needed again in this write, so it goes now, not at the commit.
            const StitchInput input = std::exchange(inputs[i], StitchInput());
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
        current = std::exchange(next, QFuture<StitchOutput>());
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
                                              "status_items IS NOT NULL FROM entities WHERE origin_key = ?"));
        if (!rows)
            return rows.error();
        Statement &r = *rows.value();
        r.bind(1, write.originKey);
        while (r.next())
            existing.insert(r.text(1), {r.integer(0), r.text(2), r.blob(3), r.text(4), r.text(5), r.integer(6) != 0});
    }

    // Body hashes on every core: serialising and hashing is most of the cost
    // of telling unchanged entities apart.
    // An entity kept as JSON is parsed here for its hash, kind and name, and let go again.
    struct Digest
    {
        QByteArray hash;
        QString kind;   // lower case
        QString name;   // lower case
    };
    QList<Digest> digests = QtConcurrent::blockingMapped(write.entities, [](const EntityWrite &w) {
        if (!w.bodyHash.isEmpty()) {   // worked out already: kind and name are in the (lower-case) ref
            const qsizetype colon = w.ref.indexOf(QLatin1Char(':'));
            return Digest{w.bodyHash, w.ref.left(colon), w.ref.mid(w.ref.indexOf(QLatin1Char('/'), colon) + 1)};
        }
        const QJsonObject entity = w.object();
        return Digest{Stitcher::bodyHash(entity), entity.value(QLatin1String("kind")).toString().toLower(),
                      entity.value(QLatin1String("metadata"))[QLatin1String("name")].toString().toLower()};
    });

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
        const auto keepBody = [&state, &w] {
            if (!w.json.isEmpty()) {
                state.bodyJson.insert(w.ref, w.json);
            } else {
                state.bodies.insert(w.ref, w.entity);
                state.orders.insert(w.ref, w.keyOrder);
            }
        };
        if (seen.contains(w.ref)) {
            report.conflicts.append(conflictRecord(
                write.originKey, w.locationKey, w.ref,
                QStringLiteral("Detected conflicting entityRef %1 already referenced by an earlier document of the same "
                               "location and now also %2").arg(w.ref, w.locationKey)));
            continue;
        }
        seen.insert(w.ref);
        const auto it = existing.constFind(w.ref);
        if (it != existing.cend()) {
            if (it->bodyHash == hash && it->parentRef == w.parentRef && it->locationKey == w.locationKey) {
                ++report.unchanged;
                if (it->hasStatus) {   // it processed cleanly again: its old problem goes
                    if (!clearStatus.value()->bind(1, it->id).run())
                        return Error::internal(d->db.lastError());
                    state.restitch.insert(w.ref);
                }
                continue;
            }
            if (!update.value()->bind(1, hash).bind(2, w.locationKey).bind(3, w.parentRef).bind(4, it->id).run())
                return Error::internal(d->db.lastError());
            if (Status s = d->deleteRelations(it->id, state); !s)
                return s.error();
            if (Status s = d->insertRelations(it->id, w.relations, state); !s)
                return s.error();
            state.restitch.insert(w.ref);
            keepBody();
            bodiesWritten.insert(w.ref);
            ++report.updated;
            continue;
        }
        Statement &o = *owner.value();
        o.bind(1, w.ref);
        if (o.next() && !o.isNull(0)) {
            // First writer wins (Backstage 6.4): another location owns this ref.
            report.conflicts.append(conflictRecord(
                write.originKey, w.locationKey, w.ref,
                QStringLiteral("Detected conflicting entityRef %1 already referenced by %2 and now also %3")
                    .arg(w.ref, o.text(1), w.locationKey)));
            o.reset();
            continue;
        }
        o.reset();
        const qint64 id = ++nextId;
        state.newRows.insert(w.ref, {id, QUuid::createUuid().toString(QUuid::WithoutBraces), digests.at(i).kind, digests.at(i).name,
                                     hash, write.originKey, w.locationKey, w.parentRef});
        if (Status s = d->insertRelations(id, w.relations, state); !s)
            return s.error();
        state.restitch.insert(w.ref);
        keepBody();
        bodiesWritten.insert(w.ref);
        ++report.inserted;
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
    for (bool grew = true; grew;) {
        grew = false;
        for (auto it = existing.cbegin(); it != existing.cend(); ++it) {
            if (!seen.contains(it.key()) && !kept.contains(it.key()) && kept.contains(it->parentRef)) {
                kept.insert(it.key());
                grew = true;
            }
        }
    }
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
        QJsonObject body = Stitcher::bodyOf(QJsonDocument::fromJson(f.blob(0)).object());
        f.reset();
        QJsonObject metadata = body.value(QLatin1String("metadata")).toObject();
        QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
        if (annotations.value(Model::Annotations::Orphan) == QLatin1String("true"))
            continue;
        annotations.insert(Model::Annotations::Orphan, QStringLiteral("true"));
        metadata.insert(QStringLiteral("annotations"), annotations);
        body.insert(QStringLiteral("metadata"), metadata);
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

    auto clearErrors = d->prepare(QStringLiteral("DELETE FROM processing_errors WHERE origin_key = ?"));
    if (!clearErrors || !clearErrors.value()->bind(1, write.originKey).run())
        return Error::internal(d->db.lastError());
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
    if (Status s = d->flushFts(state); !s)
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
    if (Status s = d->flushFts(state); !s)
        return s;
    return tx.commit();
}

// ---------------------------------------------------------------------------
// Mirroring (the desktop cache)

namespace {

// A mirrored upsert parsed and indexed (on the pool: this is most of the cost).
struct MirrorInput
{
    QJsonObject entity;
    EntityIndex index;
    ListingValues listing;
    QString error;
};

MirrorInput prepareMirrored(const MirroredChange &change)
{
    MirrorInput input;
    if (change.ref.isEmpty() || change.uid.isEmpty()) {
        input.error = QStringLiteral("a change needs an entityRef and a uid");
        return input;
    }
    if (change.deleted || change.docs)
        return input;
    if (!change.entity.isEmpty()) {
        input.entity = change.entity;
    } else {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(change.entityJson, &parseError);
        if (!document.isObject()) {
            input.error = parseError.error != QJsonParseError::NoError
                              ? QStringLiteral("invalid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString())
                              : QStringLiteral("the entity is not a JSON object");
            return input;
        }
        input.entity = document.object();
    }
    const QJsonObject metadata = input.entity.value(QLatin1String("metadata")).toObject();
    if (input.entity.value(QLatin1String("kind")).toString().isEmpty()
        || metadata.value(QLatin1String("name")).toString().isEmpty()) {
        input.error = QStringLiteral("the entity has no kind or no metadata.name");
        return input;
    }
    input.index = Stitcher::indexOf(input.entity);
    input.listing = listingOf(input.entity);
    input.error = input.index.error;
    return input;
}

} // namespace

Result<MirrorReport> SqliteCatalogStore::applyMirror(const MirrorBatch &batch)
{
    const QList<MirrorInput> inputs = QtConcurrent::blockingMapped(batch.changes, &prepareMirrored);
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        if (!inputs.at(i).error.isEmpty()) {
            return Error::input(QStringLiteral("Sync feed: entity %1: %2")
                                    .arg(batch.changes.at(i).ref.isEmpty() ? QStringLiteral("#%1").arg(i + 1)
                                                                           : batch.changes.at(i).ref,
                                         inputs.at(i).error));
        }
    }

    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    KeyCacheGuard keyCacheGuard{d.get()};
    SqliteCatalogStorePrivate::WriteState state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    MirrorReport report;

    if (batch.startRebuild) {
        if (Status s = d->db.exec(QStringLiteral("DELETE FROM mirror_seen")); !s)
            return s.error();
    }
    QStringList deferredIndexes;   // CREATE INDEX statements of the indexes a bulk fill dropped
    const QString deferred = mirrorState(BulkStateKey);
    if (!deferred.isNull()) {
        deferredIndexes = QJsonDocument::fromJson(deferred.toUtf8()).toVariant().toStringList();
    } else if (batch.bulk) {
        auto definition = d->prepare(QStringLiteral("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?"));
        if (!definition)
            return definition.error();
        for (const char *name : MirrorDeferredIndexes) {
            Statement &q = *definition.value();
            q.bind(1, QString::fromLatin1(name));
            const bool present = q.next();
            const QString sql = present ? q.text(0) : QString();
            q.reset();
            if (!present)
                continue;
            deferredIndexes.append(sql);
            if (Status s = d->db.exec(QStringLiteral("DROP INDEX %1").arg(QLatin1String(name))); !s)
                return s.error();
        }
        auto record = d->prepare(QStringLiteral("INSERT OR REPLACE INTO mirror_state(key, value) VALUES (?, ?)"));
        if (!record || !record.value()->bind(1, BulkStateKey)
                            .bind(2, QJsonDocument(QJsonArray::fromStringList(deferredIndexes)).toJson(QJsonDocument::Compact))
                            .run())
            return Error::internal(d->db.lastError());
    }
    auto maxId = d->queryInteger(QStringLiteral("SELECT coalesce(max(id), 0) FROM entities"));
    if (!maxId)
        return maxId.error();
    qint64 nextId = maxId.value();
    auto byRef = d->prepare(QStringLiteral("SELECT id, uid, etag FROM entities WHERE ref = ?"));
    auto byUid = d->prepare(QStringLiteral("SELECT id, ref FROM entities WHERE uid = ? AND ref <> ?"));
    auto seen = d->prepare(QStringLiteral("INSERT OR IGNORE INTO mirror_seen(ref) VALUES (?)"));
    auto insert = d->prepare(QStringLiteral(
        "INSERT INTO entities(id, ref, uid, kind, name, etag, body_hash, final, sequence) VALUES (?,?,?,?,?,?,'',?,0)"));
    auto update = d->prepare(QStringLiteral("UPDATE entities SET uid = ?, kind = ?, name = ?, etag = ?, final = ? WHERE id = ?"));
    auto setSequence = d->prepare(QStringLiteral("UPDATE entities SET sequence = ? WHERE id = ?"));
    auto listRow = d->prepare(QStringLiteral(
        "INSERT OR REPLACE INTO listing(id, kind, namespace, name, title, system, owner, owner_refs, type, "
        "lifecycle, description, tags, haystack) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    auto clearTags = d->prepare(QStringLiteral("DELETE FROM listing_tags WHERE id = ?"));
    auto addTag = d->prepare(QStringLiteral("INSERT OR IGNORE INTO listing_tags(tag, id) VALUES (?,?)"));
    if (!byRef || !byUid || !seen || !insert || !update || !setSequence || !listRow || !clearTags || !addTag)
        return Error::internal(d->db.lastError());

    for (qsizetype i = 0; i < batch.changes.size(); ++i) {
        const MirroredChange &change = batch.changes.at(i);
        const MirrorInput &input = inputs.at(i);
        if (batch.rebuilding && !seen.value()->bind(1, change.docs ? DocsChangePrefix + change.ref : change.ref).run())
            return Error::internal(d->db.lastError());
        if (change.docs) {
            if (Status s = d->mirrorDocsChange(change, state); !s)
                return s.error();
            continue;
        }
        Statement &r = *byRef.value();
        r.bind(1, change.ref);
        const bool exists = r.next();
        const qint64 existingId = exists ? r.integer(0) : 0;
        const QString existingUid = exists ? r.text(1) : QString();
        const QString existingEtag = exists ? r.text(2) : QString();
        r.reset();
        if (change.deleted) {
            if (exists) {
                if (Status s = d->deleteEntityRow(existingId, change.ref, existingUid, state, report.deleted); !s)
                    return s.error();
                // What plugins kept for it goes with it.
                auto forget = d->prepare(QStringLiteral("DELETE FROM plugin_data WHERE entity_ref = ?"));
                if (!forget || !forget.value()->bind(1, change.ref).run())
                    return Error::internal(d->db.lastError());
            }
            continue;
        }
        if (exists && existingUid == change.uid && existingEtag == change.etag) {
            ++report.unchanged;
            continue;
        }
        // The uid held by another ref: that entity is gone on the server, and
        // its tombstone may come later in the feed than this upsert.
        Statement &u = *byUid.value();
        u.bind(1, change.uid).bind(2, change.ref);
        if (u.next()) {
            const qint64 otherId = u.integer(0);
            const QString otherRef = u.text(1);
            u.reset();
            if (Status s = d->deleteEntityRow(otherId, otherRef, change.uid, state, report.deleted); !s)
                return s.error();
        } else {
            u.reset();
        }
        const QString &kind = input.listing.kind;
        const QString &name = input.listing.name;
        qint64 id = existingId;
        if (exists) {
            if (Status s = d->deleteSearchRows(id, state); !s)
                return s.error();
            if (!update.value()->bind(1, change.uid).bind(2, kind).bind(3, name).bind(4, change.etag)
                     .bind(5, change.entityJson).bind(6, id).run())
                return Error::internal(d->db.lastError());
        } else {
            id = ++nextId;
            if (!insert.value()->bind(1, id).bind(2, change.ref).bind(3, change.uid).bind(4, kind).bind(5, name)
                     .bind(6, change.etag).bind(7, change.entityJson).run())
                return Error::internal(d->db.lastError());
        }
        // No relations rows: they exist for stitching, which a mirror never does
        // (the server's JSON carries each entity's relations).
        if (Status s = d->insertIndex(id, kind, input.index, state); !s)
            return s.error();
        const ListingValues &l = input.listing;
        if (!listRow.value()->bind(1, id).bind(2, l.kind).bind(3, l.namespaceName).bind(4, l.name).bind(5, l.title)
                 .bind(6, l.system).bind(7, l.owner).bind(8, l.ownerRefs).bind(9, l.type)
                 .bind(10, l.lifecycle).bind(11, l.description).bind(12, l.tags).bind(13, l.haystack).run()
            || (exists && !clearTags.value()->bind(1, id).run()))
            return Error::internal(d->db.lastError());
        for (const QString &tag : l.tagList) {
            if (!addTag.value()->bind(1, tag).bind(2, id).run())
                return Error::internal(d->db.lastError());
        }
        auto sequence = d->appendChange(change.ref, change.uid, false, change.etag, state);
        if (!sequence)
            return sequence.error();
        if (!setSequence.value()->bind(1, sequence.value()).bind(2, id).run())
            return Error::internal(d->db.lastError());
        ++report.upserted;
    }

    if (batch.finishRebuild) {
        struct Gone
        {
            qint64 id;
            QString ref;
            QString uid;
        };
        QList<Gone> gone;
        auto unseen = d->prepare(QStringLiteral("SELECT id, ref, uid FROM entities WHERE ref NOT IN (SELECT ref FROM mirror_seen)"));
        if (!unseen)
            return unseen.error();
        while (unseen.value()->next())
            gone.append({unseen.value()->integer(0), unseen.value()->text(1), unseen.value()->text(2)});
        unseen.value()->reset();
        for (const Gone &g : std::as_const(gone)) {
            if (Status s = d->deleteEntityRow(g.id, g.ref, g.uid, state, report.deleted); !s)
                return s.error();
        }
        if (Status s = d->forgetUnseenDocs(state); !s)
            return s.error();
        if (Status s = d->db.exec(QStringLiteral("DELETE FROM mirror_seen")); !s)
            return s.error();
    }
    if (Status s = d->flushFacetDeltas(state); !s)
        return s.error();
    if (batch.finishBulk && (!deferred.isNull() || batch.bulk)) {
        for (const QString &create : std::as_const(deferredIndexes)) {
            if (Status s = d->db.exec(create); !s)
                return s.error();
        }
        if (Status s = d->db.exec(QStringLiteral("DELETE FROM mirror_state WHERE key = '%1'").arg(BulkStateKey)); !s)
            return s.error();
    }

    auto setState = d->prepare(QStringLiteral("INSERT INTO mirror_state(key, value) VALUES (?,?) "
                                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    auto clearState = d->prepare(QStringLiteral("DELETE FROM mirror_state WHERE key = ?"));
    if (!setState || !clearState)
        return Error::internal(d->db.lastError());
    for (const auto &[key, value] : batch.state) {
        const bool ok = value.isNull() ? clearState.value()->bind(1, key).run()
                                       : setState.value()->bind(1, key).bind(2, value).run();
        if (!ok)
            return Error::internal(d->db.lastError());
    }
    if (Status s = d->flushFts(state); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    keyCacheGuard.committed = true;
    report.lastSequence = lastSequence();
    // A bulk fill leaves a write-ahead log as large as the cache; fold it in
    // and cut it back, so readers do not wade through it (best effort: a
    // reader in the middle of a query makes it a partial checkpoint).
    if (batch.finishBulk)
        (void)d->db.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    return report;
}

bool SqliteCatalogStore::isBulkFilling()
{
    return !mirrorState(BulkStateKey).isNull();
}

QString SqliteCatalogStore::mirrorState(const QString &key)
{
    auto stmt = d->prepare(QStringLiteral("SELECT value FROM mirror_state WHERE key = ?"));
    if (!stmt)
        return {};
    stmt.value()->bind(1, key);
    const QString value = stmt.value()->next() ? stmt.value()->text(0) : QString();
    stmt.value()->reset();
    return value;
}

QHash<QString, QString> SqliteCatalogStore::etagsByRef()
{
    QHash<QString, QString> etags;
    auto stmt = d->prepare(QStringLiteral("SELECT ref, etag FROM entities"));
    if (!stmt)
        return etags;
    while (stmt.value()->next())
        etags.insert(stmt.value()->text(0), stmt.value()->text(1));
    stmt.value()->reset();
    return etags;
}

// ---------------------------------------------------------------------------
// Registered locations

QList<RegisteredLocation> SqliteCatalogStore::registeredLocations()
{
    QList<RegisteredLocation> locations;
    auto rows = d->prepare(QStringLiteral("SELECT id, type, target, entity_ref FROM locations ORDER BY rowid"));
    if (!rows)
        return locations;
    Statement &r = *rows.value();
    while (r.next())
        locations.append({r.text(0), r.text(1), r.text(2), r.text(3)});
    r.reset();
    return locations;
}

namespace {

Error locationConflict(const QString &type, const QString &target)
{
    return Error(QStringLiteral("ConflictError"), QStringLiteral("Location %1:%2 already exists").arg(type, target));
}

} // namespace

Result<RegisteredLocation> SqliteCatalogStore::registerLocation(const QString &type, const QString &target,
                                                                const QString &entityRef)
{
    const RegisteredLocation location{QUuid::createUuid().toString(QUuid::WithoutBraces), type, target, entityRef};
    auto insert = d->prepare(QStringLiteral(
        "INSERT INTO locations(id, type, target, entity_ref) VALUES (?,?,?,?) ON CONFLICT(type, target) DO NOTHING"));
    if (!insert || !insert.value()->bind(1, location.id).bind(2, type).bind(3, target).bind(4, entityRef).run())
        return Error::internal(d->db.lastError());
    if (d->db.changes() == 0)
        return locationConflict(type, target);
    return location;
}

Result<std::optional<RegisteredLocation>> SqliteCatalogStore::updateLocation(const QString &id, const QString &type,
                                                                             const QString &target, const QString &entityRef)
{
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    auto conflict = d->prepare(QStringLiteral("SELECT 1 FROM locations WHERE type = ? AND target = ? AND id <> ?"));
    if (!conflict)
        return conflict.error();
    conflict.value()->bind(1, type).bind(2, target).bind(3, id);
    const bool taken = conflict.value()->next();
    conflict.value()->reset();
    if (taken)
        return locationConflict(type, target);
    auto update = d->prepare(QStringLiteral("UPDATE locations SET type = ?, target = ?, entity_ref = ? WHERE id = ?"));
    if (!update || !update.value()->bind(1, type).bind(2, target).bind(3, entityRef).bind(4, id).run())
        return Error::internal(d->db.lastError());
    if (d->db.changes() == 0)
        return std::optional<RegisteredLocation>();
    if (Status s = tx.commit(); !s)
        return s.error();
    return std::optional<RegisteredLocation>(RegisteredLocation{id, type, target, entityRef});
}

Result<bool> SqliteCatalogStore::unregisterLocation(const QString &id)
{
    const QList<RegisteredLocation> all = registeredLocations();
    const auto found = std::find_if(all.cbegin(), all.cend(), [&](const RegisteredLocation &l) { return l.id == id; });
    if (found == all.cend())
        return false;
    LocationWrite removal;
    removal.originKey = found->key();
    auto written = writeLocation(removal, [&]() -> Status {
        auto remove = d->prepare(QStringLiteral("DELETE FROM locations WHERE id = ?"));
        if (!remove || !remove.value()->bind(1, id).run())
            return Error::internal(d->db.lastError());
        return Ok{};
    });
    if (!written)
        return written.error();
    return true;
}

// ---------------------------------------------------------------------------
// Reading

qint64 SqliteCatalogStorePrivate::currentSequence()
{
    // The AUTOINCREMENT counter, not max(sequence): pruned tombstones may
    // have held the highest numbers.
    auto sequence = queryInteger(QStringLiteral("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)"));
    return sequence ? sequence.value() : 0;
}

Result<qint64> SqliteCatalogStorePrivate::countMatches(qint64 keyId, const QStringList &values, qint64 cap)
{
    QString sql = QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM search WHERE key_id = ?");
    if (!values.isEmpty())
        sql += QStringLiteral(" AND value IN (%1)").arg(placeholders(values.size()));
    sql += QStringLiteral(" LIMIT %1)").arg(cap);
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.error();
    stmt.value()->bind(1, keyId);
    for (qsizetype i = 0; i < values.size(); ++i)
        stmt.value()->bind(int(i) + 2, values.at(i));
    stmt.value()->next();
    const qint64 count = stmt.value()->integer(0);
    stmt.value()->reset();
    return count;
}

Result<SqlCondition> SqliteCatalogStorePrivate::filterCondition(const Model::EntityFilter &filter, FilterPlan plan)
{
    // Below this many matches a condition is cheapest as a list of ids.
    constexpr qint64 SmallList = 2000;
    SqlCondition condition;
    QStringList groups;
    for (const Model::EntityFilter::AllOf &allOf : filter.anyOf) {
        struct Resolved
        {
            qint64 keyId;
            QStringList values;
            qint64 estimate;
        };
        QList<Resolved> resolved;
        bool impossible = false;
        for (const Model::EntityFilter::Condition &c : allOf) {
            auto id = keyId(c.key, false);
            if (!id)
                return id.error();
            if (id.value() < 0) {
                impossible = true;   // no entity has this key
                break;
            }
            resolved.append({id.value(), c.values, 0});
        }
        if (impossible) {
            groups.append(QStringLiteral("0"));
            continue;
        }
        qsizetype listIndex = -1;
        if (plan == FilterPlan::Lists) {
            listIndex = -2;   // every condition
        } else if (plan == FilterPlan::Cheapest) {
            qint64 best = SmallList + 1;
            for (qsizetype i = 0; i < resolved.size(); ++i) {
                auto estimate = countMatches(resolved[i].keyId, resolved[i].values, SmallList + 1);
                if (!estimate)
                    return estimate.error();
                if (estimate.value() < best) {
                    best = estimate.value();
                    listIndex = i;
                }
            }
        }
        QStringList parts;
        for (qsizetype i = 0; i < resolved.size(); ++i) {
            const Resolved &r = resolved.at(i);
            const QString values = r.values.isEmpty() ? QString()
                                                      : QStringLiteral(" AND value IN (%1)").arg(placeholders(r.values.size()));
            if (listIndex == -2 || listIndex == i)
                parts.append(QStringLiteral("e.id IN (SELECT entity_id FROM search WHERE key_id = ?%1)").arg(values));
            else
                parts.append(QStringLiteral("EXISTS (SELECT 1 FROM search WHERE entity_id = e.id AND key_id = ?%1)").arg(values));
            condition.params.append(r.keyId);
            for (const QString &value : r.values)
                condition.params.append(value);
        }
        groups.append(QLatin1Char('(') + parts.join(QStringLiteral(" AND ")) + QLatin1Char(')'));
    }
    condition.sql = groups.join(QStringLiteral(" OR "));
    for (const Model::EntityPredicate &predicate : filter.predicates) {
        auto clause = predicateCondition(predicate);
        if (!clause)
            return clause.error();
        condition.andWith(clause->sql, clause->params);
    }
    return condition;
}

// Nested predicates compile to EXISTS probes per entity, as upstream's query
// builder does; they are rare enough not to need the planner above.
Result<SqlCondition> SqliteCatalogStorePrivate::predicateCondition(const Model::EntityPredicate &predicate)
{
    using Type = Model::EntityPredicate::Type;
    SqlCondition condition;
    switch (predicate.type) {
    case Type::All:
    case Type::Any: {
        if (predicate.children.empty()) {
            condition.sql = predicate.type == Type::All ? QStringLiteral("1") : QStringLiteral("0");
            return condition;
        }
        QStringList parts;
        for (const Model::EntityPredicate &child : predicate.children) {
            auto part = predicateCondition(child);
            if (!part)
                return part.error();
            parts.append(QLatin1Char('(') + part->sql + QLatin1Char(')'));
            condition.params += part->params;
        }
        condition.sql = parts.join(predicate.type == Type::All ? QStringLiteral(" AND ") : QStringLiteral(" OR "));
        return condition;
    }
    case Type::Not: {
        auto inner = predicateCondition(predicate.children.front());
        if (!inner)
            return inner.error();
        condition.sql = QStringLiteral("NOT (%1)").arg(inner->sql);
        condition.params = inner->params;
        return condition;
    }
    case Type::Exists:
    case Type::Missing:
    case Type::In:
    case Type::HasPrefix:
        break;
    }
    auto id = keyId(predicate.key, false);
    if (!id)
        return id.error();
    const bool negated = predicate.type == Type::Missing;
    if (id.value() < 0 || (predicate.type == Type::In && predicate.values.isEmpty())) {
        condition.sql = negated ? QStringLiteral("1") : QStringLiteral("0");   // no entity has this key or value
        return condition;
    }
    QString sql = QStringLiteral("EXISTS (SELECT 1 FROM search WHERE entity_id = e.id AND key_id = ?");
    condition.params.append(id.value());
    if (predicate.type == Type::In) {
        sql += QStringLiteral(" AND value IN (%1)").arg(placeholders(predicate.values.size()));
        for (const QString &value : predicate.values)
            condition.params.append(value);
    } else if (predicate.type == Type::HasPrefix) {
        sql += QStringLiteral(" AND value LIKE ? ESCAPE '\\'");
        condition.params.append(likeEscaped(predicate.values.value(0)) + QLatin1Char('%'));
    }
    sql += QLatin1Char(')');
    condition.sql = negated ? QStringLiteral("NOT ") + sql : sql;
    return condition;
}

Result<QList<std::optional<StoredEntity>>> SqliteCatalogStore::entitiesByRefs(const QStringList &refs,
                                                                              const Model::EntityFilter &filter)
{
    d->trimCaches();
    auto condition = d->filterCondition(filter, SqliteCatalogStorePrivate::FilterPlan::Probes);
    if (!condition)
        return condition.error();
    QString sql = QStringLiteral("SELECT " ENTITY_COLUMNS " FROM entities e WHERE e.ref = ?");
    if (!condition->sql.isEmpty())
        sql += QStringLiteral(" AND (%1)").arg(condition->sql);
    auto stmt = d->prepare(sql);
    if (!stmt)
        return stmt.error();
    QList<std::optional<StoredEntity>> result;
    result.reserve(refs.size());
    for (const QString &ref : refs) {
        Statement &s = *stmt.value();
        s.bind(1, ref);
        bindAll(s, condition->params, 2);
        if (s.next())
            result.append(SqliteCatalogStorePrivate::entityFromRow(s));
        else
            result.append(std::nullopt);
        s.reset();
    }
    return result;
}

Result<EntityPage> SqliteCatalogStore::queryEntities(const EntityQuery &query)
{
    using Plan = SqliteCatalogStorePrivate::FilterPlan;
    d->trimCaches();
    const bool ordered = !query.order.isEmpty();
    const bool paged = query.limit >= 0;

    // Full-text filter: a substring of any listed field.
    SqlCondition fullText;
    const QString term = query.fullText.term.trimmed();
    if (!term.isEmpty()) {
        QStringList fields = query.fullText.fields;
        if (fields.isEmpty())
            fields.append(ordered ? query.order.first().field : QStringLiteral("metadata.uid"));
        QVariantList params;
        for (const QString &field : fields) {
            auto id = d->keyId(field.toLower(), false);
            if (!id)
                return id.error();
            params.append(id.value());
        }
        params.append(likePattern(term));
        fullText.andWith(QStringLiteral("EXISTS (SELECT 1 FROM search WHERE entity_id = e.id AND key_id IN (%1) "
                                        "AND value LIKE ? ESCAPE '\\')").arg(placeholders(fields.size())),
                         params);
    }

    // Listing one kind by name (what every catalog table does) walks the
    // entities_kind_name index directly; the keyset and tie-break are the same
    // as the generic path's: (lower-cased name, uid).
    Model::EntityFilter filter = query.filter;
    QString kindByName;
    if (query.order.size() == 1 && query.order.first().field.compare(QLatin1String("metadata.name"), Qt::CaseInsensitive) == 0)
        kindByName = takeSingleKind(filter);

    // Ordering joins one search row (the key's first) per order field. Paging
    // backwards walks the same order reversed and flips the page afterwards.
    const bool descending = ordered && query.order.first().descending;
    const bool reverse = query.backwards;
    const auto direction = [&](bool desc) { return (desc != reverse) ? QStringLiteral("DESC") : QStringLiteral("ASC"); };
    QString joins;
    QVariantList joinParams;
    QStringList orderTerms;
    for (qsizetype i = 0; i < query.order.size() && kindByName.isEmpty(); ++i) {
        const bool inner = i == 0 && !query.keepEntitiesWithoutOrderValue;
        auto id = d->keyId(query.order.at(i).field.toLower(), false);
        if (!id)
            return id.error();
        joins += QStringLiteral(" %1 JOIN search o%2 ON o%2.entity_id = e.id AND o%2.key_id = ? AND o%2.first = 1 "
                                "AND o%2.value IS NOT NULL")
                     .arg(inner ? QString() : QStringLiteral("LEFT")).arg(i);
        joinParams.append(id.value());
        if (!inner)
            orderTerms.append(QStringLiteral("o%1.value IS NULL %2").arg(i).arg(direction(false)));
        orderTerms.append(QStringLiteral("o%1.value %2").arg(i).arg(direction(query.order.at(i).descending)));
    }
    if (!kindByName.isEmpty())
        orderTerms.append(QStringLiteral("e.name ") + direction(descending));
    // Ties (and unordered queries) go by uid, as upstream's go by entity id.
    orderTerms.append(QStringLiteral("e.uid ") + direction(ordered && query.tieBreakFollowsOrder && descending));
    const QString sortColumn = kindByName.isEmpty() ? QStringLiteral("o0.value") : QStringLiteral("e.name");

    EntityPage page;
    if (query.countTotal) {
        auto lists = d->filterCondition(query.filter, Plan::Lists);
        if (!lists)
            return lists.error();
        SqlCondition where = lists.value();
        where.andWith(fullText.sql, fullText.params);
        if (where.sql.isEmpty())
            where.sql = QStringLiteral("1");
        QString countSql = QStringLiteral("SELECT count(*) FROM entities e") + (ordered ? joins : QString())
                           + QStringLiteral(" WHERE ") + where.sql;
        const QVariantList params = (ordered ? joinParams : QVariantList()) + where.params;
        // Counting a large result costs more than the page itself; the answer
        // holds until the next change.
        QString cacheKey = countSql;
        for (const QVariant &p : params)
            cacheKey += QChar(0) + p.toString();
        const qint64 sequence = d->currentSequence();
        const auto cached = d->counts.constFind(cacheKey);
        if (cached != d->counts.cend() && cached->sequence == sequence) {
            page.totalItems = cached->count;
        } else {
            auto count = d->prepare(countSql);
            if (!count)
                return count.error();
            bindAll(*count.value(), params);
            count.value()->next();
            page.totalItems = count.value()->integer(0);
            count.value()->reset();
            d->counts.insert(cacheKey, {sequence, page.totalItems});
        }
    }

    // A page walks the order index and probes each candidate, unless a
    // condition matches so few entities that starting from them is cheaper.
    auto where = d->filterCondition(filter, kindByName.isEmpty() ? (paged ? Plan::Cheapest : Plan::Lists) : Plan::Probes);
    if (!where)
        return where.error();
    SqlCondition keyset = where.value();
    if (!kindByName.isEmpty())
        keyset.andWith(QStringLiteral("e.kind = ?"), {kindByName});
    keyset.andWith(fullText.sql, fullText.params);
    if (!query.after.isEmpty()) {
        const QString op = (descending == reverse) ? QStringLiteral(">") : QStringLiteral("<");
        if (ordered && query.after.size() == 2)
            keyset.andWith(QStringLiteral("(%1, e.uid) %2 (?, ?)").arg(sortColumn, op), {query.after.at(0), query.after.at(1)});
        else
            keyset.andWith(QStringLiteral("e.uid %1 ?").arg(op), {query.after.first()});
    }
    QString sql = QStringLiteral("SELECT " ENTITY_COLUMNS "%1 FROM entities e")
                      .arg(ordered ? QStringLiteral(", ") + sortColumn : QString()) + joins;
    if (!keyset.sql.isEmpty())
        sql += QStringLiteral(" WHERE ") + keyset.sql;
    sql += QStringLiteral(" ORDER BY ") + orderTerms.join(QStringLiteral(", "));
    if (paged)
        sql += QStringLiteral(" LIMIT %1").arg(query.limit + 1);
    else if (query.offset > 0)
        sql += QStringLiteral(" LIMIT -1");
    if (query.offset > 0 && query.after.isEmpty())
        sql += QStringLiteral(" OFFSET %1").arg(query.offset);

    auto stmt = d->prepare(sql);
    if (!stmt)
        return stmt.error();
    Statement &s = *stmt.value();
    bindAll(s, joinParams + keyset.params);
    QList<QStringList> keys;
    while (s.next()) {
        if (paged && page.items.size() == query.limit) {
            page.hasMore = true;
            break;
        }
        StoredEntity entity = SqliteCatalogStorePrivate::entityFromRow(s, query.rawJson);
        keys.append(ordered ? QStringList{s.text(8), entity.uid} : QStringList{entity.uid});
        page.items.append(std::move(entity));
    }
    s.reset();
    if (reverse) {
        std::reverse(page.items.begin(), page.items.end());
        std::reverse(keys.begin(), keys.end());
    }
    if (!keys.isEmpty()) {
        page.firstKey = keys.first();
        page.lastKey = keys.last();
    }
    return page;
}

Result<Facets> SqliteCatalogStore::facets(const QStringList &facetKeys, const Model::EntityFilter &filter)
{
    d->trimCaches();
    Facets result;
    // A single-kind filter uses the kind column instead of a list of ids.
    Model::EntityFilter rest = filter;
    const QString kind = takeSingleKind(rest);
    auto lists = d->filterCondition(rest, SqliteCatalogStorePrivate::FilterPlan::Lists);
    if (!lists)
        return lists.error();
    SqlCondition where = lists.value();
    if (!kind.isEmpty())
        where.andWith(QStringLiteral("e.kind = ?"), {kind});
    for (const QString &facet : facetKeys) {
        QList<FacetCount> counts;
        auto id = d->keyId(facet.toLower(), false);
        if (!id)
            return id.error();
        if (id.value() >= 0) {
            auto counted = d->isFacetCounted(id.value());
            if (!counted)
                return counted.error();
            // Counters answer an unfiltered or kind-only facet; anything else
            // (or an uncounted key) is counted from the search rows.
            QString sql;
            QVariantList params;
            if (counted.value() && filter.isEmpty()) {
                sql = QStringLiteral("SELECT value, sum(count) FROM facet_counts WHERE key_id = ? GROUP BY value ORDER BY value");
            } else if (counted.value() && rest.isEmpty()) {
                sql = QStringLiteral("SELECT value, count FROM facet_counts WHERE key_id = ? AND kind = ? ORDER BY value");
                params = {kind};
            } else if (where.sql.isEmpty()) {
                sql = QStringLiteral("SELECT coalesce(original_value, value) AS v, count(*) FROM search "
                                     "WHERE key_id = ? AND value IS NOT NULL GROUP BY v ORDER BY v");
            } else {
                sql = QStringLiteral("SELECT coalesce(s.original_value, s.value) AS v, count(*) FROM search s "
                                     "JOIN entities e ON e.id = s.entity_id WHERE s.key_id = ? AND s.value IS NOT NULL "
                                     "AND (%1) GROUP BY v ORDER BY v").arg(where.sql);
                params = where.params;
            }
            auto stmt = d->prepare(sql);
            if (!stmt)
                return stmt.error();
            Statement &s = *stmt.value();
            s.bind(1, id.value());
            bindAll(s, params, 2);
            while (s.next())
                counts.append({s.text(0), s.integer(1)});
            s.reset();
        }
        result.append({facet, counts});
    }
    return result;
}

Result<QList<SearchHit>> SqliteCatalogStore::search(const QString &text, int limit)
{
    QList<SearchHit> hits;
    const QString query = ftsPrefixQuery(text);
    if (query.isEmpty())
        return hits;
    auto stmt = d->prepare(QStringLiteral("SELECT " ENTITY_COLUMNS ", bm25(entities_fts, 10.0, 5.0, 1.0, 3.0, 1.0, 1.0, 1.0) AS r "
                                          "FROM entities_fts JOIN entities e ON e.id = entities_fts.rowid "
                                          "WHERE entities_fts MATCH ? ORDER BY r LIMIT ?"));
    if (!stmt)
        return stmt.error();
    Statement &s = *stmt.value();
    s.bind(1, query).bind(2, qint64(limit));
    while (s.next())
        hits.append({SqliteCatalogStorePrivate::entityFromRow(s), s.real(8)});
    s.reset();
    return hits;
}

QList<Change> SqliteCatalogStore::changesSince(qint64 afterSequence, int limit, bool withEntities)
{
    QList<Change> changes;
    auto stmt = d->prepare(withEntities ? QStringLiteral("SELECT c.sequence, c.ref, c.uid, c.deleted, c.etag, e.final FROM changes c "
                                                         "LEFT JOIN entities e ON e.ref = c.ref AND c.deleted = 0 "
                                                         "WHERE c.sequence > ? ORDER BY c.sequence LIMIT ?")
                                        : QStringLiteral("SELECT sequence, ref, uid, deleted, etag FROM changes WHERE sequence > ? "
                                                         "ORDER BY sequence LIMIT ?"));
    if (!stmt)
        return changes;
    Statement &s = *stmt.value();
    s.bind(1, afterSequence).bind(2, qint64(limit));
    while (s.next()) {
        Change change{s.integer(0), s.integer(3) ? Change::Type::Delete : Change::Type::Upsert, s.text(1), s.text(2),
                      s.text(4), withEntities ? s.blob(5) : QByteArray()};
        if (change.ref.startsWith(DocsChangePrefix)) {
            change.ref.remove(0, DocsChangePrefix.size());
            change.docs = true;
        }
        changes.append(std::move(change));
    }
    s.reset();
    return changes;
}

void SqliteCatalogStore::releaseMemory()
{
    (void)d->db.exec(QStringLiteral("PRAGMA shrink_memory"));   // this connection's page cache
    d->trimCaches();
}

Status SqliteCatalogStore::checkHealth()
{
    auto answer = d->queryInteger(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM changes LIMIT 1)"));
    if (!answer)
        return answer.error();
    return Ok{};
}

qint64 SqliteCatalogStore::countChangesSince(qint64 afterSequence)
{
    auto stmt = d->prepare(QStringLiteral("SELECT count(*) FROM changes WHERE sequence > ?"));
    if (!stmt)
        return 0;
    stmt.value()->bind(1, afterSequence);
    stmt.value()->next();
    const qint64 count = stmt.value()->integer(0);
    stmt.value()->reset();
    return count;
}

Result<int> SqliteCatalogStore::pruneTombstones(qint64 cutoffMsecsSinceEpoch)
{
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    auto highest = d->prepare(QStringLiteral("SELECT coalesce(max(sequence), 0), count(*) FROM changes WHERE deleted = 1 AND changed_at < ?"));
    if (!highest)
        return highest.error();
    highest.value()->bind(1, cutoffMsecsSinceEpoch);
    highest.value()->next();
    const qint64 horizon = highest.value()->integer(0);
    const int pruned = int(highest.value()->integer(1));
    highest.value()->reset();
    if (pruned == 0)
        return 0;
    auto remove = d->prepare(QStringLiteral("DELETE FROM changes WHERE deleted = 1 AND changed_at < ?"));
    auto record = d->prepare(QStringLiteral("INSERT INTO store_state(key, value) VALUES ('sync_horizon', ?) "
                                            "ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)"));
    if (!remove || !record)
        return remove ? record.error() : remove.error();
    if (!remove.value()->bind(1, cutoffMsecsSinceEpoch).run() || !record.value()->bind(1, horizon).run())
        return Error::internal(d->db.lastError());
    if (Status s = tx.commit(); !s)
        return s.error();
    return pruned;
}

qint64 SqliteCatalogStore::feedEpoch()
{
    auto epoch = d->queryInteger(QStringLiteral("SELECT coalesce((SELECT value FROM store_state WHERE key = 'feed_epoch'), 0)"));
    return epoch ? epoch.value() : 0;
}

qint64 SqliteCatalogStore::syncHorizon()
{
    auto horizon = d->queryInteger(QStringLiteral("SELECT coalesce((SELECT value FROM store_state WHERE key = 'sync_horizon'), 0)"));
    return horizon ? horizon.value() : 0;
}

qint64 SqliteCatalogStore::lastSequence()
{
    return d->currentSequence();
}

qint64 SqliteCatalogStore::entityCount()
{
    auto count = d->queryInteger(QStringLiteral("SELECT count(*) FROM entities"));
    return count ? count.value() : 0;
}

QList<ProcessingErrorRecord> SqliteCatalogStore::processingErrors(const QString &originKey)
{
    QList<ProcessingErrorRecord> errors;
    auto stmt = d->prepare(QStringLiteral("SELECT origin_key, location_key, file, line, entity_ref, name, message, reason, level "
                                          "FROM processing_errors WHERE ? IS NULL OR origin_key = ? ORDER BY id"));
    if (!stmt)
        return errors;
    Statement &r = *stmt.value();
    r.bind(1, originKey).bind(2, originKey);
    while (r.next()) {
        errors.append({r.text(0), r.text(1), r.text(2), int(r.integer(3)), r.text(4), r.text(5), r.text(6), r.text(7),
                       r.text(8)});
    }
    r.reset();
    return errors;
}

} // namespace Greenroom::Store
