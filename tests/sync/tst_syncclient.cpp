// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The desktop sync client against the real greenroom-server over loopback:
// initial sync, incremental changes and tombstones, interruption mid-sync and
// resume, resync from a snapshot without an empty cache, server down, tokens,
// a Backstage backend diffed by etag, a server answering nonsense, and docs
// built on the server when the desktop asks (the event stream it follows).
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <store/sqlitecatalogstore.h>
#include <sync/docsbuildclient.h>
#include <sync/serveranswers.h>
#include <sync/syncclient.h>

#include <QElapsedTimer>
#include <sqlite3.h>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using Greenroom::Store::SqliteCatalogStore;
using Greenroom::Sync::ServerProfile;
using Greenroom::Sync::SyncClient;
using Greenroom::Sync::SyncStatus;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;
using State = SyncStatus::State;

namespace {

QByteArray components(int from, int to, const QString &description = QStringLiteral("first"))
{
    QByteArray yaml;
    for (int i = from; i < to; ++i) {
        yaml += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\n"
                               "metadata: {name: c%1, description: '%2 %1', tags: [java]}\n"
                               "spec: {type: service, lifecycle: production, owner: team-%3}\n")
                    .arg(i).arg(description).arg(i % 3).toUtf8();
    }
    return yaml;
}

// A free loopback port, so a restarted server comes back where its clients look.
int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// A server answering every request with one canned HTTP response.
class CannedServer : public QTcpServer
{
public:
    explicit CannedServer(QByteArray response) : m_response(std::move(response))
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    if (!socket->readAll().contains("\r\n\r\n"))
                        return;
                    socket->write(m_response);
                    socket->disconnectFromHost();
                });
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serverPort())); }

private:
    QByteArray m_response;
};

} // namespace

class TestSyncClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void initialSyncMirrorsTheServer();
    void changesAndTombstonesArriveWhenTheServerIngests();
    void interruptedSyncResumesFromItsCursor();
    void resyncKeepsTheCatalogReadableUntilTheSnapshotIsWhole();
    void serverDownLeavesTheCacheBrowsable();
    void tokensAreSentAndRefusalsSaySo();
    void backstageBackendIsDiffedByEtag();
    void unusableAnswersFailClearlyAndKeepTheCache();
    void docsSitesArriveInTheCacheAndFollowTheServer();
    void docsBuildFailuresSayWhy();
    void eventStreamsAreSplitAsTheyArrive();

private:
    void writeConfig(const QString &extra = {});
    bool startServer();
    std::unique_ptr<SyncClient> client(SyncClient::Options options = {}, ServerProfile::Kind kind = ServerProfile::Kind::Greenroom,
                                       const QString &token = {});
    QHash<QString, QString> serverEtags();
    QHash<QString, QString> cacheEtags();
    QStringList cacheIndexes();   // secondary indexes of the cache file
    QString cachePath() const { return m_dir->filePath(QStringLiteral("cache.sqlite")); }
    void refreshLocation();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QStringList m_freshIndexes;   // what a new cache file has
    int m_port = 0;
};

void TestSyncClient::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    if (m_freshIndexes.isEmpty()) {
        QVERIFY(SqliteCatalogStore::open(cachePath()));
        m_freshIndexes = cacheIndexes();
        QFile::remove(cachePath());
    }
    m_server = std::make_unique<ServerProcess>();
    m_port = freePort();
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), components(0, 30));
    writeConfig();
}

void TestSyncClient::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

void TestSyncClient::writeConfig(const QString &extra)
{
    writeFile(m_dir->filePath(QStringLiteral("app-config.yaml")),
              QStringLiteral("backend:\n  listen: {host: 127.0.0.1, port: %1}\n"
                             "  database: {client: better-sqlite3, connection: {directory: server-db}}\n%2"
                             "catalog:\n  locations: [{type: file, target: catalog-info.yaml}]\n")
                  .arg(m_port).arg(extra).toUtf8());
}

bool TestSyncClient::startServer()
{
    return m_server->start(m_dir->path(), {QStringLiteral("serve"), QStringLiteral("--config"),
                                           m_dir->filePath(QStringLiteral("app-config.yaml"))});
}

std::unique_ptr<SyncClient> TestSyncClient::client(SyncClient::Options options, ServerProfile::Kind kind, const QString &token)
{
    options.bulkPageSize = options.pageSize;   // the paging tests mean every page, the first fill's too
    options.waitSeconds = 5;
    options.firstRetryMs = 100;
    options.maxRetryMs = 400;
    ServerProfile profile{QStringLiteral("test"), QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)), token, kind};
    return std::make_unique<SyncClient>(profile, cachePath(), options);
}

QHash<QString, QString> TestSyncClient::serverEtags()
{
    QHash<QString, QString> etags;
    const Reply reply = m_server->request("GET", QStringLiteral("/api/catalog/entities?fields=kind,metadata.namespace,metadata.name,metadata.etag"));
    for (const QJsonValue &entity : reply.json().toArray()) {
        const QString ref = QStringLiteral("%1:%2/%3").arg(entity[QLatin1String("kind")].toString(),
                                                           entity[QLatin1String("metadata")][QLatin1String("namespace")].toString(),
                                                           entity[QLatin1String("metadata")][QLatin1String("name")].toString()).toLower();
        etags.insert(ref, entity[QLatin1String("metadata")][QLatin1String("etag")].toString());
    }
    return etags;
}

QStringList TestSyncClient::cacheIndexes()
{
    QStringList names;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(cachePath().toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name", -1, &stmt, nullptr);
        while (stmt && sqlite3_step(stmt) == SQLITE_ROW)
            names.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0))));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return names;
}

QHash<QString, QString> TestSyncClient::cacheEtags()
{
    // A second connection, as the app's views read while the client writes.
    auto reader = SqliteCatalogStore::open(cachePath());
    return reader ? reader.value()->etagsByRef() : QHash<QString, QString>{};
}

void TestSyncClient::refreshLocation()
{
    const Reply refreshed = m_server->request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/c1"})");
    QCOMPARE(refreshed.status, 200);
}

void TestSyncClient::initialSyncMirrorsTheServer()
{
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), components(0, 300));
    QVERIFY2(startServer(), m_server->output().constData());
    auto sync = client({.pageSize = 40});
    QSignalSpy statuses(sync.get(), &SyncClient::statusChanged);
    sync->start();
    QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Synced, 30000);

    const QHash<QString, QString> server = serverEtags();
    QCOMPARE(server.size(), 301);   // and the root Location
    QCOMPARE(cacheEtags(), server);
    QCOMPARE(cacheIndexes(), m_freshIndexes);
    // Progress was reported against the total the first page announced.
    qint64 lastDone = 0;
    bool sawProgress = false;
    for (const QList<QVariant> &signal : statuses) {
        const SyncStatus status = signal.first().value<SyncStatus>();
        if (status.state != State::Syncing)
            continue;
        QCOMPARE(status.total, 301);
        QVERIFY(status.done > lastDone);
        lastDone = status.done;
        sawProgress = true;
    }
    QVERIFY(sawProgress);
    QVERIFY(sync->status().lastSynced.isValid());

    // The cache holds the server's entities as the server serves them, and
    // its own indexes answer the app's queries.
    auto cache = SqliteCatalogStore::open(cachePath());
    QVERIFY(cache);
    const QJsonObject served = m_server->request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/c17")).json().toObject();
    QCOMPARE(cache.value()->entityByRef(QStringLiteral("component:default/c17"))->entity, served);
    // Byte for byte, keys in the order their file wrote them (not sorted).
    const QByteArray servedText = m_server->request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/c17")).body;
    QVERIFY2(servedText.contains("\"metadata\":{\"name\":\"c17\",\"description\":\"first 17\",\"tags\""), servedText.constData());
    QCOMPARE(cache.value()->entityByRef(QStringLiteral("component:default/c17"))->json, servedText);
    QCOMPARE(cache.value()->mirrorState(QStringLiteral("cursor")), sync->cursor());
    auto hits = cache.value()->search(QStringLiteral("c17"), 5);
    QVERIFY(hits && !hits.value().isEmpty());
    QCOMPARE(hits.value().first().entity.ref, QStringLiteral("component:default/c17"));
    auto owners = cache.value()->facets({QStringLiteral("spec.owner")}, {});
    QVERIFY(owners);
    QCOMPARE(owners.value().first().second.size(), 3);
    QCOMPARE(owners.value().first().second.first().count, 100);
}

void TestSyncClient::changesAndTombstonesArriveWhenTheServerIngests()
{
    QVERIFY2(startServer(), m_server->output().constData());
    auto sync = client();
    sync->start();
    QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Synced, 30000);
    QCOMPARE(cacheEtags().size(), 31);

    // c5 changes, c29 goes; the waiting client hears at once.
    QByteArray yaml = components(0, 29);
    yaml.replace("'first 5'", "'second 5'");
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), yaml);
    QSignalSpy changed(sync.get(), &SyncClient::cacheChanged);
    QElapsedTimer sinceRefresh;   // an upper bound on ingest-to-cache: it includes reading the file
    sinceRefresh.start();
    refreshLocation();
    QVERIFY(changed.wait(5000));
    const qint64 latencyMs = sinceRefresh.elapsed();
    qInfo("the change reached the cache %lld ms after POST /refresh was sent", latencyMs);
    QVERIFY2(latencyMs < 1000, qPrintable(QString::number(latencyMs)));
    QTRY_COMPARE_WITH_TIMEOUT(cacheEtags(), serverEtags(), 5000);
    auto cache = SqliteCatalogStore::open(cachePath());
    QCOMPARE(cache.value()->entityByRef(QStringLiteral("component:default/c5"))->entity[QLatin1String("metadata")]
                 [QLatin1String("description")].toString(), QStringLiteral("second 5"));
    QVERIFY(!cache.value()->entityByRef(QStringLiteral("component:default/c29")));
    QCOMPARE(sync->status().state, State::Synced);
}

void TestSyncClient::interruptedSyncResumesFromItsCursor()
{
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), components(0, 2000));
    QVERIFY2(startServer(), m_server->output().constData());
    auto sync = client({.pageSize = 100});
    QSignalSpy changed(sync.get(), &SyncClient::cacheChanged);
    sync->start();
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 3, 30000);
    m_server->process().kill();   // mid-sync, perhaps mid-response
    m_server->process().waitForFinished();
    QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Offline, 10000);
    QVERIFY(!sync->status().error.isEmpty());

    // Only whole pages are in the cache, each with the cursor after it.
    const qsizetype held = cacheEtags().size();
    QVERIFY(held >= 300);
    QCOMPARE(held % 100, 0);
    auto cache = SqliteCatalogStore::open(cachePath());
    const QString cursorAtKill = cache.value()->mirrorState(QStringLiteral("cursor"));
    QCOMPARE(cursorAtKill, sync->cursor());
    // The first fill of an empty cache builds its secondary indexes once, at the end.
    QVERIFY(cache.value()->isBulkFilling());
    QVERIFY(!cacheIndexes().contains(QStringLiteral("search_key_value")));

    QSignalSpy statuses(sync.get(), &SyncClient::statusChanged);
    QVERIFY2(startServer(), m_server->output().constData());
    QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Synced, 30000);
    QCOMPARE(cacheEtags(), serverEtags());
    QVERIFY(!cache.value()->isBulkFilling());
    QCOMPARE(cacheIndexes(), m_freshIndexes);
    // It went on from its cursor: the rest, not everything again.
    for (const QList<QVariant> &signal : statuses) {
        const SyncStatus status = signal.first().value<SyncStatus>();
        if (status.state == State::Syncing) {
            QCOMPARE(status.total, 2001 - held);
            break;
        }
    }
}

void TestSyncClient::resyncKeepsTheCatalogReadableUntilTheSnapshotIsWhole()
{
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), components(0, 50));
    QVERIFY2(startServer(), m_server->output().constData());
    auto sync = client({.pageSize = 10});
    sync->start();
    QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Synced, 30000);
    QCOMPARE(cacheEtags().size(), 51);

    // The server's database is replaced: its cursors mean nothing any more.
    // The client waits meanwhile: a server answers while it reads its
    // locations, and a snapshot taken then is rightly a smaller catalog.
    sync->stop();
    m_server->stop();
    QVERIFY(QDir(m_dir->filePath(QStringLiteral("server-db"))).removeRecursively());
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), components(10, 60));
    auto reader = SqliteCatalogStore::open(cachePath());
    QVERIFY(reader);
    qint64 smallest = 1 << 30;
    bool oldStayedDuringRebuild = false;
    connect(sync.get(), &SyncClient::cacheChanged, this, [&] {
        smallest = std::min(smallest, reader.value()->entityCount());
        if (sync->status().rebuilding && reader.value()->entityByRef(QStringLiteral("component:default/c0")))
            oldStayedDuringRebuild = true;
    });
    QVERIFY2(startServer(), m_server->output().constData());
    sync->start();
    QTRY_VERIFY_WITH_TIMEOUT(sync->status().state == State::Synced && cacheEtags() == serverEtags(), 30000);
    QVERIFY(smallest >= 51);
    QVERIFY(oldStayedDuringRebuild);
    QVERIFY(!reader.value()->entityByRef(QStringLiteral("component:default/c0")));
    QVERIFY(reader.value()->entityByRef(QStringLiteral("component:default/c59")));
    QVERIFY(!sync->status().rebuilding);
    QCOMPARE(reader.value()->mirrorState(QStringLiteral("rebuilding")), QString());
}

void TestSyncClient::serverDownLeavesTheCacheBrowsable()
{
    QVERIFY2(startServer(), m_server->output().constData());
    auto sync = client();
    sync->start();
    QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Synced, 30000);
    const QHash<QString, QString> before = cacheEtags();
    m_server->stop();
    QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Offline, 10000);
    const QDateTime synced = sync->status().lastSynced;
    QVERIFY(synced.isValid());
    QVERIFY(sync->status().error.contains(QLatin1String("refused"), Qt::CaseInsensitive)
            || sync->status().error.contains(QLatin1String("closed"), Qt::CaseInsensitive));
    QCOMPARE(sync->status().lastSynced, synced);   // the cache's age stays known
    QTest::qWait(500);   // retries come and fail
    QCOMPARE(cacheEtags(), before);
    // A new client on the same cache (the app restarted offline) knows its age too.
    auto later = client();
    later->start();
    QCOMPARE(later->status().lastSynced, synced);
    QTRY_COMPARE_WITH_TIMEOUT(later->status().state, State::Offline, 10000);
}

void TestSyncClient::tokensAreSentAndRefusalsSaySo()
{
    writeConfig(QStringLiteral("  auth:\n    externalAccess:\n      - type: static\n        options: {token: sesame-0123456789, subject: ci}\n"));
    QVERIFY2(startServer(), m_server->output().constData());
    auto refused = client({}, ServerProfile::Kind::Greenroom, QStringLiteral("wrong-token"));
    refused->start();
    QTRY_COMPARE_WITH_TIMEOUT(refused->status().state, State::Failed, 10000);
    QVERIFY2(refused->status().error.startsWith(QLatin1String("401")), qPrintable(refused->status().error));
    refused.reset();
    QVERIFY(cacheEtags().isEmpty());

    auto allowed = client({}, ServerProfile::Kind::Greenroom, QStringLiteral("sesame-0123456789"));
    allowed->start();
    QTRY_COMPARE_WITH_TIMEOUT(allowed->status().state, State::Synced, 30000);
    QCOMPARE(cacheEtags().size(), 31);
}

void TestSyncClient::backstageBackendIsDiffedByEtag()
{
    // greenroom-server answers Backstage's catalog API, so it stands in for a Backstage backend.
    QVERIFY2(startServer(), m_server->output().constData());
    auto sync = client({.backstagePollIntervalMs = 60000, .backstageRefsPerRequest = 7}, ServerProfile::Kind::Backstage);
    sync->start();
    QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Synced, 30000);
    QCOMPARE(cacheEtags(), serverEtags());
    auto cache = SqliteCatalogStore::open(cachePath());
    const QJsonObject served = m_server->request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/c3")).json().toObject();
    QCOMPARE(cache.value()->entityByRef(QStringLiteral("component:default/c3"))->entity, served);
    // Byte for byte as the backend serves it: keys in their file's order, not sorted.
    const QByteArray servedText = m_server->request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/c3")).body;
    QVERIFY2(servedText.contains("\"metadata\":{\"name\":\"c3\",\"description\""), servedText.constData());
    QCOMPARE(cache.value()->entityByRef(QStringLiteral("component:default/c3"))->json, servedText);

    QByteArray yaml = components(0, 29);
    yaml.replace("'first 5'", "'second 5'");
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), yaml);
    const QHash<QString, QString> before = serverEtags();
    refreshLocation();
    QTRY_VERIFY_WITH_TIMEOUT(serverEtags() != before, 10000);   // refreshing is asynchronous, as upstream
    QSignalSpy statuses(sync.get(), &SyncClient::statusChanged);
    sync->syncNow();
    QTRY_VERIFY_WITH_TIMEOUT(!statuses.isEmpty() && sync->status().state == State::Synced, 30000);
    QCOMPARE(cacheEtags(), serverEtags());
    // Only what differed moved: one changed entity and one deletion.
    QCOMPARE(sync->status().total, 2);
}

void TestSyncClient::unusableAnswersFailClearlyAndKeepTheCache()
{
    // A cache that holds a catalog already.
    QVERIFY2(startServer(), m_server->output().constData());
    {
        auto sync = client();
        sync->start();
        QTRY_COMPARE_WITH_TIMEOUT(sync->status().state, State::Synced, 30000);
    }
    m_server->stop();
    const QHash<QString, QString> before = cacheEtags();
    auto cache = SqliteCatalogStore::open(cachePath());
    const QString cursor = cache.value()->mirrorState(QStringLiteral("cursor"));

    const QList<std::pair<QByteArray, QString>> answers{
        {"not json at all", QStringLiteral("invalid JSON at offset")},
        {R"({"changes":{},"cursor":"1-2"})", QStringLiteral("expected an object with a 'changes' array")},
        {R"({"changes":[{"type":"upsert","entityRef":"component:default/x","uid":"u1","etag":"e","entity":{"kind":"Component"}}],"cursor":"9-9","remaining":0,"hasMore":false})",
         QStringLiteral("Sync feed: entity component:default/x: the entity has no kind or no metadata.name")},
        {R"({"changes":[{"type":"rename","entityRef":"component:default/x","uid":"u1"}],"cursor":"9-9"})",
         QStringLiteral("change 1 (component:default/x) is neither a delete, a docs change nor an upsert")},
    };
    for (const auto &[body, expected] : answers) {
        CannedServer canned("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        ServerProfile profile{QStringLiteral("canned"), canned.url(), {}, ServerProfile::Kind::Greenroom};
        SyncClient sync(profile, cachePath(), {.firstRetryMs = 60000});
        sync.start();
        QTRY_COMPARE_WITH_TIMEOUT(sync.status().state, State::Failed, 10000);
        QVERIFY2(sync.status().error.contains(expected), qPrintable(sync.status().error));
        QCOMPARE(cacheEtags(), before);
        QCOMPARE(cache.value()->mirrorState(QStringLiteral("cursor")), cursor);
    }
}

void TestSyncClient::docsSitesArriveInTheCacheAndFollowTheServer()
{
    const auto catalog = [](bool documented) {
        return QByteArray("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: manual\n")
               + (documented ? "  annotations: {backstage.io/techdocs-ref: 'dir:./manual'}\n" : "")
               + "spec: {type: service, lifecycle: production, owner: team-a}\n";
    };
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), catalog(true));
    writeFile(m_dir->filePath(QStringLiteral("manual/mkdocs.yml")), "site_name: Manual\n");
    writeFile(m_dir->filePath(QStringLiteral("manual/docs/index.md")), "# Manual\n\nRead the first edition.\n");
    QVERIFY2(startServer(), m_server->output().constData());
    auto sync = client();
    sync->start();
    auto cache = SqliteCatalogStore::open(cachePath());
    QVERIFY(cache);
    const QString ref = QStringLiteral("component:default/manual");
    // Not built until asked for; the reader asks, and follows the build's log.
    QTest::qWait(300);
    QVERIFY(!cache.value()->docsSite(ref));
    Greenroom::Sync::DocsBuildClient builds(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)), {});
    QSignalSpy logged(&builds, &Greenroom::Sync::DocsBuildClient::buildLog);
    QSignalSpy finished(&builds, &Greenroom::Sync::DocsBuildClient::buildFinished);
    QSignalSpy failed(&builds, &Greenroom::Sync::DocsBuildClient::buildFailed);
    builds.build(ref);
    QVERIFY(builds.building(ref));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first(), (QList<QVariant>{ref, true}));
    QVERIFY(failed.isEmpty());
    QVERIFY(!builds.building(ref));
    QCOMPARE(logged.first(), (QList<QVariant>{ref, QStringLiteral("info: Step 1 of 3: Preparing docs for entity component:default/manual")}));
    QVERIFY(logged.contains({ref, QStringLiteral("info: Step 3 of 3: Publishing docs for entity component:default/manual")}));
    const auto home = [&] { return cache.value()->docsFile(ref, QStringLiteral("index.html")).value_or(QByteArray()); };
    QTRY_VERIFY_WITH_TIMEOUT(home().contains("first edition"), 30000);
    QVERIFY(cache.value()->docsFile(ref, QStringLiteral("greenroom_outline.json")));   // what the reader's nav tree needs
    QCOMPARE(cache.value()->searchDocs(QStringLiteral("edition"), 5)->size(), 2);   // the page and its H1 section
    QVERIFY(cache.value()->pendingDocs().isEmpty());

    // The docs change on the server: the cache follows.
    writeFile(m_dir->filePath(QStringLiteral("manual/docs/index.md")), "# Manual\n\nRead the second edition.\n");
    QCOMPARE(m_server->request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/manual"})").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(home().contains("second edition"), 10000);
    // The entity loses its docs: so does the cache.
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")), catalog(false));
    QCOMPARE(m_server->request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/manual"})").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(!cache.value()->docsSite(ref), 10000);
    QCOMPARE(sync->status().state, State::Synced);
}

void TestSyncClient::docsBuildFailuresSayWhy()
{
    writeFile(m_dir->filePath(QStringLiteral("catalog-info.yaml")),
              "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: broken\n"
              "  annotations: {backstage.io/techdocs-ref: 'dir:./broken'}\nspec: {type: service, lifecycle: production, owner: team-a}\n");
    writeFile(m_dir->filePath(QStringLiteral("broken/mkdocs.yml")), "nav: [index.md]\n");
    writeFile(m_dir->filePath(QStringLiteral("broken/docs/index.md")), "# Broken\n");
    QVERIFY2(startServer(), m_server->output().constData());
    Greenroom::Sync::DocsBuildClient builds(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)), {});
    QSignalSpy finished(&builds, &Greenroom::Sync::DocsBuildClient::buildFinished);
    QSignalSpy failed(&builds, &Greenroom::Sync::DocsBuildClient::buildFailed);
    const auto failure = [&](const QString &ref) {
        failed.clear();
        builds.build(ref);
        return failed.wait(30000) ? failed.first().at(1).toString() : QStringLiteral("(no failure)");
    };
    // The build's own error, from the stream; the server's error body; no server at all.
    QCOMPARE(failure(QStringLiteral("component:default/broken")), QStringLiteral("Config value 'site_name': Required configuration not provided."));
    QCOMPARE(failure(QStringLiteral("component:default/nope")), QStringLiteral("404 Not Found: Entity metadata UID missing"));
    QVERIFY(finished.isEmpty());
    m_server.reset();
    const QString unreachable = failure(QStringLiteral("component:default/broken"));
    QVERIFY2(unreachable.startsWith(QStringLiteral("Cannot reach http://127.0.0.1:%1").arg(m_port)), qPrintable(unreachable));
}

void TestSyncClient::eventStreamsAreSplitAsTheyArrive()
{
    Greenroom::Sync::EventStreamReader reader;
    QVERIFY(reader.read("event: log\ndata: \"one").isEmpty());   // half a block waits
    auto events = reader.read("\"\n\nevent:finish\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n: a comment\n\ndata: plain\n\n");
    QCOMPARE(events.size(), 3);
    QCOMPARE(events.at(0).name, QByteArray("log"));
    QCOMPARE(events.at(0).data, QByteArray("\"one\""));
    QCOMPARE(events.at(1).name, QByteArray("finish"));
    QCOMPARE(events.at(1).data, QByteArray("{\"a\":\n1}"));   // data lines joined with newlines
    QCOMPARE(events.at(2).name, QByteArray("message"));
    QCOMPARE(events.at(2).data, QByteArray("plain"));
}

QTEST_MAIN(TestSyncClient)
#include "tst_syncclient.moc"
