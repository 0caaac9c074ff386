// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The sync feed as the security boundary of offline clients, end to end:
// two people sign in (GitHub, through the fake GitHub) to a real
// greenroom-server with a permission policy, and two real desktop sync
// clients fill two cache files. Each cache holds only what its user may
// read; an entity that changes owner leaves one cache and arrives in the
// other; when a user's groups change, their refreshed token reconciles
// their cache without emptying it.
#include <signinbrowser.h>
#include <signinserver.h>

#include <store/sqlitecatalogstore.h>
#include <sync/syncclient.h>

#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::TestSupport;
using Sync::SyncClient;
using Sync::SyncStatus;

namespace {

QByteArray catalog(const QString &ledgerOwner, const QString &bobsGroups)
{
    QByteArray yaml;
    for (const char *group : {"payments", "shop"})
        yaml += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: %1}\nspec: {type: team, children: []}\n")
                    .arg(QLatin1String(group)).toUtf8();
    yaml += "---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: jane}\nspec: {memberOf: [payments]}\n";
    yaml += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: bob}\nspec: {memberOf: [%1]}\n").arg(bobsGroups).toUtf8();
    for (const auto &[name, owner] : {std::pair{QStringLiteral("ledger"), ledgerOwner}, std::pair{QStringLiteral("invoices"), QStringLiteral("payments")},
                                      std::pair{QStringLiteral("cart"), QStringLiteral("shop")}})
        yaml += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %1}\n"
                               "spec: {type: service, lifecycle: production, owner: %2}\n").arg(name, owner).toUtf8();
    return yaml;
}

} // namespace

class TestPermissionSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { m_server.reportIfTestFailed(); }
    void eachCacheHoldsWhatItsUserMayRead();
    void anEntityChangingOwnerMovesBetweenCaches();
    void changedGroupsReconcileTheCache();

private:
    std::unique_ptr<SyncClient> client(const QString &cache, const QString &token);
    QStringList components(const QString &cache);

    QTemporaryDir m_dir;
    SignInServer m_fixture;
    ServerProcess &m_server = m_fixture.server();
    QJsonObject m_jane;
    QJsonObject m_bob;
    std::unique_ptr<SyncClient> m_janeClient;
    std::unique_ptr<SyncClient> m_bobClient;
};

void TestPermissionSync::initTestCase()
{
    const QByteArray policy = "defaultDecision: allow\nrules:\n  - match: {permission: catalog.entity.read}\n    decision: conditional\n"
                              "    conditions:\n      anyOf:\n"
                              "        - {rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: {claims: $user.ent}}\n"
                              "        - {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: [Group, User]}}\n";
    QVERIFY2(m_fixture.start(m_dir.path(), catalog(QStringLiteral("payments"), QStringLiteral("shop")), policy), m_server.output().constData());
    m_fixture.accounts().addAccount({QStringLiteral("jane"), 1, QStringLiteral("Jane"), QStringLiteral("jane@example.com")});
    m_fixture.accounts().addAccount({QStringLiteral("bob"), 2, QStringLiteral("Bob"), QStringLiteral("bob@example.com")});
    QString error;
    m_jane = signInAs(m_server.base(), m_fixture.github().host(), QStringLiteral("jane"), &error);
    QVERIFY2(!m_jane.isEmpty(), qPrintable(error));
    m_bob = signInAs(m_server.base(), m_fixture.github().host(), QStringLiteral("bob"), &error);
    QVERIFY2(!m_bob.isEmpty(), qPrintable(error));
}

std::unique_ptr<SyncClient> TestPermissionSync::client(const QString &cache, const QString &token)
{
    SyncClient::Options options;
    options.waitSeconds = 2;
    options.firstRetryMs = 100;
    options.maxRetryMs = 400;
    Sync::ServerProfile profile{QStringLiteral("test"), QUrl(m_server.base()), token, Sync::ServerProfile::Kind::Greenroom};
    auto sync = std::make_unique<SyncClient>(profile, m_dir.filePath(cache), options);
    sync->start();
    return sync;
}

QStringList TestPermissionSync::components(const QString &cache)
{
    auto store = Store::SqliteCatalogStore::open(m_dir.filePath(cache));
    if (!store)
        return {QStringLiteral("cannot open: ") + store.error().message};
    Store::EntityQuery query;
    query.filter.anyOf.append({Model::EntityFilter::Condition{QStringLiteral("kind"), {QStringLiteral("component")}}});
    query.order = {{QStringLiteral("metadata.name"), false}};
    const auto page = store.value()->queryEntities(query);
    QStringList names;
    for (const Store::StoredEntity &entity : page->items)
        names << entity.ref.section(QLatin1Char('/'), 1);
    return names;
}

void TestPermissionSync::eachCacheHoldsWhatItsUserMayRead()
{
    m_janeClient = client(QStringLiteral("jane.sqlite"), m_jane[QLatin1String("access_token")].toString());
    m_bobClient = client(QStringLiteral("bob.sqlite"), m_bob[QLatin1String("access_token")].toString());
    QTRY_COMPARE_WITH_TIMEOUT(m_janeClient->status().state, SyncStatus::State::Synced, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(m_bobClient->status().state, SyncStatus::State::Synced, 30000);
    QCOMPARE(components(QStringLiteral("jane.sqlite")), (QStringList{"invoices", "ledger"}));
    QCOMPARE(components(QStringLiteral("bob.sqlite")), (QStringList{"cart"}));
    // Both see the people and teams.
    auto bobs = Store::SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("bob.sqlite")));
    QVERIFY(bobs && bobs.value()->entityByRef(QStringLiteral("user:default/jane")));
}

void TestPermissionSync::anEntityChangingOwnerMovesBetweenCaches()
{
    writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")), catalog(QStringLiteral("shop"), QStringLiteral("shop")));
    QTRY_COMPARE_WITH_TIMEOUT(components(QStringLiteral("jane.sqlite")), (QStringList{"invoices"}), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(components(QStringLiteral("bob.sqlite")), (QStringList{"cart", "ledger"}), 30000);
}

void TestPermissionSync::changedGroupsReconcileTheCache()
{
    // Bob joins payments. His current token still says shop only; the
    // refreshed one carries his groups as the catalog now has them.
    writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")), catalog(QStringLiteral("shop"), QStringLiteral("shop, payments")));
    QTRY_VERIFY_WITH_TIMEOUT(m_server.request("GET", QStringLiteral("/api/catalog/entities/by-name/user/default/bob"))
                                 .body.contains("group:default/payments"),
                             30000);
    QCOMPARE(components(QStringLiteral("bob.sqlite")), (QStringList{"cart", "ledger"}));
    QNetworkAccessManager network;
    auto [status, renewed] = postJson(network, QUrl(m_server.base() + QStringLiteral("/api/auth/v1/token")),
                                      {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                       {QStringLiteral("refresh_token"), m_bob[QLatin1String("refresh_token")].toString()}});
    QCOMPARE(status, 200);
    m_bobClient.reset();
    m_bobClient = client(QStringLiteral("bob.sqlite"), renewed[QLatin1String("access_token")].toString());
    // While it reconciles, the cache keeps what it had; then it has payments' too.
    QVERIFY(components(QStringLiteral("bob.sqlite")).contains(QStringLiteral("cart")));
    QTRY_COMPARE_WITH_TIMEOUT(components(QStringLiteral("bob.sqlite")), (QStringList{"cart", "invoices", "ledger"}), 30000);
    // Jane's cache is untouched by bob's changes.
    QCOMPARE(components(QStringLiteral("jane.sqlite")), (QStringList{"invoices"}));
}

QTEST_GUILESS_MAIN(TestPermissionSync)
#include "tst_permissionsync.moc"
