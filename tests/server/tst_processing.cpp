// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The processing loop of a running server: locations read again on the
// schedule and on POST /refresh, exactly the changed entities in the feed,
// and a location that stops reading keeps what it had.
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

QByteArray components(int count, const QString &firstDescription = QStringLiteral("first"))
{
    QByteArray yaml;
    for (int i = 0; i < count; ++i)
        yaml += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c%1, description: '%2'}\n"
                               "spec: {type: service, lifecycle: production, owner: team-a}\n")
                    .arg(i)
                    .arg(i == 0 ? firstDescription : QStringLiteral("plain"))
                    .toUtf8();
    return yaml;
}

QString config(const char *interval)
{
    return QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                          "catalog:\n  processingInterval: %1\n"
                          "  locations: [{type: file, target: catalog-info.yaml}]\n").arg(QString::fromLatin1(interval));
}

QString cursorOf(ServerProcess &server)
{
    return server.request("GET", QStringLiteral("/api/sync/v1/changes?limit=10000")).json()[QLatin1String("cursor")].toString();
}

QStringList changesAfter(ServerProcess &server, const QString &cursor)
{
    QStringList out;
    const Reply reply = server.request("GET", QStringLiteral("/api/sync/v1/changes?after=") + cursor);
    for (const QJsonValue &change : reply.json()[QLatin1String("changes")].toArray())
        out << change[QLatin1String("type")].toString() + QLatin1Char(' ') + change[QLatin1String("entityRef")].toString();
    out.sort();
    return out;
}

} // namespace

class TestProcessing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scheduleReadsLocationsAgain();
    void unreadableLocationKeepsItsEntities();
    void refreshReadsTheEntitysLocationNow();
    void refreshReadsOnlyTheEntitysFile();
};

void TestProcessing::scheduleReadsLocationsAgain()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")), components(4));
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")), config("{seconds: 1}").toUtf8());
    ServerProcess server;
    QVERIFY2(server.start(dir.path()), server.output().constData());
    const QString cursor = cursorOf(server);
    // c0 changes, c3 goes; c1 and c2 stay exactly as they were.
    QByteArray next = components(3, QStringLiteral("second"));
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")), next);
    QTRY_COMPARE_WITH_TIMEOUT(changesAfter(server, cursor),
                              (QStringList{QStringLiteral("delete component:default/c3"), QStringLiteral("upsert component:default/c0")}),
                              10000);
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/c0"))
                 .json()[QLatin1String("metadata")][QLatin1String("description")].toString(),
             QStringLiteral("second"));
}

void TestProcessing::unreadableLocationKeepsItsEntities()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")), components(3));
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")), config("{seconds: 1}").toUtf8());
    ServerProcess server;
    QVERIFY2(server.start(dir.path()), server.output().constData());
    const QString cursor = cursorOf(server);
    // Broken YAML, then no file at all: each read fails, nothing is lost.
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")), "apiVersion: [unclosed\n");
    QTRY_VERIFY_WITH_TIMEOUT(server.output().contains("1 errors"), 10000);
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("catalog-info.yaml"))));
    QTest::qWait(2500);
    QCOMPARE(changesAfter(server, cursor), QStringList());
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities?filter=kind=component")).json().toArray().size(), 3);
    QCOMPARE(server.process().state(), QProcess::Running);
}

void TestProcessing::refreshReadsTheEntitysLocationNow()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")), components(2));
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")), config("false").toUtf8());
    ServerProcess server;
    QVERIFY2(server.start(dir.path()), server.output().constData());
    const QString cursor = cursorOf(server);
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")), components(2, QStringLiteral("refreshed")));
    QTest::qWait(1500);
    QCOMPARE(changesAfter(server, cursor), QStringList());   // no schedule: nothing read yet

    const Reply refreshed = server.request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/c1"})");
    QCOMPARE(refreshed.status, 200);
    QVERIFY(refreshed.body.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(changesAfter(server, cursor), QStringList{QStringLiteral("upsert component:default/c0")}, 10000);

    const Reply unknown = server.request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/nope"})");
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorMessage(), QStringLiteral("Entity component:default/nope not found"));
    QCOMPARE(server.request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/c1","x":1})").status, 400);
    QCOMPARE(server.request("POST", QStringLiteral("/api/catalog/refresh"), R"({"other":1})").status, 400);
}

void TestProcessing::refreshReadsOnlyTheEntitysFile()
{
    QTemporaryDir dir;
    const auto component = [](const char *name, const char *description) {
        return QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %1, description: %2}\n"
                              "spec: {type: service, lifecycle: production, owner: team-a}\n")
            .arg(QLatin1String(name), QLatin1String(description)).toUtf8();
    };
    writeFile(dir.filePath(QStringLiteral("catalog-info.yaml")),
              "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: org}\nspec: {targets: [./a.yaml, ./b.yaml]}\n");
    writeFile(dir.filePath(QStringLiteral("a.yaml")), component("a1", "first") + component("a2", "first"));
    writeFile(dir.filePath(QStringLiteral("b.yaml")), component("b1", "first"));
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")), config("false").toUtf8());
    ServerProcess server;
    QVERIFY2(server.start(dir.path()), server.output().constData());
    QString cursor = cursorOf(server);

    // Both files change; a refresh of a1 reads a.yaml alone: a1 changes,
    // a2 is gone, a3 is new, and b1 waits for its own read.
    writeFile(dir.filePath(QStringLiteral("a.yaml")), component("a1", "second") + component("a3", "new"));
    writeFile(dir.filePath(QStringLiteral("b.yaml")), component("b1", "second"));
    QCOMPARE(server.request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/a1"})").status, 200);
    const QStringList oneFile{QStringLiteral("delete component:default/a2"), QStringLiteral("upsert component:default/a1"),
                              QStringLiteral("upsert component:default/a3")};
    QTRY_COMPARE_WITH_TIMEOUT(changesAfter(server, cursor), oneFile, 10000);
    QTest::qWait(500);
    QCOMPARE(changesAfter(server, cursor), oneFile);
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/b1"))
                 .json()[QLatin1String("metadata")][QLatin1String("description")].toString(),
             QStringLiteral("first"));
    cursor = cursorOf(server);

    // a.yaml now holds a Location too: its targets are read with the
    // whole location, so b.yaml's change lands as well.
    writeFile(dir.filePath(QStringLiteral("a.yaml")),
              component("a1", "second") + component("a3", "new")
                  + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: more}\nspec: {target: ./c.yaml}\n");
    writeFile(dir.filePath(QStringLiteral("c.yaml")), component("c1", "first"));
    QCOMPARE(server.request("POST", QStringLiteral("/api/catalog/refresh"), R"({"entityRef":"component:default/a1"})").status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(changesAfter(server, cursor),
                              (QStringList{QStringLiteral("upsert component:default/b1"), QStringLiteral("upsert component:default/c1"),
                                           QStringLiteral("upsert location:default/more")}),
                              10000);
}

QTEST_GUILESS_MAIN(TestProcessing)
#include "tst_processing.moc"
