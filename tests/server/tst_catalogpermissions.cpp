// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The catalog's routes under a permission policy, in process: what a denied
// read answers on each route (empty, nulls, 404, 403, as upstream's
// Authorized* services), a conditional read applied inside the store's
// query (totals and cursors over the admitted entities only), the seed's
// delete rule, and services and guests.
#include "catalog/catalogroutes.h"
#include "http/router.h"
#include <store/sqlitecatalogstore.h>

#include "storewrites.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

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
  - match: {permission: [catalog.entity.read, catalog.entity.validate]}
    if: {users: [user:default/nobody]}
    decision: deny
  - match: {permission: catalog.entity.read}
    decision: conditional
    conditions:
      anyOf:
        - {rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: {claims: $user.ent}}
        - {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: [Group]}}
)";

Auth::Principal user(const char *ref, QStringList groups = {})
{
    Auth::Principal principal;
    principal.type = Auth::Principal::Type::User;
    principal.subject = QString::fromLatin1(ref);
    principal.ownershipRefs = QStringList{principal.subject} + groups;
    return principal;
}

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonValue json() const { return QJsonDocument::fromJson(body).isArray() ? QJsonValue(QJsonDocument::fromJson(body).array())
                                                                              : QJsonValue(QJsonDocument::fromJson(body).object()); }
    // The refs of the entities in a list, or in {items: [...]}.
    QStringList refs() const
    {
        const QJsonValue value = json();
        const QJsonArray items = value.isArray() ? value.toArray() : value[QLatin1String("items")].toArray();
        QStringList out;
        for (const QJsonValue &item : items) {
            if (item.isNull()) {
                out.append(QStringLiteral("null"));
                continue;
            }
            const QJsonObject entity = item.toObject();
            out.append((entity[QLatin1String("kind")].toString() + QLatin1Char(':') + entity[QLatin1String("metadata")][QLatin1String("name")].toString())
                           .toLower());
        }
        return out;
    }
};

} // namespace

class TestCatalogPermissions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void conditionalReadsFilterInTheQuery();
    void cursorsPageOverAdmittedEntitiesOnly();
    void deniedReadsAnswerNothing();
    void singleEntitiesAndAncestry();
    void onlyPlatformTeamDeletes();
    void servicesAndGuests();

private:
    Reply call(const Auth::Principal &who, const QByteArray &method, const QString &target, const QByteArray &body = {});
    QString uidOf(const QString &kind, const QString &name);
    QTemporaryDir m_dir;
    std::unique_ptr<Store::SqliteCatalogStore> m_store;
    std::optional<Auth::Authorizer> m_authorizer;
    Router m_router;
    Auth::Principal m_service;
    const Auth::Principal m_jane = user("user:default/jane", {QStringLiteral("group:default/payments")});
};

void TestCatalogPermissions::initTestCase()
{
    auto store = Store::SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("c.db")));
    QVERIFY(store);
    m_store = std::move(store).value();
    const QString origin = QStringLiteral("file:/org.yaml");
    QList<Store::EntityWrite> writes;
    const auto component = [](const char *name, const char *owner) {
        return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                           {QStringLiteral("kind"), QStringLiteral("Component")},
                           {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QLatin1String(name)}}},
                           {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("service")},
                                                                {QStringLiteral("lifecycle"), QStringLiteral("production")},
                                                                {QStringLiteral("owner"), QLatin1String(owner)}}}};
    };
    const auto group = [](const char *name) {
        return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                           {QStringLiteral("kind"), QStringLiteral("Group")},
                           {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QLatin1String(name)}}},
                           {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("team")},
                                                                {QStringLiteral("children"), QJsonArray()}}}};
    };
    for (const QJsonObject &entity : {component("ledger", "payments"), component("invoices", "payments"), component("billing", "payments"),
                                      component("cart", "shop"), component("basket", "shop"), group("payments"), group("shop")})
        writes.append(Tests::processedEntity(entity, origin));
    QVERIFY(m_store->applyLocation(Tests::locationWrite(writes, origin)));
    auto policy = Auth::PermissionPolicy::parse(Policy, QStringLiteral("permissions.yaml"));
    QVERIFY2(policy, qPrintable(policy ? QString() : policy.error().message));
    m_authorizer.emplace(std::move(policy).value());
    addCatalogRoutes(m_router, *m_store, *m_authorizer);
    m_service.type = Auth::Principal::Type::Service;
    m_service.subject = QStringLiteral("ci");
}

Reply TestCatalogPermissions::call(const Auth::Principal &who, const QByteArray &method, const QString &target, const QByteArray &body)
{
    HttpRequest request;
    request.method = method;
    request.rawTarget = target.toUtf8();
    request.path = target.section(QLatin1Char('?'), 0, 0);
    request.segments = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const auto &[name, value] : QUrlQuery(target.section(QLatin1Char('?'), 1)).queryItems(QUrl::FullyDecoded))
        request.query.append({name, value});
    if (!body.isEmpty())
        request.headers.insert("content-type", "application/json");
    request.body = body;
    request.principal = who;
    const std::optional<HttpResponse> response = m_router.dispatch(request);
    if (!response)
        return {};
    return {response->status, response->body};
}

QString TestCatalogPermissions::uidOf(const QString &kind, const QString &name)
{
    const Reply reply = call(m_service, "GET", QStringLiteral("/api/catalog/entities/by-name/%1/default/%2").arg(kind, name));
    return reply.json()[QLatin1String("metadata")][QLatin1String("uid")].toString();
}

void TestCatalogPermissions::conditionalReadsFilterInTheQuery()
{
    // Jane may read what payments owns, and the groups.
    Reply list = call(m_jane, "GET", QStringLiteral("/api/catalog/entities?order=asc:metadata.name"));
    QCOMPARE(list.status, 200);
    QCOMPARE(list.refs(), (QStringList{"component:billing", "component:invoices", "component:ledger", "group:payments", "group:shop"}));
    // A request filter is AND-ed with the policy's.
    list = call(m_jane, "GET", QStringLiteral("/api/catalog/entities?filter=kind=component&order=asc:metadata.name"));
    QCOMPARE(list.refs(), (QStringList{"component:billing", "component:invoices", "component:ledger"}));
    // Totals count what she may read.
    const Reply query = call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-query?filter=kind=component"));
    QCOMPARE(query.json()[QLatin1String("totalItems")].toInt(), 3);
    const Reply posted = call(m_jane, "POST", QStringLiteral("/api/catalog/entities/by-query"),
                              R"({"query":{"spec.type":"service"},"orderBy":[{"field":"metadata.name","order":"desc"}]})");
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.refs(), (QStringList{"component:ledger", "component:invoices", "component:billing"}));
    QCOMPARE(posted.json()[QLatin1String("totalItems")].toInt(), 3);
    // Facets count her entities only.
    const Reply facets = call(m_jane, "GET", QStringLiteral("/api/catalog/entity-facets?facet=kind&facet=spec.owner"));
    QCOMPARE(facets.json().toObject(), QJsonDocument::fromJson(R"({"facets":{"kind":[{"value":"Component","count":3},{"value":"Group","count":2}],
                                                                  "spec.owner":[{"value":"payments","count":3}]}})").object());
    const Reply postedFacets = call(m_jane, "POST", QStringLiteral("/api/catalog/entity-facets"), R"({"facets":["kind"],"query":{"kind":"group"}})");
    QCOMPARE(postedFacets.json().toObject(), QJsonDocument::fromJson(R"({"facets":{"kind":[{"value":"Group","count":2}]}})").object());
    // By refs: null where she may not read.
    const Reply refs = call(m_jane, "POST", QStringLiteral("/api/catalog/entities/by-refs"),
                            R"({"entityRefs":["component:default/ledger","component:default/cart","group:default/shop"]})");
    QCOMPARE(refs.refs(), (QStringList{"component:ledger", "null", "group:shop"}));
}

void TestCatalogPermissions::cursorsPageOverAdmittedEntitiesOnly()
{
    // Page by one through what Jane may read; the cursor does not carry the
    // policy's conditions (as upstream's does not), they are applied again.
    QStringList seen;
    Reply page = call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-query?limit=1&orderField=metadata.name,asc"));
    for (int i = 0; i < 10 && page.status == 200; ++i) {
        seen += page.refs();
        QCOMPARE(page.json()[QLatin1String("totalItems")].toInt(), 5);
        const QString next = page.json()[QLatin1String("pageInfo")][QLatin1String("nextCursor")].toString();
        if (next.isEmpty())
            break;
        QVERIFY(!QByteArray::fromBase64(next.toLatin1()).contains("payments"));
        page = call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-query?cursor=") + QString::fromLatin1(QUrl::toPercentEncoding(next)));
    }
    QCOMPARE(seen, (QStringList{"component:billing", "component:invoices", "component:ledger", "group:payments", "group:shop"}));
    // Someone else's cursor gives her nothing of theirs.
    const Reply bob = call(user("user:default/bob", {QStringLiteral("group:default/shop")}), "GET",
                           QStringLiteral("/api/catalog/entities/by-query?limit=10&filter=kind=component&orderField=metadata.name,asc"));
    QCOMPARE(bob.refs(), (QStringList{"component:basket", "component:cart"}));
}

void TestCatalogPermissions::deniedReadsAnswerNothing()
{
    const Auth::Principal nobody = user("user:default/nobody");
    QCOMPARE(call(nobody, "GET", QStringLiteral("/api/catalog/entities")).body, QByteArray("[]"));
    const Reply query = call(nobody, "GET", QStringLiteral("/api/catalog/entities/by-query?filter=kind=component"));
    QCOMPARE(query.status, 200);
    QCOMPARE(query.body, QByteArray(R"({"items":[],"pageInfo":{},"totalItems":0})"));
    // Malformed requests are still refused first.
    QCOMPARE(call(nobody, "GET", QStringLiteral("/api/catalog/entities/by-query?limit=-1")).status, 400);
    const Reply facets = call(nobody, "GET", QStringLiteral("/api/catalog/entity-facets?facet=kind&facet=spec.type"));
    QCOMPARE(facets.json().toObject(), QJsonDocument::fromJson(R"({"facets":{"kind":[],"spec.type":[]}})").object());
    const Reply refs = call(nobody, "POST", QStringLiteral("/api/catalog/entities/by-refs"),
                            R"({"entityRefs":["component:default/ledger","group:default/shop"]})");
    QCOMPARE(refs.body, QByteArray(R"({"items":[null,null]})"));
    QCOMPARE(call(nobody, "GET", QStringLiteral("/api/catalog/entities/by-name/group/default/shop")).status, 404);
    QCOMPARE(call(nobody, "GET", QStringLiteral("/api/catalog/entities/by-uid/") + uidOf(QStringLiteral("group"), QStringLiteral("shop"))).status, 404);
    // Validation is a basic permission: refused with 403 once the body is well formed.
    const QByteArray entity = R"({"location":"url:https://example.com/catalog-info.yaml","entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"x"},"spec":{"type":"team","children":[]}}})";
    const Reply validate = call(nobody, "POST", QStringLiteral("/api/catalog/validate-entity"), entity);
    QCOMPARE(validate.status, 403);
    QCOMPARE(validate.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("NotAllowedError"));
    QCOMPARE(call(nobody, "POST", QStringLiteral("/api/catalog/validate-entity"), R"({"entity":{}})").status, 400);
    QCOMPARE(call(m_jane, "POST", QStringLiteral("/api/catalog/validate-entity"), entity).status, 200);
}

void TestCatalogPermissions::singleEntitiesAndAncestry()
{
    QCOMPARE(call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-name/component/default/ledger")).status, 200);
    const Reply cart = call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-name/component/default/cart"));
    QCOMPARE(cart.status, 404);
    QCOMPARE(cart.json()[QLatin1String("error")][QLatin1String("message")].toString(),
             QStringLiteral("No entity named 'cart' found, with kind 'component' in namespace 'default'"));
    QCOMPARE(call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-uid/") + uidOf(QStringLiteral("component"), QStringLiteral("ledger"))).status, 200);
    QCOMPARE(call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-uid/") + uidOf(QStringLiteral("component"), QStringLiteral("cart"))).status, 404);
    // Ancestry asks about the root by its ref: unreadable (or missing, under
    // conditions) is 403, as upstream's NotAllowedError.
    QCOMPARE(call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-name/component/default/ledger/ancestry")).status, 200);
    QCOMPARE(call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-name/component/default/cart/ancestry")).status, 403);
    QCOMPARE(call(m_jane, "GET", QStringLiteral("/api/catalog/entities/by-name/component/default/missing/ancestry")).status, 403);
    QCOMPARE(call(m_service, "GET", QStringLiteral("/api/catalog/entities/by-name/component/default/missing/ancestry")).status, 404);
}

void TestCatalogPermissions::onlyPlatformTeamDeletes()
{
    const QString uid = uidOf(QStringLiteral("component"), QStringLiteral("basket"));
    QVERIFY(!uid.isEmpty());
    const Reply refused = call(m_jane, "DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid);
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("NotAllowedError"));
    QVERIFY(m_store->entityByUid(uid));
    const Auth::Principal pat = user("user:default/pat", {QStringLiteral("group:default/platform-team")});
    QCOMPARE(call(pat, "DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid).status, 204);
    QVERIFY(!m_store->entityByUid(uid));
}

void TestCatalogPermissions::servicesAndGuests()
{
    // Services are not governed by the policy file.
    const Reply all = call(m_service, "GET", QStringLiteral("/api/catalog/entities/by-query?filter=kind=component"));
    QVERIFY(all.json()[QLatin1String("totalItems")].toInt() >= 4);
    // A service token restricted to other permissions of the catalog is denied this one.
    Auth::Principal restricted = m_service;
    restricted.pluginRestrictions.insert(QStringLiteral("catalog"), {QStringLiteral("catalog.location.read")});
    QCOMPARE(call(restricted, "GET", QStringLiteral("/api/catalog/entities")).body, QByteArray("[]"));
    // No credentials at all (a loopback server without tokens): a guest who
    // owns nothing, so only the groups.
    const Reply guest = call(Auth::Principal(), "GET", QStringLiteral("/api/catalog/entities?order=asc:metadata.name"));
    QCOMPARE(guest.refs(), (QStringList{"group:payments", "group:shop"}));
}

QTEST_GUILESS_MAIN(TestCatalogPermissions)
#include "tst_catalogpermissions.moc"
