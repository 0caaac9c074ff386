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
    void docsSitesAreStoredSearchedAndFollowTheirEntity();
    void mirrorFetchesAnnouncedDocs();
    void tasksKeepTheirStateAndLog();

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

namespace {

DocsSiteWrite docsSite(const StoredEntity &entity, const QByteArray &homeText)
{
    const QByteArray index = R"({"config":{},"docs":[{"location":"","text":"Welcome )" + homeText
                             + R"(","title":"Welcome"},{"location":"setup/#install-it","text":"Run the frobnicator installer","title":"Install it"},)"
                               R"({"location":"setup/","text":"Setup page","title":"Setup"}]})";
    return {entity.ref, entity.uid, QStringLiteral("key-1"), 1764000000000,
            {{QStringLiteral("index.html"), "<h1>Welcome</h1>" + homeText},
             {QStringLiteral("setup/index.html"), "<h1>Setup</h1>"},
             {QStringLiteral("search/search_index.json"), index},
             {QStringLiteral("techdocs_metadata.json"), R"({"site_name":"Search"})"}}};
}

} // namespace

void TestSqliteCatalogStore::docsSitesAreStoredSearchedAndFollowTheirEntity()
{
    seed();
    const StoredEntity search = *m_store->entityByRef(QStringLiteral("component:default/search"));
    const qint64 before = m_store->lastSequence();
    auto written = m_store->putDocsSite(docsSite(search, "gardens"));
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QVERIFY(written->changed);
    QCOMPARE(written->sequence, before + 1);
    const QList<Change> changes = m_store->changesSince(before, 10, true);
    QCOMPARE(changes.size(), 1);
    QVERIFY(changes.first().docs);
    QCOMPARE(changes.first().ref, search.ref);
    QCOMPARE(changes.first().etag, written->etag);
    QVERIFY(changes.first().entityJson.isEmpty());

    QCOMPARE(m_store->docsFile(search.ref, QStringLiteral("index.html")).value(), QByteArray("<h1>Welcome</h1>gardens"));
    QVERIFY(!m_store->docsFile(search.ref, QStringLiteral("nope.html")));
    QCOMPARE(m_store->docsSite(search.ref)->metadata, QByteArray(R"({"site_name":"Search"})"));
    QCOMPARE(m_store->docsFiles(search.ref).size(), 4);

    // Sections are searchable, with their page's title and the matched words marked.
    auto hits = m_store->searchDocs(QStringLiteral("frobnic"), 10);
    QVERIFY(hits);
    QCOMPARE(hits->size(), 1);
    QCOMPARE(hits->first().location, QStringLiteral("setup/#install-it"));
    QCOMPARE(hits->first().title, QStringLiteral("Install it"));
    QCOMPARE(hits->first().pageTitle, QStringLiteral("Setup"));
    QVERIFY2(hits->first().snippet.contains(QStringLiteral("\u0001frobnicator\u0002")), qPrintable(hits->first().snippet));
    QCOMPARE(m_store->searchDocs(QStringLiteral("\"(*"), 10)->size(), 0);   // user text is never FTS syntax

    // The same files again: nothing to tell anyone.
    auto again = m_store->putDocsSite(docsSite(search, "gardens"));
    QVERIFY(again && !again->changed);
    QCOMPARE(m_store->lastSequence(), before + 1);
    // New files replace the old ones whole, search rows too.
    QVERIFY(m_store->putDocsSite(docsSite(search, "orchards"))->changed);
    QCOMPARE(m_store->searchDocs(QStringLiteral("gardens"), 10)->size(), 0);
    QCOMPARE(m_store->searchDocs(QStringLiteral("orchards"), 10)->size(), 1);
    // A site without its metadata file is refused, and the stored one stays.
    DocsSiteWrite bad = docsSite(search, "x");
    bad.files.removeLast();
    QVERIFY(!m_store->putDocsSite(bad));
    QCOMPARE(m_store->searchDocs(QStringLiteral("orchards"), 10)->size(), 1);

    // A server build for an entity that lost its docs (or never had them) stores nothing.
    const StoredEntity cart = *m_store->entityByRef(QStringLiteral("component:default/cart"));
    DocsSiteWrite undocumented = docsSite(cart, "carts");
    undocumented.onlyIfDocumented = true;
    auto skipped = m_store->putDocsSite(undocumented);
    QVERIFY(skipped && skipped->skipped);
    QVERIFY(!m_store->docsSite(cart.ref));

    // The entity goes: its site goes with it, in the same transaction, with a docs tombstone.
    QList<EntityWrite> rest = seedEntities();
    rest.removeIf([](const EntityWrite &e) { return e.ref == QLatin1String("component:default/search"); });
    const qint64 beforeDelete = m_store->lastSequence();
    QVERIFY(m_store->applyLocation(writeOf(rest)));
    QVERIFY(!m_store->docsSite(search.ref));
    QVERIFY(!m_store->docsFile(search.ref, QStringLiteral("index.html")));
    QCOMPARE(m_store->searchDocs(QStringLiteral("orchards"), 10)->size(), 0);
    QStringList kinds;
    for (const Change &change : m_store->changesSince(beforeDelete, 10))
        if (change.ref == search.ref)   // (its owner changes too: it lost a relation)
            kinds << (change.docs ? QStringLiteral("docs ") : QString()) + (change.type == Change::Type::Delete ? QStringLiteral("delete") : QStringLiteral("upsert"));
    QCOMPARE(kinds, (QStringList{QStringLiteral("delete"), QStringLiteral("docs delete")}));

    // Kept across a reopen of the file.
    QVERIFY(m_store->putDocsSite(docsSite(cart, "carts")));
    m_store.reset();
    m_store = openStore();
    QCOMPARE(m_store->docsFile(cart.ref, QStringLiteral("index.html")).value(), QByteArray("<h1>Welcome</h1>carts"));
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

void TestSqliteCatalogStore::tasksKeepTheirStateAndLog()
{
    const auto newTask = [this](const QString &id, const QString &createdBy, qint64 msecs) {
        TaskRecord task;
        task.id = id;
        task.status = QStringLiteral("open");
        task.createdBy = createdBy;
        task.createdAt = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
        task.spec = QJsonObject{{QStringLiteral("parameters"), QJsonObject{{QStringLiteral("name"), id}}}};
        QVERIFY(m_store->createTask(task));
    };
    newTask(QStringLiteral("a"), QStringLiteral("user:default/jane"), 1000);
    newTask(QStringLiteral("b"), QString(), 2000);
    newTask(QStringLiteral("c"), QStringLiteral("user:default/jane"), 3000);

    QCOMPARE(m_store->claimTask(QStringLiteral("a")).value(), true);
    QCOMPARE(m_store->claimTask(QStringLiteral("a")).value(), false);   // claimed once only
    QVERIFY(m_store->task(QStringLiteral("a"))->lastHeartbeatAt.isValid());
    const TaskEventRecord begin = m_store->appendTaskEvent(QStringLiteral("a"), QStringLiteral("log"),
                                                           {{QStringLiteral("message"), QStringLiteral("Beginning step Fetch")}}).value();
    const TaskEventRecord done = m_store->completeTask(QStringLiteral("a"), QStringLiteral("completed"),
                                                       {{QStringLiteral("message"), QStringLiteral("Run completed with status: completed")}}).value();
    QVERIFY(done.id > begin.id);
    QCOMPARE(m_store->task(QStringLiteral("a"))->status, QStringLiteral("completed"));
    QVERIFY(!m_store->completeTask(QStringLiteral("a"), QStringLiteral("running"), {}));   // not a final status

    // A cancelled task stays cancelled, whatever its worker reports after.
    QCOMPARE(m_store->markTask(QStringLiteral("b"), QStringLiteral("cancelled")).value(), true);
    QVERIFY(m_store->completeTask(QStringLiteral("b"), QStringLiteral("completed"), {}));
    QCOMPARE(m_store->task(QStringLiteral("b"))->status, QStringLiteral("cancelled"));
    QCOMPARE(m_store->markTask(QStringLiteral("b"), QStringLiteral("failed")).value(), false);
    QCOMPARE(m_store->unfinishedTasks().value(), QStringList{QStringLiteral("c")});

    int total = 0;
    TaskQuery query;
    query.createdBy = {QStringLiteral("user:default/jane")};
    QList<TaskRecord> listed = m_store->listTasks(query, &total).value();
    QCOMPARE(total, 2);
    QCOMPARE(listed.first().id, QStringLiteral("c"));   // newest first by default
    query = {};
    query.descending = false;
    query.limit = 1;
    query.offset = 1;
    listed = m_store->listTasks(query, &total).value();
    QCOMPARE(total, 3);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first().id, QStringLiteral("b"));
    QCOMPARE(listed.first().createdAt, QDateTime::fromMSecsSinceEpoch(2000, Qt::UTC));
    QCOMPARE(listed.first().spec[QLatin1String("parameters")][QLatin1String("name")].toString(), QStringLiteral("b"));
    query.orderField = QStringLiteral("spec; DROP TABLE tasks");
    QVERIFY(!m_store->listTasks(query, &total));

    // `after` answers the newer events and the completion again.
    QCOMPARE(m_store->taskEvents(QStringLiteral("a"), done.id).value().size(), 1);
    QCOMPARE(m_store->taskEvents(QStringLiteral("a"), begin.id - 1).value().size(), 2);
    // Retried: an ended task reopens, its completion goes, a recovered event comes.
    QCOMPARE(m_store->reopenTask(QStringLiteral("c"), {}).value(), false);   // still open
    QCOMPARE(m_store->reopenTask(QStringLiteral("a"), {{QStringLiteral("recoverStrategy"), QStringLiteral("none")}}).value(), true);
    QCOMPARE(m_store->task(QStringLiteral("a"))->status, QStringLiteral("open"));
    QList<TaskEventRecord> events = m_store->taskEvents(QStringLiteral("a"), std::nullopt).value();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).id, begin.id);
    QCOMPARE(events.at(1).type, QStringLiteral("recovered"));
    QVERIFY(events.at(1).id > done.id);   // ids are never reused
    // With startOver, only the last recovery and what followed it are answered.
    QVERIFY(m_store->completeTask(QStringLiteral("a"), QStringLiteral("failed"), {}));
    QVERIFY(m_store->reopenTask(QStringLiteral("a"), {{QStringLiteral("recoverStrategy"), QStringLiteral("startOver")}}).value());
    QVERIFY(m_store->taskEvents(QStringLiteral("a"), std::nullopt).value().isEmpty());
    QVERIFY(m_store->claimTask(QStringLiteral("a")).value());
    QVERIFY(m_store->appendTaskEvent(QStringLiteral("a"), QStringLiteral("log"), {{QStringLiteral("message"), QStringLiteral("again")}}));
    events = m_store->taskEvents(QStringLiteral("a"), std::nullopt).value();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).type, QStringLiteral("recovered"));
    QCOMPARE(events.at(1).body[QLatin1String("message")].toString(), QStringLiteral("again"));

    // All of it is in the file: another connection sees the same.
    auto other = openStore();
    QCOMPARE(other->task(QStringLiteral("b"))->status, QStringLiteral("cancelled"));
    QCOMPARE(other->taskEvents(QStringLiteral("a"), std::nullopt).value().size(), 2);
}

QTEST_GUILESS_MAIN(TestSqliteCatalogStore)
#include "tst_sqlitecatalogstore.moc"
