// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The change feed over a real SQLite store: compaction, cursors, tombstones,
// pruning and the resync answer.
#include <model/entityprocessor.h>
#include <store/sqlitecatalogstore.h>
#include <sync/changefeed.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using Store::Change;
using Sync::ChangeFeed;

namespace {

const QString Origin = QStringLiteral("file:/org/catalog-info.yaml");

Store::EntityWrite component(const QString &name, const QString &description = {})
{
    QJsonObject metadata{{QStringLiteral("name"), name}};
    if (!description.isEmpty())
        metadata.insert(QStringLiteral("description"), description);
    const QJsonObject raw{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                          {QStringLiteral("kind"), QStringLiteral("Component")},
                          {QStringLiteral("metadata"), metadata},
                          {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("service")},
                                                               {QStringLiteral("lifecycle"), QStringLiteral("production")},
                                                               {QStringLiteral("owner"), QStringLiteral("team-a")}}}};
    const Model::ProcessingOutcome outcome = Model::EntityProcessor::process(raw);
    return {outcome.processed.entity, outcome.processed.ref, outcome.processed.relations, Origin, QString(), {}, {}, {}};
}

Store::LocationWrite writeOf(const QList<Store::EntityWrite> &entities)
{
    Store::LocationWrite write;
    write.originKey = Origin;
    write.entities = entities;
    return write;
}

QStringList refsOf(const QList<Change> &changes)
{
    QStringList refs;
    for (const Change &c : changes)
        refs << (c.type == Change::Type::Delete ? QStringLiteral("-") : QStringLiteral("+")) + c.ref;
    return refs;
}

} // namespace

class TestChangeFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void pagesFromZeroCarryEntitiesAndRemaining();
    void resumingGivesExactlyWhatChanged();
    void badAndForeignCursors();
    void prunedTombstonesRequireResync();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store::SqliteCatalogStore> m_store;
};

void TestChangeFeed::init()
{
    m_store.reset();
    auto store = Store::SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction())));
    QVERIFY(store);
    m_store = std::move(store).value();
    QVERIFY(m_store->applyLocation(writeOf({component(QStringLiteral("a")), component(QStringLiteral("b")),
                                            component(QStringLiteral("c")), component(QStringLiteral("d")),
                                            component(QStringLiteral("e"))})));
}

void TestChangeFeed::pagesFromZeroCarryEntitiesAndRemaining()
{
    ChangeFeed feed(*m_store);
    auto first = feed.read(QStringLiteral("0"), 2);
    QVERIFY(first);
    QCOMPARE(first->changes.size(), 2);
    QCOMPARE(first->remaining, 3);   // the total to expect: 2 + 3
    QVERIFY(first->hasMore());
    const QJsonObject entity = QJsonDocument::fromJson(first->changes.first().entityJson).object();
    QCOMPARE(entity[QLatin1String("metadata")][QLatin1String("etag")].toString(), first->changes.first().etag);
    QStringList all = refsOf(first->changes);
    QString cursor = first->cursor;
    while (true) {
        auto page = feed.read(cursor, 2);
        QVERIFY(page);
        all << refsOf(page->changes);
        cursor = page->cursor;
        if (!page->hasMore())
            break;
    }
    QCOMPARE(all.size(), 5);
    // Nothing new: an empty page that keeps the cursor.
    auto none = feed.read(cursor, 100);
    QVERIFY(none->changes.isEmpty());
    QCOMPARE(none->cursor, cursor);
    QVERIFY(!feed.hasChangesAfter(cursor));
}

void TestChangeFeed::resumingGivesExactlyWhatChanged()
{
    ChangeFeed feed(*m_store);
    const QString cursor = feed.read(QStringLiteral("0"), 100)->cursor;
    // b changes, d disappears, the rest stay as they were.
    QVERIFY(m_store->applyLocation(writeOf({component(QStringLiteral("a")), component(QStringLiteral("b"), QStringLiteral("new")),
                                            component(QStringLiteral("c")), component(QStringLiteral("e"))})));
    QVERIFY(feed.hasChangesAfter(cursor));
    auto page = feed.read(cursor, 100);
    QVERIFY(page);
    QStringList changed = refsOf(page->changes);
    changed.sort();
    QCOMPARE(changed, (QStringList{QStringLiteral("+component:default/b"), QStringLiteral("-component:default/d")}));
    for (const Change &c : page->changes) {
        if (c.type == Change::Type::Delete)
            QVERIFY(c.entityJson.isEmpty());
        else
            QCOMPARE(QJsonDocument::fromJson(c.entityJson)[QLatin1String("metadata")][QLatin1String("description")].toString(),
                     QStringLiteral("new"));
    }
    // From zero the feed is compacted: one row per entity, the tombstone included.
    QCOMPARE(feed.read(QStringLiteral("0"), 100)->changes.size(), 5);
}

void TestChangeFeed::badAndForeignCursors()
{
    ChangeFeed feed(*m_store);
    const QString cursor = feed.read(QString(), 100)->cursor;
    for (const char *bad : {"abc", "1-2-3-4", "1-2-a-i-j", "x-1", "1--1"}) {
        auto page = feed.read(QString::fromLatin1(bad), 10);
        QVERIFY(!page);
        QCOMPARE(page.error().name, QStringLiteral("InputError"));
    }
    const qint64 epoch = cursor.section(QLatin1Char('-'), 0, 0).toLongLong();
    auto otherDatabase = feed.read(QStringLiteral("%1-3").arg(epoch + 1), 10);
    QVERIFY(!otherDatabase);
    QCOMPARE(otherDatabase.error().name, QStringLiteral("ResyncRequiredError"));
    auto fromTheFuture = feed.read(QStringLiteral("%1-999").arg(epoch), 10);
    QCOMPARE(fromTheFuture.error().name, QStringLiteral("ResyncRequiredError"));
    QVERIFY(feed.hasChangesAfter(QStringLiteral("%1-999").arg(epoch)));   // so a waiting client hears of it
}

void TestChangeFeed::prunedTombstonesRequireResync()
{
    ChangeFeed feed(*m_store);
    const QString early = feed.read(QStringLiteral("0"), 1)->cursor;   // saw only the first entity
    const QString caughtUp = feed.read(QStringLiteral("0"), 100)->cursor;
    QVERIFY(m_store->applyLocation(writeOf({component(QStringLiteral("a")), component(QStringLiteral("b"))})));
    const QString afterDeletes = feed.read(caughtUp, 100)->cursor;
    QCOMPARE(feed.read(caughtUp, 100)->changes.size(), 3);

    auto pruned = m_store->pruneTombstones(QDateTime::currentMSecsSinceEpoch() + 1000);
    QVERIFY(pruned);
    QCOMPARE(pruned.value(), 3);
    QCOMPARE(m_store->syncHorizon(), m_store->lastSequence());
    // Anyone who had not seen all three deletions must start over...
    for (const QString &cursor : {early, caughtUp}) {
        auto page = feed.read(cursor, 100);
        QVERIFY(!page);
        QCOMPARE(page.error().name, QStringLiteral("ResyncRequiredError"));
        QVERIFY(page.error().message.contains(QStringLiteral("resync from a snapshot")));
    }
    // ...who had can go on, and the snapshot no longer lists the pruned ones.
    QVERIFY(feed.read(afterDeletes, 100));
    QCOMPARE(refsOf(feed.read(QStringLiteral("0"), 100)->changes),
             (QStringList{QStringLiteral("+component:default/a"), QStringLiteral("+component:default/b")}));
    // New changes keep numbering after the pruned ones.
    QVERIFY(m_store->applyLocation(writeOf({component(QStringLiteral("a"), QStringLiteral("x")), component(QStringLiteral("b"))})));
    QVERIFY(m_store->lastSequence() > m_store->syncHorizon());
    QCOMPARE(feed.read(afterDeletes, 100)->changes.size(), 1);
}

QTEST_GUILESS_MAIN(TestChangeFeed)
#include "tst_changefeed.moc"
