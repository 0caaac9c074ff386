// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sqlitecatalogstore.h"

#include "migrations/migration.h"
#include "sqlitedatabase_p.h"

#include <model/entityref.h>
#include <model/entitysearch.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUuid>

#include <unordered_map>

namespace Greenroom::Store {

Q_LOGGING_CATEGORY(lcStore, "greenroom.store")

using namespace Internal;

namespace {

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// Text the FTS5 index gets for an entity.
struct FtsColumns
{
    QString name, title, description, tags, kind, type, owner;

    static FtsColumns of(const QJsonObject &entity)
    {
        const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
        const QJsonObject spec = entity.value(QLatin1String("spec")).toObject();
        QStringList tags;
        for (const QJsonValue &tag : metadata.value(QLatin1String("tags")).toArray())
            tags.append(tag.toString());
        return {metadata.value(QLatin1String("name")).toString(),
                metadata.value(QLatin1String("title")).toString(),
                metadata.value(QLatin1String("description")).toString(),
                tags.join(QLatin1Char(' ')),
                entity.value(QLatin1String("kind")).toString(),
                spec.value(QLatin1String("type")).toString(),
                spec.value(QLatin1String("owner")).toString()};
    }
};

QString placeholders(qsizetype n)
{
    QString s;
    for (qsizetype i = 0; i < n; ++i)
        s += i ? QStringLiteral(",?") : QStringLiteral("?");
    return s;
}

// LIKE pattern for a literal substring.
QString likePattern(const QString &term)
{
    QString escaped = term.toLower();
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
    escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

// A WHERE fragment with its parameters, built from a filter.
struct SqlCondition
{
    QString sql;
    QVariantList params;

    void andWith(const QString &fragment, const QVariantList &fragmentParams)
    {
        sql = sql.isEmpty() ? fragment : QStringLiteral("(%1) AND (%2)").arg(sql, fragment);
        params += fragmentParams;
    }
};

SqlCondition filterCondition(const Model::EntityFilter &filter)
{
    SqlCondition condition;
    QStringList groups;
    for (const Model::EntityFilter::AllOf &allOf : filter.anyOf) {
        QStringList parts;
        for (const Model::EntityFilter::Condition &c : allOf) {
            condition.params.append(c.key);
            if (c.values.isEmpty()) {
                parts.append(QStringLiteral("e.id IN (SELECT entity_id FROM search WHERE key = ?)"));
            } else {
                parts.append(QStringLiteral("e.id IN (SELECT entity_id FROM search WHERE key = ? AND value IN (%1))")
                                 .arg(placeholders(c.values.size())));
                for (const QString &value : c.values)
                    condition.params.append(value);
            }
        }
        groups.append(QLatin1Char('(') + parts.join(QStringLiteral(" AND ")) + QLatin1Char(')'));
    }
    condition.sql = groups.join(QStringLiteral(" OR "));
    return condition;
}

} // namespace

class SqliteCatalogStorePrivate
{
public:
    Database db;
    QString path;

    // Prepared statements by SQL text: writes run the same few statements
    // hundreds of thousands of times, and preparing costs more than running.
    std::unordered_map<QString, Statement> statements;

    Status migrate();
    Result<Statement *> prepare(const QString &sql);
    // Queries build SQL per filter shape; keep the cache from growing without
    // bound. Called only where no cached statement is in use.
    void trimStatementCache()
    {
        if (statements.size() > 256)
            statements.clear();
    }

    std::optional<StoredEntity> readEntity(const QString &where, const QVariant &param);
    static StoredEntity entityFromRow(const Statement &row);

    // Write helpers, used inside a transaction.
    struct WriteState
    {
        QHash<std::pair<QString, QString>, qint64> facetDeltas;
        QSet<QString> restitch;
        qint64 now = 0;
    };
    Status insertRelations(qint64 originId, const QList<Model::Relation> &relations, WriteState &state);
    Status deleteRelations(qint64 originId, WriteState &state);
    Status deleteEntityRow(qint64 id, const QString &ref, const QString &uid, WriteState &state, int &deleted);
    Result<bool> stitch(const QString &ref, WriteState &state);
    Status writeSearchRows(qint64 id, const QJsonObject &final, bool isNew, WriteState &state);
    Status deleteSearchRows(qint64 id, WriteState &state);
    Status flushFacetDeltas(WriteState &state);
    Result<qint64> appendChange(const QString &ref, const QString &uid, bool deleted, const QString &etag,
                                WriteState &state);
};

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

SqliteCatalogStore::SqliteCatalogStore() : d(std::make_unique<SqliteCatalogStorePrivate>()) {}
SqliteCatalogStore::~SqliteCatalogStore() = default;

int SqliteCatalogStore::schemaVersion()
{
    return sqliteMigrations().last().version;
}

Result<std::unique_ptr<SqliteCatalogStore>> SqliteCatalogStore::open(const QString &path)
{
    std::unique_ptr<SqliteCatalogStore> store(new SqliteCatalogStore);
    store->d->path = path;
    if (Status s = store->d->db.open(path); !s)
        return s.error();
    // WAL: readers never wait for the writer. NORMAL sync: a crash of the
    // process never loses a committed transaction; a power cut may lose the
    // last ones but never corrupts.
    for (const char *pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                               "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536",
                               "PRAGMA mmap_size = 268435456"}) {
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
        qCInfo(lcStore) << "database" << path << "migrated to schema version" << migration.version;
    }
    return Ok{};
}

StoredEntity SqliteCatalogStorePrivate::entityFromRow(const Statement &row)
{
    StoredEntity e;
    e.entity = parseObject(row.blob(0));
    e.ref = row.text(1);
    e.uid = row.text(2);
    e.etag = row.text(3);
    e.sequence = row.integer(4);
    e.originKey = row.text(5);
    e.locationKey = row.text(6);
    e.parentRef = row.text(7);
    return e;
}

#define ENTITY_COLUMNS "e.final, e.ref, e.uid, e.etag, e.sequence, e.origin_key, e.location_key, e.parent_ref"

std::optional<StoredEntity> SqliteCatalogStorePrivate::readEntity(const QString &where, const QVariant &param)
{
    auto stmt = prepare(QStringLiteral("SELECT " ENTITY_COLUMNS " FROM entities e WHERE ") + where);
    if (!stmt)
        return std::nullopt;
    stmt.value()->bindVariant(1, param);
    if (!stmt.value()->next())
        return std::nullopt;
    return entityFromRow(*stmt.value());
}

std::optional<StoredEntity> SqliteCatalogStore::entityByRef(const QString &ref)
{
    return d->readEntity(QStringLiteral("e.ref = ?"), ref.toLower());
}

std::optional<StoredEntity> SqliteCatalogStore::entityByUid(const QString &uid)
{
    return d->readEntity(QStringLiteral("e.uid = ?"), uid);
}

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
    auto old = prepare(QStringLiteral("SELECT key, original_value FROM search WHERE entity_id = ? AND original_value IS NOT NULL"));
    if (!old)
        return old.error();
    old.value()->bind(1, id);
    while (old.value()->next())
        state.facetDeltas[{old.value()->text(0), old.value()->text(1)}] -= 1;
    auto remove = prepare(QStringLiteral("DELETE FROM search WHERE entity_id = ?"));
    auto removeFts = prepare(QStringLiteral("DELETE FROM entities_fts WHERE rowid = ?"));
    if (!remove || !removeFts || !remove.value()->bind(1, id).run() || !removeFts.value()->bind(1, id).run())
        return Error::internal(db.lastError());
    return Ok{};
}

Status SqliteCatalogStorePrivate::writeSearchRows(qint64 id, const QJsonObject &final, bool isNew, WriteState &state)
{
    auto rows = Model::EntitySearch::rows(final);
    if (!rows)
        return rows.error();
    if (!isNew) {
        if (Status s = deleteSearchRows(id, state); !s)
            return s;
    }
    auto insert = prepare(QStringLiteral("INSERT INTO search(entity_id, key, value, original_value, first) VALUES (?,?,?,?,?)"));
    if (!insert)
        return insert.error();
    QSet<QString> keysSeen;
    for (const Model::SearchRow &row : rows.value()) {
        const bool first = !keysSeen.contains(row.key);
        if (first)
            keysSeen.insert(row.key);
        if (!insert.value()->bind(1, id).bind(2, row.key).bind(3, row.value).bind(4, row.originalValue)
                 .bind(5, qint64(first)).run())
            return Error::internal(db.lastError());
        if (!row.originalValue.isNull())
            state.facetDeltas[{row.key, row.originalValue}] += 1;
    }
    const FtsColumns fts = FtsColumns::of(final);
    auto insertFts = prepare(QStringLiteral(
        "INSERT INTO entities_fts(rowid, name, title, description, tags, kind, type, owner) VALUES (?,?,?,?,?,?,?,?)"));
    if (!insertFts)
        return insertFts.error();
    if (!insertFts.value()->bind(1, id).bind(2, fts.name).bind(3, fts.title).bind(4, fts.description)
             .bind(5, fts.tags).bind(6, fts.kind).bind(7, fts.type).bind(8, fts.owner).run())
        return Error::internal(db.lastError());
    return Ok{};
}

Status SqliteCatalogStorePrivate::flushFacetDeltas(WriteState &state)
{
    auto upsert = prepare(QStringLiteral("INSERT INTO facet_counts(key, value, count) VALUES (?,?,?) "
                                         "ON CONFLICT(key, value) DO UPDATE SET count = count + excluded.count"));
    if (!upsert)
        return upsert.error();
    for (auto it = state.facetDeltas.cbegin(); it != state.facetDeltas.cend(); ++it) {
        if (it.value() == 0)
            continue;
        if (!upsert.value()->bind(1, it.key().first).bind(2, it.key().second).bind(3, it.value()).run())
            return Error::internal(db.lastError());
    }
    state.facetDeltas.clear();
    if (Status s = db.exec(QStringLiteral("DELETE FROM facet_counts WHERE count <= 0")); !s)
        return s;
    return Ok{};
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
    if (auto change = appendChange(ref, uid, true, QString(), state); !change)
        return change.error();
    state.restitch.remove(ref);
    ++deleted;
    return Ok{};
}

// Recomputes an entity's final JSON from its body, its relations and its
// status; writes it (and a change row) only when the etag changes.
Result<bool> SqliteCatalogStorePrivate::stitch(const QString &ref, WriteState &state)
{
    auto row = prepare(QStringLiteral("SELECT id, uid, body, status_items, etag, sequence FROM entities WHERE ref = ?"));
    if (!row)
        return row.error();
    row.value()->bind(1, ref);
    if (!row.value()->next())
        return false;   // a relation to an entity that does not exist (yet)
    const qint64 id = row.value()->integer(0);
    const QString uid = row.value()->text(1);
    QJsonObject final = parseObject(row.value()->blob(2));
    const QByteArray statusItems = row.value()->isNull(3) ? QByteArray() : row.value()->blob(3);
    const QString oldEtag = row.value()->text(4);
    const bool isNew = row.value()->integer(5) == 0;
    row.value()->reset();

    QJsonObject metadata = final.value(QLatin1String("metadata")).toObject();
    metadata.remove(QLatin1String("etag"));   // an author's etag is not ours to serve
    metadata.insert(QLatin1String("uid"), uid);
    final.insert(QLatin1String("metadata"), metadata);

    auto relations = prepare(QStringLiteral("SELECT DISTINCT type, target_ref FROM relations WHERE source_ref = ? "
                                            "ORDER BY type, target_ref"));
    if (!relations)
        return relations.error();
    relations.value()->bind(1, ref);
    QJsonArray relationArray;
    while (relations.value()->next()) {
        relationArray.append(QJsonObject{{QStringLiteral("type"), relations.value()->text(0)},
                                         {QStringLiteral("targetRef"), relations.value()->text(1)}});
    }
    relations.value()->reset();
    final.insert(QLatin1String("relations"), relationArray);
    if (!statusItems.isEmpty()) {
        final.insert(QLatin1String("status"),
                     QJsonObject{{QStringLiteral("items"), QJsonDocument::fromJson(statusItems).array()}});
    }

    // Etag: hash of the final entity with sorted keys (QJsonObject keeps keys sorted).
    const QByteArray withoutEtag = compactJson(final);
    const QString etag = QString::fromLatin1(QCryptographicHash::hash(withoutEtag, QCryptographicHash::Sha1).toHex());
    if (etag == oldEtag)
        return false;
    metadata.insert(QLatin1String("etag"), etag);
    final.insert(QLatin1String("metadata"), metadata);

    if (Status s = writeSearchRows(id, final, isNew, state); !s)
        return s.error();
    auto sequence = appendChange(ref, uid, false, etag, state);
    if (!sequence)
        return sequence.error();
    auto update = prepare(QStringLiteral("UPDATE entities SET final = ?, etag = ?, sequence = ? WHERE id = ?"));
    if (!update || !update.value()->bind(1, compactJson(final)).bind(2, etag).bind(3, sequence.value()).bind(4, id).run())
        return Error::internal(db.lastError());
    return true;
}

Result<WriteReport> SqliteCatalogStore::applyLocation(const LocationWrite &write)
{
    using State = SqliteCatalogStorePrivate::WriteState;
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    State state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    WriteReport report;

    struct Existing
    {
        qint64 id;
        QString uid;
        QByteArray body;
        QString parentRef;
        QString locationKey;
        bool hasStatus;
    };
    QHash<QString, Existing> existing;
    {
        auto rows = d->prepare(QStringLiteral(
            "SELECT id, ref, uid, body, parent_ref, location_key, status_items IS NOT NULL FROM entities WHERE origin_key = ?"));
        if (!rows)
            return rows.error();
        rows.value()->bind(1, write.originKey);
        while (rows.value()->next()) {
            existing.insert(rows.value()->text(1),
                            {rows.value()->integer(0), rows.value()->text(2), rows.value()->blob(3), rows.value()->text(4),
                             rows.value()->text(5), rows.value()->integer(6) != 0});
        }
    }

    auto owner = d->prepare(QStringLiteral("SELECT origin_key, location_key FROM entities WHERE ref = ?"));
    auto insert = d->prepare(QStringLiteral(
        "INSERT INTO entities(ref, uid, kind, etag, origin_key, location_key, parent_ref, body, final, sequence) "
        "VALUES (?,?,?,'',?,?,?,?,'{}',0)"));
    auto update = d->prepare(QStringLiteral(
        "UPDATE entities SET body = ?, location_key = ?, parent_ref = ?, status_items = NULL WHERE id = ?"));
    if (!owner || !insert || !update)
        return Error::internal(d->db.lastError());

    QSet<QString> seen;
    QSet<QString> bodiesWritten;   // inserted or updated: their change is not a "re-relation"
    for (const EntityWrite &w : write.entities) {
        if (seen.contains(w.ref)) {
            ProcessingErrorRecord conflict;
            conflict.originKey = write.originKey;
            conflict.locationKey = w.locationKey;
            conflict.entityRef = w.ref;
            conflict.name = QStringLiteral("ConflictError");
            conflict.level = QStringLiteral("warning");
            conflict.message = conflict.reason =
                QStringLiteral("Detected conflicting entityRef %1 already referenced by an earlier document of the same "
                               "location and now also %2").arg(w.ref, w.locationKey);
            report.conflicts.append(conflict);
            continue;
        }
        seen.insert(w.ref);
        const QByteArray body = compactJson(w.entity);
        const auto it = existing.constFind(w.ref);
        if (it != existing.cend()) {
            if (it->body == body && it->parentRef == w.parentRef && it->locationKey == w.locationKey) {
                ++report.unchanged;
                if (it->hasStatus) {   // it processed cleanly again: its old problem goes
                    auto clear = d->prepare(QStringLiteral("UPDATE entities SET status_items = NULL WHERE id = ?"));
                    if (!clear || !clear.value()->bind(1, it->id).run())
                        return Error::internal(d->db.lastError());
                    state.restitch.insert(w.ref);
                }
                continue;
            }
            if (!update.value()->bind(1, body).bind(2, w.locationKey).bind(3, w.parentRef).bind(4, it->id).run())
                return Error::internal(d->db.lastError());
            if (Status s = d->deleteRelations(it->id, state); !s)
                return s.error();
            if (Status s = d->insertRelations(it->id, w.relations, state); !s)
                return s.error();
            state.restitch.insert(w.ref);
            bodiesWritten.insert(w.ref);
            ++report.updated;
            continue;
        }
        owner.value()->bind(1, w.ref);
        if (owner.value()->next() && !owner.value()->isNull(0)) {
            // First writer wins (Backstage 6.4): another location owns this ref.
            ProcessingErrorRecord conflict;
            conflict.originKey = write.originKey;
            conflict.locationKey = w.locationKey;
            conflict.entityRef = w.ref;
            conflict.name = QStringLiteral("ConflictError");
            conflict.level = QStringLiteral("warning");
            conflict.message = conflict.reason =
                QStringLiteral("Detected conflicting entityRef %1 already referenced by %2 and now also %3")
                    .arg(w.ref, owner.value()->text(1), w.locationKey);
            report.conflicts.append(conflict);
            owner.value()->reset();
            continue;
        }
        owner.value()->reset();
        const QString uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (!insert.value()->bind(1, w.ref).bind(2, uid).bind(3, w.entity.value(QLatin1String("kind")).toString().toLower())
                 .bind(4, write.originKey).bind(5, w.locationKey).bind(6, w.parentRef).bind(7, body).run())
            return Error::internal(d->db.lastError());
        const qint64 id = sqlite3_last_insert_rowid(d->db.handle());
        if (Status s = d->insertRelations(id, w.relations, state); !s)
            return s.error();
        state.restitch.insert(w.ref);
        bodiesWritten.insert(w.ref);
        ++report.inserted;
    }

    // Entities that failed this time keep their last good version, with the problem in status.
    QSet<QString> kept = write.keptParents;
    for (const EntityFailure &failure : write.failures) {
        auto mark = d->prepare(QStringLiteral("UPDATE entities SET status_items = ? WHERE ref = ? AND origin_key = ?"));
        if (!mark || !mark.value()->bind(1, QJsonDocument(QJsonArray{failure.statusItem}).toJson(QJsonDocument::Compact))
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
    for (auto it = existing.cbegin(); it != existing.cend(); ++it) {
        if (seen.contains(it.key()) || kept.contains(it.key()))
            continue;
        if (Status s = d->deleteEntityRow(it->id, it.key(), it->uid, state, report.deleted); !s)
            return s.error();
    }

    // Stitch everything whose body, status or relations may have changed.
    for (const QString &ref : std::as_const(state.restitch)) {
        auto changed = d->stitch(ref, state);
        if (!changed)
            return changed.error();
        if (changed.value() && !bodiesWritten.contains(ref))
            ++report.restitched;
    }
    if (Status s = d->flushFacetDeltas(state); !s)
        return s.error();

    auto clearErrors = d->prepare(QStringLiteral("DELETE FROM processing_errors WHERE origin_key = ?"));
    auto addError = d->prepare(QStringLiteral(
        "INSERT INTO processing_errors(origin_key, location_key, file, line, entity_ref, name, message, reason, level) "
        "VALUES (?,?,?,?,?,?,?,?,?)"));
    if (!clearErrors || !addError || !clearErrors.value()->bind(1, write.originKey).run())
        return Error::internal(d->db.lastError());
    for (const ProcessingErrorRecord &e : write.errors + report.conflicts) {
        if (!addError.value()->bind(1, write.originKey).bind(2, e.locationKey).bind(3, e.file).bind(4, qint64(e.line))
                 .bind(5, e.entityRef).bind(6, e.name).bind(7, e.message).bind(8, e.reason).bind(9, e.level).run())
            return Error::internal(d->db.lastError());
    }

    if (Status s = tx.commit(); !s)
        return s.error();
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
    for (const QString &peer : std::as_const(state.restitch)) {
        if (auto changed = d->stitch(peer, state); !changed)
            return changed.error();
    }
    if (Status s = d->flushFacetDeltas(state); !s)
        return s;
    return tx.commit();
}

Result<QList<std::optional<StoredEntity>>> SqliteCatalogStore::entitiesByRefs(const QStringList &refs,
                                                                              const Model::EntityFilter &filter)
{
    d->trimStatementCache();
    const SqlCondition condition = filterCondition(filter);
    QString sql = QStringLiteral("SELECT " ENTITY_COLUMNS " FROM entities e WHERE e.ref = ?");
    if (!condition.sql.isEmpty())
        sql += QStringLiteral(" AND (%1)").arg(condition.sql);
    auto stmt = d->prepare(sql);
    if (!stmt)
        return stmt.error();
    QList<std::optional<StoredEntity>> result;
    result.reserve(refs.size());
    for (const QString &ref : refs) {
        stmt.value()->bind(1, ref.toLower());
        for (qsizetype i = 0; i < condition.params.size(); ++i)
            stmt.value()->bindVariant(int(i) + 2, condition.params.at(i));
        if (stmt.value()->next())
            result.append(SqliteCatalogStorePrivate::entityFromRow(*stmt.value()));
        else
            result.append(std::nullopt);
        stmt.value()->reset();
    }
    return result;
}

Result<EntityPage> SqliteCatalogStore::queryEntities(const EntityQuery &query)
{
    d->trimStatementCache();
    SqlCondition where = filterCondition(query.filter);
    const QString term = query.fullText.term.trimmed();
    if (!term.isEmpty()) {
        QStringList fields;
        for (const QString &field : query.fullText.fields)
            fields.append(field.toLower());
        if (fields.isEmpty())
            fields.append(query.order.isEmpty() ? QStringLiteral("metadata.uid") : query.order.first().field.toLower());
        QVariantList params;
        for (const QString &field : fields)
            params.append(field);
        params.append(likePattern(term));
        where.andWith(QStringLiteral("e.id IN (SELECT entity_id FROM search WHERE key IN (%1) AND value LIKE ? ESCAPE '\\')")
                          .arg(placeholders(fields.size())),
                      params);
    }

    // Ordering joins one search row (the key's first) per order field. Paging
    // backwards walks the same order reversed and flips the page afterwards.
    const bool ordered = !query.order.isEmpty();
    const bool descending = ordered && query.order.first().descending;
    const bool reverse = query.backwards;
    const auto direction = [&](bool desc) { return (desc != reverse) ? QStringLiteral("DESC") : QStringLiteral("ASC"); };
    QString joins;
    QVariantList joinParams;
    QStringList orderTerms;
    for (qsizetype i = 0; i < query.order.size(); ++i) {
        const bool inner = i == 0 && !query.keepEntitiesWithoutOrderValue;
        joins += QStringLiteral(" %1 JOIN search o%2 ON o%2.entity_id = e.id AND o%2.key = ? AND o%2.first = 1 "
                                "AND o%2.value IS NOT NULL")
                     .arg(inner ? QString() : QStringLiteral("LEFT")).arg(i);
        joinParams.append(query.order.at(i).field.toLower());
        if (!inner)
            orderTerms.append(QStringLiteral("o%1.value IS NULL %2").arg(i).arg(direction(false)));
        orderTerms.append(QStringLiteral("o%1.value %2").arg(i).arg(direction(query.order.at(i).descending)));
    }
    orderTerms.append(ordered ? QStringLiteral("e.uid ") + direction(descending) : QStringLiteral("e.ref ") + direction(false));

    EntityPage page;
    if (query.countTotal) {
        QString countSql = QStringLiteral("SELECT count(*) FROM entities e") + (ordered ? joins : QString());
        if (!where.sql.isEmpty())
            countSql += QStringLiteral(" WHERE ") + where.sql;
        auto count = d->prepare(countSql);
        if (!count)
            return count.error();
        int index = 1;
        if (ordered) {
            for (const QVariant &p : joinParams)
                count.value()->bindVariant(index++, p);
        }
        for (const QVariant &p : where.params)
            count.value()->bindVariant(index++, p);
        count.value()->next();
        page.totalItems = count.value()->integer(0);
    }

    SqlCondition keyset = where;
    if (!query.after.isEmpty()) {
        const bool forward = (descending == reverse);   // ascending in key order
        const QString op = forward ? QStringLiteral(">") : QStringLiteral("<");
        if (ordered && query.after.size() == 2)
            keyset.andWith(QStringLiteral("(o0.value, e.uid) %1 (?, ?)").arg(op), {query.after.at(0), query.after.at(1)});
        else
            keyset.andWith(QStringLiteral("e.ref %1 ?").arg(op), {query.after.first()});
    }
    QString sql = QStringLiteral("SELECT " ENTITY_COLUMNS "%1 FROM entities e")
                      .arg(ordered ? QStringLiteral(", o0.value") : QString()) + joins;
    if (!keyset.sql.isEmpty())
        sql += QStringLiteral(" WHERE ") + keyset.sql;
    sql += QStringLiteral(" ORDER BY ") + orderTerms.join(QStringLiteral(", "));
    if (query.limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(query.limit + 1);
    else if (query.offset > 0)
        sql += QStringLiteral(" LIMIT -1");
    if (query.offset > 0 && query.after.isEmpty())
        sql += QStringLiteral(" OFFSET %1").arg(query.offset);

    auto stmt = d->prepare(sql);
    if (!stmt)
        return stmt.error();
    int index = 1;
    for (const QVariant &p : joinParams)
        stmt.value()->bindVariant(index++, p);
    for (const QVariant &p : keyset.params)
        stmt.value()->bindVariant(index++, p);
    QList<QStringList> keys;
    while (stmt.value()->next()) {
        if (query.limit >= 0 && page.items.size() == query.limit) {
            page.hasMore = true;
            break;
        }
        StoredEntity entity = SqliteCatalogStorePrivate::entityFromRow(*stmt.value());
        keys.append(ordered ? QStringList{stmt.value()->text(8), entity.uid} : QStringList{entity.ref});
        page.items.append(std::move(entity));
    }
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
    d->trimStatementCache();
    Facets result;
    const SqlCondition where = filterCondition(filter);
    for (const QString &facet : facetKeys) {
        QList<FacetCount> counts;
        Result<Statement *> stmt = where.sql.isEmpty()
            ? d->prepare(QStringLiteral("SELECT value, count FROM facet_counts WHERE key = ? ORDER BY value"))
            : d->prepare(QStringLiteral("SELECT s.original_value, count(*) FROM search s JOIN entities e ON e.id = s.entity_id "
                                        "WHERE s.key = ? AND s.original_value IS NOT NULL AND (%1) "
                                        "GROUP BY s.original_value ORDER BY s.original_value").arg(where.sql));
        if (!stmt)
            return stmt.error();
        stmt.value()->bind(1, facet.toLower());
        for (qsizetype i = 0; i < where.params.size(); ++i)
            stmt.value()->bindVariant(int(i) + 2, where.params.at(i));
        while (stmt.value()->next())
            counts.append({stmt.value()->text(0), stmt.value()->integer(1)});
        result.append({facet, counts});
    }
    return result;
}

Result<QList<SearchHit>> SqliteCatalogStore::search(const QString &text, int limit)
{
    // Each word becomes a quoted prefix term, so user text can never be FTS5 syntax.
    QStringList terms;
    QString word;
    const auto flush = [&] {
        if (!word.isEmpty())
            terms.append(QLatin1Char('"') + word + QStringLiteral("\"*"));
        word.clear();
    };
    for (QChar c : text) {
        if (c.isLetterOrNumber())
            word += c;
        else
            flush();
    }
    flush();
    QList<SearchHit> hits;
    if (terms.isEmpty())
        return hits;
    auto stmt = d->prepare(QStringLiteral("SELECT " ENTITY_COLUMNS ", bm25(entities_fts, 10.0, 5.0, 1.0, 3.0, 1.0, 1.0, 1.0) AS r "
                                          "FROM entities_fts JOIN entities e ON e.id = entities_fts.rowid "
                                          "WHERE entities_fts MATCH ? ORDER BY r LIMIT ?"));
    if (!stmt)
        return stmt.error();
    stmt.value()->bind(1, terms.join(QLatin1Char(' '))).bind(2, qint64(limit));
    while (stmt.value()->next())
        hits.append({SqliteCatalogStorePrivate::entityFromRow(*stmt.value()), stmt.value()->real(8)});
    return hits;
}

QList<Change> SqliteCatalogStore::changesSince(qint64 afterSequence, int limit)
{
    QList<Change> changes;
    auto stmt = d->prepare(QStringLiteral("SELECT sequence, ref, uid, deleted, etag FROM changes WHERE sequence > ? "
                                          "ORDER BY sequence LIMIT ?"));
    if (!stmt)
        return changes;
    stmt.value()->bind(1, afterSequence).bind(2, qint64(limit));
    while (stmt.value()->next()) {
        changes.append({stmt.value()->integer(0),
                        stmt.value()->integer(3) ? Change::Type::Delete : Change::Type::Upsert,
                        stmt.value()->text(1), stmt.value()->text(2), stmt.value()->text(4)});
    }
    return changes;
}

qint64 SqliteCatalogStore::lastSequence()
{
    auto stmt = d->prepare(QStringLiteral("SELECT coalesce(max(sequence), 0) FROM changes"));
    if (!stmt || !stmt.value()->next())
        return 0;
    return stmt.value()->integer(0);
}

qint64 SqliteCatalogStore::entityCount()
{
    auto stmt = d->prepare(QStringLiteral("SELECT count(*) FROM entities"));
    if (!stmt || !stmt.value()->next())
        return 0;
    return stmt.value()->integer(0);
}

QList<ProcessingErrorRecord> SqliteCatalogStore::processingErrors(const QString &originKey)
{
    QList<ProcessingErrorRecord> errors;
    auto stmt = d->prepare(QStringLiteral("SELECT origin_key, location_key, file, line, entity_ref, name, message, reason, level "
                                          "FROM processing_errors WHERE ? IS NULL OR origin_key = ? ORDER BY id"));
    if (!stmt)
        return errors;
    stmt.value()->bind(1, originKey).bind(2, originKey);
    while (stmt.value()->next()) {
        const Statement &r = *stmt.value();
        errors.append({r.text(0), r.text(1), r.text(2), int(r.integer(3)), r.text(4), r.text(5), r.text(6), r.text(7),
                       r.text(8)});
    }
    return errors;
}

} // namespace Greenroom::Store
