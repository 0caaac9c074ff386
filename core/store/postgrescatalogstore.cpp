// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The PostgreSQL store: opening and migrating, single entities, registered
// locations and the store's counters. Writes are in pgwrites.cpp, queries
// and the feed in pgreads.cpp.
#include "postgrescatalogstore.h"

#include "migrations/migration.h"
#include "postgrescatalogstore_p.h"

#include <QJsonDocument>
#include <QUuid>

namespace Greenroom::Store {

using namespace Internal;

namespace {

// Held while migrating: replicas that start together migrate one at a time.
constexpr qint64 MigrationLockKey = WriteLockKey + 1;

} // namespace

PostgresCatalogStore::PostgresCatalogStore() : d(std::make_unique<PostgresCatalogStorePrivate>()) {}
PostgresCatalogStore::~PostgresCatalogStore() = default;

int PostgresCatalogStore::schemaVersion()
{
    return pgMigrations().last().version;
}

Result<std::unique_ptr<PostgresCatalogStore>> PostgresCatalogStore::open(const QString &conninfo, const OpenOptions &options)
{
    std::unique_ptr<PostgresCatalogStore> store(new PostgresCatalogStore());
    store->d->conninfo = conninfo;
    store->d->options = options;
    if (Status s = store->d->db.open(conninfo); !s)
        return s.error();
    if (!options.schema.isEmpty()) {
        const QString schema = store->d->db.identifier(options.schema);
        if (options.ensureSchema) {
            if (Status s = store->d->db.exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS ") + schema); !s)
                return Error(s.error().name, QStringLiteral("Failed to connect to the database to make sure that schema '%1' exists, %2")
                                                 .arg(options.schema, s.error().message));
        }
        if (Status s = store->d->db.addSessionSetup(QStringLiteral("SET search_path TO ") + schema); !s)
            return s.error();
    }
    if (Status s = store->d->migrate(); !s)
        return s.error();
    return store;
}

Result<std::unique_ptr<CatalogStore>> PostgresCatalogStore::openReader()
{
    OpenOptions options = d->options;
    options.ensureSchema = false;   // made when this store opened
    auto reader = open(d->conninfo, options);
    if (!reader)
        return reader.error();
    return std::unique_ptr<CatalogStore>(std::move(reader).value());
}

Status PostgresCatalogStore::ensureDatabase(const QString &adminConninfo, const QString &name)
{
    PgDatabase admin;
    if (Status s = admin.open(adminConninfo); !s)
        return s;
    auto exists = admin.integer(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = ?"), {name});
    if (!exists)
        return exists.error();
    if (exists.value() > 0)
        return Ok{};
    Status made = admin.exec(QStringLiteral("CREATE DATABASE ") + admin.identifier(name));
    // Another replica may have made it meanwhile.
    if (!made && !made.error().message.contains(QLatin1String("already exists")))
        return made;
    return Ok{};
}

Status PostgresCatalogStorePrivate::migrate()
{
    if (Status s = db.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(MigrationLockKey)); !s)
        return s;
    const auto unlock = qScopeGuard([this] { (void)db.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(MigrationLockKey)); });
    if (Status s = db.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS greenroom_schema (version integer NOT NULL)")); !s)
        return s;
    auto current = db.integer(QStringLiteral("SELECT coalesce(max(version), 0) FROM greenroom_schema"));
    if (!current)
        return current.error();
    const int latest = PostgresCatalogStore::schemaVersion();
    if (current.value() > latest) {
        return Error::input(QStringLiteral("the database is at schema version %1, written by a newer Greenroom (this one "
                                           "knows up to %2); upgrade Greenroom or use another database")
                                .arg(current.value()).arg(latest));
    }
    for (const Migration &m : pgMigrations()) {
        if (m.version <= current.value())
            continue;
        PgTransaction tx(db);
        if (Status s = tx.begin(false); !s)
            return s;
        if (Status s = db.exec(m.sql); !s)
            return Error::internal(QStringLiteral("migration %1: %2").arg(m.version).arg(s.error().message));
        if (Status s = db.exec(QStringLiteral("INSERT INTO greenroom_schema(version) VALUES (%1)").arg(m.version)); !s)
            return s;
        if (Status s = tx.commit(); !s)
            return s;
    }
    return Ok{};
}

void PostgresCatalogStorePrivate::checkCaches()
{
    auto sequence = db.integer(QStringLiteral("SELECT value FROM store_state WHERE key = 'last_sequence'"));
    const qint64 now = sequence ? sequence.value() : -1;
    // Bounded: filters come from requests.
    constexpr qsizetype MaxCached = 1000;
    if (now != cachedAtSequence || now < 0 || cachedCounts.size() + cachedFacets.size() > MaxCached) {
        cachedCounts.clear();
        cachedFacets.clear();
        cachedAtSequence = now;
    }
}

StoredEntity PostgresCatalogStorePrivate::entityFromRow(const PgRows &rows, int row, bool rawJson)
{
    StoredEntity e;
    e.json = rows.bytes(row, 0);
    if (!rawJson)
        e.entity = QJsonDocument::fromJson(e.json).object();
    e.ref = rows.text(row, 1);
    e.uid = rows.text(row, 2);
    e.etag = rows.text(row, 3);
    e.sequence = rows.integer(row, 4);
    e.originKey = rows.text(row, 5);
    e.locationKey = rows.text(row, 6);
    e.parentRef = rows.text(row, 7);
    return e;
}

std::optional<StoredEntity> PostgresCatalogStorePrivate::readEntity(const QString &where, const QVariant &param)
{
    auto rows = db.query(QStringLiteral("SELECT " PG_ENTITY_COLUMNS " FROM entities e WHERE ") + where, {param});
    if (!rows || rows->size() == 0)
        return std::nullopt;
    return entityFromRow(rows.value(), 0);
}

std::optional<StoredEntity> PostgresCatalogStore::entityByRef(const QString &ref)
{
    return d->readEntity(QStringLiteral("e.ref = ?"), ref.toLower());
}

std::optional<StoredEntity> PostgresCatalogStore::entityByUid(const QString &uid)
{
    return d->readEntity(QStringLiteral("e.uid = ?"), uid);
}

QList<RegisteredLocation> PostgresCatalogStore::registeredLocations()
{
    QList<RegisteredLocation> locations;
    auto rows = d->db.query(QStringLiteral("SELECT id, type, target, entity_ref FROM locations ORDER BY position"));
    if (!rows)
        return locations;
    for (int i = 0; i < rows->size(); ++i)
        locations.append({rows->text(i, 0), rows->text(i, 1), rows->text(i, 2), rows->text(i, 3)});
    return locations;
}

Result<RegisteredLocation> PostgresCatalogStore::registerLocation(const QString &type, const QString &target,
                                                                  const QString &entityRef)
{
    const RegisteredLocation location{QUuid::createUuid().toString(QUuid::WithoutBraces), type, target, entityRef};
    auto inserted = d->db.query(QStringLiteral("INSERT INTO locations(id, type, target, entity_ref) VALUES (?,?,?,?) "
                                               "ON CONFLICT (type, target) DO NOTHING"),
                                {location.id, type, target, entityRef});
    if (!inserted)
        return inserted.error();
    if (inserted->affected() == 0)
        return locationConflict(type, target);
    return location;
}

Result<std::optional<RegisteredLocation>> PostgresCatalogStore::updateLocation(const QString &id, const QString &type,
                                                                               const QString &target, const QString &entityRef)
{
    auto updated = d->db.query(QStringLiteral("UPDATE locations SET type = ?, target = ?, entity_ref = ? WHERE id = ?"),
                               {type, target, entityRef, id});
    if (!updated) {
        if (updated.error().name == QLatin1String("ConflictError"))   // another registration has them
            return locationConflict(type, target);
        return updated.error();
    }
    if (updated->affected() == 0)
        return std::optional<RegisteredLocation>();
    return std::optional<RegisteredLocation>(RegisteredLocation{id, type, target, entityRef});
}

Result<bool> PostgresCatalogStore::unregisterLocation(const QString &id)
{
    const QList<RegisteredLocation> all = registeredLocations();
    const auto found = std::find_if(all.cbegin(), all.cend(), [&](const RegisteredLocation &l) { return l.id == id; });
    if (found == all.cend())
        return false;
    LocationWrite removal;
    removal.originKey = found->key();
    auto written = writeLocation(removal, [&]() -> Status {
        auto removed = d->db.query(QStringLiteral("DELETE FROM locations WHERE id = ?"), {id});
        return removed ? Status(Ok{}) : Status(removed.error());
    });
    if (!written)
        return written.error();
    return true;
}

qint64 PostgresCatalogStore::lastSequence()
{
    auto sequence = d->db.integer(QStringLiteral("SELECT value FROM store_state WHERE key = 'last_sequence'"));
    return sequence ? sequence.value() : 0;
}

qint64 PostgresCatalogStore::feedEpoch()
{
    auto epoch = d->db.integer(QStringLiteral("SELECT value FROM store_state WHERE key = 'feed_epoch'"));
    return epoch ? epoch.value() : 0;
}

qint64 PostgresCatalogStore::syncHorizon()
{
    auto horizon = d->db.integer(QStringLiteral("SELECT value FROM store_state WHERE key = 'sync_horizon'"));
    return horizon ? horizon.value() : 0;
}

qint64 PostgresCatalogStore::entityCount()
{
    auto count = d->db.integer(QStringLiteral("SELECT count(*) FROM entities"));
    return count ? count.value() : 0;
}

qint64 PostgresCatalogStore::countChangesSince(qint64 afterSequence)
{
    auto count = d->db.integer(QStringLiteral("SELECT count(*) FROM changes WHERE sequence > ?"), {afterSequence});
    return count ? count.value() : 0;
}

namespace {

// The database's clock in ms: every replica's leases are measured by one clock.
const QString DatabaseNow = QStringLiteral("(extract(epoch from clock_timestamp()) * 1000)::bigint");

} // namespace

Result<qint64> PostgresCatalogStore::claimLease(const QString &key, const QString &holder, qint64 forMs, bool force)
{
    auto row = d->db.query(QStringLiteral("INSERT INTO work_leases(key, holder, expires_at) VALUES (?, '', 0) ON CONFLICT (key) DO NOTHING"), {key});
    if (!row)
        return row.error();
    // A lease another replica is claiming this very moment is skipped, not waited for.
    auto claimed = d->db.query(QStringLiteral("WITH free AS (SELECT key FROM work_leases WHERE key = ? AND (? OR holder = ? OR expires_at <= %1) "
                                              "FOR UPDATE SKIP LOCKED) "
                                              "UPDATE work_leases w SET holder = ?, expires_at = %1 + ? FROM free WHERE w.key = free.key RETURNING 1")
                                   .arg(DatabaseNow),
                               {key, force, holder, holder, forMs});
    if (!claimed)
        return claimed.error();
    if (claimed->size() == 1)
        return qint64(0);
    auto until = d->db.integer(QStringLiteral("SELECT greatest(expires_at - %1, 1) FROM work_leases WHERE key = ?").arg(DatabaseNow), {key});
    if (!until)
        return until.error();
    return until.value();
}

Status PostgresCatalogStore::extendLease(const QString &key, const QString &holder, qint64 forMs)
{
    auto extended = d->db.query(QStringLiteral("UPDATE work_leases SET expires_at = %1 + ? WHERE key = ? AND holder = ?").arg(DatabaseNow),
                                {forMs, key, holder});
    return extended ? Status(Ok{}) : Status(extended.error());
}

Status PostgresCatalogStore::checkHealth()
{
    auto answer = d->db.integer(QStringLiteral("SELECT 1"));
    if (!answer)
        return answer.error();
    return Ok{};
}

Result<int> PostgresCatalogStore::pruneTombstones(qint64 cutoffMsecsSinceEpoch)
{
    PgTransaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    auto pruned = d->db.query(QStringLiteral("WITH gone AS (DELETE FROM changes WHERE deleted AND changed_at < ? RETURNING sequence) "
                                             "SELECT coalesce(max(sequence), 0), count(*) FROM gone"),
                              {cutoffMsecsSinceEpoch});
    if (!pruned)
        return pruned.error();
    const qint64 horizon = pruned->integer(0, 0);
    const int count = int(pruned->integer(0, 1));
    if (count == 0)
        return 0;
    auto recorded = d->db.query(QStringLiteral("INSERT INTO store_state(key, value) VALUES ('sync_horizon', ?) "
                                               "ON CONFLICT (key) DO UPDATE SET value = greatest(store_state.value, excluded.value)"),
                                {horizon});
    if (!recorded)
        return recorded.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return count;
}

QList<ProcessingErrorRecord> PostgresCatalogStore::processingErrors(const QString &originKey)
{
    QList<ProcessingErrorRecord> errors;
    const QString columns = QStringLiteral("SELECT origin_key, location_key, file, line, entity_ref, name, message, reason, level "
                                           "FROM processing_errors ");
    auto rows = originKey.isNull() ? d->db.query(columns + QStringLiteral("ORDER BY id"))
                                   : d->db.query(columns + QStringLiteral("WHERE origin_key = ? ORDER BY id"), {originKey});
    if (!rows)
        return errors;
    for (int i = 0; i < rows->size(); ++i) {
        errors.append({rows->text(i, 0), rows->text(i, 1), rows->text(i, 2), int(rows->integer(i, 3)), rows->text(i, 4),
                       rows->text(i, 5), rows->text(i, 6), rows->text(i, 7), rows->text(i, 8)});
    }
    return errors;
}

} // namespace Greenroom::Store
