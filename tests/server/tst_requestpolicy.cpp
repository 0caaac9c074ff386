// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// What a web page may do to a server on loopback with no tokens configured
// (the default `make run`): DNS rebinding (a foreign Host) is refused, a
// page of another origin may not change anything unless backend.cors allows
// its origin, and CORS preflights and headers are Backstage's. Requests are
// written by hand on a socket, so the Host header is exactly the test's.
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

struct RawReply
{
    int status = 0;
    QHash<QByteArray, QByteArray> headers;   // lower-case names
    QByteArray body;
    QString errorName() const { return QJsonDocument::fromJson(body)[QLatin1String("error")][QLatin1String("name")].toString(); }
};

} // namespace

class TestRequestPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { m_server.reportIfTestFailed(); }
    void largeAnswersAreGzippedWhenAsked();
    void foreignHostsAreRefused_data();
    void foreignHostsAreRefused();
    void foreignOriginsMayNotChangeAnything_data();
    void foreignOriginsMayNotChangeAnything();
    void preflightsAsBackstageAnswersThem();
    void allowedOriginsGetCorsHeaders();
    void withoutCorsConfigNoHeaders();

private:
    RawReply raw(const QByteArray &method, const QByteArray &path, const QList<std::pair<QByteArray, QByteArray>> &headers,
                 const QByteArray &body = {}, ServerProcess *server = nullptr)
    {
        const QUrl base((server ? server : &m_server)->base());
        QTcpSocket socket;
        socket.connectToHost(base.host(), quint16(base.port()));
        if (!socket.waitForConnected(5000))
            return {};
        QByteArray request = method + ' ' + path + " HTTP/1.1\r\n";
        for (const auto &[name, value] : headers)
            request += name + ": " + value + "\r\n";
        if (!body.isEmpty())
            request += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "Connection: close\r\n\r\n" + body;
        socket.write(request);
        // Read until the head and Content-Length bytes of body are in (or the server closes).
        QByteArray response;
        const auto complete = [&response] {
            const qsizetype end = response.indexOf("\r\n\r\n");
            if (end < 0)
                return false;
            static const QRegularExpression length(QStringLiteral("(?i)\r\ncontent-length:\\s*(\\d+)"));
            const QRegularExpressionMatch match = length.match(QString::fromLatin1(response.left(end)));
            return !match.hasMatch() || response.size() - end - 4 >= match.captured(1).toLongLong();
        };
        while (!complete() && socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
            response += socket.readAll();
        response += socket.readAll();
        RawReply reply;
        const qsizetype headEnd = response.indexOf("\r\n\r\n");
        const QList<QByteArray> lines = response.left(headEnd).split('\n');
        reply.status = lines.value(0).split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                reply.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
        }
        reply.body = response.mid(headEnd + 4);
        return reply;
    }
    QByteArray localHost() const { return QUrl(m_server.base()).authority().toLatin1(); }

    QTemporaryDir m_dir;
    ServerProcess m_server;
};

void TestRequestPolicy::initTestCase()
{
    writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")),
              "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n"
              "spec: {type: website, lifecycle: production, owner: team-a}\n");
    // A database in a file: entity lists are then read (and compressed) on the reader pool.
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  baseUrl: http://portal.example.com:7007\n  listen: {port: 0}\n"
              "  database: {client: better-sqlite3, connection: {directory: db}}\n"
              "  cors:\n    origin: [http://localhost:3000, 'https://app-*.frontend.example']\n"
              "    methods: [GET, HEAD, PATCH, POST, PUT, DELETE]\n    credentials: true\n"
              "catalog:\n  locations: [{type: file, target: catalog-info.yaml}]\n");
    QVERIFY2(m_server.start(m_dir.path()), m_server.output().constData());
}

void TestRequestPolicy::foreignHostsAreRefused_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("status");
    QTest::newRow("rebound name") << QByteArray("evil.example") << 403;
    QTest::newRow("rebound name with port") << QByteArray("evil.example:7007") << 403;
    QTest::newRow("loopback subdomain trick") << QByteArray("127.0.0.1.evil.example") << 403;
    QTest::newRow("baseUrl host") << QByteArray("portal.example.com:7007") << 200;
    QTest::newRow("baseUrl host, any case") << QByteArray("Portal.Example.COM") << 200;
    QTest::newRow("localhost") << QByteArray("localhost:7007") << 200;
    QTest::newRow("loopback address") << QByteArray("127.0.0.1:7007") << 200;
    QTest::newRow("IPv6 loopback") << QByteArray("[::1]:7007") << 200;
}

void TestRequestPolicy::foreignHostsAreRefused()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    const RawReply get = raw("GET", "/api/catalog/entities", {{"Host", host}});
    QCOMPARE(get.status, status);
    if (status == 403) {
        QCOMPARE(get.errorName(), QStringLiteral("NotAllowedError"));
        // Nothing changes either: the delete never reaches the catalog.
        QCOMPARE(raw("DELETE", "/api/catalog/locations/anything", {{"Host", host}}).status, 403);
        QCOMPARE(raw("GET", "/api/catalog/entities/by-name/component/default/web", {{"Host", localHost()}}).status, 200);
    }
}

void TestRequestPolicy::foreignOriginsMayNotChangeAnything_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<int>("status");
    QTest::newRow("foreign page") << QByteArray("http://evil.example") << 403;
    QTest::newRow("sandboxed page") << QByteArray("null") << 403;
    QTest::newRow("allowed frontend") << QByteArray("http://localhost:3000") << 200;
    QTest::newRow("allowed by pattern") << QByteArray("https://app-docs.frontend.example") << 200;
    QTest::newRow("pattern stays in its segment") << QByteArray("https://evil.example/.frontend.example") << 403;
    QTest::newRow("the server's own pages") << QByteArray() << 200;
}

void TestRequestPolicy::foreignOriginsMayNotChangeAnything()
{
    QFETCH(QByteArray, origin);
    QFETCH(int, status);
    // The server's own origin is the Host the page asked for.
    const QByteArray sentOrigin = origin.isEmpty() ? "http://" + localHost() : origin;
    const RawReply refresh = raw("POST", "/api/catalog/refresh", {{"Host", localHost()}, {"Origin", sentOrigin}},
                                 R"({"entityRef":"component:default/web"})");
    QCOMPARE(refresh.status, status);
    if (status == 403) {
        QCOMPARE(refresh.errorName(), QStringLiteral("NotAllowedError"));
        QVERIFY(refresh.body.contains("backend.cors.origin"));
    }
    // Reading is not changing: a foreign page's GET is answered (the browser keeps it from the page without CORS headers).
    const RawReply read = raw("GET", "/api/catalog/entities", {{"Host", localHost()}, {"Origin", sentOrigin}});
    QCOMPARE(read.status, 200);
    QCOMPARE(read.headers.contains("access-control-allow-origin"), status == 200 && !origin.isEmpty());
    // Without an Origin (curl, the desktop app) a change goes through.
    QCOMPARE(raw("POST", "/api/catalog/refresh", {{"Host", localHost()}}, R"({"entityRef":"component:default/web"})").status, 200);
}

void TestRequestPolicy::preflightsAsBackstageAnswersThem()
{
    // expressjs/cors with readCorsOptions' options: 204, the origin reflected, methods as configured,
    // the asked headers reflected, credentials.
    const RawReply allowed = raw("OPTIONS", "/api/scaffolder/v2/tasks",
                                 {{"Host", localHost()}, {"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "POST"},
                                  {"Access-Control-Request-Headers", "authorization,content-type"}});
    QCOMPARE(allowed.status, 204);
    QCOMPARE(allowed.headers.value("access-control-allow-origin"), QByteArray("http://localhost:3000"));
    QCOMPARE(allowed.headers.value("access-control-allow-methods"), QByteArray("GET,HEAD,PATCH,POST,PUT,DELETE"));
    QCOMPARE(allowed.headers.value("access-control-allow-headers"), QByteArray("authorization,content-type"));
    QCOMPARE(allowed.headers.value("access-control-allow-credentials"), QByteArray("true"));
    QCOMPARE(allowed.headers.value("vary"), QByteArray("Origin, Access-Control-Request-Headers"));
    QCOMPARE(allowed.headers.value("content-length"), QByteArray("0"));
    // A foreign origin gets no CORS answer: cors passes it on, and no route answers OPTIONS.
    const RawReply foreign = raw("OPTIONS", "/api/scaffolder/v2/tasks",
                                 {{"Host", localHost()}, {"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    QVERIFY(foreign.status != 204);
    QVERIFY(!foreign.headers.contains("access-control-allow-origin"));
}

void TestRequestPolicy::largeAnswersAreGzippedWhenAsked()
{
    const QByteArray host = localHost();
    const RawReply plain = raw("GET", "/api/catalog/entities", {{"Host", host}});
    QCOMPARE(plain.status, 200);
    QVERIFY(plain.body.size() >= 1024);
    QVERIFY(!plain.headers.contains("content-encoding"));
    QCOMPARE(plain.headers.value("vary"), QByteArray("Accept-Encoding"));
    const RawReply zipped = raw("GET", "/api/catalog/entities", {{"Host", host}, {"Accept-Encoding", "gzip, deflate, br"}});
    QCOMPARE(zipped.status, 200);
    QCOMPARE(zipped.headers.value("content-encoding"), QByteArray("gzip"));
    QCOMPARE(zipped.headers.value("content-length").toLongLong(), zipped.body.size());
    QVERIFY(zipped.body.size() < plain.body.size());
    // gunzip gives back the very same bytes.
    QProcess gunzip;
    gunzip.start(QStringLiteral("gzip"), {QStringLiteral("-dc")});
    gunzip.write(zipped.body);
    gunzip.closeWriteChannel();
    QVERIFY(gunzip.waitForFinished());
    QCOMPARE(gunzip.readAllStandardOutput(), plain.body);
    // Compressed on a reader thread, then given CORS's headers: one Vary, CORS's first.
    const RawReply cors = raw("GET", "/api/catalog/entities", {{"Host", host}, {"Origin", "http://localhost:3000"}, {"Accept-Encoding", "gzip"}});
    QCOMPARE(cors.headers.value("content-encoding"), QByteArray("gzip"));
    QCOMPARE(cors.headers.value("vary"), QByteArray("Origin, Accept-Encoding"));
    QCOMPARE(cors.headers.value("access-control-allow-origin"), QByteArray("http://localhost:3000"));
    QCOMPARE(cors.body, zipped.body);
    // Refused by q=0, or too small to be worth it: as it is.
    QVERIFY(!raw("GET", "/api/catalog/entities", {{"Host", host}, {"Accept-Encoding", "gzip;q=0"}}).headers.contains("content-encoding"));
    const RawReply small = raw("GET", "/api/catalog/entities/by-name/component/default/nothing", {{"Host", host}, {"Accept-Encoding", "gzip"}});
    QCOMPARE(small.status, 404);
    QVERIFY(!small.headers.contains("content-encoding"));
}

void TestRequestPolicy::allowedOriginsGetCorsHeaders()
{
    const RawReply reply = raw("GET", "/api/catalog/entities/by-name/component/default/web", {{"Host", localHost()}, {"Origin", "http://localhost:3000"}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.headers.value("access-control-allow-origin"), QByteArray("http://localhost:3000"));
    QCOMPARE(reply.headers.value("access-control-allow-credentials"), QByteArray("true"));
    QCOMPARE(reply.headers.value("vary"), QByteArray("Origin, Accept-Encoding"));   // compression's, after cors
    QVERIFY(!reply.headers.contains("access-control-allow-methods"));   // only on preflights
    // Errors carry them too (cors runs before the routes).
    const RawReply missing = raw("GET", "/api/catalog/entities/by-name/component/default/nothing", {{"Host", localHost()}, {"Origin", "http://localhost:3000"}});
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.headers.value("access-control-allow-origin"), QByteArray("http://localhost:3000"));
}

void TestRequestPolicy::withoutCorsConfigNoHeaders()
{
    // No backend.cors (Backstage's `origin: false`): no CORS header, no preflight answer,
    // and only the server's own pages may change anything.
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n");
    ServerProcess plain;
    QVERIFY2(plain.start(dir.path()), plain.output().constData());
    const QByteArray host = QUrl(plain.base()).authority().toLatin1();
    const RawReply read = raw("GET", "/api/catalog/entities", {{"Host", host}, {"Origin", "http://localhost:3000"}}, {}, &plain);
    QCOMPARE(read.status, 200);
    QVERIFY(!read.headers.contains("access-control-allow-origin"));
    QVERIFY(raw("OPTIONS", "/api/catalog/entities", {{"Host", host}, {"Origin", "http://localhost:3000"}}, {}, &plain).status != 204);
    QCOMPARE(raw("POST", "/api/catalog/locations", {{"Host", host}, {"Origin", "http://localhost:3000"}},
                 "{\"type\":\"url\",\"target\":\"http://localhost:1/x.yaml\"}", &plain).status, 403);
    QCOMPARE(raw("GET", "/api/catalog/entities", {{"Host", "evil.example"}}, {}, &plain).status, 403);
}

QTEST_GUILESS_MAIN(TestRequestPolicy)
#include "tst_requestpolicy.moc"
