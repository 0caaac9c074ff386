// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The sync feed over real HTTP: paging from zero, tombstones, long-poll
// answered on commit, one answer shared by many waiters, timeouts, bad and
// foreign cursors, clients that leave.
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

class TestSyncApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void feedFromZeroPagesToTheEnd();
    void deletionIsATombstone();
    void waitingClientIsToldOnCommit();
    void waitEndsWithAnEmptyPage();
    void badCursorsAndLimits();
    void clientThatLeavesWhileWaiting();
    void waitersAtOneCursorShareOneAnswer();
    void sigtermAnswersWaitersAndExitsCleanly();   // last: stops the server

private:
    Reply get(const QString &path) { return m_server.request("GET", path); }
    QString uidOf(const QString &name);
    QString currentCursor();
    QTemporaryDir m_dir;
    ServerProcess m_server;
};

void TestSyncApi::initTestCase()
{
    QByteArray components;
    for (int i = 0; i < 20; ++i)
        components += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c%1}\n"
                                     "spec: {type: service, lifecycle: production, owner: team-a}\n").arg(i).toUtf8();
    writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")), components);
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
              "catalog:\n  locations: [{type: file, target: catalog-info.yaml}]\n");
    QVERIFY2(m_server.start(m_dir.path()), m_server.output().constData());
}

QString TestSyncApi::uidOf(const QString &name)
{
    return get(QStringLiteral("/api/catalog/entities/by-name/component/default/") + name)
        .json()[QLatin1String("metadata")][QLatin1String("uid")].toString();
}

QString TestSyncApi::currentCursor()
{
    QString cursor = QStringLiteral("0");
    while (true) {
        const Reply page = get(QStringLiteral("/api/sync/v1/changes?limit=10000&after=") + cursor);
        cursor = page.json()[QLatin1String("cursor")].toString();
        if (!page.json()[QLatin1String("hasMore")].toBool())
            return cursor;
    }
}

void TestSyncApi::feedFromZeroPagesToTheEnd()
{
    QString cursor = QStringLiteral("0");
    QSet<QString> refs;
    qint64 lastSequence = 0;
    qint64 expectedTotal = -1;
    int pages = 0;
    while (pages < 20) {
        const Reply page = get(QStringLiteral("/api/sync/v1/changes?limit=6&after=") + cursor);
        QCOMPARE(page.status, 200);
        QCOMPARE(page.headers.value("content-type"), QByteArray("application/json; charset=utf-8"));
        const QJsonObject body = page.json().toObject();
        const QJsonArray changes = body[QLatin1String("changes")].toArray();
        if (expectedTotal < 0)   // the first page tells the client how much to expect
            expectedTotal = changes.size() + body[QLatin1String("remaining")].toInteger();
        ++pages;
        for (const QJsonValue &change : changes) {
            QVERIFY(change[QLatin1String("sequence")].toInteger() > lastSequence);
            lastSequence = change[QLatin1String("sequence")].toInteger();
            QCOMPARE(change[QLatin1String("type")].toString(), QStringLiteral("upsert"));
            const QJsonObject entity = change[QLatin1String("entity")].toObject();
            QCOMPARE(entity[QLatin1String("metadata")][QLatin1String("etag")].toString(), change[QLatin1String("etag")].toString());
            QCOMPARE(entity[QLatin1String("metadata")][QLatin1String("uid")].toString(), change[QLatin1String("uid")].toString());
            refs.insert(change[QLatin1String("entityRef")].toString());
        }
        cursor = body[QLatin1String("cursor")].toString();
        if (!body[QLatin1String("hasMore")].toBool())
            break;
    }
    // 20 components and the generated root Location.
    QCOMPARE(refs.size(), 21);
    QCOMPARE(expectedTotal, 21);
    QCOMPARE(pages, 4);
}

void TestSyncApi::deletionIsATombstone()
{
    const QString cursor = currentCursor();
    const QString uid = uidOf(QStringLiteral("c3"));
    QCOMPARE(m_server.request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid).status, 204);
    const QJsonArray changes = get(QStringLiteral("/api/sync/v1/changes?after=") + cursor).json()[QLatin1String("changes")].toArray();
    QCOMPARE(changes.size(), 1);
    const QJsonObject tombstone = changes.first().toObject();
    QCOMPARE(tombstone[QLatin1String("type")].toString(), QStringLiteral("delete"));
    QCOMPARE(tombstone[QLatin1String("entityRef")].toString(), QStringLiteral("component:default/c3"));
    QCOMPARE(tombstone[QLatin1String("uid")].toString(), uid);
    QVERIFY(!tombstone.contains(QLatin1String("entity")));
}

void TestSyncApi::waitingClientIsToldOnCommit()
{
    const QString cursor = currentCursor();
    const QString uid = uidOf(QStringLiteral("c5"));
    QNetworkReply *waiting = m_server.network().get(
        QNetworkRequest(QUrl(m_server.base() + QStringLiteral("/api/sync/v1/changes?wait=30&after=") + cursor)));
    QTest::qWait(300);
    QVERIFY(!waiting->isFinished());   // nothing new yet: held
    QElapsedTimer sinceCommit;
    QCOMPARE(m_server.request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid).status, 204);
    sinceCommit.start();
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    // The target is 100 ms; allow for a loaded test machine without hiding a missed wake-up (that would take 30 s).
    QVERIFY2(sinceCommit.elapsed() < 2000, qPrintable(QString::number(sinceCommit.elapsed())));
    const QJsonObject body = QJsonDocument::fromJson(waiting->readAll()).object();
    waiting->deleteLater();
    const QJsonArray changes = body[QLatin1String("changes")].toArray();
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first()[QLatin1String("uid")].toString(), uid);
}

void TestSyncApi::waitEndsWithAnEmptyPage()
{
    const QString cursor = currentCursor();
    const Reply reply = get(QStringLiteral("/api/sync/v1/changes?wait=1&after=") + cursor);
    QCOMPARE(reply.status, 200);
    QVERIFY2(reply.elapsedMs >= 900, qPrintable(QString::number(reply.elapsedMs)));
    QCOMPARE(reply.json()[QLatin1String("changes")].toArray().size(), 0);
    QCOMPARE(reply.json()[QLatin1String("cursor")].toString(), cursor);
    QCOMPARE(reply.json()[QLatin1String("hasMore")].toBool(), false);
}

void TestSyncApi::badCursorsAndLimits()
{
    const Reply garbage = get(QStringLiteral("/api/sync/v1/changes?after=yesterday"));
    QCOMPARE(garbage.status, 400);
    QCOMPARE(garbage.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("InputError"));
    const QString cursor = currentCursor();
    const qint64 epoch = cursor.section(QLatin1Char('-'), 0, 0).toLongLong();
    // A cursor from another database, even waiting, is answered at once: resync.
    const Reply foreign = get(QStringLiteral("/api/sync/v1/changes?wait=30&after=%1-5").arg(epoch + 1));
    QCOMPARE(foreign.status, 410);
    QCOMPARE(foreign.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("ResyncRequiredError"));
    QVERIFY(foreign.errorMessage().contains(QStringLiteral("resync from a snapshot")));
    QVERIFY(foreign.elapsedMs < 5000);
    for (const char *query : {"limit=0", "limit=10001", "limit=ten", "wait=61", "wait=-1"}) {
        const Reply bad = get(QStringLiteral("/api/sync/v1/changes?") + QString::fromLatin1(query));
        QCOMPARE(bad.status, 400);
        QVERIFY(!bad.errorMessage().isEmpty());
    }
}

void TestSyncApi::clientThatLeavesWhileWaiting()
{
    const QString cursor = currentCursor();
    for (int i = 0; i < 5; ++i) {
        QNetworkReply *waiting = m_server.network().get(
            QNetworkRequest(QUrl(m_server.base() + QStringLiteral("/api/sync/v1/changes?wait=30&after=") + cursor)));
        QTest::qWait(50);
        waiting->abort();
        waiting->deleteLater();
    }
    // A commit with nobody left listening, then the server still serves.
    QCOMPARE(m_server.request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uidOf(QStringLiteral("c7"))).status, 204);
    QTest::qWait(100);
    QCOMPARE(get(QStringLiteral("/api/sync/v1/changes?after=") + cursor).json()[QLatin1String("changes")].toArray().size(), 1);
    QCOMPARE(m_server.process().state(), QProcess::Running);
}

void TestSyncApi::waitersAtOneCursorShareOneAnswer()
{
    const QString cursor = currentCursor();
    // Six desktops up to date, each on its own connection (Qt's network
    // stack asks for gzip, as the desktop's does), and one asking for pages of 1.
    std::vector<std::unique_ptr<QNetworkAccessManager>> desktops;
    QList<QNetworkReply *> waiting;
    for (int i = 0; i < 7; ++i) {
        desktops.push_back(std::make_unique<QNetworkAccessManager>());
        const QString limit = i == 6 ? QStringLiteral("&limit=1") : QString();
        waiting << desktops.back()->get(
            QNetworkRequest(QUrl(m_server.base() + QStringLiteral("/api/sync/v1/changes?wait=30&after=") + cursor + limit)));
    }
    QTRY_VERIFY_WITH_TIMEOUT(get(QStringLiteral("/metrics")).body.contains("\ngreenroom_sync_waiting_clients 7\n"), 5000);
    // The file read again with long descriptions: a page well over gzip's 1 kB threshold.
    QByteArray components;
    for (int i = 0; i < 20; ++i)
        components += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c%1, description: '%2'}\n"
                                     "spec: {type: service, lifecycle: production, owner: team-a}\n")
                          .arg(i).arg(i < 4 ? QString(300, QLatin1Char('d')) : QString()).toUtf8();
    writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")), components);
    QCOMPARE(m_server.request("POST", QStringLiteral("/api/catalog/refresh"),
                              QJsonDocument(QJsonObject{{QStringLiteral("entityRef"), QStringLiteral("component:default/c1")}}).toJson())
                 .status,
             200);
    for (QNetworkReply *reply : std::as_const(waiting))
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    QList<QByteArray> bodies;
    for (QNetworkReply *reply : std::as_const(waiting)) {
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->rawHeader("Content-Encoding"), QByteArray("gzip"));   // the body below is Qt's inflation of it
        bodies << reply->readAll();
        reply->deleteLater();
    }
    const QJsonObject page = QJsonDocument::fromJson(bodies.first()).object();
    const QJsonArray changes = page[QLatin1String("changes")].toArray();
    QVERIFY2(changes.size() >= 4, bodies.first().constData());   // the four described, and those deleted before, back
    QVERIFY(bodies.first().size() > 1024);
    QCOMPARE(page[QLatin1String("hasMore")].toBool(), false);
    for (qsizetype i = 1; i < 6; ++i)
        QCOMPARE(bodies.at(i), bodies.first());
    const QJsonObject single = QJsonDocument::fromJson(bodies.last()).object();
    QCOMPARE(single[QLatin1String("changes")].toArray().size(), 1);
    QCOMPARE(single[QLatin1String("changes")][0], changes.first());
    QCOMPARE(single[QLatin1String("hasMore")].toBool(), true);
}

void TestSyncApi::sigtermAnswersWaitersAndExitsCleanly()
{
    const QString cursor = currentCursor();
    QNetworkReply *waiting = m_server.network().get(
        QNetworkRequest(QUrl(m_server.base() + QStringLiteral("/api/sync/v1/changes?wait=30&after=") + cursor)));
    QTest::qWait(300);
    QVERIFY(!waiting->isFinished());
    m_server.process().terminate();   // SIGTERM
    QTRY_VERIFY_WITH_TIMEOUT(waiting->isFinished(), 5000);
    QCOMPARE(waiting->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(waiting->readAll())[QLatin1String("cursor")].toString(), cursor);
    waiting->deleteLater();
    QVERIFY(m_server.process().waitForFinished(5000));
    QCOMPARE(m_server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_server.process().exitCode(), 0);
    QVERIFY2(m_server.output().contains("shutting down"), m_server.output().constData());
}

QTEST_GUILESS_MAIN(TestSyncApi)
#include "tst_syncapi.moc"
