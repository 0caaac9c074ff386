// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <model/entitysearch.h>

#include <QJsonDocument>
#include <QTest>

using namespace Greenroom::Model;

class TestEntitySearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backstageWorkedExample();
    void specialKeysAndRelations();
    void longValuesAreNulledAndLongKeysDropped();
    void keysDifferingOnlyInCaseAreRefused();

private:
    static QStringList render(const QJsonObject &entity)
    {
        const auto rows = EntitySearch::rows(entity);
        if (!rows)
            return {rows.error().message};
        QStringList out;
        for (const SearchRow &r : rows.value())
            out << r.key + QLatin1Char('=') + (r.value.isNull() ? QStringLiteral("<null>") : r.value);
        return out;
    }
};

void TestEntitySearch::backstageWorkedExample()
{
    // catalog-api.md 3.2: {"a":{"b":["c",{"d":1}],"e":7}}
    const QJsonObject entity = QJsonDocument::fromJson(
        R"({"a":{"b":["c",{"d":1}],"e":7},"metadata":{"name":"n","uid":"u1"}})").object();
    const QStringList rows = render(entity);
    for (const char *expected : {"a.b=c", "a.b.c=true", "a.b.d=1", "a.e=7"})
        QVERIFY2(rows.contains(QString::fromUtf8(expected)), expected);
    QVERIFY(!rows.contains(QStringLiteral("a=<null>")));   // objects are not leaves
}

void TestEntitySearch::specialKeysAndRelations()
{
    const QJsonObject entity = QJsonDocument::fromJson(R"({"kind":"Component",
        "metadata":{"name":"Svc","etag":"e","uid":"u","tags":["Java"],"annotations":{"backstage.io/orphan":"true"}},
        "relations":[{"type":"ownedBy","targetRef":"group:default/team-a"}],
        "status":{"items":[{"type":"x"}]},"spec":{"port":8080,"on":true,"nothing":null,"empty":[]}})").object();
    const QStringList rows = render(entity);
    QVERIFY(rows.contains(QStringLiteral("metadata.name=svc")));
    QVERIFY(rows.contains(QStringLiteral("metadata.namespace=default")));   // filled in when absent
    QVERIFY(rows.contains(QStringLiteral("metadata.uid=u")));
    QVERIFY(rows.contains(QStringLiteral("metadata.tags=java")));
    QVERIFY(rows.contains(QStringLiteral("metadata.tags.java=true")));
    QVERIFY(rows.contains(QStringLiteral("metadata.annotations.backstage.io/orphan=true")));
    QVERIFY(rows.contains(QStringLiteral("relations.ownedby=group:default/team-a")));
    QVERIFY(rows.contains(QStringLiteral("spec.port=8080")));
    QVERIFY(rows.contains(QStringLiteral("spec.on=true")));
    QVERIFY(rows.contains(QStringLiteral("spec.nothing=<null>")));
    for (const QString &row : rows) {
        QVERIFY2(!row.startsWith(QLatin1String("metadata.etag")), qPrintable(row));
        QVERIFY2(!row.startsWith(QLatin1String("status")), qPrintable(row));
        QVERIFY2(!row.startsWith(QLatin1String("spec.empty")), qPrintable(row));
    }
}

void TestEntitySearch::longValuesAreNulledAndLongKeysDropped()
{
    QJsonObject spec{{QStringLiteral("long"), QString(201, QLatin1Char('x'))},
                     {QStringLiteral("edge"), QString(200, QLatin1Char('y'))},
                     {QString(200, QLatin1Char('k')), QStringLiteral("v")}};
    const QJsonObject entity{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("n")}}},
                             {QStringLiteral("spec"), spec}};
    const QStringList rows = render(entity);
    QVERIFY(rows.contains(QStringLiteral("spec.long=<null>")));
    QVERIFY(rows.contains(QStringLiteral("spec.edge=") + QString(200, QLatin1Char('y'))));
    for (const QString &row : rows)
        QVERIFY(!row.contains(QString(200, QLatin1Char('k'))));   // "spec." + 200 > 200
}

void TestEntitySearch::keysDifferingOnlyInCaseAreRefused()
{
    const QJsonObject entity = QJsonDocument::fromJson(
        R"({"metadata":{"name":"n","annotations":{"a/x":"1","A/x":"2"}}})").object();
    const auto rows = EntitySearch::rows(entity);
    QVERIFY(!rows);
    QCOMPARE(rows.error().message,
             QStringLiteral("Entity has duplicate keys that vary only in casing, 'metadata.annotations.a/x'"));
}

QTEST_GUILESS_MAIN(TestEntitySearch)
#include "tst_entitysearch.moc"
