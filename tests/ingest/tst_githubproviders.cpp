// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The catalog's GitHub providers against the fake GitHub (GraphQL and REST
// over loopback): the org provider's Users and Groups (pages, hierarchy,
// memberships, namespaces, a renamed team, a removed member), discovery's
// filters and locations (read by the processing loop, one failing
// repository among good ones), rate-limit waits, conditional requests that
// make an unchanged organisation cost no quota, and GitHub App tokens.
#include "fakegithub.h"
#include "pgcluster.h"

#include <ingest/githubdiscovery.h>
#include <ingest/githuborgreader.h>
#include <ingest/githubproviders.h>
#include <ingest/processingloop.h>
#include <store/postgrescatalogstore.h>
#include <store/sqlitecatalogstore.h>

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

using namespace Greenroom;
using DemoServices::FakeGitHubOrg;

namespace {

const QString Token = QStringLiteral("org-reader-token");

FakeGitHubOrg::Organisation acme()
{
    FakeGitHubOrg::Organisation org{QStringLiteral("acme"), {}, {}, {}};
    org.members = {{QStringLiteral("alice"), QStringLiteral("U_1"), QStringLiteral("Alice A"), QStringLiteral("Builds things"),
                    QStringLiteral("alice@acme.example"), QStringLiteral("https://avatars.example/alice"), {QStringLiteral("alice+gh@acme.example")}},
                   {QStringLiteral("Bob"), QStringLiteral("U_2"), QString(), QString(), QString(), QString(), {}},
                   {QStringLiteral("carol"), QStringLiteral("U_3"), QStringLiteral("Carol C"), QString(), QStringLiteral("carol@acme.example"), QString(), {}}};
    org.teams = {{QStringLiteral("engineering"), QStringLiteral("Engineering"), QStringLiteral("All of engineering"), QString(), {QStringLiteral("carol")}},
                 {QStringLiteral("platform"), QStringLiteral("Platform"), QString(), QStringLiteral("engineering"),
                  {QStringLiteral("alice"), QStringLiteral("Bob"), QStringLiteral("carol")}},
                 {QStringLiteral("web"), QStringLiteral("Web"), QString(), QStringLiteral("engineering"), {}}};
    return org;
}

QByteArray componentYaml(const QString &name)
{
    return QStringLiteral("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %1\nspec:\n  type: service\n"
                          "  lifecycle: production\n  owner: team-a\n").arg(name).toUtf8();
}

FakeGitHubOrg::Repository repository(const QString &name, const QStringList &topics = {}, bool withFile = true)
{
    FakeGitHubOrg::Repository repo;
    repo.name = name;
    repo.topics = topics;
    if (withFile)
        repo.files.insert(QStringLiteral("main:catalog-info.yaml"), componentYaml(name));
    return repo;
}

QJsonObject entityOf(Store::CatalogStore &store, const QString &ref)
{
    const std::optional<Store::StoredEntity> stored = store.entityByRef(ref);
    if (!stored)
        return {};
    return stored->entity.isEmpty() ? QJsonDocument::fromJson(stored->json).object() : stored->entity;
}

QJsonObject specOf(const QJsonObject &entity)
{
    return entity.value(QLatin1String("spec")).toObject();
}

QStringList list(const QJsonValue &value)
{
    QStringList items;
    for (const QJsonValue &item : value.toArray())
        items.append(item.toString());
    return items;
}

// An RSA key pair for a GitHub App: the private key's PEM, and a verifier of the App's JWTs with the public half.
struct AppKey
{
    QString privatePem;
    std::shared_ptr<EVP_PKEY> key;

    static AppKey generate()
    {
        AppKey app;
        app.key.reset(EVP_RSA_gen(2048), &EVP_PKEY_free);
        BIO *bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey(bio, app.key.get(), nullptr, nullptr, 0, nullptr, nullptr);
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        app.privatePem = QString::fromLatin1(data, size);
        BIO_free(bio);
        return app;
    }
    bool verifies(const QByteArray &jwt) const
    {
        const QList<QByteArray> parts = jwt.split('.');
        if (parts.size() != 3)
            return false;
        const QByteArray input = parts[0] + '.' + parts[1];
        const QByteArray signature = QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding);
        EVP_MD_CTX *context = EVP_MD_CTX_new();
        const bool ok = EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key.get()) == 1
                        && EVP_DigestVerify(context, reinterpret_cast<const unsigned char *>(signature.constData()), size_t(signature.size()),
                                            reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size())) == 1;
        EVP_MD_CTX_free(context);
        return ok;
    }
};

} // namespace

class TestGitHubProviders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void orgMembersAndTeamsBecomeUsersAndGroups();
    void severalOrganisationsGetANamespaceEach();
    void aRenamedTeamAndARemovedMemberAreFollowed();
    void replicasRunAProviderOnce();
    void rateLimitsAreWaitedOut();
    void anExhaustedQuotaFailsTheRunAndKeepsTheCatalog();
    void aRunStopsAtItsTimeout();
    void appInstallationTokensAreUsedAndKept();
    void discoveryFiltersRepositories();
    void discoveredLocationsAreReadAndAFailingRepositoryIsOneError();
    void anUnchangedOrganisationCostsNoQuota();
    void topicFilterMatchesUpstream();

private:
    Ingest::GitHubIntegration integration() const
    {
        Ingest::GitHubIntegration github{m_github->host(), m_github->apiBaseUrl(), QString(), Token};
        return Ingest::GitHubIntegration::withDefaults({github}).first();
    }
    Ingest::GitHubClient::Options recordingWaits()
    {
        Ingest::GitHubClient::Options options;
        // Time passes while the client waits: the quota is back when it asks again.
        options.sleep = [this](std::chrono::milliseconds wait) {
            m_waits.append(qint64(wait.count() / 1000));
            m_github->organisations().setQuota(5000, QDateTime::currentSecsSinceEpoch() + 3600);
        };
        return options;
    }
    Ingest::GitHubOrgProviderConfig orgConfig(const QStringList &orgs = {QStringLiteral("acme")}) const
    {
        Ingest::GitHubOrgProviderConfig config;
        config.id = QStringLiteral("acme");
        config.githubUrl = QStringLiteral("http://") + m_github->host();
        config.orgs = orgs;
        return config;
    }

    Ingest::GitHubDiscoveryConfig acmeDiscovery() const
    {
        Ingest::GitHubDiscoveryConfig config;
        config.id = QStringLiteral("acme");
        config.organization = QStringLiteral("acme");
        config.host = m_github->host();
        return config;
    }
    // What the processing loop reads discovered locations with: the fake's integration for files and SCM annotations.
    Ingest::IngestOptions readingOptions() const
    {
        Ingest::IngestOptions options;
        options.urlReader.setGitHubIntegrations({integration()});
        options.scm = Ingest::ScmIntegrations::withDefaults({{Ingest::ScmIntegrations::Provider::GitHub, m_github->host(), QString()}});
        return options;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestSupport::FakeGitHub> m_github;
    QList<qint64> m_waits;
};

void TestGitHubProviders::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_github = std::make_unique<TestSupport::FakeGitHub>(m_dir->path(), Token);
    m_github->enableOrganisations().addOrganisation(acme());
    m_waits.clear();
}

void TestGitHubProviders::orgMembersAndTeamsBecomeUsersAndGroups()
{
    Ingest::GitHubOrgProviderConfig config = orgConfig();
    // Small pages, so every connection is followed by its cursor.
    config.organizationMembersPageSize = 2;
    config.teamsPageSize = 1;
    config.teamMembersPageSize = 2;
    Ingest::GitHubOrgReader reader(config, true);
    Ingest::GitHubClient client(integration(), recordingWaits());
    auto entities = reader.read(client);
    QVERIFY2(entities, qPrintable(entities ? QString() : entities.error().message));
    QCOMPARE(entities->size(), 6);
    QCOMPARE(m_github->organisations().counters().graphql.value(QStringLiteral("users")), 2);   // 3 members, pages of 2
    QCOMPARE(m_github->organisations().counters().graphql.value(QStringLiteral("teams")), 3);   // 3 teams, pages of 1
    // platform has 3 members, more than a page of 2: its own `members` query, paged.
    QCOMPARE(m_github->organisations().counters().graphql.value(QStringLiteral("members")), 2);

    QHash<QString, QJsonObject> byName;
    for (const QJsonObject &entity : entities.value())
        byName.insert(entity.value(QLatin1String("kind")).toString() + QLatin1Char(':') + entity[QLatin1String("metadata")][QLatin1String("name")].toString(), entity);
    const QJsonObject alice = byName.value(QStringLiteral("User:alice"));
    QCOMPARE(alice[QLatin1String("metadata")][QLatin1String("description")].toString(), QStringLiteral("Builds things"));
    QCOMPARE(specOf(alice)[QLatin1String("profile")].toObject(),
             (QJsonObject{{QStringLiteral("displayName"), QStringLiteral("Alice A")}, {QStringLiteral("email"), QStringLiteral("alice@acme.example")},
                          {QStringLiteral("picture"), QStringLiteral("https://avatars.example/alice")}}));
    QCOMPARE(list(specOf(alice)[QLatin1String("memberOf")]), QStringList{QStringLiteral("platform")});
    const QJsonObject annotations = alice[QLatin1String("metadata")][QLatin1String("annotations")].toObject();
    QCOMPARE(annotations.value(QLatin1String("github.com/user-login")).toString(), QStringLiteral("alice"));
    QCOMPARE(annotations.value(QLatin1String("github.com/user-id")).toString(), QStringLiteral("U_1"));
    QCOMPARE(annotations.value(QLatin1String("backstage.io/managed-by-location")).toString(),
             QStringLiteral("url:https://%1/alice").arg(m_github->host()));   // https even for an http githubUrl, as upstream
    // A login keeps its case; a user without name or email gets neither.
    const QJsonObject bob = byName.value(QStringLiteral("User:Bob"));
    QCOMPARE(specOf(bob)[QLatin1String("profile")].toObject(), QJsonObject());
    QVERIFY(!bob[QLatin1String("metadata")].toObject().contains(QLatin1String("description")));
    QCOMPARE(list(specOf(byName.value(QStringLiteral("User:carol")))[QLatin1String("memberOf")]),
             (QStringList{QStringLiteral("engineering"), QStringLiteral("platform")}));

    const QJsonObject engineering = byName.value(QStringLiteral("Group:engineering"));
    QVERIFY(!engineering[QLatin1String("metadata")].toObject().contains(QLatin1String("namespace")));   // one definition, one org
    QCOMPARE(specOf(engineering)[QLatin1String("type")].toString(), QStringLiteral("team"));
    QCOMPARE(list(specOf(engineering)[QLatin1String("children")]), (QStringList{QStringLiteral("platform"), QStringLiteral("web")}));
    QCOMPARE(engineering[QLatin1String("metadata")][QLatin1String("description")].toString(), QStringLiteral("All of engineering"));
    const QJsonObject platform = byName.value(QStringLiteral("Group:platform"));
    QCOMPARE(specOf(platform)[QLatin1String("parent")].toString(), QStringLiteral("engineering"));
    QCOMPARE(list(specOf(platform)[QLatin1String("members")]),
             (QStringList{QStringLiteral("default/alice"), QStringLiteral("default/Bob"), QStringLiteral("default/carol")}));
    QVERIFY(!platform[QLatin1String("metadata")].toObject().contains(QLatin1String("description")));   // empty: left out
    const QJsonObject platformAnnotations = platform[QLatin1String("metadata")][QLatin1String("annotations")].toObject();
    QCOMPARE(platformAnnotations.value(QLatin1String("github.com/team-slug")).toString(), QStringLiteral("acme/platform"));
    QCOMPARE(platformAnnotations.value(QLatin1String("backstage.io/edit-url")).toString(),
             QStringLiteral("http://%1/orgs/acme/teams/platform/edit").arg(m_github->host()));
    QCOMPARE(platformAnnotations.value(QLatin1String("backstage.io/managed-by-origin-location")).toString(),
             QStringLiteral("url:https://%1/orgs/acme/teams/platform").arg(m_github->host()));
    // An empty team keeps its empty member list.
    QCOMPARE(specOf(byName.value(QStringLiteral("Group:web")))[QLatin1String("members")].toArray(), QJsonArray());

    // The users query asked for emails (a token, not an App) and for the verified ones.
    bool askedEmail = false;
    for (const TestSupport::FakeGitHub::Call &call : m_github->callsTo(QStringLiteral("/api/graphql"))) {
        if (call.body[QLatin1String("query")].toString().startsWith(QLatin1String("query users")))
            askedEmail = call.body[QLatin1String("variables")][QLatin1String("email")].toBool();
    }
    QVERIFY(askedEmail);

    // useVerifiedEmails: the org-verified address, without its +tag.
    config.useVerifiedEmails = true;
    Ingest::GitHubOrgReader verified(config, true);
    auto again = verified.read(client);
    QVERIFY(again);
    for (const QJsonObject &entity : again.value()) {
        if (entity[QLatin1String("metadata")][QLatin1String("name")].toString() == QLatin1String("alice"))
            QCOMPARE(specOf(entity)[QLatin1String("profile")][QLatin1String("email")].toString(), QStringLiteral("alice@acme.example"));
    }
}

void TestGitHubProviders::severalOrganisationsGetANamespaceEach()
{
    FakeGitHubOrg::Organisation globex{QStringLiteral("Globex"), {}, {}, {}};
    globex.members = {{QStringLiteral("alice"), QStringLiteral("U_1"), QStringLiteral("Alice A"), QString(), QString(), QString(), {}}};
    globex.teams = {{QStringLiteral("platform"), QStringLiteral("Globex Platform"), QString(), QString(), {QStringLiteral("alice")}}};
    m_github->organisations().addOrganisation(globex);
    Ingest::GitHubOrgReader reader(orgConfig({QStringLiteral("acme"), QStringLiteral("Globex")}), false);
    Ingest::GitHubClient client(integration(), recordingWaits());
    auto entities = reader.read(client);
    QVERIFY2(entities, qPrintable(entities ? QString() : entities.error().message));
    QStringList groups;
    QJsonObject alice;
    for (const QJsonObject &entity : entities.value()) {
        const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
        if (entity.value(QLatin1String("kind")).toString() == QLatin1String("Group"))
            groups.append(metadata.value(QLatin1String("namespace")).toString() + QLatin1Char('/') + metadata.value(QLatin1String("name")).toString());
        else if (metadata.value(QLatin1String("name")).toString() == QLatin1String("alice"))
            alice = entity;
    }
    groups.sort();
    QCOMPARE(groups, (QStringList{QStringLiteral("acme/engineering"), QStringLiteral("acme/platform"), QStringLiteral("acme/web"),
                                  QStringLiteral("globex/platform")}));
    // One User for a member of both, in both organisations' teams.
    QCOMPARE(list(specOf(alice)[QLatin1String("memberOf")]), (QStringList{QStringLiteral("acme/platform"), QStringLiteral("globex/platform")}));

    // An organisation GitHub does not know fails the read, naming it.
    Ingest::GitHubOrgReader missing(orgConfig({QStringLiteral("initech")}), true);
    auto failed = missing.read(client);
    QVERIFY(!failed);
    QVERIFY2(failed.error().message.contains(QLatin1String("Could not resolve to an Organization with the login of 'initech'")),
             qPrintable(failed.error().message));
}

void TestGitHubProviders::aRenamedTeamAndARemovedMemberAreFollowed()
{
    auto store = Store::SqliteCatalogStore::open(QStringLiteral(":memory:"));
    QVERIFY(store);
    Ingest::ProcessingLoop loop(*store.value(), {});
    Ingest::GitHubProviders providers(*store.value(), loop, {integration()});
    providers.setClientOptions(recordingWaits());
    QVERIFY(providers.addOrg(orgConfig(), true));
    QSignalSpy ran(&providers, &Ingest::GitHubProviders::ran);
    const QString name = QStringLiteral("GithubMultiOrgEntityProvider:acme");
    providers.runNow(name);
    QVERIFY(ran.wait(10000));
    QVERIFY2(!ran.last().at(2).toBool(), qPrintable(ran.last().at(1).toString()));
    QVERIFY(!entityOf(*store.value(), QStringLiteral("group:default/platform")).isEmpty());
    QCOMPARE(list(specOf(entityOf(*store.value(), QStringLiteral("user:default/bob")))[QLatin1String("memberOf")]),
             QStringList{QStringLiteral("platform")});

    // On GitHub: platform becomes platform-team; Bob leaves the organisation (and so the team).
    FakeGitHubOrg::Organisation *org = m_github->organisations().organisation(QStringLiteral("acme"));
    org->teams[1].slug = QStringLiteral("platform-team");
    org->teams[1].members.removeAll(QStringLiteral("Bob"));
    org->members.removeAt(1);
    providers.runNow(name);
    QVERIFY(ran.wait(10000));
    QVERIFY2(!ran.last().at(2).toBool(), qPrintable(ran.last().at(1).toString()));
    QVERIFY(entityOf(*store.value(), QStringLiteral("group:default/platform")).isEmpty());
    QVERIFY(entityOf(*store.value(), QStringLiteral("user:default/bob")).isEmpty());
    const QJsonObject renamed = entityOf(*store.value(), QStringLiteral("group:default/platform-team"));
    QCOMPARE(list(specOf(renamed)[QLatin1String("members")]), (QStringList{QStringLiteral("default/alice"), QStringLiteral("default/carol")}));
    QCOMPARE(specOf(renamed)[QLatin1String("parent")].toString(), QStringLiteral("engineering"));
    QCOMPARE(list(specOf(entityOf(*store.value(), QStringLiteral("group:default/engineering")))[QLatin1String("children")]),
             (QStringList{QStringLiteral("platform-team"), QStringLiteral("web")}));
    QCOMPARE(list(specOf(entityOf(*store.value(), QStringLiteral("user:default/alice")))[QLatin1String("memberOf")]),
             QStringList{QStringLiteral("platform-team")});
}

void TestGitHubProviders::replicasRunAProviderOnce()
{
    // Two replicas on one PostgreSQL database (a cluster this test starts), each with the same provider.
    QString error;
    Tests::PgCluster *cluster = Tests::PgCluster::shared(&error);
    QVERIFY2(cluster, qPrintable(error));
    QVERIFY(cluster->createDatabase(QStringLiteral("github_replicas")).isEmpty());
    auto first = Store::PostgresCatalogStore::open(cluster->conninfo(QStringLiteral("github_replicas")));
    auto second = Store::PostgresCatalogStore::open(cluster->conninfo(QStringLiteral("github_replicas")));
    QVERIFY(first && second);
    Ingest::ProcessingLoop firstLoop(*first.value(), {}), secondLoop(*second.value(), {});
    Ingest::GitHubProviders one(*first.value(), firstLoop, {integration()}), other(*second.value(), secondLoop, {integration()});
    for (Ingest::GitHubProviders *providers : {&one, &other}) {
        providers->setClientOptions(recordingWaits());
        QVERIFY(providers->addOrg(orgConfig(), true));
    }
    one.setLeases(QStringLiteral("replica-one"));
    other.setLeases(QStringLiteral("replica-other"));
    QSignalSpy oneRan(&one, &Ingest::GitHubProviders::ran), otherRan(&other, &Ingest::GitHubProviders::ran);
    const QString name = QStringLiteral("GithubMultiOrgEntityProvider:acme");
    one.runNow(name);
    QVERIFY(oneRan.wait(10000));
    QVERIFY2(!oneRan.last().at(2).toBool(), qPrintable(oneRan.last().at(1).toString()));
    // The other replica finds the run taken: no GitHub request, and the entities are there for it too.
    other.runNow(name);
    QCOMPARE(otherRan.size(), 1);
    QVERIFY2(otherRan.last().at(1).toString().contains(QLatin1String("another replica runs it")), qPrintable(otherRan.last().at(1).toString()));
    QVERIFY(!entityOf(*second.value(), QStringLiteral("group:default/platform")).isEmpty());
    // The holder runs it again when it is due.
    one.runNow(name);
    QVERIFY(oneRan.wait(10000));
    QVERIFY2(oneRan.last().at(1).toString().contains(QLatin1String("entities read")), qPrintable(oneRan.last().at(1).toString()));
}

void TestGitHubProviders::rateLimitsAreWaitedOut()
{
    Ingest::GitHubOrgReader reader(orgConfig(), true);
    Ingest::GitHubClient client(integration(), recordingWaits());
    // The primary limit: nothing left until the reset, 30 s away.
    m_github->organisations().setQuota(0, QDateTime::currentSecsSinceEpoch() + 30);
    auto entities = reader.read(client);
    QVERIFY2(entities, qPrintable(entities ? QString() : entities.error().message));
    QCOMPARE(entities->size(), 6);
    QCOMPARE(m_waits.size(), 1);
    QVERIFY2(m_waits.first() >= 29 && m_waits.first() <= 32, qPrintable(QString::number(m_waits.first())));
    // A secondary limit: retry-after says how long.
    m_waits.clear();
    m_github->organisations().refuseWithSecondaryLimit(1, 7);
    QVERIFY(reader.read(client));
    QCOMPARE(m_waits, QList<qint64>{7});
    QCOMPARE(client.counters().rateLimitWaits, 2);
}

void TestGitHubProviders::anExhaustedQuotaFailsTheRunAndKeepsTheCatalog()
{
    auto store = Store::SqliteCatalogStore::open(QStringLiteral(":memory:"));
    QVERIFY(store);
    Ingest::ProcessingLoop loop(*store.value(), {});
    Ingest::GitHubProviders providers(*store.value(), loop, {integration()});
    Ingest::GitHubClient::Options options;
    options.sleep = [this](std::chrono::milliseconds wait) { m_waits.append(qint64(wait.count() / 1000)); };   // the quota stays gone
    providers.setClientOptions(options);
    QVERIFY(providers.addOrg(orgConfig(), true));
    QSignalSpy ran(&providers, &Ingest::GitHubProviders::ran);
    const QString name = QStringLiteral("GithubMultiOrgEntityProvider:acme");
    providers.runNow(name);
    QVERIFY(ran.wait(10000));
    QVERIFY(entityOf(*store.value(), QStringLiteral("user:default/alice")).size() > 0);

    m_github->organisations().setQuota(0, QDateTime::currentSecsSinceEpoch() + 60);
    providers.runNow(name);
    QVERIFY(ran.wait(10000));
    QVERIFY(ran.last().at(2).toBool());
    QVERIFY2(ran.last().at(1).toString().contains(QLatin1String("(rate limit exceeded)")), qPrintable(ran.last().at(1).toString()));
    QCOMPARE(m_waits.size(), 2);   // two retries, as upstream's throttling allows, then the run fails
    // Nothing was taken away.
    QVERIFY(entityOf(*store.value(), QStringLiteral("user:default/alice")).size() > 0);
    QVERIFY(entityOf(*store.value(), QStringLiteral("group:default/platform")).size() > 0);
}

void TestGitHubProviders::aRunStopsAtItsTimeout()
{
    auto store = Store::SqliteCatalogStore::open(QStringLiteral(":memory:"));
    QVERIFY(store);
    Ingest::ProcessingLoop loop(*store.value(), {});
    Ingest::GitHubProviders providers(*store.value(), loop, {integration()});
    providers.setClientOptions(recordingWaits());
    Ingest::GitHubOrgProviderConfig config = orgConfig();
    config.schedule = {std::chrono::minutes(30), std::chrono::seconds(20), {}};
    QVERIFY(providers.addOrg(config, true));
    QSignalSpy ran(&providers, &Ingest::GitHubProviders::ran);
    // The quota is back in 5 minutes, long after the run's 20 s: no wait, the run fails at once.
    m_github->organisations().setQuota(0, QDateTime::currentSecsSinceEpoch() + 300);
    providers.runNow(QStringLiteral("GithubMultiOrgEntityProvider:acme"));
    QVERIFY(ran.wait(10000));
    QVERIFY(ran.last().at(2).toBool());
    QVERIFY2(ran.last().at(1).toString().contains(QLatin1String("would pass the run's timeout")), qPrintable(ran.last().at(1).toString()));
    QVERIFY(m_waits.isEmpty());
    QVERIFY(entityOf(*store.value(), QStringLiteral("user:default/alice")).isEmpty());
}

void TestGitHubProviders::appInstallationTokensAreUsedAndKept()
{
    const AppKey key = AppKey::generate();
    FakeGitHubOrg &github = m_github->organisations();
    github.addApp({4242, 77, QStringLiteral("acme"), false});
    github.setJwtVerifier([&key](const QByteArray &jwt, qint64 appId) { return appId == 4242 && key.verifies(jwt); });
    Ingest::GitHubIntegration app{m_github->host(), m_github->apiBaseUrl(), QString(), QString()};   // no token: the App only
    app.apps = {{4242, key.privatePem, {}}};
    app = Ingest::GitHubIntegration::withDefaults({app}).first();
    QVERIFY(app.appTokens);

    // No orgs listed: every organisation the App is installed on.
    Ingest::GitHubOrgReader reader(orgConfig({}), true);
    Ingest::GitHubClient client(app, recordingWaits());
    auto entities = reader.read(client);
    QVERIFY2(entities, qPrintable(entities ? QString() : entities.error().message));
    QCOMPARE(entities->size(), 6);
    QCOMPARE(github.counters().tokensIssued, 1);
    QVERIFY(reader.read(client));
    QCOMPARE(github.counters().tokensIssued, 1);   // kept until 10 minutes before it expires
    // An App token: no email asked for (upstream asks only with a token).
    bool askedEmail = true;
    for (const TestSupport::FakeGitHub::Call &call : m_github->callsTo(QStringLiteral("/api/graphql"))) {
        if (call.body[QLatin1String("query")].toString().startsWith(QLatin1String("query users")))
            askedEmail = call.body[QLatin1String("variables")][QLatin1String("email")].toBool();
    }
    QVERIFY(!askedEmail);

    // Discovery by App: the organisations of that App's installations.
    github.organisation(QStringLiteral("acme"))->repositories = {repository(QStringLiteral("payments"))};
    Ingest::GitHubDiscoveryConfig discoveryConfig;
    discoveryConfig.id = QStringLiteral("by-app");
    discoveryConfig.app = 4242;
    discoveryConfig.host = m_github->host();
    Ingest::GitHubDiscovery discovery(discoveryConfig);
    auto locations = discovery.read(client);
    QVERIFY2(locations, qPrintable(locations ? QString() : locations.error().message));
    QCOMPARE(locations->size(), 1);
    // The location's file is read with the installation's token too (the integration has no other).
    Ingest::UrlReader files;
    files.setGitHubIntegrations({app});
    auto file = files.read(QUrl(locations->first().target));
    QVERIFY2(file, qPrintable(file ? QString() : file.error().message));
    QVERIFY(file->contains("name: payments"));
    QCOMPARE(github.counters().tokensIssued, 1);

    // A suspended installation is an error, not an anonymous read.
    github.addApp({5151, 78, QStringLiteral("globex"), true});
    Ingest::GitHubIntegration suspended{m_github->host(), m_github->apiBaseUrl(), QString(), QString()};
    suspended.apps = {{5151, key.privatePem, {}}};
    github.setJwtVerifier([&key](const QByteArray &jwt, qint64) { return key.verifies(jwt); });
    auto credential = Ingest::GitHubIntegration::withDefaults({suspended}).first().credentialFor(QStringLiteral("globex"));
    QVERIFY(!credential);
    QCOMPARE(credential.error().message, QStringLiteral("The GitHub application for globex is suspended"));

    // A key that is not the App's is refused by GitHub: the read fails with GitHub's words.
    const AppKey other = AppKey::generate();
    Ingest::GitHubIntegration forged{m_github->host(), m_github->apiBaseUrl(), QString(), QString()};
    forged.apps = {{4242, other.privatePem, {}}};
    auto refused = Ingest::GitHubIntegration::withDefaults({forged}).first().credentialFor(QStringLiteral("acme"));
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QLatin1String("401")), qPrintable(refused.error().message));
}

void TestGitHubProviders::discoveryFiltersRepositories()
{
    FakeGitHubOrg::Organisation *org = m_github->organisations().organisation(QStringLiteral("acme"));
    FakeGitHubOrg::Repository archived = repository(QStringLiteral("svc-archived"));
    archived.archived = true;
    FakeGitHubOrg::Repository fork = repository(QStringLiteral("svc-fork"), {QStringLiteral("backstage")});
    fork.fork = true;
    FakeGitHubOrg::Repository internal = repository(QStringLiteral("svc-internal"), {QStringLiteral("backstage")});
    internal.visibility = QStringLiteral("INTERNAL");
    FakeGitHubOrg::Repository empty = repository(QStringLiteral("svc-empty"), {QStringLiteral("backstage")}, false);
    empty.defaultBranch.clear();
    FakeGitHubOrg::Repository develop = repository(QStringLiteral("svc-develop"), {QStringLiteral("backstage")});
    develop.defaultBranch = QStringLiteral("develop");
    develop.files = {{QStringLiteral("develop:catalog-info.yaml"), componentYaml(develop.name)}};
    org->repositories = {repository(QStringLiteral("svc-payments"), {QStringLiteral("backstage")}),
                         repository(QStringLiteral("svc-legacy"), {QStringLiteral("backstage"), QStringLiteral("legacy")}),
                         repository(QStringLiteral("svc-nofile"), {QStringLiteral("backstage")}, false),
                         repository(QStringLiteral("website"), {QStringLiteral("backstage")}),
                         archived, fork, internal, empty, develop};
    Ingest::GitHubClient client(integration(), recordingWaits());
    const auto targets = [&](const Ingest::GitHubDiscoveryConfig &config) {
        Ingest::GitHubDiscovery discovery(config);
        auto found = discovery.read(client);
        QStringList names;
        for (const Model::LocationRef &location : found ? found.value() : QList<Model::LocationRef>()) {
            names.append(location.target.section(QLatin1Char('/'), 4));
            if (location.presence != QLatin1String("optional") || location.type != QLatin1String("url"))
                return QStringList{QStringLiteral("not an optional url location")};
        }
        return names;
    };
    Ingest::GitHubDiscoveryConfig config = acmeDiscovery();
    config.repositoriesPageSize = 2;   // pages followed
    // Defaults: archived and branchless repositories left out, forks kept, a missing file still a (optional) location.
    QCOMPARE(targets(config), (QStringList{QStringLiteral("svc-payments/blob/main/catalog-info.yaml"),
                                           QStringLiteral("svc-legacy/blob/main/catalog-info.yaml"),
                                           QStringLiteral("svc-nofile/blob/main/catalog-info.yaml"),
                                           QStringLiteral("website/blob/main/catalog-info.yaml"),
                                           QStringLiteral("svc-fork/blob/main/catalog-info.yaml"),
                                           QStringLiteral("svc-internal/blob/main/catalog-info.yaml"),
                                           QStringLiteral("svc-develop/blob/develop/catalog-info.yaml")}));
    QCOMPARE(m_github->organisations().counters().graphql.value(QStringLiteral("repositories")), 5);   // 9 repositories, pages of 2
    config.repository = QRegularExpression(QStringLiteral("^svc-.*$"));
    config.topicExclude = QStringList{QStringLiteral("legacy")};
    config.allowForks = false;
    config.visibility = {QStringLiteral("public")};
    config.validateLocationsExist = true;
    QCOMPARE(targets(config), (QStringList{QStringLiteral("svc-payments/blob/main/catalog-info.yaml"),
                                           QStringLiteral("svc-develop/blob/develop/catalog-info.yaml")}));
    // A branch named in the filter: the file on that branch, and the URL names it.
    config = acmeDiscovery();
    config.branch = QStringLiteral("develop");
    config.catalogPath = QStringLiteral("services/*/catalog-info.yaml");
    config.topicInclude = QStringList{QStringLiteral("legacy")};
    QCOMPARE(targets(config), QStringList{QStringLiteral("svc-legacy/blob/develop/services/*/catalog-info.yaml")});
    bool askedForBranch = false;
    for (const TestSupport::FakeGitHub::Call &call : m_github->callsTo(QStringLiteral("/api/graphql")))
        askedForBranch = askedForBranch
                         || call.body[QLatin1String("variables")][QLatin1String("catalogPathRef")].toString()
                                == QLatin1String("develop:services/*/catalog-info.yaml");
    QVERIFY(askedForBranch);
}

void TestGitHubProviders::discoveredLocationsAreReadAndAFailingRepositoryIsOneError()
{
    FakeGitHubOrg::Organisation *org = m_github->organisations().organisation(QStringLiteral("acme"));
    FakeGitHubOrg::Repository broken = repository(QStringLiteral("broken"));
    broken.files.insert(QStringLiteral("main:catalog-info.yaml"), "kind: Component\nmetadata: [oops\n");
    org->repositories = {repository(QStringLiteral("payments")), broken, repository(QStringLiteral("nofile"), {}, false),
                         repository(QStringLiteral("search"))};
    auto store = Store::SqliteCatalogStore::open(QStringLiteral(":memory:"));
    QVERIFY(store);
    Ingest::ProcessingLoop loop(*store.value(), readingOptions());
    Ingest::GitHubProviders providers(*store.value(), loop, {integration()});
    QVERIFY(providers.addDiscovery(acmeDiscovery()));
    QSignalSpy ran(&providers, &Ingest::GitHubProviders::ran);
    QSignalSpy idle(&loop, &Ingest::ProcessingLoop::idle);
    providers.runNow(QStringLiteral("github-provider:acme"));
    QVERIFY(ran.wait(10000));
    QVERIFY2(!ran.last().at(2).toBool(), qPrintable(ran.last().at(1).toString()));
    QVERIFY(QTest::qWaitFor([&] { return loop.isIdle() && !idle.isEmpty(); }, 20000));

    QVERIFY(!entityOf(*store.value(), QStringLiteral("component:default/payments")).isEmpty());
    QVERIFY(!entityOf(*store.value(), QStringLiteral("component:default/search")).isEmpty());
    const QString base = QStringLiteral("http://%1/acme/").arg(m_github->host());
    const QString payments = base + QStringLiteral("payments/blob/main/catalog-info.yaml");
    const QJsonObject location = entityOf(*store.value(), QStringLiteral("location:default/generated-")
                                                              + QString::fromLatin1(QCryptographicHash::hash((QStringLiteral("url:") + payments).toUtf8(),
                                                                                                            QCryptographicHash::Sha1).toHex()));
    QCOMPARE(specOf(location), (QJsonObject{{QStringLiteral("type"), QStringLiteral("url")}, {QStringLiteral("target"), payments},
                                            {QStringLiteral("presence"), QStringLiteral("optional")}}));
    const QJsonObject annotations = location[QLatin1String("metadata")][QLatin1String("annotations")].toObject();
    QCOMPARE(annotations.value(QLatin1String("backstage.io/view-url")).toString(), payments);
    QCOMPARE(annotations.value(QLatin1String("backstage.io/edit-url")).toString(), base + QStringLiteral("payments/edit/main/catalog-info.yaml"));
    QCOMPARE(annotations.value(QLatin1String("backstage.io/source-location")).toString(), QStringLiteral("url:") + base + QStringLiteral("payments/tree/main/"));
    // The missing file is no error (presence: optional); the broken one is its location's error alone.
    QVERIFY(store.value()->processingErrors(QStringLiteral("url:") + base + QStringLiteral("nofile/blob/main/catalog-info.yaml")).isEmpty());
    const QList<Store::ProcessingErrorRecord> errors = store.value()->processingErrors(QStringLiteral("url:") + base + QStringLiteral("broken/blob/main/catalog-info.yaml"));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().message.contains(QLatin1String("YAML")), qPrintable(errors.first().message));
    QCOMPARE(errors.first().line, 3);   // where the parser found the flow sequence unclosed

    // A repository gone from GitHub takes its location and entities with it.
    org->repositories.removeFirst();
    providers.runNow(QStringLiteral("github-provider:acme"));
    QVERIFY(ran.wait(10000));
    QVERIFY(QTest::qWaitFor([&] { return loop.isIdle(); }, 20000));
    QVERIFY(entityOf(*store.value(), QStringLiteral("component:default/payments")).isEmpty());
    QVERIFY(location.isEmpty() || entityOf(*store.value(), QStringLiteral("location:default/") + location[QLatin1String("metadata")][QLatin1String("name")].toString()).isEmpty());
    QVERIFY(!entityOf(*store.value(), QStringLiteral("component:default/search")).isEmpty());
}

void TestGitHubProviders::anUnchangedOrganisationCostsNoQuota()
{
    FakeGitHubOrg::Organisation *org = m_github->organisations().organisation(QStringLiteral("acme"));
    org->repositories.clear();
    for (int i = 0; i < 150; ++i)
        org->repositories.append(repository(QStringLiteral("svc-%1").arg(i, 3, 10, QLatin1Char('0'))));
    auto store = Store::SqliteCatalogStore::open(QStringLiteral(":memory:"));
    QVERIFY(store);
    const Ingest::IngestOptions options = readingOptions();
    Ingest::ProcessingLoop loop(*store.value(), options);
    Ingest::GitHubProviders providers(*store.value(), loop, {integration()});
    QVERIFY(providers.addDiscovery(acmeDiscovery()));
    QSignalSpy ran(&providers, &Ingest::GitHubProviders::ran);
    const QString name = QStringLiteral("github-provider:acme");
    providers.runNow(name);
    QVERIFY(ran.wait(10000));
    QVERIFY(QTest::qWaitFor([&] { return loop.isIdle(); }, 30000));
    QVERIFY(!entityOf(*store.value(), QStringLiteral("component:default/svc-149")).isEmpty());
    const FakeGitHubOrg::Counters first = m_github->organisations().counters();
    QCOMPARE(first.graphql.value(QStringLiteral("repositories")), 6);   // 150 repositories, pages of 25

    // Everything again: the provider and every location.
    providers.runNow(name);
    QVERIFY(ran.wait(10000));
    loop.scheduleAll();
    QVERIFY(QTest::qWaitFor([&] { return loop.isIdle(); }, 30000));
    const FakeGitHubOrg::Counters second = m_github->organisations().counters();
    QCOMPARE(second.graphql.value(QStringLiteral("repositories")), 6);   // no GraphQL: the repository list answered 304
    QCOMPARE(second.notModified - first.notModified, 2 + 150);         // 2 list pages + 150 files, all 304
    QCOMPARE(providers.client(name)->counters().notModified, 2);
    QCOMPARE(options.urlReader.conditionalCache().notModified(), 150);
    // A change (a new repository) is seen: the list's ETag differs, and GraphQL is asked again.
    org->repositories.append(repository(QStringLiteral("svc-new")));
    providers.runNow(name);
    QVERIFY(ran.wait(10000));
    QVERIFY(QTest::qWaitFor([&] { return loop.isIdle(); }, 30000));
    QCOMPARE(m_github->organisations().counters().graphql.value(QStringLiteral("repositories")), 13);
    QVERIFY(!entityOf(*store.value(), QStringLiteral("component:default/svc-new")).isEmpty());
}

void TestGitHubProviders::topicFilterMatchesUpstream()
{
    const QStringList none;
    const QStringList tagged{QStringLiteral("backstage"), QStringLiteral("java")};
    const std::optional<QStringList> unset;
    const std::optional<QStringList> backstage = QStringList{QStringLiteral("backstage")};
    const std::optional<QStringList> java = QStringList{QStringLiteral("java")};
    const std::optional<QStringList> empty = QStringList{};
    QVERIFY(Ingest::satisfiesTopicFilter(none, unset, unset));
    QVERIFY(Ingest::satisfiesTopicFilter(tagged, backstage, unset));
    QVERIFY(!Ingest::satisfiesTopicFilter(none, backstage, unset));
    QVERIFY(!Ingest::satisfiesTopicFilter(tagged, unset, java));
    QVERIFY(Ingest::satisfiesTopicFilter(none, unset, java));
    QVERIFY(!Ingest::satisfiesTopicFilter(tagged, backstage, java));   // excluded wins
    QVERIFY(Ingest::satisfiesTopicFilter(tagged, empty, empty));       // empty lists filter nothing
    QVERIFY(!Ingest::satisfiesTopicFilter(none, backstage, empty));
}

QTEST_GUILESS_MAIN(TestGitHubProviders)
#include "tst_githubproviders.moc"
