// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// catalog:register, catalog:fetch and the GitHub publishers one step at a
// time: how catalog:register resolves repoContentsUrl and picks the entity,
// what catalog:fetch answers for missing entities, and publish:github's (and
// github:repo:create/push's) requests and refusals against a fake GitHub
// API on loopback.
#include <fakegithub.h>

#include <scaffold/taskrunner.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Scaffold;
using TestSupport::FakeGitHub;

namespace {

// The catalog as actions see it, recording what they ask.
class RecordingCatalog : public CatalogAccess
{
public:
    QList<std::pair<QString, QString>> added;
    QJsonArray entities;
    QHash<QString, QJsonObject> stored;
    std::optional<Error> refuseAdd;

    Status addLocation(const QString &type, const QString &target) override
    {
        added.append({type, target});
        if (refuseAdd)
            return *refuseAdd;
        return Ok{};
    }
    Result<QJsonArray> previewLocation(const QString &, const QString &) override { return entities; }
    Result<std::optional<QJsonObject>> entityByRef(const QString &ref) override
    {
        return stored.contains(ref) ? std::optional<QJsonObject>(stored.value(ref)) : std::optional<QJsonObject>();
    }
};

QJsonObject entity(const QString &kind, const QString &name)
{
    return {{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
            {QStringLiteral("kind"), kind},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}}};
}

} // namespace

class TestPublishActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void registerResolvesTheCatalogFile_data();
    void registerResolvesTheCatalogFile();
    void registerPicksTheComponentAndHonoursOptional();
    void fetchFindsOrSaysWhatIsMissing();
    void githubCreatesPushesAndProtects();
    void githubRefusals_data();
    void githubRefusals();
    void githubCreateThenPush();
    void githubPullRequest();
    void pullRequestCommitsLinksAsLinks();
    void fetchReadsGitHubUrls();

private:
    struct Outcome
    {
        Status status = Ok{};
        QJsonObject outputs;
        QStringList log;
    };
    Outcome act(const QString &id, const QJsonObject &input, bool dryRun = false)
    {
        const ActionInfo *action = m_actions.find(id);
        ActionContext context;
        context.workspace = m_workspace.path();
        context.templateDir = m_workspace.path();
        context.actionId = id;
        context.input = input;
        context.dryRun = dryRun;
        context.services = m_services.get();
        Outcome outcome;
        context.log = [&outcome](const QString &line) { outcome.log.append(line); };
        outcome.status = action->handler(context);
        outcome.outputs = context.outputs;
        return outcome;
    }

    ActionRegistry m_actions = ActionRegistry::builtin();
    std::shared_ptr<ScaffolderServices> m_services = std::make_shared<ScaffolderServices>();
    std::shared_ptr<RecordingCatalog> m_catalog = std::make_shared<RecordingCatalog>();
    QTemporaryDir m_dir;
    QTemporaryDir m_workspace;
    std::unique_ptr<FakeGitHub> m_github;
};

void TestPublishActions::initTestCase()
{
    m_github = std::make_unique<FakeGitHub>(m_dir.filePath(QStringLiteral("github")), QStringLiteral("ghp_actions"));
    m_services->github = Ingest::GitHubIntegration::withDefaults({{m_github->host(), m_github->apiBaseUrl(), {}, QStringLiteral("ghp_actions")}});
    m_services->catalog = m_catalog;
    QFile readme(m_workspace.filePath(QStringLiteral("README.md")));
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.write("# hello\n");
}

void TestPublishActions::registerResolvesTheCatalogFile_data()
{
    QTest::addColumn<QJsonObject>("input");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("target");
    const auto contents = [](const QString &base, const QJsonValue &path = QJsonValue(QJsonValue::Undefined)) {
        QJsonObject input{{QStringLiteral("repoContentsUrl"), base}};
        if (!path.isUndefined())
            input.insert(QStringLiteral("catalogInfoPath"), path);
        return input;
    };
    QTest::newRow("github default path") << contents(QStringLiteral("https://github.com/acme/svc/blob/main")) << QStringLiteral("url")
                                         << QStringLiteral("https://github.com/acme/svc/blob/main/catalog-info.yaml");
    QTest::newRow("root path") << contents(QStringLiteral("https://github.com/acme/svc/blob/main"), QStringLiteral("/deploy/catalog.yaml"))
                               << QStringLiteral("url") << QStringLiteral("https://github.com/acme/svc/blob/main/deploy/catalog.yaml");
    // A path without a slash is a URL relative to the base, as upstream resolves it.
    QTest::newRow("relative path") << contents(QStringLiteral("https://github.com/acme/svc/blob/main"), QStringLiteral("c.yaml"))
                                   << QStringLiteral("url") << QStringLiteral("https://github.com/acme/svc/blob/c.yaml");
    QTest::newRow("gitlab default host") << contents(QStringLiteral("https://gitlab.com/acme/svc/-/blob/main")) << QStringLiteral("url")
                                         << QStringLiteral("https://gitlab.com/acme/svc/-/blob/main/catalog-info.yaml");
    QTest::newRow("publish:git's target") << contents(QStringLiteral("/srv/git/svc.git/blob/main")) << QStringLiteral("git")
                                          << QStringLiteral("/srv/git/svc.git/blob/main/catalog-info.yaml");
    QTest::newRow("catalogInfoUrl") << QJsonObject{{QStringLiteral("catalogInfoUrl"), QStringLiteral("https://example.com/c.yaml")}}
                                    << QStringLiteral("url") << QStringLiteral("https://example.com/c.yaml");
}

void TestPublishActions::registerResolvesTheCatalogFile()
{
    QFETCH(QJsonObject, input);
    QFETCH(QString, type);
    QFETCH(QString, target);
    m_catalog->added.clear();
    m_catalog->entities = {};
    const Outcome outcome = act(QStringLiteral("catalog:register"), input);
    QVERIFY2(outcome.status, outcome.status ? "" : qPrintable(outcome.status.error().message));
    QCOMPARE(m_catalog->added, (QList<std::pair<QString, QString>>{{type, target}}));
    QCOMPARE(outcome.outputs.value(QLatin1String("catalogInfoUrl")).toString(), target);
    QVERIFY(!outcome.outputs.contains(QLatin1String("entityRef")));   // the location held nothing
}

void TestPublishActions::registerPicksTheComponentAndHonoursOptional()
{
    m_catalog->added.clear();
    m_catalog->entities = QJsonArray{entity(QStringLiteral("Location"), QStringLiteral("generated-0a1b")), entity(QStringLiteral("API"), QStringLiteral("svc-api")),
                                     entity(QStringLiteral("Component"), QStringLiteral("generated-x")), entity(QStringLiteral("Component"), QStringLiteral("Svc"))};
    Outcome picked = act(QStringLiteral("catalog:register"), {{QStringLiteral("catalogInfoUrl"), QStringLiteral("https://github.com/a/b/blob/main/c.yaml")}});
    QVERIFY(picked.status);
    QCOMPARE(picked.outputs.value(QLatin1String("entityRef")).toString(), QStringLiteral("component:default/Svc"));
    m_catalog->entities = QJsonArray{entity(QStringLiteral("Location"), QStringLiteral("generated-0a1b")), entity(QStringLiteral("API"), QStringLiteral("svc-api"))};
    picked = act(QStringLiteral("catalog:register"), {{QStringLiteral("catalogInfoUrl"), QStringLiteral("https://github.com/a/b/blob/main/c.yaml")}});
    QCOMPARE(picked.outputs.value(QLatin1String("entityRef")).toString(), QStringLiteral("api:default/svc-api"));

    // A location registered already: the step fails, unless optional.
    m_catalog->refuseAdd = Error(QStringLiteral("ConflictError"), QStringLiteral("Location url:https://github.com/a/b/blob/main/c.yaml already exists"));
    const Outcome refused = act(QStringLiteral("catalog:register"), {{QStringLiteral("catalogInfoUrl"), QStringLiteral("https://github.com/a/b/blob/main/c.yaml")}});
    QVERIFY(!refused.status);
    QCOMPARE(refused.status.error().name, QStringLiteral("ConflictError"));
    const Outcome optional = act(QStringLiteral("catalog:register"), {{QStringLiteral("catalogInfoUrl"), QStringLiteral("https://github.com/a/b/blob/main/c.yaml")},
                                                                      {QStringLiteral("optional"), true}});
    QVERIFY(optional.status);
    QCOMPARE(optional.outputs.value(QLatin1String("entityRef")).toString(), QStringLiteral("api:default/svc-api"));
    m_catalog->refuseAdd.reset();

    const Outcome unknown = act(QStringLiteral("catalog:register"), {{QStringLiteral("repoContentsUrl"), QStringLiteral("https://git.example.com/acme/svc")}});
    QVERIFY(!unknown.status);
    QCOMPARE(unknown.status.error().message, QStringLiteral("No integration found for host https://git.example.com/acme/svc"));
}

void TestPublishActions::fetchFindsOrSaysWhatIsMissing()
{
    m_catalog->stored.insert(QStringLiteral("component:default/svc"), entity(QStringLiteral("Component"), QStringLiteral("svc")));
    m_catalog->stored.insert(QStringLiteral("group:default/team-a"), entity(QStringLiteral("Group"), QStringLiteral("team-a")));
    Outcome found = act(QStringLiteral("catalog:fetch"), {{QStringLiteral("entityRef"), QStringLiteral("component:svc")}});
    QVERIFY(found.status);
    QCOMPARE(found.outputs.value(QLatin1String("entity"))[QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("svc"));
    const Outcome missing = act(QStringLiteral("catalog:fetch"), {{QStringLiteral("entityRef"), QStringLiteral("component:gone")}});
    QVERIFY(!missing.status);
    QCOMPARE(missing.status.error().message, QStringLiteral("Entity component:gone not found"));
    const Outcome optional = act(QStringLiteral("catalog:fetch"), {{QStringLiteral("entityRef"), QStringLiteral("component:gone")}, {QStringLiteral("optional"), true}});
    QVERIFY(optional.status);
    QVERIFY(optional.outputs.value(QLatin1String("entity")).isNull());
    const Outcome many = act(QStringLiteral("catalog:fetch"), {{QStringLiteral("entityRefs"), QJsonArray{QStringLiteral("team-a"), QStringLiteral("nobody")}},
                                                              {QStringLiteral("defaultKind"), QStringLiteral("group")},
                                                              {QStringLiteral("optional"), true}});
    QVERIFY(many.status);
    const QJsonArray entities = many.outputs.value(QLatin1String("entities")).toArray();
    QCOMPARE(entities.size(), 2);
    QCOMPARE(entities[0][QLatin1String("kind")].toString(), QStringLiteral("Group"));
    QVERIFY(entities[1].isNull());
    const Outcome nothing = act(QStringLiteral("catalog:fetch"), {});
    QCOMPARE(nothing.status.error().message, QStringLiteral("Missing entity reference or references"));
}

void TestPublishActions::githubCreatesPushesAndProtects()
{
    // jdoe is a user: the repository is the token user's (POST /user/repos, no visibility field).
    // An empty token (a secret the person did not give, rendered) means the integration's.
    const Outcome outcome = act(QStringLiteral("publish:github"),
                                {{QStringLiteral("repoUrl"), QStringLiteral("%1?owner=jdoe&repo=tools").arg(m_github->host())},
                                 {QStringLiteral("token"), QString()},
                                 {QStringLiteral("topics"), QJsonArray{QStringLiteral("Java"), QStringLiteral("Tools")}},
                                 {QStringLiteral("collaborators"), QJsonArray{QJsonObject{{QStringLiteral("user"), QStringLiteral("user:default/ann")},
                                                                                          {QStringLiteral("access"), QStringLiteral("push")}}}},
                                 {QStringLiteral("protectDefaultBranch"), false},
                                 {QStringLiteral("gitCommitMessage"), QStringLiteral("first")}});
    QVERIFY2(outcome.status, outcome.status ? "" : qPrintable(outcome.status.error().message));
    const QList<FakeGitHub::Call> creates = m_github->callsTo(QStringLiteral("/user/repos"));
    QCOMPARE(creates.size(), 1);
    QCOMPARE(creates[0].body.value(QLatin1String("private")).toBool(), true);   // private by default
    QVERIFY(!creates[0].body.contains(QLatin1String("visibility")));
    QCOMPARE(m_github->callsTo(QStringLiteral("/repos/jdoe/tools/topics")).value(0).body.value(QLatin1String("names")).toArray(),
             (QJsonArray{QStringLiteral("java"), QStringLiteral("tools")}));
    QCOMPARE(m_github->callsTo(QStringLiteral("/repos/jdoe/tools/collaborators/ann")).value(0).body.value(QLatin1String("permission")).toString(),
             QStringLiteral("push"));
    QVERIFY(m_github->callsTo(QStringLiteral("/protection")).isEmpty());
    const auto snapshot = m_github->repository(QStringLiteral("jdoe/tools"))->snapshot();
    QCOMPARE(snapshot.message, QStringLiteral("first"));
    QCOMPARE(snapshot.files.value(QStringLiteral("README.md")), QByteArray("# hello\n"));
    QCOMPARE(outcome.outputs.value(QLatin1String("commitHash")).toString(), snapshot.commit);
    QCOMPARE(outcome.outputs.value(QLatin1String("repoContentsUrl")).toString(), QStringLiteral("http://%1/jdoe/tools/blob/main").arg(m_github->host()));
    QDir(m_workspace.filePath(QStringLiteral(".git"))).removeRecursively();
}

void TestPublishActions::githubRefusals_data()
{
    QTest::addColumn<QJsonObject>("input");
    QTest::addColumn<QString>("message");
    const QString host = QStringLiteral("127.0.0.1:%1").arg(m_github ? m_github->port() : 0);
    QTest::newRow("no such integration") << QJsonObject{{QStringLiteral("repoUrl"), QStringLiteral("ghe.example.com?owner=a&repo=b")}}
                                         << QStringLiteral("No integration for host ghe.example.com");
    QTest::newRow("no owner") << QJsonObject{{QStringLiteral("repoUrl"), host + QStringLiteral("?repo=b")}}
                              << QStringLiteral("Invalid repo URL passed to publisher: https://%1?repo=b, missing owner").arg(host);
    QTest::newRow("unknown owner") << QJsonObject{{QStringLiteral("repoUrl"), host + QStringLiteral("?owner=ghost&repo=b")}}
                                   << QStringLiteral("Failed to look up the owner ghost on %1, Not Found (HTTP 404)").arg(host);
    QTest::newRow("wrong token") << QJsonObject{{QStringLiteral("repoUrl"), host + QStringLiteral("?owner=acme&repo=b")}, {QStringLiteral("token"), QStringLiteral("nope")}}
                                 << QStringLiteral("Failed to look up the owner acme on %1, Bad credentials (HTTP 401)").arg(host);
}

void TestPublishActions::githubRefusals()
{
    QFETCH(QJsonObject, input);
    QFETCH(QString, message);
    const Outcome outcome = act(QStringLiteral("publish:github"), input);
    QVERIFY(!outcome.status);
    QCOMPARE(outcome.status.error().message, message);
    QVERIFY(!m_github->repository(QStringLiteral("acme/b")));
}

void TestPublishActions::githubCreateThenPush()
{
    // The GitHub module's two halves: the repository first (only remoteUrl comes out, as upstream's handler sets it) ...
    const QString repoUrl = QStringLiteral("%1?owner=acme&repo=split").arg(m_github->host());
    const Outcome created = act(QStringLiteral("github:repo:create"),
                                {{QStringLiteral("repoUrl"), repoUrl}, {QStringLiteral("topics"), QJsonArray{QStringLiteral("Split")}}});
    QVERIFY2(created.status, created.status ? "" : qPrintable(created.status.error().message));
    const QString remote = m_github->repository(QStringLiteral("acme/split"))->path();
    QCOMPARE(created.outputs, (QJsonObject{{QStringLiteral("remoteUrl"), remote}}));
    QCOMPARE(m_github->callsTo(QStringLiteral("/orgs/acme/repos")).last().body.value(QLatin1String("visibility")).toString(), QStringLiteral("private"));
    QCOMPARE(m_github->callsTo(QStringLiteral("/repos/acme/split/topics")).size(), 1);
    QVERIFY(m_github->callsTo(QStringLiteral("/repos/acme/split/branches")).isEmpty());   // nothing pushed, nothing protected

    // ... then the workspace pushed into it, found with GET /repos/:o/:r, and its branch protected.
    const Outcome pushed = act(QStringLiteral("github:repo:push"), {{QStringLiteral("repoUrl"), repoUrl}, {QStringLiteral("defaultBranch"), QStringLiteral("trunk")}});
    QVERIFY2(pushed.status, pushed.status ? "" : qPrintable(pushed.status.error().message));
    const auto snapshot = m_github->repository(QStringLiteral("acme/split"))->snapshot(QStringLiteral("trunk"));
    QCOMPARE(snapshot.files.value(QStringLiteral("README.md")), QByteArray("# hello\n"));
    QCOMPARE(pushed.outputs.value(QLatin1String("commitHash")).toString(), snapshot.commit);
    QCOMPARE(pushed.outputs.value(QLatin1String("remoteUrl")).toString(), remote);
    QCOMPARE(pushed.outputs.value(QLatin1String("repoContentsUrl")).toString(), QStringLiteral("http://%1/acme/split/blob/trunk").arg(m_github->host()));
    QCOMPARE(m_github->callsTo(QStringLiteral("/repos/acme/split/branches/trunk/protection")).size(), 1);
    QDir(m_workspace.filePath(QStringLiteral(".git"))).removeRecursively();

    const Outcome nowhere = act(QStringLiteral("github:repo:push"), {{QStringLiteral("repoUrl"), QStringLiteral("%1?owner=acme&repo=none").arg(m_github->host())}});
    QVERIFY(!nowhere.status);
    QCOMPARE(nowhere.status.error().message, QStringLiteral("Failed to find the repository acme/none, Not Found (HTTP 404)"));
    // Actions secrets are sealed with the repository's public key; the fake opens them again.
    const Outcome sealed = act(QStringLiteral("github:repo:create"),
                               {{QStringLiteral("repoUrl"), QStringLiteral("%1?owner=acme&repo=sealed").arg(m_github->host())},
                                {QStringLiteral("secrets"), QJsonObject{{QStringLiteral("DEPLOY_KEY"), QStringLiteral("s3cr3t ünïcode")}}}});
    QVERIFY2(sealed.status, sealed.status ? "" : qPrintable(sealed.status.error().message));
    QCOMPARE(m_github->actionsSecretValue(QStringLiteral("acme/sealed"), QStringLiteral("DEPLOY_KEY")), QStringLiteral("s3cr3t ünïcode"));
    const FakeGitHub::Call put = m_github->callsTo(QStringLiteral("/repos/acme/sealed/actions/secrets/DEPLOY_KEY")).value(0);
    QCOMPARE(put.method, QByteArray("PUT"));
    QVERIFY(!put.body.value(QLatin1String("encrypted_value")).toString().isEmpty());
    QVERIFY(!QJsonDocument(put.body).toJson().contains("s3cr3t"));   // only the sealed box travels
}

void TestPublishActions::githubPullRequest()
{
    m_github->createRepository(QStringLiteral("acme/site"))
        .commit({{QStringLiteral("README.md"), "# site\n"}, {QStringLiteral("incoming/obsolete.md"), "old\n"}});
    const QString repoUrl = QStringLiteral("%1?owner=acme&repo=site").arg(m_github->host());
    QJsonObject input{{QStringLiteral("repoUrl"), repoUrl},
                      {QStringLiteral("branchName"), QStringLiteral("add-incoming")},
                      {QStringLiteral("title"), QStringLiteral("Add the incoming service")},
                      {QStringLiteral("description"), QStringLiteral("Made by a template")},
                      {QStringLiteral("targetPath"), QStringLiteral("incoming")},
                      {QStringLiteral("filesToDelete"), QJsonArray{QStringLiteral("obsolete.md")}},
                      {QStringLiteral("reviewers"), QJsonArray{QStringLiteral("ann")}},
                      {QStringLiteral("teamReviewers"), QJsonArray{QStringLiteral("platform"), QStringLiteral("platform")}},
                      {QStringLiteral("assignees"), QJsonArray{QStringLiteral("bob")}}};

    // A dry run answers upstream's stand-ins and touches nothing.
    const Outcome dry = act(QStringLiteral("publish:github:pull-request"), input, true);
    QVERIFY(dry.status);
    QCOMPARE(dry.outputs, (QJsonObject{{QStringLiteral("targetBranchName"), QStringLiteral("add-incoming")},
                                       {QStringLiteral("remoteUrl"), repoUrl},
                                       {QStringLiteral("pullRequestNumber"), 43}}));
    QVERIFY(m_github->repository(QStringLiteral("acme/site"))->snapshot(QStringLiteral("add-incoming")).commit.isEmpty());

    const Outcome opened = act(QStringLiteral("publish:github:pull-request"), input);
    QVERIFY2(opened.status, opened.status ? "" : qPrintable(opened.status.error().message));
    QCOMPARE(opened.outputs, (QJsonObject{{QStringLiteral("targetBranchName"), QStringLiteral("main")},
                                          {QStringLiteral("remoteUrl"), QStringLiteral("http://%1/acme/site/pull/1").arg(m_github->host())},
                                          {QStringLiteral("pullRequestNumber"), 1}}));
    // One commit on top of main: the workspace under targetPath, the deleted file gone, the rest of main kept.
    const auto branch = m_github->repository(QStringLiteral("acme/site"))->snapshot(QStringLiteral("add-incoming"));
    QCOMPARE(branch.files.keys(), (QStringList{QStringLiteral("README.md"), QStringLiteral("incoming/README.md")}));
    QCOMPARE(branch.files.value(QStringLiteral("README.md")), QByteArray("# site\n"));
    QCOMPARE(branch.files.value(QStringLiteral("incoming/README.md")), QByteArray("# hello\n"));
    QCOMPARE(branch.message, QStringLiteral("Add the incoming service"));
    QCOMPARE(branch.author, QStringLiteral("Scaffolder <scaffolder@backstage.io>"));
    const FakeGitHub::Call pull = m_github->callsTo(QStringLiteral("/repos/acme/site/pulls")).value(1);
    QCOMPARE(pull.method, QByteArray("POST"));
    QCOMPARE(pull.body.value(QLatin1String("head")).toString(), QStringLiteral("acme:add-incoming"));
    QCOMPARE(pull.body.value(QLatin1String("base")).toString(), QStringLiteral("main"));
    QCOMPARE(pull.body.value(QLatin1String("body")).toString(), QStringLiteral("Made by a template"));
    QVERIFY(opened.log.contains(QStringLiteral("Added users [ann] and teams [platform] as reviewers to Pull request 1")));
    QVERIFY(opened.log.contains(QStringLiteral("Added assignees [bob] to Pull request 1")));

    // The branch's pull request is open: again without `update` is refused, with it the pull request is edited.
    const Outcome again = act(QStringLiteral("publish:github:pull-request"), input);
    QVERIFY(!again.status);
    QCOMPARE(again.status.error().message, QStringLiteral("Pull request creation failed: Pull request already exists: http://%1/acme/site/pull/1. "
                                                          "Set update=true to enable updating").arg(m_github->host()));
    input.insert(QStringLiteral("update"), true);
    input.insert(QStringLiteral("title"), QStringLiteral("Add the incoming service, again"));
    const Outcome updated = act(QStringLiteral("publish:github:pull-request"), input);
    QVERIFY2(updated.status, updated.status ? "" : qPrintable(updated.status.error().message));
    QCOMPARE(updated.outputs.value(QLatin1String("pullRequestNumber")).toInt(), 1);
    QList<FakeGitHub::Call> edits = m_github->callsTo(QStringLiteral("/repos/acme/site/pulls"));
    edits.removeIf([](const FakeGitHub::Call &call) { return call.method != "PATCH"; });
    QCOMPARE(edits.size(), 1);
    const FakeGitHub::Call edit = edits.first();
    QCOMPARE(edit.path, QStringLiteral("/api/v3/repos/acme/site/pulls/1"));
    QCOMPARE(edit.body.value(QLatin1String("title")).toString(), QStringLiteral("Add the incoming service, again"));

    // Nothing to change and createWhenEmpty false: no branch, no pull request.
    QDir(m_workspace.path()).mkpath(QStringLiteral("empty"));
    const Outcome empty = act(QStringLiteral("publish:github:pull-request"),
                              {{QStringLiteral("repoUrl"), repoUrl}, {QStringLiteral("branchName"), QStringLiteral("nothing")},
                               {QStringLiteral("title"), QStringLiteral("t")}, {QStringLiteral("description"), QStringLiteral("d")},
                               {QStringLiteral("sourcePath"), QStringLiteral("empty")}, {QStringLiteral("createWhenEmpty"), false}});
    QVERIFY(empty.status);
    QVERIFY(empty.outputs.isEmpty());
    QVERIFY(empty.log.contains(QStringLiteral("No changes to commit, pull request was not created")));
    QVERIFY(m_github->repository(QStringLiteral("acme/site"))->snapshot(QStringLiteral("nothing")).commit.isEmpty());

    // Paths that would leave the repository are refused before anything is asked.
    input.insert(QStringLiteral("targetPath"), QStringLiteral("../up"));
    const Outcome escaping = act(QStringLiteral("publish:github:pull-request"), input);
    QCOMPARE(escaping.status.error().message,
             QStringLiteral("Invalid targetPath '../up': must be a relative path within the target repository, without '..' segments"));
}

void TestPublishActions::pullRequestCommitsLinksAsLinks()
{
    // A workspace link to a secret file is committed as a link: its text, never the secret.
    QTemporaryDir home;
    QFile key(home.filePath(QStringLiteral("id_rsa")));
    QVERIFY(key.open(QIODevice::WriteOnly));
    key.write("PRIVATE KEY\n");
    key.close();
    const QDir folder(m_workspace.filePath(QStringLiteral("linked")));
    QVERIFY(folder.mkpath(QStringLiteral("docs")));
    QFile page(folder.filePath(QStringLiteral("docs/index.md")));
    QVERIFY(page.open(QIODevice::WriteOnly));
    page.write("# docs\n");
    page.close();
    QVERIFY(QFile::link(key.fileName(), folder.filePath(QStringLiteral("id_rsa"))));
    QVERIFY(QFile::link(QStringLiteral("docs/index.md"), folder.filePath(QStringLiteral("index.md"))));
    QVERIFY(QFile::link(home.path(), folder.filePath(QStringLiteral("home"))));

    m_github->createRepository(QStringLiteral("acme/linked")).commit({{QStringLiteral("README.md"), "# linked\n"}});
    const Outcome opened = act(QStringLiteral("publish:github:pull-request"),
                               {{QStringLiteral("repoUrl"), QStringLiteral("%1?owner=acme&repo=linked").arg(m_github->host())},
                                {QStringLiteral("branchName"), QStringLiteral("links")},
                                {QStringLiteral("title"), QStringLiteral("Links")},
                                {QStringLiteral("description"), QStringLiteral("d")},
                                {QStringLiteral("sourcePath"), QStringLiteral("linked")}});
    QVERIFY2(opened.status, opened.status ? "" : qPrintable(opened.status.error().message));
    const auto branch = m_github->repository(QStringLiteral("acme/linked"))->snapshot(QStringLiteral("links"));
    QCOMPARE(branch.files.keys(), (QStringList{QStringLiteral("README.md"), QStringLiteral("docs/index.md"), QStringLiteral("home"),
                                               QStringLiteral("id_rsa"), QStringLiteral("index.md")}));
    QCOMPARE(branch.links, (QStringList{QStringLiteral("home"), QStringLiteral("id_rsa"), QStringLiteral("index.md")}));
    QCOMPARE(branch.files.value(QStringLiteral("id_rsa")), key.fileName().toUtf8());
    QCOMPARE(branch.files.value(QStringLiteral("index.md")), QByteArray("docs/index.md"));
    for (const QByteArray &content : branch.files)
        QVERIFY(!content.contains("PRIVATE KEY"));
}

void TestPublishActions::fetchReadsGitHubUrls()
{
    // Absolute urls in fetch steps are read through the host's GitHub integration, as upstream's fetchContents reads them.
    m_github->createRepository(QStringLiteral("acme/skel"))
        .commit({{QStringLiteral("skeleton/README.md"), "# ${{ values.name }}\n"},
                 {QStringLiteral("skeleton/docs/index.md"), "Docs of ${{ values.name }}\n"},
                 {QStringLiteral("other/notes.txt"), "not part of the skeleton\n"}});
    const QString base = QStringLiteral("http://%1/acme/skel").arg(m_github->host());
    const Outcome rendered = act(QStringLiteral("fetch:template"), {{QStringLiteral("url"), base + QStringLiteral("/tree/main/skeleton")},
                                                                    {QStringLiteral("targetPath"), QStringLiteral("fetched")},
                                                                    {QStringLiteral("values"), QJsonObject{{QStringLiteral("name"), QStringLiteral("remote")}}}});
    QVERIFY2(rendered.status, rendered.status ? "" : qPrintable(rendered.status.error().message));
    const QDir fetched(m_workspace.filePath(QStringLiteral("fetched")));
    QCOMPARE(fetched.entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::DirsFirst), (QStringList{QStringLiteral("docs"), QStringLiteral("README.md")}));
    QFile readme(fetched.filePath(QStringLiteral("README.md")));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    QCOMPARE(readme.readAll(), QByteArray("# remote\n"));
    const Outcome file = act(QStringLiteral("fetch:plain:file"), {{QStringLiteral("url"), base + QStringLiteral("/blob/main/other/notes.txt")},
                                                                  {QStringLiteral("targetPath"), QStringLiteral("fetched/notes.txt")}});
    QVERIFY2(file.status, file.status ? "" : qPrintable(file.status.error().message));
    QVERIFY(QFile::exists(fetched.filePath(QStringLiteral("notes.txt"))));

    // A step's token is used instead of the integration's; a wrong one is refused by the host.
    const Outcome refused = act(QStringLiteral("fetch:plain"), {{QStringLiteral("url"), base + QStringLiteral("/tree/main/skeleton")},
                                                                {QStringLiteral("targetPath"), QStringLiteral("refused")},
                                                                {QStringLiteral("token"), QStringLiteral("ghp_wrong")}});
    QVERIFY(!refused.status);
    QVERIFY2(refused.status.error().message.contains(QStringLiteral("401")), qPrintable(refused.status.error().message));
    QVERIFY(!QFileInfo::exists(m_workspace.filePath(QStringLiteral("refused"))));
    const Outcome missing = act(QStringLiteral("fetch:plain"), {{QStringLiteral("url"), base + QStringLiteral("/tree/main/nothing")}});
    QCOMPARE(missing.status.error().name, QStringLiteral("NotFoundError"));
    const Outcome elsewhere = act(QStringLiteral("fetch:plain"), {{QStringLiteral("url"), QStringLiteral("https://example.com/skeleton")}});
    QCOMPARE(elsewhere.status.error().message, QStringLiteral("Fetching https://example.com/skeleton is not supported: give a path relative to the template, "
                                                              "or a URL on a host with a GitHub integration"));
    QDir(fetched.path()).removeRecursively();
}

QTEST_MAIN(TestPublishActions)
#include "tst_publishactions.moc"
