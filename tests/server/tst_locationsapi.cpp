// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The locations API of a running server against url locations served over
// loopback by this test, and git locations in a bare repository made here:
// register (dry run, conflicts, refresh), list, get, by-entity, by-query,
// update, delete, read-only mode, analyze-location; a git commit that
// changes one entity and deletes another shows as exactly those two changes.
#include <gitfixture.h>
#include <serverprocess.h>
#include <testfiles.h>

#include <QHttpServer>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using Greenroom::TestSupport::GitFixture;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

QByteArray component(const QString &name, const QString &description = QStringLiteral("plain"))
{
    return QStringLiteral("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %1, description: %2}\n"
                          "spec: {type: service, lifecycle: production, owner: team-a}\n").arg(name, description).toUtf8();
}

// Serves `files` by path over HTTP on loopback (answered while the test waits for the server).
class FileServer
{
public:
    FileServer()
    {
        m_http.route(QStringLiteral("/<arg>"), [this](const QString &path) {
            if (!m_files.contains(path))
                return QHttpServerResponse(QHttpServerResponder::StatusCode::NotFound);
            return QHttpServerResponse("application/yaml", m_files.value(path));
        });
        auto *tcp = new QTcpServer(&m_http);
        if (!tcp->listen(QHostAddress::LocalHost))
            qFatal("cannot listen");
        m_http.bind(tcp);
        m_port = tcp->serverPort();
    }
    QMap<QString, QByteArray> &files() { return m_files; }
    quint16 port() const { return m_port; }
    QString url(const QString &path) const { return QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(path); }

private:
    QHttpServer m_http;
    QMap<QString, QByteArray> m_files;
    quint16 m_port = 0;
};

QByteArray locationBody(const QString &target, const QString &type = QStringLiteral("url"))
{
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("target"), target}}).toJson(QJsonDocument::Compact);
}

QStringList entityNames(ServerProcess &server)
{
    QStringList names;
    for (const QJsonValue &e : server.request("GET", QStringLiteral("/api/catalog/entities?fields=metadata.name")).json().toArray())
        names << e[QLatin1String("metadata")][QLatin1String("name")].toString();
    names.sort();
    return names;
}

} // namespace

class TestLocationsApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dryRunReadsWithoutStoring();
    void registerListGetAndDelete();
    void conflictsAndRefresh();
    void refusedRegistrations();
    void byEntity();
    void byQueryPagesInIdOrder();
    void updateMovesTheLocation();
    void registeredLocationsSurviveARestart();
    void readonlyModeRefusesChanges();
    void analyzeLocation();
    void gitCommitShowsAsExactlyItsChanges();

private:
    void startServer(const QString &extraCatalogConfig = {});
    Reply post(const QString &path, const QByteArray &body)
    {
        return m_server->request("POST", QStringLiteral("/api/catalog") + path, body);
    }
    Reply get(const QString &path) { return m_server->request("GET", QStringLiteral("/api/catalog") + path); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FileServer> m_files;
    std::unique_ptr<ServerProcess> m_server;
};

void TestLocationsApi::initTestCase()
{
    m_files = std::make_unique<FileServer>();
    m_files->files().insert(QStringLiteral("catalog-info.yaml"),
                            component(QStringLiteral("web")) + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\n"
                                                               "metadata: {name: nested}\nspec: {targets: [./a.yaml, ./b.yaml]}\n");
    m_files->files().insert(QStringLiteral("a.yaml"), component(QStringLiteral("alpha")));
    m_files->files().insert(QStringLiteral("b.yaml"),
                            "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: beta}\n"
                            "spec: {type: openapi, lifecycle: production, owner: team-a, definition: {$text: ./beta.txt}}\n");
    m_files->files().insert(QStringLiteral("beta.txt"), "openapi: 3.0.0\n");
    m_files->files().insert(QStringLiteral("other.yaml"), component(QStringLiteral("other")));
    m_files->files().insert(QStringLiteral("third.yaml"), component(QStringLiteral("third")));
}

void TestLocationsApi::startServer(const QString &extraCatalogConfig)
{
    m_server.reset();
    if (!m_dir)
        m_dir = std::make_unique<QTemporaryDir>();
    writeFile(m_dir->filePath(QStringLiteral("app-config.yaml")),
              QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                             "  reading: {allow: [{host: '127.0.0.1:%2'}]}\n"
                             "catalog:\n  processingInterval: false\n  rules: [{allow: [Component, API, Location]}]\n%3")
                  .arg(m_dir->filePath(QStringLiteral("db"))).arg(m_files->port()).arg(extraCatalogConfig).toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir->path()), m_server->output().constData());
}

void TestLocationsApi::dryRunReadsWithoutStoring()
{
    m_dir.reset();
    startServer();
    const Reply reply = post(QStringLiteral("/locations?dryRun=true"), locationBody(m_files->url(QStringLiteral("catalog-info.yaml"))));
    QCOMPARE(reply.status, 201);
    const QJsonObject body = reply.json().toObject();
    QCOMPARE(body[QLatin1String("exists")].toBool(), false);
    const QJsonObject location = body[QLatin1String("location")].toObject();
    QCOMPARE(location[QLatin1String("id")].toString(), QStringLiteral("url:") + m_files->url(QStringLiteral("catalog-info.yaml")));
    QVERIFY(location[QLatin1String("entityRef")].toString().startsWith(QLatin1String("location:default/generated-")));
    // Upstream's order: depth first through a stack, last emitted child first.
    QStringList names;
    for (const QJsonValue &entity : body[QLatin1String("entities")].toArray())
        names << entity[QLatin1String("metadata")][QLatin1String("name")].toString();
    QCOMPARE(names.size(), 5);
    QVERIFY(names.first().startsWith(QLatin1String("generated-")));
    QCOMPARE(names.mid(1), (QStringList{QStringLiteral("nested"), QStringLiteral("beta"), QStringLiteral("alpha"), QStringLiteral("web")}));
    const QJsonValue beta = body[QLatin1String("entities")].toArray().at(2);
    QCOMPARE(beta[QLatin1String("spec")][QLatin1String("definition")].toString(), QStringLiteral("openapi: 3.0.0\n"));
    // Nothing was stored.
    QCOMPARE(entityNames(*m_server), QStringList());
    QCOMPARE(get(QStringLiteral("/locations")).json().toArray().size(), 0);
    // yes-like words only: "no" is a real registration.
    QCOMPARE(post(QStringLiteral("/locations?dryRun=yes"), locationBody(m_files->url(QStringLiteral("other.yaml")))).json()
                 [QLatin1String("exists")].isBool(), true);
}

void TestLocationsApi::registerListGetAndDelete()
{
    m_dir.reset();
    startServer();
    const Reply created = post(QStringLiteral("/locations"), locationBody(m_files->url(QStringLiteral("catalog-info.yaml"))));
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json()[QLatin1String("entities")].toArray().size(), 0);   // ingestion happens after the answer
    const QJsonObject location = created.json()[QLatin1String("location")].toObject();
    const QString id = location[QLatin1String("id")].toString();
    QVERIFY(!QUuid::fromString(id).isNull());
    QCOMPARE(location[QLatin1String("type")].toString(), QStringLiteral("url"));
    QTRY_COMPARE_WITH_TIMEOUT(entityNames(*m_server).size(), 5, 10000);
    QVERIFY(entityNames(*m_server).contains(QStringLiteral("beta")));

    const QJsonArray list = get(QStringLiteral("/locations")).json().toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first()[QLatin1String("data")].toObject(), location);   // wrapped in {data}
    const Reply one = get(QStringLiteral("/locations/") + id);
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json().toObject(), location);
    const Reply unknown = get(QStringLiteral("/locations/no-such-id"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorMessage(), QStringLiteral("Found no location with ID no-such-id"));
    // The generated Location entity is in the catalog under the location's entityRef.
    const QString entityRef = location[QLatin1String("entityRef")].toString();
    QCOMPARE(get(QStringLiteral("/entities/by-name/location/default/") + entityRef.section(QLatin1Char('/'), 1)).status, 200);

    const Reply removed = m_server->request("DELETE", QStringLiteral("/api/catalog/locations/") + id);
    QCOMPARE(removed.status, 204);
    QVERIFY(removed.body.isEmpty());
    QCOMPARE(entityNames(*m_server), QStringList());   // everything it produced went with it, at once
    QCOMPARE(m_server->request("DELETE", QStringLiteral("/api/catalog/locations/") + id).status, 404);
    QCOMPARE(get(QStringLiteral("/locations")).json().toArray().size(), 0);
}

void TestLocationsApi::conflictsAndRefresh()
{
    m_dir.reset();
    startServer();
    const QByteArray body = locationBody(m_files->url(QStringLiteral("other.yaml")));
    const QString id = post(QStringLiteral("/locations"), body).json()[QLatin1String("location")][QLatin1String("id")].toString();
    QTRY_COMPARE_WITH_TIMEOUT(entityNames(*m_server).contains(QStringLiteral("other")), true, 10000);
    const Reply again = post(QStringLiteral("/locations"), body);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("ConflictError"));
    QCOMPARE(again.errorMessage(), QStringLiteral("Location url:%1 already exists").arg(m_files->url(QStringLiteral("other.yaml"))));
    // onConflict=refresh answers with the existing location and reads it again.
    m_files->files().insert(QStringLiteral("other.yaml"), component(QStringLiteral("other"), QStringLiteral("refreshed")));
    const Reply refreshed = post(QStringLiteral("/locations?onConflict=refresh"), body);
    QCOMPARE(refreshed.status, 201);
    QCOMPARE(refreshed.json()[QLatin1String("location")][QLatin1String("id")].toString(), id);
    QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/entities/by-name/component/default/other")).json()
                                  [QLatin1String("metadata")][QLatin1String("description")].toString(),
                              QStringLiteral("refreshed"), 10000);
    // A dry run of a registered location says it exists.
    QCOMPARE(post(QStringLiteral("/locations?dryRun=true"), body).json()[QLatin1String("exists")].toBool(), true);
    m_files->files().insert(QStringLiteral("other.yaml"), component(QStringLiteral("other")));
}

void TestLocationsApi::refusedRegistrations()
{
    m_dir.reset();
    startServer();
    const Reply file = post(QStringLiteral("/locations"), locationBody(QStringLiteral("/etc/passwd"), QStringLiteral("file")));
    QCOMPARE(file.status, 400);
    QCOMPARE(file.errorMessage(), QStringLiteral("Registered locations must be of an allowed type [\"url\"]"));
    QCOMPARE(post(QStringLiteral("/locations?dryRun=true"), locationBody(QStringLiteral("/etc/passwd"), QStringLiteral("file"))).status, 400);

    const Reply notAllowed = post(QStringLiteral("/locations?dryRun=true"), locationBody(QStringLiteral("http://example.invalid/c.yaml")));
    QCOMPARE(notAllowed.status, 400);
    QVERIFY2(notAllowed.errorMessage().contains(QLatin1String("Reading from 'http://example.invalid/c.yaml' is not allowed")),
             qPrintable(notAllowed.errorMessage()));
    const Reply missing = post(QStringLiteral("/locations?dryRun=true"), locationBody(m_files->url(QStringLiteral("missing.yaml"))));
    QCOMPARE(missing.status, 400);
    QCOMPARE(missing.errorMessage(), QStringLiteral("NotFoundError: Unable to read url, no matching files found for %1")
                                         .arg(m_files->url(QStringLiteral("missing.yaml"))));

    const Reply extraKey = post(QStringLiteral("/locations"), R"({"type":"url","target":"http://x.test/a","owner":"me"})");
    QCOMPARE(extraKey.status, 400);
    QCOMPARE(extraKey.errorMessage(), QStringLiteral("Malformed request: Validation error: Unrecognized key(s) in object: 'owner'"));
    const Reply noTarget = post(QStringLiteral("/locations"), R"({"type":"url"})");
    QCOMPARE(noTarget.errorMessage(), QStringLiteral("Malformed request: Validation error: Required at \"target\""));
    QCOMPARE(m_server->request("POST", QStringLiteral("/api/catalog/locations"), "{}", "text/plain").status, 400);
    QCOMPARE(get(QStringLiteral("/locations")).json().toArray().size(), 0);   // none of them registered
}

void TestLocationsApi::byEntity()
{
    m_dir.reset();
    // A location from config: its entities are not from a registered location.
    writeFile(QDir(QDir::tempPath()).filePath(QStringLiteral("unused")), "");
    startServer();
    writeFile(m_dir->filePath(QStringLiteral("config-catalog.yaml")), component(QStringLiteral("from-config")));
    startServer(QStringLiteral("  locations: [{type: file, target: %1}]\n").arg(m_dir->filePath(QStringLiteral("config-catalog.yaml"))));
    const QJsonObject location = post(QStringLiteral("/locations"), locationBody(m_files->url(QStringLiteral("catalog-info.yaml"))))
                                     .json()[QLatin1String("location")].toObject();
    QTRY_COMPARE_WITH_TIMEOUT(entityNames(*m_server).contains(QStringLiteral("alpha")), true, 10000);
    // Nested entities answer with the location they originate from.
    const Reply alpha = get(QStringLiteral("/locations/by-entity/Component/default/alpha"));
    QCOMPARE(alpha.status, 200);
    QCOMPARE(alpha.json().toObject(), location);
    const Reply fromConfig = get(QStringLiteral("/locations/by-entity/component/default/from-config"));
    QCOMPARE(fromConfig.status, 404);
    QVERIFY2(fromConfig.errorMessage().startsWith(QLatin1String("Found no location with type file and target ")),
             qPrintable(fromConfig.errorMessage()));
    const Reply unknown = get(QStringLiteral("/locations/by-entity/component/default/nobody"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorMessage(), QStringLiteral("found no entity for ref component:default/nobody"));
    // Config locations are never listed.
    QCOMPARE(get(QStringLiteral("/locations")).json().toArray().size(), 1);
}

void TestLocationsApi::byQueryPagesInIdOrder()
{
    m_dir.reset();
    startServer();
    QStringList ids;
    for (const QString &file : {QStringLiteral("other.yaml"), QStringLiteral("third.yaml"), QStringLiteral("a.yaml")})
        ids << post(QStringLiteral("/locations"), locationBody(m_files->url(file))).json()[QLatin1String("location")][QLatin1String("id")].toString();
    ids.sort();
    QStringList seen;
    Reply page = post(QStringLiteral("/locations/by-query"), R"({"limit":2})");
    QCOMPARE(page.status, 200);
    QCOMPARE(page.json()[QLatin1String("totalItems")].toInt(), 3);
    for (const QJsonValue &item : page.json()[QLatin1String("items")].toArray())
        seen << item[QLatin1String("id")].toString();
    const QString cursor = page.json()[QLatin1String("pageInfo")][QLatin1String("nextCursor")].toString();
    QVERIFY(!cursor.isEmpty());
    page = post(QStringLiteral("/locations/by-query"), QJsonDocument(QJsonObject{{QStringLiteral("cursor"), cursor}}).toJson());
    for (const QJsonValue &item : page.json()[QLatin1String("items")].toArray())
        seen << item[QLatin1String("id")].toString();
    QCOMPARE(seen, ids);
    QVERIFY(!page.json()[QLatin1String("pageInfo")].toObject().contains(QLatin1String("nextCursor")));

    const QByteArray query = QStringLiteral(R"({"query":{"$any":[{"target":"%1"},{"target":{"$hasPrefix":"%2"}}]}})")
                                 .arg(m_files->url(QStringLiteral("OTHER.yaml")).toUpper(), m_files->url(QStringLiteral("thi")))
                                 .toUtf8();
    page = post(QStringLiteral("/locations/by-query"), query);
    QCOMPARE(page.status, 200);
    QCOMPARE(page.json()[QLatin1String("totalItems")].toInt(), 2);   // equality is case-insensitive
    QCOMPARE(post(QStringLiteral("/locations/by-query"), R"({"limit":0})").errorMessage(),
             QStringLiteral("Limit must be a positive integer >= 1"));
    const Reply badKey = post(QStringLiteral("/locations/by-query"), R"({"query":{"owner":"x"}})");
    QCOMPARE(badKey.status, 400);
    QCOMPARE(badKey.errorMessage(), QStringLiteral("Invalid filter predicate, expected key to be 'id', 'type', 'target', or 'entityRef', got 'owner'"));
}

void TestLocationsApi::updateMovesTheLocation()
{
    m_dir.reset();
    startServer();
    const QString id = post(QStringLiteral("/locations"), locationBody(m_files->url(QStringLiteral("other.yaml"))))
                           .json()[QLatin1String("location")][QLatin1String("id")].toString();
    const QString second = post(QStringLiteral("/locations"), locationBody(m_files->url(QStringLiteral("a.yaml"))))
                               .json()[QLatin1String("location")][QLatin1String("id")].toString();
    QTRY_COMPARE_WITH_TIMEOUT(entityNames(*m_server).contains(QStringLiteral("alpha")), true, 10000);
    const Reply updated = m_server->request("PUT", QStringLiteral("/api/catalog/locations/") + id,
                                            locationBody(m_files->url(QStringLiteral("third.yaml"))));
    QCOMPARE(updated.status, 200);
    QCOMPARE(updated.json()[QLatin1String("id")].toString(), id);
    QCOMPARE(updated.json()[QLatin1String("target")].toString(), m_files->url(QStringLiteral("third.yaml")));
    QTRY_COMPARE_WITH_TIMEOUT(entityNames(*m_server).contains(QStringLiteral("third")), true, 10000);
    QVERIFY(!entityNames(*m_server).contains(QStringLiteral("other")));
    const Reply collision = m_server->request("PUT", QStringLiteral("/api/catalog/locations/") + second,
                                              locationBody(m_files->url(QStringLiteral("third.yaml"))));
    QCOMPARE(collision.status, 409);
    QCOMPARE(m_server->request("PUT", QStringLiteral("/api/catalog/locations/nope"), locationBody(m_files->url(QStringLiteral("x.yaml")))).status,
             404);
}

void TestLocationsApi::registeredLocationsSurviveARestart()
{
    m_dir.reset();
    startServer();
    const QString id = post(QStringLiteral("/locations"), locationBody(m_files->url(QStringLiteral("other.yaml"))))
                           .json()[QLatin1String("location")][QLatin1String("id")].toString();
    QTRY_COMPARE_WITH_TIMEOUT(entityNames(*m_server).contains(QStringLiteral("other")), true, 10000);
    m_files->files().insert(QStringLiteral("other.yaml"), component(QStringLiteral("other"), QStringLiteral("after-restart")));
    startServer();   // same database
    QCOMPARE(get(QStringLiteral("/locations/") + id).status, 200);
    // It is read again like any location (on request here, the schedule being off).
    QCOMPARE(m_server->request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/other"})").status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/entities/by-name/component/default/other")).json()
                                  [QLatin1String("metadata")][QLatin1String("description")].toString(),
                              QStringLiteral("after-restart"), 10000);
    m_files->files().insert(QStringLiteral("other.yaml"), component(QStringLiteral("other")));
}

void TestLocationsApi::readonlyModeRefusesChanges()
{
    m_dir.reset();
    startServer(QStringLiteral("  readonly: true\n"));
    const Reply create = post(QStringLiteral("/locations"), locationBody(m_files->url(QStringLiteral("other.yaml"))));
    QCOMPARE(create.status, 403);
    QCOMPARE(create.errorMessage(), QStringLiteral("This operation not allowed in readonly mode"));
    QCOMPARE(m_server->request("DELETE", QStringLiteral("/api/catalog/locations/x")).status, 403);
    // Dry runs change nothing, so they still answer.
    QCOMPARE(post(QStringLiteral("/locations?dryRun=true"), locationBody(m_files->url(QStringLiteral("other.yaml")))).status, 201);
}

void TestLocationsApi::analyzeLocation()
{
    m_dir.reset();
    startServer();
    const Reply reply = post(QStringLiteral("/analyze-location"),
                             R"({"location":{"type":"url","target":"https://github.com/acme/petstore/blob/main/catalog-info.yaml"}})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json()[QLatin1String("existingEntityFiles")].toArray().size(), 0);
    const QJsonValue generated = reply.json()[QLatin1String("generateEntities")].toArray().first();
    QCOMPARE(generated[QLatin1String("entity")][QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("petstore"));
    QCOMPARE(generated[QLatin1String("entity")][QLatin1String("metadata")][QLatin1String("annotations")]
                 [QLatin1String("github.com/project-slug")].toString(), QStringLiteral("acme/petstore"));
    QCOMPARE(generated[QLatin1String("entity")][QLatin1String("spec")].toObject(),
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("other")}, {QStringLiteral("lifecycle"), QStringLiteral("unknown")}}));
    QCOMPARE(generated[QLatin1String("fields")].toArray().size(), 0);
    const Reply notUrl = post(QStringLiteral("/analyze-location"), R"({"location":{"type":"url","target":"not a url"}})");
    QCOMPARE(notUrl.status, 400);
    QCOMPARE(notUrl.errorMessage(), QStringLiteral("The given location.target is not a URL"));
}

void TestLocationsApi::gitCommitShowsAsExactlyItsChanges()
{
    m_dir.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    GitFixture repo(m_dir->filePath(QStringLiteral("repo.git")));
    repo.commit({{QStringLiteral("catalog-info.yaml"),
                  component(QStringLiteral("kept")) + "---\n" + component(QStringLiteral("changed")) + "---\n"
                      + component(QStringLiteral("deleted")) + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\n"
                      "metadata: {name: services}\nspec: {targets: [./services/*/catalog-info.yaml]}\n"},
                 {QStringLiteral("services/a/catalog-info.yaml"), component(QStringLiteral("service-a"))}});
    const QString target = QUrl::fromLocalFile(repo.path()).toString() + QStringLiteral("/blob/main/catalog-info.yaml");
    startServer(QStringLiteral("  locations: [{type: git, target: '%1'}]\n").arg(target));
    QCOMPARE(entityNames(*m_server).size(), 6);   // read before the server listens
    const QString cursor = m_server->request("GET", QStringLiteral("/api/sync/v1/changes?limit=10000")).json()
                               [QLatin1String("cursor")].toString();

    repo.commit({{QStringLiteral("catalog-info.yaml"),
                  component(QStringLiteral("kept")) + "---\n" + component(QStringLiteral("changed"), QStringLiteral("second"))
                      + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\n"
                        "metadata: {name: services}\nspec: {targets: [./services/*/catalog-info.yaml]}\n"},
                 {QStringLiteral("services/a/catalog-info.yaml"), component(QStringLiteral("service-a"))}});
    QCOMPARE(m_server->request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/kept"})").status, 200);
    const auto changes = [&] {
        QStringList out;
        const Reply reply = m_server->request("GET", QStringLiteral("/api/sync/v1/changes?after=") + cursor);
        for (const QJsonValue &change : reply.json()[QLatin1String("changes")].toArray())
            out << change[QLatin1String("type")].toString() + QLatin1Char(' ') + change[QLatin1String("entityRef")].toString();
        out.sort();
        return out;
    };
    QTRY_COMPARE_WITH_TIMEOUT(changes(), (QStringList{QStringLiteral("delete component:default/deleted"),
                                                      QStringLiteral("upsert component:default/changed")}),
                              10000);
    QCOMPARE(get(QStringLiteral("/entities/by-name/component/default/changed")).json()[QLatin1String("metadata")]
                 [QLatin1String("description")].toString(), QStringLiteral("second"));

    // The branch goes away: the location cannot be read, and keeps its entities.
    repo.deleteBranch(QStringLiteral("main"));
    QCOMPARE(m_server->request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/kept"})").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->output().contains("ref main not found"), 10000);
    QCOMPARE(entityNames(*m_server).size(), 5);
    QCOMPARE(changes().size(), 2);
}

QTEST_MAIN(TestLocationsApi)
#include "tst_locationsapi.moc"
