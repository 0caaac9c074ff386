// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The SQLite catalog store: opening and migrating the database, statements,
// search keys, single entities and registered locations. Its stages live
// beside it: sqlitewrites.cpp, sqlitemirror.cpp, sqlitereads.cpp, and the
// docs, listing, task and plugin-data tables in their own files.
#include "sqlitecatalogstore.h"

#include "migrations/migration.h"
#include "sqlitecatalogstore_p.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUuid>

namespace Greenroom::Store {

Q_LOGGING_CATEGORY(lcStore, "greenroom.store", QtInfoMsg)

using namespace Internal;

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
                               desktop || memory == Memory::Reader ? "PRAGMA cache_size = -8192" : CacheSizePragma,   // 8 MiB
                               desktop ? "PRAGMA mmap_size = 0" : "PRAGMA mmap_size = 1073741824"}) {
        if (Status s = store->d->db.exec(QString::fromLatin1(pragma)); !s)
            return Error::internal(QStringLiteral("Cannot open database %1: %2").arg(path, s.error().message));
    }
    if (Status s = store->d->migrate(); !s)
        return s.error();
    if (Status s = store->d->openSearchIndex(); !s)
        return s.error();
    return store;
}

Result<std::unique_ptr<CatalogStore>> SqliteCatalogStore::openReader()
{
    if (d->path.isEmpty() || d->path == QLatin1String(":memory:") || d->path.startsWith(QLatin1String("file::memory:")))
        return std::unique_ptr<CatalogStore>();
    auto reader = open(d->path, Memory::Reader);
    if (!reader)
        return reader.error();
    return std::unique_ptr<CatalogStore>(std::move(reader).value());
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

} // namespace Greenroom::Store
