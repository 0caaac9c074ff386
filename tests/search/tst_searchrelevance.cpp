// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The judged query set (golden/judged-queries.json) on the demo
// organisation: for every query, the result a person wants must come first.
#include <demosearchstore.h>
#include <testconfig.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;

class TestSearchRelevance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void expectedResultComesFirst_data();
    void expectedResultComesFirst();
    void everyCategoryIsJudged();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store::SqliteCatalogStore> m_store;
    QJsonArray m_queries;
};

void TestSearchRelevance::initTestCase()
{
    auto store = Store::SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("demo.db")));
    QVERIFY(store);
    m_store = std::move(store).value();
    const QString filled = TestSupport::fillDemoSearchStore(*m_store);
    QVERIFY2(filled.isEmpty(), qPrintable(filled));
    QFile file(QStringLiteral(GREENROOM_SOURCE_DIR "/tests/search/golden/judged-queries.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_queries = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("queries")).toArray();
}

void TestSearchRelevance::expectedResultComesFirst_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expect");
    QFile file(QStringLiteral(GREENROOM_SOURCE_DIR "/tests/search/golden/judged-queries.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("judged-queries.json is missing");
    for (const QJsonValue &value : QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("queries")).toArray()) {
        QStringList expect;
        for (const QJsonValue &location : value[QLatin1String("expect")].toArray())
            expect.append(location.toString());
        const QString query = value[QLatin1String("query")].toString();
        QTest::addRow("%s: %s", qPrintable(value[QLatin1String("category")].toString()), qPrintable(query)) << query << expect;
    }
}

void TestSearchRelevance::expectedResultComesFirst()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expect);
    Search::SearchRequest request;
    request.term = query;
    request.limit = 3;
    auto found = m_store->searchDocuments(request);
    QVERIFY(found);
    QStringList top;
    for (const Search::SearchHit &hit : found->hits)
        top.append(QJsonDocument::fromJson(hit.document).object().value(QLatin1String("location")).toString());
    QVERIFY2(!top.isEmpty() && expect.contains(top.first()), qPrintable(QStringLiteral("top 3: ") + top.join(QStringLiteral(", "))));
}

void TestSearchRelevance::everyCategoryIsJudged()
{
    QHash<QString, int> perCategory;
    for (const QJsonValue &value : std::as_const(m_queries))
        ++perCategory[value[QLatin1String("category")].toString()];
    QVERIFY(m_queries.size() >= 40);
    for (const char *category : {"exact name", "partial name", "typo", "docs", "owner", "tag", "kind"})
        QVERIFY2(perCategory.value(QString::fromLatin1(category)) >= 2, category);
}

QTEST_GUILESS_MAIN(TestSearchRelevance)
#include "tst_searchrelevance.moc"
