// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The documents Greenroom's collators make, and its store indexes, against
// those Backstage's own collators made of the same entities and sites
// (golden/search-api.json, written by golden/search-oracle.cjs).
#include <common/jsonkeyorder.h>
#include <search/searchdocuments.h>
#include <store/sqlitecatalogstore.h>

#include "testconfig.h"
#include "testfiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using Greenroom::TestSupport::readFile;

namespace {

const QString Golden = QStringLiteral(GREENROOM_SOURCE_DIR "/tests/search/golden/");

// Backstage's document without authorization, and its root keys in order.
struct Expected
{
    QJsonObject document;
    QStringList keys;
    QStringList annotationKeys;
    QString resourceRef;
};

QList<Expected> expectedDocuments(const QString &type)
{
    const QByteArray text = readFile(Golden + QStringLiteral("search-api.json"));
    const JsonKeyOrder order = JsonKeyOrder::fromJson(text);
    const QJsonArray documents = QJsonDocument::fromJson(text).object().value(QLatin1String("documents")).toObject().value(type).toArray();
    QList<Expected> expected;
    for (qsizetype i = 0; i < documents.size(); ++i) {
        QJsonObject document = documents.at(i).toObject();
        const QString path = JsonKeyOrder::path({QStringLiteral("documents"), type, QString::number(i)});
        QStringList keys = order.keys(path);
        keys.removeAll(QStringLiteral("authorization"));
        const QString resourceRef = document.take(QLatin1String("authorization")).toObject().value(QLatin1String("resourceRef")).toString();
        expected.append({document, keys, order.keys(JsonKeyOrder::childPath(path, QStringLiteral("annotations"))), resourceRef});
    }
    return expected;
}

struct Fixture
{
    QList<QJsonObject> entities;
    QList<QByteArray> entityJson;     // each as the fixture wrote it (its key order)
    QJsonObject searchIndexes;
};

Fixture fixture()
{
    Fixture f;
    const QByteArray text = readFile(Golden + QStringLiteral("search-fixture.json"));
    const JsonKeyOrder order = JsonKeyOrder::fromJson(text);
    const QJsonObject root = QJsonDocument::fromJson(text).object();
    const QJsonArray entities = root.value(QLatin1String("entities")).toArray();
    for (qsizetype i = 0; i < entities.size(); ++i) {
        f.entities.append(entities.at(i).toObject());
        f.entityJson.append(order.below(JsonKeyOrder::path({QStringLiteral("entities"), QString::number(i)})).toJson(f.entities.last()));
    }
    f.searchIndexes = root.value(QLatin1String("searchIndexes")).toObject();
    return f;
}

QList<Search::DocsIndexEntry> entriesOf(const QJsonObject &searchIndex)
{
    QList<Search::DocsIndexEntry> entries;
    for (const QJsonValue &doc : searchIndex.value(QLatin1String("docs")).toArray()) {
        const QJsonObject d = doc.toObject();
        entries.append({d.value(QLatin1String("location")).toString(), d.value(QLatin1String("title")).toString(),
                        d.value(QLatin1String("text")).toString()});
    }
    return entries;
}

void compareDocument(const QByteArray &json, const Expected &expected)
{
    const QJsonObject document = QJsonDocument::fromJson(json).object();
    QCOMPARE(document, expected.document);
    const JsonKeyOrder order = JsonKeyOrder::fromJson(json);
    QCOMPARE(order.keys(QString()), expected.keys);
    QCOMPARE(order.keys(JsonKeyOrder::path({QStringLiteral("annotations")})), expected.annotationKeys);
}

} // namespace

class TestSearchDocuments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void catalogDocumentsAreBackstages();
    void techDocsDocumentsAreBackstages();
    void theStoreIndexesTheSameDocuments();
    void locationTemplatesAreApplied();
};

void TestSearchDocuments::catalogDocumentsAreBackstages()
{
    const Fixture f = fixture();
    const QList<Expected> expected = expectedDocuments(Search::catalogType());
    QCOMPARE(expected.size(), f.entities.size());
    for (qsizetype i = 0; i < f.entities.size(); ++i) {
        const Search::IndexedDocument document = Search::catalogDocument(f.entities.at(i), {});
        compareDocument(document.json, expected.at(i));
        QCOMPARE(document.entityRef, expected.at(i).resourceRef);
        QCOMPARE(document.type, QStringLiteral("software-catalog"));
    }
}

void TestSearchDocuments::techDocsDocumentsAreBackstages()
{
    const Fixture f = fixture();
    const QList<Expected> expected = expectedDocuments(Search::techDocsType());
    QList<Search::IndexedDocument> made;
    for (qsizetype i = 0; i < f.entities.size(); ++i) {
        const QString ref = Search::catalogDocument(f.entities.at(i), {}).entityRef;
        if (!f.searchIndexes.contains(ref))
            continue;
        QVERIFY(Search::hasTechDocs(f.entities.at(i)));
        made += Search::techDocsDocuments(f.entities.at(i), JsonKeyOrder::fromJson(f.entityJson.at(i)),
                                          entriesOf(f.searchIndexes.value(ref).toObject()), {});
    }
    QCOMPARE(made.size(), expected.size());
    for (qsizetype i = 0; i < made.size(); ++i) {
        compareDocument(made.at(i).json, expected.at(i));
        QCOMPARE(made.at(i).entityRef, expected.at(i).resourceRef);
    }
    // HTML entities in the site's index are text in the document, as lodash's unescape makes them.
    QCOMPARE(QJsonDocument::fromJson(made.at(3).json).object().value(QLatin1String("title")).toString(), QStringLiteral("Install & run"));
}

void TestSearchDocuments::theStoreIndexesTheSameDocuments()
{
    QTemporaryDir dir;
    auto store = Store::SqliteCatalogStore::open(dir.filePath(QStringLiteral("cache.db")));
    QVERIFY(store);
    const Fixture f = fixture();
    Store::MirrorBatch batch;
    for (qsizetype i = 0; i < f.entities.size(); ++i) {
        const QString ref = Search::catalogDocument(f.entities.at(i), {}).entityRef;
        batch.changes.append({false, ref, QStringLiteral("uid-%1").arg(i), QStringLiteral("etag-%1").arg(i), f.entityJson.at(i), {}, false});
    }
    QVERIFY(store.value()->applyMirror(batch));
    for (auto it = f.searchIndexes.constBegin(); it != f.searchIndexes.constEnd(); ++it) {
        Store::DocsSiteWrite site;
        site.entityRef = it.key();
        site.entityUid = QStringLiteral("uid");
        site.files = {{QStringLiteral("techdocs_metadata.json"), QByteArrayLiteral("{}")},
                      {QStringLiteral("search/search_index.json"), QJsonDocument(it.value().toObject()).toJson()}};
        QVERIFY(store.value()->putDocsSite(site));
    }

    Search::SearchRequest everything;
    everything.limit = 100;
    auto found = store.value()->searchDocuments(everything);
    QVERIFY(found);
    QList<Expected> expected = expectedDocuments(Search::catalogType()) + expectedDocuments(Search::techDocsType());
    QCOMPARE(found->total, qint64(expected.size()));
    QCOMPARE(found->hits.size(), expected.size());
    for (const Search::SearchHit &hit : found->hits) {
        const QJsonObject document = QJsonDocument::fromJson(hit.document).object();
        const auto match = std::find_if(expected.cbegin(), expected.cend(), [&](const Expected &e) { return e.document == document; });
        QVERIFY2(match != expected.cend(), hit.document.constData());
        compareDocument(hit.document, *match);
        QCOMPARE(hit.entityRef, match->resourceRef);
        expected.removeAt(match - expected.cbegin());
    }
    QVERIFY(expected.isEmpty());
}

void TestSearchDocuments::locationTemplatesAreApplied()
{
    const Fixture f = fixture();
    Search::CollatorOptions options;
    options.catalogLocationTemplate = QStringLiteral("/portal/:kind/:namespace/:name");
    options.techDocsLocationTemplate = QStringLiteral("/read/:name/:path");
    const QJsonObject catalog = QJsonDocument::fromJson(Search::catalogDocument(f.entities.at(1), options).json).object();
    QCOMPARE(catalog.value(QLatin1String("location")).toString(), QStringLiteral("/portal/component/ops/store"));
    const auto docs = Search::techDocsDocuments(f.entities.at(0), {}, {{QStringLiteral("a/#b"), QStringLiteral("B"), QString()}}, options);
    QCOMPARE(QJsonDocument::fromJson(docs.first().json).object().value(QLatin1String("location")).toString(),
             QStringLiteral("/read/payment-gateway/a/#b"));
    options.legacyCaseSensitiveTriplets = true;
    const auto legacy = Search::techDocsDocuments(f.entities.at(1), {}, {{QString(), QStringLiteral("Home"), QString()}}, options);
    QCOMPARE(QJsonDocument::fromJson(legacy.first().json).object().value(QLatin1String("name")).toString(), QStringLiteral("Store"));
}

QTEST_GUILESS_MAIN(TestSearchDocuments)
#include "tst_searchdocuments.moc"
