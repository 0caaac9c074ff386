// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Replays golden/filter-predicates.json: each predicate, whether real
// Backstage (@backstage/filter-predicates 0.2.1, via
// golden/filter-predicates-oracle.cjs) accepts it, and which entities it
// matches. Cards' and tabs' filters must show on the same entities.
#include <model/filterpredicate.h>
#include <testconfig.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using Greenroom::Model::FilterPredicate;

class TestFilterPredicate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesAsBackstage_data();
    void matchesAsBackstage();
    void errorsNameThePlace();
};

void TestFilterPredicate::matchesAsBackstage_data()
{
    QTest::addColumn<QJsonValue>("predicate");
    QTest::addColumn<QJsonObject>("golden");
    QTest::addColumn<QJsonObject>("entities");
    QFile file(QStringLiteral(GREENROOM_SOURCE_DIR "/tests/model/golden/filter-predicates.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject golden = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray cases = golden.value(QLatin1String("cases")).toArray();
    QVERIFY(cases.size() > 30);
    for (const QJsonValue &entry : cases) {
        const QJsonValue predicate = entry[QLatin1String("predicate")];
        const QByteArray name = predicate.isObject() ? QJsonDocument(predicate.toObject()).toJson(QJsonDocument::Compact)
                                : predicate.isArray() ? QJsonDocument(predicate.toArray()).toJson(QJsonDocument::Compact)
                                                      : predicate.toString().toUtf8();
        QTest::newRow(name.constData()) << predicate << entry.toObject() << golden.value(QLatin1String("entities")).toObject();
    }
}

void TestFilterPredicate::matchesAsBackstage()
{
    QFETCH(QJsonValue, predicate);
    QFETCH(QJsonObject, golden);
    QFETCH(QJsonObject, entities);
    auto parsed = FilterPredicate::parse(predicate);
    QCOMPARE(bool(parsed), golden.value(QLatin1String("valid")).toBool());
    if (!parsed)
        return;
    const QJsonObject matches = golden.value(QLatin1String("matches")).toObject();
    for (auto it = matches.begin(); it != matches.end(); ++it)
        QVERIFY2(parsed->matches(entities.value(it.key())) == it.value().toBool(), qPrintable(it.key()));
}

void TestFilterPredicate::errorsNameThePlace()
{
    const auto error = [](const char *json) {
        return FilterPredicate::parse(QJsonDocument::fromJson(json).object()).error().message;
    };
    QCOMPARE(error(R"({"$all": [{"kind": "api"}, {"kind": {"$in": "api"}}]})"),
             QStringLiteral("Invalid filter predicate at '$all[1].kind': expected {$exists: boolean}, {$in: [primitives]}, "
                            "{$contains: predicate} or {$hasPrefix: string}"));
    QCOMPARE(error(R"({"kind": "api", "$any": []})"), QStringLiteral("Invalid filter predicate at '<root>': $any must be the only key of its object"));
    QCOMPARE(error(R"({"$nope": 1})"), QStringLiteral("Invalid filter predicate at '$nope': unknown operator"));
    QVERIFY(FilterPredicate().matches(QJsonObject{{QStringLiteral("kind"), QStringLiteral("API")}}));   // the default is everything
}

QTEST_GUILESS_MAIN(TestFilterPredicate)
#include "tst_filterpredicate.moc"
