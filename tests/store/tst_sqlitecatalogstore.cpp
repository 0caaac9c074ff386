// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <model/entityprocessor.h>
#include <store/sqlitecatalogstore.h>

#include "storewrites.h"

#include <QJsonDocument>
#include <QStandardPaths>
#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Greenroom;
using namespace Greenroom::Store;

namespace {

const QString Origin = QStringLiteral("file:/org/catalog-info.yaml");

// An entity as a location would produce it: processed, relations derived.
EntityWrite entity(const char *kind, const char *name, const QJsonObject &spec, const QJsonObject &metadataExtra = {})
{
    QJsonObject metadata = metadataExtra;
    metadata.insert(QStringLiteral("name"), QString::fromUtf8(name));
    QJsonObject raw{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                    {QStringLiteral("kind"), QString::fromUtf8(kind)},
                    {QStringLiteral("metadata"), metadata},
                    {QStringLiteral("spec"), spec}};
    return Tests::processedEntity(raw, Origin);
}

QJsonObject component(const char *owner, const char *lifecycle = "production", const char *system = nullptr)
{
    QJsonObject spec{{QStringLiteral("type"), QStringLiteral("service")},
                     {QStringLiteral("lifecycle"), QString::fromUtf8(lifecycle)},
                     {QStringLiteral("owner"), QString::fromUtf8(owner)}};
    if (system)
        spec.insert(QStringLiteral("system"), QString::fromUtf8(system));
    return spec;
}

QJsonObject group()
{
    return {{QStringLiteral("type"), QStringLiteral("team")}, {QStringLiteral("children"), QJsonArray{}}};
}

LocationWrite writeOf(QList<EntityWrite> entities, const QString &origin = Origin)
{
    return Tests::locationWrite(std::move(entities), origin);
}

QStringList refs(const EntityPage &page)
{
    QStringList out;
    for (const StoredEntity &e : page.items)
        out << e.ref;
    return out;
}

} // namespace

class TestSqliteCatalogStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void roundTripByRefAndUid();
    void changeRowsOnlyOnRealChange();
    void vanishedEntitiesBecomeTombstones();
    void relationsAppearOnBothEnds();
    void conflictingOriginIsIgnored();
    void failureKeepsLastGoodVersionWithStatus();
    void keptParentKeepsItsChildren();
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
    void bulkWriteRebuildsItsIndexes();
    void mirrorHoldsTheServersEntitiesAndAnswersLikeIt();
    void mirrorBatchIsAllOrNothing();
    void mirrorRebuildDeletesOnlyWhenTheSnapshotIsWhole();
    void docsSitesAreStoredSearchedAndFollowTheirEntity();
    void mirrorFetchesAnnouncedDocs();
    void tasksKeepTheirStateAndLog();

private:
    std::unique_ptr<SqliteCatalogStore> openStore();
    static QList<EntityWrite> seedEntities();
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

QList<EntityWrite> TestSqliteCatalogStore::seedEntities()
{
    return {
        entity("Group", "team-a", group()),
        entity("Group", "team-b", group()),
        entity("System", "shop", {{QStringLiteral("owner"), QStringLiteral("team-a")}}),
        entity("Component", "cart", component("team-a", "production", "shop"),
               {{QStringLiteral("tags"), QJsonArray{QStringLiteral("java"), QStringLiteral("web")}},
                {QStringLiteral("title"), QStringLiteral("Shopping Cart")},
                {QStringLiteral("description"), QStringLiteral("Keeps baskets for customers")}}),
        entity("Component", "Payments", component("team-b", "experimental"),
               {{QStringLiteral("tags"), QJsonArray{QStringLiteral("go")}}}),
        entity("Component", "search", component("team-b", "production"),
               {{QStringLiteral("annotations"), QJsonObject{{QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:.")}}}}),
        entity("API", "cart-api", {{QStringLiteral("type"), QStringLiteral("openapi")},
                                   {QStringLiteral("lifecycle"), QStringLiteral("production")},
                                   {QStringLiteral("owner"), QStringLiteral("team-a")},
                                   {QStringLiteral("definition"), QStringLiteral("openapi: 3.0.0")}}),
    };
}

void TestSqliteCatalogStore::seed()
{
    auto report = m_store->applyLocation(writeOf(seedEntities()));
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->inserted, 7);
}

void TestSqliteCatalogStore::roundTripByRefAndUid()
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

void TestSqliteCatalogStore::changeRowsOnlyOnRealChange()
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

void TestSqliteCatalogStore::vanishedEntitiesBecomeTombstones()
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

void TestSqliteCatalogStore::relationsAppearOnBothEnds()
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

void TestSqliteCatalogStore::conflictingOriginIsIgnored()
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

void TestSqliteCatalogStore::failureKeepsLastGoodVersionWithStatus()
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

void TestSqliteCatalogStore::keptParentKeepsItsChildren()
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

void TestSqliteCatalogStore::filters_data()
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

void TestSqliteCatalogStore::filters()
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

void TestSqliteCatalogStore::predicates_data()
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

void TestSqliteCatalogStore::predicates()
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

void TestSqliteCatalogStore::orderingAndOffsetPaging()
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

void TestSqliteCatalogStore::keysetPagingWalksEverythingOnce()
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

void TestSqliteCatalogStore::kindByNameMatchesTheGenericPath()
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

void TestSqliteCatalogStore::fullTextFilter()
{
    seed();
    EntityQuery query;
    query.fullText = {QStringLiteral(" BASKET "), {QStringLiteral("metadata.description"), QStringLiteral("metadata.name")}};
    QCOMPARE(refs(*m_store->queryEntities(query)), QStringList{QStringLiteral("component:default/cart")});
    query.fullText = {QStringLiteral("%"), {QStringLiteral("metadata.name")}};
    QVERIFY(m_store->queryEntities(query)->items.isEmpty());   // % is literal
}

void TestSqliteCatalogStore::facets()
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

void TestSqliteCatalogStore::kindFacetsMatchTheGenericPath()
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

void TestSqliteCatalogStore::facetsOfKeysWithManyValues()
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

void TestSqliteCatalogStore::ftsSearch()
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

void TestSqliteCatalogStore::entitiesByRefsKeepsOrderAndNulls()
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

void TestSqliteCatalogStore::removeByUid()
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

void TestSqliteCatalogStore::reopenKeepsDataAndRefusesNewerSchema()
{
    seed();
    m_store.reset();
    m_store = openStore();
    QCOMPARE(m_store->entityCount(), 7);
    m_store.reset();

    // Pretend a newer Greenroom wrote the file.
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(m_path.toUtf8().constData(), &db), SQLITE_OK);
    const QByteArray bump = "PRAGMA user_version = " + QByteArray::number(SqliteCatalogStore::schemaVersion() + 1);
    QCOMPARE(sqlite3_exec(db, bump.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto refused = SqliteCatalogStore::open(m_path);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QStringLiteral("written by a newer Greenroom")), qPrintable(refused.error().message));
    QVERIFY(refused.error().message.contains(m_path));
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
