// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// What only the SQLite store does: bulk writes that rebuild indexes, the
// desktop's mirror of a server's feed, docs sites and scaffolder tasks.
// The CatalogStore interface itself is tested by tst_catalogstore.
#include <store/sqlitecatalogstore.h>

#include "storetestdata.h"

#include <QJsonDocument>
#include <QStandardPaths>
#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Greenroom;
using namespace Greenroom::Store;
using namespace Greenroom::Tests::StoreData;

class TestSqliteCatalogStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void bulkWriteRebuildsItsIndexes();
    void mirrorHoldsTheServersEntitiesAndAnswersLikeIt();
    void mirrorBatchIsAllOrNothing();
    void mirrorRebuildDeletesOnlyWhenTheSnapshotIsWhole();
    void mirrorFetchesAnnouncedDocs();
    void aDatabaseInMemoryHasNoReaders();

private:
    std::unique_ptr<SqliteCatalogStore> openStore();
    void seed();
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<SqliteCatalogStore> m_store;
};

std::unique_ptr<SqliteCatalogStore> TestSqliteCatalogStore::openStore()
{
    auto store = SqliteCatalogStore::open(m_path);
    if (!store)
        qFatal("%s", qPrintable(store.error().message));
    return std::move(store).value();
}

void TestSqliteCatalogStore::init()
{
    QStandardPaths::setTestModeEnabled(true);
    m_store.reset();
    m_path = m_dir.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction()));
    QFile::remove(m_path);
    m_store = openStore();
}

void TestSqliteCatalogStore::seed()
{
    auto report = m_store->applyLocation(writeOf(seedEntities()));
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->inserted, 7);
}

void TestSqliteCatalogStore::bulkWriteRebuildsItsIndexes()
{
    // Large enough to take the bulk path (indexes dropped and rebuilt).
    QList<EntityWrite> entities{entity("Group", "team-a", group())};
    for (int i = 0; i < 6000; ++i)
        entities.append(entity("Component", qPrintable(QStringLiteral("c%1").arg(i)),
                               component("team-a", i % 2 ? "production" : "experimental")));
    auto report = m_store->applyLocation(writeOf(entities));
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->inserted, 6001);
    QCOMPARE(m_store->entityByRef(QStringLiteral("group:default/team-a"))->entity[QStringLiteral("relations")].toArray().size(),
             6000);
    EntityQuery query;
    query.filter = *Model::EntityFilter::parse({QStringLiteral("spec.lifecycle=production")});
    query.countTotal = true;
    query.limit = 10;
    QCOMPARE(m_store->queryEntities(query)->totalItems, 3000);
    m_store.reset();

    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(m_path.toUtf8().constData(), &db), SQLITE_OK);
    sqlite3_stmt *stmt = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN "
                                    "('search_key_value', 'relations_source')", -1, &stmt, nullptr), SQLITE_OK);
    int found = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        ++found;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    QCOMPARE(found, 2);
}

namespace {

// What a sync client would get from the feed of `server` after `after`.
MirrorBatch feedBatch(SqliteCatalogStore &server, qint64 after)
{
    MirrorBatch batch;
    for (const Change &change : server.changesSince(after, 1000, true))
        batch.changes.append({change.type == Change::Type::Delete, change.ref, change.uid, change.etag, change.entityJson, {}, change.docs});
    return batch;
}

// Everything a view asks, as text, so two stores can be compared whole.
QStringList answers(SqliteCatalogStore &store)
{
    QStringList out;
    EntityQuery all;
    all.rawJson = true;
    const auto page = store.queryEntities(all);
    for (const StoredEntity &e : page->items)
        out << e.ref + QLatin1Char(' ') + e.uid + QLatin1Char(' ') + e.etag + QLatin1Char(' ') + QString::fromUtf8(e.json);
    for (const char *filter : {"spec.owner=team-b", "kind=component,spec.lifecycle=production", "relations.ownedBy=group:default/team-a",
                               "metadata.tags=java"}) {
        EntityQuery query;
        query.filter = *Model::EntityFilter::parse({QString::fromLatin1(filter)});
        out << QString::fromLatin1(filter) + QStringLiteral(" -> ") + refs(*store.queryEntities(query)).join(QLatin1Char(','));
    }
    const auto facets = store.facets({QStringLiteral("kind"), QStringLiteral("metadata.tags"), QStringLiteral("spec.owner")}, {});
    for (const auto &[key, counts] : *facets) {
        for (const FacetCount &c : counts)
            out << key + QLatin1Char(':') + c.value + QLatin1Char('=') + QString::number(c.count);
    }
    const auto hits = store.search(QStringLiteral("cart"), 10);
    for (const SearchHit &hit : *hits)
        out << QStringLiteral("search ") + hit.entity.ref;
    return out;
}

} // namespace

void TestSqliteCatalogStore::mirrorHoldsTheServersEntitiesAndAnswersLikeIt()
{
    seed();
    auto mirror = SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("mirror.sqlite")));
    QVERIFY(mirror);
    MirrorBatch first = feedBatch(*m_store, 0);
    first.state = {{QStringLiteral("cursor"), QStringLiteral("1-7")}};
    auto report = mirror.value()->applyMirror(first);
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->upserted, 7);
    QCOMPARE(mirror.value()->mirrorState(QStringLiteral("cursor")), QStringLiteral("1-7"));
    QVERIFY(mirror.value()->mirrorState(QStringLiteral("elsewhere")).isNull());
    QCOMPARE(answers(*mirror.value()), answers(*m_store));

    // Plugins keep data per entity in the cache; it goes with its entity.
    const QString payments = QStringLiteral("component:default/payments");
    QVERIFY(!mirror.value()->pluginData(payments, QStringLiteral("ci"), QStringLiteral("runs")));
    QVERIFY(mirror.value()->putPluginData(payments, QStringLiteral("ci"), QStringLiteral("runs"), "[1]"));
    QVERIFY(mirror.value()->putPluginData(payments, QStringLiteral("ci"), QStringLiteral("runs"), "[1,2]"));
    QVERIFY(mirror.value()->putPluginData(QStringLiteral("component:default/cart"), QStringLiteral("ci"), QStringLiteral("runs"), "[3]"));
    const auto runs = mirror.value()->pluginData(payments, QStringLiteral("ci"), QStringLiteral("runs"));
    QVERIFY(runs);
    QCOMPARE(runs->json, QByteArray("[1,2]"));
    QVERIFY(qAbs(runs->storedAt - QDateTime::currentMSecsSinceEpoch()) < 60000);
    QVERIFY(!mirror.value()->pluginData(payments, QStringLiteral("other"), QStringLiteral("runs")));

    // The server changes one entity, drops another and adds a third.
    const qint64 before = m_store->lastSequence();
    QList<EntityWrite> next = seedEntities();
    next.removeAt(4);   // Payments
    next[3] = entity("Component", "cart", component("team-b", "production", "shop"),
                     {{QStringLiteral("tags"), QJsonArray{QStringLiteral("kotlin")}}});
    next.append(entity("Component", "carts-admin", component("team-a")));
    QVERIFY(m_store->applyLocation(writeOf(next)));
    report = mirror.value()->applyMirror(feedBatch(*m_store, before));
    QVERIFY(report);
    QCOMPARE(report->deleted, 1);
    QVERIFY(report->upserted >= 2);
    QCOMPARE(answers(*mirror.value()), answers(*m_store));
    QVERIFY(!mirror.value()->pluginData(payments, QStringLiteral("ci"), QStringLiteral("runs")));   // Payments is gone
    QVERIFY(mirror.value()->pluginData(QStringLiteral("component:default/cart"), QStringLiteral("ci"), QStringLiteral("runs")));

    // The same batch again changes nothing.
    report = mirror.value()->applyMirror(feedBatch(*m_store, before));
    QCOMPARE(report->upserted, 0);
    QCOMPARE(report->deleted, 0);
}

void TestSqliteCatalogStore::mirrorBatchIsAllOrNothing()
{
    seed();
    auto mirror = SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("mirror-bad.sqlite")));
    QVERIFY(mirror);
    QVERIFY(mirror.value()->applyMirror(feedBatch(*m_store, 0)));
    const QStringList held = answers(*mirror.value());

    for (const QByteArray &bad : {QByteArray("{\"kind\":\"Component\""), QByteArray("[1,2]"),
                                  QByteArray(R"({"kind":"Component","metadata":{}})")}) {
        MirrorBatch batch = feedBatch(*m_store, 0);
        batch.changes.first().entityJson = R"({"kind":"Group","metadata":{"name":"changed"}})";
        batch.changes.append({false, QStringLiteral("component:default/broken"), QStringLiteral("u-broken"), QStringLiteral("e"), bad, {}});
        batch.changes.append({true, QStringLiteral("component:default/cart"), QStringLiteral("x"), {}, {}, {}});
        batch.state = {{QStringLiteral("cursor"), QStringLiteral("9-9")}};
        auto report = mirror.value()->applyMirror(batch);
        QVERIFY(!report);
        QVERIFY2(report.error().message.startsWith(QLatin1String("Sync feed: entity component:default/broken: ")),
                 qPrintable(report.error().message));
        QCOMPARE(answers(*mirror.value()), held);
        QVERIFY(mirror.value()->mirrorState(QStringLiteral("cursor")).isNull());
    }
}

void TestSqliteCatalogStore::mirrorRebuildDeletesOnlyWhenTheSnapshotIsWhole()
{
    seed();
    auto mirror = SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("mirror-rebuild.sqlite")));
    QVERIFY(mirror);
    QVERIFY(mirror.value()->applyMirror(feedBatch(*m_store, 0)));

    // A new server database holds all but Payments and the group team-b.
    auto fresh = SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("fresh-server.sqlite")));
    QList<EntityWrite> now = seedEntities();
    now.removeAt(4);
    now.removeAt(1);
    QVERIFY(fresh.value()->applyLocation(writeOf(now)));
    MirrorBatch snapshot = feedBatch(*fresh.value(), 0);
    QCOMPARE(snapshot.changes.size(), 5);

    MirrorBatch firstHalf;
    firstHalf.changes = snapshot.changes.mid(0, 3);
    firstHalf.startRebuild = firstHalf.rebuilding = true;
    QVERIFY(mirror.value()->applyMirror(firstHalf));
    // Mid-rebuild: everything the old snapshot had is still there.
    QCOMPARE(mirror.value()->entityCount(), 7);
    QVERIFY(mirror.value()->entityByRef(QStringLiteral("component:default/payments")));

    MirrorBatch rest;
    rest.changes = snapshot.changes.mid(3);
    rest.rebuilding = rest.finishRebuild = true;
    auto report = mirror.value()->applyMirror(rest);
    QVERIFY(report);
    QCOMPARE(report->deleted, 2);
    QCOMPARE(answers(*mirror.value()), answers(*fresh.value()));
}


void TestSqliteCatalogStore::mirrorFetchesAnnouncedDocs()
{
    seed();
    const StoredEntity search = *m_store->entityByRef(QStringLiteral("component:default/search"));
    QVERIFY(m_store->putDocsSite(docsSite(search, "gardens")));
    auto mirror = SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("mirror-docs.sqlite")), SqliteCatalogStore::Memory::Desktop);
    QVERIFY(mirror);
    SqliteCatalogStore &cache = *mirror.value();

    // The feed announces the site; the mirror waits for it.
    QVERIFY(cache.applyMirror(feedBatch(*m_store, 0)));
    QCOMPARE(cache.pendingDocs().size(), 1);
    QCOMPARE(cache.pendingDocs().first().entityRef, search.ref);
    QVERIFY(!cache.docsSite(search.ref));
    // Fetched: stored byte for byte, with the server's etag, and no longer pending.
    DocsSiteWrite fetched;
    fetched.entityRef = search.ref;
    fetched.entityUid = search.uid;
    fetched.buildTimestamp = 1764000000000;
    fetched.files = m_store->docsFiles(search.ref);
    auto stored = cache.putDocsSite(fetched);
    QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));
    QCOMPARE(stored->etag, m_store->docsSite(search.ref)->etag);
    QVERIFY(cache.pendingDocs().isEmpty());
    QCOMPARE(cache.searchDocs(QStringLiteral("gardens"), 5)->size(), 1);
    // Announced again with the etag it has: nothing to fetch.
    QVERIFY(cache.applyMirror(feedBatch(*m_store, 0)));
    QVERIFY(cache.pendingDocs().isEmpty());

    // An unusable site is forgotten, the stored one stays.
    const qint64 cursor = m_store->lastSequence();
    QVERIFY(m_store->putDocsSite(docsSite(search, "orchards")));
    QVERIFY(cache.applyMirror(feedBatch(*m_store, cursor)));
    QCOMPARE(cache.pendingDocs().size(), 1);
    QVERIFY(cache.forgetPendingDocs(search.ref));
    QVERIFY(cache.pendingDocs().isEmpty());
    QCOMPARE(cache.searchDocs(QStringLiteral("gardens"), 5)->size(), 1);

    // The server's site goes: so does the mirror's.
    const qint64 beforeRemoval = m_store->lastSequence();
    QVERIFY(m_store->removeDocsSite(search.ref).value());
    QVERIFY(cache.applyMirror(feedBatch(*m_store, beforeRemoval)));
    QVERIFY(!cache.docsSite(search.ref));

    // A rebuild from a snapshot drops sites the snapshot does not announce.
    QVERIFY(cache.putDocsSite(fetched));
    MirrorBatch snapshot = feedBatch(*m_store, 0);
    snapshot.startRebuild = snapshot.rebuilding = snapshot.finishRebuild = true;
    QVERIFY(cache.applyMirror(snapshot));
    QVERIFY(!cache.docsSite(search.ref));
    QCOMPARE(cache.entityCount(), m_store->entityCount());
}

void TestSqliteCatalogStore::aDatabaseInMemoryHasNoReaders()
{
    // Another connection to ":memory:" would be another, empty database: none is given.
    auto memory = SqliteCatalogStore::open(QStringLiteral(":memory:"));
    QVERIFY(memory);
    auto reader = memory.value()->openReader();
    QVERIFY(reader);
    QVERIFY(!reader.value());
}

QTEST_GUILESS_MAIN(TestSqliteCatalogStore)
#include "tst_sqlitecatalogstore.moc"
