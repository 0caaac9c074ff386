// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The ServerStore interfaces' behaviour (catalog, docs sites, tasks), one suite for every store: CTest
// runs it once per backend (GREENROOM_TEST_STORE=sqlite or postgres; the
// PostgreSQL run starts a throwaway cluster of its own).
#include <store/postgrescatalogstore.h>
#include <store/sqlitecatalogstore.h>

#include "pgcluster.h"
#include "storetestdata.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Store;
using namespace Greenroom::Tests::StoreData;

class TestCatalogStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void roundTripByRefAndUid();
    void changeRowsOnlyOnRealChange();
    void vanishedEntitiesBecomeTombstones();
    void relationsAppearOnBothEnds();
    void conflictingOriginIsIgnored();
    void failureKeepsLastGoodVersionWithStatus();
    void keptParentKeepsItsChildren();
    void aWriteOfOneFileLeavesTheOthersAlone();
    void filters_data();
    void filters();
    void predicates_data();
    void predicates();
    void orderingAndOffsetPaging();
    void keysetPagingWalksEverythingOnce();
    void kindByNameMatchesTheGenericPath();
    void fullTextFilter();
    void facets();
    void kindFacetsMatchTheGenericPath();
    void facetsOfKeysWithManyValues();
    void ftsSearch();
    void entitiesByRefsKeepsOrderAndNulls();
    void removeByUid();
    void reopenKeepsDataAndRefusesNewerSchema();
    void registeredLocationsKeepOrderAndRefuseDuplicates();
    void unregisteringDeletesWhatTheLocationProduced();
    void orphansAreMarkedOnceWhenKept();
    void prunedTombstonesMoveTheHorizon();
    void scopedReaderSeesOthersAsUidTombstones();
    void docsSitesAreStoredSearchedAndFollowTheirEntity();
    void tasksKeepTheirStateAndLog();
    void authStateKeepsKeysAndSessionsOnce();
    void leasesGoToOneHolderUntilTheyEnd();
    void countsAndFacetsFollowWritesOfOtherConnections();
    void aNulCharacterInAFieldIsStoredNotCutShort();
    void readersOnOtherThreadsSeeEveryCommit();

private:
    Result<std::unique_ptr<ServerStore>> tryOpen();
    std::unique_ptr<ServerStore> openStore();
    // Makes the database look written by a newer Greenroom.
    void markNewerSchema();
    void seed();
    bool m_postgres = false;
    Tests::PgCluster *m_cluster = nullptr;
    QTemporaryDir m_dir;
    QString m_path;       // SQLite: the file
    QString m_database;   // PostgreSQL: the database
    int m_databases = 0;
    std::unique_ptr<ServerStore> m_store;
};

void TestCatalogStore::initTestCase()
{
    const QString backend = qEnvironmentVariable("GREENROOM_TEST_STORE", QStringLiteral("sqlite"));
    QVERIFY2(backend == QLatin1String("sqlite") || backend == QLatin1String("postgres"), qPrintable(backend));
    m_postgres = backend == QLatin1String("postgres");
    qInfo("store: %s", qPrintable(backend));
    if (m_postgres) {
        QString error;
        m_cluster = Tests::PgCluster::shared(&error);
        QVERIFY2(m_cluster, qPrintable(error));
    }
}

Result<std::unique_ptr<ServerStore>> TestCatalogStore::tryOpen()
{
    if (m_postgres) {
        auto store = PostgresCatalogStore::open(m_cluster->conninfo(m_database));
        if (!store)
            return store.error();
        return std::unique_ptr<ServerStore>(std::move(store).value());
    }
    auto store = SqliteCatalogStore::open(m_path);
    if (!store)
        return store.error();
    return std::unique_ptr<ServerStore>(std::move(store).value());
}

std::unique_ptr<ServerStore> TestCatalogStore::openStore()
{
    auto store = tryOpen();
    if (!store)
        qFatal("%s", qPrintable(store.error().message));
    return std::move(store).value();
}

void TestCatalogStore::init()
{
    QStandardPaths::setTestModeEnabled(true);
    m_store.reset();
    if (m_postgres) {
        m_database = QStringLiteral("t%1_%2").arg(++m_databases).arg(QString::fromLatin1(QTest::currentTestFunction()).toLower());
        const QString failed = m_cluster->createDatabase(m_database);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
    } else {
        m_path = m_dir.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction()));
        QFile::remove(m_path);
    }
    m_store = openStore();
}

void TestCatalogStore::markNewerSchema()
{
    if (m_postgres) {
        const QString failed = m_cluster->psql(m_database, QStringLiteral("INSERT INTO greenroom_schema VALUES (%1)").arg(PostgresCatalogStore::schemaVersion() + 1));
        QVERIFY2(failed.startsWith(QLatin1String("INSERT")) || failed.isEmpty(), qPrintable(failed));
        return;
    }
    // SQLite keeps its version in the file's user_version.
    auto store = SqliteCatalogStore::open(m_path);
    QVERIFY(store);
    store.value().reset();
    QProcess sqlite;
    sqlite.start(QStringLiteral("sqlite3"), {m_path, QStringLiteral("PRAGMA user_version = %1").arg(SqliteCatalogStore::schemaVersion() + 1)});
    QVERIFY(sqlite.waitForFinished() && sqlite.exitCode() == 0);
}

void TestCatalogStore::seed()
{
    auto report = m_store->applyLocation(writeOf(seedEntities()));
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->inserted, 7);
}

void TestCatalogStore::roundTripByRefAndUid()
{
    seed();
    const auto cart = m_store->entityByRef(QStringLiteral("Component:Default/CART"));
    QVERIFY(cart);
    QCOMPARE(cart->ref, QStringLiteral("component:default/cart"));
    QCOMPARE(cart->entity[QStringLiteral("metadata")][QStringLiteral("title")].toString(), QStringLiteral("Shopping Cart"));
    QCOMPARE(cart->entity[QStringLiteral("metadata")][QStringLiteral("uid")].toString(), cart->uid);
    QCOMPARE(cart->entity[QStringLiteral("metadata")][QStringLiteral("etag")].toString(), cart->etag);
    QCOMPARE(cart->etag.size(), 40);
    const auto byUid = m_store->entityByUid(cart->uid);
    QVERIFY(byUid);
    QCOMPARE(byUid->entity, cart->entity);
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/nope")));
    // Case of the body is kept; identity is lower case.
    QCOMPARE(m_store->entityByRef(QStringLiteral("component:default/payments"))->entity[QStringLiteral("metadata")]
                 [QStringLiteral("name")].toString(), QStringLiteral("Payments"));
}

void TestCatalogStore::changeRowsOnlyOnRealChange()
{
    seed();
    const qint64 before = m_store->lastSequence();
    const QString uid = m_store->entityByRef(QStringLiteral("component:default/cart"))->uid;
    QCOMPARE(m_store->changesSince(0, 1000).size(), 7);

    // The same write again: nothing changes, no change rows.
    LocationWrite again = writeOf(seedEntities());
    auto report = m_store->applyLocation(again);
    QVERIFY(report);
    QCOMPARE(report->unchanged, 7);
    QCOMPARE(m_store->lastSequence(), before);

    // Change one entity's owner: it changes, and so do both groups (ownerOf moves).
    again.entities[3] = entity("Component", "cart", component("team-b", "production", "shop"));
    again.entities[3].locationKey = Origin;
    report = m_store->applyLocation(again);
    QVERIFY(report);
    QCOMPARE(report->updated, 1);
    QCOMPARE(report->restitched, 2);
    const QList<Change> changes = m_store->changesSince(before, 100);
    QStringList changed;
    for (const Change &c : changes)
        changed << c.ref;
    changed.sort();
    QCOMPARE(changed, (QStringList{QStringLiteral("component:default/cart"), QStringLiteral("group:default/team-a"),
                                   QStringLiteral("group:default/team-b")}));
    // uid is stable across updates; the sequence holds each entity once.
    QCOMPARE(m_store->entityByRef(QStringLiteral("component:default/cart"))->uid, uid);
    QCOMPARE(m_store->changesSince(0, 1000).size(), 7);
}

void TestCatalogStore::vanishedEntitiesBecomeTombstones()
{
    seed();
    const QString uid = m_store->entityByRef(QStringLiteral("component:default/search"))->uid;
    const qint64 before = m_store->lastSequence();
    auto report = m_store->applyLocation(writeOf({entity("Group", "team-a", group()), entity("Group", "team-b", group())}));
    QVERIFY(report);
    QCOMPARE(report->deleted, 5);
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/search")));
    bool sawTombstone = false;
    for (const Change &c : m_store->changesSince(before, 100)) {
        if (c.ref == QLatin1String("component:default/search")) {
            QCOMPARE(c.type, Change::Type::Delete);
            QCOMPARE(c.uid, uid);
            sawTombstone = true;
        }
    }
    QVERIFY(sawTombstone);
    // Groups lost their ownerOf relations, so they changed too.
    QVERIFY(m_store->entityByRef(QStringLiteral("group:default/team-a"))->entity[QStringLiteral("relations")].toArray().isEmpty());
    auto all = m_store->queryEntities({});
    QCOMPARE(all->items.size(), 2);
}

void TestCatalogStore::relationsAppearOnBothEnds()
{
    // The owner does not exist yet: the relation is kept, dangling.
    QVERIFY(m_store->applyLocation(writeOf({entity("Component", "cart", component("team-a"))})));
    QCOMPARE(m_store->entityByRef(QStringLiteral("component:default/cart"))->entity[QStringLiteral("relations")],
             QJsonValue(QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("ownedBy")},
                                               {QStringLiteral("targetRef"), QStringLiteral("group:default/team-a")}}}));
    // The group arrives from another location: it shows the reverse relation at once.
    auto report = m_store->applyLocation(writeOf({entity("Group", "team-a", group())}, QStringLiteral("file:/org/groups.yaml")));
    QVERIFY(report);
    const QJsonArray relations = m_store->entityByRef(QStringLiteral("group:default/team-a"))->entity[QStringLiteral("relations")].toArray();
    QCOMPARE(relations.size(), 1);
    QCOMPARE(relations[0][QStringLiteral("type")].toString(), QStringLiteral("ownerOf"));
    QCOMPARE(relations[0][QStringLiteral("targetRef")].toString(), QStringLiteral("component:default/cart"));
}

void TestCatalogStore::conflictingOriginIsIgnored()
{
    QVERIFY(m_store->applyLocation(writeOf({entity("Component", "cart", component("team-a"))})));
    auto report = m_store->applyLocation(
        writeOf({entity("Component", "cart", component("team-b"))}, QStringLiteral("file:/other/catalog-info.yaml")));
    QVERIFY(report);
    QCOMPARE(report->inserted, 0);
    QCOMPARE(report->conflicts.size(), 1);
    QVERIFY(report->conflicts.first().message.contains(QStringLiteral("conflicting entityRef component:default/cart")));
    QCOMPARE(m_store->entityByRef(QStringLiteral("component:default/cart"))->entity[QStringLiteral("spec")]
                 [QStringLiteral("owner")].toString(), QStringLiteral("team-a"));
    QCOMPARE(m_store->processingErrors(QStringLiteral("file:/other/catalog-info.yaml")).size(), 1);
}

void TestCatalogStore::failureKeepsLastGoodVersionWithStatus()
{
    seed();
    const StoredEntity before = *m_store->entityByRef(QStringLiteral("component:default/cart"));
    LocationWrite write = writeOf({entity("Group", "team-a", group())});
    write.failures.append({QStringLiteral("component:default/cart"),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("backstage.io/catalog-processing")},
                                       {QStringLiteral("level"), QStringLiteral("error")},
                                       {QStringLiteral("message"), QStringLiteral("InputError: broken")}}});
    QVERIFY(m_store->applyLocation(write));
    const auto after = m_store->entityByRef(QStringLiteral("component:default/cart"));
    QVERIFY(after);
    QCOMPARE(after->entity[QStringLiteral("spec")], before.entity[QStringLiteral("spec")]);
    QCOMPARE(after->entity[QStringLiteral("status")][QStringLiteral("items")][0][QStringLiteral("message")].toString(),
             QStringLiteral("InputError: broken"));
    QVERIFY(after->etag != before.etag);
}

void TestCatalogStore::keptParentKeepsItsChildren()
{
    EntityWrite location = entity("Location", "more", {{QStringLiteral("target"), QStringLiteral("./x.yaml")}});
    EntityWrite child = entity("Component", "child", component("team-a"));
    child.parentRef = location.ref;
    EntityWrite grandchild = entity("Component", "grandchild", component("team-a"));
    grandchild.parentRef = child.ref;
    QVERIFY(m_store->applyLocation(writeOf({location, child, grandchild})));
    LocationWrite failed = writeOf({location});
    failed.keptParents.insert(location.ref);
    auto report = m_store->applyLocation(failed);
    QVERIFY(report);
    QCOMPARE(report->deleted, 0);
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/grandchild")));
}

void TestCatalogStore::aWriteOfOneFileLeavesTheOthersAlone()
{
    const QString fileA = QStringLiteral("file:/org/a.yaml");
    const QString fileB = QStringLiteral("file:/org/b.yaml");
    // writeOf gives each entity the origin's key; these say which file each came from.
    const auto fromFiles = [](LocationWrite write, const QStringList &files) {
        for (qsizetype i = 0; i < files.size(); ++i)
            write.entities[i].locationKey = files.at(i);
        return write;
    };
    const auto problem = [](const QString &file, const QString &message) {
        ProcessingErrorRecord e;
        e.originKey = Origin;
        e.locationKey = file;
        e.file = file.mid(5);
        e.name = QStringLiteral("InputError");
        e.message = message;
        return e;
    };
    LocationWrite whole = fromFiles(writeOf({entity("Group", "team-a", group()), entity("Group", "team-b", group()),
                                             entity("Component", "cart", component("team-a")),
                                             entity("Component", "payments", component("team-a")),
                                             entity("Component", "search", component("team-b"))}),
                                    {fileB, fileB, fileA, fileA, fileB});
    whole.errors = {problem(fileA, QStringLiteral("old problem in a")), problem(fileB, QStringLiteral("problem in b"))};
    QVERIFY(m_store->applyLocation(whole));
    const StoredEntity searchBefore = *m_store->entityByRef(QStringLiteral("component:default/search"));

    // a.yaml read again: cart changed, payments gone, checkout new, and a
    // second "search" that b.yaml holds already.
    LocationWrite one = fromFiles(writeOf({entity("Component", "cart", component("team-b")),
                                           entity("Component", "checkout", component("team-a")),
                                           entity("Component", "search", component("team-a"))}),
                                  {fileA, fileA, fileA});
    one.onlyLocationKeys = {fileA};
    one.errors = {problem(fileA, QStringLiteral("new problem in a"))};
    auto report = m_store->applyLocation(one);
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->updated, 1);
    QCOMPARE(report->inserted, 1);
    QCOMPARE(report->deleted, 1);
    QCOMPARE(report->conflicts.size(), 1);
    QVERIFY(report->conflicts.first().message.contains(fileB));
    QCOMPARE(m_store->entityByRef(QStringLiteral("component:default/cart"))->entity[QStringLiteral("spec")][QStringLiteral("owner")]
                 .toString(), QStringLiteral("team-b"));
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/checkout")));
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/payments")));
    // b.yaml's entities and problems are as they were.
    const StoredEntity searchAfter = *m_store->entityByRef(QStringLiteral("component:default/search"));
    QCOMPARE(searchAfter.locationKey, fileB);
    QCOMPARE(searchAfter.entity[QStringLiteral("spec")], searchBefore.entity[QStringLiteral("spec")]);
    QVERIFY(m_store->entityByRef(QStringLiteral("group:default/team-a")));
    QStringList messages;
    for (const ProcessingErrorRecord &e : m_store->processingErrors(Origin))
        messages << e.message;
    messages.sort();
    QCOMPARE(messages.size(), 3);
    QVERIFY(messages.contains(QStringLiteral("new problem in a")));
    QVERIFY(messages.contains(QStringLiteral("problem in b")));
    QVERIFY(!messages.contains(QStringLiteral("old problem in a")));
}

void TestCatalogStore::filters_data()
{
    QTest::addColumn<QStringList>("filter");
    QTest::addColumn<QStringList>("expected");
    const auto list = [](std::initializer_list<const char *> items) {
        QStringList out;
        for (const char *i : items)
            out << QString::fromUtf8(i);
        return out;
    };
    QTest::newRow("kind, case-insensitive") << list({"KIND=component"})
        << list({"component:default/cart", "component:default/payments", "component:default/search"});
    QTest::newRow("AND within one filter") << list({"kind=component,spec.lifecycle=production"})
        << list({"component:default/cart", "component:default/search"});
    QTest::newRow("same key is OR") << list({"kind=group,kind=system"})
        << list({"group:default/team-a", "group:default/team-b", "system:default/shop"});
    QTest::newRow("separate filters are OR") << list({"kind=api", "metadata.name=shop"})
        << list({"api:default/cart-api", "system:default/shop"});
    QTest::newRow("exists") << list({"metadata.annotations.backstage.io/techdocs-ref"}) << list({"component:default/search"});
    QTest::newRow("object key does not exist as a leaf") << list({"metadata.tags.java"}) << list({"component:default/cart"});
    QTest::newRow("array item value") << list({"metadata.tags=web"}) << list({"component:default/cart"});
    QTest::newRow("relations need full refs") << list({"relations.ownedBy=group:default/team-b"})
        << list({"component:default/payments", "component:default/search"});
    QTest::newRow("spec.owner is the text as written") << list({"spec.owner=group:default/team-b"}) << list({});
    QTest::newRow("value case kept in name, matched without case") << list({"metadata.name=PAYMENTS"})
        << list({"component:default/payments"});
    QTest::newRow("leaf-only: objects do not exist") << list({"metadata.annotations"}) << list({});
}

void TestCatalogStore::filters()
{
    QFETCH(QStringList, filter);
    QFETCH(QStringList, expected);
    seed();
    EntityQuery query;
    query.filter = *Model::EntityFilter::parse(filter);
    query.countTotal = true;
    auto page = m_store->queryEntities(query);
    QVERIFY2(page, page ? "" : qPrintable(page.error().message));
    QStringList found = refs(*page);
    found.sort();   // unordered queries come back in uid order
    QCOMPARE(found, expected);
    QCOMPARE(page->totalItems, expected.size());
}

void TestCatalogStore::predicates_data()
{
    QTest::addColumn<QByteArray>("predicate");
    QTest::addColumn<QStringList>("expected");
    const auto list = [](std::initializer_list<const char *> items) {
        QStringList out;
        for (const char *item : items)
            out << QString::fromUtf8(item);
        return out;
    };
    QTest::newRow("field map is AND") << QByteArray(R"({"kind": "Component", "spec.lifecycle": "production"})")
        << list({"component:default/cart", "component:default/search"});
    QTest::newRow("$not") << QByteArray(R"({"$all": [{"kind": "component"}, {"$not": {"spec.lifecycle": "production"}}]})")
        << list({"component:default/payments"});
    QTest::newRow("$hasPrefix, case-insensitive") << QByteArray(R"({"metadata.name": {"$hasPrefix": "CART"}})")
        << list({"api:default/cart-api", "component:default/cart"});
    QTest::newRow("$hasPrefix treats % and _ literally") << QByteArray(R"({"metadata.name": {"$hasPrefix": "%"}})") << list({});
    QTest::newRow("$exists false") << QByteArray(R"({"kind": "component", "metadata.title": {"$exists": false}})")
        << list({"component:default/payments", "component:default/search"});
    QTest::newRow("$in mixes with $any") << QByteArray(R"({"$any": [{"kind": {"$in": ["group", "system"]}}, {"metadata.tags": {"$contains": "go"}}]})")
        << list({"component:default/payments", "group:default/team-a", "group:default/team-b", "system:default/shop"});
    QTest::newRow("relations $contains with type and target") << QByteArray(R"({"relations": {"$contains": {"type": "ownedBy", "targetRef": "group:default/team-b"}}})")
        << list({"component:default/payments", "component:default/search"});
    QTest::newRow("relations $contains with $in targets") << QByteArray(R"({"kind": "component", "relations": {"$contains": {"type": "OWNEDBY", "targetRef": {"$in": ["group:default/team-a"]}}}})")
        << list({"component:default/cart"});
    QTest::newRow("relations $contains with a type only") << QByteArray(R"({"relations": {"$contains": {"type": "partOf"}}})")
        << list({"component:default/cart"});
    QTest::newRow("empty $any matches nothing") << QByteArray(R"({"$any": []})") << list({});
    QTest::newRow("empty $all matches everything, $not of it nothing") << QByteArray(R"({"$not": {"$all": []}})") << list({});
    QTest::newRow("unknown key") << QByteArray(R"({"spec.nothing": {"$exists": false}, "kind": "api"})") << list({"api:default/cart-api"});
    QTest::newRow("numbers and booleans compare as text") << QByteArray(R"({"metadata.name": {"$in": [1, true, "search"]}})")
        << list({"component:default/search"});
}

void TestCatalogStore::predicates()
{
    QFETCH(QByteArray, predicate);
    QFETCH(QStringList, expected);
    seed();
    auto parsed = Model::EntityPredicate::fromJson(QJsonDocument::fromJson(predicate).object());
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
    EntityQuery query;
    query.filter = Model::EntityFilter::fromPredicate(parsed.value());
    query.countTotal = true;
    auto page = m_store->queryEntities(query);
    QVERIFY2(page, page ? "" : qPrintable(page.error().message));
    QStringList found = refs(*page);
    found.sort();
    QCOMPARE(found, expected);
    QCOMPARE(page->totalItems, expected.size());
    // The same answer whether the predicate went the planner's way or not.
    EntityQuery unplanned = query;
    unplanned.filter = Model::EntityFilter();
    unplanned.filter.predicates.push_back(parsed.value());
    QStringList again = refs(*m_store->queryEntities(unplanned));
    again.sort();
    QCOMPARE(again, expected);
    auto facets = m_store->facets({QStringLiteral("kind")}, query.filter);
    qint64 counted = 0;
    for (const FacetCount &count : facets->first().second)
        counted += count.count;
    QCOMPARE(counted, expected.size());
}

void TestCatalogStore::orderingAndOffsetPaging()
{
    seed();
    EntityQuery query;
    query.filter = *Model::EntityFilter::parse({QStringLiteral("kind=component")});
    query.order = {{QStringLiteral("metadata.name"), true}};
    auto page = m_store->queryEntities(query);
    QCOMPARE(refs(*page), (QStringList{QStringLiteral("component:default/search"), QStringLiteral("component:default/payments"),
                                       QStringLiteral("component:default/cart")}));
    // Entities without the order field are dropped, or kept last.
    query.order = {{QStringLiteral("metadata.title"), false}};
    QCOMPARE(refs(*m_store->queryEntities(query)), QStringList{QStringLiteral("component:default/cart")});
    query.keepEntitiesWithoutOrderValue = true;
    QCOMPARE(m_store->queryEntities(query)->items.size(), 3);
    QCOMPARE(m_store->queryEntities(query)->items.first().ref, QStringLiteral("component:default/cart"));
    // Offset/limit over the default order: by uid, as upstream's is by entity id.
    auto all = m_store->queryEntities(EntityQuery());
    QStringList uids;
    for (const StoredEntity &e : all->items)
        uids << e.uid;
    QStringList sortedUids = uids;
    sortedUids.sort();
    QCOMPARE(uids, sortedUids);
    EntityQuery paged;
    paged.limit = 3;
    paged.offset = 2;
    auto second = m_store->queryEntities(paged);
    QCOMPARE(refs(*second), refs(*all).mid(2, 3));
    QVERIFY(second->hasMore);
    paged.offset = 6;
    QVERIFY(!m_store->queryEntities(paged)->hasMore);
}

void TestCatalogStore::keysetPagingWalksEverythingOnce()
{
    seed();
    for (bool descending : {false, true}) {
        EntityQuery query;
        query.order = {{QStringLiteral("metadata.name"), descending}};
        query.limit = 2;
        QStringList walked;
        QList<QStringList> keys;
        for (int guard = 0; guard < 10; ++guard) {
            auto page = m_store->queryEntities(query);
            QVERIFY(page);
            walked += refs(*page);
            keys.append(page->firstKey);
            if (!page->hasMore)
                break;
            query.after = page->lastKey;
        }
        QCOMPARE(walked.size(), 7);
        QCOMPARE(QSet<QString>(walked.begin(), walked.end()).size(), 7);
        // And backwards from the last page's first row gives the page before it.
        EntityQuery back = query;
        back.after = keys.last();
        back.backwards = true;
        auto previous = m_store->queryEntities(back);
        QCOMPARE(refs(*previous), walked.mid(walked.size() - 1 - 2, 2));
    }
}

void TestCatalogStore::kindByNameMatchesTheGenericPath()
{
    seed();
    // One kind, ordered by name: the entities_kind_name index path. The same
    // filter written as two OR-ed copies takes the generic search-row path.
    for (bool descending : {false, true}) {
        EntityQuery fast;
        fast.filter = *Model::EntityFilter::parse({QStringLiteral("kind=component,spec.lifecycle=production")});
        fast.order = {{QStringLiteral("metadata.name"), descending}};
        fast.limit = 1;
        EntityQuery generic = fast;
        generic.filter = *Model::EntityFilter::parse({QStringLiteral("kind=component,spec.lifecycle=production"),
                                                      QStringLiteral("kind=component,spec.lifecycle=production")});
        QStringList fastWalk, genericWalk;
        for (EntityQuery *query : {&fast, &generic}) {
            QStringList &walk = query == &fast ? fastWalk : genericWalk;
            for (int guard = 0; guard < 5; ++guard) {
                auto page = m_store->queryEntities(*query);
                QVERIFY(page);
                walk += refs(*page);
                walk += page->lastKey.join(QLatin1Char('|'));
                if (!page->hasMore)
                    break;
                query->after = page->lastKey;
            }
        }
        QCOMPARE(fastWalk, genericWalk);
        QCOMPARE(fastWalk.size(), 4);   // two entities, one per page, each with its key
    }
}

void TestCatalogStore::fullTextFilter()
{
    seed();
    EntityQuery query;
    query.fullText = {QStringLiteral(" BASKET "), {QStringLiteral("metadata.description"), QStringLiteral("metadata.name")}};
    QCOMPARE(refs(*m_store->queryEntities(query)), QStringList{QStringLiteral("component:default/cart")});
    query.fullText = {QStringLiteral("%"), {QStringLiteral("metadata.name")}};
    QVERIFY(m_store->queryEntities(query)->items.isEmpty());   // % is literal
}

void TestCatalogStore::facets()
{
    seed();
    auto all = m_store->facets({QStringLiteral("kind"), QStringLiteral("Metadata.Tags"), QStringLiteral("spec.nothing")}, {});
    QVERIFY(all);
    QCOMPARE(all->size(), 3);
    QCOMPARE(all->at(0).first, QStringLiteral("kind"));
    QStringList kinds;
    for (const FacetCount &c : all->at(0).second)
        kinds << c.value + QLatin1Char('=') + QString::number(c.count);
    QCOMPARE(kinds, (QStringList{QStringLiteral("API=1"), QStringLiteral("Component=3"), QStringLiteral("Group=2"),
                                 QStringLiteral("System=1")}));
    QCOMPARE(all->at(1).first, QStringLiteral("Metadata.Tags"));   // key as requested
    QCOMPARE(all->at(1).second.size(), 3);
    QVERIFY(all->at(2).second.isEmpty());

    auto filtered = m_store->facets({QStringLiteral("spec.lifecycle")},
                                    *Model::EntityFilter::parse({QStringLiteral("spec.owner=team-b")}));
    QVERIFY(filtered);
    QCOMPARE(filtered->at(0).second.size(), 2);
    QCOMPARE(filtered->at(0).second.at(0).value, QStringLiteral("experimental"));
    QCOMPARE(filtered->at(0).second.at(0).count, 1);

    // Counts follow deletions.
    QVERIFY(m_store->applyLocation(writeOf({entity("Group", "team-a", group())})));
    auto after = m_store->facets({QStringLiteral("kind")}, {});
    QCOMPARE(after->at(0).second.size(), 1);
    QCOMPARE(after->at(0).second.at(0).count, 1);
}

void TestCatalogStore::kindFacetsMatchTheGenericPath()
{
    seed();
    const auto render = [&](const QStringList &filter) {
        auto facets = m_store->facets({QStringLiteral("spec.lifecycle"), QStringLiteral("metadata.tags")},
                                      *Model::EntityFilter::parse(filter));
        QStringList out;
        for (const auto &[key, counts] : *facets) {
            for (const FacetCount &c : counts)
                out << key + QLatin1Char(':') + c.value + QLatin1Char('=') + QString::number(c.count);
        }
        return out;
    };
    // kind-only: read from the per-kind counters; the OR-ed copy scans instead.
    const QStringList counters = render({QStringLiteral("kind=Component")});
    QCOMPARE(counters, render({QStringLiteral("kind=component"), QStringLiteral("kind=component")}));
    QCOMPARE(counters, (QStringList{QStringLiteral("spec.lifecycle:experimental=1"), QStringLiteral("spec.lifecycle:production=2"),
                                    QStringLiteral("metadata.tags:go=1"), QStringLiteral("metadata.tags:java=1"),
                                    QStringLiteral("metadata.tags:web=1")}));
    QCOMPARE(render({QStringLiteral("kind=api")}), QStringList{QStringLiteral("spec.lifecycle:production=1")});
    // The counters follow changes.
    QVERIFY(m_store->applyLocation(writeOf({entity("Component", "cart", component("team-a", "experimental"))})));
    QCOMPARE(render({QStringLiteral("kind=component")}), QStringList{QStringLiteral("spec.lifecycle:experimental=1")});
    QCOMPARE(render({QStringLiteral("kind=component")}), render({QStringLiteral("kind=component"), QStringLiteral("kind=component")}));
}

void TestCatalogStore::facetsOfKeysWithManyValues()
{
    // Past 1,000 distinct values a key loses its counters and is counted from
    // the search rows; both ways must give the same answers, whether the limit
    // is crossed across writes (spec.lifecycle here) or within one (spec.type).
    const auto components = [](int from, int to, const QString &origin) {
        QList<EntityWrite> entities;
        for (int i = from; i < to; ++i) {
            QJsonObject spec = component("team-a", qPrintable(QStringLiteral("stage-%1").arg(i)));
            spec.insert(QStringLiteral("type"), QStringLiteral("type-%1").arg(i < 600 ? 0 : i));
            entities.append(entity("Component", qPrintable(QStringLiteral("c%1").arg(i)), spec));
        }
        return writeOf(entities, origin);
    };
    const auto facet = [&](const char *key, const QStringList &filter) {
        auto facets = m_store->facets({QString::fromLatin1(key)}, *Model::EntityFilter::parse(filter));
        QHash<QString, qint64> counts;
        for (const FacetCount &c : facets->at(0).second)
            counts.insert(c.value, c.count);
        return counts;
    };
    const QString first = QStringLiteral("file:/a.yaml"), second = QStringLiteral("file:/b.yaml");
    QVERIFY(m_store->applyLocation(components(0, 600, first)));
    QCOMPARE(facet("spec.lifecycle", {}).size(), 600);
    QCOMPARE(facet("spec.type", {}).value(QStringLiteral("type-0")), 600);
    QVERIFY(m_store->applyLocation(components(600, 1300, second)));
    QHash<QString, qint64> all = facet("spec.lifecycle", {});
    QCOMPARE(all.size(), 1300);
    QCOMPARE(all.value(QStringLiteral("stage-1299")), 1);
    QCOMPARE(facet("spec.lifecycle", {QStringLiteral("kind=component")}), all);
    // Removing the second location brings the values back under the limit;
    // the answers still follow.
    QVERIFY(m_store->applyLocation(writeOf({}, second)));
    QCOMPARE(facet("spec.lifecycle", {}).size(), 600);
    QCOMPARE(facet("spec.lifecycle", {QStringLiteral("kind=component")}).size(), 600);
    QCOMPARE(facet("spec.type", {}).size(), 1);

    // 6,000 new spec.type values in a single (bulk-sized) write.
    QVERIFY(m_store->applyLocation(components(2000, 8000, second)));
    all = facet("spec.type", {QStringLiteral("kind=component")});
    QCOMPARE(all.size(), 6001);
    QCOMPARE(all.value(QStringLiteral("type-7999")), 1);
    QCOMPARE(all.value(QStringLiteral("type-0")), 600);
    QCOMPARE(facet("spec.type", {}), all);
}

void TestCatalogStore::ftsSearch()
{
    seed();
    auto hits = m_store->search(QStringLiteral("shop"), 10);
    QVERIFY(hits);
    QVERIFY(!hits->isEmpty());
    QCOMPARE(hits->first().entity.ref, QStringLiteral("system:default/shop"));
    // Prefix matching and FTS syntax in user text is harmless.
    QCOMPARE(m_store->search(QStringLiteral("bask"), 10)->first().entity.ref, QStringLiteral("component:default/cart"));
    QVERIFY(m_store->search(QStringLiteral("\"unbalanced AND OR NEAR("), 10));
    QVERIFY(m_store->search(QString(), 10)->isEmpty());
}

void TestCatalogStore::entitiesByRefsKeepsOrderAndNulls()
{
    seed();
    const QStringList wanted{QStringLiteral("group:default/team-b"), QStringLiteral("component:default/nope"),
                             QStringLiteral("COMPONENT:default/cart"), QStringLiteral("cart"),
                             QStringLiteral("group:default/team-b")};
    auto result = m_store->entitiesByRefs(wanted, {});
    QVERIFY(result);
    QCOMPARE(result->size(), 5);
    // Compared as given, as Backstage 1.55 does: another case or a missing namespace finds nothing.
    QVERIFY(result->at(0) && !result->at(1) && !result->at(2) && !result->at(3) && result->at(4));
    const QStringList lower{QStringLiteral("group:default/team-b"), QStringLiteral("component:default/cart")};
    auto filtered = m_store->entitiesByRefs(lower, *Model::EntityFilter::parse({QStringLiteral("kind=component")}));
    QVERIFY(!filtered->at(0) && filtered->at(1));
}

void TestCatalogStore::removeByUid()
{
    seed();
    const QString uid = m_store->entityByRef(QStringLiteral("component:default/cart"))->uid;
    QVERIFY(m_store->removeEntityByUid(uid));
    QVERIFY(!m_store->entityByUid(uid));
    QVERIFY(m_store->removeEntityByUid(QStringLiteral("no-such-uid")));
    // team-a no longer owns cart.
    const QJsonArray relations = m_store->entityByRef(QStringLiteral("group:default/team-a"))->entity[QStringLiteral("relations")].toArray();
    for (const QJsonValue &r : relations)
        QVERIFY(r[QStringLiteral("targetRef")].toString() != QLatin1String("component:default/cart"));
}

void TestCatalogStore::reopenKeepsDataAndRefusesNewerSchema()
{
    seed();
    m_store.reset();
    m_store = openStore();
    QCOMPARE(m_store->entityCount(), 7);
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/cart")));
    m_store.reset();

    markNewerSchema();
    auto refused = tryOpen();
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QStringLiteral("written by a newer Greenroom")), qPrintable(refused.error().message));
    if (!m_postgres)
        QVERIFY(refused.error().message.contains(m_path));
}

void TestCatalogStore::registeredLocationsKeepOrderAndRefuseDuplicates()
{
    auto first = m_store->registerLocation(QStringLiteral("url"), QStringLiteral("https://example.com/b.yaml"), QStringLiteral("location:default/b"));
    auto second = m_store->registerLocation(QStringLiteral("url"), QStringLiteral("https://example.com/a.yaml"), QStringLiteral("location:default/a"));
    QVERIFY(first && second);
    QVERIFY(first->id != second->id);
    auto again = m_store->registerLocation(QStringLiteral("url"), QStringLiteral("https://example.com/b.yaml"), QStringLiteral("location:default/b"));
    QVERIFY(!again);
    QCOMPARE(again.error().name, QStringLiteral("ConflictError"));
    QCOMPARE(again.error().message, QStringLiteral("Location url:https://example.com/b.yaml already exists"));
    QStringList targets;
    for (const RegisteredLocation &l : m_store->registeredLocations())
        targets << l.target;
    QCOMPARE(targets, (QStringList{QStringLiteral("https://example.com/b.yaml"), QStringLiteral("https://example.com/a.yaml")}));

    // Moving one onto the other's target is a conflict; an unknown id is nothing.
    auto clash = m_store->updateLocation(first->id, QStringLiteral("url"), QStringLiteral("https://example.com/a.yaml"),
                                         QStringLiteral("location:default/a"));
    QVERIFY(!clash);
    QVERIFY2(clash.error().name == QLatin1String("ConflictError"), qPrintable(clash.error().message));
    QCOMPARE(clash.error().message, QStringLiteral("Location url:https://example.com/a.yaml already exists"));
    auto moved = m_store->updateLocation(first->id, QStringLiteral("url"), QStringLiteral("https://example.com/c.yaml"), QStringLiteral("location:default/c"));
    QVERIFY(moved && moved->has_value());
    QCOMPARE(m_store->registeredLocations().first().target, QStringLiteral("https://example.com/c.yaml"));
    auto unknown = m_store->updateLocation(QStringLiteral("no-such-id"), QStringLiteral("url"), QStringLiteral("x"), QString());
    QVERIFY(unknown && !unknown->has_value());
}

void TestCatalogStore::unregisteringDeletesWhatTheLocationProduced()
{
    auto location = m_store->registerLocation(QStringLiteral("url"), QStringLiteral("https://example.com/org.yaml"),
                                              QStringLiteral("location:default/org"));
    QVERIFY(location);
    LocationWrite write = writeOf(seedEntities(), location->key());
    write.onlyIfRegistered = true;
    auto written = m_store->applyLocation(write);
    QVERIFY(written);
    QCOMPARE(written->inserted, 7);
    QCOMPARE(m_store->entityCount(), 7);

    QCOMPARE(m_store->unregisterLocation(location->id).value(), true);
    QCOMPARE(m_store->entityCount(), 0);
    QVERIFY(m_store->registeredLocations().isEmpty());
    QCOMPARE(m_store->unregisterLocation(location->id).value(), false);
    // A read that finishes after the location went writes nothing.
    const qint64 before = m_store->lastSequence();
    auto late = m_store->applyLocation(write);
    QVERIFY(late);
    QVERIFY(late->skipped);
    QCOMPARE(m_store->entityCount(), 0);
    QCOMPARE(m_store->lastSequence(), before);
}

void TestCatalogStore::orphansAreMarkedOnceWhenKept()
{
    seed();
    LocationWrite write = writeOf({entity("Group", "team-a", group())});
    write.keepOrphans = true;
    auto report = m_store->applyLocation(write);
    QVERIFY(report);
    QCOMPARE(report->deleted, 0);
    QCOMPARE(report->updated, 6);
    QCOMPARE(m_store->entityCount(), 7);
    const auto orphan = m_store->entityByRef(QStringLiteral("component:default/cart"));
    QCOMPARE(orphan->entity[QStringLiteral("metadata")][QStringLiteral("annotations")][QStringLiteral("backstage.io/orphan")].toString(),
             QStringLiteral("true"));
    // Marked already: the next read changes nothing.
    const qint64 sequence = m_store->lastSequence();
    report = m_store->applyLocation(write);
    QVERIFY(report);
    QCOMPARE(report->updated, 0);
    QCOMPARE(m_store->lastSequence(), sequence);
}

void TestCatalogStore::prunedTombstonesMoveTheHorizon()
{
    seed();
    const qint64 epoch = m_store->feedEpoch();
    QVERIFY(epoch > 0);
    QCOMPARE(m_store->syncHorizon(), 0);
    QVERIFY(m_store->applyLocation(writeOf({entity("Group", "team-a", group())})));
    const qint64 last = m_store->lastSequence();
    QCOMPARE(m_store->countChangesSince(0), 7);   // one row per ref, tombstones included
    qint64 lastTombstone = 0;
    for (const Change &c : m_store->changesSince(0, 100))
        lastTombstone = c.type == Change::Type::Delete ? c.sequence : lastTombstone;
    QVERIFY(lastTombstone > 0);
    // Nothing is old enough yet.
    QCOMPARE(m_store->pruneTombstones(QDateTime::currentMSecsSinceEpoch() - 60000).value(), 0);
    auto pruned = m_store->pruneTombstones(QDateTime::currentMSecsSinceEpoch() + 1000);
    QVERIFY(pruned);
    QCOMPARE(pruned.value(), 6);
    QCOMPARE(m_store->syncHorizon(), lastTombstone);
    QCOMPARE(m_store->countChangesSince(0), 1);
    // The sequence never goes back, though its highest rows are gone.
    QCOMPARE(m_store->lastSequence(), last);
    QVERIFY(m_store->applyLocation(writeOf({entity("Group", "team-a", group()), entity("Group", "team-c", group())})));
    const QList<Change> next = m_store->changesSince(last, 10);
    QCOMPARE(next.size(), 1);
    QCOMPARE(next.first().ref, QStringLiteral("group:default/team-c"));
    QCOMPARE(next.first().sequence, last + 1);
    QCOMPARE(m_store->feedEpoch(), epoch);
}

void TestCatalogStore::scopedReaderSeesOthersAsUidTombstones()
{
    seed();
    const qint64 before = m_store->lastSequence();
    const QString paymentsUid = m_store->entityByRef(QStringLiteral("component:default/payments"))->uid;
    // team-b's components change owner; the reader may read only team-a's.
    QList<EntityWrite> entities = seedEntities();
    QVERIFY(m_store->applyLocation(writeOf(entities.mid(0, 4))));   // payments, search and cart-api go
    FeedReader reader;
    reader.readable = *Model::EntityFilter::parse({QStringLiteral("spec.owner=team-a")});
    auto changes = m_store->changesSince(before, 100, reader);
    QVERIFY(changes);
    QStringList seen;
    for (const Change &c : *changes)
        seen << (c.uidOnly ? QStringLiteral("uid:") + c.uid : (c.type == Change::Type::Delete ? QStringLiteral("deleted:") : QString()) + c.ref);
    QVERIFY2(seen.contains(QStringLiteral("uid:") + paymentsUid), qPrintable(seen.join(QLatin1Char(' '))));
    for (const Change &c : *changes)
        QVERIFY(c.uidOnly);   // every change here is a deletion or not readable: no refs told
    // From the start the reader holds nothing: no tombstones, only what it may read.
    reader.fromStart = true;
    changes = m_store->changesSince(0, 100, reader);
    QStringList refsSeen;
    for (const Change &c : *changes)
        refsSeen << c.ref;
    refsSeen.sort();
    QCOMPARE(refsSeen, (QStringList{QStringLiteral("component:default/cart"), QStringLiteral("system:default/shop")}));
    for (const Change &c : *changes)
        QVERIFY(!c.entityJson.isEmpty());
}

void TestCatalogStore::docsSitesAreStoredSearchedAndFollowTheirEntity()
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

    // Kept across a reopen.
    QVERIFY(m_store->putDocsSite(docsSite(cart, "carts")));
    m_store.reset();
    m_store = openStore();
    QCOMPARE(m_store->docsFile(cart.ref, QStringLiteral("index.html")).value(), QByteArray("<h1>Welcome</h1>carts"));
}

void TestCatalogStore::tasksKeepTheirStateAndLog()
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
    // Replicas: only tasks quiet since a time count (c was created at 3 s after the epoch, never claimed).
    QCOMPARE(m_store->unfinishedTasks(QDateTime::fromMSecsSinceEpoch(3000, Qt::UTC)).value(), QStringList());
    QCOMPARE(m_store->unfinishedTasks(QDateTime::fromMSecsSinceEpoch(3001, Qt::UTC)).value(), QStringList{QStringLiteral("c")});

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

void TestCatalogStore::authStateKeepsKeysAndSessionsOnce()
{
    QVERIFY(m_store->putSigningKey(QStringLiteral("old"), QByteArrayLiteral(R"({"kid":"old"})"), 100));
    QVERIFY(m_store->putSigningKey(QStringLiteral("new"), QByteArrayLiteral(R"({"kid":"new"})"), 200));
    const QList<AuthStateStore::SigningKey> keys = m_store->signingKeys(150);
    QCOMPARE(keys.size(), 1);
    QCOMPARE(keys.first().jwk, QByteArrayLiteral(R"({"kid":"new"})"));
    QCOMPARE(keys.first().createdAt, 200);
    QCOMPARE(m_store->signingKeys(0).size(), 1);   // the old one was deleted on the way
    QCOMPARE(m_store->signingKey(QStringLiteral("new"))->jwk, QByteArrayLiteral(R"({"kid":"new"})"));
    QVERIFY(!m_store->signingKey(QStringLiteral("old")));

    // A hash with every byte value survives the round trip.
    QByteArray hash;
    for (int i = 0; i < 256; ++i)
        hash.append(char(i));
    QVERIFY(m_store->putRefreshSession(QStringLiteral("s1"), {hash, QStringLiteral("user:default/jane"), QStringLiteral("openid"), 1000}));
    QVERIFY(m_store->putRefreshSession(QStringLiteral("s2"), {hash, QStringLiteral("user:default/joe"), QString(), 500}));
    const auto taken = m_store->takeRefreshSession(QStringLiteral("s1"), 900);
    QVERIFY(taken);
    QCOMPARE(taken->hash, hash);
    QCOMPARE(taken->userEntityRef, QStringLiteral("user:default/jane"));
    QCOMPARE(taken->scope, QStringLiteral("openid"));
    QCOMPARE(taken->expiresAt, 1000);
    QVERIFY(!m_store->takeRefreshSession(QStringLiteral("s1"), 900));   // works once
    QVERIFY(!m_store->takeRefreshSession(QStringLiteral("s2"), 900));   // expired
}

void TestCatalogStore::leasesGoToOneHolderUntilTheyEnd()
{
    const QString key = QStringLiteral("file:/org/catalog-info.yaml");
    QCOMPARE(m_store->claimLease(key, QStringLiteral("a"), 60000).value(), 0);
    if (!m_postgres) {
        // One process per SQLite file: nobody else ever holds a lease.
        QCOMPARE(m_store->claimLease(key, QStringLiteral("b"), 60000).value(), 0);
        return;
    }
    const qint64 left = m_store->claimLease(key, QStringLiteral("b"), 60000).value();
    QVERIFY2(left > 55000 && left <= 60000, qPrintable(QString::number(left)));   // a holds it
    QCOMPARE(m_store->claimLease(key, QStringLiteral("a"), 60000).value(), 0);       // its holder may take it again
    QCOMPARE(m_store->claimLease(QStringLiteral("another"), QStringLiteral("b"), 60000).value(), 0);   // other keys are free
    // A heartbeat moves the end; only the holder's counts.
    QVERIFY(m_store->extendLease(key, QStringLiteral("b"), 1));
    QVERIFY(m_store->claimLease(key, QStringLiteral("b"), 60000).value() > 55000);
    QVERIFY(m_store->extendLease(key, QStringLiteral("a"), 150));
    QVERIFY(m_store->claimLease(key, QStringLiteral("b"), 60000).value() <= 150);
    // Once it ends, another takes it; an explicit read takes it whoever holds it.
    QTest::qWait(200);
    QCOMPARE(m_store->claimLease(key, QStringLiteral("b"), 60000).value(), 0);
    QVERIFY(m_store->claimLease(key, QStringLiteral("a"), 60000).value() > 0);
    QCOMPARE(m_store->claimLease(key, QStringLiteral("a"), 60000, true).value(), 0);
}

void TestCatalogStore::countsAndFacetsFollowWritesOfOtherConnections()
{
    seed();
    EntityQuery counted;
    counted.filter = *Model::EntityFilter::parse({QStringLiteral("kind=component")});
    counted.countTotal = true;
    counted.limit = 1;
    const auto kinds = [&] {
        QStringList out;
        const auto facets = m_store->facets({QStringLiteral("kind")}, {});
        if (!facets)
            return QStringList{facets.error().message};
        for (const FacetCount &c : facets->at(0).second)
            out << c.value + QLatin1Char('=') + QString::number(c.count);
        return out;
    };
    QCOMPARE(m_store->queryEntities(counted)->totalItems, 3);
    QCOMPARE(kinds(), (QStringList{QStringLiteral("API=1"), QStringLiteral("Component=3"), QStringLiteral("Group=2"), QStringLiteral("System=1")}));
    // Another connection (another replica, on PostgreSQL) writes: the answers here follow.
    std::unique_ptr<ServerStore> other = openStore();
    QVERIFY(other->applyLocation(writeOf({entity("Component", "solo", component("team-a"))}, QStringLiteral("file:/other.yaml"))));
    auto page = m_store->queryEntities(counted);
    QVERIFY2(page, page ? "" : qPrintable(page.error().message));
    QCOMPARE(page->totalItems, 4);
    QCOMPARE(kinds(), (QStringList{QStringLiteral("API=1"), QStringLiteral("Component=4"), QStringLiteral("Group=2"), QStringLiteral("System=1")}));
}

void TestCatalogStore::aNulCharacterInAFieldIsStoredNotCutShort()
{
    // A catalog file may say "\0" in a string; the write must neither fail nor lose what follows.
    const QString withNul = QStringLiteral("before") + QChar(0) + QStringLiteral("after");
    QList<EntityWrite> entities = seedEntities();
    entities.append(entity("Component", "nul", component("team-a"), {{QStringLiteral("description"), withNul}}));
    auto written = m_store->applyLocation(writeOf(entities));
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QCOMPARE(written->inserted, 8);
    const auto stored = m_store->entityByRef(QStringLiteral("component:default/nul"));
    QVERIFY(stored);
    QCOMPARE(stored->entity[QStringLiteral("metadata")][QStringLiteral("description")].toString(), withNul);   // the JSON keeps it escaped
    QCOMPARE(m_store->entityCount(), 8);
}

void TestCatalogStore::readersOnOtherThreadsSeeEveryCommit()
{
    seed();
    auto opened = m_store->openReader();
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    std::unique_ptr<CatalogStore> reader = std::move(opened).value();
    QVERIFY(reader);   // a database in a file, or PostgreSQL: it has readers to give
    EntityQuery components;
    components.filter = *Model::EntityFilter::parse({QStringLiteral("kind=component")});
    components.countTotal = true;
    const auto namesOnAThread = [&] {
        QStringList names;
        QThread *thread = QThread::create([&] {
            auto page = reader->queryEntities(components);
            if (!page) {
                names << page.error().message;
                return;
            }
            for (const StoredEntity &e : page->items)
                names << e.ref;
        });
        thread->start();
        thread->wait();
        delete thread;
        return names;
    };
    QCOMPARE(namesOnAThread().size(), 3);
    // The writer commits; the reader's next query sees it.
    QVERIFY(m_store->applyLocation(writeOf({entity("Component", "late", component("team-a"))}, QStringLiteral("file:/late.yaml"))));
    QVERIFY(namesOnAThread().contains(QStringLiteral("component:default/late")));
    QVERIFY(m_store->removeEntityByUid(m_store->entityByRef(QStringLiteral("component:default/late"))->uid));
    QCOMPARE(namesOnAThread().size(), 3);
}

QTEST_GUILESS_MAIN(TestCatalogStore)
#include "tst_catalogstore.moc"
