// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Running the server in production: /metrics in Prometheus' text format,
// JSON logs, and a server killed (SIGKILL) in the middle of a large
// ingestion: the store keeps everything committed before, nothing of the
// half-written location, and the feed goes on from where a client was.
#include <serverprocess.h>
#include <testfiles.h>

#include <store/sqlitecatalogstore.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

QByteArray components(const QString &prefix, int count)
{
    QByteArray yaml;
    yaml.reserve(count * 160);
    for (int i = 0; i < count; ++i) {
        yaml += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %1-%2}\n"
                               "spec: {type: service, lifecycle: production, owner: team-a}\n").arg(prefix).arg(i).toUtf8();
    }
    return yaml;
}

// The value of the sample `name` (with its labels exactly as written), or -1.
double sample(const QByteArray &metrics, const QByteArray &name)
{
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).toDouble();
    }
    return -1;
}

} // namespace

class TestOperations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metricsCountRequestsEntitiesErrorsAndClients();
    void jsonLogsAreOneObjectPerLine();
    void textLogsKeepEachEventOnItsLine();
    void unchangedReadsAreLoggedAtDebugLevel();
    void killedMidIngestionKeepsTheStoreConsistent();
    void answersWhileALargeLocationIsWritten();
};

void TestOperations::metricsCountRequestsEntitiesErrorsAndClients()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")),
              components(QStringLiteral("svc"), 3) + "---\napiVersion: backstage.io/v1alpha1\nkind: Component\n"
                                                     "metadata: {name: Not Valid!}\nspec: {type: service}\n");
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
              "catalog:\n  processingInterval: false\n  locations: [{type: file, target: catalog-info.yaml}]\n");
    ServerProcess server;
    QVERIFY2(server.start(dir.path()), server.output().constData());
    for (int i = 0; i < 2; ++i)
        QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/svc-1")).status, 200);
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/nobody")).status, 404);
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/no-such-route")).status, 404);
    const QString cursor = server.request("GET", QStringLiteral("/api/sync/v1/changes?limit=10000")).json()
                               [QLatin1String("cursor")].toString();
    QNetworkReply *waiting = server.network().get(
        QNetworkRequest(QUrl(server.base() + QStringLiteral("/api/sync/v1/changes?wait=30&after=") + cursor)));

    Reply metrics;
    QTRY_VERIFY_WITH_TIMEOUT((metrics = server.request("GET", QStringLiteral("/metrics")),
                              sample(metrics.body, "greenroom_sync_waiting_clients") == 1), 5000);
    QCOMPARE(metrics.status, 200);
    QCOMPARE(metrics.headers.value("content-type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    const QByteArray &m = metrics.body;
    const QByteArray byName = "route=\"/api/catalog/entities/by-name/:kind/:namespace/:name\"";
    QCOMPARE(sample(m, "greenroom_http_requests_total{method=\"GET\"," + byName + ",status=\"200\"}"), 2.0);
    QCOMPARE(sample(m, "greenroom_http_requests_total{method=\"GET\"," + byName + ",status=\"404\"}"), 1.0);
    QCOMPARE(sample(m, "greenroom_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"), 1.0);
    QCOMPARE(sample(m, "greenroom_http_request_duration_seconds_count{" + byName + "}"), 3.0);
    QCOMPARE(sample(m, "greenroom_http_request_duration_seconds_bucket{" + byName + ",le=\"+Inf\"}"), 3.0);
    QVERIFY(sample(m, "greenroom_http_request_duration_seconds_bucket{" + byName + ",le=\"5\"}") >= 0);
    QCOMPARE(sample(m, "greenroom_catalog_entities{kind=\"Component\"}"), 3.0);
    QCOMPARE(sample(m, "greenroom_catalog_entities{kind=\"Location\"}"), 1.0);
    QCOMPARE(sample(m, "greenroom_ingestion_location_reads_total"), 1.0);
    QCOMPARE(sample(m, "greenroom_catalog_first_pass_done"), 1.0);
    QCOMPARE(sample(m, "greenroom_ingestion_errors_total"), 1.0);   // the invalid name
    QVERIFY(m.contains("# TYPE greenroom_http_request_duration_seconds histogram\n"));
    waiting->abort();
    waiting->deleteLater();
}

void TestOperations::jsonLogsAreOneObjectPerLine()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")), components(QStringLiteral("svc"), 2));
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
              "  auth: {externalAccess: [{type: static, options: {token: sEcReT-tOkEn-1234567890, subject: ci}}]}\n"
              "integrations: {github: [{host: github.com, token: gItHuB-sEcReT-987}]}\n"
              "catalog:\n  processingInterval: false\n  locations: [{type: file, target: catalog-info.yaml}]\n");
    ServerProcess server;
    QVERIFY2(server.start(dir.path(), {QStringLiteral("serve"), QStringLiteral("--log-format"), QStringLiteral("json"),
                                       QStringLiteral("--log-requests")}),
             server.output().constData());
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities?filter=kind=component"), {}, {},
                            {{"Authorization", "Bearer sEcReT-tOkEn-1234567890"}}).status, 200);
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities")).status, 401);
    server.stop();
    const QByteArray output = server.output();
    QVERIFY(!output.contains("sEcReT"));   // neither the API token nor the integration's
    int requests = 0;
    bool sawLocation = false;
    for (const QByteArray &line : output.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonObject event = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        QVERIFY2(event.contains(QLatin1String("timestamp")) && event.contains(QLatin1String("level"))
                     && event.contains(QLatin1String("message")), line.constData());
        if (event.value(QLatin1String("type")) == QLatin1String("incomingRequest")) {
            ++requests;
            // A refused request never reaches a route.
            const bool refused = event.value(QLatin1String("status")).toInt() == 401;
            QCOMPARE(event.value(QLatin1String("route")).toString(), refused ? QString() : QStringLiteral("/api/catalog/entities"));
            QVERIFY(event.value(QLatin1String("durationMs")).isDouble());
        }
        if (event.value(QLatin1String("location")).toString().endsWith(QLatin1String("catalog-info.yaml"))) {
            sawLocation = true;
            QCOMPARE(event.value(QLatin1String("added")).toInt(), 3);
        }
    }
    QCOMPARE(requests, 2);
    QVERIFY(sawLocation);
    QCOMPARE(QProcess::execute(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("serve"), QStringLiteral("--log-format"),
                                                                        QStringLiteral("xml")}), 2);
}

void TestOperations::textLogsKeepEachEventOnItsLine()
{
    // A location's target is written by whoever edits the config or registers it; its line break stays escaped.
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
              "catalog:\n  processingInterval: false\n  locations: [{type: file, target: \"missing\\nserve: forged line.yaml\"}]\n");
    ServerProcess server;
    QVERIFY2(server.start(dir.path(), {QStringLiteral("serve")}), server.output().constData());
    QTRY_VERIFY2(server.output().contains("missing\\nserve: forged line.yaml"), server.output().constData());
    server.stop();
    for (const QByteArray &line : server.output().split('\n'))
        QVERIFY2(!line.startsWith("serve: forged"), server.output().constData());
}

void TestOperations::unchangedReadsAreLoggedAtDebugLevel()
{
    // The location is read again every 200 ms; only the first read changes anything.
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")), components(QStringLiteral("svc"), 2));
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
              "catalog:\n  processingInterval: {milliseconds: 200}\n  locations: [{type: file, target: catalog-info.yaml}]\n");
    const auto readLines = [&](const QString &logLevel) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("LOG_LEVEL"));
        if (!logLevel.isEmpty())
            environment.insert(QStringLiteral("LOG_LEVEL"), logLevel);
        ServerProcess server;
        if (!server.start(dir.path(), {QStringLiteral("serve")}, environment))
            return -1;
        QTest::qWait(1500);
        server.stop();
        int lines = 0;
        for (const QByteArray &line : server.output().split('\n'))
            lines += line.contains("catalog-info.yaml: ") && line.contains(" unchanged, ");
        return lines;
    };
    QCOMPARE(readLines(QString()), 1);   // the first read, which added the entities
    QVERIFY(readLines(QStringLiteral("debug")) > 2);
}

void TestOperations::killedMidIngestionKeepsTheStoreConsistent()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db"));
    writeFile(dir.filePath(QStringLiteral("small.yaml")), components(QStringLiteral("small"), 10));
    const auto writeConfig = [&](bool withLarge) {
        writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
                  QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                                 "catalog:\n  processingInterval: false\n  locations:\n    - {type: file, target: small.yaml}\n%2")
                      .arg(db, withLarge ? QStringLiteral("    - {type: file, target: large.yaml}\n") : QString()).toUtf8());
    };
    writeConfig(false);
    QString cursor;
    {
        ServerProcess server;
        QVERIFY2(server.start(dir.path()), server.output().constData());
        cursor = server.request("GET", QStringLiteral("/api/sync/v1/changes?limit=10000")).json()[QLatin1String("cursor")].toString();
    }
    QVERIFY(cursor.endsWith(QLatin1String("-11")));

    // A large location, and a kill while its transaction is being written
    // (the write-ahead log grows past a few MB only then).
    constexpr int Large = 30000;
    writeFile(dir.filePath(QStringLiteral("large.yaml")), components(QStringLiteral("large"), Large));
    writeConfig(true);
    const QString wal = QDir(db).filePath(QStringLiteral("catalog.sqlite-wal"));
    QProcess killed;
    killed.setWorkingDirectory(dir.path());
    killed.setProcessChannelMode(QProcess::MergedChannels);
    killed.start(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("serve")});
    QVERIFY(killed.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(wal).size() > 4 * 1024 * 1024 || killed.state() != QProcess::Running, 120000);
    QCOMPARE(killed.state(), QProcess::Running);
    ::kill(pid_t(killed.processId()), SIGKILL);
    QVERIFY(killed.waitForFinished(10000));
    QVERIFY2(!killed.readAll().contains("large.yaml: "), "the large location finished before the kill");

    {
        // What is on disk: the small location whole, nothing of the large one.
        auto store = Greenroom::Store::SqliteCatalogStore::open(QDir(db).filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        QVERIFY(store.value()->checkHealth());
        QCOMPARE(store.value()->entityCount(), 11);
        QCOMPARE(store.value()->lastSequence(), 11);
        QVERIFY(!store.value()->entityByRef(QStringLiteral("component:default/large-0")));
    }

    // Restarted, it reads the large location again; a client's cursor from
    // before goes on, seeing exactly the new entities.
    ServerProcess server;
    QVERIFY2(server.start(dir.path()), server.output().constData());
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities?limit=1&filter=metadata.name=large-29999")).json()
                 .toArray().size(), 1);
    int upserts = 0;
    for (bool more = true; more;) {
        const Reply page = server.request("GET", QStringLiteral("/api/sync/v1/changes?limit=10000&after=") + cursor);
        QCOMPARE(page.status, 200);
        for (const QJsonValue &change : page.json()[QLatin1String("changes")].toArray()) {
            QCOMPARE(change[QLatin1String("type")].toString(), QStringLiteral("upsert"));
            ++upserts;
        }
        cursor = page.json()[QLatin1String("cursor")].toString();
        more = page.json()[QLatin1String("hasMore")].toBool();
    }
    QCOMPARE(upserts, Large + 1);   // the large location's entities and its generated Location
}

void TestOperations::answersWhileALargeLocationIsWritten()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db"));
    writeFile(dir.filePath(QStringLiteral("large.yaml")), components(QStringLiteral("large"), 30000));
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                             "catalog:\n  processingInterval: false\n  locations: [{type: file, target: large.yaml}]\n")
                  .arg(db).toUtf8());
    QProcess server;
    server.setWorkingDirectory(dir.path());
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("serve")});
    QVERIFY(server.waitForStarted());
    QByteArray output;
    QString base;
    static const QRegularExpression listening(QStringLiteral("listening on (http://[^\\s]+:\\d+)"));
    QTRY_VERIFY_WITH_TIMEOUT((output += server.readAll(), base = listening.match(QString::fromUtf8(output)).captured(1),
                              !base.isEmpty()), 10000);
    // The write transaction is under way once the write-ahead log grows.
    const QString wal = QDir(db).filePath(QStringLiteral("catalog.sqlite-wal"));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(wal).size() > 4 * 1024 * 1024, 120000);
    QNetworkAccessManager network;
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(base + QStringLiteral("/api/catalog/entities?limit=1"))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    const qint64 waited = timer.elapsed();
    output += server.readAll();
    QVERIFY2(!output.contains("large.yaml: "), "the write ended before the request was answered");
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY2(waited < 1000, qPrintable(QStringLiteral("answered after %1 ms").arg(waited)));
    reply->deleteLater();
    // And the location lands whole.
    QTRY_VERIFY_WITH_TIMEOUT((output += server.readAll(), output.contains("every location has been read once")), 120000);
    QVERIFY2(output.contains("30001 added"), output.constData());
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitCode(), 0);
}

QTEST_MAIN(TestOperations)
#include "tst_operations.moc"
