// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The server building TechDocs for components in a local bare git
// repository when first asked for (or all at ingestion with prebuild),
// serving Backstage's techdocs routes, putting docs changes in the sync
// feed, and rebuilding after a commit.
#include <gitfixture.h>
#include <serverprocess.h>
#include <testfiles.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using Greenroom::TestSupport::GitFixture;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

QByteArray component(const QString &name, const QString &techdocsRef)
{
    const QString annotations = techdocsRef.isEmpty() ? QString()
                                                      : QStringLiteral(", annotations: {backstage.io/techdocs-ref: '%1'}").arg(techdocsRef);
    return QStringLiteral("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %1%2}\n"
                          "spec: {type: service, lifecycle: production, owner: team-a}\n").arg(name, annotations).toUtf8();
}

QMap<QString, QByteArray> repository(const QByteArray &homeText, bool documented = true)
{
    return {
        {QStringLiteral("catalog-info.yaml"), component(QStringLiteral("payments"), documented ? QStringLiteral("dir:./payments") : QString())
                                                  + "---\n" + component(QStringLiteral("ledger"), {}) + "---\n"
                                                  + component(QStringLiteral("broken"), QStringLiteral("dir:./broken"))},
        {QStringLiteral("payments/mkdocs.yml"), "site_name: Payments\nsite_description: How payments work\nnav:\n  - Home: index.md\n  - Setup: setup.md\n"},
        {QStringLiteral("payments/docs/index.md"), "# Welcome\n\n" + homeText + "\n\n![logo](img/logo.svg)\n\n## Install it\n\nRun the installer.\n"},
        {QStringLiteral("payments/docs/setup.md"), "# Setup\n\nBack to [home](index.md).\n"},
        {QStringLiteral("payments/docs/img/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"},
        {QStringLiteral("broken/mkdocs.yml"), "nav: [index.md]\n"},
        {QStringLiteral("broken/docs/index.md"), "# Broken\n"},
    };
}

} // namespace

class TestTechDocsApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void firstRequestBuilds();
    void metadataRoutes();
    void staticFilesAreServedLikeTheLocalPublisher();
    void syncStreamAndFeed();
    void brokenDocsAreReportedAndOthersServed();
    void commitRebuildsAndRemovalDeletes();
    void prebuildBuildsEverySiteAtIngestion();
    void cleanup()
    {
        m_server->reportIfTestFailed();
        if (QTest::currentTestFailed()) {
            qWarning().noquote() << get(QStringLiteral("/api/catalog/entities/by-name/component/default/payments")).body;
            qWarning().noquote() << QJsonDocument(feed()).toJson();
        }
    }
    void cleanupTestCase() { m_server.reset(); }

private:
    Reply get(const QString &path) { return m_server->request("GET", path); }
    QString config(const QString &database, const QString &extra = {}) const
    {
        const QString target = QUrl::fromLocalFile(m_repo->path()).toString() + QStringLiteral("/blob/main/catalog-info.yaml");
        return QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                              "catalog:\n  processingInterval: false\n  rules: [{allow: [Component, Location]}]\n"
                              "  locations: [{type: git, target: '%2'}]\n")
                   .arg(m_dir.filePath(database), target)
               + extra;
    }
    QJsonObject metadata() { return get(QStringLiteral("/api/techdocs/metadata/techdocs/default/component/payments")).json().toObject(); }
    QJsonArray feed(const QString &after = QStringLiteral("0"))
    {
        return get(QStringLiteral("/api/sync/v1/changes?limit=10000&after=") + after).json()[QLatin1String("changes")].toArray();
    }
    void refresh()
    {
        QCOMPARE(m_server->request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/ledger"})").status, 200);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<GitFixture> m_repo;
    QString m_firstCommit;
    std::unique_ptr<ServerProcess> m_server;
};

void TestTechDocsApi::initTestCase()
{
    m_repo = std::make_unique<GitFixture>(m_dir.filePath(QStringLiteral("repo.git")));
    m_firstCommit = m_repo->commit(repository("Hello from **version one**."));
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")), config(QStringLiteral("db")).toUtf8());
    m_server = std::make_unique<ServerProcess>();
    // Debug lines say when each docs check is done.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("debug"));
    QVERIFY2(m_server->start(m_dir.path(), {QStringLiteral("serve")}, environment), m_server->output().constData());
}

void TestTechDocsApi::firstRequestBuilds()
{
    // Read, and not asked for yet: nothing built, nothing tried (Backstage builds on the first /sync).
    QCOMPARE(get(QStringLiteral("/api/catalog/entities/by-name/component/default/payments")).status, 200);
    QTest::qWait(500);
    QCOMPARE(get(QStringLiteral("/api/techdocs/metadata/techdocs/default/component/payments")).status, 404);
    QCOMPARE(get(QStringLiteral("/api/techdocs/static/docs/default/component/payments/index.html")).status, 404);
    QVERIFY2(!m_server->output().contains("docs:"), m_server->output().constData());

    const Reply sync = get(QStringLiteral("/api/techdocs/sync/default/component/payments"));
    QCOMPARE(sync.status, 200);
    QCOMPARE(sync.headers.value("content-type"), QByteArray("text/event-stream"));
    QVERIFY2(sync.body.startsWith("event: log\ndata: \"info: Step 1 of 3: Preparing docs for entity component:default/payments\"\n\n"),
             sync.body.constData());
    QVERIFY(sync.body.contains("data: \"info: Step 2 of 3: Generating docs for entity component:default/payments\""));
    QVERIFY2(sync.body.endsWith("event: finish\ndata: {\"updated\":true}\n\n"), sync.body.constData());
    QCOMPARE(metadata().value(QLatin1String("site_name")).toString(), QStringLiteral("Payments"));
    QCOMPARE(get(QStringLiteral("/api/techdocs/metadata/techdocs/default/component/broken")).status, 404);
}

void TestTechDocsApi::metadataRoutes()
{
    const QJsonObject meta = metadata();
    QCOMPARE(meta.value(QLatin1String("site_name")).toString(), QStringLiteral("Payments"));
    QCOMPARE(meta.value(QLatin1String("site_description")).toString(), QStringLiteral("How payments work"));
    QCOMPARE(meta.value(QLatin1String("etag")).toString(), m_firstCommit);   // the commit the docs came from
    QVERIFY(meta.value(QLatin1String("build_timestamp")).toInteger() > 1700000000000);
    const QJsonArray files = meta.value(QLatin1String("files")).toArray();
    for (const char *file : {"index.html", "setup/index.html", "img/logo.svg", "search/search_index.json", "techdocs_metadata.json"})
        QVERIFY2(files.contains(QLatin1String(file)), file);

    const Reply entity = get(QStringLiteral("/api/techdocs/metadata/entity/default/Component/payments"));
    QCOMPARE(entity.status, 200);
    QCOMPARE(entity.json()[QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("payments"));
    QCOMPARE(entity.json()[QLatin1String("locationMetadata")].toObject(),
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("url")},
                          {QStringLiteral("target"), QUrl::fromLocalFile(m_repo->path()).toString() + QStringLiteral("/tree/main/payments")}}));

    // Unknown entities and entities without docs: Backstage's 404s.
    const Reply unknown = get(QStringLiteral("/api/techdocs/metadata/techdocs/default/Component/Nope"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorMessage(), QStringLiteral("Unable to get metadata for 'component:default/Nope'"));
    QCOMPARE(unknown.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("NotFoundError"));
    const Reply undocumented = get(QStringLiteral("/api/techdocs/metadata/techdocs/default/component/ledger"));
    QCOMPARE(undocumented.status, 404);
    QCOMPARE(undocumented.errorMessage(), QStringLiteral("Unable to get metadata for 'component:default/ledger'"));
    QCOMPARE(get(QStringLiteral("/api/techdocs/metadata/entity/default/component/ledger")).status, 404);
}

void TestTechDocsApi::staticFilesAreServedLikeTheLocalPublisher()
{
    m_server->network().setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    const QString base = QStringLiteral("/api/techdocs/static/docs/default/component/payments/");
    const Reply home = get(base);
    QCOMPARE(home.status, 200);
    QCOMPARE(home.headers.value("content-type"), QByteArray("text/plain; charset=utf-8"));   // HTML is never served as HTML
    QVERIFY(home.body.contains("<strong>version one</strong>"));
    QVERIFY(home.body.contains("src=\"img/logo.svg\""));
    QCOMPARE(get(base + QStringLiteral("index.html")).body, home.body);
    const Reply setup = get(base + QStringLiteral("setup/index.html"));
    QCOMPARE(setup.status, 200);
    QVERIFY(setup.body.contains("href=\"../\""));   // the link to index.md, rewritten

    const Reply folder = get(base + QStringLiteral("setup"));
    QCOMPARE(folder.status, 301);
    QCOMPARE(folder.headers.value("location"), QByteArray("/api/techdocs/static/docs/default/component/payments/setup/"));
    const Reply mixedCase = get(QStringLiteral("/api/techdocs/static/docs/Default/Component/Payments/setup/"));
    QCOMPARE(mixedCase.status, 301);
    QCOMPARE(mixedCase.headers.value("location"), QByteArray("/api/techdocs/static/docs/default/component/payments/setup/"));

    const Reply svg = get(base + QStringLiteral("img/logo.svg"));
    QCOMPARE(svg.status, 200);
    QCOMPARE(svg.headers.value("content-type"), QByteArray("text/plain; charset=utf-8"));
    const Reply index = get(base + QStringLiteral("search/search_index.json"));
    QCOMPARE(index.headers.value("content-type"), QByteArray("application/json; charset=utf-8"));
    QVERIFY(index.json()[QLatin1String("docs")].toArray().contains(
        QJsonObject{{QStringLiteral("location"), QStringLiteral("#install-it")}, {QStringLiteral("title"), QStringLiteral("Install it")},
                    {QStringLiteral("text"), QStringLiteral("Run the installer.")}}));
    QCOMPARE(get(base + QStringLiteral("assets/stylesheets/greenroom-docs.css")).headers.value("content-type"),
             QByteArray("text/css; charset=utf-8"));

    QCOMPARE(get(base + QStringLiteral("nope/")).status, 404);
    QCOMPARE(get(QStringLiteral("/api/techdocs/static/docs/default/component/ledger/index.html")).status, 404);
    // Escapes are refused, however they are spelled.
    for (const QString &escape : {QStringLiteral("../ledger/index.html"), QStringLiteral("%2e%2e/ledger/index.html"),
                                  QStringLiteral("setup/..%5C..%5Cindex.html")}) {
        const Reply reply = m_server->request("GET", base + escape);
        QVERIFY2(reply.status == 404, qPrintable(escape + QStringLiteral(": %1").arg(reply.status)));
    }
    m_server->network().setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

void TestTechDocsApi::syncStreamAndFeed()
{
    const Reply missing = get(QStringLiteral("/api/techdocs/sync/default/component/nope"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.errorMessage(), QStringLiteral("Entity metadata UID missing"));

    // Checked when first asked for, moments ago: nothing to do.
    const Reply sync = get(QStringLiteral("/api/techdocs/sync/default/component/payments"));
    QCOMPARE(sync.status, 200);
    QCOMPARE(sync.headers.value("content-type"), QByteArray("text/event-stream"));
    QCOMPARE(sync.headers.value("cache-control"), QByteArray("no-cache"));
    QCOMPARE(sync.body, QByteArray("event: finish\ndata: {\"updated\":false}\n\n"));

    QJsonObject docsChange;
    for (const QJsonValue &change : feed()) {
        if (change[QLatin1String("type")].toString() == QLatin1String("docs"))
            docsChange = change.toObject();
    }
    QCOMPARE(docsChange.value(QLatin1String("entityRef")).toString(), QStringLiteral("component:default/payments"));
    QVERIFY(!docsChange.contains(QLatin1String("entity")));
    const Reply bundle = get(QStringLiteral("/api/sync/v1/docs/default/component/payments"));
    QCOMPARE(bundle.status, 200);
    QCOMPARE(bundle.json()[QLatin1String("etag")].toString(), docsChange.value(QLatin1String("etag")).toString());
    QByteArray home;
    for (const QJsonValue &file : bundle.json()[QLatin1String("files")].toArray()) {
        if (file[QLatin1String("path")].toString() == QLatin1String("index.html"))
            home = QByteArray::fromBase64(file[QLatin1String("content")].toString().toLatin1());
    }
    QVERIFY(home.contains("<strong>version one</strong>"));
    QCOMPARE(get(QStringLiteral("/api/sync/v1/docs/default/component/ledger")).status, 404);
}

void TestTechDocsApi::brokenDocsAreReportedAndOthersServed()
{
    // mkdocs.yml without site_name: the build fails, named in the stream and
    // the log, and nothing is stored for it; the other site is unaffected.
    const Reply sync = get(QStringLiteral("/api/techdocs/sync/default/component/broken"));
    QVERIFY2(sync.body.endsWith("event: error\ndata: \"Config value 'site_name': Required configuration not provided.\"\n\n"),
             sync.body.constData());
    QTRY_VERIFY_WITH_TIMEOUT(m_server->output().contains("Failed to build the docs page for entity component:default/broken"), 10000);
    QVERIFY2(m_server->output().contains("Config value 'site_name': Required configuration not provided."), m_server->output().constData());
    QCOMPARE(get(QStringLiteral("/api/techdocs/metadata/techdocs/default/component/broken")).status, 404);
    QCOMPARE(metadata().value(QLatin1String("site_name")).toString(), QStringLiteral("Payments"));
}

void TestTechDocsApi::commitRebuildsAndRemovalDeletes()
{
    const QString cursor = get(QStringLiteral("/api/sync/v1/changes?limit=10000")).json()[QLatin1String("cursor")].toString();
    const QString second = m_repo->commit(repository("Hello from **version two**."));
    refresh();
    QTRY_COMPARE_WITH_TIMEOUT(metadata().value(QLatin1String("etag")).toString(), second, 20000);
    QVERIFY(get(QStringLiteral("/api/techdocs/static/docs/default/component/payments/index.html")).body.contains("version two"));
    // Only the docs changed: the feed says so and nothing else.
    const QJsonArray changes = feed(cursor);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.at(0)[QLatin1String("type")].toString(), QStringLiteral("docs"));
    QCOMPARE(changes.at(0)[QLatin1String("entityRef")].toString(), QStringLiteral("component:default/payments"));

    // The same docs tree again (a commit elsewhere in the repository) does not rebuild.
    const QString after = get(QStringLiteral("/api/sync/v1/changes?limit=10000")).json()[QLatin1String("cursor")].toString();
    QMap<QString, QByteArray> files = repository("Hello from **version two**.");
    files.insert(QStringLiteral("broken/docs/other.md"), "# Other\n");
    const auto unchangedChecks = [&] { return m_server->output().count("docs: component:default/payments unchanged"); };
    const qsizetype before = unchangedChecks();
    m_repo->commit(files);
    refresh();
    QTRY_VERIFY_WITH_TIMEOUT(unchangedChecks() > before, 20000);   // a tree id compared
    QCOMPARE(feed(after).size(), 0);

    // The annotation goes: so does the site, with a docs tombstone.
    m_repo->commit(repository("Hello.", false));
    refresh();
    QTRY_VERIFY_WITH_TIMEOUT(get(QStringLiteral("/api/techdocs/metadata/techdocs/default/component/payments")).status == 404, 20000);
    QCOMPARE(get(QStringLiteral("/api/techdocs/static/docs/default/component/payments/index.html")).status, 404);
    QStringList types;
    for (const QJsonValue &change : feed(after))
        types << change[QLatin1String("type")].toString() + QLatin1Char(' ') + change[QLatin1String("entityRef")].toString();
    types.sort();
    QCOMPARE(types, (QStringList{QStringLiteral("docs-delete component:default/payments"), QStringLiteral("upsert component:default/payments")}));
}

void TestTechDocsApi::prebuildBuildsEverySiteAtIngestion()
{
    // Greenroom's greenroom.techdocs.prebuild: sites are built after the
    // read, before anyone asks; a broken one is one line in the log.
    m_repo->commit(repository("Hello from **prebuilt**."));
    QTemporaryDir folder;
    writeFile(folder.filePath(QStringLiteral("app-config.yaml")),
              config(QStringLiteral("prebuilt-db"), QStringLiteral("greenroom:\n  techdocs: {prebuild: true}\n")).toUtf8());
    ServerProcess prebuilt;
    QVERIFY2(prebuilt.start(folder.path()), prebuilt.output().constData());
    QTRY_VERIFY_WITH_TIMEOUT(prebuilt.request("GET", QStringLiteral("/api/techdocs/static/docs/default/component/payments/index.html"))
                                 .body.contains("<strong>prebuilt</strong>"),
                             30000);
    QTRY_VERIFY_WITH_TIMEOUT(prebuilt.output().contains("Failed to build the docs page for entity component:default/broken"), 20000);
    QCOMPARE(prebuilt.output().count("docs: Failed to build"), 1);
    const Reply sync = prebuilt.request("GET", QStringLiteral("/api/techdocs/sync/default/component/payments"));
    QCOMPARE(sync.body, QByteArray("event: finish\ndata: {\"updated\":false}\n\n"));   // checked at ingestion, moments ago
}

QTEST_MAIN(TestTechDocsApi)
#include "tst_techdocsapi.moc"
