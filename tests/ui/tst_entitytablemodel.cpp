// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The catalog table's model over a 100,000-component cache: it reads pages,
// not everything; sorting and filtering re-query in SQLite and agree with
// what the rows hold; the counts are right.
#include <cachefixture.h>

#include <models/catalogcache.h>
#include <models/entitytablemodel.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Ui;

namespace {

constexpr int Components = 100000;

Store::ListingFilter kindFilter(const QString &kind)
{
    Store::ListingFilter filter;
    filter.kind = kind;
    return filter;
}

QStringList column(const EntityTableModel &model, int column)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values.append(model.index(row, column).data().toString());
    return values;
}

} // namespace

class TestEntityTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readsPagesNotEverything();
    void sortsInTheDatabase();
    void filtersAndCounts();
    void textFilterFindsSubstrings();
    void refreshKeepsWhatIsLoaded();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<CatalogCache> m_cache;
};

void TestEntityTableModel::initTestCase()
{
    const QString path = m_dir.filePath(QStringLiteral("cache.sqlite"));
    {
        auto store = Store::SqliteCatalogStore::open(path);
        QVERIFY(store);
        Store::MirrorBatch batch;
        batch.changes = TestSupport::syntheticCatalog(Components);
        QElapsedTimer timer;
        timer.start();
        auto applied = store.value()->applyMirror(batch);
        QVERIFY2(applied, applied ? "" : qPrintable(applied.error().message));
        qInfo("mirrored %lld entities in %lld ms", qint64(batch.changes.size()), timer.elapsed());
    }
    m_cache = CatalogCache::open(path);
    QVERIFY(m_cache);
}

void TestEntityTableModel::readsPagesNotEverything()
{
    EntityTableModel model(*m_cache);
    QElapsedTimer timer;
    timer.start();
    model.setFilter(kindFilter(QStringLiteral("component")));
    qInfo("first page of %d components in %lld ms", model.rowCount(), timer.elapsed());
    QCOMPARE(model.totalCount(), Components);
    QCOMPARE(model.rowCount(), EntityTableModel::PageSize);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 2 * EntityTableModel::PageSize);
    QCOMPARE(model.refAt(0), QStringLiteral("component:default/component-000000"));
    QCOMPARE(model.refAt(EntityTableModel::PageSize), QStringLiteral("component:default/component-000200"));
    QCOMPARE(model.index(7, EntityTableModel::Owner).data().toString(), QStringLiteral("team-49"));
    QCOMPARE(model.index(7, EntityTableModel::System).data().toString(), QStringLiteral("system-91"));
}

void TestEntityTableModel::sortsInTheDatabase()
{
    EntityTableModel model(*m_cache);
    model.setFilter(kindFilter(QStringLiteral("component")));
    model.sort(EntityTableModel::Name, Qt::DescendingOrder);
    QCOMPARE(model.refAt(0), QStringLiteral("component:default/component-099999"));
    for (int sortColumn : {int(EntityTableModel::Owner), int(EntityTableModel::Type), int(EntityTableModel::Lifecycle)}) {
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            QElapsedTimer timer;
            timer.start();
            model.sort(sortColumn, order);
            const qint64 ms = timer.elapsed();
            model.fetchMore({});
            const QStringList values = column(model, sortColumn);
            QStringList sorted = values;
            if (order == Qt::AscendingOrder)
                std::sort(sorted.begin(), sorted.end());
            else
                std::sort(sorted.begin(), sorted.end(), std::greater<>());
            QCOMPARE(values, sorted);
            QCOMPARE(model.totalCount(), Components);
            qInfo("sort by column %d %s: %lld ms", sortColumn, order == Qt::AscendingOrder ? "asc" : "desc", ms);
        }
    }
}

void TestEntityTableModel::filtersAndCounts()
{
    EntityTableModel model(*m_cache);
    // Owner team-7: components i with (i * 7) % 50 == 7, i.e. i % 50 == 1: 2,000 of them.
    Store::ListingFilter filter = kindFilter(QStringLiteral("component"));
    filter.ownerRef = QStringLiteral("group:default/team-7");
    model.setFilter(filter);
    QCOMPARE(model.totalCount(), 2000);
    for (const QString &owner : column(model, EntityTableModel::Owner))
        QCOMPARE(owner, QStringLiteral("team-7"));
    // And of type library (i % 4 == 2).
    filter.type = QStringLiteral("library");
    model.setFilter(filter);
    int expected = 0;
    for (int i = 0; i < Components; ++i)
        expected += (i * 7) % 50 == 7 && i % 4 == 2;
    QCOMPARE(model.totalCount(), expected);
    for (const QString &type : column(model, EntityTableModel::Type))
        QCOMPARE(type, QStringLiteral("library"));
    // Another kind entirely.
    model.setFilter(kindFilter(QStringLiteral("group")));
    QCOMPARE(model.totalCount(), 50);
    QCOMPARE(model.rowCount(), 50);
    QVERIFY(!model.canFetchMore({}));
}

void TestEntityTableModel::textFilterFindsSubstrings()
{
    EntityTableModel model(*m_cache);
    model.setFilter(kindFilter(QStringLiteral("component")));
    QElapsedTimer timer;
    timer.start();
    model.prepareTextSearch();   // the page does this when it opens
    model.setTextFilter(QStringLiteral("c"));
    qInfo("search text loaded and first keystroke: %lld ms", timer.elapsed());
    model.setTextFilter({});
    QList<qint64> times;
    QString typed;
    for (const QChar c : QStringLiteral("component-0999")) {
        typed += c;
        timer.start();
        model.setTextFilter(typed);
        times.append(timer.elapsed());
    }
    qInfo() << "text filter keystrokes (ms):" << times;
    QCOMPARE(model.totalCount(), 100);   // component-099900 .. component-099999
    QCOMPARE(model.refAt(0), QStringLiteral("component:default/component-099900"));
    model.setTextFilter(QStringLiteral("KAFKA"));   // a tag (and descriptions), any case
    int kafka = 0;
    for (int i = 0; i < Components; ++i)
        kafka += i % 8 == 7 || (i / 8) % 8 == 7;
    QCOMPARE(model.totalCount(), kafka);
    model.setTextFilter(QStringLiteral("no such text"));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), 0);
    model.setTextFilter(QStringLiteral("100%_\\"));   // LIKE's wildcards are literal here
    QCOMPARE(model.totalCount(), 0);
    QVERIFY(model.error().isEmpty());
}

void TestEntityTableModel::refreshKeepsWhatIsLoaded()
{
    EntityTableModel model(*m_cache);
    model.setFilter(kindFilter(QStringLiteral("component")));
    model.fetchMore({});
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 3 * EntityTableModel::PageSize);
    model.refresh();
    QCOMPARE(model.rowCount(), 3 * EntityTableModel::PageSize);
    QCOMPARE(model.refAt(3 * EntityTableModel::PageSize - 1), QStringLiteral("component:default/component-000599"));
}

QTEST_MAIN(TestEntityTableModel)
#include "tst_entitytablemodel.moc"
