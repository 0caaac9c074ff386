// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <model/entityfilter.h>

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

QTEST_GUILESS_MAIN(TestEntityFilter)
#include "tst_entityfilter.moc"
