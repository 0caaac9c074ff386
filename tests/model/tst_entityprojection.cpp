// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <model/entityprojection.h>

#include <QJsonDocument>
#include <QTest>

using namespace Greenroom::Model;

class TestEntityProjection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void project_data();
    void project();
    void parseFields();
};

void TestEntityProjection::project_data()
{
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("no fields: whole entity") << QStringList{} << QByteArray();
    QTest::newRow("leaf and subtree") << QStringList{QStringLiteral("metadata.name"), QStringLiteral("spec")}
        << QByteArray(R"({"metadata":{"name":"x"},"spec":{"owner":"a","type":"service"}})");
    QTest::newRow("dotted annotation key") << QStringList{QStringLiteral("metadata.annotations.backstage.io/techdocs-ref")}
        << QByteArray(R"({"metadata":{"annotations":{"backstage.io/techdocs-ref":"dir:."}}})");
    QTest::newRow("missing path is omitted") << QStringList{QStringLiteral("kind"), QStringLiteral("spec.nope")}
        << QByteArray(R"({"kind":"Component"})");
    QTest::newRow("nothing found gives {}") << QStringList{QStringLiteral("nope")} << QByteArray("{}");
    QTest::newRow("case-sensitive") << QStringList{QStringLiteral("Kind")} << QByteArray("{}");
    QTest::newRow("no projection into arrays") << QStringList{QStringLiteral("relations.type")} << QByteArray("{}");
}

void TestEntityProjection::project()
{
    QFETCH(QStringList, fields);
    QFETCH(QByteArray, expected);
    const QJsonObject entity = QJsonDocument::fromJson(R"({"kind":"Component",
        "metadata":{"name":"x","annotations":{"backstage.io/techdocs-ref":"dir:."}},
        "relations":[{"type":"ownedBy","targetRef":"group:default/a"}],
        "spec":{"owner":"a","type":"service"}})").object();
    const QJsonObject projected = EntityProjection::project(entity, fields);
    if (expected.isEmpty())
        QCOMPARE(projected, entity);
    else
        QCOMPARE(projected, QJsonDocument::fromJson(expected).object());
}

void TestEntityProjection::parseFields()
{
    const auto fields = EntityProjection::parseFields({QStringLiteral("kind, metadata.name"), QStringLiteral("kind,,spec")});
    QVERIFY(fields);
    QCOMPARE(fields.value(), (QStringList{QStringLiteral("kind"), QStringLiteral("metadata.name"), QStringLiteral("spec")}));
    const auto bad = EntityProjection::parseFields({QStringLiteral("relations[0]")});
    QVERIFY(!bad);
    QCOMPARE(bad.error().message, QStringLiteral("Invalid field \"relations[0]\", array type fields are not supported"));
}

QTEST_GUILESS_MAIN(TestEntityProjection)
#include "tst_entityprojection.moc"
