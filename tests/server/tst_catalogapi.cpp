// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Starts the real greenroom-server on an ephemeral loopback port with a
// temporary database and a small catalog, and speaks HTTP to it.
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using Greenroom::TestSupport::writeFile;

using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;

class TestCatalogApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listsEntities();
    void projectsAndPaginates();
    void badParametersAre400();
    void byNameAndUid();
    void byRefsKeepsOrderAndNulls();
    void unknownQueryParametersAreRefused_data();
    void unknownQueryParametersAreRefused();
    void facets();
    void queryPagesToTheEndByCursor();
    void queryPredicatesAndFullText();
    void queryBadInputIs400();
    void queryTotalIsFrozenInTheCursor();
    void validateEntity();
    void ancestry();
    void deleteByUid();
    void unknownRoutesAre404WithEmptyBody();
    void oversizedBodyIsRefused();
    void health();
    void rawHttpGarbageLeavesServerServing();

private:
    Reply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const QByteArray &contentType = "application/json")
    {
        return m_server.request(method, path, body, contentType);
    }
    QTemporaryDir m_dir;
    ServerProcess m_server;
    QString m_base;
};

void TestCatalogApi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    writeFile(m_dir.filePath(QStringLiteral("org/catalog-info.yaml")), R"(apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: org}
spec:
  targets: [./teams.yaml, ./components.yaml]
)");
    writeFile(m_dir.filePath(QStringLiteral("org/teams.yaml")), R"(apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-b}
spec: {type: team, children: []}
)");
    QByteArray components;
    for (int i = 0; i < 12; ++i) {
        components += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-%1\n"
                                     "  tags: [%2]\n%3spec:\n  type: service\n  lifecycle: %4\n  owner: %5\n")
                          .arg(i, 2, 10, QLatin1Char('0'))
                          .arg(i % 2 ? QStringLiteral("java") : QStringLiteral("go"))
                          .arg(i < 3 ? QStringLiteral("  title: Service %1\n").arg(i) : QString())
                          .arg(i % 3 ? QStringLiteral("production") : QStringLiteral("experimental"))
                          .arg(i % 2 ? QStringLiteral("team-a") : QStringLiteral("team-b"))
                          .toUtf8();
    }
    writeFile(m_dir.filePath(QStringLiteral("org/components.yaml")), components);
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              QStringLiteral("backend:\n  listen: {host: 127.0.0.1, port: 0}\n"
                             "  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                             "catalog:\n  rules: [{allow: [Component, Group, Location]}]\n"
                             "  locations:\n    - {type: file, target: org/catalog-info.yaml}\n")
                  .arg(m_dir.filePath(QStringLiteral("db")))
                  .toUtf8());

    QVERIFY2(m_server.start(m_dir.path()), m_server.output().constData());
    m_base = m_server.base();
    QVERIFY2(m_server.output().contains("16 added"), m_server.output().constData());
}

void TestCatalogApi::cleanupTestCase()
{
    m_server.stop();
}

void TestCatalogApi::listsEntities()
{
    const Reply all = request("GET", QStringLiteral("/api/catalog/entities"));
    QCOMPARE(all.status, 200);
    QCOMPARE(all.headers.value("content-type"), QByteArray("application/json; charset=utf-8"));
    QCOMPARE(all.json().toArray().size(), 16);   // 12 components, 2 groups, 2 locations
    // Whole entities are sent as stored, their keys in the order their file
    // wrote them (what processing added after them); a projection of every
    // field keeps that order byte for byte.
    const Reply projectedAll = request("GET", QStringLiteral("/api/catalog/entities?fields=apiVersion,kind,metadata,spec,relations,status"));
    QCOMPARE(all.body, projectedAll.body);
    QVERIFY2(all.body.contains(R"("metadata":{"name":"svc-10","tags":["go"],"annotations":{"backstage.io/managed-by-location")"), all.body.constData());
    const Reply byName = request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/svc-10"));
    QVERIFY2(all.body.contains(byName.body), byName.body.constData());
    const Reply byRefs = request("POST", QStringLiteral("/api/catalog/entities/by-refs"), R"({"entityRefs":["component:default/svc-10","component:default/nope"]})");
    QCOMPARE(byRefs.body, "{\"items\":[" + byName.body + ",null]}");
    const Reply byUid = request("GET", QStringLiteral("/api/catalog/entities/by-uid/") + byName.json()[QLatin1String("metadata")][QLatin1String("uid")].toString());
    QCOMPARE(byUid.body, byName.body);
    const Reply query = request("GET", QStringLiteral("/api/catalog/entities/by-query?limit=100"));
    QVERIFY(query.body.contains(byName.body));
    // OR across filters, AND within, case-insensitive values.
    const Reply filtered = request(
        "GET", QStringLiteral("/api/catalog/entities?filter=kind%3DComponent%2Cspec.lifecycle%3DEXPERIMENTAL&filter=kind%3Dgroup"));
    QCOMPARE(filtered.json().toArray().size(), 4 + 2);
    // Unpaginated ordering drops entities without the field (Backstage 1.55).
    const Reply titled = request("GET", QStringLiteral("/api/catalog/entities?filter=kind=component&order=desc:metadata.title"));
    QStringList titles;
    for (const QJsonValue &e : titled.json().toArray())
        titles << e[QLatin1String("metadata")][QLatin1String("title")].toString();
    QCOMPARE(titles, (QStringList{QStringLiteral("Service 2"), QStringLiteral("Service 1"), QStringLiteral("Service 0")}));
}

void TestCatalogApi::projectsAndPaginates()
{
    QStringList names;
    QString next = QStringLiteral("/api/catalog/entities?filter=kind=component&fields=metadata.name&limit=5");
    int pages = 0;
    while (!next.isEmpty() && pages < 10) {
        const Reply page = request("GET", next);
        QCOMPARE(page.status, 200);
        for (const QJsonValue &e : page.json().toArray()) {
            QCOMPARE(e.toObject().keys(), QStringList{QStringLiteral("metadata")});
            names << e[QLatin1String("metadata")][QLatin1String("name")].toString();
        }
        ++pages;
        next.clear();
        const QByteArray link = page.headers.value("link");
        if (!link.isEmpty()) {
            static const QRegularExpression form(QStringLiteral("^<(/entities\\?[^>]+)>; rel=\"next\"$"));
            const QRegularExpressionMatch match = form.match(QString::fromLatin1(link));
            QVERIFY2(match.hasMatch(), link.constData());
            next = QStringLiteral("/api/catalog") + match.captured(1);
        }
    }
    QCOMPARE(pages, 3);
    QCOMPARE(names.size(), 12);
    QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), 12);
}

void TestCatalogApi::badParametersAre400()
{
    const auto message = [&](const QString &path) {
        const Reply reply = request("GET", path);
        return std::pair(reply.status, reply.json()[QLatin1String("error")][QLatin1String("message")].toString());
    };
    QCOMPARE(message(QStringLiteral("/api/catalog/entities?limit=0")),
             std::pair(400, QStringLiteral("Invalid limit, must be greater than zero")));
    QCOMPARE(message(QStringLiteral("/api/catalog/entities?offset=-1")),
             std::pair(400, QStringLiteral("Invalid offset, must be zero or greater")));
    QCOMPARE(message(QStringLiteral("/api/catalog/entities?limit=abc")).first, 400);
    QCOMPARE(message(QStringLiteral("/api/catalog/entities?order=up:metadata.name")),
             std::pair(400, QStringLiteral("Invalid order parameter \"up:metadata.name\", expected \"<asc or desc>:<field name>\"")));
    QCOMPARE(message(QStringLiteral("/api/catalog/entities?filter=%3Dx")).first, 400);
    QCOMPARE(message(QStringLiteral("/api/catalog/entities?after=%25%25%25")),
             std::pair(400, QStringLiteral("Malformed after cursor, could not be parsed")));
    QCOMPARE(message(QStringLiteral("/api/catalog/entities?fields=relations[0]")).first, 400);
    const Reply shaped = request("GET", QStringLiteral("/api/catalog/entities?limit=0"));
    const QJsonObject body = shaped.json().toObject();
    QCOMPARE(body[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("InputError"));
    QCOMPARE(body[QLatin1String("request")][QLatin1String("method")].toString(), QStringLiteral("GET"));
    QCOMPARE(body[QLatin1String("request")][QLatin1String("url")].toString(), QStringLiteral("/entities?limit=0"));
    QCOMPARE(body[QLatin1String("response")][QLatin1String("statusCode")].toInt(), 400);
}

void TestCatalogApi::byNameAndUid()
{
    const Reply byName = request("GET", QStringLiteral("/api/catalog/entities/by-name/COMPONENT/Default/SVC-01"));
    QCOMPARE(byName.status, 200);
    const QJsonObject entity = byName.json().toObject();
    QCOMPARE(entity[QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("svc-01"));
    QVERIFY(!entity[QLatin1String("metadata")][QLatin1String("etag")].toString().isEmpty());
    const QString uid = entity[QLatin1String("metadata")][QLatin1String("uid")].toString();
    const Reply byUid = request("GET", QStringLiteral("/api/catalog/entities/by-uid/") + uid);
    QCOMPARE(byUid.status, 200);
    QCOMPARE(byUid.json().toObject(), entity);
    const Reply missing = request("GET", QStringLiteral("/api/catalog/entities/by-uid/nope"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json()[QLatin1String("error")][QLatin1String("message")].toString(), QStringLiteral("No entity with uid nope"));
    const Reply missingName = request("GET", QStringLiteral("/api/catalog/entities/by-name/Component/default/Nope"));
    QCOMPARE(missingName.json()[QLatin1String("error")][QLatin1String("message")].toString(),
             QStringLiteral("No entity named 'Nope' found, with kind 'Component' in namespace 'default'"));
}

void TestCatalogApi::byRefsKeepsOrderAndNulls()
{
    const QByteArray body = R"({"entityRefs":["component:default/svc-02","component:default/missing","Group:Default/Team-A",
                                "svc-01","component:default/svc-02"],"fields":["metadata.name"]})";
    const Reply reply = request("POST", QStringLiteral("/api/catalog/entities/by-refs?filter=kind=component"), body);
    QCOMPARE(reply.status, 200);
    const QJsonArray items = reply.json()[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 5);
    QCOMPARE(items.at(0).toObject(), (QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("svc-02")}}}}));
    QVERIFY(items.at(1).isNull());
    QVERIFY(items.at(2).isNull());   // exists, filtered out
    QVERIFY(items.at(3).isNull());   // no shorthand expansion
    QCOMPARE(items.at(4), items.at(0));
    QCOMPARE(request("POST", QStringLiteral("/api/catalog/entities/by-refs"), R"({"entityRefs":[]})").json(),
             QJsonValue(QJsonObject{{QStringLiteral("items"), QJsonArray()}}));
    const Reply wrongType = request("POST", QStringLiteral("/api/catalog/entities/by-refs"), body, "text/plain");
    QCOMPARE(wrongType.status, 400);
    QVERIFY(wrongType.json()[QLatin1String("error")][QLatin1String("message")].toString().startsWith(
        QStringLiteral("Malformed request body (did you remember to specify an application/json content type?)")));
    QCOMPARE(request("POST", QStringLiteral("/api/catalog/entities/by-refs"), R"({"entityRefs":"x"})").status, 400);

    // Refs are compared as given (Backstage 1.55): another case or no namespace finds nothing.
    const Reply asGiven = request("POST", QStringLiteral("/api/catalog/entities/by-refs"),
                                  R"({"entityRefs":["Component:default/svc-02","component:svc-02","component:default/svc-02"],"fields":["kind"]})");
    const QJsonArray given = asGiven.json()[QLatin1String("items")].toArray();
    QCOMPARE(given.size(), 3);
    QVERIFY(given.at(0).isNull());
    QVERIFY(given.at(1).isNull());
    QCOMPARE(given.at(2)[QLatin1String("kind")].toString(), QStringLiteral("Component"));
    // `fields` belongs in the body; in the query string it is refused, as the OpenAPI validator refuses it.
    const Reply queryFields = request("POST", QStringLiteral("/api/catalog/entities/by-refs?fields=kind"), R"({"entityRefs":[]})");
    QCOMPARE(queryFields.status, 400);
    QCOMPARE(queryFields.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("InputError"));
    QCOMPARE(queryFields.json()[QLatin1String("error")][QLatin1String("message")].toString(), QStringLiteral("Unknown query parameter 'fields'"));
}

void TestCatalogApi::unknownQueryParametersAreRefused_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("unknown");
    // Each catalog route takes only the query parameters Backstage's OpenAPI spec declares for it.
    QTest::newRow("by-name") << QByteArray("GET") << QStringLiteral("/entities/by-name/component/default/svc-01?fields=kind") << QByteArray() << QStringLiteral("fields");
    QTest::newRow("by-uid") << QByteArray("GET") << QStringLiteral("/entities/by-uid/x?pretty=1") << QByteArray() << QStringLiteral("pretty");
    QTest::newRow("entities") << QByteArray("GET") << QStringLiteral("/entities?filter=kind=api&fullTextFilterTerm=x") << QByteArray()
                              << QStringLiteral("fullTextFilterTerm");
    QTest::newRow("by-query") << QByteArray("GET") << QStringLiteral("/entities/by-query?after=x") << QByteArray() << QStringLiteral("after");
    QTest::newRow("POST by-query") << QByteArray("POST") << QStringLiteral("/entities/by-query?limit=1") << QByteArray("{}") << QStringLiteral("limit");
    QTest::newRow("facets") << QByteArray("GET") << QStringLiteral("/entity-facets?facet=kind&fields=kind") << QByteArray() << QStringLiteral("fields");
    QTest::newRow("locations") << QByteArray("GET") << QStringLiteral("/locations?limit=1") << QByteArray() << QStringLiteral("limit");
    QTest::newRow("ancestry") << QByteArray("GET") << QStringLiteral("/entities/by-name/component/default/svc-01/ancestry?x") << QByteArray() << QStringLiteral("x");
    QTest::newRow("validate") << QByteArray("POST") << QStringLiteral("/validate-entity?dryRun=true") << QByteArray("{}") << QStringLiteral("dryRun");
}

void TestCatalogApi::unknownQueryParametersAreRefused()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, unknown);
    const Reply reply = request(method, QStringLiteral("/api/catalog") + path, body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("InputError"));
    QCOMPARE(reply.json()[QLatin1String("error")][QLatin1String("message")].toString(), QStringLiteral("Unknown query parameter '%1'").arg(unknown));
}

void TestCatalogApi::facets()
{
    const Reply reply = request("GET", QStringLiteral("/api/catalog/entity-facets?facet=Metadata.Tags&facet=spec.owner&filter=kind=component"));
    QCOMPARE(reply.status, 200);
    const QJsonObject facets = reply.json()[QLatin1String("facets")].toObject();
    QCOMPARE(facets.keys(), (QStringList{QStringLiteral("Metadata.Tags"), QStringLiteral("spec.owner")}));
    QCOMPARE(facets[QLatin1String("Metadata.Tags")].toArray(),
             (QJsonArray{QJsonObject{{QStringLiteral("count"), 6}, {QStringLiteral("value"), QStringLiteral("go")}},
                         QJsonObject{{QStringLiteral("count"), 6}, {QStringLiteral("value"), QStringLiteral("java")}}}));
    QCOMPARE(request("GET", QStringLiteral("/api/catalog/entity-facets")).status, 400);
}

namespace {

QJsonObject cursorContent(const QString &cursor)
{
    return QJsonDocument::fromJson(QByteArray::fromBase64(cursor.toLatin1())).object();
}

QStringList itemNames(const QJsonValue &body)
{
    QStringList names;
    for (const QJsonValue &e : body[QLatin1String("items")].toArray())
        names << e[QLatin1String("metadata")][QLatin1String("name")].toString();
    return names;
}

} // namespace

void TestCatalogApi::queryPagesToTheEndByCursor()
{
    // As catalog-client does it: the first page by GET, later pages by POST
    // when the cursor carries a predicate `query`, else by GET.
    QStringList names;
    QList<QJsonObject> pages;
    Reply page = request("GET", QStringLiteral("/api/catalog/entities/by-query?filter=kind=Component&orderField=metadata.name,desc"
                                               "&limit=5&fields=metadata.name"));
    while (true) {
        QCOMPARE(page.status, 200);
        const QJsonObject body = page.json().toObject();
        QCOMPARE(body[QLatin1String("totalItems")].toInt(), 12);
        pages << body;
        names << itemNames(body);
        const QString next = body[QLatin1String("pageInfo")][QLatin1String("nextCursor")].toString();
        if (next.isEmpty() || pages.size() > 5)
            break;
        const QJsonObject content = cursorContent(next);
        QCOMPARE(content[QLatin1String("query")].toObject(), (QJsonObject{{QStringLiteral("kind"), QStringLiteral("Component")}}));
        page = request("POST", QStringLiteral("/api/catalog/entities/by-query"),
                       QJsonDocument(QJsonObject{{QStringLiteral("cursor"), next}, {QStringLiteral("limit"), 5},
                                                 {QStringLiteral("fields"), QJsonArray{QStringLiteral("metadata.name")}}})
                           .toJson());
    }
    QCOMPARE(pages.size(), 3);
    QStringList expected;
    for (int i = 11; i >= 0; --i)
        expected << QStringLiteral("svc-%1").arg(i, 2, 10, QLatin1Char('0'));
    QCOMPARE(names, expected);
    QVERIFY(!pages.at(0)[QLatin1String("pageInfo")].toObject().contains(QLatin1String("prevCursor")));
    QVERIFY(pages.at(1)[QLatin1String("pageInfo")].toObject().contains(QLatin1String("prevCursor")));
    QCOMPARE(pages.at(2)[QLatin1String("items")].toArray().size(), 2);

    // Back from the last page by GET: the middle page again, with both cursors.
    const QString previous = pages.at(2)[QLatin1String("pageInfo")][QLatin1String("prevCursor")].toString();
    const Reply back = request("GET", QStringLiteral("/api/catalog/entities/by-query?limit=5&cursor=")
                                          + QString::fromLatin1(QUrl::toPercentEncoding(previous)));
    QCOMPARE(back.status, 200);
    QCOMPARE(itemNames(back.json()), names.mid(5, 5));
    QVERIFY(back.json()[QLatin1String("pageInfo")].toObject().contains(QLatin1String("nextCursor")));
    QVERIFY(back.json()[QLatin1String("pageInfo")].toObject().contains(QLatin1String("prevCursor")));
    // Cursors do not carry the limit: a later request chooses its own.
    const QString second = pages.at(0)[QLatin1String("pageInfo")][QLatin1String("nextCursor")].toString();
    const Reply wide = request("POST", QStringLiteral("/api/catalog/entities/by-query"),
                               QJsonDocument(QJsonObject{{QStringLiteral("cursor"), second}, {QStringLiteral("limit"), 100}}).toJson());
    QCOMPARE(itemNames(wide.json()), names.mid(5));
    QVERIFY(!wide.json()[QLatin1String("pageInfo")].toObject().contains(QLatin1String("nextCursor")));

    // Unordered and unfiltered: every entity once, 200 to a page by default.
    const Reply everything = request("GET", QStringLiteral("/api/catalog/entities/by-query"));
    QCOMPARE(everything.json()[QLatin1String("items")].toArray().size(), 16);
    QCOMPARE(everything.json()[QLatin1String("pageInfo")].toObject(), QJsonObject());
}

void TestCatalogApi::queryPredicatesAndFullText()
{
    const QByteArray predicate = R"({"query": {"$all": [{"kind": "component"}, {"$not": {"spec.lifecycle": "PRODUCTION"}}]},
        "orderBy": [{"field": "metadata.name", "order": "asc"}], "fields": ["metadata.name"], "limit": 3})";
    const Reply first = request("POST", QStringLiteral("/api/catalog/entities/by-query"), predicate);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.json()[QLatin1String("totalItems")].toInt(), 4);
    QCOMPARE(itemNames(first.json()), (QStringList{QStringLiteral("svc-00"), QStringLiteral("svc-03"), QStringLiteral("svc-06")}));
    const QString next = first.json()[QLatin1String("pageInfo")][QLatin1String("nextCursor")].toString();
    const Reply rest = request("POST", QStringLiteral("/api/catalog/entities/by-query"),
                               QJsonDocument(QJsonObject{{QStringLiteral("cursor"), next}}).toJson());
    QCOMPARE(itemNames(rest.json()), QStringList{QStringLiteral("svc-09")});

    const Reply text = request("GET", QStringLiteral("/api/catalog/entities/by-query?fullTextFilterTerm=%20SERVICE%201%20"
                                                     "&fullTextFilterFields=metadata.title,metadata.description"));
    QCOMPARE(itemNames(text.json()), QStringList{QStringLiteral("svc-01")});
    // Without fields the term searches the order field.
    const Reply byOrderField = request("GET", QStringLiteral("/api/catalog/entities/by-query?fullTextFilterTerm=team&orderField=metadata.name,asc"));
    QCOMPARE(itemNames(byOrderField.json()), (QStringList{QStringLiteral("team-a"), QStringLiteral("team-b")}));

    const Reply none = request("GET", QStringLiteral("/api/catalog/entities/by-query?filter=kind=component&limit=0"));
    QCOMPARE(none.status, 200);
    QCOMPARE(none.json().toObject(), (QJsonObject{{QStringLiteral("items"), QJsonArray()}, {QStringLiteral("totalItems"), 12},
                                                  {QStringLiteral("pageInfo"), QJsonObject()}}));
    const Reply excluded = request("GET", QStringLiteral("/api/catalog/entities/by-query?filter=kind=component&totalItems=exclude&limit=1"));
    QCOMPARE(excluded.json()[QLatin1String("totalItems")].toInt(), 0);
    QCOMPARE(excluded.json()[QLatin1String("items")].toArray().size(), 1);

    const Reply facets = request("POST", QStringLiteral("/api/catalog/entity-facets"),
                                 R"({"facets": ["spec.lifecycle", ""], "query": {"metadata.tags": {"$contains": "java"}}})");
    QCOMPARE(facets.status, 200);
    QCOMPARE(facets.json()[QLatin1String("facets")].toObject(),
             (QJsonObject{{QStringLiteral("spec.lifecycle"),
                           QJsonArray{QJsonObject{{QStringLiteral("count"), 2}, {QStringLiteral("value"), QStringLiteral("experimental")}},
                                      QJsonObject{{QStringLiteral("count"), 4}, {QStringLiteral("value"), QStringLiteral("production")}}}}}));
    const Reply byRefs = request("POST", QStringLiteral("/api/catalog/entities/by-refs"),
                                 R"({"entityRefs": ["component:default/svc-01", "component:default/svc-02"],
                                     "query": {"metadata.tags": "java"}, "fields": ["metadata.name"]})");
    const QJsonArray items = byRefs.json()[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0)[QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("svc-01"));
    QVERIFY(items.at(1).isNull());
}

void TestCatalogApi::queryBadInputIs400()
{
    const auto failure = [&](const QByteArray &method, const QString &path, const QByteArray &body = {}) {
        const Reply reply = request(method, QStringLiteral("/api/catalog") + path, body);
        return std::pair(reply.status, reply.json()[QLatin1String("error")][QLatin1String("message")].toString());
    };
    QCOMPARE(failure("GET", QStringLiteral("/entities/by-query?totalItems=some")),
             std::pair(400, QStringLiteral("Invalid totalItems parameter \"some\", expected one of: include, exclude")));
    QCOMPARE(failure("GET", QStringLiteral("/entities/by-query?orderField=metadata.name,up")),
             std::pair(400, QStringLiteral("Invalid order field order, must be asc or desc")));
    QVERIFY(failure("GET", QStringLiteral("/entities/by-query?cursor=bm90IGpzb24")).second.startsWith(QStringLiteral("Malformed cursor: ")));
    QVERIFY(failure("GET", QStringLiteral("/entities/by-query?cursor=e30%3D")).second.startsWith(QStringLiteral("Malformed cursor: ")));
    QCOMPARE(failure("GET", QStringLiteral("/entities/by-query?limit=many")).first, 400);
    QCOMPARE(failure("GET", QStringLiteral("/entities/by-query?limit=-1")).first, 400);
    QCOMPARE(failure("POST", QStringLiteral("/entities/by-query"), R"({"cursor": ""})"),
             std::pair(400, QStringLiteral("Cursor cannot be empty")));
    QCOMPARE(failure("POST", QStringLiteral("/entities/by-query"), R"({"limit": "10"})").first, 400);
    QCOMPARE(failure("POST", QStringLiteral("/entities/by-query"), R"({"orderBy": [{"field": "kind", "order": "up"}]})"),
             std::pair(400, QStringLiteral("Invalid order field order, must be asc or desc")));
    QCOMPARE(failure("POST", QStringLiteral("/entities/by-query"), R"({"totalItems": "all"})"),
             std::pair(400, QStringLiteral("Invalid totalItems value \"all\", expected one of: include, exclude")));
    for (const QByteArray &query : {QByteArray(R"(5)"), QByteArray(R"({"$foo": 1})"), QByteArray(R"({"kind": {"x": 1}})"),
                                    QByteArray(R"({"kind": "a", "$all": []})"), QByteArray(R"({"$all": {}})")}) {
        const auto [status, message] = failure("POST", QStringLiteral("/entities/by-query"), R"({"query": )" + query + "}");
        QCOMPARE(status, 400);
        QVERIFY2(message.startsWith(QStringLiteral("Invalid query: ")), qPrintable(message));
    }
    QCOMPARE(failure("POST", QStringLiteral("/entities/by-query"), R"({"query": {"relations": {"$contains": {"targetRef": "x"}}}})"),
             std::pair(400, QStringLiteral("The $contains operator for \"relations\" requires a \"type\" string property")));
    QCOMPARE(failure("POST", QStringLiteral("/entity-facets"), R"({"facets": []})"),
             std::pair(400, QStringLiteral("Missing or empty facets parameter")));
    const Reply wrongType = request("POST", QStringLiteral("/api/catalog/entities/by-query"), R"({"limit": 1})", "text/plain");
    QCOMPARE(wrongType.status, 400);
    QCOMPARE(wrongType.json()[QLatin1String("error")][QLatin1String("message")].toString(), QStringLiteral("Illegal Content-Type"));
}

void TestCatalogApi::queryTotalIsFrozenInTheCursor()
{
    const Reply first = request("GET", QStringLiteral("/api/catalog/entities/by-query?filter=kind=component&limit=4"));
    QCOMPARE(first.json()[QLatin1String("totalItems")].toInt(), 12);
    const QString uid = request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/svc-09"))
                            .json()[QLatin1String("metadata")][QLatin1String("uid")].toString();
    QCOMPARE(request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid).status, 204);
    const QString next = first.json()[QLatin1String("pageInfo")][QLatin1String("nextCursor")].toString();
    const Reply second = request("POST", QStringLiteral("/api/catalog/entities/by-query"),
                                 QJsonDocument(QJsonObject{{QStringLiteral("cursor"), next}, {QStringLiteral("limit"), 4}}).toJson());
    QCOMPARE(second.json()[QLatin1String("totalItems")].toInt(), 12);
    QCOMPARE(request("GET", QStringLiteral("/api/catalog/entities/by-query?filter=kind=component&limit=4"))
                 .json()[QLatin1String("totalItems")].toInt(),
             11);
}

void TestCatalogApi::validateEntity()
{
    const auto validate = [&](const QByteArray &body) { return request("POST", QStringLiteral("/api/catalog/validate-entity"), body); };
    const QByteArray component = R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"new-one"},
                                     "spec":{"type":"service","owner":"team-a","lifecycle":"production"}})";
    const Reply valid = validate(R"({"location":"url:https://git.example/org/repo/blob/main/catalog-info.yaml","entity":)" + component + "}");
    QCOMPARE(valid.status, 200);
    QVERIFY(valid.body.isEmpty());
    QCOMPARE(request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/new-one")).status, 404);   // nothing stored

    const auto errors = [&](const QByteArray &body) {
        const Reply reply = validate(body);
        [&] { QCOMPARE(reply.status, 400); }();
        const QJsonObject shape = reply.json().toObject();
        [&] { QCOMPARE(shape.keys(), QStringList{QStringLiteral("errors")}); }();   // no request/response wrapper
        return shape[QLatin1String("errors")].toArray();
    };
    const QJsonArray noType = errors(R"({"location":"url:https://h/c.yaml","entity":{"apiVersion":"backstage.io/v1alpha1",
        "kind":"Component","metadata":{"name":"x"},"spec":{"owner":"me","lifecycle":"production"}}})");
    QCOMPARE(noType.size(), 1);
    QCOMPARE(noType.first()[QLatin1String("name")].toString(), QStringLiteral("InputError"));
    QCOMPARE(noType.first()[QLatin1String("message")].toString(),
             QStringLiteral("Processor BuiltinKindsEntityProcessor threw an error while validating the entity component:default/x; "
                            "caused by TypeError: /spec must have required property 'type' - missingProperty: type"));
    QCOMPARE(noType.first()[QLatin1String("cause")][QLatin1String("name")].toString(), QStringLiteral("TypeError"));
    QCOMPARE(errors(R"({"location":"url:x","entity":{}})").first()[QLatin1String("message")].toString(),
             QStringLiteral("<root> must have required property 'apiVersion' - missingProperty: apiVersion"));
    QCOMPARE(errors(R"({"location":"file:/x","entity":)" + component + "}").first()[QLatin1String("message")].toString(),
             QStringLiteral("Invalid location ref file:/x, only 'url:<target>' is supported, e.g. url:https://host/path"));
    QCOMPARE(errors(R"({"location":"nocolon","entity":)" + component + "}").first()[QLatin1String("message")].toString(),
             QStringLiteral("Unable to parse location ref 'nocolon', expected '<type>:<target>', e.g. 'url:https://host/path'"));
    QCOMPARE(errors(R"({})").first()[QLatin1String("message")].toString(), QStringLiteral("Empty request body"));
    QCOMPARE(errors(R"([1])").first()[QLatin1String("message")].toString(), QStringLiteral("Expected body to be a JSON object"));
    const Reply plain = request("POST", QStringLiteral("/api/catalog/validate-entity"), "x", "text/plain");
    QCOMPARE(plain.json()[QLatin1String("errors")][0][QLatin1String("message")].toString(), QStringLiteral("Illegal Content-Type"));
}

void TestCatalogApi::ancestry()
{
    const Reply reply = request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/svc-03/ancestry"));
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json().toObject();
    QCOMPARE(body[QLatin1String("rootEntityRef")].toString(), QStringLiteral("component:default/svc-03"));
    const QJsonArray items = body[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 3);   // the component, the org Location, the generated root Location
    QCOMPARE(items.at(0)[QLatin1String("entity")][QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("svc-03"));
    QCOMPARE(items.at(0)[QLatin1String("parentEntityRefs")].toArray(), QJsonArray{QStringLiteral("location:default/org")});
    QCOMPARE(items.at(2)[QLatin1String("parentEntityRefs")].toArray(), QJsonArray());
    QCOMPARE(request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/nope/ancestry")).status, 404);
}

void TestCatalogApi::deleteByUid()
{
    const QString uid = request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/svc-11"))
                            .json()[QLatin1String("metadata")][QLatin1String("uid")].toString();
    const Reply removed = request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid);
    QCOMPARE(removed.status, 204);
    QVERIFY(removed.body.isEmpty());
    QCOMPARE(request("GET", QStringLiteral("/api/catalog/entities/by-uid/") + uid).status, 404);
    QCOMPARE(request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/unknown")).status, 204);
    // Lists and pages are read on the reader pool's own connections: they see the commit at once.
    const QString query = QStringLiteral("/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name");
    QVERIFY(!request("GET", query).body.contains("\"svc-11\""));
    QVERIFY(!request("GET", QStringLiteral("/api/catalog/entities?filter=kind=component")).body.contains("\"svc-11\""));
    // Many at once (each client its own connection) get the same page.
    std::vector<std::unique_ptr<QNetworkAccessManager>> clients;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 8; ++i) {
        clients.push_back(std::make_unique<QNetworkAccessManager>());
        replies << clients.back()->get(QNetworkRequest(QUrl(m_base + query)));
    }
    const QByteArray expected = request("GET", query).body;
    for (QNetworkReply *reply : std::as_const(replies)) {
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->readAll(), expected);
        reply->deleteLater();
    }
}

void TestCatalogApi::unknownRoutesAre404WithEmptyBody()
{
    for (const char *path : {"/api/catalog/nothing", "/api/catalog/entities/by-name/component", "/nowhere"}) {
        const Reply reply = request("GET", QString::fromLatin1(path));
        QCOMPARE(reply.status, 404);
        QVERIFY(reply.body.isEmpty());
    }
    QCOMPARE(request("PATCH", QStringLiteral("/api/catalog/entities")).status, 404);
}

void TestCatalogApi::oversizedBodyIsRefused()
{
    const QByteArray huge = R"({"entityRefs":[")" + QByteArray(200 * 1024, 'a') + R"("]})";
    const Reply reply = request("POST", QStringLiteral("/api/catalog/entities/by-refs"), huge);
    QCOMPARE(reply.status, 413);
    QCOMPARE(reply.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("PayloadTooLargeError"));
    QCOMPARE(request("GET", QStringLiteral("/healthcheck")).status, 200);   // still serving
}

void TestCatalogApi::health()
{
    for (const char *path : {"/healthcheck", "/.backstage/health/v1/liveness", "/.backstage/health/v1/readiness"}) {
        const Reply reply = request("GET", QString::fromLatin1(path));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json(), QJsonValue(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}}));
    }
}

void TestCatalogApi::rawHttpGarbageLeavesServerServing()
{
    const QUrl url(m_base);
    for (const QByteArray &garbage : {QByteArray("NONSENSE\r\n\r\n"), QByteArray("GET /api/catalog/entities HTTP/1.1\r\nHost"),
                                      QByteArray(4096, '\0')}) {
        QTcpSocket socket;
        socket.connectToHost(url.host(), quint16(url.port()));
        QVERIFY(socket.waitForConnected(2000));
        socket.write(garbage);
        socket.waitForBytesWritten(2000);
        socket.waitForReadyRead(300);
        socket.abort();
    }
    QCOMPARE(request("GET", QStringLiteral("/api/catalog/entities?filter=kind=group")).json().toArray().size(), 2);
}

QTEST_GUILESS_MAIN(TestCatalogApi)
#include "tst_catalogapi.moc"
