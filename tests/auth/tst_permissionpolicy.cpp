// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The permission policy file and Backstage's catalog rules: parsing errors
// with file and line, first match wins, the caller's refs, every rule and
// allOf/anyOf/not, in memory and as the store's query filter (which must
// pick the same entities).
#include <auth/permissionpolicy.h>
#include <model/entityfilter.h>
#include <store/sqlitecatalogstore.h>

#include "storewrites.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Auth;

namespace {

const PolicyUser Jane{QStringLiteral("user:default/jane"), {QStringLiteral("user:default/jane"), QStringLiteral("group:default/payments")}};
const PolicyUser Pat{QStringLiteral("user:default/pat"), {QStringLiteral("user:default/pat"), QStringLiteral("group:default/platform-team")}};

Permission named(const char *name)
{
    return *permissionNamed(QString::fromLatin1(name));
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

} // namespace

class TestPermissionPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theSeedsRuleTakesAFewLines();
    void firstMatchingRuleDecides();
    void conditionsGetTheCallersRefs();
    void mistakesAreRefusedWithFileAndLine_data();
    void mistakesAreRefusedWithFileAndLine();
    void actionRulesMatchAsTheScaffolderMatchesThem();
    void rulesMatchEntitiesInMemoryAndInTheStore_data();
    void rulesMatchEntitiesInMemoryAndInTheStore();
};

void TestPermissionPolicy::theSeedsRuleTakesAFewLines()
{
    // "Only platform-team may delete catalog entities."
    auto policy = PermissionPolicy::parse(R"(defaultDecision: allow
rules:
  - match: {permission: catalog.entity.delete}
    if: {groups: [group:default/platform-team]}
    decision: allow
  - match: {permission: catalog.entity.delete}
    decision: deny
)", QStringLiteral("permissions.yaml"));
    QVERIFY2(policy, qPrintable(policy ? QString() : policy.error().message));
    QCOMPARE(policy->decide(named("catalog.entity.delete"), Pat).result, PolicyDecision::Result::Allow);
    QCOMPARE(policy->decide(named("catalog.entity.delete"), Jane).result, PolicyDecision::Result::Deny);
    QCOMPARE(policy->decide(named("catalog.entity.read"), Jane).result, PolicyDecision::Result::Allow);
    QCOMPARE(PermissionPolicy::allowAll().decide(named("catalog.entity.delete"), Jane).result, PolicyDecision::Result::Allow);
}

void TestPermissionPolicy::firstMatchingRuleDecides()
{
    auto policy = PermissionPolicy::parse(R"(rules:
  - match: {permission: "catalog.location.*"}
    decision: deny
  - match: {action: [read, create]}
    decision: allow
  - match: {resourceType: scaffolder-task}
    if: {users: [user:default/jane]}
    decision: allow
)", QStringLiteral("p.yaml"));
    QVERIFY2(policy, qPrintable(policy ? QString() : policy.error().message));
    QCOMPARE(policy->decide(named("catalog.location.read"), Jane).result, PolicyDecision::Result::Deny);   // the glob comes first
    QCOMPARE(policy->decide(named("catalog.entity.read"), Jane).result, PolicyDecision::Result::Allow);
    QCOMPARE(policy->decide(named("scaffolder.task.create"), Jane).result, PolicyDecision::Result::Allow);
    QCOMPARE(policy->decide(named("scaffolder.task.cancel"), Jane).result, PolicyDecision::Result::Allow);
    QCOMPARE(policy->decide(named("scaffolder.task.cancel"), Pat).result, PolicyDecision::Result::Deny);   // the default
    QCOMPARE(policy->decide(named("catalog.entity.delete"), Jane).toJson(), json(R"({"result":"DENY"})"));
}

void TestPermissionPolicy::conditionsGetTheCallersRefs()
{
    auto policy = PermissionPolicy::parse(R"(rules:
  - match: {permission: catalog.entity.read}
    decision: conditional
    conditions:
      anyOf:
        - {rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: {claims: $user.ent}}
        - {rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: {claims: [$user.ref, group:default/shared]}}
        - {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: [API, System]}}
)", QStringLiteral("p.yaml"));
    QVERIFY2(policy, qPrintable(policy ? QString() : policy.error().message));
    const PolicyDecision decision = policy->decide(named("catalog.entity.read"), Jane);
    QCOMPARE(decision.toJson(), json(R"({"result":"CONDITIONAL","pluginId":"catalog","resourceType":"catalog-entity","conditions":
        {"anyOf":[{"rule":"IS_ENTITY_OWNER","resourceType":"catalog-entity","params":{"claims":["user:default/jane","group:default/payments"]}},
                  {"rule":"IS_ENTITY_OWNER","resourceType":"catalog-entity","params":{"claims":["user:default/jane","group:default/shared"]}},
                  {"rule":"IS_ENTITY_KIND","resourceType":"catalog-entity","params":{"kinds":["API","System"]}}]}})"));
}

void TestPermissionPolicy::mistakesAreRefusedWithFileAndLine_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown root key") << "defaultDecision: deny\nrulez: []\n" << "p.yaml:2: unknown key 'rulez'";
    QTest::newRow("default") << "defaultDecision: maybe\n" << "p.yaml:1: defaultDecision must be allow or deny";
    QTest::newRow("rules not a list") << "rules: {a: 1}\n" << "p.yaml:1: rules must be a list";
    QTest::newRow("unknown permission") << "rules:\n  - match: {permission: catalog.entity.remove}\n    decision: deny\n"
                                        << "p.yaml:2: no permission is named 'catalog.entity.remove'";
    QTest::newRow("unknown match key") << "rules:\n  - match:\n      perm: x\n    decision: deny\n" << "p.yaml:3: unknown match key 'perm'";
    QTest::newRow("decision") << "rules:\n  - match: {action: read}\n    decision: permit\n" << "p.yaml:3: decision must be allow, deny or conditional";
    QTest::newRow("conditional on a basic permission")
        << "rules:\n  - match: {permission: catalog.entity.create}\n    decision: conditional\n    conditions: {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: [API]}}\n"
        << "p.yaml:3: a conditional decision needs resource permissions, and 'catalog.entity.create' is a basic one";
    QTest::newRow("conditional over two resource types")
        << "rules:\n  - match: {action: read}\n    decision: conditional\n    conditions: {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: [API]}}\n"
        << "p.yaml:3: a conditional decision needs resource permissions, and 'catalog.location.read' is a basic one";
    QTest::newRow("unknown rule")
        << "rules:\n  - match: {permission: catalog.entity.read}\n    decision: conditional\n    conditions:\n      not: {rule: IS_ENTITY_NAME, resourceType: catalog-entity, params: {}}\n"
        << "p.yaml:4: Permission rule 'IS_ENTITY_NAME' does not exist for resource type 'catalog-entity'";
    QTest::newRow("bad params")
        << "rules:\n  - match: {permission: catalog.entity.read}\n    decision: conditional\n    conditions: {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: API}}\n"
        << "p.yaml:4: IS_ENTITY_KIND needs params.kinds, a list of strings";
    QTest::newRow("empty anyOf")
        << "rules:\n  - match: {permission: catalog.entity.read}\n    decision: conditional\n    conditions: {anyOf: []}\n"
        << "p.yaml:4: anyOf must be the only key, with a non-empty list of conditions";
    QTest::newRow("conditions without conditional") << "rules:\n  - decision: allow\n    conditions: {anyOf: []}\n"
                                                    << "p.yaml:3: conditions belong to a conditional decision only";
    QTest::newRow("not YAML") << "rules: [\n" << "p.yaml: ";
    QTest::newRow("a catalog rule for an action")
        << "rules:\n  - match: {permission: scaffolder.action.execute}\n    decision: conditional\n"
           "    conditions: {rule: IS_ENTITY_KIND, resourceType: scaffolder-action, params: {kinds: [API]}}\n"
        << "p.yaml:4: Permission rule 'IS_ENTITY_KIND' does not exist for resource type 'scaffolder-action'";
    QTest::newRow("a property rule's value of the wrong type")
        << "rules:\n  - match: {permission: scaffolder.action.execute}\n    decision: conditional\n"
           "    conditions: {rule: HAS_BOOLEAN_PROPERTY, resourceType: scaffolder-action, params: {key: private, value: 'yes'}}\n"
        << "p.yaml:4: HAS_BOOLEAN_PROPERTY: params.value must be a boolean";
    QTest::newRow("a template rule without its tag")
        << "rules:\n  - match: {permission: scaffolder.template.parameter.read}\n    decision: conditional\n"
           "    conditions: {rule: HAS_TAG, resourceType: scaffolder-template, params: {label: secret}}\n"
        << "p.yaml:4: HAS_TAG needs params.tag, a string";
    QTest::newRow("a task rule's creators")
        << "rules:\n  - match: {permission: scaffolder.task.read}\n    decision: conditional\n"
           "    conditions: {rule: IS_TASK_OWNER, resourceType: scaffolder-task, params: {createdBy: me}}\n"
        << "p.yaml:4: IS_TASK_OWNER needs params.createdBy, a list of strings";
    QTest::newRow("a catalog rule for a task")
        << "rules:\n  - match: {permission: scaffolder.task.read}\n    decision: conditional\n"
           "    conditions: {rule: IS_ENTITY_OWNER, resourceType: scaffolder-task, params: {claims: [me]}}\n"
        << "p.yaml:4: Permission rule 'IS_ENTITY_OWNER' does not exist for resource type 'scaffolder-task'";
}

void TestPermissionPolicy::actionRulesMatchAsTheScaffolderMatchesThem()
{
    const auto action = [](const char *id, const char *input) {
        return QJsonObject{{QStringLiteral("action"), QLatin1String(id)}, {QStringLiteral("input"), json(input)}};
    };
    const auto rule = [](const char *text) { return json(text); };
    const QJsonObject publish = action("publish:github", R"({"repoUrl":"github.com?owner=Acme&repo=x","owner":"Acme","private":true,"settings":{"teams":[{"name":"web"}]},"size":3})");
    QVERIFY(PermissionCriteria::matches(rule(R"({"rule":"HAS_ACTION_ID","params":{"actionId":"publish:github"}})"), publish));
    QVERIFY(!PermissionCriteria::matches(rule(R"({"rule":"HAS_ACTION_ID","params":{"actionId":"publish:gitlab"}})"), publish));
    QVERIFY(PermissionCriteria::matches(rule(R"({"rule":"HAS_BOOLEAN_PROPERTY","params":{"key":"private"}})"), publish));
    QVERIFY(PermissionCriteria::matches(rule(R"({"rule":"HAS_BOOLEAN_PROPERTY","params":{"key":"private","value":true}})"), publish));
    QVERIFY(!PermissionCriteria::matches(rule(R"({"rule":"HAS_BOOLEAN_PROPERTY","params":{"key":"private","value":false}})"), publish));
    // The property must have the rule's type: a number is no string.
    QVERIFY(!PermissionCriteria::matches(rule(R"({"rule":"HAS_STRING_PROPERTY","params":{"key":"size"}})"), publish));
    QVERIFY(PermissionCriteria::matches(rule(R"({"rule":"HAS_NUMBER_PROPERTY","params":{"key":"size","value":3}})"), publish));
    // A lodash path reaches into objects and arrays.
    QVERIFY(PermissionCriteria::matches(rule(R"({"rule":"HAS_STRING_PROPERTY","params":{"key":"settings.teams[0].name","value":"web"}})"), publish));
    QVERIFY(!PermissionCriteria::matches(rule(R"({"rule":"HAS_STRING_PROPERTY","params":{"key":"settings.teams[1].name"}})"), publish));
    // An SCM action's owner is compared without case; other strings with it.
    QVERIFY(PermissionCriteria::matches(rule(R"({"rule":"HAS_STRING_PROPERTY","params":{"key":"owner","value":"acme"}})"), publish));
    const QJsonObject log = action("debug:log", R"({"owner":"Acme"})");
    QVERIFY(!PermissionCriteria::matches(rule(R"({"rule":"HAS_STRING_PROPERTY","params":{"key":"owner","value":"acme"}})"), log));
    // A policy decides it: conditional on the action, for the scaffolder plugin.
    auto policy = PermissionPolicy::parse(R"(rules:
  - match: {permission: scaffolder.action.execute}
    decision: conditional
    conditions:
      anyOf:
        - {rule: HAS_ACTION_ID, resourceType: scaffolder-action, params: {actionId: debug:log}}
        - {rule: HAS_STRING_PROPERTY, resourceType: scaffolder-action, params: {key: owner, value: acme}}
)", QStringLiteral("p.yaml"));
    QVERIFY2(policy, qPrintable(policy ? QString() : policy.error().message));
    const PolicyDecision decision = policy->decide(named("scaffolder.action.execute"), Jane);
    QCOMPARE(decision.pluginId, QStringLiteral("scaffolder"));
    QCOMPARE(decision.resourceType, QStringLiteral("scaffolder-action"));
    QVERIFY(PermissionCriteria::matches(decision.conditions, publish));
    QVERIFY(!PermissionCriteria::matches(decision.conditions, action("fetch:plain", R"({"owner":"initech"})")));
}

void TestPermissionPolicy::mistakesAreRefusedWithFileAndLine()
{
    QFETCH(QString, yaml);
    QFETCH(QString, error);
    auto policy = PermissionPolicy::parse(yaml.toUtf8(), QStringLiteral("p.yaml"));
    QVERIFY(!policy);
    QVERIFY2(policy.error().message.startsWith(error), qPrintable(policy.error().message));
}

void TestPermissionPolicy::rulesMatchEntitiesInMemoryAndInTheStore_data()
{
    QTest::addColumn<QByteArray>("criteria");
    QTest::addColumn<QStringList>("expected");
    const auto row = [](const char *name, const char *criteria, QStringList expected) {
        QTest::newRow(name) << QByteArray(criteria) << expected;
    };
    const QString ledger = QStringLiteral("component:default/ledger");
    const QString cart = QStringLiteral("component:default/cart");
    const QString api = QStringLiteral("api:default/cart-api");
    const QString payments = QStringLiteral("group:default/payments");
    row("kind", R"({"rule":"IS_ENTITY_KIND","resourceType":"catalog-entity","params":{"kinds":["api","Group"]}})", {api, payments});
    row("owner", R"({"rule":"IS_ENTITY_OWNER","resourceType":"catalog-entity","params":{"claims":["group:default/payments"]}})", {ledger, api});
    row("annotation", R"({"rule":"HAS_ANNOTATION","resourceType":"catalog-entity","params":{"annotation":"backstage.io/techdocs-ref"}})", {ledger});
    row("annotation value", R"({"rule":"HAS_ANNOTATION","resourceType":"catalog-entity","params":{"annotation":"backstage.io/techdocs-ref","value":"DIR:."}})", {ledger});
    row("label", R"({"rule":"HAS_LABEL","resourceType":"catalog-entity","params":{"label":"tier","value":"gold"}})", {cart});
    row("metadata", R"({"rule":"HAS_METADATA","resourceType":"catalog-entity","params":{"key":"description"}})", {cart});
    row("spec", R"({"rule":"HAS_SPEC","resourceType":"catalog-entity","params":{"key":"lifecycle","value":"Experimental"}})", {cart});
    row("allOf", R"({"allOf":[{"rule":"IS_ENTITY_KIND","resourceType":"catalog-entity","params":{"kinds":["Component"]}},
                             {"rule":"IS_ENTITY_OWNER","resourceType":"catalog-entity","params":{"claims":["group:default/payments"]}}]})", {ledger});
    row("anyOf", R"({"anyOf":[{"rule":"HAS_LABEL","resourceType":"catalog-entity","params":{"label":"tier"}},
                             {"rule":"IS_ENTITY_KIND","resourceType":"catalog-entity","params":{"kinds":["Group"]}}]})", {cart, payments});
    row("not", R"({"not":{"rule":"IS_ENTITY_KIND","resourceType":"catalog-entity","params":{"kinds":["Component"]}}})", {api, payments});
}

void TestPermissionPolicy::rulesMatchEntitiesInMemoryAndInTheStore()
{
    QFETCH(QByteArray, criteria);
    QFETCH(QStringList, expected);
    const QJsonObject conditions = QJsonDocument::fromJson(criteria).object();
    QVERIFY2(PermissionCriteria::check(conditions, QStringLiteral("catalog-entity")), criteria.constData());

    QTemporaryDir dir;
    auto store = Store::SqliteCatalogStore::open(dir.filePath(QStringLiteral("c.db")));
    QVERIFY(store);
    const QString origin = QStringLiteral("file:/org.yaml");
    const auto entity = [](const char *text) { return QJsonDocument::fromJson(text).object(); };
    QList<Store::EntityWrite> writes;
    for (const QJsonObject &raw : {
             entity(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"ledger","annotations":{"backstage.io/techdocs-ref":"dir:."}},
                        "spec":{"type":"service","lifecycle":"production","owner":"payments"}})"),
             entity(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"cart","description":"Baskets","labels":{"tier":"gold"}},
                        "spec":{"type":"service","lifecycle":"experimental","owner":"shop"}})"),
             entity(R"({"apiVersion":"backstage.io/v1alpha1","kind":"API","metadata":{"name":"cart-api"},
                        "spec":{"type":"openapi","lifecycle":"production","owner":"group:default/payments","definition":"x"}})"),
             entity(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":"payments"},"spec":{"type":"team","children":[]}})"),
         })
        writes.append(Tests::processedEntity(raw, origin));
    QVERIFY(store.value()->applyLocation(Tests::locationWrite(writes, origin)));

    // In memory, entity by entity.
    QStringList inMemory;
    for (const Store::EntityWrite &write : std::as_const(writes)) {
        const auto stored = store.value()->entityByRef(write.ref);
        QVERIFY(stored);
        if (PermissionCriteria::matches(conditions, stored->entity))
            inMemory.append(stored->ref);
    }
    inMemory.sort();
    expected.sort();
    QCOMPARE(inMemory, expected);

    // As the store's query filter: the same entities.
    auto predicate = Model::EntityPredicate::fromJson(PermissionCriteria::toPredicate(conditions));
    QVERIFY2(predicate, qPrintable(predicate ? QString() : predicate.error().message));
    Store::EntityQuery query;
    query.filter = Model::EntityFilter::fromPredicate(predicate.value());
    auto page = store.value()->queryEntities(query);
    QVERIFY(page);
    QStringList inStore;
    for (const Store::StoredEntity &found : page->items)
        inStore.append(found.ref);
    inStore.sort();
    QCOMPARE(inStore, expected);
}

QTEST_GUILESS_MAIN(TestPermissionPolicy)
#include "tst_permissionpolicy.moc"
