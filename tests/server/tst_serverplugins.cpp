// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// greenroom-server with the fixture server plugin in GREENROOM_PLUGIN_PATH:
// its routes under /api/fixture-server/ (behind the server's tokens, one
// answered from another thread), its processor labelling or refusing
// entities, its action listed and run in a dry run; desktop plugins in the
// same folder are passed over, and a plugin whose config is missing is left
// out while the server starts.
#include <serverprocess.h>
#include <testfiles.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

class TestServerPlugins : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void routesAnswerUnderThePluginsMount();
    void processorLabelsAndRefuses();
    void actionRunsInADryRun();
    void providerEntitiesJoinTheCatalog();
    void missingConfigLeavesThePluginOut();
    void cleanup() { m_server->reportIfTestFailed(); }

private:
    Reply get(const QString &path)
    {
        return m_server->request("GET", path, {}, "application/json", {{"Authorization", "Bearer fixture-token"}});
    }
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GREENROOM_PLUGIN_PATH"), QStringLiteral(GREENROOM_FIXTURE_PLUGIN_DIR));
        return env;
    }
    void writeConfig(const QString &folder, bool greeting)
    {
        writeFile(QDir(folder).filePath(QStringLiteral("catalog-info.yaml")),
                  "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: checkout}\n"
                  "spec: {type: service, lifecycle: production, owner: team-a}\n---\n"
                  "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: refuse-me}\n"
                  "spec: {type: service, lifecycle: production, owner: team-a}\n");
        writeFile(QDir(folder).filePath(QStringLiteral("app-config.yaml")),
                  QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                                 "  auth: {externalAccess: [{type: static, options: {token: fixture-token, subject: tests}}]}\n"
                                 "catalog:\n  rules: [{allow: [Component]}]\n  locations: [{type: file, target: ./catalog-info.yaml}]\n%1")
                      .arg(greeting ? QStringLiteral("fixture:\n  greeting: hello there\n") : QString())
                      .toUtf8());
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
};

void TestServerPlugins::initTestCase()
{
    writeConfig(m_dir.path(), true);
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.path(), {QStringLiteral("serve")}, environment()), m_server->output().constData());
    const QByteArray output = m_server->output();
    QVERIFY2(output.contains("plugin: fixture-server 2.0.0 loaded from " GREENROOM_FIXTURE_PLUGIN_DIR "/libfixture_server.so"), output.constData());
    QVERIFY2(output.contains("plugin: Plugin fixture-server: action fixture:undeclared is not listed in the manifest's contributes.actions; left out"),
             output.constData());
    QVERIFY2(!output.contains("libfixture_good"), output.constData());   // a desktop plugin: not the server's
}

void TestServerPlugins::routesAnswerUnderThePluginsMount()
{
    const Reply hello = get(QStringLiteral("/api/fixture-server/hello/checkout"));
    QCOMPARE(hello.status, 200);
    QCOMPARE(hello.json().toObject(), (QJsonObject{{QStringLiteral("greeting"), QStringLiteral("hello there")},
                                                    {QStringLiteral("name"), QStringLiteral("checkout")},
                                                    {QStringLiteral("path"), QStringLiteral("/hello/checkout")},
                                                    {QStringLiteral("known"), true}}));
    const Reply unknown = get(QStringLiteral("/api/fixture-server/hello/nope"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorMessage(), QStringLiteral("No component nope"));
    QCOMPARE(unknown.json()[QLatin1String("request")].toObject(),
             (QJsonObject{{QStringLiteral("method"), QStringLiteral("GET")}, {QStringLiteral("url"), QStringLiteral("/hello/nope")}}));
    QCOMPARE(unknown.json()[QLatin1String("response")][QLatin1String("statusCode")].toInt(), 404);
    QCOMPARE(get(QStringLiteral("/api/fixture-server/nothing-here")).status, 404);
    // The server's tokens guard plugins' routes like every other.
    QCOMPARE(m_server->request("GET", QStringLiteral("/api/fixture-server/hello/checkout")).status, 401);
    // Answered later, from another thread, once.
    const Reply echo = m_server->request("POST", QStringLiteral("/api/fixture-server/echo"), "ping", "text/plain",
                                         {{"Authorization", "Bearer fixture-token"}});
    QCOMPARE(echo.status, 201);
    QCOMPARE(echo.body, QByteArray("echo: ping"));
    QCOMPARE(echo.headers.value("content-type"), QByteArray("text/plain"));
}

void TestServerPlugins::processorLabelsAndRefuses()
{
    const Reply checkout = get(QStringLiteral("/api/catalog/entities/by-name/component/default/checkout"));
    QCOMPARE(checkout.status, 200);
    QCOMPARE(checkout.json()[QLatin1String("metadata")][QLatin1String("labels")][QLatin1String("fixture.dev/seen")].toString(),
             QStringLiteral("file"));
    QCOMPARE(get(QStringLiteral("/api/catalog/entities/by-name/component/default/refuse-me")).status, 404);
    QVERIFY2(m_server->output().contains("Processor FixtureLabeller threw an error while preprocessing; caused by Error: not today"),
             m_server->output().constData());
}

void TestServerPlugins::actionRunsInADryRun()
{
    const Reply actions = get(QStringLiteral("/api/scaffolder/v2/actions"));
    QCOMPARE(actions.status, 200);
    QJsonObject listed;
    for (const QJsonValue &action : actions.json().toArray()) {
        if (action[QLatin1String("id")].toString() == QLatin1String("fixture:write"))
            listed = action.toObject();
    }
    QCOMPARE(listed.value(QLatin1String("description")).toString(), QStringLiteral("Writes a file"));
    QVERIFY(listed.value(QLatin1String("schema"))[QLatin1String("input")][QLatin1String("required")].toArray().contains(QStringLiteral("text")));

    const QJsonObject templateEntity{
        {QStringLiteral("apiVersion"), QStringLiteral("scaffolder.backstage.io/v1beta3")},
        {QStringLiteral("kind"), QStringLiteral("Template")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("write")}}},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("service")},
                                             {QStringLiteral("steps"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("write")},
                                                                                              {QStringLiteral("action"), QStringLiteral("fixture:write")},
                                                                                              {QStringLiteral("input"), QJsonObject{{QStringLiteral("text"), QStringLiteral("${{ parameters.word }}")}}}}}},
                                             {QStringLiteral("output"), QJsonObject{{QStringLiteral("written"), QStringLiteral("${{ steps.write.output.written }}")}}}}}};
    const QJsonObject body{{QStringLiteral("template"), templateEntity},
                           {QStringLiteral("values"), QJsonObject{{QStringLiteral("word"), QStringLiteral("plugged")}}},
                           {QStringLiteral("directoryContents"), QJsonArray{}}};
    const Reply dry = m_server->request("POST", QStringLiteral("/api/scaffolder/v2/dry-run"), QJsonDocument(body).toJson(), "application/json",
                                        {{"Authorization", "Bearer fixture-token"}});
    QCOMPARE(dry.status, 200);
    const QJsonArray files = dry.json()[QLatin1String("directoryContents")].toArray();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files[0][QLatin1String("path")].toString(), QStringLiteral("fixture.txt"));
    QCOMPARE(QByteArray::fromBase64(files[0][QLatin1String("base64Content")].toString().toLatin1()), QByteArray("plugged"));
    QCOMPARE(dry.json()[QLatin1String("output")][QLatin1String("written")].toInt(), 7);
    QStringList messages;
    for (const QJsonValue &line : dry.json()[QLatin1String("log")].toArray())
        messages.append(line[QLatin1String("body")][QLatin1String("message")].toString());
    QVERIFY2(messages.contains(QStringLiteral("writing plugged")), qPrintable(messages.join(QLatin1Char('\n'))));
}

void TestServerPlugins::providerEntitiesJoinTheCatalog()
{
    // The full mutation at connect: both valid components, labelled by the processor too; the invalid one named in the log.
    QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/api/catalog/entities/by-name/component/default/provided-b")).status, 200, 10000);
    const Reply a = get(QStringLiteral("/api/catalog/entities/by-name/component/default/provided-a"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.json()[QLatin1String("metadata")][QLatin1String("labels")][QLatin1String("fixture.dev/seen")].toString(), QStringLiteral("other"));
    QVERIFY2(m_server->output().contains("provider FixtureProvider: "), m_server->output().constData());
    QVERIFY2(m_server->output().contains("\"metadata.name\" is not valid"), m_server->output().constData());
    // A delta from another thread: one added, one removed, the rest kept; the sync feed has the changes.
    const QString cursor = get(QStringLiteral("/api/sync/v1/changes?limit=10000")).json()[QLatin1String("cursor")].toString();
    const Reply posted = m_server->request("POST", QStringLiteral("/api/fixture-server/provide"),
                                           R"({"add": ["provided-c"], "remove": ["component:default/provided-a"]})", "application/json",
                                           {{"Authorization", "Bearer fixture-token"}});
    QCOMPARE(posted.status, 202);
    QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/api/catalog/entities/by-name/component/default/provided-c")).status, 200, 10000);
    QCOMPARE(get(QStringLiteral("/api/catalog/entities/by-name/component/default/provided-a")).status, 404);
    QCOMPARE(get(QStringLiteral("/api/catalog/entities/by-name/component/default/provided-b")).status, 200);
    QStringList changes;
    for (const QJsonValue &change : get(QStringLiteral("/api/sync/v1/changes?limit=10000&after=") + cursor).json()[QLatin1String("changes")].toArray())
        changes << change[QLatin1String("type")].toString() + QLatin1Char(' ') + change[QLatin1String("entityRef")].toString();
    changes.sort();
    QCOMPARE(changes, (QStringList{QStringLiteral("delete component:default/provided-a"), QStringLiteral("upsert component:default/provided-c")}));
    // The location's own entities are untouched by the provider's writes.
    QCOMPARE(get(QStringLiteral("/api/catalog/entities/by-name/component/default/checkout")).status, 200);
}

void TestServerPlugins::missingConfigLeavesThePluginOut()
{
    QTemporaryDir folder;
    writeConfig(folder.path(), false);
    ServerProcess server;
    QVERIFY2(server.start(folder.path(), {QStringLiteral("serve")}, environment()), server.output().constData());
    QVERIFY2(server.output().contains("plugin: Plugin fixture-server (" GREENROOM_FIXTURE_PLUGIN_DIR
                                      "/libfixture_server.so) is skipped: fixture.greeting is not configured"),
             server.output().constData());
    // Nothing of it remains: no route, no processor.
    QCOMPARE(server.request("GET", QStringLiteral("/api/fixture-server/hello/checkout"), {}, "application/json",
                            {{"Authorization", "Bearer fixture-token"}}).status, 404);
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/refuse-me"), {}, "application/json",
                            {{"Authorization", "Bearer fixture-token"}}).status, 200);
}

QTEST_MAIN(TestServerPlugins)
#include "tst_serverplugins.moc"
