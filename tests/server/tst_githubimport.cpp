// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// A real greenroom-server importing an organisation from the fake GitHub
// with Backstage's config keys (catalog.providers.githubOrg and
// catalog.providers.github): its people, teams and repositories' catalog
// files appear in the catalog API; a provider config Backstage refuses is
// refused at start with Backstage's words.
#include "fakegithub.h"
#include "serverprocess.h"
#include "testfiles.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::TestSupport;
using DemoServices::FakeGitHubOrg;

namespace {

const QString Token = QStringLiteral("import-token");

QByteArray componentYaml(const QString &name, const QString &owner)
{
    return QStringLiteral("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %1\nspec:\n  type: service\n"
                          "  lifecycle: production\n  owner: %2\n").arg(name, owner).toUtf8();
}

} // namespace

class TestGitHubImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void anOrganisationIsImported();
    void providerConfigBackstageRefusesIsRefused_data();
    void providerConfigBackstageRefusesIsRefused();

private:
    QByteArray config(const QByteArray &providers) const
    {
        return QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                              "integrations:\n  github:\n    - host: %1\n      apiBaseUrl: %2\n      token: %3\n"
                              "catalog:\n  rules: [{allow: [Component, Location, Group, User]}]\n")
                   .arg(m_github->host(), m_github->apiBaseUrl(), Token)
                   .toUtf8()
               + providers;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeGitHub> m_github;
};

void TestGitHubImport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_github = std::make_unique<FakeGitHub>(QDir(m_dir->path()).filePath(QStringLiteral("github")), Token);
    FakeGitHubOrg::Organisation acme{QStringLiteral("acme"), {}, {}, {}};
    acme.members = {{QStringLiteral("alice"), QStringLiteral("U_1"), QStringLiteral("Alice A"), QString(), QStringLiteral("alice@acme.example"), QString(), {}},
                    {QStringLiteral("bob"), QStringLiteral("U_2"), QStringLiteral("Bob B"), QString(), QString(), QString(), {}}};
    acme.teams = {{QStringLiteral("engineering"), QStringLiteral("Engineering"), QString(), QString(), {}},
                  {QStringLiteral("platform"), QStringLiteral("Platform"), QString(), QStringLiteral("engineering"), {QStringLiteral("alice"), QStringLiteral("bob")}}};
    FakeGitHubOrg::Repository payments;
    payments.name = QStringLiteral("svc-payments");
    payments.files.insert(QStringLiteral("main:catalog-info.yaml"), componentYaml(QStringLiteral("payments"), QStringLiteral("group:default/platform")));
    FakeGitHubOrg::Repository website;
    website.name = QStringLiteral("website");   // left out by filters.repository
    website.files.insert(QStringLiteral("main:catalog-info.yaml"), componentYaml(QStringLiteral("website"), QStringLiteral("platform")));
    acme.repositories = {payments, website};
    m_github->enableOrganisations().addOrganisation(acme);
}

void TestGitHubImport::anOrganisationIsImported()
{
    const QDir dir(m_dir->path());
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")),
              config(QStringLiteral("  providers:\n"
                                    "    githubOrg:\n      id: acme\n      githubUrl: http://%1\n      orgs: [acme]\n"
                                    "      schedule: {frequency: {minutes: 30}, timeout: {minutes: 3}}\n"
                                    "    github:\n      acme:\n        organization: acme\n        host: %1\n"
                                    "        filters: {repository: 'svc-.*'}\n"
                                    "        schedule: {frequency: {minutes: 30}, timeout: {minutes: 3}}\n")
                         .arg(m_github->host())
                         .toUtf8()));
    ServerProcess server;
    QVERIFY2(server.start(dir.path()), server.output().constData());
    // The providers run in the background: wait for what they bring.
    QVERIFY2(QTest::qWaitFor([&] { return server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/payments")).status == 200; },
                             20000),
             server.output().constData());
    const auto platform = server.request("GET", QStringLiteral("/api/catalog/entities/by-name/group/default/platform"));
    QCOMPARE(platform.status, 200);
    QCOMPARE(platform.json()[QLatin1String("spec")][QLatin1String("parent")].toString(), QStringLiteral("engineering"));
    QCOMPARE(platform.json()[QLatin1String("spec")][QLatin1String("members")].toArray(),
             (QJsonArray{QStringLiteral("default/alice"), QStringLiteral("default/bob")}));
    QStringList relations;
    for (const QJsonValue &relation : platform.json()[QLatin1String("relations")].toArray())
        relations.append(relation[QLatin1String("type")].toString() + QLatin1Char(' ') + relation[QLatin1String("targetRef")].toString());
    relations.sort();
    QCOMPARE(relations, (QStringList{QStringLiteral("childOf group:default/engineering"), QStringLiteral("hasMember user:default/alice"),
                                     QStringLiteral("hasMember user:default/bob"), QStringLiteral("ownerOf component:default/payments")}));
    const auto alice = server.request("GET", QStringLiteral("/api/catalog/entities/by-name/user/default/alice"));
    QCOMPARE(alice.status, 200);
    QCOMPARE(alice.json()[QLatin1String("spec")][QLatin1String("profile")][QLatin1String("email")].toString(), QStringLiteral("alice@acme.example"));
    QCOMPARE(alice.json()[QLatin1String("spec")][QLatin1String("memberOf")].toArray(), QJsonArray{QStringLiteral("platform")});
    QCOMPARE(server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/website")).status, 404);
    const QByteArray output = server.output();
    QVERIFY2(output.contains("catalog: GithubMultiOrgEntityProvider:acme: 4 entities read"), output.constData());
    QVERIFY2(output.contains("catalog: github-provider:acme: 1 matching location(s)"), output.constData());
    QVERIFY2(!output.contains(Token.toUtf8()), "the token is never logged");
}

void TestGitHubImport::providerConfigBackstageRefusesIsRefused_data()
{
    QTest::addColumn<QByteArray>("providers");
    QTest::addColumn<QString>("message");
    QTest::newRow("no organization or app")
        << QByteArray("  providers:\n    github:\n      acme:\n        catalogPath: /catalog-info.yaml\n")
        << QStringLiteral("Error while processing GitHub provider config. Either organization or app must be specified.");
    QTest::newRow("slash in branch")
        << QByteArray("  providers:\n    github:\n      organization: acme\n      filters: {branch: release/1}\n")
        << QStringLiteral("Error while processing GitHub provider config. Slash characters (/) are not allowed in filters.branch");
    QTest::newRow("wildcard with validation")
        << QByteArray("  providers:\n    github:\n      acme:\n        organization: acme\n        catalogPath: '**/catalog-info.yaml'\n"
                      "        validateLocationsExist: true\n")
        << QStringLiteral("The catalog path **/catalog-info.yaml contains a wildcard, which is incompatible with validation of locations");
    QTest::newRow("host without integration")
        << QByteArray("  providers:\n    github:\n      acme:\n        organization: acme\n        host: ghe.example.com\n")
        << QStringLiteral("There is no GitHub config that matches host ghe.example.com. Please add a configuration entry for it under integrations.github");
    QTest::newRow("org url without integration")
        << QByteArray("  providers:\n    githubOrg:\n      id: x\n      githubUrl: https://ghe.example.com\n"
                      "      schedule: {frequency: {minutes: 30}, timeout: {minutes: 3}}\n")
        << QStringLiteral("There is no GitHub integration that matches https://ghe.example.com. Please add a configuration entry for it under integrations.github.");
    QTest::newRow("org without schedule")
        << QByteArray("  providers:\n    githubOrg:\n      - id: x\n        githubUrl: https://github.com\n")
        << QStringLiteral("catalog.providers.githubOrg[0].schedule");
}

void TestGitHubImport::providerConfigBackstageRefusesIsRefused()
{
    QFETCH(QByteArray, providers);
    QFETCH(QString, message);
    const QDir dir(m_dir->path());
    writeFile(dir.filePath(QStringLiteral("app-config.yaml")), config(providers));
    ServerProcess server;
    QVERIFY(!server.start(dir.path()));
    QVERIFY2(QString::fromUtf8(server.output()).contains(message), server.output().constData());
    QCOMPARE(server.process().exitCode(), 3);   // ExitFailure: the config stops start-up
}

QTEST_GUILESS_MAIN(TestGitHubImport)
#include "tst_githubimport.moc"
