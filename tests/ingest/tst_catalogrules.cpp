// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <ingest/catalogrules.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Ingest;

class TestCatalogRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsAllowComponentApiLocation();
    void configuredRulesMatchKindTypeAndLocation();
    void exactAndPatternTogetherIsAnError();
    void locationRulesAreAddedForThatLocationOnly();

private:
    static QJsonObject entity(const char *kind, const char *type = "x")
    {
        return {{QStringLiteral("kind"), QString::fromUtf8(kind)},
                {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QString::fromUtf8(type)}}}};
    }
};

void TestCatalogRules::defaultsAllowComponentApiLocation()
{
    const CatalogRules rules = CatalogRules::defaults();
    const Model::LocationRef origin{QStringLiteral("url"), QStringLiteral("https://h/c.yaml")};
    QVERIFY(rules.isAllowed(entity("Component"), origin));
    QVERIFY(rules.isAllowed(entity("api"), origin));   // case-insensitive
    QVERIFY(rules.isAllowed(entity("Location"), origin));
    for (const char *kind : {"User", "Group", "System", "Domain", "Resource", "Template"})
        QVERIFY2(!rules.isAllowed(entity(kind), origin), kind);
    QVERIFY(CatalogRules::allowAll().isAllowed(entity("User"), origin));
}

void TestCatalogRules::configuredRulesMatchKindTypeAndLocation()
{
    const auto rules = CatalogRules::fromConfig(QJsonDocument::fromJson(R"([
        {"allow": ["Component"]},
        {"allow": [{"kind": "Resource", "spec.type": "database"}]},
        {"allow": ["User", "Group"], "locations": [{"type": "file", "pattern": "/srv/org/**/*.yaml"}]},
        {"allow": ["Template"], "locations": [{"type": "url", "exact": "https://h/templates.yaml"}]}
    ])").array());
    QVERIFY(rules);
    const Model::LocationRef orgFile{QStringLiteral("file"), QStringLiteral("/srv/org/people/users.yaml")};
    const Model::LocationRef other{QStringLiteral("file"), QStringLiteral("/srv/apps/catalog-info.yaml")};
    QVERIFY(rules->isAllowed(entity("User"), orgFile));
    QVERIFY(rules->isAllowed(entity("group"), QStringLiteral("file") == orgFile.type ? orgFile : other));
    QVERIFY(!rules->isAllowed(entity("User"), other));
    QVERIFY(rules->isAllowed(entity("Resource", "Database"), other));
    QVERIFY(!rules->isAllowed(entity("Resource", "bucket"), other));
    QVERIFY(rules->isAllowed(entity("Template"), {QStringLiteral("url"), QStringLiteral("https://h/templates.yaml")}));
    QVERIFY(!rules->isAllowed(entity("Template"), {QStringLiteral("url"), QStringLiteral("https://h/other.yaml")}));
    QVERIFY(!rules->isAllowed(entity("API"), other));
}

void TestCatalogRules::exactAndPatternTogetherIsAnError()
{
    const auto rules = CatalogRules::fromConfig(QJsonDocument::fromJson(
        R"([{"allow": ["User"], "locations": [{"type": "file", "exact": "/a", "pattern": "/b*"}]}])").array());
    QVERIFY(!rules);
    QCOMPARE(rules.error().message, QStringLiteral("catalog.rules[0].locations cannot have both exact and pattern"));
}

void TestCatalogRules::locationRulesAreAddedForThatLocationOnly()
{
    CatalogRules rules = CatalogRules::defaults();
    const Model::LocationRef org{QStringLiteral("file"), QStringLiteral("/srv/org.yaml")};
    const Model::LocationRef other{QStringLiteral("file"), QStringLiteral("/srv/other.yaml")};
    const QJsonValue locationRules = QJsonDocument::fromJson(R"([{"allow": ["User", "Group"]}])").array();
    QVERIFY(rules.addLocationRules(locationRules, org));
    QVERIFY(rules.isAllowed(entity("User"), org));
    QVERIFY(!rules.isAllowed(entity("User"), other));
    QVERIFY(rules.isAllowed(entity("Component"), org));   // added to, not instead of, the global rules
    QVERIFY(rules.addLocationRules(QJsonValue(), other));
    QVERIFY(!rules.isAllowed(entity("Group"), other));
    QVERIFY(!rules.addLocationRules(QJsonValue(QStringLiteral("nope")), other));
}

QTEST_GUILESS_MAIN(TestCatalogRules)
#include "tst_catalogrules.moc"
