// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// GET /api/search/query of a real greenroom-server, against what Backstage's
// search router answered for the same requests (golden/search-api.json):
// the same errors word for word, the same shapes and key order, the same
// catalog documents, cursors and paging.
#include <common/jsonkeyorder.h>
#include <serverprocess.h>
#include <testfiles.h>

#include "testconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Greenroom;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

const QString Golden = QStringLiteral(GREENROOM_SOURCE_DIR "/tests/search/golden/");

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(TestSupport::readFile(path)).object();
}

// The fixture's entities as a catalog file (JSON is YAML), without the relations the server works out itself.
QByteArray catalogFile()
{
    QByteArray yaml;
    for (const QJsonValue &value : readJson(Golden + QStringLiteral("search-fixture.json")).value(QLatin1String("entities")).toArray()) {
        QJsonObject entity = value.toObject();
        entity.remove(QStringLiteral("relations"));
        QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
        QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
        annotations.remove(QStringLiteral("backstage.io/managed-by-location"));
        metadata.insert(QStringLiteral("annotations"), annotations);
        entity.insert(QStringLiteral("metadata"), metadata);
        yaml += "---\n" + QJsonDocument(entity).toJson(QJsonDocument::Compact) + '\n';
    }
    return yaml;
}

QString config(const QString &catalog, const QString &extra = {})
{
    return QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                          "catalog:\n  processingInterval: false\n"
                          "  rules: [{allow: [Component, API, Group, User, Template, System, Location]}]\n"
                          "  locations: [{type: file, target: '%1'}]\n")
               .arg(catalog)
           + extra;
}

QStringList rootKeys(const QByteArray &json, const QString &path = QString())
{
    return JsonKeyOrder::fromJson(json).keys(path);
}

} // namespace

class TestSearchApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void refusalsAreBackstagesWordForWord();
    void answersHaveBackstagesShape();
    void catalogDocumentsAreBackstages();
    void cursorsPageAsBackstagesDo();
    void filtersMatchOrAreRefused();
    void unsafeLocationsAreLeftOut();
    void cleanup() { m_server->reportIfTestFailed(); }
    void cleanupTestCase() { m_server.reset(); }

private:
    Reply query(const QString &queryString)
    {
        return m_server->request("GET", QStringLiteral("/api/search/query") + (queryString.isEmpty() ? QString() : QLatin1Char('?') + queryString));
    }
    QJsonArray goldenCases() const { return readJson(Golden + QStringLiteral("search-api.json")).value(QLatin1String("cases")).toArray(); }

    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
};

void TestSearchApi::initTestCase()
{
    writeFile(m_dir.filePath(QStringLiteral("catalog/catalog-info.yaml")), catalogFile());
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              config(m_dir.filePath(QStringLiteral("catalog/catalog-info.yaml"))).toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.path()), m_server->output().constData());
}

void TestSearchApi::refusalsAreBackstagesWordForWord()
{
    int compared = 0;
    for (const QJsonValue &value : goldenCases()) {
        const QJsonObject golden = value.toObject();
        if (golden.value(QLatin1String("status")).toInt() != 400)
            continue;
        const QString queryString = golden.value(QLatin1String("query")).toString();
        const Reply reply = query(queryString);
        QVERIFY2(reply.status == 400, qPrintable(queryString));
        const QJsonObject error = reply.json()[QLatin1String("error")].toObject();
        const QJsonObject expected = golden.value(QLatin1String("body")).toObject().value(QLatin1String("error")).toObject();
        QCOMPARE(error.value(QLatin1String("name")), expected.value(QLatin1String("name")));
        QCOMPARE(error.value(QLatin1String("message")), expected.value(QLatin1String("message")));
        QCOMPARE(reply.json()[QLatin1String("response")][QLatin1String("statusCode")].toInt(), 400);
        ++compared;
    }
    QVERIFY(compared >= 10);
}

void TestSearchApi::answersHaveBackstagesShape()
{
    static const QRegularExpression tag(QStringLiteral("^<([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>$"));
    int compared = 0;
    for (const QJsonValue &value : goldenCases()) {
        const QJsonObject golden = value.toObject();
        if (golden.value(QLatin1String("status")).toInt() != 200)
            continue;
        const QString queryString = golden.value(QLatin1String("query")).toString();
        if (queryString.startsWith(QLatin1String("filters")) || queryString.startsWith(QLatin1String("pageLimit=-1")))
            continue;   // filters: Greenroom's own rules (below); a negative limit: Backstage slices oddly
        const Reply reply = query(queryString);
        QVERIFY2(reply.status == 200, qPrintable(queryString + QLatin1Char(' ') + QString::fromUtf8(reply.body)));
        const QJsonObject expected = golden.value(QLatin1String("body")).toObject();
        // Top-level keys in Backstage's order; cursors present exactly when Backstage's are
        // (its techdocs documents are the fixture's, ours are built: paging cases search the catalog only).
        QStringList keys = rootKeys(reply.body);
        QStringList expectedKeys = JsonKeyOrder::fromJson(QJsonDocument(expected).toJson()).keys(QString());
        expectedKeys = {QStringLiteral("numberOfResults")};
        for (const char *cursor : {"nextPageCursor", "previousPageCursor"}) {
            if (expected.contains(QLatin1String(cursor)))
                expectedKeys.append(QLatin1String(cursor));
        }
        expectedKeys.append(QStringLiteral("results"));
        if (!queryString.contains(QLatin1String("pageLimit=2")))
            QCOMPARE(keys, expectedKeys);
        const QJsonObject body = reply.json().toObject();
        const QJsonArray results = body.value(QLatin1String("results")).toArray();
        for (qsizetype i = 0; i < results.size(); ++i) {
            const QString path = JsonKeyOrder::path({QStringLiteral("results"), QString::number(i)});
            QCOMPARE(rootKeys(reply.body, path),
                     (QStringList{QStringLiteral("type"), QStringLiteral("document"), QStringLiteral("rank"), QStringLiteral("highlight")}));
            QCOMPARE(rootKeys(reply.body, JsonKeyOrder::childPath(path, QStringLiteral("highlight"))),
                     (QStringList{QStringLiteral("preTag"), QStringLiteral("postTag"), QStringLiteral("fields")}));
            const QJsonObject result = results.at(i).toObject();
            QCOMPARE(result.value(QLatin1String("rank")).toInt(), int(i) + 1 + (queryString.contains(QLatin1String("pageCursor=MQ")) ? 2 : 0)
                                                                       + (queryString.contains(QLatin1String("pageCursor=Mg")) ? 4 : 0));
            const QJsonObject highlight = result.value(QLatin1String("highlight")).toObject();
            const QRegularExpressionMatch pre = tag.match(highlight.value(QLatin1String("preTag")).toString());
            QVERIFY(pre.hasMatch());
            QCOMPARE(highlight.value(QLatin1String("postTag")).toString(), QStringLiteral("</%1>").arg(pre.captured(1)));
            QVERIFY(!result.value(QLatin1String("document")).toObject().contains(QLatin1String("authorization")));
        }
        ++compared;
    }
    QVERIFY(compared >= 15);

    // A word's matches are wrapped in the tags, in every field they are in.
    const QJsonObject payment = query(QStringLiteral("term=gateway&types%5B0%5D=software-catalog")).json().toObject();
    const QJsonObject first = payment.value(QLatin1String("results")).toArray().first().toObject();
    const QJsonObject highlight = first.value(QLatin1String("highlight")).toObject();
    const QString pre = highlight.value(QLatin1String("preTag")).toString();
    const QString post = highlight.value(QLatin1String("postTag")).toString();
    QCOMPARE(highlight.value(QLatin1String("fields")).toObject().value(QLatin1String("title")).toString(),
             QStringLiteral("Payment %1Gateway%2").arg(pre, post));
    QCOMPARE(first.value(QLatin1String("type")).toString(), QStringLiteral("software-catalog"));
}

void TestSearchApi::catalogDocumentsAreBackstages()
{
    QJsonArray expected = readJson(Golden + QStringLiteral("search-api.json")).value(QLatin1String("documents")).toObject()
                              .value(QLatin1String("software-catalog")).toArray();
    const Reply reply = query(QStringLiteral("types%5B%5D=software-catalog&pageLimit=100"));
    QCOMPARE(reply.status, 200);
    const QJsonArray results = reply.json()[QLatin1String("results")].toArray();
    QCOMPARE(results.size(), expected.size() + 1);
    QCOMPARE(reply.json()[QLatin1String("numberOfResults")].toInt(), int(expected.size()) + 1);
    for (const QJsonValue &result : results) {
        const QJsonObject document = result[QLatin1String("document")].toObject();
        if (document.value(QLatin1String("kind")).toString() == QLatin1String("Location"))
            continue;   // the entity the server makes for its configured location (Backstage makes one too)
        bool found = false;
        for (qsizetype i = 0; i < expected.size() && !found; ++i) {
            QJsonObject golden = expected.at(i).toObject();
            golden.remove(QStringLiteral("authorization"));
            if (golden == document) {
                expected.removeAt(i);
                found = true;
            }
        }
        QVERIFY2(found, QJsonDocument(document).toJson().constData());
    }
    QVERIFY(expected.isEmpty());
    // Keys in the collator's order, in the body as sent.
    QCOMPARE(rootKeys(reply.body, JsonKeyOrder::path({QStringLiteral("results"), QStringLiteral("0"), QStringLiteral("document")})),
             (QStringList{QStringLiteral("title"), QStringLiteral("text"), QStringLiteral("componentType"), QStringLiteral("type"),
                          QStringLiteral("namespace"), QStringLiteral("kind"), QStringLiteral("lifecycle"), QStringLiteral("owner"),
                          QStringLiteral("location")}));
}

void TestSearchApi::cursorsPageAsBackstagesDo()
{
    const QString catalog = QStringLiteral("types%5B0%5D=software-catalog&pageLimit=3");
    const QJsonObject first = query(catalog).json().toObject();
    QCOMPARE(first.value(QLatin1String("numberOfResults")).toInt(), 8);   // the fixture's seven and the configured location
    QCOMPARE(first.value(QLatin1String("nextPageCursor")).toString(), QStringLiteral("MQ=="));
    QVERIFY(!first.contains(QLatin1String("previousPageCursor")));
    const QJsonObject second = query(catalog + QStringLiteral("&pageCursor=MQ%3D%3D")).json().toObject();
    QCOMPARE(second.value(QLatin1String("nextPageCursor")).toString(), QStringLiteral("Mg=="));
    QCOMPARE(second.value(QLatin1String("previousPageCursor")).toString(), QStringLiteral("MA=="));
    QCOMPARE(second.value(QLatin1String("results")).toArray().first()[QLatin1String("rank")].toInt(), 4);
    const QJsonObject last = query(catalog + QStringLiteral("&pageCursor=Mg%3D%3D")).json().toObject();
    QCOMPARE(last.value(QLatin1String("results")).toArray().size(), 2);
    QVERIFY(!last.contains(QLatin1String("nextPageCursor")));
    QCOMPARE(last.value(QLatin1String("previousPageCursor")).toString(), QStringLiteral("MQ=="));
    // A cursor naming no page: no results, the total, no cursors (as Lunr and Postgres answer).
    const Reply garbage = query(catalog + QStringLiteral("&pageCursor=garbage"));
    QCOMPARE(garbage.status, 200);
    QCOMPARE(rootKeys(garbage.body), (QStringList{QStringLiteral("numberOfResults"), QStringLiteral("results")}));
    QCOMPARE(garbage.json()[QLatin1String("numberOfResults")].toInt(), 8);
    // pageLimit=0, the count the UI's type tabs ask for: the total, and a page of 25.
    const QJsonObject counted = query(QStringLiteral("types%5B0%5D=software-catalog&pageLimit=0")).json().toObject();
    QCOMPARE(counted.value(QLatin1String("numberOfResults")).toInt(), 8);
    QCOMPARE(counted.value(QLatin1String("results")).toArray().size(), 8);
}

void TestSearchApi::filtersMatchOrAreRefused()
{
    const QJsonObject kind = query(QStringLiteral("filters%5Bkind%5D=Component&types%5B0%5D=software-catalog")).json().toObject();
    QCOMPARE(kind.value(QLatin1String("numberOfResults")).toInt(), 2);
    // Several values: any of them (Lunr ignores such a filter; Postgres ORs it).
    const QJsonObject lifecycles = query(QStringLiteral("filters%5Blifecycle%5D%5B0%5D=production&filters%5Blifecycle%5D%5B1%5D=experimental"
                                                        "&types%5B0%5D=software-catalog"))
                                       .json().toObject();
    QCOMPARE(lifecycles.value(QLatin1String("numberOfResults")).toInt(), 3);
    // A field no document has is refused with a reason, not answered with nothing.
    const Reply unknown = query(QStringLiteral("filters%5Bnope%5D=x"));
    QCOMPARE(unknown.status, 400);
    QVERIFY2(unknown.errorMessage().startsWith(QStringLiteral("Unknown filter field 'nope'")), unknown.body.constData());
    QCOMPARE(query(QStringLiteral("filters%5Bkind%5D%5Ba%5D=x")).status, 400);
}

void TestSearchApi::unsafeLocationsAreLeftOut()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              config(m_dir.filePath(QStringLiteral("catalog/catalog-info.yaml")),
                     QStringLiteral("search:\n  maxPageLimit: 500\n  collators:\n    catalog:\n      locationTemplate: 'javascript:alert(:name)'\n"))
                  .toUtf8());
    ServerProcess server;
    QVERIFY2(server.start(dir.path()), server.output().constData());
    const Reply reply = server.request("GET", QStringLiteral("/api/search/query?types%5B0%5D=software-catalog&pageLimit=200"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json()[QLatin1String("results")].toArray().size(), 0);
    QCOMPARE(reply.json()[QLatin1String("numberOfResults")].toInt(), 8);   // as upstream: not recounted
    QVERIFY2(server.output().contains("Rejected search result"), server.output().constData());
}

QTEST_GUILESS_MAIN(TestSearchApi)
#include "tst_searchapi.moc"
