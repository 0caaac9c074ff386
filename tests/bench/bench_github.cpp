// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// GitHub providers against the fake GitHub on loopback: a 2,000-repository
// organisation discovered and every catalog file read, then read again
// unchanged. Prints the quota each pass used (the fake counts it as GitHub
// does: every answer but a 304) and how long each took; the target is an
// unchanged re-read that costs no quota beyond conditional requests. Also
// the org provider's passes (GraphQL has no conditional requests: it
// costs the same each time).
#include "benchoutput.h"
#include "fakegithub.h"

#include <ingest/githubproviders.h>
#include <ingest/processingloop.h>
#include <store/sqlitecatalogstore.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QEventLoop>

using namespace Greenroom;
using DemoServices::FakeGitHubOrg;

namespace {

const QString Token = QStringLiteral("bench-token");

FakeGitHubOrg::Organisation organisation(int repositories, int members, int teams)
{
    FakeGitHubOrg::Organisation org{QStringLiteral("bigco"), {}, {}, {}};
    for (int i = 0; i < members; ++i)
        org.members.append({QStringLiteral("user-%1").arg(i), QStringLiteral("U_%1").arg(i), QStringLiteral("User %1").arg(i), QString(),
                            QStringLiteral("user-%1@bigco.example").arg(i), QString(), {}});
    for (int t = 0; t < teams; ++t) {
        FakeGitHubOrg::Team team{QStringLiteral("team-%1").arg(t), QStringLiteral("Team %1").arg(t), QString(),
                                 t == 0 ? QString() : QStringLiteral("team-0"), {}};
        for (int i = t; i < members; i += teams)
            team.members.append(QStringLiteral("user-%1").arg(i));
        org.teams.append(team);
    }
    for (int i = 0; i < repositories; ++i) {
        FakeGitHubOrg::Repository repo;
        repo.name = QStringLiteral("svc-%1").arg(i, 4, 10, QLatin1Char('0'));
        repo.topics = {QStringLiteral("backstage")};
        repo.files.insert(QStringLiteral("main:catalog-info.yaml"),
                          QStringLiteral("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %1\n  description: Service %1\n"
                                         "spec:\n  type: service\n  lifecycle: production\n  owner: team-%2\n")
                              .arg(repo.name).arg(i % teams).toUtf8());
        org.repositories.append(repo);
    }
    return org;
}

int quotaUsed(const FakeGitHubOrg::Counters &before, const FakeGitHubOrg::Counters &after)
{
    int graphql = 0;
    for (auto it = after.graphql.cbegin(); it != after.graphql.cend(); ++it)
        graphql += it.value() - before.graphql.value(it.key());
    return graphql + (after.rest - before.rest) - (after.notModified - before.notModified);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int repositories = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 2000;
    QTemporaryDir dir;
    TestSupport::FakeGitHub github(dir.path(), Token);
    FakeGitHubOrg &fake = github.enableOrganisations();
    fake.addOrganisation(organisation(repositories, 500, 25));

    auto store = Store::SqliteCatalogStore::open(QStringLiteral(":memory:"));
    if (!store)
        Bench::die(store.error().message);
    const Ingest::GitHubIntegration integration =
        Ingest::GitHubIntegration::withDefaults({{github.host(), github.apiBaseUrl(), QString(), Token}}).first();
    Ingest::IngestOptions options;
    options.urlReader.setGitHubIntegrations({integration});
    Ingest::ProcessingLoop loop(*store.value(), options);
    Ingest::GitHubProviders providers(*store.value(), loop, {integration});
    Ingest::GitHubDiscoveryConfig discovery;
    discovery.id = QStringLiteral("bigco");
    discovery.organization = QStringLiteral("bigco");
    discovery.host = github.host();
    Ingest::GitHubOrgProviderConfig org;
    org.id = QStringLiteral("bigco");
    org.githubUrl = QStringLiteral("http://") + github.host();
    org.orgs = {QStringLiteral("bigco")};
    if (!providers.addDiscovery(discovery) || !providers.addOrg(org, true))
        Bench::die(QStringLiteral("cannot add the providers"));
    int runs = 0;
    QString lastSummary;
    bool lastFailed = false;
    QObject::connect(&providers, &Ingest::GitHubProviders::ran, [&](const QString &, const QString &summary, bool failed) {
        ++runs;
        lastSummary = summary;
        lastFailed = failed;
    });

    const auto pass = [&](const QString &provider, bool readLocations) {
        const FakeGitHubOrg::Counters counted = fake.counters();
        QElapsedTimer timer;
        timer.start();
        const int before = runs;
        // Waited for with an event loop, not QTest::qWaitFor, whose 10 ms
        // naps would stall the fake GitHub (it answers on this thread).
        QEventLoop waiting;
        QObject::connect(&providers, &Ingest::GitHubProviders::ran, &waiting, &QEventLoop::quit);
        providers.runNow(provider);
        waiting.exec();
        if (runs == before || lastFailed)
            Bench::die(runs == before ? provider + QStringLiteral(" did not finish") : lastSummary);
        if (readLocations) {
            QEventLoop reading;
            QObject::connect(&loop, &Ingest::ProcessingLoop::idle, &reading, &QEventLoop::quit);
            loop.scheduleAll();
            if (!loop.isIdle())
                reading.exec();
        }
        const FakeGitHubOrg::Counters after = fake.counters();
        return std::tuple(timer.elapsed(), quotaUsed(counted, after), after.notModified - counted.notModified);
    };
    const QString discoveryName = QStringLiteral("github-provider:bigco");
    const auto [firstMs, firstQuota, firstNotModified] = pass(discoveryName, true);
    if (!store.value()->entityByRef(QStringLiteral("component:default/svc-%1").arg(repositories - 1, 4, 10, QLatin1Char('0'))))
        Bench::die(QStringLiteral("the last repository's component is missing"));
    const auto [againMs, againQuota, againNotModified] = pass(discoveryName, true);
    Bench::out() << "discovery of " << repositories << " repositories, every catalog file read:" << Qt::endl;
    Bench::out() << "  first pass:      " << firstMs << " ms, quota used " << firstQuota << Qt::endl;
    Bench::out() << "  unchanged again: " << againMs << " ms, quota used " << againQuota << " (" << againNotModified
                 << " conditional requests answered 304), time ratio " << QString::number(double(againMs) / double(std::max<qint64>(firstMs, 1)), 'f', 2)
                 << (againQuota == 0 ? "  target met: no quota" : "  TARGET MISSED") << Qt::endl;

    const QString orgName = QStringLiteral("GithubMultiOrgEntityProvider:bigco");
    const auto [orgMs, orgQuota, orgNotModified] = pass(orgName, false);
    const auto [orgAgainMs, orgAgainQuota, orgAgainNotModified] = pass(orgName, false);
    Q_UNUSED(orgNotModified);
    Q_UNUSED(orgAgainNotModified);
    Bench::out() << "org provider, 500 members in 25 teams:" << Qt::endl;
    Bench::out() << "  first pass:      " << orgMs << " ms, GraphQL queries " << orgQuota << Qt::endl;
    Bench::out() << "  unchanged again: " << orgAgainMs << " ms, GraphQL queries " << orgAgainQuota
                 << " (GraphQL has no conditional requests; upstream costs the same)" << Qt::endl;
    return 0;
}
