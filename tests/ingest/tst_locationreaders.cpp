// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The readers behind url and git locations: backend.reading.allow matching,
// HTTP reads over loopback, git targets and reads from a real bare
// repository, and a whole git location read through the processor.
#include <ingest/gitreader.h>
#include <ingest/locationprocessor.h>
#include <ingest/readingallowlist.h>
#include <ingest/urlreader.h>

#include <gitfixture.h>

#include <QAbstractHttpServer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QMutex>
#include <QThread>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using Greenroom::Ingest::GitReader;
using Greenroom::Ingest::GitTarget;
using Greenroom::Ingest::ReadingAllowList;
using Greenroom::TestSupport::GitFixture;

namespace {

ReadingAllowList allowList(const char *json)
{
    auto list = ReadingAllowList::fromJson(QJsonDocument::fromJson(json).array());
    if (!list)
        qFatal("bad allow list: %s", qPrintable(list.error().message));
    return list.value();
}

const QByteArray ComponentYaml = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %1}\n"
                                 "spec: {type: service, lifecycle: production, owner: team-a}\n";

QByteArray component(const char *name)
{
    return QByteArray(ComponentYaml).replace("%1", name);
}

/*
 * The first step of git's smart HTTP protocol with Basic auth: GET
 * <repo>/info/refs?service=git-upload-pack answers 401 with a Basic challenge
 * until credentials come, and records them. Runs on its own thread, since
 * libgit2 blocks the caller while it fetches.
 */
class GitAuthServer : public QAbstractHttpServer
{
public:
    QByteArray authorization()
    {
        QMutexLocker lock(&m_mutex);
        return m_authorization;
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        QHttpServerResponder responder = makeResponder(request, socket);
        QByteArray authorization;
        for (const auto &[name, value] : request.headers()) {
            if (name.compare("authorization", Qt::CaseInsensitive) == 0)
                authorization = value;
        }
        if (authorization.isEmpty()) {
            responder.writeStatusLine(QHttpServerResponder::StatusCode::Unauthorized);
            responder.writeHeader("WWW-Authenticate", "Basic realm=\"git\"");
            responder.writeHeader("Content-Length", "0");
            responder.writeBody(QByteArray());
            return true;
        }
        {
            QMutexLocker lock(&m_mutex);
            m_authorization = authorization;
        }
        responder.write(QHttpServerResponder::StatusCode::NotFound);
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    QMutex m_mutex;
    QByteArray m_authorization;
};

} // namespace

class TestLocationReaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allowListMatchesHostsPortsAndPaths();
    void allowListRejectsBadConfig();
    void urlReaderReadsAllowedHostsOnly();
    void urlEntitiesGetViewEditAndSourceUrls();
    void gitTargetsParseAndResolveInsideTheRepository();
    void gitReaderReadsCommittedFiles();
    void gitReaderReportsMissingRefsAndRepositories();
    void gitLocationIsReadThroughTheProcessor();
    void gitFetchOffersTheHostsCredentials();
};

void TestLocationReaders::allowListMatchesHostsPortsAndPaths()
{
    const ReadingAllowList list = allowList(R"([{"host":"example.com"},{"host":"*.corp.net"},
        {"host":"127.0.0.1:7099"},{"host":"ports.test:8000-8010"},{"host":"docs.test","paths":["/team/","/exact"]}])");
    QVERIFY(list.isAllowed(QUrl(QStringLiteral("https://example.com/a.yaml"))));
    QVERIFY(list.isAllowed(QUrl(QStringLiteral("https://example.com:443/a.yaml"))));   // the default port is no port
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("https://example.com:8443/a.yaml"))));
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("https://sub.example.com/a.yaml"))));
    QVERIFY(list.isAllowed(QUrl(QStringLiteral("https://git.corp.net/a.yaml"))));
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("https://corp.net/a.yaml"))));         // a wildcard means subdomains only
    QVERIFY(list.isAllowed(QUrl(QStringLiteral("http://127.0.0.1:7099/x"))));
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("http://127.0.0.1/x"))));
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("http://127.0.0.1:7098/x"))));
    QVERIFY(list.isAllowed(QUrl(QStringLiteral("http://ports.test:8005/x"))));
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("http://ports.test:8011/x"))));
    QVERIFY(list.isAllowed(QUrl(QStringLiteral("https://docs.test/team/a/b.yaml"))));
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("https://docs.test/team"))));          // "/team/" needs the slash
    QVERIFY(list.isAllowed(QUrl(QStringLiteral("https://docs.test/exact"))));
    QVERIFY(list.isAllowed(QUrl(QStringLiteral("https://docs.test/exact/below"))));
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("https://docs.test/exactly"))));
    QVERIFY(!list.isAllowed(QUrl(QStringLiteral("https://docs.test/team/../secret"))));
    QVERIFY(!allowList("[]").isAllowed(QUrl(QStringLiteral("https://example.com/"))));
}

void TestLocationReaders::allowListRejectsBadConfig()
{
    auto noHost = ReadingAllowList::fromJson(QJsonDocument::fromJson(R"([{"paths":["/a"]}])").array());
    QVERIFY(!noHost);
    QVERIFY2(noHost.error().message.contains(QLatin1String("backend.reading.allow[0].host")), qPrintable(noHost.error().message));
    auto badPort = ReadingAllowList::fromJson(QJsonDocument::fromJson(R"([{"host":"a.test:9-3"}])").array());
    QVERIFY(!badPort);
    QVERIFY2(badPort.error().message.contains(QLatin1String("Port range is not valid")), qPrintable(badPort.error().message));
}

void TestLocationReaders::urlReaderReadsAllowedHostsOnly()
{
    QHttpServer http;
    http.route(QStringLiteral("/catalog-info.yaml"), [] { return QByteArray("kind: Component\n"); });
    http.route(QStringLiteral("/moved"), [] {
        QHttpServerResponse response(QHttpServerResponder::StatusCode::Found);
        response.setHeader("Location", "http://elsewhere.test/x.yaml");
        return response;
    });
    http.route(QStringLiteral("/broken"), [] { return QHttpServerResponse(QHttpServerResponder::StatusCode::InternalServerError); });
    auto *tcp = new QTcpServer(&http);
    QVERIFY(tcp->listen(QHostAddress::LocalHost));
    http.bind(tcp);
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(tcp->serverPort());
    const Ingest::UrlReader reader(allowList(QStringLiteral(R"([{"host":"127.0.0.1:%1"}])").arg(tcp->serverPort()).toUtf8()));

    auto ok = reader.read(QUrl(base + QStringLiteral("/catalog-info.yaml")));
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
    QCOMPARE(ok.value(), QByteArray("kind: Component\n"));

    auto missing = reader.read(QUrl(base + QStringLiteral("/nothing.yaml")));
    QVERIFY(!missing);
    QCOMPARE(missing.error().name, QStringLiteral("NotFoundError"));
    QCOMPARE(missing.error().message, QStringLiteral("could not read %1/nothing.yaml, 404 Not Found").arg(base));

    auto broken = reader.read(QUrl(base + QStringLiteral("/broken")));
    QVERIFY(!broken);
    QCOMPARE(broken.error().name, QStringLiteral("Error"));
    QVERIFY2(broken.error().message.contains(QLatin1String(", 500 ")), qPrintable(broken.error().message));

    // A redirect may not lead off the allow list.
    auto moved = reader.read(QUrl(base + QStringLiteral("/moved")));
    QVERIFY(!moved);
    QCOMPARE(moved.error().message,
             QStringLiteral("URL not allowed by backend.reading.allow configuration: http://elsewhere.test/x.yaml"));

    // Same host, other port: not allowed, and nothing is fetched.
    auto otherPort = reader.read(QUrl(QStringLiteral("http://127.0.0.1:1/catalog-info.yaml")));
    QVERIFY(!otherPort);
    QCOMPARE(otherPort.error().name, QStringLiteral("NotAllowedError"));
    QVERIFY(otherPort.error().message.startsWith(QLatin1String("Reading from 'http://127.0.0.1:1/catalog-info.yaml' is not allowed.")));
}

void TestLocationReaders::urlEntitiesGetViewEditAndSourceUrls()
{
    // A GitHub-shaped URL on a host the integrations know: view, edit and source URLs, the author's own kept.
    QHttpServer http;
    http.route(QStringLiteral("/acme/payments/blob/main/catalog-info.yaml"), [] {
        return QByteArray(component("payments") + "---\n"
                          "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
                          "metadata: {name: own, annotations: {backstage.io/view-url: 'https://docs.example.com/own'}}\n"
                          "spec: {type: service, lifecycle: production, owner: team-a}\n");
    });
    auto *tcp = new QTcpServer(&http);
    QVERIFY(tcp->listen(QHostAddress::LocalHost));
    http.bind(tcp);
    const QString host = QStringLiteral("127.0.0.1:%1").arg(tcp->serverPort());
    const QString target = QStringLiteral("http://%1/acme/payments/blob/main/catalog-info.yaml").arg(host);
    Ingest::IngestOptions options;
    options.urlReader = Ingest::UrlReader(allowList(QStringLiteral(R"([{"host":"%1"}])").arg(host).toUtf8()));
    const auto annotationsOf = [&](const Ingest::LocationProcessor &processor, const QString &ref) {
        const Ingest::LocationReadResult read = processor.read({QStringLiteral("url"), target});
        for (const Store::EntityWrite &entity : read.write.entities) {
            if (entity.ref == ref)
                return entity.object()[QLatin1String("metadata")][QLatin1String("annotations")].toObject();
        }
        return QJsonObject();
    };

    // No integration knows the host: only the view URL, as Backstage adds it on every host.
    const QJsonObject plain = annotationsOf(Ingest::LocationProcessor(options), QStringLiteral("component:default/payments"));
    QCOMPARE(plain.value(QLatin1String("backstage.io/view-url")).toString(), target);
    QVERIFY(!plain.contains(QLatin1String("backstage.io/edit-url")));
    QVERIFY(!plain.contains(QLatin1String("backstage.io/source-location")));

    options.scm = Ingest::ScmIntegrations::fromConfig(QJsonDocument::fromJson(QStringLiteral(R"({"github":[{"host":"%1"}]})").arg(host).toUtf8()).object());
    const Ingest::LocationProcessor processor(options);
    const QJsonObject known = annotationsOf(processor, QStringLiteral("component:default/payments"));
    QCOMPARE(known.value(QLatin1String("backstage.io/view-url")).toString(), target);
    QCOMPARE(known.value(QLatin1String("backstage.io/edit-url")).toString(), QStringLiteral("http://%1/acme/payments/edit/main/catalog-info.yaml").arg(host));
    QCOMPARE(known.value(QLatin1String("backstage.io/source-location")).toString(), QStringLiteral("url:http://%1/acme/payments/tree/main/").arg(host));
    const QJsonObject own = annotationsOf(processor, QStringLiteral("component:default/own"));
    QCOMPARE(own.value(QLatin1String("backstage.io/view-url")).toString(), QStringLiteral("https://docs.example.com/own"));
    QCOMPARE(own.value(QLatin1String("backstage.io/edit-url")).toString(), QStringLiteral("http://%1/acme/payments/edit/main/catalog-info.yaml").arg(host));
}

void TestLocationReaders::gitTargetsParseAndResolveInsideTheRepository()
{
    auto target = GitTarget::parse(QStringLiteral("https://git.test/acme/repo.git/blob/main/services/a/catalog-info.yaml"));
    QVERIFY(target);
    QCOMPARE(target->repository, QStringLiteral("https://git.test/acme/repo.git"));
    QCOMPARE(target->ref, QStringLiteral("main"));
    QCOMPARE(target->path, QStringLiteral("services/a/catalog-info.yaml"));
    auto gitlab = GitTarget::parse(QStringLiteral("https://gitlab.test/g/r/-/blob/v1.2/catalog-info.yaml"));
    QVERIFY(gitlab);
    QCOMPARE(gitlab->repository, QStringLiteral("https://gitlab.test/g/r"));
    QCOMPARE(gitlab->ref, QStringLiteral("v1.2"));

    QCOMPARE(target->resolved(QStringLiteral("./api.yaml"))->toString(),
             QStringLiteral("https://git.test/acme/repo.git/blob/main/services/a/api.yaml"));
    QCOMPARE(target->resolved(QStringLiteral("../../docs/x.yaml"))->toString(),
             QStringLiteral("https://git.test/acme/repo.git/blob/main/docs/x.yaml"));
    auto escape = target->resolved(QStringLiteral("../../../../etc/passwd"));
    QVERIFY(!escape);
    QVERIFY2(escape.error().message.contains(QLatin1String("leaves the repository")), qPrintable(escape.error().message));

    auto invalid = GitTarget::parse(QStringLiteral("https://user:s3cret@git.test/acme/repo.git"));
    QVERIFY(!invalid);
    QVERIFY2(invalid.error().message.contains(QLatin1String("<repository URL>/blob/<ref>/<path>")), qPrintable(invalid.error().message));
    QVERIFY2(!invalid.error().message.contains(QLatin1String("s3cret")), qPrintable(invalid.error().message));
}

void TestLocationReaders::gitReaderReadsCommittedFiles()
{
    QTemporaryDir dir;
    GitFixture repo(dir.filePath(QStringLiteral("repo.git")));
    const QString first = repo.commit({{QStringLiteral("catalog-info.yaml"), component("one")},
                                       {QStringLiteral("services/a/catalog-info.yaml"), component("a")},
                                       {QStringLiteral("services/b/catalog-info.yaml"), component("b")}});
    const GitReader reader(dir.filePath(QStringLiteral("cache")));
    const QString url = QUrl::fromLocalFile(repo.path()).toString();
    {
        auto session = reader.session();
        auto content = session->readFile(GitTarget{url, QStringLiteral("main"), QStringLiteral("catalog-info.yaml")}, 1 << 20);
        QVERIFY2(content, qPrintable(content ? QString() : content.error().message));
        QCOMPARE(content.value(), component("one"));
        auto matched = session->matchFiles(GitTarget{url, QStringLiteral("main"), QStringLiteral("services/*/catalog-info.yaml")});
        QVERIFY(matched);
        QCOMPARE(matched.value(), (QStringList{QStringLiteral("services/a/catalog-info.yaml"),
                                              QStringLiteral("services/b/catalog-info.yaml")}));
        QCOMPARE(session->commitId(GitTarget{url, QStringLiteral("main"), {}}).value(), first);
        auto folder = session->readFile(GitTarget{url, QStringLiteral("main"), QStringLiteral("services")}, 1 << 20);
        QVERIFY(!folder);
        QCOMPARE(folder.error().name, QStringLiteral("NotFoundError"));
    }
    // A new session fetches again and sees the new commit; the old file is gone.
    const QString second = repo.commit({{QStringLiteral("catalog-info.yaml"), component("two")}});
    auto session = reader.session();
    QCOMPARE(session->commitId(GitTarget{url, QStringLiteral("main"), {}}).value(), second);
    QCOMPARE(session->readFile(GitTarget{url, QStringLiteral("main"), QStringLiteral("catalog-info.yaml")}, 1 << 20).value(),
             component("two"));
    QVERIFY(!session->readFile(GitTarget{url, QStringLiteral("main"), QStringLiteral("services/a/catalog-info.yaml")}, 1 << 20));
    // Commits by id work too; a plain path works as the repository.
    QCOMPARE(session->readFile(GitTarget{repo.path(), first, QStringLiteral("catalog-info.yaml")}, 1 << 20).value(),
             component("one"));
}

void TestLocationReaders::gitReaderReportsMissingRefsAndRepositories()
{
    QTemporaryDir dir;
    GitFixture repo(dir.filePath(QStringLiteral("repo.git")));
    repo.commit({{QStringLiteral("catalog-info.yaml"), component("one")}});
    const GitReader reader(dir.filePath(QStringLiteral("cache")));
    auto session = reader.session();
    auto noRef = session->readFile(GitTarget{repo.path(), QStringLiteral("nope"), QStringLiteral("catalog-info.yaml")}, 1 << 20);
    QVERIFY(!noRef);
    QCOMPARE(noRef.error().name, QStringLiteral("NotFoundError"));
    QVERIFY2(noRef.error().message.contains(QLatin1String("ref nope not found")), qPrintable(noRef.error().message));
    auto noRepo = session->readFile(GitTarget{dir.filePath(QStringLiteral("missing.git")), QStringLiteral("main"),
                                              QStringLiteral("catalog-info.yaml")}, 1 << 20);
    QVERIFY(!noRepo);
    QVERIFY2(noRepo.error().message.startsWith(QLatin1String("could not fetch ")), qPrintable(noRepo.error().message));
    QVERIFY2(noRepo.error().message.contains(QLatin1String("missing.git")), qPrintable(noRepo.error().message));
}

void TestLocationReaders::gitLocationIsReadThroughTheProcessor()
{
    QTemporaryDir dir;
    GitFixture repo(dir.filePath(QStringLiteral("repo.git")));
    repo.commit({{QStringLiteral("catalog-info.yaml"),
                  component("root") + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: more}\n"
                                      "spec: {targets: [./apis/*.yaml]}\n"},
                 {QStringLiteral("apis/petstore.yaml"),
                  "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: petstore}\n"
                  "spec: {type: openapi, lifecycle: production, owner: team-a, definition: {$text: ../specs/petstore.yaml}}\n"},
                 {QStringLiteral("specs/petstore.yaml"), "openapi: 3.0.0\n"}});
    Ingest::IngestOptions options;
    options.gitReader = GitReader(dir.filePath(QStringLiteral("cache")));
    const Ingest::LocationProcessor processor(options);
    const QString target = repo.path() + QStringLiteral("/blob/main/catalog-info.yaml");
    const Ingest::LocationReadResult read = processor.read({QStringLiteral("git"), target});
    QVERIFY2(!read.hasErrors(), qPrintable(read.write.errors.value(0).message));
    QHash<QString, QJsonObject> byRef;
    for (const Store::EntityWrite &entity : read.write.entities)
        byRef.insert(entity.ref, entity.object());
    QCOMPARE(byRef.size(), 4);   // the generated Location, root, more, petstore
    const QJsonObject api = byRef.value(QStringLiteral("api:default/petstore"));
    QCOMPARE(api[QLatin1String("spec")][QLatin1String("definition")].toString(), QStringLiteral("openapi: 3.0.0\n"));
    QCOMPARE(api[QLatin1String("metadata")][QLatin1String("annotations")][QLatin1String("backstage.io/managed-by-location")].toString(),
             QStringLiteral("git:") + repo.path() + QStringLiteral("/blob/main/apis/petstore.yaml"));
    QCOMPARE(api[QLatin1String("metadata")][QLatin1String("annotations")][QLatin1String("backstage.io/managed-by-origin-location")].toString(),
             QStringLiteral("git:") + target);
    // What the same url target would get: its view URL (no integration knows a local repository).
    QCOMPARE(api[QLatin1String("metadata")][QLatin1String("annotations")][QLatin1String("backstage.io/view-url")].toString(),
             repo.path() + QStringLiteral("/blob/main/apis/petstore.yaml"));
    QVERIFY(!api[QLatin1String("metadata")][QLatin1String("annotations")].toObject().contains(QLatin1String("backstage.io/edit-url")));

    // Without a cache folder git locations are refused, clearly.
    const Ingest::LocationReadResult refused = Ingest::LocationProcessor().read({QStringLiteral("git"), target});
    QVERIFY(refused.hasErrors());
    QCOMPARE(refused.write.errors.first().message, QStringLiteral("Unable to read git, no git cache folder is configured"));
}

void TestLocationReaders::gitFetchOffersTheHostsCredentials()
{
    QThread thread;
    GitAuthServer server;
    server.moveToThread(&thread);
    thread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(&server, [&] {
        auto *tcp = new QTcpServer(&server);
        if (tcp->listen(QHostAddress::LocalHost)) {
            server.bind(tcp);
            port = tcp->serverPort();
        }
    }, Qt::BlockingQueuedConnection);
    QVERIFY(port != 0);

    QTemporaryDir cache;
    const GitReader reader(cache.path(),
                           {{QStringLiteral("other.test"), QStringLiteral("nobody"), QStringLiteral("wrong")},
                            {QStringLiteral("127.0.0.1"), QStringLiteral("x-access-token"), QStringLiteral("t0ken-s3cret")}});
    auto session = reader.session();
    const QString repository = QStringLiteral("http://127.0.0.1:%1/acme/repo.git").arg(port);
    auto read = session->readFile(GitTarget{repository, QStringLiteral("main"), QStringLiteral("catalog-info.yaml")}, 1 << 20);
    QVERIFY(!read);   // the fake has no repository behind the door
    QVERIFY2(read.error().message.startsWith(QStringLiteral("could not fetch ") + repository), qPrintable(read.error().message));
    QVERIFY(!read.error().message.contains(QLatin1String("t0ken")));
    QCOMPARE(server.authorization(), "Basic " + QByteArray("x-access-token:t0ken-s3cret").toBase64());
    QMetaObject::invokeMethod(&server, [&] { server.moveToThread(qApp->thread()); }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
}

QTEST_MAIN(TestLocationReaders)
#include "tst_locationreaders.moc"
