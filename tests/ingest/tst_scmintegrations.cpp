// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The view, edit and source URLs an entity read from a `url` location gets:
// golden/location-annotations.json holds what real Backstage's
// AnnotateLocationEntityProcessor answered for each target (see
// golden/location-annotations-oracle.cjs); Greenroom must answer the same.
#include <testconfig.h>

#include <ingest/scmintegrations.h>
#include <model/annotations.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Greenroom;
using Greenroom::Ingest::ScmIntegrations;

class TestScmIntegrations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void annotationsAsBackstageWritesThem_data();
    void annotationsAsBackstageWritesThem();
    void authorsOwnValuesWin();

private:
    QJsonObject m_golden;
};

void TestScmIntegrations::initTestCase()
{
    QFile file(QStringLiteral(GREENROOM_SOURCE_DIR "/tests/ingest/golden/location-annotations.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_golden = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY(m_golden.value(QLatin1String("cases")).toArray().size() > 20);
}

void TestScmIntegrations::annotationsAsBackstageWritesThem_data()
{
    QTest::addColumn<QJsonObject>("expected");
    for (const QJsonValue &value : m_golden.value(QLatin1String("cases")).toArray())
        QTest::newRow(qPrintable(value[QLatin1String("target")].toString())) << value.toObject();
}

void TestScmIntegrations::annotationsAsBackstageWritesThem()
{
    QFETCH(QJsonObject, expected);
    const ScmIntegrations integrations = ScmIntegrations::fromConfig(m_golden.value(QLatin1String("integrations")).toObject());
    const QJsonObject annotations = integrations.locationAnnotations(expected.value(QLatin1String("target")).toString());
    const auto value = [&](QLatin1StringView key) { return annotations.contains(key) ? annotations.value(key) : QJsonValue(QJsonValue::Null); };
    QCOMPARE(value(Model::Annotations::ViewUrl), expected.value(QLatin1String("viewUrl")));
    QCOMPARE(value(Model::Annotations::EditUrl), expected.value(QLatin1String("editUrl")));
    QCOMPARE(value(Model::Annotations::SourceLocation), expected.value(QLatin1String("sourceLocation")));
}

void TestScmIntegrations::authorsOwnValuesWin()
{
    const QJsonObject golden = m_golden.value(QLatin1String("authorWins")).toObject();
    const ScmIntegrations integrations = ScmIntegrations::fromConfig(m_golden.value(QLatin1String("integrations")).toObject());
    const QJsonObject entity{{QStringLiteral("kind"), QStringLiteral("Component")},
                             {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("x")},
                                                                      {QStringLiteral("annotations"), golden.value(QLatin1String("given"))}}}};
    const QJsonObject annotated = Ingest::withScmAnnotations(entity, integrations.locationAnnotations(golden.value(QLatin1String("target")).toString()));
    const QJsonObject annotations = annotated[QLatin1String("metadata")][QLatin1String("annotations")].toObject();
    QCOMPARE(annotations.value(Model::Annotations::ViewUrl), golden.value(QLatin1String("viewUrl")));
    QCOMPARE(annotations.value(Model::Annotations::EditUrl), golden.value(QLatin1String("editUrl")));
    QCOMPARE(annotations.value(Model::Annotations::SourceLocation), golden.value(QLatin1String("sourceLocation")));
    // An entity whose metadata is not an object is left for validation to refuse.
    const QJsonObject broken{{QStringLiteral("metadata"), QStringLiteral("x")}};
    QCOMPARE(Ingest::withScmAnnotations(broken, integrations.locationAnnotations(golden.value(QLatin1String("target")).toString())), broken);
}

QTEST_GUILESS_MAIN(TestScmIntegrations)
#include "tst_scmintegrations.moc"
