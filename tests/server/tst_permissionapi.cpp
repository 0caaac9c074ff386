// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// POST /api/permission/authorize in process: the policy decides for the
// calling user; conditional decisions about an entity are evaluated on it;
// the refusals Backstage makes (services, users without a resourceRef).
#include "auth/authroutes.h"
#include "http/router.h"
#include <store/sqlitecatalogstore.h>

#include "storewrites.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Server;

namespace {

const char *const Policy = R"(defaultDecision: allow
rules:
  - match: {permission: catalog.entity.delete}
    if: {groups: [group:default/platform-team]}
    decision: allow
  - match: {permission: catalog.entity.delete}
    decision: deny
  - match: {permission: catalog.entity.read}
    decision: conditional
    conditions: {rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: {claims: $user.ent}}
)";

Auth::Principal user(const char *ref, const char *group)
{
    Auth::Principal principal;
    principal.type = Auth::Principal::Type::User;
    principal.subject = QString::fromLatin1(ref);
    principal.ownershipRefs = {QString::fromLatin1(ref), QString::fromLatin1(group)};
    return principal;
}

QJsonObject item(const char *id, const char *permission, const char *resourceRef = nullptr)
{
    QJsonObject json{{QStringLiteral("id"), QLatin1String(id)},
                     {QStringLiteral("permission"), Auth::permissionNamed(QLatin1String(permission))->toJson()}};
    if (resourceRef)
        json.insert(QStringLiteral("resourceRef"), QLatin1String(resourceRef));
    return json;
}

} // namespace

class TestPermissionApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void theUsersPolicyDecides();
    void refusalsAreBackstages();

private:
    std::pair<int, QJsonObject> authorize(const Auth::Principal &principal, const QJsonArray &items);
    QTemporaryDir m_dir;
    std::unique_ptr<Store::SqliteCatalogStore> m_store;
    std::optional<Auth::Authorizer> m_authorizer;
    Router m_router;
};

void TestPermissionApi::initTestCase()
{
    auto store = Store::SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("c.db")));
    QVERIFY(store);
    m_store = std::move(store).value();
    const QString origin = QStringLiteral("file:/org.yaml");
    QList<Store::EntityWrite> writes;
    for (const char *text : {R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"ledger"},"spec":{"type":"service","lifecycle":"production","owner":"payments"}})",
                             R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"cart"},"spec":{"type":"service","lifecycle":"production","owner":"shop"}})"})
        writes.append(Tests::processedEntity(QJsonDocument::fromJson(text).object(), origin));
    QVERIFY(m_store->applyLocation(Tests::locationWrite(writes, origin)));
    auto policy = Auth::PermissionPolicy::parse(Policy, QStringLiteral("permissions.yaml"));
    QVERIFY2(policy, qPrintable(policy ? QString() : policy.error().message));
    m_authorizer.emplace(std::move(policy).value());
    addPermissionRoutes(m_router, *m_authorizer, *m_store);
}

std::pair<int, QJsonObject> TestPermissionApi::authorize(const Auth::Principal &principal, const QJsonArray &items)
{
    HttpRequest request;
    request.method = "POST";
    request.path = QStringLiteral("/api/permission/authorize");
    request.rawTarget = request.path.toLatin1();
    request.segments = {QStringLiteral("api"), QStringLiteral("permission"), QStringLiteral("authorize")};
    request.headers.insert("content-type", "application/json");
    request.body = QJsonDocument(QJsonObject{{QStringLiteral("items"), items}}).toJson(QJsonDocument::Compact);
    request.principal = principal;
    const std::optional<HttpResponse> response = m_router.dispatch(request);
    if (!response)
        return {0, {}};
    return {response->status, QJsonDocument::fromJson(response->body).object()};
}

void TestPermissionApi::theUsersPolicyDecides()
{
    const Auth::Principal jane = user("user:default/jane", "group:default/payments");
    const auto [status, body] = authorize(jane, {item("1", "catalog.entity.read", "component:default/ledger"),
                                                 item("2", "catalog.entity.read", "component:default/cart"),
                                                 item("3", "catalog.entity.read", "component:default/missing"),
                                                 item("4", "catalog.entity.delete", "component:default/ledger"),
                                                 item("5", "catalog.entity.create")});
    QCOMPARE(status, 200);
    QCOMPARE(body, QJsonDocument::fromJson(R"({"items":[{"id":"1","result":"ALLOW"},{"id":"2","result":"DENY"},{"id":"3","result":"DENY"},
                                                         {"id":"4","result":"DENY"},{"id":"5","result":"ALLOW"}]})").object());
    // The seed's rule: platform-team may delete.
    const auto [patStatus, pat] = authorize(user("user:default/pat", "group:default/platform-team"),
                                            {item("d", "catalog.entity.delete", "component:default/ledger")});
    QCOMPARE(patStatus, 200);
    QCOMPARE(pat.value(QLatin1String("items")).toArray().first()[QLatin1String("result")].toString(), QStringLiteral("ALLOW"));
}

void TestPermissionApi::refusalsAreBackstages()
{
    const auto [direct, directBody] = authorize(user("user:default/jane", "group:default/payments"), {item("1", "catalog.entity.read")});
    QCOMPARE(direct, 400);
    QCOMPARE(directBody[QLatin1String("error")][QLatin1String("message")].toString(),
             QStringLiteral("Direct user requests without a resourceRef are not allowed"));
    Auth::Principal service;
    service.type = Auth::Principal::Type::Service;
    service.subject = QStringLiteral("ci");
    const auto [forbidden, forbiddenBody] = authorize(service, {item("1", "catalog.entity.create")});
    QCOMPARE(forbidden, 403);
    QCOMPARE(forbiddenBody[QLatin1String("error")][QLatin1String("message")].toString(),
             QStringLiteral("This endpoint does not allow 'service' credentials"));
    // No credentials (a server without tokens): decided as a guest, who owns nothing.
    const auto [guestStatus, guest] = authorize(Auth::Principal(), {item("1", "catalog.entity.create"),
                                                                    item("2", "catalog.entity.read", "component:default/ledger"),
                                                                    item("3", "catalog.entity.delete", "component:default/ledger")});
    QCOMPARE(guestStatus, 200);
    QCOMPARE(guest, QJsonDocument::fromJson(R"({"items":[{"id":"1","result":"ALLOW"},{"id":"2","result":"DENY"},{"id":"3","result":"DENY"}]})").object());
}

QTEST_GUILESS_MAIN(TestPermissionApi)
#include "tst_permissionapi.moc"
