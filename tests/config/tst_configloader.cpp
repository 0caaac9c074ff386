// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <config/configloader.h>
#include <config/duration.h>

#include <testfiles.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Config;
using TestSupport::writeFile;

class TestConfigLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void layersMergeInOrder();
    void nullRemovesAKey();
    void defaultFilesAndEnvironments();
    void substitution_data();
    void substitution();
    void undefinedVariableDropsArrayElements();
    void includes();
    void includeErrors_data();
    void includeErrors();
    void environmentOverrides();
    void environmentErrors_data();
    void environmentErrors();
    void typedReads();
    void typedReadErrors();
    void invalidKey();
    void durations_data();
    void durations();
    void durationObjects();
    void badYamlNamesTheFile();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    Result<ConfigReader> load(const QStringList &files, const Environment &environment = {})
    {
        LoadOptions options;
        for (const QString &file : files)
            options.configFiles.append(path(file));
        options.environment = environment;
        return ConfigLoader::load(options);
    }
    QTemporaryDir m_dir;
};

void TestConfigLoader::init()
{
    QDir(m_dir.path()).removeRecursively();
    QDir().mkpath(m_dir.path());
}

void TestConfigLoader::layersMergeInOrder()
{
    writeFile(path(QStringLiteral("a.yaml")), "backend:\n  listen: {port: 7007, host: 0.0.0.0}\n  list: [1, 2, 3]\n"
                                              "  mixed: {a: 1}\napp: {title: Base}\n");
    writeFile(path(QStringLiteral("b.yaml")), "backend:\n  listen: {port: 7008}\n  list: [9]\n  mixed: scalar\n");
    auto config = load({QStringLiteral("a.yaml"), QStringLiteral("b.yaml")});
    QVERIFY2(config, config ? "" : qPrintable(config.error().message));
    QCOMPARE(config->number(QStringLiteral("backend.listen.port")).value(), 7008.0);
    QCOMPARE(config->string(QStringLiteral("backend.listen.host")).value(), QStringLiteral("0.0.0.0"));
    QCOMPARE(config->optional(QStringLiteral("backend.list")).value().value(), QJsonValue(QJsonArray{9}));
    QCOMPARE(config->optional(QStringLiteral("backend.mixed")).value().value(), QJsonValue(QStringLiteral("scalar")));
    QCOMPARE(config->string(QStringLiteral("app.title")).value(), QStringLiteral("Base"));
    // A value from the top layer names that layer in errors.
    auto wrong = config->string(QStringLiteral("backend.listen.port"));
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().message, QStringLiteral("Invalid type in config for key 'backend.listen.port' in 'b.yaml', got number, wanted string"));
    // As upstream: a type error names the layer holding the value, a failed
    // conversion the top layer.
    auto lower = config->stringArray(QStringLiteral("app.title"));
    QCOMPARE(lower.error().message, QStringLiteral("Invalid type in config for key 'app.title' in 'a.yaml', got string, wanted string-array"));
    auto converted = config->boolean(QStringLiteral("app.title"));
    QCOMPARE(converted.error().message, QStringLiteral("Unable to convert config value for key 'app.title' in 'b.yaml' to a boolean"));
    auto listen = config->config(QStringLiteral("backend.listen"));
    QVERIFY(listen);
    QCOMPARE(listen->keys(), (QStringList{QStringLiteral("port"), QStringLiteral("host")}));
}

void TestConfigLoader::nullRemovesAKey()
{
    writeFile(path(QStringLiteral("a.yaml")), "catalog:\n  rules: [{allow: [Component]}]\n  readonly: true\n");
    writeFile(path(QStringLiteral("b.yaml")), "catalog:\n  rules: null\n");
    auto config = load({QStringLiteral("a.yaml"), QStringLiteral("b.yaml")});
    QVERIFY(config);
    QVERIFY(!config->has(QStringLiteral("catalog.rules")));
    QVERIFY(config->has(QStringLiteral("catalog.readonly")));
    QVERIFY(!config->optionalConfigArray(QStringLiteral("catalog.rules"))->has_value());
    QCOMPARE(config->config(QStringLiteral("catalog"))->keys(), QStringList{QStringLiteral("readonly")});
    QCOMPARE(config->optional(QStringLiteral("catalog")).value().value(),
             QJsonValue(QJsonObject{{QStringLiteral("readonly"), true}}));
    auto missing = config->configArray(QStringLiteral("catalog.rules"));
    QCOMPARE(missing.error().message, QStringLiteral("Missing required config value at 'catalog.rules' in 'b.yaml'"));
}

void TestConfigLoader::defaultFilesAndEnvironments()
{
    LoadOptions options;
    options.workingDirectory = m_dir.path();
    options.defaultConfigFile = QStringLiteral(":/embedded.yaml");
    QCOMPARE(ConfigLoader::configFiles(options), QStringList{QStringLiteral(":/embedded.yaml")});
    for (const char *name : {"app-config.yaml", "app-config.production.yaml", "app-config.local.yaml",
                             "app-config.production.local.yaml", "app-config.staging.yaml"})
        writeFile(path(QString::fromLatin1(name)), "a: 1\n");
    options.environment.insert(QStringLiteral("BACKSTAGE_ENV"), QStringLiteral("production, missing"));
    QCOMPARE(ConfigLoader::configFiles(options),
             (QStringList{path(QStringLiteral("app-config.yaml")), path(QStringLiteral("app-config.production.yaml")),
                          path(QStringLiteral("app-config.local.yaml")), path(QStringLiteral("app-config.production.local.yaml"))}));
    // --config replaces the defaults, .local included.
    options.configFiles = {QStringLiteral("app-config.staging.yaml")};
    QCOMPARE(ConfigLoader::configFiles(options), QStringList{path(QStringLiteral("app-config.staging.yaml"))});
}

void TestConfigLoader::substitution_data()
{
    QTest::addColumn<QString>("written");
    QTest::addColumn<QJsonValue>("expected");   // Undefined = the key is dropped
    const QJsonValue dropped(QJsonValue::Undefined);
    QTest::newRow("trimmed") << QStringLiteral("${TITLE}") << QJsonValue(QStringLiteral("My Title"));
    QTest::newRow("name trimmed") << QStringLiteral("${ TITLE }") << QJsonValue(QStringLiteral("My Title"));
    QTest::newRow("inside") << QStringLiteral("http://${HOST}:3000") << QJsonValue(QStringLiteral("http://example.com:3000"));
    QTest::newRow("number stays text") << QStringLiteral("${PORT}") << QJsonValue(QStringLiteral("7008"));
    QTest::newRow("unset") << QStringLiteral("${NOPE}") << dropped;
    QTest::newRow("unset inside") << QStringLiteral("pre-${NOPE}-post") << dropped;
    QTest::newRow("empty kept") << QStringLiteral("${EMPTY}") << QJsonValue(QString());
    QTest::newRow("fallback") << QStringLiteral("${NOPE:-dflt}") << QJsonValue(QStringLiteral("dflt"));
    QTest::newRow("fallback for empty") << QStringLiteral("${EMPTY:-fb}") << QJsonValue(QStringLiteral("fb"));
    QTest::newRow("empty fallback") << QStringLiteral("${NOPE:-}") << dropped;
    QTest::newRow("escape") << QStringLiteral("$${HOME}") << QJsonValue(QStringLiteral("${HOME}"));
    QTest::newRow("lone $$") << QStringLiteral("a$$b") << QJsonValue(QStringLiteral("a$$b"));
    QTest::newRow("lone $${") << QStringLiteral("a$${b") << QJsonValue(QStringLiteral("a$${b"));
}

void TestConfigLoader::substitution()
{
    QFETCH(QString, written);
    QFETCH(QJsonValue, expected);
    writeFile(path(QStringLiteral("a.yaml")), "value: '" + written.toUtf8() + "'\nother: kept\n");
    const Environment environment{{QStringLiteral("TITLE"), QStringLiteral("  My Title  ")},
                                  {QStringLiteral("HOST"), QStringLiteral("example.com")},
                                  {QStringLiteral("PORT"), QStringLiteral("7008")},
                                  {QStringLiteral("HOME"), QStringLiteral("/root")},
                                  {QStringLiteral("EMPTY"), QString()}};
    auto config = load({QStringLiteral("a.yaml")}, environment);
    QVERIFY2(config, config ? "" : qPrintable(config.error().message));
    const auto value = config->optional(QStringLiteral("value")).value();
    if (expected.isUndefined()) {
        QVERIFY(!value.has_value());
        QVERIFY(!config->has(QStringLiteral("value")));
    } else {
        QCOMPARE(value.value(), expected);
    }
    QVERIFY(config->has(QStringLiteral("other")));
}

void TestConfigLoader::undefinedVariableDropsArrayElements()
{
    writeFile(path(QStringLiteral("a.yaml")), "list: [a, '${NOPE}', c]\nport: ${PORT}\n");
    auto config = load({QStringLiteral("a.yaml")}, {{QStringLiteral("PORT"), QStringLiteral("7008")}});
    QVERIFY(config);
    QCOMPARE(config->stringArray(QStringLiteral("list")).value(), (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
    QCOMPARE(config->number(QStringLiteral("port")).value(), 7008.0);   // numeric readers convert
}

void TestConfigLoader::includes()
{
    writeFile(path(QStringLiteral("secrets/token.txt")), "  s3cret \n\n");
    writeFile(path(QStringLiteral("parts/db.yaml")),
              "database:\n  client: pg\n  password: {$file: ../secrets/token.txt}\n  user: ${DB_USER}\nother: 1\n");
    writeFile(path(QStringLiteral("parts/list.json")), "{\"hosts\": [\"a\", \"b\"]}");
    writeFile(path(QStringLiteral("a.yaml")),
              "token: {$file: secrets/token.txt}\n"
              "user: {$env: DB_USER}\n"
              "gone: {$env: NOPE}\n"
              "backend: {$include: parts/db.yaml#database}\n"
              "hosts: {$include: 'parts/list.json#hosts'}\n"
              "named: {$file: '${DIR}/token.txt'}\n");
    auto config = load({QStringLiteral("a.yaml")},
                       {{QStringLiteral("DB_USER"), QStringLiteral(" admin ")}, {QStringLiteral("DIR"), QStringLiteral("secrets")}});
    QVERIFY2(config, config ? "" : qPrintable(config.error().message));
    QCOMPARE(config->string(QStringLiteral("token")).value(), QStringLiteral("  s3cret"));   // trailing space only
    QCOMPARE(config->string(QStringLiteral("user")).value(), QStringLiteral("admin"));
    QVERIFY(!config->has(QStringLiteral("gone")));
    // Included documents are processed relative to their own folder.
    QCOMPARE(config->string(QStringLiteral("backend.password")).value(), QStringLiteral("  s3cret"));
    QCOMPARE(config->string(QStringLiteral("backend.user")).value(), QStringLiteral("admin"));
    QVERIFY(!config->has(QStringLiteral("backend.other")));
    QCOMPARE(config->stringArray(QStringLiteral("hosts")).value(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(config->string(QStringLiteral("named")).value(), QStringLiteral("  s3cret"));
}

void TestConfigLoader::includeErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("message");   // after 'Failed to read config file at "<path>", '
    QTest::newRow("adjacent") << QByteArray("a:\n  b: {$file: x.txt, other: 1}\n")
                              << QStringLiteral("error at .a.b, include key $file should not have adjacent keys");
    QTest::newRow("not a string") << QByteArray("a: [{$env: [1]}]\n")
                                  << QStringLiteral("error at .a[0], $env include value is not a string");
    QTest::newRow("undefined operand") << QByteArray("a: {$file: '${NOPE}'}\n")
                                       << QStringLiteral("error at .a, $file substitution value was undefined");
    QTest::newRow("unknown parser") << QByteArray("a: {$include: notes.txt}\n")
                                    << QStringLiteral("error at .a, no configuration parser available for included file notes.txt");
    QTest::newRow("not an object") << QByteArray("a: {$include: 'part.yaml#x.y'}\n")
                                   << QStringLiteral("error at .a, value at 'x' in included file part.yaml is not an object");
    QTest::newRow("root not object") << QByteArray("- 1\n") << QStringLiteral("expected object at config root");
}

void TestConfigLoader::includeErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, message);
    writeFile(path(QStringLiteral("part.yaml")), "x: 5\n");
    writeFile(path(QStringLiteral("a.yaml")), yaml);
    auto config = load({QStringLiteral("a.yaml")});
    QVERIFY(!config);
    QCOMPARE(config.error().message, QStringLiteral("Failed to read config file at \"%1\", %2").arg(path(QStringLiteral("a.yaml")), message));
}

void TestConfigLoader::environmentOverrides()
{
    writeFile(path(QStringLiteral("a.yaml")), "backend:\n  listen: {port: 7007, host: 127.0.0.1}\n");
    auto config = load({QStringLiteral("a.yaml")},
                       {{QStringLiteral("APP_CONFIG_backend_listen_port"), QStringLiteral("7008")},
                        {QStringLiteral("APP_CONFIG_app_title"), QStringLiteral("Hello")},
                        {QStringLiteral("APP_CONFIG_app_code"), QStringLiteral("042")},
                        {QStringLiteral("APP_CONFIG_app_list"), QStringLiteral("[1,\"x\"]")},
                        {QStringLiteral("APP_CONFIG_app_empty"), QString()},
                        {QStringLiteral("OTHER_backend"), QStringLiteral("1")}});
    QVERIFY2(config, config ? "" : qPrintable(config.error().message));
    QCOMPARE(config->optional(QStringLiteral("backend.listen.port")).value().value(), QJsonValue(7008));
    QCOMPARE(config->string(QStringLiteral("backend.listen.host")).value(), QStringLiteral("127.0.0.1"));
    QCOMPARE(config->string(QStringLiteral("app.title")).value(), QStringLiteral("Hello"));
    QCOMPARE(config->optional(QStringLiteral("app.code")).value().value(), QJsonValue(QStringLiteral("042")));
    QCOMPARE(config->optional(QStringLiteral("app.list")).value().value(), QJsonValue(QJsonArray{1, QStringLiteral("x")}));
    QVERIFY(!config->has(QStringLiteral("app.empty")));
    auto wrong = config->string(QStringLiteral("backend.listen.port"));
    QCOMPARE(wrong.error().message, QStringLiteral("Invalid type in config for key 'backend.listen.port' in 'env', got number, wanted string"));
}

void TestConfigLoader::environmentErrors_data()
{
    QTest::addColumn<Environment>("environment");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad key") << Environment{{QStringLiteral("APP_CONFIG_a__b"), QStringLiteral("1")}}
                             << QStringLiteral("Invalid env config key 'a__b'");
    QTest::newRow("null") << Environment{{QStringLiteral("APP_CONFIG_a"), QStringLiteral("null")}}
                          << QStringLiteral("Failed to parse JSON-serialized config value for key 'a', Error: value may not be null");
    QTest::newRow("collision") << Environment{{QStringLiteral("APP_CONFIG_a"), QStringLiteral("{\"b\":1}")},
                                              {QStringLiteral("APP_CONFIG_a_b"), QStringLiteral("2")}}
                               << QStringLiteral("Refusing to override existing config at key 'a_b'");
    QTest::newRow("nest under scalar") << Environment{{QStringLiteral("APP_CONFIG_a"), QStringLiteral("1")},
                                                      {QStringLiteral("APP_CONFIG_a_b"), QStringLiteral("2")}}
                                       << QStringLiteral("Could not nest config for key 'a_b' under existing value 'a'");
}

void TestConfigLoader::environmentErrors()
{
    QFETCH(Environment, environment);
    QFETCH(QString, message);
    auto config = load({}, environment);
    QVERIFY(!config);
    QCOMPARE(config.error().message, message);
}

void TestConfigLoader::typedReads()
{
    writeFile(path(QStringLiteral("a.yaml")),
              "n: ' 42 '\nb1: yes\nb2: 'Off'\nb3: 1\nb4: true\nempty: ''\nlist: [a, b]\nobjects: [{x: 1}, {x: 2}]\n");
    auto config = load({QStringLiteral("a.yaml")});
    QVERIFY(config);
    QCOMPARE(config->number(QStringLiteral("n")).value(), 42.0);
    QCOMPARE(config->boolean(QStringLiteral("b1")).value(), true);   // YAML 1.2: `yes` is a string, converted
    QCOMPARE(config->boolean(QStringLiteral("b2")).value(), false);
    QCOMPARE(config->boolean(QStringLiteral("b3")).value(), true);
    QCOMPARE(config->boolean(QStringLiteral("b4")).value(), true);
    auto objects = config->configArray(QStringLiteral("objects"));
    QVERIFY(objects);
    QCOMPARE(objects->size(), 2);
    QCOMPARE(objects->at(1).number(QStringLiteral("x")).value(), 2.0);
    QCOMPARE(objects->at(1).fullKey(QStringLiteral("x")), QStringLiteral("objects[1].x"));
    QVERIFY(!config->optionalString(QStringLiteral("absent")).value().has_value());
}

void TestConfigLoader::typedReadErrors()
{
    writeFile(path(QStringLiteral("app-config.yaml")),
              "empty: ''\nword: abc\nlist: [a, '', c]\nobjects: [{x: 1}, 2]\nscalar: 5\n");
    auto config = load({QStringLiteral("app-config.yaml")});
    QVERIFY(config);
    const auto message = [](const auto &result) { return result.error().message; };
    QCOMPARE(message(config->string(QStringLiteral("empty"))),
             QStringLiteral("Invalid type in config for key 'empty' in 'app-config.yaml', got empty-string, wanted string"));
    QCOMPARE(message(config->number(QStringLiteral("word"))),
             QStringLiteral("Unable to convert config value for key 'word' in 'app-config.yaml' to a number"));
    QCOMPARE(message(config->stringArray(QStringLiteral("list"))),
             QStringLiteral("Invalid type in config for key 'list[1]' in 'app-config.yaml', got empty-string, wanted string-array"));
    QCOMPARE(message(config->configArray(QStringLiteral("objects"))),
             QStringLiteral("Invalid type in config for key 'objects[1]' in 'app-config.yaml', got number, wanted object-array"));
    QCOMPARE(message(config->config(QStringLiteral("scalar"))),
             QStringLiteral("Invalid type in config for key 'scalar' in 'app-config.yaml', got number, wanted object"));
    QCOMPARE(message(config->string(QStringLiteral("scalar.inner"))),
             QStringLiteral("Invalid type in config for key 'scalar' in 'app-config.yaml', got number, wanted object"));
    QCOMPARE(message(config->string(QStringLiteral("backend.baseUrl"))),
             QStringLiteral("Missing required config value at 'backend.baseUrl' in 'app-config.yaml'"));
}

void TestConfigLoader::invalidKey()
{
    const ConfigReader config = ConfigReader::fromLayers({{QJsonObject{{QStringLiteral("a"), 1}}, QStringLiteral("x")}});
    QCOMPARE(config.optional(QStringLiteral("a..b")).error().message, QStringLiteral("Invalid config key 'a..b'"));
    QCOMPARE(config.optional(QStringLiteral("1a")).error().message, QStringLiteral("Invalid config key '1a'"));
    QVERIFY(config.optional(QStringLiteral("a-b_c:d")));
}

void TestConfigLoader::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("milliseconds");   // -1 = error
    QTest::newRow("minutes") << QStringLiteral("30m") << qint64(30 * 60 * 1000);
    QTest::newRow("words") << QStringLiteral("2 hours") << qint64(2 * 3600 * 1000);
    QTest::newRow("fraction") << QStringLiteral("1.5s") << qint64(1500);
    QTest::newRow("ms") << QStringLiteral("100ms") << qint64(100);
    QTest::newRow("milliseconds") << QStringLiteral("250 milliseconds") << qint64(250);
    QTest::newRow("mins") << QStringLiteral("3 mins") << qint64(3 * 60 * 1000);
    QTest::newRow("days") << QStringLiteral("1d") << qint64(24 * 3600 * 1000);
    QTest::newRow("iso") << QStringLiteral("PT30M") << qint64(30 * 60 * 1000);
    QTest::newRow("iso days") << QStringLiteral("P2DT6H") << qint64((2 * 24 + 6) * 3600 * 1000LL);
    QTest::newRow("iso fraction") << QStringLiteral("PT1.5S") << qint64(1500);
    QTest::newRow("plain number") << QStringLiteral("100") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-5m") << qint64(-1);
    QTest::newRow("nonsense") << QStringLiteral("soon") << qint64(-1);
    QTest::newRow("bad iso") << QStringLiteral("P1X") << qint64(-1);
    QTest::newRow("empty iso") << QStringLiteral("P") << qint64(-1);
}

void TestConfigLoader::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, milliseconds);
    auto parsed = parseDuration(text);
    if (milliseconds < 0) {
        QVERIFY(!parsed);
        return;
    }
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
    QCOMPARE(qint64(parsed->count()), milliseconds);
}

void TestConfigLoader::durationObjects()
{
    writeFile(path(QStringLiteral("a.yaml")),
              "catalog:\n  interval: {minutes: 2, seconds: 30}\n  text: 100\n  odd: {minutes: 1, hourz: 2}\n"
              "  none: {}\n  string: 5 minutes\n");
    auto config = load({QStringLiteral("a.yaml")});
    QVERIFY(config);
    QCOMPARE(readDuration(*config, QStringLiteral("catalog.interval"))->count(), 150000);
    QCOMPARE(readDuration(*config, QStringLiteral("catalog.string"))->count(), 300000);
    QCOMPARE(readDuration(*config, QStringLiteral("catalog.text")).error().message,
             QStringLiteral("Failed to read duration from config, Error: Invalid type in config for key 'catalog.text' in "
                            "'a.yaml', got number, wanted object"));
    QCOMPARE(readDuration(*config, QStringLiteral("catalog.odd")).error().message,
             QStringLiteral("Failed to read duration from config at 'catalog.odd', Error: Unknown property 'hourz'; expected "
                            "one or more of 'years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'"));
    QVERIFY(readDuration(*config, QStringLiteral("catalog.none")).error().message.contains(QStringLiteral("Needs one or more of")));
    const ConfigReader catalog = config->config(QStringLiteral("catalog")).value();
    QCOMPARE(readDuration(catalog, QStringLiteral("string"))->count(), 300000);
}

void TestConfigLoader::badYamlNamesTheFile()
{
    writeFile(path(QStringLiteral("a.yaml")), "backend:\n  listen: [unclosed\n");
    auto config = load({QStringLiteral("a.yaml")});
    QVERIFY(!config);
    QVERIFY2(config.error().message.startsWith(QStringLiteral("Failed to read config file at \"%1\"").arg(path(QStringLiteral("a.yaml")))),
             qPrintable(config.error().message));
    QVERIFY(config.error().line > 0);
    auto absent = load({QStringLiteral("nope.yaml")});
    QCOMPARE(absent.error().message, QStringLiteral("Config file \"%1\" does not exist").arg(path(QStringLiteral("nope.yaml"))));
    writeFile(path(QStringLiteral("empty.yaml")), "");
    QVERIFY(load({QStringLiteral("empty.yaml")}));
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
