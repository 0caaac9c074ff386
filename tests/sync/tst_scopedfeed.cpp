// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The change feed read by readers the permission policy limits, over a real
// SQLite store, into two real cache files the way the sync client applies
// pages: each cache receives only what its reader may read; an entity that
// becomes unreadable leaves the cache through a tombstone that names only
// its uid; a changed scope (policy, groups) is reconciled from the start
// without emptying the cache; the cursor moves past what is held back.
#include <model/entityprocessor.h>
#include <store/sqlitecatalogstore.h>
#include <sync/changefeed.h>

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using Store::Change;
using Sync::ChangeFeed;

namespace {

const QString Origin = QStringLiteral("file:/org/catalog-info.yaml");

Store::EntityWrite component(const QString &name, const QString &owner)
{
    const QJsonObject raw{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                          {QStringLiteral("kind"), QStringLiteral("Component")},
                          {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
                          {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("service")},
                                                               {QStringLiteral("lifecycle"), QStringLiteral("production")},
                                                               {QStringLiteral("owner"), owner}}}};
    const Model::ProcessingOutcome outcome = Model::EntityProcessor::process(raw);
    return {outcome.processed.entity, outcome.processed.ref, outcome.processed.relations, Origin, Origin, {}, {}, {}};
}

Store::LocationWrite writeOf(const QList<Store::EntityWrite> &entities)
{
    Store::LocationWrite write;
    write.originKey = Origin;
    write.entities = entities;
    return write;
}

// A reader who may read what `owners` own, as a conditional decision on
// IS_ENTITY_OWNER becomes a filter.
ChangeFeed::Scope ownedBy(const QStringList &owners, const QString &tag)
{
    ChangeFeed::Scope scope;
    Model::EntityFilter filter;
    filter.anyOf.append({Model::EntityFilter::Condition{QStringLiteral("relations.ownedby"), owners}});
    scope.readable = filter;
    scope.tag = tag;
    return scope;
}

// What a page says, as "+ref", "-ref" or "-uid:<uid>" for tombstones by uid.
QStringList said(const QList<Change> &changes)
{
    QStringList out;
    for (const Change &c : changes) {
        if (c.uidOnly)
            out << QStringLiteral("-uid:") + c.uid;
        else
            out << (c.type == Change::Type::Delete ? QStringLiteral("-") : QStringLiteral("+")) + c.ref;
    }
    return out;
}

} // namespace

class TestScopedFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void eachReaderReceivesWhatItMayRead();
    void unreadableEntitiesLeaveByUid();
    void changedScopeIsReconciledWithoutEmptyingTheCache();
    void cursorPassesWhatIsHeldBack();

private:
    // Reads the whole feed after `cursor` as `scope` into `cache` (pages of
    // `limit`), as the sync client does; returns the new cursor.
    QString syncInto(Store::SqliteCatalogStore &cache, const QString &cursor, const ChangeFeed::Scope &scope, int limit = 500,
                     QStringList *seen = nullptr);
    QStringList cachedRefs(Store::SqliteCatalogStore &cache);
    QString uidOf(const QString &ref) { return m_server->entityByRef(ref)->uid; }

    QTemporaryDir m_dir;
    std::unique_ptr<Store::SqliteCatalogStore> m_server;
    std::unique_ptr<Store::SqliteCatalogStore> m_cacheA;
    std::unique_ptr<Store::SqliteCatalogStore> m_cacheB;
    const ChangeFeed::Scope m_teamA = ownedBy({QStringLiteral("group:default/team-a")}, QStringLiteral("a"));
    const ChangeFeed::Scope m_teamB = ownedBy({QStringLiteral("group:default/team-b")}, QStringLiteral("b"));
};

void TestScopedFeed::init()
{
    const QString name = QString::fromLatin1(QTest::currentTestFunction());
    auto open = [&](const QString &file) {
        auto store = Store::SqliteCatalogStore::open(m_dir.filePath(name + file));
        return store ? std::move(store).value() : nullptr;
    };
    m_server = open(QStringLiteral("-server.sqlite"));
    m_cacheA = open(QStringLiteral("-a.sqlite"));
    m_cacheB = open(QStringLiteral("-b.sqlite"));
    QVERIFY(m_server && m_cacheA && m_cacheB);
    QVERIFY(m_server->applyLocation(writeOf({component(QStringLiteral("a1"), QStringLiteral("team-a")),
                                             component(QStringLiteral("b1"), QStringLiteral("team-b")),
                                             component(QStringLiteral("a2"), QStringLiteral("team-a")),
                                             component(QStringLiteral("b2"), QStringLiteral("team-b"))})));
}

QString TestScopedFeed::syncInto(Store::SqliteCatalogStore &cache, const QString &cursor, const ChangeFeed::Scope &scope, int limit,
                                 QStringList *seen)
{
    ChangeFeed feed(*m_server);
    QString at = cursor;
    for (int round = 0; round < 100; ++round) {
        auto page = feed.read(at, limit, scope);
        if (!page)
            qFatal("feed: %s", qPrintable(page.error().message));
        if (seen)
            *seen += said(page->changes);
        Store::MirrorBatch batch;
        for (const Change &c : page->changes)
            batch.changes.append({c.type == Change::Type::Delete, c.ref, c.uid, c.etag, c.entityJson, {}, c.docs});
        if (!cache.applyMirror(batch))
            qFatal("mirror refused a page");
        at = page->cursor;
        if (!page->hasMore())
            break;
    }
    return at;
}

QStringList TestScopedFeed::cachedRefs(Store::SqliteCatalogStore &cache)
{
    Store::EntityQuery query;
    query.order = {{QStringLiteral("metadata.name"), false}};
    QStringList refs;
    const auto page = cache.queryEntities(query);
    for (const Store::StoredEntity &entity : page->items)
        refs << entity.ref;
    return refs;
}

void TestScopedFeed::eachReaderReceivesWhatItMayRead()
{
    QStringList seenA;
    const QString cursorA = syncInto(*m_cacheA, QString(), m_teamA, 500, &seenA);
    QCOMPARE(seenA, (QStringList{"+component:default/a1", "+component:default/a2"}));
    QVERIFY2(cursorA.endsWith(QLatin1String("-a")), qPrintable(cursorA));
    syncInto(*m_cacheB, QString(), m_teamB);
    QCOMPARE(cachedRefs(*m_cacheA), (QStringList{"component:default/a1", "component:default/a2"}));
    QCOMPARE(cachedRefs(*m_cacheB), (QStringList{"component:default/b1", "component:default/b2"}));
    // Paged by one, the same entities and nothing else; `remaining` is at
    // least one while a page follows (at most the rows after this one).
    QStringList paged;
    ChangeFeed feed(*m_server);
    auto first = feed.read(QString(), 1, m_teamA);
    QVERIFY(first);
    QVERIFY(first->hasMore());
    QVERIFY(first->remaining >= 1 && first->remaining <= 3);
    auto second = feed.read(first->cursor, 1, m_teamA);
    QVERIFY(second);
    QCOMPARE(second->changes.size(), 1);
    QVERIFY(!second->hasMore());
    syncInto(*m_cacheA, QString(), m_teamA, 1, &paged);
    QCOMPARE(paged, seenA);
    // A reader without a scope reads everything, with cursors as before.
    auto everything = feed.read(QString(), 500);
    QVERIFY(everything);
    QCOMPARE(everything->changes.size(), 4);
    QCOMPARE(everything->cursor.count(QLatin1Char('-')), 1);
}

void TestScopedFeed::unreadableEntitiesLeaveByUid()
{
    QString cursorA = syncInto(*m_cacheA, QString(), m_teamA);
    QString cursorB = syncInto(*m_cacheB, QString(), m_teamB);
    const QString a2 = uidOf(QStringLiteral("component:default/a2"));
    const QString b1 = uidOf(QStringLiteral("component:default/b1"));
    // a2 moves to team-b; b1 is deleted.
    QVERIFY(m_server->applyLocation(writeOf({component(QStringLiteral("a1"), QStringLiteral("team-a")),
                                             component(QStringLiteral("a2"), QStringLiteral("team-b")),
                                             component(QStringLiteral("b2"), QStringLiteral("team-b"))})));
    QStringList seenA;
    cursorA = syncInto(*m_cacheA, cursorA, m_teamA, 500, &seenA);
    // Team A hears only uids: neither a2's nor b1's ref reaches it.
    QCOMPARE(seenA.size(), 2);
    QVERIFY(seenA.contains(QStringLiteral("-uid:") + a2));
    QVERIFY(seenA.contains(QStringLiteral("-uid:") + b1));
    QCOMPARE(cachedRefs(*m_cacheA), (QStringList{"component:default/a1"}));
    QStringList seenB;
    cursorB = syncInto(*m_cacheB, cursorB, m_teamB, 500, &seenB);
    QVERIFY(seenB.contains(QStringLiteral("+component:default/a2")));
    QCOMPARE(cachedRefs(*m_cacheB), (QStringList{"component:default/a2", "component:default/b2"}));
    // a2 comes back to team A.
    QVERIFY(m_server->applyLocation(writeOf({component(QStringLiteral("a1"), QStringLiteral("team-a")),
                                             component(QStringLiteral("a2"), QStringLiteral("team-a")),
                                             component(QStringLiteral("b2"), QStringLiteral("team-b"))})));
    syncInto(*m_cacheA, cursorA, m_teamA);
    syncInto(*m_cacheB, cursorB, m_teamB);
    QCOMPARE(cachedRefs(*m_cacheA), (QStringList{"component:default/a1", "component:default/a2"}));
    QCOMPARE(cachedRefs(*m_cacheB), (QStringList{"component:default/b2"}));
}

void TestScopedFeed::changedScopeIsReconciledWithoutEmptyingTheCache()
{
    QString cursor = syncInto(*m_cacheA, QString(), m_teamA);
    // The user joins team B (or the policy widens): a new tag, so the feed
    // starts again from the start, and the cache keeps what it had meanwhile.
    const ChangeFeed::Scope both = ownedBy({QStringLiteral("group:default/team-a"), QStringLiteral("group:default/team-b")},
                                           QStringLiteral("ab"));
    ChangeFeed feed(*m_server);
    QVERIFY(feed.hasChangesAfter(cursor, both));
    QVERIFY(!feed.hasChangesAfter(cursor, m_teamA));
    QStringList seen;
    auto firstPage = feed.read(cursor, 1, both);
    QVERIFY(firstPage);
    QCOMPARE(firstPage->changes.size(), 1);
    QCOMPARE(cachedRefs(*m_cacheA).size(), 2);
    cursor = syncInto(*m_cacheA, cursor, both, 500, &seen);
    QCOMPARE(seen.size(), 4);
    QCOMPARE(cachedRefs(*m_cacheA), (QStringList{"component:default/a1", "component:default/a2", "component:default/b1",
                                                 "component:default/b2"}));
    // Narrowed to team B only: team A's entities leave, by uid.
    seen.clear();
    cursor = syncInto(*m_cacheA, cursor, m_teamB, 500, &seen);
    QVERIFY(seen.contains(QStringLiteral("-uid:") + uidOf(QStringLiteral("component:default/a1"))));
    QCOMPARE(cachedRefs(*m_cacheA), (QStringList{"component:default/b1", "component:default/b2"}));
    QVERIFY(cursor.endsWith(QLatin1String("-b")));
}

void TestScopedFeed::cursorPassesWhatIsHeldBack()
{
    const QString cursor = syncInto(*m_cacheA, QString(), m_teamA);
    // Team B's entity changes: team A's reader gets (at most) a tombstone by
    // uid, and its cursor moves past the change, so a waiting client is not
    // woken again and again for it.
    QVERIFY(m_server->applyLocation(writeOf({component(QStringLiteral("a1"), QStringLiteral("team-a")),
                                             component(QStringLiteral("b1"), QStringLiteral("team-b")),
                                             component(QStringLiteral("a2"), QStringLiteral("team-a")),
                                             component(QStringLiteral("b2"), QStringLiteral("team-c"))})));
    ChangeFeed feed(*m_server);
    QVERIFY(feed.hasChangesAfter(cursor, m_teamA));
    auto page = feed.read(cursor, 500, m_teamA);
    QVERIFY(page);
    QCOMPARE(said(page->changes), (QStringList{QStringLiteral("-uid:") + uidOf(QStringLiteral("component:default/b2"))}));
    QVERIFY(!feed.hasChangesAfter(page->cursor, m_teamA));
    QCOMPARE(page->cursor, QStringLiteral("%1-%2-a").arg(m_server->feedEpoch()).arg(m_server->lastSequence()));
    QCOMPARE(cachedRefs(*m_cacheA), (QStringList{"component:default/a1", "component:default/a2"}));
}

QTEST_GUILESS_MAIN(TestScopedFeed)
#include "tst_scopedfeed.moc"
