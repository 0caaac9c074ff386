// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Several greenroom-server replicas on one PostgreSQL database (a cluster
// the test starts): they share the location reads through leases, serve
// one feed, wake each other's long-polling clients, and when one is killed
// with SIGKILL in the middle of a large read another takes its work over:
// nothing half-written, nothing lost, nothing twice.
#include "pgcluster.h"
#include "serverprocess.h"
#include "testfiles.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

QByteArray components(const QByteArray &prefix, int count)
{
    QByteArray yaml;
    yaml.reserve(count * 170);
    for (int i = 0; i < count; ++i)
        yaml += "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: " + prefix + QByteArray::number(i)
                + "}\nspec: {type: service, lifecycle: production, owner: team-a}\n";
    return yaml;
}

// The whole feed, page by page: "sequence type ref etag" per change.
QStringList wholeFeed(ServerProcess &server)
{
    QStringList lines;
    QString cursor;
    for (int page = 0; page < 1000; ++page) {
        const Reply reply = server.request("GET", QStringLiteral("/api/sync/v1/changes?limit=5000&after=") + cursor);
        if (reply.status != 200)
            return {QStringLiteral("HTTP %1").arg(reply.status)};
        const QJsonObject body = reply.json().toObject();
        for (const QJsonValue &change : body.value(QLatin1String("changes")).toArray())
            lines << QStringLiteral("%1 %2 %3 %4").arg(change[QLatin1String("sequence")].toInteger()).arg(change[QLatin1String("type")].toString(),
                                                                                                          change[QLatin1String("entityRef")].toString(),
                                                                                                          change[QLatin1String("etag")].toString());
        cursor = body.value(QLatin1String("cursor")).toString();
        if (!body.value(QLatin1String("hasMore")).toBool())
            break;
    }
    return lines;
}

} // namespace

class TestPostgresReplicas : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void replicasShareReadsAndServeOneFeed();
    void killedReplicasWorkIsTakenOver();

private:
    void writeConfig(const QString &database, const QByteArray &locations);
    // Starts a replica and returns once it listens (not waiting for its reads).
    bool startListening(QProcess &process);
    Greenroom::Tests::PgCluster *m_cluster = nullptr;
    QTemporaryDir m_dir;
    ServerProcess m_first;
    ServerProcess m_second;
};

void TestPostgresReplicas::initTestCase()
{
    QString error;
    m_cluster = Greenroom::Tests::PgCluster::shared(&error);
    QVERIFY2(m_cluster, qPrintable(error));
}

void TestPostgresReplicas::cleanup()
{
    m_first.reportIfTestFailed();
    m_second.reportIfTestFailed();
    m_first.stop();
    m_second.stop();
}

void TestPostgresReplicas::writeConfig(const QString &database, const QByteArray &locations)
{
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database:\n    client: pg\n    connection: {host: 127.0.0.1, port: "
                  + QByteArray::number(m_cluster->port()) + ", user: greenroom, database: " + database.toUtf8()
                  + "}\n    pluginDivisionMode: schema\n"
                    "greenroom:\n  processing: {leaseTimeout: {seconds: 3}}\n"
                    "catalog:\n  processingInterval: false\n  rules: [{allow: [Component, Location]}]\n  locations:\n"
                  + locations);
}

bool TestPostgresReplicas::startListening(QProcess &process)
{
    process.setWorkingDirectory(m_dir.path());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("serve")});
    if (!process.waitForStarted())
        return false;
    QByteArray output;
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 60000 && process.state() == QProcess::Running) {
        process.waitForReadyRead(100);
        output += process.readAll();
        if (output.contains("listening on"))
            return true;
    }
    qWarning().noquote() << output;
    return false;
}

void TestPostgresReplicas::replicasShareReadsAndServeOneFeed()
{
    const QString database = QStringLiteral("replicas_share");
    QVERIFY(m_cluster->createDatabase(database).isEmpty());
    QByteArray locations;
    for (int i = 0; i < 6; ++i) {
        const QByteArray file = "part-" + QByteArray::number(i) + ".yaml";
        writeFile(m_dir.filePath(QString::fromLatin1(file)), components("p" + QByteArray::number(i) + "-", 300));
        locations += "    - {type: file, target: " + file + "}\n";
    }
    writeConfig(database, locations);
    QVERIFY2(m_first.start(m_dir.path()), m_first.output().constData());
    QVERIFY2(m_second.start(m_dir.path()), m_second.output().constData());

    // Every location was read by one replica only: the second found them leased.
    const QByteArray first = m_first.output(), second = m_second.output();
    for (int i = 0; i < 6; ++i) {
        const QByteArray read = "part-" + QByteArray::number(i) + ".yaml: 301 added";   // and the location itself
        QVERIFY2(first.contains(read) != second.contains(read), read.constData());
    }
    QCOMPARE(m_cluster->psql(database, QStringLiteral("SELECT count(*) FROM catalog.entities")), QStringLiteral("1806"));   // 6 x 300, 6 locations

    // One feed, whichever replica answers it.
    const QStringList feed = wholeFeed(m_first);
    QCOMPARE(feed.size(), 1806);
    QCOMPARE(wholeFeed(m_second), feed);

    // A client waiting on the second hears at once of a location registered on the first.
    QString end;
    for (QString c;;) {
        const QJsonObject page = m_second.request("GET", QStringLiteral("/api/sync/v1/changes?limit=5000&after=") + c).json().toObject();
        c = page.value(QLatin1String("cursor")).toString();
        if (!page.value(QLatin1String("hasMore")).toBool()) {
            end = c;
            break;
        }
    }
    QNetworkReply *waiting = m_second.network().get(
        QNetworkRequest(QUrl(m_second.base() + QStringLiteral("/api/sync/v1/changes?wait=30&after=") + end)));
    QTest::qWait(300);
    QVERIFY(!waiting->isFinished());
    const QString uid = m_first.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/p0-0")).json()
                            [QLatin1String("metadata")][QLatin1String("uid")].toString();
    QVERIFY(!uid.isEmpty());
    // Deleting answers after its commit.
    const Reply deleted = m_first.request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid);
    QElapsedTimer sinceCommit;
    sinceCommit.start();
    QCOMPARE(deleted.status, 204);
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    qInfo("the client waiting on the other replica heard of the deletion %lld ms after it was committed", qint64(sinceCommit.elapsed()));
    QVERIFY(sinceCommit.elapsed() < 900);   // NOTIFY, not the one-second safety poll
    const QJsonArray heard = QJsonDocument::fromJson(waiting->readAll()).object().value(QLatin1String("changes")).toArray();
    waiting->deleteLater();
    QCOMPARE(heard.size(), 1);
    QCOMPARE(heard.first()[QLatin1String("type")].toString(), QStringLiteral("delete"));
    QCOMPARE(heard.first()[QLatin1String("uid")].toString(), uid);
}

void TestPostgresReplicas::killedReplicasWorkIsTakenOver()
{
    const QString database = QStringLiteral("replicas_kill");
    QVERIFY(m_cluster->createDatabase(database).isEmpty());
    constexpr int Count = 30000;
    writeFile(m_dir.filePath(QStringLiteral("large.yaml")), components("big-", Count));
    writeConfig(database, "    - {type: file, target: large.yaml}\n");

    // The first replica takes the location's lease and starts reading it.
    QProcess doomed;
    QVERIFY(startListening(doomed));
    QElapsedTimer waited;
    waited.start();
    QString holder;
    while (waited.elapsed() < 30000 && !holder.contains(QLatin1Char(':')))
        holder = m_cluster->psql(database, QStringLiteral("SELECT holder FROM catalog.work_leases WHERE key LIKE 'file:%large.yaml'"));
    QVERIFY2(holder.contains(QString::number(doomed.processId())), qPrintable(holder));
    // The second starts meanwhile: the location is leased, so it waits.
    QProcess second;
    QVERIFY(startListening(second));
    QTest::qWait(500);
    QCOMPARE(m_cluster->psql(database, QStringLiteral("SELECT count(*) FROM catalog.entities")), QStringLiteral("0"));   // mid-read, nothing yet
    ::kill(pid_t(doomed.processId()), SIGKILL);
    QVERIFY(doomed.waitForFinished(10000));
    QCOMPARE(m_cluster->psql(database, QStringLiteral("SELECT count(*) FROM catalog.entities")), QStringLiteral("0"));   // nothing half-written

    // Once the lease runs out (3 s), the second reads the location and writes it whole.
    waited.restart();
    QString count;
    while (waited.elapsed() < 120000 && count != QString::number(Count + 1)) {
        QTest::qWait(250);
        count = m_cluster->psql(database, QStringLiteral("SELECT count(*) FROM catalog.entities"));
    }
    QCOMPARE(count, QString::number(Count + 1));
    qInfo("taken over and written %lld ms after the kill", qint64(waited.elapsed()));
    second.terminate();
    QVERIFY(second.waitForFinished(10000));

    // Both replicas (the killed one started again) serve the same feed: each entity once.
    QVERIFY2(m_first.start(m_dir.path()), m_first.output().constData());
    QVERIFY2(m_second.start(m_dir.path()), m_second.output().constData());
    const QStringList feed = wholeFeed(m_first);
    QCOMPARE(feed.size(), Count + 1);
    QCOMPARE(wholeFeed(m_second), feed);
    QSet<QString> refs;
    qint64 previous = 0;
    for (const QString &line : feed) {
        const QStringList parts = line.split(QLatin1Char(' '));
        QVERIFY(parts.at(0).toLongLong() > previous);
        previous = parts.at(0).toLongLong();
        QVERIFY2(!refs.contains(parts.at(2)), qPrintable(line));
        refs.insert(parts.at(2));
    }
    QVERIFY(refs.contains(QStringLiteral("component:default/big-29999")));
}

QTEST_GUILESS_MAIN(TestPostgresReplicas)
#include "tst_postgresreplicas.moc"
