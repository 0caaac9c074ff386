// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The real server on a real PostgreSQL cluster (Debian's binaries, started
// by the test): Backstage's backend.database shapes select and create the
// database, the catalog outlives a restart, and what cannot be reached is
// named clearly without telling the password.
#include "pgcluster.h"
#include "serverprocess.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QTest>

using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

QByteArray components(int count)
{
    QByteArray yaml;
    for (int i = 0; i < count; ++i)
        yaml += "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc-" + QByteArray::number(i)
                + "}\nspec: {type: service, lifecycle: production, owner: team-a}\n";
    return yaml;
}

qint64 totalItems(ServerProcess &server)
{
    return server.request("GET", QStringLiteral("/api/catalog/entities/by-query?limit=1")).json()[QLatin1String("totalItems")].toInteger();
}

} // namespace

class TestPostgresServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { m_server.reportIfTestFailed(); m_server.stop(); }
    void createsItsDatabaseAndKeepsTheCatalogAcrossARestart();
    void urlConnectionInSchemaMode();
    void unreachableDatabasesAreNamedWithoutThePassword();
    void keepsServingWhenTheDatabaseRestarts();

private:
    QByteArray config(const QByteArray &database) const;
    Greenroom::Tests::PgCluster *m_cluster = nullptr;
    QTemporaryDir m_dir;
    ServerProcess m_server;
};

void TestPostgresServer::initTestCase()
{
    QString error;
    m_cluster = Greenroom::Tests::PgCluster::shared(&error);
    QVERIFY2(m_cluster, qPrintable(error));
    writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")), components(40));
}

QByteArray TestPostgresServer::config(const QByteArray &database) const
{
    return "backend:\n  listen: {port: 0}\n  database:\n" + database
           + "catalog:\n  processingInterval: false\n  locations: [{type: file, target: catalog-info.yaml}]\n";
}

void TestPostgresServer::createsItsDatabaseAndKeepsTheCatalogAcrossARestart()
{
    // Backstage's default: one database per plugin, prefix + plugin id, made when missing.
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              config("    client: pg\n    prefix: greenroom_test_\n    connection:\n      host: 127.0.0.1\n      port: "
                     + QByteArray::number(m_cluster->port()) + "\n      user: greenroom\n      database: ignored_in_database_mode\n"));
    QVERIFY2(m_server.start(m_dir.path()), m_server.output().constData());
    QVERIFY2(m_server.output().contains("database: postgresql://greenroom@127.0.0.1:" + QByteArray::number(m_cluster->port())
                                        + "/greenroom_test_catalog"),
             m_server.output().constData());
    QCOMPARE(totalItems(m_server), 41);   // 40 components and their location
    QCOMPARE(m_cluster->psql(QStringLiteral("greenroom_test_catalog"), QStringLiteral("SELECT count(*) FROM entities")), QStringLiteral("41"));
    const Reply feed = m_server.request("GET", QStringLiteral("/api/sync/v1/changes?limit=100"));
    QCOMPARE(feed.status, 200);
    QCOMPARE(feed.json()[QLatin1String("changes")].toArray().size(), 41);
    const QByteArray svc = m_server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/svc-7")).body;
    // Not there yet on PostgreSQL: the search API says so plainly.
    const Reply search = m_server.request("GET", QStringLiteral("/api/search/query?term=svc"));
    QCOMPARE(search.status, 501);
    QVERIFY2(search.errorMessage().contains(QLatin1String("not served from the PostgreSQL store yet")), search.body.constData());
    m_server.stop();

    // Again: the same entities (uids, etags), nothing written.
    QVERIFY2(m_server.start(m_dir.path()), m_server.output().constData());
    QCOMPARE(m_server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/svc-7")).body, svc);
    QCOMPARE(totalItems(m_server), 41);
    const QString cursor = feed.json()[QLatin1String("cursor")].toString();
    QCOMPARE(m_server.request("GET", QStringLiteral("/api/sync/v1/changes?after=") + cursor).json()[QLatin1String("changes")].toArray().size(), 0);
}

void TestPostgresServer::urlConnectionInSchemaMode()
{
    // One database shared by plugins, one schema each.
    QVERIFY(m_cluster->createDatabase(QStringLiteral("shared")).isEmpty());
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              config("    client: pg\n    pluginDivisionMode: schema\n    schemaPrefix: gr_\n    connection: postgresql://greenroom@127.0.0.1:"
                     + QByteArray::number(m_cluster->port()) + "/shared\n"));
    QVERIFY2(m_server.start(m_dir.path()), m_server.output().constData());
    QCOMPARE(totalItems(m_server), 41);
    QCOMPARE(m_cluster->psql(QStringLiteral("shared"), QStringLiteral("SELECT count(*) FROM gr_catalog.entities")), QStringLiteral("41"));
    QCOMPARE(m_cluster->psql(QStringLiteral("shared"), QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")), QStringLiteral("0"));
}

void TestPostgresServer::unreachableDatabasesAreNamedWithoutThePassword()
{
    const QByteArray port = QByteArray::number(m_cluster->port());
    const auto failure = [this](const QByteArray &database) {
        writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")), config(database));
        QProcess server;
        server.setWorkingDirectory(m_dir.path());
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("serve")});
        if (!server.waitForFinished(30000)) {
            server.kill();
            server.waitForFinished();
            return QByteArray("(still running)");
        }
        return server.exitCode() == 0 ? QByteArray("(exit 0)") : server.readAll();
    };
    // ensureExists: false, and the database is not there.
    QByteArray out = failure("    client: pg\n    ensureExists: false\n    connection: {host: 127.0.0.1, port: " + port
                             + ", user: greenroom, password: hunter2-secret}\n");
    QVERIFY2(out.contains("database \"backstage_plugin_catalog\" does not exist"), out.constData());
    QVERIFY2(!out.contains("hunter2-secret"), out.constData());
    // Nothing listens there.
    out = failure("    client: pg\n    connection: {host: 127.0.0.1, port: 1, user: greenroom, password: hunter2-secret}\n");
    QVERIFY2(out.contains("Failed to connect to the database to make sure that 'backstage_plugin_catalog' exists"), out.constData());
    QVERIFY2(!out.contains("hunter2-secret"), out.constData());
    // Shapes Backstage refuses are refused.
    out = failure("    client: pg\n    pluginDivisionMode: tables\n    connection: {host: 127.0.0.1}\n");
    QVERIFY2(out.contains("pluginDivisionMode must be database or schema"), out.constData());
    out = failure("    client: pg\n    pluginDivisionMode: schema\n    schemaPrefix: 'bad-prefix'\n    connection: {host: 127.0.0.1}\n");
    QVERIFY2(out.contains("Invalid schemaPrefix \"bad-prefix\""), out.constData());
    out = failure("    client: mysql\n");
    QVERIFY2(out.contains("backend.database.client 'mysql' is not supported"), out.constData());
}

void TestPostgresServer::keepsServingWhenTheDatabaseRestarts()
{
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              config("    client: pg\n    connection: {host: 127.0.0.1, port: " + QByteArray::number(m_cluster->port())
                     + ", user: greenroom, database: restarts}\n    pluginDivisionMode: schema\n"));
    QVERIFY(m_cluster->createDatabase(QStringLiteral("restarts")).isEmpty());
    QVERIFY2(m_server.start(m_dir.path()), m_server.output().constData());
    QCOMPARE(totalItems(m_server), 41);
    // Every connection the server holds is cut.
    const QString restarted = m_cluster->restart();
    QVERIFY2(restarted.isEmpty(), qPrintable(restarted));
    // Reads and writes reconnect, with the session as it was (the schema on the search path).
    const Reply svc = m_server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/svc-3"));
    QVERIFY2(svc.status == 200, svc.body.constData());
    const QString uid = svc.json()[QLatin1String("metadata")][QLatin1String("uid")].toString();
    QCOMPARE(m_server.request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid).status, 204);
    QCOMPARE(totalItems(m_server), 40);
    QCOMPARE(m_server.request("GET", QStringLiteral("/api/sync/v1/changes?limit=100")).status, 200);
}

QTEST_GUILESS_MAIN(TestPostgresServer)
#include "tst_postgresserver.moc"
