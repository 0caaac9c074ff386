// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// A template's parameters: pages from spec.parameters (one object or a
// list), answers validated with JSON Schema (valijson) with messages at
// the field, defaults filled in, and the cases Backstage's forms use
// (arrays, nested objects, dependencies with oneOf).
#include <testconfig.h>

#include <scaffold/templateparameters.h>
#include <yaml/yamlreader.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Scaffold;

namespace {

QJsonObject yamlObject(const QByteArray &text)
{
    const Yaml::YamlStream stream = Yaml::YamlReader::read(text, QStringLiteral("test.yaml"));
    return stream.documents.isEmpty() ? QJsonObject() : stream.documents.first().value.toObject();
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

QStringList stacks(const QList<ParameterProblem> &problems)
{
    QStringList out;
    for (const ParameterProblem &problem : problems)
        out.append(problem.stack());
    out.sort();
    return out;
}

} // namespace

class TestTemplateParameters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pagesOfTheGoldenPath();
    void singleObjectIsOnePage();
    void validation_data();
    void validation();
    void firstFailingPageAnswers();
    void defaultsAreFilledIn();
    void unreadableSchemaIsAProblem();
    void pageConditions_data();
    void pageConditions();
    void hiddenPagesAreNotCheckedAndGiveNothing();
};

void TestTemplateParameters::pagesOfTheGoldenPath()
{
    QFile file(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/templates/spring-boot-microservice/template.yaml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<ParameterPage> pages = parameterPages(yamlObject(file.readAll()));
    QCOMPARE(pages.size(), 3);
    QCOMPARE(pages.at(0).title, QStringLiteral("About the service"));
    QCOMPARE(pages.at(2).title, QStringLiteral("Repository"));
    // ui: keys stay in the schema for the wizard.
    QCOMPARE(pages.at(0).schema[QLatin1String("properties")][QLatin1String("owner")][QLatin1String("ui:field")].toString(), QStringLiteral("OwnerPicker"));

    const QJsonObject good = json(R"({"name": "payments", "description": "Takes payments.", "owner": "team-checkout",
                                      "javaVersion": "21", "repoUrl": "github.com?owner=northwind&repo=payments"})");
    QVERIFY(validateParameters(good, pages).isEmpty());
    QJsonObject bad = good;
    bad.insert(QStringLiteral("name"), QStringLiteral("Payments Service"));
    bad.insert(QStringLiteral("javaVersion"), QStringLiteral("8"));
    bad.remove(QStringLiteral("owner"));
    // The first page's problems only; the second page is not reached.
    QCOMPARE(stacks(validateParameters(bad, pages)),
             (QStringList{QStringLiteral("instance requires property \"owner\""),
                          QStringLiteral("instance.name does not match pattern \"^[a-z][a-z0-9-]{2,40}$\"")}));
    QCOMPARE(stacks(validatePage(bad, pages.at(1))), QStringList{QStringLiteral("instance.javaVersion is not one of enum values: 21,17")});
}

void TestTemplateParameters::singleObjectIsOnePage()
{
    const QList<ParameterPage> pages = parameterPages(yamlObject("spec:\n  parameters:\n    required: [name]\n    properties:\n      name: {type: string}\n"));
    QCOMPARE(pages.size(), 1);
    QCOMPARE(pages.first().title, QStringLiteral("Please enter the following information"));
    QCOMPARE(stacks(validateParameters({}, pages)), QStringList{QStringLiteral("instance requires property \"name\"")});
    QVERIFY(parameterPages(yamlObject("spec:\n  steps: []\n")).isEmpty());
}

void TestTemplateParameters::validation_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("values");
    QTest::addColumn<QStringList>("expected");
    const QByteArray schema = R"({"properties": {
        "name": {"type": "string", "minLength": 3, "maxLength": 8},
        "port": {"type": "integer", "minimum": 1024, "maximum": 65535},
        "ratio": {"type": "number", "exclusiveMinimum": 0},
        "private": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9+#-]+$"}, "minItems": 1, "uniqueItems": true},
        "owner": {"type": "object", "required": ["team"], "properties": {"team": {"type": "string"}, "size": {"type": "integer"}}},
        "kind": {"type": "string", "const": "service"}
    }})";
    QTest::newRow("all good") << schema << QByteArray(R"({"name": "svc", "port": 8080, "private": true, "tags": ["java"], "owner": {"team": "a"}})")
                              << QStringList{};
    QTest::newRow("lengths") << schema << QByteArray(R"({"name": "ab"})") << QStringList{QStringLiteral("instance.name does not meet minimum length of 3")};
    QTest::newRow("too long") << schema << QByteArray(R"({"name": "abcdefghij"})")
                              << QStringList{QStringLiteral("instance.name does not meet maximum length of 8")};
    QTest::newRow("numbers") << schema << QByteArray(R"({"port": 80, "ratio": 0})")
                             << QStringList{QStringLiteral("instance.port must be greater than or equal to 1024"),
                                            QStringLiteral("instance.ratio must be greater than 0")};
    QTest::newRow("types") << schema << QByteArray(R"({"port": "8080", "private": "yes", "name": 5})")
                           << QStringList{QStringLiteral("instance.name is not of a type(s) string"), QStringLiteral("instance.port is not of a type(s) integer"),
                                          QStringLiteral("instance.private is not of a type(s) boolean")};
    QTest::newRow("integer means whole") << schema << QByteArray(R"({"port": 8080.5})") << QStringList{QStringLiteral("instance.port is not of a type(s) integer")};
    QTest::newRow("arrays") << schema << QByteArray(R"({"tags": ["Java!", "ok", "ok"]})")
                            << QStringList{QStringLiteral("instance.tags contains duplicate item"),
                                           QStringLiteral("instance.tags[0] does not match pattern \"^[a-z0-9+#-]+$\"")};
    QTest::newRow("empty array") << schema << QByteArray(R"({"tags": []})") << QStringList{QStringLiteral("instance.tags does not meet minimum length of 1")};
    QTest::newRow("nested object") << schema << QByteArray(R"({"owner": {"size": "big"}})")
                                   << QStringList{QStringLiteral("instance.owner requires property \"team\""),
                                                  QStringLiteral("instance.owner.size is not of a type(s) integer")};
    QTest::newRow("const") << schema << QByteArray(R"({"kind": "website"})") << QStringList{QStringLiteral("instance.kind does not exactly match expected constant")};
    // Backstage's forms: a choice that brings its own required fields.
    const QByteArray dependent = R"({"properties": {"database": {"type": "string", "enum": ["none", "postgresql"]}},
        "dependencies": {"database": {"oneOf": [
            {"properties": {"database": {"const": "none"}}},
            {"properties": {"database": {"const": "postgresql"}, "dbName": {"type": "string"}}, "required": ["dbName"]}]}}})";
    QTest::newRow("dependencies: none") << dependent << QByteArray(R"({"database": "none"})") << QStringList{};
    QTest::newRow("dependencies: postgresql needs a name") << dependent << QByteArray(R"({"database": "postgresql"})")
                                                            << QStringList{QStringLiteral("instance is not exactly one from the allowed choices"),
                                                                           QStringLiteral("instance requires property \"dbName\"")};
    QTest::newRow("dependencies: given") << dependent << QByteArray(R"({"database": "postgresql", "dbName": "orders"})") << QStringList{};
    QTest::newRow("property dependency") << QByteArray(R"({"dependencies": {"cert": ["key"]}})") << QByteArray(R"({"cert": "x"})")
                                         << QStringList{QStringLiteral("instance property key not found, required by ")};
}

void TestTemplateParameters::validation()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, values);
    QFETCH(QStringList, expected);
    ParameterPage page;
    page.schema = QJsonDocument::fromJson(schema).object();
    QVERIFY(!page.schema.isEmpty());
    const QStringList actual = stacks(validatePage(QJsonDocument::fromJson(values).object(), page));
    QVERIFY2(actual == expected, qPrintable(actual.join(QLatin1String(" | "))));
}

void TestTemplateParameters::firstFailingPageAnswers()
{
    const QList<ParameterPage> pages = parameterPages(yamlObject(
        "spec:\n  parameters:\n"
        "    - title: One\n      properties:\n        a: {type: string}\n"
        "    - title: Two\n      required: [b]\n      properties:\n        b: {type: string}\n"));
    // Every page sees the whole values object; a property of another page is not "additional".
    QCOMPARE(stacks(validateParameters(json(R"({"a": "x"})"), pages)), QStringList{QStringLiteral("instance requires property \"b\"")});
    QVERIFY(validateParameters(json(R"({"a": "x", "b": "y"})"), pages).isEmpty());
    const QList<ParameterProblem> problems = validatePage(json(R"({"a": 1})"), pages.first());
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().field, QStringLiteral("a"));
    QCOMPARE(problems.first().keyword, QStringLiteral("type"));
    QCOMPARE(problems.first().message, QStringLiteral("is not of a type(s) string"));
}

void TestTemplateParameters::defaultsAreFilledIn()
{
    QFile file(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/templates/spring-boot-microservice/template.yaml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<ParameterPage> pages = parameterPages(yamlObject(file.readAll()));
    const QJsonObject filled = withDefaults(json(R"({"name": "x", "database": "postgresql"})"), pages);
    QCOMPARE(filled.value(QLatin1String("javaVersion")).toString(), QStringLiteral("21"));
    QCOMPARE(filled.value(QLatin1String("database")).toString(), QStringLiteral("postgresql"));   // an answer wins
    QVERIFY(!filled.contains(QLatin1String("system")));   // no default, no value
    const QList<ParameterPage> nested = parameterPages(yamlObject(
        "spec:\n  parameters:\n    properties:\n      ci:\n        type: object\n        properties:\n          provider: {type: string, default: github}\n"));
    QCOMPARE(withDefaults({}, nested).value(QLatin1String("ci"))[QLatin1String("provider")].toString(), QStringLiteral("github"));
}

void TestTemplateParameters::unreadableSchemaIsAProblem()
{
    ParameterPage page;
    page.title = QStringLiteral("Broken");
    page.schema = json(R"({"properties": {"a": {"type": 42}}})");
    const QList<ParameterProblem> problems = validatePage(json(R"({"a": 1})"), page);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().message.startsWith(QLatin1String("the page \"Broken\" is not a valid JSON Schema")), qPrintable(problems.first().message));
}

void TestTemplateParameters::pageConditions_data()
{
    QTest::addColumn<QJsonValue>("when");
    QTest::addColumn<bool>("shown");
    const auto text = [](const char *t) { return QJsonValue(QString::fromUtf8(t)); };
    QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << true;
    QTest::newRow("false") << QJsonValue(false) << false;
    QTest::newRow("expression true") << text("${{ parameters.database == 'postgresql' }}") << true;
    QTest::newRow("expression false") << text("${{ parameters.database == 'none' }}") << false;
    QTest::newRow("without braces") << text("parameters.replicas > 2") << true;
    QTest::newRow("empty array is false") << text("${{ parameters.regions }}") << false;
    QTest::newRow("undefined is false") << text("${{ parameters.nothing }}") << false;
    QTest::newRow("blank shows") << text("  ") << true;
    QTest::newRow("unreadable shows") << text("${{ parameters. }}") << true;
}

void TestTemplateParameters::pageConditions()
{
    QFETCH(QJsonValue, when);
    QFETCH(bool, shown);
    const QJsonObject values{{QStringLiteral("database"), QStringLiteral("postgresql")}, {QStringLiteral("replicas"), 3}, {QStringLiteral("regions"), QJsonArray()}};
    QCOMPARE(pageCondition(when, values), shown);
}

void TestTemplateParameters::hiddenPagesAreNotCheckedAndGiveNothing()
{
    const QList<ParameterPage> pages = parameterPages(yamlObject(R"(
spec:
  parameters:
    - properties:
        database: {type: string, enum: [none, postgresql]}
    - when: ${{ parameters.database == 'postgresql' }}
      required: [size]
      properties:
        size: {type: string}
)"));
    QCOMPARE(pages.size(), 2);
    // No database: the size page is hidden, its requirement does not hold, and a stale size is dropped.
    const QJsonObject none{{QStringLiteral("database"), QStringLiteral("none")}, {QStringLiteral("size"), QStringLiteral("large")}};
    QVERIFY(validateParameters(none, pages).isEmpty());
    const ResolvedPages resolved = resolvePages(none, pages);
    QCOMPARE(resolved.visible, (QList<bool>{true, false}));
    QCOMPARE(resolved.values, (QJsonObject{{QStringLiteral("database"), QStringLiteral("none")}}));
    // PostgreSQL: the page shows and its requirement holds.
    const QJsonObject postgres{{QStringLiteral("database"), QStringLiteral("postgresql")}};
    const QList<ParameterProblem> problems = validateParameters(postgres, pages);
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().field, QStringLiteral("size"));
}

QTEST_GUILESS_MAIN(TestTemplateParameters)
#include "tst_templateparameters.moc"
