// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The scaffolder routes of a real greenroom-server: the demo organisation's
// Spring Boot golden path end to end (answers → rendered skeleton →
// repository created on a fake GitHub API and pushed with libgit2 → new
// component registered, in the catalog and the sync feed), the answers'
// validation, listing, cancelling, long polls, dry runs, retries, and tasks
// kept in the database across a server killed mid-task.
#include <fakegithub.h>
#include <gitfixture.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using Greenroom::TestSupport::FakeGitHub;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::writeFile;

class TestScaffolderApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void parameterSchemaAndActions();
    void goldenPathPublishesAndRegisters();
    void takenRepositoryFailsTheTaskAndKeepsTheFirst();
    void invalidAnswersAreRefused();
    void tasksAreListedAndCancelled();
    void longPollAnswersWithNewEvents();
    void dryRunRendersWithoutSideEffects();
    void templateFromGitUsesItsRepositoryFiles();
    void unreadableTemplateFilesFailTheTask();
    void templateFromGitHubUrlReadsItsFolder();
    void templateFilesForLocalRuns();
    void callersTokenIsASecret();
    void autocompleteAsksTheHost();
    void finishedTasksCanBeRetried();
    void tasksOutliveAKilledServer();
    void cleanup()
    {
        if (m_server)
            m_server->reportIfTestFailed();
    }
    void cleanupTestCase() { m_server.reset(); }

private:
    Reply get(const QString &path) { return m_server->request("GET", path); }
    Reply post(const QString &path, const QJsonObject &body) { return m_server->request("POST", path, QJsonDocument(body).toJson()); }
    QJsonObject goldenAnswers(const QString &name) const
    {
        return {{QStringLiteral("name"), name},
                {QStringLiteral("description"), QStringLiteral("Takes the payments")},
                {QStringLiteral("owner"), QStringLiteral("group:default/team-checkout")},
                {QStringLiteral("system"), QStringLiteral("system:default/checkout")},
                {QStringLiteral("javaVersion"), QStringLiteral("21")},
                {QStringLiteral("database"), QStringLiteral("postgresql")},
                {QStringLiteral("repoUrl"), QStringLiteral("%1?owner=acme&repo=%2").arg(m_github->host(), name)}};
    }
    // Starts the golden path and reads its event stream to the end.
    QString runGoldenPath(const QString &name, QJsonArray *events)
    {
        const Reply created = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                                   {{QStringLiteral("templateRef"), QStringLiteral("template:default/spring-boot-microservice")},
                                    {QStringLiteral("values"), goldenAnswers(name)}});
        if (created.status != 201)
            qWarning() << created.status << created.body;
        const QString id = created.json()[QLatin1String("id")].toString();
        const Reply stream = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/eventstream").arg(id));
        for (const QByteArray &block : stream.body.split('\n')) {
            if (block.startsWith("data: "))
                events->append(QJsonDocument::fromJson(block.mid(6)).object());
        }
        return id;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<FakeGitHub> m_github;
    std::unique_ptr<Greenroom::TestSupport::GitFixture> m_templates;
    std::unique_ptr<ServerProcess> m_server;
};

void TestScaffolderApi::initTestCase()
{
    m_github = std::make_unique<FakeGitHub>(m_dir.filePath(QStringLiteral("github")), QStringLiteral("ghp_secret123"));
    QVERIFY(m_github->port() > 0);
    // A template kept in a git repository: its skeleton is read from there.
    m_templates = std::make_unique<Greenroom::TestSupport::GitFixture>(m_dir.filePath(QStringLiteral("templates.git")));
    m_templates->commit({{QStringLiteral("node/template.yaml"),
                          "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: node-service}\n"
                          "spec:\n  type: service\n  parameters: {required: [name], properties: {name: {type: string}}}\n"
                          "  steps:\n    - {id: fetch, action: fetch:template, input: {url: ./skeleton, values: {name: '${{ parameters.name }}'}}}\n"},
                         {QStringLiteral("node/skeleton/package.json"), "{\"name\": \"${{ values.name }}\"}\n"},
                         {QStringLiteral("node/skeleton/README.md"), "# ${{ values.name }}\n"}});
    const QString gitTemplate = QUrl::fromLocalFile(m_templates->path()).toString() + QStringLiteral("/blob/main/node/template.yaml");
    // A template registered by its URL on GitHub (here the fake): its folder is read through the API.
    m_github->createRepository(QStringLiteral("acme/templates"))
        .commit({{QStringLiteral("web/template.yaml"),
                  "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: web-page}\n"
                  "spec:\n  type: website\n  parameters: {properties: {title: {type: string}}}\n"
                  "  steps:\n    - {id: fetch, action: fetch:template, input: {url: ./skeleton, values: {title: '${{ parameters.title }}'}}}\n"},
                 {QStringLiteral("web/skeleton/index.html"), "<h1>${{ values.title }}</h1>\n"},
                 {QStringLiteral("elsewhere/secret.txt"), "not the template's\n"}});
    const QString urlTemplate = QStringLiteral("http://%1/acme/templates/blob/main/web/template.yaml").arg(m_github->host());
    // A template of the test's own, to cancel while it waits.
    writeFile(m_dir.filePath(QStringLiteral("slow/template.yaml")),
              "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: slow}\n"
              "spec:\n  type: test\n  parameters: {properties: {zulu: {type: string}, alpha: {type: string}, mike: {type: string}}}\n"
              "  steps:\n    - {id: wait, name: Wait a while, action: debug:wait, input: {seconds: 20}}\n"
              "    - {id: after, action: debug:log, input: {message: never}}\n"
              // Its files are said to be behind a URL, which Greenroom does not fetch folders from.
              "---\napiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\n"
              "metadata: {name: remote, annotations: {backstage.io/source-location: 'url:https://templates.example.com/remote/'}}\n"
              "spec:\n  type: test\n  steps:\n    - {id: fetch, action: fetch:template, input: {url: ./skeleton}}\n");
    writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
              QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                             "  workingDirectory: %2\n"
                             "catalog:\n  processingInterval: false\n"
                             "  rules: [{allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]}]\n"
                             "  locations:\n    - {type: file, target: %3}\n    - {type: file, target: %4}\n    - {type: git, target: '%7'}\n"
                             "    - {type: url, target: '%8'}\n"
                             "integrations:\n  github:\n    - {host: '%5', apiBaseUrl: '%6', token: ghp_secret123}\n"
                             "scaffolder:\n  defaultAuthor: {name: Greenroom Bot, email: bot@example.com}\n")
                  .arg(m_dir.filePath(QStringLiteral("db")), m_dir.filePath(QStringLiteral("work")),
                       QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"), m_dir.filePath(QStringLiteral("slow/template.yaml")),
                       m_github->host(), m_github->apiBaseUrl(), gitTemplate, urlTemplate)
                  .toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.path()), m_server->output().constData());
    QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/api/catalog/entities/by-name/template/default/spring-boot-microservice")).status, 200, 20000);
}

void TestScaffolderApi::parameterSchemaAndActions()
{
    const Reply schema = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/spring-boot-microservice/parameter-schema"));
    QCOMPARE(schema.status, 200);
    QCOMPARE(schema.json()[QLatin1String("title")].toString(), QStringLiteral("Spring Boot Microservice"));
    const QJsonArray steps = schema.json()[QLatin1String("steps")].toArray();
    QCOMPARE(steps.size(), 3);
    QCOMPARE(steps[0][QLatin1String("title")].toString(), QStringLiteral("About the service"));
    QCOMPARE(steps[0][QLatin1String("schema")][QLatin1String("properties")][QLatin1String("owner")][QLatin1String("ui:field")].toString(),
             QStringLiteral("OwnerPicker"));
    QCOMPARE(steps[2][QLatin1String("schema")][QLatin1String("required")].toArray(), QJsonArray{QStringLiteral("repoUrl")});
    // In upstream's key order, and each page's fields as the template wrote them (a form lists them so).
    QVERIFY2(schema.body.startsWith("{\"title\":\"Spring Boot Microservice\",\"description\":\"The golden path"), schema.body.constData());
    QVERIFY2(schema.body.contains("{\"title\":\"About the service\",\"schema\":{\"title\":\"About the service\",\"required\":[\"name\",\"description\",\"owner\"],\"properties\":{\"name\":"),
             schema.body.constData());
    const Reply slow = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/slow/parameter-schema"));
    QVERIFY2(slow.body.contains("\"properties\":{\"zulu\":{\"type\":\"string\"},\"alpha\":{\"type\":\"string\"},\"mike\":{\"type\":\"string\"}}"), slow.body.constData());
    QVERIFY2(get(QStringLiteral("/api/catalog/entities/by-name/template/default/slow")).body.contains("\"properties\":{\"zulu\":{\"type\":\"string\"},\"alpha\""),
             "the entity keeps its order too");

    const Reply component = get(QStringLiteral("/api/scaffolder/v2/templates/default/component/checkout-service/parameter-schema"));
    QCOMPARE(component.status, 400);
    QCOMPARE(component.errorMessage(), QStringLiteral("Invalid kind, only 'Template' kind is supported"));
    const Reply missing = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/nope/parameter-schema"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.errorMessage(), QStringLiteral("Template template:default/nope not found"));

    // The filters the scaffolder adds, in upstream's shape and order, with each one's JSON Schemas.
    const Reply extensions = get(QStringLiteral("/api/scaffolder/v2/templating-extensions"));
    QCOMPARE(extensions.status, 200);
    QVERIFY2(extensions.body.startsWith("{\"filters\":{\"parseRepoUrl\":{\"description\":"), extensions.body.left(80).constData());
    QVERIFY2(extensions.body.endsWith("\"globals\":{\"functions\":{},\"values\":{}}}"), extensions.body.right(80).constData());
    const QJsonObject filters = extensions.json()[QLatin1String("filters")].toObject();
    QCOMPARE(filters.keys(), (QStringList{QStringLiteral("parseEntityRef"), QStringLiteral("parseRepoUrl"), QStringLiteral("pick"), QStringLiteral("projectSlug")}));
    QCOMPARE(filters[QLatin1String("parseRepoUrl")][QLatin1String("schema")][QLatin1String("output")][QLatin1String("required")].toArray(),
             (QJsonArray{QStringLiteral("repo"), QStringLiteral("host")}));
    QCOMPARE(filters[QLatin1String("pick")][QLatin1String("schema")][QLatin1String("arguments")][0][QLatin1String("type")].toString(), QStringLiteral("string"));
    QCOMPARE(filters[QLatin1String("parseEntityRef")][QLatin1String("examples")].toArray().size(), 2);
    QVERIFY(extensions.body.contains("\"schema\":{\"input\":{\"anyOf\""));   // input, arguments, output: upstream's order

    const QJsonArray actions = get(QStringLiteral("/api/scaffolder/v2/actions")).json().toArray();
    QStringList ids;
    for (const QJsonValue &action : actions)
        ids.append(action[QLatin1String("id")].toString());
    QStringList sorted = ids;
    sorted.sort();
    QCOMPARE(ids, sorted);
    for (const char *id : {"catalog:fetch", "catalog:register", "catalog:write", "fetch:template", "publish:git", "publish:github"})
        QVERIFY2(ids.contains(QLatin1String(id)), id);
    const QJsonObject github = actions.at(ids.indexOf(QStringLiteral("publish:github"))).toObject();
    QCOMPARE(github[QLatin1String("schema")][QLatin1String("input")][QLatin1String("required")].toArray(), QJsonArray{QStringLiteral("repoUrl")});
}

void TestScaffolderApi::goldenPathPublishesAndRegisters()
{
    QJsonArray events;
    const QString id = runGoldenPath(QStringLiteral("payments-api"), &events);
    QVERIFY(!id.isEmpty());
    QVERIFY(!events.isEmpty());
    const QJsonObject completion = events.last().toObject();
    QCOMPARE(completion[QLatin1String("type")].toString(), QStringLiteral("completion"));
    QVERIFY2(completion[QLatin1String("body")][QLatin1String("message")].toString() == QLatin1String("Run completed with status: completed"),
             QJsonDocument(events).toJson().constData());
    QStringList messages;
    for (const QJsonValue &event : events)
        messages.append(event[QLatin1String("body")][QLatin1String("message")].toString());
    QVERIFY(messages.contains(QStringLiteral("Beginning step Render the skeleton")));
    QVERIFY(messages.contains(QStringLiteral("Finished step Publish to GitHub")));
    QVERIFY(messages.contains(QStringLiteral("Finished step Register in the catalog")));
    QVERIFY2(!QJsonDocument(events).toJson().contains("ghp_secret123"), "the token never shows in the log");

    // The repository: created under the organisation as asked, protected, and holding the rendered skeleton.
    const QList<FakeGitHub::Call> creates = m_github->callsTo(QStringLiteral("/orgs/acme/repos"));
    QCOMPARE(creates.size(), 1);
    QCOMPARE(creates[0].body[QLatin1String("name")].toString(), QStringLiteral("payments-api"));
    QCOMPARE(creates[0].body[QLatin1String("visibility")].toString(), QStringLiteral("internal"));
    QCOMPARE(creates[0].body[QLatin1String("description")].toString(), QStringLiteral("Takes the payments"));
    QCOMPARE(m_github->callsTo(QStringLiteral("/repos/acme/payments-api/branches/main/protection")).size(), 1);
    const auto snapshot = m_github->repository(QStringLiteral("acme/payments-api"))->snapshot(QStringLiteral("main"));
    QVERIFY(!snapshot.commit.isEmpty());
    QCOMPARE(snapshot.message, QStringLiteral("initial commit"));
    QCOMPARE(snapshot.author, QStringLiteral("Greenroom Bot <bot@example.com>"));
    QVERIFY(snapshot.files.contains(QStringLiteral("pom.xml")));
    QVERIFY(snapshot.files.value(QStringLiteral("pom.xml")).contains("<artifactId>payments-api</artifactId>"));
    QVERIFY(snapshot.files.value(QStringLiteral("catalog-info.yaml")).contains("name: payments-api"));
    QVERIFY(snapshot.files.value(QStringLiteral("catalog-info.yaml")).contains("system: system:default/checkout"));

    // The output points at the repository and the new entity.
    const QJsonArray links = completion[QLatin1String("body")][QLatin1String("output")][QLatin1String("links")].toArray();
    QCOMPARE(links.size(), 2);
    QCOMPARE(links[0][QLatin1String("url")].toString(), m_github->repository(QStringLiteral("acme/payments-api"))->path());
    QCOMPARE(links[1][QLatin1String("entityRef")].toString(), QStringLiteral("component:default/payments-api"));

    // Registered: a url location read through the GitHub integration, the component in the catalog and the feed.
    QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/api/catalog/entities/by-name/component/default/payments-api")).status, 200, 15000);
    const QJsonObject entity = get(QStringLiteral("/api/catalog/entities/by-name/component/default/payments-api")).json().toObject();
    QCOMPARE(entity[QLatin1String("spec")][QLatin1String("owner")].toString(), QStringLiteral("group:default/team-checkout"));
    QCOMPARE(entity[QLatin1String("metadata")][QLatin1String("annotations")][QLatin1String("backstage.io/managed-by-location")].toString(),
             QStringLiteral("url:http://%1/acme/payments-api/blob/main/catalog-info.yaml").arg(m_github->host()));
    QVERIFY(!m_github->callsTo(QStringLiteral("/repos/acme/payments-api/contents/catalog-info.yaml")).isEmpty());
    const QJsonArray changes = get(QStringLiteral("/api/sync/v1/changes?limit=10000&after=0")).json()[QLatin1String("changes")].toArray();
    bool inFeed = false;
    for (const QJsonValue &change : changes)
        inFeed = inFeed || change[QLatin1String("entityRef")].toString() == QLatin1String("component:default/payments-api");
    QVERIFY(inFeed);

    const Reply task = get(QStringLiteral("/api/scaffolder/v2/tasks/") + id);
    QCOMPARE(task.status, 200);
    QCOMPARE(task.json()[QLatin1String("status")].toString(), QStringLiteral("completed"));
    QCOMPARE(task.json()[QLatin1String("spec")][QLatin1String("templateInfo")][QLatin1String("entityRef")].toString(),
             QStringLiteral("template:default/spring-boot-microservice"));
    QCOMPARE(task.json()[QLatin1String("spec")][QLatin1String("steps")][1][QLatin1String("input")][QLatin1String("repoUrl")].toString(),
             QStringLiteral("${{ parameters.repoUrl }}"));   // stored unrendered
}

void TestScaffolderApi::takenRepositoryFailsTheTaskAndKeepsTheFirst()
{
    const QString before = m_github->repository(QStringLiteral("acme/payments-api"))->snapshot().commit;
    QVERIFY(!before.isEmpty());
    QJsonArray events;
    const QString id = runGoldenPath(QStringLiteral("payments-api"), &events);
    const QJsonObject completion = events.last().toObject();
    QCOMPARE(completion[QLatin1String("body")][QLatin1String("message")].toString(), QStringLiteral("Run completed with status: failed"));
    QCOMPARE(completion[QLatin1String("body")][QLatin1String("error")][QLatin1String("message")].toString(),
             QStringLiteral("Failed to create the Organization repository acme/payments-api, Repository creation failed.: "
                            "name already exists on this account (HTTP 422)"));
    bool failedStep = false;
    for (const QJsonValue &event : events)
        failedStep = failedStep || (event[QLatin1String("body")][QLatin1String("stepId")] == QLatin1String("publish")
                                    && event[QLatin1String("body")][QLatin1String("status")] == QLatin1String("failed"));
    QVERIFY(failedStep);
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json()[QLatin1String("status")].toString(), QStringLiteral("failed"));
    QCOMPARE(m_github->repository(QStringLiteral("acme/payments-api"))->snapshot().commit, before);
}

void TestScaffolderApi::invalidAnswersAreRefused()
{
    QJsonObject answers = goldenAnswers(QStringLiteral("Bad Name"));
    answers.remove(QStringLiteral("description"));
    const Reply refused = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                               {{QStringLiteral("templateRef"), QStringLiteral("spring-boot-microservice")}, {QStringLiteral("values"), answers}});
    QCOMPARE(refused.status, 400);
    const QJsonArray errors = refused.json()[QLatin1String("errors")].toArray();
    QStringList stacks;
    for (const QJsonValue &error : errors)
        stacks.append(error[QLatin1String("stack")].toString());
    QVERIFY2(stacks.contains(QStringLiteral("instance requires property \"description\"")), qPrintable(stacks.join(QLatin1Char('\n'))));
    QVERIFY2(stacks.contains(QStringLiteral("instance.name does not match pattern \"^[a-z][a-z0-9-]{2,40}$\"")), qPrintable(stacks.join(QLatin1Char('\n'))));

    const Reply unknown = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                               {{QStringLiteral("templateRef"), QStringLiteral("template:default/absent")}, {QStringLiteral("values"), QJsonObject()}});
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorMessage(), QStringLiteral("Template template:default/absent not found"));
    const Reply malformed = m_server->request("POST", QStringLiteral("/api/scaffolder/v2/tasks"), "{not json");
    QCOMPARE(malformed.status, 400);
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks/no-such-task")).status, 404);
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks/no-such-task")).errorMessage(), QStringLiteral("No task with id 'no-such-task' found"));
}

void TestScaffolderApi::tasksAreListedAndCancelled()
{
    const Reply created = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                               {{QStringLiteral("templateRef"), QStringLiteral("template:default/slow")}, {QStringLiteral("values"), QJsonObject()}});
    QCOMPARE(created.status, 201);
    const QString id = created.json()[QLatin1String("id")].toString();
    QTRY_COMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json()[QLatin1String("status")].toString(), QStringLiteral("processing"));
    const QJsonObject list = get(QStringLiteral("/api/scaffolder/v2/tasks?status=processing")).json().toObject();
    QCOMPARE(list[QLatin1String("totalTasks")].toInt(), 1);
    QCOMPARE(list[QLatin1String("tasks")][0][QLatin1String("id")].toString(), id);
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks?order=sideways:status")).status, 400);
    const QJsonObject all = get(QStringLiteral("/api/scaffolder/v2/tasks?order=asc:created_at")).json().toObject();
    QCOMPARE(all[QLatin1String("totalTasks")].toInt(), 3);
    QCOMPARE(all[QLatin1String("tasks")][2][QLatin1String("id")].toString(), id);

    const Reply cancelled = post(QStringLiteral("/api/scaffolder/v2/tasks/%1/cancel").arg(id), {});
    QCOMPARE(cancelled.status, 200);
    QCOMPARE(cancelled.json()[QLatin1String("status")].toString(), QStringLiteral("cancelled"));
    // The stream ends with the cancellation long before the 20 s wait would have.
    const Reply stream = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/eventstream").arg(id));
    QVERIFY(stream.elapsedMs < 10000);
    QVERIFY2(stream.body.contains("\"status\":\"cancelled\""), stream.body.constData());
    QVERIFY(!stream.body.contains("never"));
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json()[QLatin1String("status")].toString(), QStringLiteral("cancelled"));
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/tasks/nope/cancel"), {}).status, 404);
}

void TestScaffolderApi::longPollAnswersWithNewEvents()
{
    const Reply created = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                               {{QStringLiteral("templateRef"), QStringLiteral("template:default/slow")}, {QStringLiteral("values"), QJsonObject()}});
    const QString id = created.json()[QLatin1String("id")].toString();
    // Once the wait has begun, nothing more comes until the cancel.
    QTRY_VERIFY(get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(id)).body.contains("Beginning step Wait a while"));
    const Reply first = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(id));
    QCOMPARE(first.status, 200);
    const QJsonArray seen = first.json().toArray();
    QVERIFY(!seen.isEmpty());
    const qint64 last = seen.last()[QLatin1String("id")].toInteger();
    // Nothing new until the cancel: the poll waits, then answers with what came.
    QNetworkReply *poll = m_server->network().get(QNetworkRequest(QUrl(m_server->base() + QStringLiteral("/api/scaffolder/v2/tasks/%1/events?after=%2").arg(id).arg(last))));
    QTest::qWait(500);
    QVERIFY(!poll->isFinished());
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/tasks/%1/cancel").arg(id), {}).status, 200);
    QTRY_VERIFY(poll->isFinished());
    const QJsonArray fresh = QJsonDocument::fromJson(poll->readAll()).array();
    poll->deleteLater();
    QVERIFY(!fresh.isEmpty());
    QVERIFY(fresh.first()[QLatin1String("id")].toInteger() > last);
}

void TestScaffolderApi::dryRunRendersWithoutSideEffects()
{
    const QJsonObject templateEntity{
        {QStringLiteral("apiVersion"), QStringLiteral("scaffolder.backstage.io/v1beta3")},
        {QStringLiteral("kind"), QStringLiteral("Template")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("try")}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("service")},
                     {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("required"), QJsonArray{QStringLiteral("name")}}}},
                     {QStringLiteral("steps"),
                      QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("fetch")},
                                             {QStringLiteral("action"), QStringLiteral("fetch:template")},
                                             {QStringLiteral("input"), QJsonObject{{QStringLiteral("url"), QStringLiteral("./skeleton")},
                                                                                   {QStringLiteral("values"), QJsonObject{{QStringLiteral("name"), QStringLiteral("${{ parameters.name }}")}}}}}},
                                 QJsonObject{{QStringLiteral("id"), QStringLiteral("publish")},
                                             {QStringLiteral("action"), QStringLiteral("publish:github")},
                                             {QStringLiteral("input"), QJsonObject{{QStringLiteral("repoUrl"), QStringLiteral("%1?owner=acme&repo=dry").arg(m_github->host())}}}}}},
                     {QStringLiteral("output"), QJsonObject{{QStringLiteral("remote"), QStringLiteral("${{ steps.publish.output.remoteUrl }}")}}}}}};
    const QJsonObject body{{QStringLiteral("template"), templateEntity},
                           {QStringLiteral("values"), QJsonObject{{QStringLiteral("name"), QStringLiteral("trial")}}},
                           {QStringLiteral("directoryContents"),
                            QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("skeleton/${{ values.name }}.md")},
                                                   {QStringLiteral("base64Content"), QString::fromLatin1(QByteArray("# ${{ values.name | upper }}\n").toBase64())}}}}};
    const int callsBefore = int(m_github->calls().size());
    const Reply dry = post(QStringLiteral("/api/scaffolder/v2/dry-run"), body);
    QCOMPARE(dry.status, 200);
    const QJsonArray files = dry.json()[QLatin1String("directoryContents")].toArray();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files[0][QLatin1String("path")].toString(), QStringLiteral("trial.md"));
    QCOMPARE(QByteArray::fromBase64(files[0][QLatin1String("base64Content")].toString().toLatin1()), QByteArray("# TRIAL\n"));
    QCOMPARE(dry.json()[QLatin1String("output")][QLatin1String("remote")].toString(), QStringLiteral("<example>"));
    QStringList messages;
    for (const QJsonValue &line : dry.json()[QLatin1String("log")].toArray())
        messages.append(line[QLatin1String("body")][QLatin1String("message")].toString());
    QVERIFY2(messages.contains(QStringLiteral("Skipping because publish:github does not support dry-run")), qPrintable(messages.join(QLatin1Char('\n'))));
    QCOMPARE(dry.json()[QLatin1String("steps")][1][QLatin1String("name")].toString(), QStringLiteral("publish:github"));
    QCOMPARE(int(m_github->calls().size()), callsBefore);   // nothing was created

    QJsonObject escaping = body;
    escaping.insert(QStringLiteral("directoryContents"), QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("../outside.txt")},
                                                                                 {QStringLiteral("base64Content"), QStringLiteral("eA==")}}});
    const Reply refused = post(QStringLiteral("/api/scaffolder/v2/dry-run"), escaping);
    QCOMPARE(refused.status, 403);
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("work/outside.txt"))));
    QJsonObject invalid = body;
    invalid.insert(QStringLiteral("values"), QJsonObject());
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/dry-run"), invalid).status, 400);

    // Greenroom's addition: a stored template by ref, tried with its own files.
    const Reply stored = post(QStringLiteral("/api/scaffolder/v2/dry-run"),
                              {{QStringLiteral("templateRef"), QStringLiteral("template:default/spring-boot-microservice")},
                               {QStringLiteral("values"), goldenAnswers(QStringLiteral("trial-svc"))}});
    QCOMPARE(stored.status, 200);
    QStringList paths;
    for (const QJsonValue &file : stored.json()[QLatin1String("directoryContents")].toArray())
        paths.append(file[QLatin1String("path")].toString());
    QVERIFY2(paths.contains(QStringLiteral("pom.xml")) && paths.contains(QStringLiteral("catalog-info.yaml")), qPrintable(paths.join(QLatin1Char(','))));
    QCOMPARE(int(m_github->calls().size()), callsBefore);
    QVERIFY(!m_github->repository(QStringLiteral("acme/trial-svc")));
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/dry-run"), {{QStringLiteral("templateRef"), QStringLiteral("template:default/absent")},
                                                                 {QStringLiteral("values"), QJsonObject()}}).status, 404);
}

void TestScaffolderApi::templateFromGitUsesItsRepositoryFiles()
{
    QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/api/catalog/entities/by-name/template/default/node-service")).status, 200, 15000);
    const Reply created = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                               {{QStringLiteral("templateRef"), QStringLiteral("template:default/node-service")},
                                {QStringLiteral("values"), QJsonObject{{QStringLiteral("name"), QStringLiteral("from-git")}}}});
    QCOMPARE(created.status, 201);
    const QString id = created.json()[QLatin1String("id")].toString();
    const Reply stream = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/eventstream").arg(id));
    QVERIFY2(stream.body.contains("Run completed with status: completed"), stream.body.constData());
    QVERIFY(stream.body.contains("Writing file package.json"));
    const QJsonObject task = get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json().toObject();
    QVERIFY(task[QLatin1String("spec")][QLatin1String("templateInfo")][QLatin1String("baseUrl")].toString().endsWith(QLatin1String("/blob/main/node/template.yaml")));

    const Reply dry = post(QStringLiteral("/api/scaffolder/v2/dry-run"),
                           {{QStringLiteral("templateRef"), QStringLiteral("template:default/node-service")},
                            {QStringLiteral("values"), QJsonObject{{QStringLiteral("name"), QStringLiteral("from-git")}}}});
    QCOMPARE(dry.status, 200);
    QMap<QString, QByteArray> files;
    for (const QJsonValue &file : dry.json()[QLatin1String("directoryContents")].toArray())
        files.insert(file[QLatin1String("path")].toString(), QByteArray::fromBase64(file[QLatin1String("base64Content")].toString().toLatin1()));
    QCOMPARE(files.keys(), (QStringList{QStringLiteral("README.md"), QStringLiteral("package.json")}));
    QCOMPARE(files.value(QStringLiteral("package.json")), QByteArray("{\"name\": \"from-git\"}\n"));
}

void TestScaffolderApi::unreadableTemplateFilesFailTheTask()
{
    // As upstream: the request is taken; the worker cannot read the files, and the task fails saying why.
    const Reply created = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                               {{QStringLiteral("templateRef"), QStringLiteral("template:default/remote")}, {QStringLiteral("values"), QJsonObject()}});
    QCOMPARE(created.status, 201);
    const QString id = created.json()[QLatin1String("id")].toString();
    const Reply stream = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/eventstream").arg(id));
    QVERIFY2(stream.body.contains("The files of template remote cannot be fetched from its url location https://templates.example.com/remote/"),
             stream.body.constData());
    const QJsonObject task = get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json().toObject();
    QCOMPARE(task[QLatin1String("status")].toString(), QStringLiteral("failed"));
    QCOMPARE(task[QLatin1String("spec")][QLatin1String("templateInfo")][QLatin1String("baseUrl")].toString(),
             QStringLiteral("https://templates.example.com/remote/"));
    const QJsonArray events = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(id)).json().toArray();
    QCOMPARE(events.last()[QLatin1String("body")][QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("InputError"));
    // A dry run of it (Greenroom's stored-template form) answers with the same reason.
    const Reply dry = post(QStringLiteral("/api/scaffolder/v2/dry-run"),
                           {{QStringLiteral("templateRef"), QStringLiteral("template:default/remote")}, {QStringLiteral("values"), QJsonObject()}});
    QCOMPARE(dry.status, 400);
    QVERIFY2(dry.errorMessage().startsWith(QStringLiteral("The files of template remote cannot be fetched from its url location")), dry.body.constData());
}

void TestScaffolderApi::templateFromGitHubUrlReadsItsFolder()
{
    // Registered as a url location on a GitHub host: the folder of its template.yaml comes through GitHub's API.
    QTRY_COMPARE_WITH_TIMEOUT(get(QStringLiteral("/api/catalog/entities/by-name/template/default/web-page")).status, 200, 20000);
    const Reply dry = post(QStringLiteral("/api/scaffolder/v2/dry-run"), {{QStringLiteral("templateRef"), QStringLiteral("template:default/web-page")},
                                                                          {QStringLiteral("values"), QJsonObject{{QStringLiteral("title"), QStringLiteral("Hello")}}}});
    QVERIFY2(dry.status == 200, dry.body.constData());
    const QJsonArray files = dry.json()[QLatin1String("directoryContents")].toArray();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files[0][QLatin1String("path")].toString(), QStringLiteral("index.html"));
    QCOMPARE(QByteArray::fromBase64(files[0][QLatin1String("base64Content")].toString().toLatin1()), QByteArray("<h1>Hello</h1>\n"));
    // Desktops get the same folder (and nothing beside it).
    const Reply kit = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/web-page/files"));
    QCOMPARE(kit.status, 200);
    QStringList paths;
    for (const QJsonValue &file : kit.json()[QLatin1String("directoryContents")].toArray())
        paths.append(file[QLatin1String("path")].toString());
    QCOMPARE(paths, (QStringList{QStringLiteral("skeleton/index.html"), QStringLiteral("template.yaml")}));
    QVERIFY(m_github->callsTo(QStringLiteral("/repos/acme/templates/git/trees/main")).size() >= 2);
}

void TestScaffolderApi::callersTokenIsASecret()
{
    // Upstream hands the caller's token to the task as secrets.backstageToken.
    // Logs mask it, and everything derived from it; the files a step writes show it came along.
    const QJsonObject templateEntity = QJsonDocument::fromJson(R"({"apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template",
        "metadata": {"name": "token"}, "spec": {"type": "test", "steps": [
            {"id": "write", "action": "catalog:write", "input": {"entity": {"kind": "Component", "metadata": {"name": "n${{ secrets.backstageToken | length }}"}}}},
            {"id": "shown", "action": "debug:log", "input": {"message": "token: ${{ secrets.backstageToken }}"}}]}})").object();
    const Reply dry = m_server->request("POST", QStringLiteral("/api/scaffolder/v2/dry-run"),
                                        QJsonDocument(QJsonObject{{QStringLiteral("template"), templateEntity},
                                                                  {QStringLiteral("values"), QJsonObject()},
                                                                  {QStringLiteral("directoryContents"), QJsonArray()}})
                                            .toJson(),
                                        "application/json", {{"Authorization", "Bearer caller-token"}});
    QVERIFY2(dry.status == 200, dry.body.constData());
    const QJsonObject written = dry.json()[QLatin1String("directoryContents")][0].toObject();
    QCOMPARE(written[QLatin1String("path")].toString(), QStringLiteral("catalog-info.yaml"));
    QVERIFY2(QByteArray::fromBase64(written[QLatin1String("base64Content")].toString().toLatin1()).contains("name: n12"), dry.body.constData());
    QString log;
    for (const QJsonValue &line : dry.json()[QLatin1String("log")].toArray())
        log += line[QLatin1String("body")][QLatin1String("message")].toString() + QLatin1Char('\n');
    QVERIFY2(!log.contains(QLatin1String("caller-token")) && !log.contains(QLatin1String("n12")) && log.contains(QLatin1String("***")), qPrintable(log));
}

void TestScaffolderApi::templateFilesForLocalRuns()
{
    // Greenroom's route for desktops that run a task themselves: the template, its files, the public settings.
    const Reply git = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/node-service/files"));
    QCOMPARE(git.status, 200);
    const QJsonObject kit = git.json().toObject();
    QCOMPARE(kit[QLatin1String("template")][QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("node-service"));
    QVERIFY2(kit[QLatin1String("baseUrl")].toString().endsWith(QLatin1String("/blob/main/node/template.yaml")), qPrintable(kit[QLatin1String("baseUrl")].toString()));
    QStringList paths;
    for (const QJsonValue &file : kit[QLatin1String("directoryContents")].toArray())
        paths.append(file[QLatin1String("path")].toString());
    QCOMPARE(paths, (QStringList{QStringLiteral("skeleton/README.md"), QStringLiteral("skeleton/package.json"), QStringLiteral("template.yaml")}));
    QCOMPARE(QByteArray::fromBase64(kit[QLatin1String("directoryContents")][1][QLatin1String("base64Content")].toString().toLatin1()),
             QByteArray("{\"name\": \"${{ values.name }}\"}\n"));
    QCOMPARE(kit[QLatin1String("scaffolder")][QLatin1String("defaultAuthor")][QLatin1String("name")].toString(), QStringLiteral("Greenroom Bot"));
    bool integrationShown = false;
    for (const QJsonValue &integration : kit[QLatin1String("integrations")][QLatin1String("github")].toArray())
        integrationShown = integrationShown || (integration[QLatin1String("host")].toString() == m_github->host()
                                                && integration[QLatin1String("apiBaseUrl")].toString() == m_github->apiBaseUrl());
    QVERIFY(integrationShown);
    QVERIFY2(!git.body.contains("ghp_secret123"), "tokens stay on the server");

    // A file location's folder: a symlink in it (here to the server's own config, token and all) is not handed out.
    QVERIFY(QFile::link(m_dir.filePath(QStringLiteral("app-config.yaml")), m_dir.filePath(QStringLiteral("slow/leak.yaml"))));
    const Reply slow = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/slow/files"));
    QCOMPARE(slow.status, 200);
    QCOMPARE(slow.json()[QLatin1String("directoryContents")].toArray().size(), 1);
    QCOMPARE(slow.json()[QLatin1String("directoryContents")][0][QLatin1String("path")].toString(), QStringLiteral("template.yaml"));
    QVERIFY2(!slow.body.contains("ghp_secret123"), "a link out of the folder is not followed");
    QFile::remove(m_dir.filePath(QStringLiteral("slow/leak.yaml")));

    const Reply remote = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/remote/files"));
    QCOMPARE(remote.status, 400);
    QVERIFY2(remote.errorMessage().startsWith(QStringLiteral("The files of template remote cannot be fetched")), remote.body.constData());
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/templates/default/template/nope/files")).status, 404);
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/templates/default/component/checkout-service/files")).status, 400);
}

void TestScaffolderApi::autocompleteAsksTheHost()
{
    // The wizard's suggestions, asked of GitHub with the person's token (the host from context, else github.com).
    const auto ask = [this](const QString &resource, const QJsonObject &body) {
        return post(QStringLiteral("/api/scaffolder/v2/autocomplete/") + resource, body);
    };
    const auto ids = [](const Reply &reply) {
        QStringList list;
        for (const QJsonValue &result : reply.json()[QLatin1String("results")].toArray())
            list.append(result[QLatin1String("id")].toString());
        return list;
    };
    const QJsonObject host{{QStringLiteral("host"), m_github->host()}};
    const Reply repositories = ask(QStringLiteral("github/repositoriesWithOwner"), {{QStringLiteral("token"), QStringLiteral("ghp_secret123")}, {QStringLiteral("context"), host}});
    QCOMPARE(repositories.status, 200);
    QVERIFY2(ids(repositories).contains(QStringLiteral("acme/payments-api")), repositories.body.constData());
    QCOMPARE(ids(ask(QStringLiteral("github/owners"), {{QStringLiteral("token"), QStringLiteral("ghp_secret123")}, {QStringLiteral("context"), host}})),
             QStringList{QStringLiteral("acme")});
    QJsonObject repository = host;
    repository.insert(QStringLiteral("owner"), QStringLiteral("acme"));
    repository.insert(QStringLiteral("repository"), QStringLiteral("payments-api"));
    QCOMPARE(ids(ask(QStringLiteral("github/branches"), {{QStringLiteral("token"), QStringLiteral("ghp_secret123")}, {QStringLiteral("context"), repository}})),
             QStringList{QStringLiteral("main")});

    // Upstream's refusals.
    const struct
    {
        QString resource;
        QJsonObject body;
        int status;
        QString message;
    } refusals[] = {
        {QStringLiteral("github/owners"), {{QStringLiteral("context"), host}}, 400, QStringLiteral("Missing token query parameter")},
        {QStringLiteral("gitlab/owners"), {{QStringLiteral("token"), QStringLiteral("t")}}, 400, QStringLiteral("Unsupported provider: gitlab")},
        {QStringLiteral("github/tags"), {{QStringLiteral("token"), QStringLiteral("t")}, {QStringLiteral("context"), host}}, 400, QStringLiteral("Invalid resource: tags")},
        {QStringLiteral("github/branches"), {{QStringLiteral("token"), QStringLiteral("t")}, {QStringLiteral("context"), host}}, 400,
         QStringLiteral("Missing owner and/or repository context parameter")},
        {QStringLiteral("github/owners"), {{QStringLiteral("token"), QStringLiteral("t")}, {QStringLiteral("context"), QJsonObject{{QStringLiteral("host"), QStringLiteral("ghe.example.com")}}}},
         400, QStringLiteral("No integration for host ghe.example.com")},
        {QStringLiteral("github/owners"), {{QStringLiteral("token"), QStringLiteral("wrong")}, {QStringLiteral("context"), host}}, 401, QStringLiteral("Bad credentials (HTTP 401)")},
    };
    for (const auto &refusal : refusals) {
        const Reply reply = ask(refusal.resource, refusal.body);
        QCOMPARE(reply.status, refusal.status);
        QCOMPARE(reply.errorMessage(), refusal.message);
    }
}

void TestScaffolderApi::finishedTasksCanBeRetried()
{
    const Reply created = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                               {{QStringLiteral("templateRef"), QStringLiteral("template:default/node-service")},
                                {QStringLiteral("values"), QJsonObject{{QStringLiteral("name"), QStringLiteral("retried")}}}});
    QCOMPARE(created.status, 201);
    const QString id = created.json()[QLatin1String("id")].toString();
    QVERIFY(get(QStringLiteral("/api/scaffolder/v2/tasks/%1/eventstream").arg(id)).body.contains("Run completed with status: completed"));
    const QJsonArray firstRun = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(id)).json().toArray();
    const qint64 completionId = firstRun.last()[QLatin1String("id")].toInteger();
    QCOMPARE(firstRun.last()[QLatin1String("type")].toString(), QStringLiteral("completion"));
    // Upstream's listEvents answers `after` with the newer events and the
    // completion, so a poll after the end gets the end again at once.
    const Reply again = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events?after=%2").arg(id).arg(completionId));
    QVERIFY(again.elapsedMs < 5000);
    QCOMPARE(again.json().toArray().size(), 1);
    QCOMPARE(again.json()[0][QLatin1String("id")].toInteger(), completionId);

    const Reply retried = post(QStringLiteral("/api/scaffolder/v2/tasks/%1/retry").arg(id), {});
    QCOMPARE(retried.status, 201);
    QCOMPARE(retried.json()[QLatin1String("id")].toString(), id);
    const Reply stream = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/eventstream?after=%2").arg(id).arg(completionId));
    QVERIFY2(stream.body.contains("Run completed with status: completed"), stream.body.constData());
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json()[QLatin1String("status")].toString(), QStringLiteral("completed"));
    // The first run's log stays (strategy none), its completion went, and a
    // recovered event marks where the second run began.
    const QJsonArray all = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(id)).json().toArray();
    QStringList types;
    qsizetype recovered = -1;
    for (const QJsonValue &event : all) {
        types.append(event[QLatin1String("type")].toString());
        if (types.last() == QLatin1String("recovered")) {
            recovered = types.size() - 1;
            QCOMPARE(event[QLatin1String("body")].toObject(), (QJsonObject{{QStringLiteral("recoverStrategy"), QStringLiteral("none")}}));
        }
    }
    QCOMPARE(types.count(QStringLiteral("completion")), 1);
    QCOMPARE(types.last(), QStringLiteral("completion"));
    QCOMPARE(recovered, firstRun.size() - 1);
    QVERIFY(all.last()[QLatin1String("id")].toInteger() > completionId);

    // A task still running cannot be retried; an unknown one is not found.
    const Reply slow = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                            {{QStringLiteral("templateRef"), QStringLiteral("template:default/slow")}, {QStringLiteral("values"), QJsonObject()}});
    const QString slowId = slow.json()[QLatin1String("id")].toString();
    const Reply busy = post(QStringLiteral("/api/scaffolder/v2/tasks/%1/retry").arg(slowId), {});
    QCOMPARE(busy.status, 409);
    QCOMPARE(busy.errorMessage(), QStringLiteral("Task with taskId %1 cannot be retried").arg(slowId));
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/tasks/nope/retry"), {}).status, 404);
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/tasks/%1/cancel").arg(slowId), {}).status, 200);
}

void TestScaffolderApi::tasksOutliveAKilledServer()
{
    const Reply created = post(QStringLiteral("/api/scaffolder/v2/tasks"),
                               {{QStringLiteral("templateRef"), QStringLiteral("template:default/slow")}, {QStringLiteral("values"), QJsonObject()}});
    QCOMPARE(created.status, 201);
    const QString id = created.json()[QLatin1String("id")].toString();
    // Killed while the wait step runs, with its heartbeat moving.
    QTRY_VERIFY(get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(id)).body.contains("Beginning step Wait a while"));
    const QString firstBeat = get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json()[QLatin1String("lastHeartbeatAt")].toString();
    QTRY_VERIFY_WITH_TIMEOUT(get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json()[QLatin1String("lastHeartbeatAt")].toString() != firstBeat, 5000);
    const QJsonObject before = get(QStringLiteral("/api/scaffolder/v2/tasks?order=asc:created_at")).json().toObject();
    const QJsonArray completedBefore = get(QStringLiteral("/api/scaffolder/v2/tasks?status=completed")).json()[QLatin1String("tasks")].toArray();
    QVERIFY(!completedBefore.isEmpty());
    m_server->process().kill();
    QVERIFY(m_server->process().waitForFinished(5000));

    QVERIFY2(m_server->start(m_dir.path()), m_server->output().constData());
    QVERIFY2(m_server->output().contains("1 task(s) interrupted by the last stop marked failed: " + id.toUtf8()), m_server->output().constData());
    // Every task is still there, in the same order; what had ended is as it was.
    const QJsonObject after = get(QStringLiteral("/api/scaffolder/v2/tasks?order=asc:created_at")).json().toObject();
    QCOMPARE(after[QLatin1String("totalTasks")], before[QLatin1String("totalTasks")]);
    for (int i = 0; i < before[QLatin1String("tasks")].toArray().size(); ++i) {
        const QJsonObject was = before[QLatin1String("tasks")][i].toObject();
        const QJsonObject is = after[QLatin1String("tasks")][i].toObject();
        QCOMPARE(is[QLatin1String("id")], was[QLatin1String("id")]);
        QCOMPARE(is[QLatin1String("spec")], was[QLatin1String("spec")]);
        QCOMPARE(is[QLatin1String("createdAt")], was[QLatin1String("createdAt")]);
        if (was[QLatin1String("id")].toString() != id)
            QCOMPARE(is[QLatin1String("status")], was[QLatin1String("status")]);
    }
    const QString doneId = completedBefore.first()[QLatin1String("id")].toString();
    const QJsonArray doneEvents = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(doneId)).json().toArray();
    QCOMPARE(doneEvents.last()[QLatin1String("body")][QLatin1String("message")].toString(), QStringLiteral("Run completed with status: completed"));

    // The interrupted task failed as upstream fails a stale one, its step too.
    const QJsonObject task = get(QStringLiteral("/api/scaffolder/v2/tasks/") + id).json().toObject();
    QCOMPARE(task[QLatin1String("status")].toString(), QStringLiteral("failed"));
    const QString stale = QStringLiteral("The task was cancelled because the task worker lost connection to the task broker");
    const Reply stream = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/eventstream").arg(id));
    QVERIFY(stream.elapsedMs < 5000);
    const QJsonArray events = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(id)).json().toArray();
    const QJsonObject stepFailed = events.at(events.size() - 2)[QLatin1String("body")].toObject();
    QCOMPARE(stepFailed, (QJsonObject{{QStringLiteral("message"), stale}, {QStringLiteral("stepId"), QStringLiteral("wait")},
                                      {QStringLiteral("status"), QStringLiteral("failed")}}));
    QCOMPARE(events.last()[QLatin1String("type")].toString(), QStringLiteral("completion"));
    QCOMPARE(events.last()[QLatin1String("body")].toObject(), (QJsonObject{{QStringLiteral("message"), stale}}));
    QVERIFY(stream.body.endsWith(("data: " + QJsonDocument(events.last().toObject()).toJson(QJsonDocument::Compact) + "\n\n")));
    // A second start finds nothing left to close.
    m_server->stop();
    QVERIFY2(m_server->start(m_dir.path()), m_server->output().constData());
    QVERIFY(!m_server->output().contains("interrupted by the last stop"));
}

QTEST_MAIN(TestScaffolderApi)
#include "tst_scaffolderapi.moc"
