// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <model/entityfilter.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Greenroom::Model;
using Condition = EntityFilter::Condition;

class TestEntityFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void separateParametersAreOred();
    void statementsAreAndedAndSameKeyOred();
    void bareKeyMeansExistsAndIsAbsorbed();
    void emptyValueAndFurtherEquals();
    void caseIsFoldedAndWhitespaceTrimmed();
    void emptyStatementsIgnored();
    void emptyKeyIsAnError();
    void intersection();
    void filterParametersInPredicateForm_data();
    void filterParametersInPredicateForm();
    void predicatesOfFilterShapeArePlannedAsFilters();
    void otherPredicatesAreKept();
    void templateCatalogFilters();
};

void TestEntityFilter::separateParametersAreOred()
{
    const auto f = EntityFilter::parse({QStringLiteral("kind=user,metadata.namespace=default"),
                                        QStringLiteral("kind=group,spec.type")});
    QVERIFY(f);
    QCOMPARE(f->anyOf.size(), 2);
    QCOMPARE(f->anyOf[0], (EntityFilter::AllOf{{QStringLiteral("kind"), {QStringLiteral("user")}},
                                               {QStringLiteral("metadata.namespace"), {QStringLiteral("default")}}}));
    QCOMPARE(f->anyOf[1], (EntityFilter::AllOf{{QStringLiteral("kind"), {QStringLiteral("group")}},
                                               {QStringLiteral("spec.type"), {}}}));
}

void TestEntityFilter::statementsAreAndedAndSameKeyOred()
{
    const auto f = EntityFilter::parse({QStringLiteral("kind=component,kind=api,spec.lifecycle=production")});
    QVERIFY(f);
    QCOMPARE(f->anyOf.size(), 1);
    QCOMPARE(f->anyOf[0].size(), 2);
    QCOMPARE(f->anyOf[0][0].values, (QStringList{QStringLiteral("component"), QStringLiteral("api")}));
}

void TestEntityFilter::bareKeyMeansExistsAndIsAbsorbed()
{
    const auto f = EntityFilter::parse({QStringLiteral("a,a=b")});
    QVERIFY(f);
    QCOMPARE(f->anyOf[0], (EntityFilter::AllOf{{QStringLiteral("a"), {QStringLiteral("b")}}}));
}

void TestEntityFilter::emptyValueAndFurtherEquals()
{
    const auto f = EntityFilter::parse({QStringLiteral("metadata.annotations.x=,spec.q=a=b")});
    QVERIFY(f);
    QCOMPARE(f->anyOf[0][0].values, QStringList{QString()});
    QCOMPARE(f->anyOf[0][1].values, QStringList{QStringLiteral("a=b")});
}

void TestEntityFilter::caseIsFoldedAndWhitespaceTrimmed()
{
    const auto f = EntityFilter::parse({QStringLiteral(" Kind = Component ")});
    QVERIFY(f);
    QCOMPARE(f->anyOf[0][0], (Condition{QStringLiteral("kind"), {QStringLiteral("component")}}));
}

void TestEntityFilter::emptyStatementsIgnored()
{
    const auto f = EntityFilter::parse({QStringLiteral("a=1,,b=2"), QString()});
    QVERIFY(f);
    QCOMPARE(f->anyOf.size(), 1);
    QCOMPARE(f->anyOf[0].size(), 2);
}

void TestEntityFilter::emptyKeyIsAnError()
{
    const auto f = EntityFilter::parse({QStringLiteral("=x")});
    QVERIFY(!f);
    QCOMPARE(f.error().name, QStringLiteral("InputError"));
    QCOMPARE(f.error().message,
             QStringLiteral("Invalid filter, '=x' is not a valid statement (expected a string on the form a=b or a= or a)"));
}

void TestEntityFilter::intersection()
{
    const auto a = EntityFilter::parse({QStringLiteral("kind=component"), QStringLiteral("kind=api")});
    const auto b = EntityFilter::parse({QStringLiteral("spec.owner=x")});
    QVERIFY(a && b);
    const EntityFilter both = a->intersectedWith(*b);
    QCOMPARE(both.anyOf.size(), 2);
    QCOMPARE(both.anyOf[1].size(), 2);
    QCOMPARE(EntityFilter().intersectedWith(*b).anyOf, b->anyOf);
}

void TestEntityFilter::filterParametersInPredicateForm_data()
{
    // Expected answers are upstream's parseEntityFilterParams (plugin-catalog-backend 4.0.5).
    QTest::addColumn<QStringList>("parameters");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("one") << QStringList{QStringLiteral("kind=Component")} << QByteArray(R"({"kind":"Component"})");
    QTest::newRow("grouped and trimmed")
        << QStringList{QStringLiteral("kind=a,kind=b, spec.type = Service ,metadata.tags.java")}
        << QByteArray(R"({"$all":[{"kind":{"$in":["a","b"]}},{"spec.type":"Service"},{"metadata.tags.java":{"$exists":true}}]})");
    QTest::newRow("separate parameters")
        << QStringList{QStringLiteral("kind=user"), QStringLiteral("kind=group,spec.type")}
        << QByteArray(R"({"$any":[{"kind":"user"},{"$all":[{"kind":"group"},{"spec.type":{"$exists":true}}]}]})");
    QTest::newRow("repeats kept") << QStringList{QStringLiteral("a=x,a=x,a")} << QByteArray(R"({"a":{"$in":["x","x"]}})");
    QTest::newRow("bare then value") << QStringList{QStringLiteral("a,a=1")} << QByteArray(R"({"a":"1"})");
    QTest::newRow("nothing") << QStringList{QStringLiteral(" , ")} << QByteArray();
}

void TestEntityFilter::filterParametersInPredicateForm()
{
    QFETCH(QStringList, parameters);
    QFETCH(QByteArray, expected);
    const QJsonValue json = EntityPredicate::filterParametersToJson(parameters);
    if (expected.isEmpty()) {
        QVERIFY(json.isUndefined());
        return;
    }
    const QJsonDocument document = json.isObject() ? QJsonDocument(json.toObject()) : QJsonDocument();
    QCOMPARE(document, QJsonDocument::fromJson(expected));
    // Read back, the predicate selects what the filter does.
    auto predicate = EntityPredicate::fromJson(json);
    QVERIFY(predicate);
    const EntityFilter fromPredicate = EntityFilter::fromPredicate(predicate.value());
    QCOMPARE(fromPredicate.anyOf, EntityFilter::parse(parameters)->anyOf);
}

void TestEntityFilter::predicatesOfFilterShapeArePlannedAsFilters()
{
    const auto filterOf = [](const char *json) {
        return EntityFilter::fromPredicate(*EntityPredicate::fromJson(QJsonDocument::fromJson(json).object()));
    };
    const EntityFilter all = filterOf(R"({"Kind": "API", "spec.type": {"$in": ["GRPC", 2]}, "spec.owner": {"$exists": true}})");
    QVERIFY(all.predicates.empty());
    QCOMPARE(all.anyOf.size(), 1);
    QCOMPARE(all.anyOf.first(), (EntityFilter::AllOf{{QStringLiteral("kind"), {QStringLiteral("api")}},
                                                     {QStringLiteral("spec.owner"), {}},
                                                     {QStringLiteral("spec.type"), {QStringLiteral("grpc"), QStringLiteral("2")}}}));
    const EntityFilter any = filterOf(R"({"$any": [{"kind": "user"}, {"$all": [{"kind": "group"}, {"kind": "x"}]}]})");
    QVERIFY(any.predicates.empty());
    QCOMPARE(any.anyOf.size(), 2);
    QCOMPARE(any.anyOf.at(1).size(), 2);   // the same key twice, both must hold
    QVERIFY(filterOf(R"({})").isEmpty());
    QVERIFY(filterOf(R"({"$all": []})").isEmpty());
}

void TestEntityFilter::otherPredicatesAreKept()
{
    for (const char *json : {R"({"$not": {"kind": "user"}})", R"({"kind": {"$hasPrefix": "us"}})", R"({"$any": []})",
                             R"({"kind": {"$exists": false}})", R"({"kind": {"$in": []}})",
                             R"({"$any": [{"kind": "user"}, {"$not": {"kind": "group"}}]})"}) {
        const EntityFilter filter = EntityFilter::fromPredicate(*EntityPredicate::fromJson(QJsonDocument::fromJson(json).object()));
        QVERIFY2(filter.anyOf.isEmpty() && filter.predicates.size() == 1, json);
        QVERIFY(!filter.isEmpty());
    }
}

void TestEntityFilter::templateCatalogFilters()
{
    // ui:options.catalogFilter as EntityPicker sends it: one object, or a list OR-ed; values lower-cased,
    // numbers as text, {exists: true} a key with no values; without a filter, the allowed kinds.
    const auto filter = [](const char *json, const QStringList &kinds = {}) {
        return EntityFilter::fromCatalogFilter(QJsonDocument::fromJson(json).object().value(QLatin1String("f")), kinds).anyOf;
    };
    QCOMPARE(filter(R"({"f": {"kind": ["Group", "User"], "spec.type": "Team"}})"),
             (QList<EntityFilter::AllOf>{{Condition{QStringLiteral("kind"), {QStringLiteral("group"), QStringLiteral("user")}},
                                          Condition{QStringLiteral("spec.type"), {QStringLiteral("team")}}}}));
    QCOMPARE(filter(R"({"f": [{"kind": "System"}, {"metadata.annotations.x": {"exists": true}, "spec.size": 3}]})"),
             (QList<EntityFilter::AllOf>{{Condition{QStringLiteral("kind"), {QStringLiteral("system")}}},
                                         {Condition{QStringLiteral("metadata.annotations.x"), {}},
                                          Condition{QStringLiteral("spec.size"), {QStringLiteral("3")}}}}));
    QCOMPARE(filter(R"({})", {QStringLiteral("Group")}),
             (QList<EntityFilter::AllOf>{{Condition{QStringLiteral("kind"), {QStringLiteral("group")}}}}));
    QVERIFY(filter(R"({})").isEmpty());
}

QTEST_GUILESS_MAIN(TestEntityFilter)
#include "tst_entityfilter.moc"
