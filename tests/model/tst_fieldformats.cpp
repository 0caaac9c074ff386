// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <model/fieldformats.h>

#include <QTest>

using namespace Greenroom::Model;

class TestFieldFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rules_data();
    void rules();
};

void TestFieldFormats::rules_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    const QString a63(63, QLatin1Char('a')), a64(64, QLatin1Char('a'));
    const auto row = [](const char *name, const char *rule, const QString &value, bool valid) {
        QTest::newRow(name) << QString::fromUtf8(rule) << value << valid;
    };
    row("name: 63 chars", "name", a63, true);
    row("name: 64 chars", "name", a64, false);
    row("name: one char", "name", QStringLiteral("a"), true);
    row("name: empty", "name", QString(), false);
    row("name: separators inside", "name", QStringLiteral("a-_.b"), true);
    row("name: trailing dot", "name", QStringLiteral("a."), false);
    row("name: non-ASCII", "name", QStringLiteral("caf\u00e9"), false);
    row("namespace: runs of dashes", "namespace", QStringLiteral("a--b"), true);
    row("namespace: upper case", "namespace", QStringLiteral("Prod"), false);
    row("namespace: leading dash", "namespace", QStringLiteral("-a"), false);
    row("namespace: 63", "namespace", a63, true);
    row("namespace: 64", "namespace", a64, false);
    row("kind: camel", "kind", QStringLiteral("MyKind2"), true);
    row("kind: leading digit", "kind", QStringLiteral("2Kind"), false);
    row("kind: dash", "kind", QStringLiteral("my-kind"), false);
    row("apiVersion: prefixed", "apiVersion", QStringLiteral("backstage.io/v1alpha1"), true);
    row("apiVersion: bare", "apiVersion", QStringLiteral("v1"), true);
    row("apiVersion: two slashes", "apiVersion", QStringLiteral("a/b/c"), false);
    row("apiVersion: dash in suffix", "apiVersion", QStringLiteral("backstage.io/v1-alpha"), false);
    row("apiVersion: upper prefix", "apiVersion", QStringLiteral("Backstage.io/v1"), false);
    row("label key: prefixed", "labelKey", QStringLiteral("example.com/tier"), true);
    row("label key: subdomain 253", "labelKey",
        QString(63, QLatin1Char('a')) + QLatin1Char('.') + QString(63, QLatin1Char('b')) + QLatin1Char('.')
            + QString(63, QLatin1Char('c')) + QLatin1Char('.') + QString(61, QLatin1Char('d')) + QStringLiteral("/x"), true);
    row("label key: subdomain 254", "labelKey",
        QString(63, QLatin1Char('a')) + QLatin1Char('.') + QString(63, QLatin1Char('b')) + QLatin1Char('.')
            + QString(63, QLatin1Char('c')) + QLatin1Char('.') + QString(62, QLatin1Char('d')) + QStringLiteral("/x"), false);
    row("label key: empty prefix", "labelKey", QStringLiteral("/x"), false);
    row("label value: empty", "labelValue", QString(), true);
    row("label value: space", "labelValue", QStringLiteral("a b"), false);
    row("tag: colon plus hash", "tag", QStringLiteral("lang:c++#"), true);
    row("tag: single dash separator", "tag", QStringLiteral("a-b"), true);
    row("tag: double dash", "tag", QStringLiteral("a--b"), false);
    row("tag: trailing dash", "tag", QStringLiteral("a-"), false);
    row("tag: upper case", "tag", QStringLiteral("Java"), false);
    row("tag: 63", "tag", a63, true);
    row("tag: 64", "tag", a64, false);
    row("url: https", "url", QStringLiteral("https://example.com/x?y#z"), true);
    row("url: surrounding spaces", "url", QStringLiteral("  https://example.com  "), true);
    row("url: no scheme", "url", QStringLiteral("example.com"), false);
    row("url: opaque", "url", QStringLiteral("mailto:a@b"), true);
    row("url: special without host", "url", QStringLiteral("https://"), false);
    row("url: port too big", "url", QStringLiteral("http://h:65536/"), false);
    row("url: port max", "url", QStringLiteral("http://h:65535/"), true);
    row("url: forbidden host char", "url", QStringLiteral("http://a<b/"), false);
    row("url: ipv4 ok", "url", QStringLiteral("http://10.0.0.1/"), true);
    row("url: ipv4 out of range", "url", QStringLiteral("http://10.0.0.300/"), false);
    row("url: file", "url", QStringLiteral("file:///etc/hosts"), true);
    row("non-empty: spaces only", "nonEmpty", QStringLiteral(" \t "), false);
    row("non-empty: text", "nonEmpty", QStringLiteral(" a "), true);
}

void TestFieldFormats::rules()
{
    QFETCH(QString, rule);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    using namespace FieldFormats;
    const QHash<QString, bool (*)(const QString &)> rules{
        {QStringLiteral("name"), isValidObjectName},     {QStringLiteral("namespace"), isValidDnsLabel},
        {QStringLiteral("kind"), isValidKind},           {QStringLiteral("apiVersion"), isValidApiVersion},
        {QStringLiteral("labelKey"), isValidLabelKey},   {QStringLiteral("labelValue"), isValidLabelValue},
        {QStringLiteral("tag"), isValidTag},             {QStringLiteral("url"), isValidUrl},
        {QStringLiteral("nonEmpty"), isNonEmptyString}};
    QVERIFY(rules.contains(rule));
    QCOMPARE(rules.value(rule)(value), valid);
}

QTEST_GUILESS_MAIN(TestFieldFormats)
#include "tst_fieldformats.moc"
