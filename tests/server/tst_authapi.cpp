// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// backend.auth over real HTTP: static and legacy tokens required on every
// route but the health checks, plugin restrictions, config errors at start.
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>

using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

namespace {

const QByteArray CiToken = "ci-token-4f9a2c71";
const QByteArray SyncOnlyToken = "desktop-token-77b1e0";
const QByteArray LegacySecret = "c2VjcmV0LWZvci1sZWdhY3ktdG9rZW5z";   // base64 of "secret-for-legacy-tokens"

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray legacyToken(const QJsonObject &payload, const QByteArray &secret = QByteArray::fromBase64(LegacySecret))
{
    const QByteArray signedPart = base64Url(R"({"alg":"HS256","typ":"JWT"})") + '.'
                                  + base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    return signedPart + '.' + base64Url(QMessageAuthenticationCode::hash(signedPart, secret, QCryptographicHash::Sha256));
}

} // namespace

class TestAuthApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void missingOrMalformedCredentials();
    void staticTokens();
    void legacyTokens();
    void pluginRestrictions();
    void healthChecksStayOpen();
    void forgedUserTokensAreRefused();
    void secretsAreNotPrinted();
    void badAuthConfigStopsStartUp_data();
    void badAuthConfigStopsStartUp();
    void badPermissionPolicyStopsStartUp();

private:
    Reply get(const QString &path, const QByteArray &authorization = {})
    {
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        return m_server.request("GET", path, {}, "application/json", headers);
    }
    QTemporaryDir m_dir;
    ServerProcess m_server;
};

void TestAuthApi::initTestCase()
{
    writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")),
              "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n"
              "spec: {type: website, lifecycle: production, owner: team-a}\n");
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
              "  auth:\n    externalAccess:\n"
              "      - {type: static, options: {token: '${CI_TOKEN}', subject: ci-pipeline}}\n"
              "      - type: static\n        options: {token: " + SyncOnlyToken + ", subject: desktop}\n"
              "        accessRestrictions: [{plugin: sync}]\n"
              "      - {type: legacy, options: {secret: " + LegacySecret + ", subject: old-backend}}\n"
              "catalog:\n  locations: [{type: file, target: catalog-info.yaml}]\n");
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CI_TOKEN"), QString::fromLatin1(CiToken));
    QVERIFY2(m_server.start(m_dir.path(), {QStringLiteral("serve")}, environment), m_server.output().constData());
    // With tokens configured the server may listen beyond loopback.
    QVERIFY2(m_server.output().contains("(all interfaces)"), m_server.output().constData());
}

void TestAuthApi::missingOrMalformedCredentials()
{
    for (const QByteArray &authorization : {QByteArray(), QByteArray("token ") + CiToken, QByteArray("Basic dXNlcjpwYXNz"),
                                            QByteArray("Bearer"), QByteArray("Bearer a b")}) {
        const Reply reply = get(QStringLiteral("/api/catalog/entities"), authorization);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.json().toObject(),
                 (QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("name"), QStringLiteral("AuthenticationError")},
                                                                    {QStringLiteral("message"), QStringLiteral("Missing credentials")}}},
                              {QStringLiteral("request"), QJsonObject{{QStringLiteral("method"), QStringLiteral("GET")},
                                                                      {QStringLiteral("url"), QStringLiteral("/entities")}}},
                              {QStringLiteral("response"), QJsonObject{{QStringLiteral("statusCode"), 401}}}}));
        QVERIFY(!reply.headers.contains("www-authenticate"));
    }
    const Reply wrong = get(QStringLiteral("/api/catalog/entities"), "Bearer not-a-configured-token");
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.errorMessage(), QStringLiteral("Illegal token"));
    // Unknown routes, metrics and every plugin are behind the same barrier.
    QCOMPARE(get(QStringLiteral("/api/catalog/nothing")).status, 401);
    for (const char *path : {"/api/sync/v1/changes", "/metrics", "/api/scaffolder/v2/tasks", "/api/scaffolder/v2/actions",
                             "/api/techdocs/static/docs/default/component/web/index.html", "/api/techdocs/metadata/entity/default/component/web"})
        QCOMPARE(get(QString::fromLatin1(path)).status, 401);
}

void TestAuthApi::staticTokens()
{
    const Reply ok = get(QStringLiteral("/api/catalog/entities/by-name/component/default/web"), "Bearer " + CiToken);
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.json()[QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("web"));
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), "bearer   " + CiToken).status, 200);   // scheme case, spaces
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), "Bearer " + CiToken.chopped(1)).status, 401);
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), "Bearer " + CiToken + "x").status, 401);
}

void TestAuthApi::legacyTokens()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray good = legacyToken({{QStringLiteral("sub"), QStringLiteral("backstage-server")}, {QStringLiteral("exp"), now + 600}});
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), "Bearer " + good).status, 200);
    const QByteArray expired = legacyToken({{QStringLiteral("sub"), QStringLiteral("backstage-server")}, {QStringLiteral("exp"), now - 10}});
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), "Bearer " + expired).status, 401);
    const QByteArray otherSubject = legacyToken({{QStringLiteral("sub"), QStringLiteral("someone")}});
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), "Bearer " + otherSubject).status, 401);
    const QByteArray withAudience = legacyToken({{QStringLiteral("sub"), QStringLiteral("backstage-server")},
                                                 {QStringLiteral("aud"), QStringLiteral("backstage")}});
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), "Bearer " + withAudience).status, 401);
    const QByteArray wrongKey = legacyToken({{QStringLiteral("sub"), QStringLiteral("backstage-server")}}, "another key");
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), "Bearer " + wrongKey).status, 401);
}

void TestAuthApi::pluginRestrictions()
{
    const Reply catalog = get(QStringLiteral("/api/catalog/entities"), "Bearer " + SyncOnlyToken);
    QCOMPARE(catalog.status, 403);
    QCOMPARE(catalog.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("NotAllowedError"));
    QCOMPARE(catalog.errorMessage(), QStringLiteral("This token's access is restricted to plugin(s) 'sync'"));
    QCOMPARE(get(QStringLiteral("/api/sync/v1/changes?limit=1"), "Bearer " + SyncOnlyToken).status, 200);
}

void TestAuthApi::healthChecksStayOpen()
{
    for (const char *path : {"/healthcheck", "/.backstage/health/v1/liveness", "/.backstage/health/v1/readiness"})
        QCOMPARE(get(QString::fromLatin1(path)).status, 200);
    // So do the keys user tokens are verified with (none yet: nobody has signed in).
    const Reply jwks = get(QStringLiteral("/api/auth/.well-known/jwks.json"));
    QCOMPARE(jwks.status, 200);
    QCOMPARE(jwks.json().toObject(), (QJsonObject{{QStringLiteral("keys"), QJsonArray{}}}));
}

void TestAuthApi::forgedUserTokensAreRefused()
{
    // A JWT that says it is a user token, signed by nobody this server knows.
    const auto encode = [](const QByteArray &json) { return json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals); };
    const QByteArray forged = encode(R"({"typ":"vnd.backstage.user","alg":"ES256","kid":"k"})") + '.'
                              + encode(R"({"sub":"user:default/admin","ent":["group:default/admins"],"aud":"backstage","iat":1,"exp":99999999999})")
                              + '.' + encode(QByteArray(64, 'x'));
    const Reply reply = get(QStringLiteral("/api/catalog/entities"), "Bearer " + forged);
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.errorMessage(), QStringLiteral("Failed user token verification"));
}

void TestAuthApi::secretsAreNotPrinted()
{
    const QByteArray output = m_server.output();
    QVERIFY(!output.isEmpty());
    for (const QByteArray &secret : {CiToken, SyncOnlyToken, LegacySecret})
        QVERIFY2(!output.contains(secret), output.constData());
}

void TestAuthApi::badAuthConfigStopsStartUp_data()
{
    QTest::addColumn<QByteArray>("auth");
    QTest::addColumn<QString>("message");
    QTest::newRow("short token") << QByteArray("{type: static, options: {token: short, subject: x}}")
                                 << QStringLiteral("Illegal token, must be at least 8 characters length");
    QTest::newRow("token with a space") << QByteArray("{type: static, options: {token: 'has a space', subject: x}}")
                                        << QStringLiteral("Illegal token, must be a set of non-space characters");
    QTest::newRow("subject with a space") << QByteArray("{type: static, options: {token: abcdefgh12, subject: 'a b'}}")
                                          << QStringLiteral("Illegal subject, must be a set of non-space characters");
    QTest::newRow("unknown type") << QByteArray("{type: magic, options: {}}")
                                  << QStringLiteral("Unknown type 'magic' in backend.auth.externalAccess, expected one of 'static', 'legacy', 'jwks'");
    QTest::newRow("missing subject") << QByteArray("{type: static, options: {token: abcdefgh12}}")
                                     << QStringLiteral("backend.auth.externalAccess[0].options.subject");
    QTest::newRow("restriction key") << QByteArray("{type: static, options: {token: abcdefgh12, subject: x}, accessRestrictions: [{plugin: catalog, colour: red}]}")
                                     << QStringLiteral("Invalid key 'colour' in 'accessRestrictions' config");
}

void TestAuthApi::badPermissionPolicyStopsStartUp()
{
    QTemporaryDir dir;
    const QString config = QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                                          "catalog: {locations: []}\npermission:\n  enabled: true\n");
    // Enabled with no policy, then with a policy that has a mistake: neither starts.
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")), config.toUtf8());
    ServerProcess withoutPolicy;
    QVERIFY(!withoutPolicy.start(dir.path()));
    QVERIFY(withoutPolicy.process().state() == QProcess::NotRunning || withoutPolicy.process().waitForFinished(10000));
    QVERIFY2(withoutPolicy.output().contains("permission.enabled is true, but permission.policyFile names no policy"),
             withoutPolicy.output().constData());
    writeFile(dir.filePath(QStringLiteral("permissions.yaml")), "rules:\n  - match: {permission: catalog.entity.remove}\n    decision: deny\n");
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              (config + QStringLiteral("  policyFile: %1\n").arg(dir.filePath(QStringLiteral("permissions.yaml")))).toUtf8());
    ServerProcess badPolicy;
    QVERIFY(!badPolicy.start(dir.path()));
    QVERIFY(badPolicy.process().state() == QProcess::NotRunning || badPolicy.process().waitForFinished(10000));
    QVERIFY2(badPolicy.output().contains("permissions.yaml:2: no permission is named 'catalog.entity.remove'"), badPolicy.output().constData());
}

void TestAuthApi::badAuthConfigStopsStartUp()
{
    QFETCH(QByteArray, auth);
    QFETCH(QString, message);
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
              "  auth:\n    externalAccess:\n      - " + auth + "\ncatalog: {locations: []}\n");
    ServerProcess server;
    QVERIFY(!server.start(dir.path()));
    QVERIFY(server.process().state() == QProcess::NotRunning || server.process().waitForFinished(10000));
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QVERIFY(server.process().exitCode() != 0);
    QVERIFY2(server.output().contains(message.toUtf8()), server.output().constData());
    QVERIFY(!server.output().contains("abcdefgh12"));
}

QTEST_GUILESS_MAIN(TestAuthApi)
#include "tst_authapi.moc"
