// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <model/entityref.h>
#include <model/locationref.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Greenroom::Model;

class TestEntityRef : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void canonicalIsLowerCase();
    void identityIgnoresCase();
    void fromEntityDefaultsNamespace();
    void locationRef_data();
    void locationRef();
};

void TestEntityRef::parse_data()
{
    QTest::addColumn<QString>("ref");
    QTest::addColumn<QString>("defaultKind");
    QTest::addColumn<QString>("defaultNamespace");
    QTest::addColumn<QStringList>("parts");   // kind, namespace, name; or {error text}

    const auto parts = [](const char *k, const char *n, const char *name) {
        return QStringList{QString::fromUtf8(k), QString::fromUtf8(n), QString::fromUtf8(name)};
    };
    const auto error = [](const char *text) { return QStringList{QString::fromUtf8(text)}; };
    QTest::newRow("full, case kept") << "Component:Ns/Foo" << "" << "" << parts("Component", "Ns", "Foo");
    QTest::newRow("name only, no default kind") << "foo" << "" << ""
        << error("Entity reference \"foo\" had missing or empty kind (e.g. did not start with \"component:\" or similar)");
    QTest::newRow("default kind") << "foo" << "Group" << "" << parts("Group", "default", "foo");
    QTest::newRow("namespace and default kind") << "ns1/foo" << "Group" << "" << parts("Group", "ns1", "foo");
    QTest::newRow("inherited namespace") << "shop" << "System" << "payments" << parts("System", "payments", "shop");
    QTest::newRow("explicit namespace beats inherited") << "default/shop" << "System" << "payments"
        << parts("System", "default", "shop");
    QTest::newRow("second colon is part of the name") << "a:b:c" << "" << "" << parts("a", "default", "b:c");
    QTest::newRow("second slash is part of the name") << "a:b/c/d" << "" << "" << parts("a", "b", "c/d");
    QTest::newRow("slash before colon: no kind") << "ns/a:b" << "X" << "" << parts("X", "ns", "a:b");
    QTest::newRow("url is garbage in, garbage out") << "url:https://x/y" << "" << "" << parts("url", "https:", "/x/y");
    QTest::newRow("empty kind") << ":foo" << "" << ""
        << error("Entity reference \":foo\" was not on the form [<kind>:][<namespace>/]<name>");
    QTest::newRow("empty namespace") << "k:/foo" << "" << ""
        << error("Entity reference \"k:/foo\" was not on the form [<kind>:][<namespace>/]<name>");
    QTest::newRow("empty name") << "k:ns/" << "" << ""
        << error("Entity reference \"k:ns/\" was not on the form [<kind>:][<namespace>/]<name>");
    QTest::newRow("empty") << "" << "Group" << "" << error("Entity reference must not be empty");
    QTest::newRow("quotes escaped in message") << "a\"b" << "" << ""
        << error("Entity reference \"a\\\"b\" had missing or empty kind (e.g. did not start with \"component:\" or similar)");
}

void TestEntityRef::parse()
{
    QFETCH(QString, ref);
    QFETCH(QString, defaultKind);
    QFETCH(QString, defaultNamespace);
    QFETCH(QStringList, parts);
    const auto result = EntityRef::parse(ref, {defaultKind, defaultNamespace});
    if (parts.size() == 1) {
        QVERIFY(!result);
        QCOMPARE(result.error().message, parts.first());
        return;
    }
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->kind(), parts[0]);
    QCOMPARE(result->namespaceName(), parts[1]);
    QCOMPARE(result->name(), parts[2]);
}

void TestEntityRef::canonicalIsLowerCase()
{
    QCOMPARE(EntityRef(QStringLiteral("Component"), QStringLiteral("NS"), QStringLiteral("Foo")).toString(),
             QStringLiteral("component:ns/foo"));
    QCOMPARE(EntityRef::canonical(QStringLiteral("User"), QString(), QStringLiteral("Jdoe")),
             QStringLiteral("user:default/jdoe"));
}

void TestEntityRef::identityIgnoresCase()
{
    const auto a = EntityRef::parse(QStringLiteral("Component:default/Foo"));
    const auto b = EntityRef::parse(QStringLiteral("component:default/foo"));
    QVERIFY(a && b);
    QVERIFY(*a == *b);
    QVERIFY(!(*a == EntityRef(QStringLiteral("component"), QStringLiteral("default"), QStringLiteral("bar"))));
}

void TestEntityRef::fromEntityDefaultsNamespace()
{
    const QJsonObject entity = QJsonDocument::fromJson(R"({"kind":"User","metadata":{"name":"Jdoe"}})").object();
    const EntityRef ref = EntityRef::fromEntity(entity);
    QCOMPARE(ref.kind(), QStringLiteral("User"));
    QCOMPARE(ref.namespaceName(), QStringLiteral("default"));
    QCOMPARE(ref.name(), QStringLiteral("Jdoe"));
    QCOMPARE(EntityRef::canonical(entity), QStringLiteral("user:default/jdoe"));
}

void TestEntityRef::locationRef_data()
{
    QTest::addColumn<QString>("ref");
    QTest::addColumn<QString>("expected");   // "type|target" or the error text
    QTest::newRow("url") << "url:https://h/p" << "url|https://h/p";
    QTest::newRow("trimmed") << " file : /a/b.yaml " << "file|/a/b.yaml";
    QTest::newRow("no colon") << "nothing"
        << "Unable to parse location ref 'nothing', expected '<type>:<target>', e.g. 'url:https://host/path'";
    QTest::newRow("empty target") << "url:  "
        << "Unable to parse location ref 'url:  ', expected '<type>:<target>', e.g. 'url:https://host/path'";
    QTest::newRow("https as type") << "https://h/p"
        << "Invalid location ref 'https://h/p', please prefix it with 'url:', e.g. 'url:https://h/p'";
    QTest::newRow("javascript target") << "url:\x01 JavaScript:alert(1)"
        << "Invalid location ref 'url:\x01 JavaScript:alert(1)', target is a javascript: URL";
    QTest::newRow("javascript with newline") << "url:java\nscript:x"
        << "Invalid location ref 'url:java\nscript:x', target is a javascript: URL";
}

void TestEntityRef::locationRef()
{
    QFETCH(QString, ref);
    QFETCH(QString, expected);
    const auto result = LocationRef::parse(ref);
    if (expected.contains(QLatin1Char('|'))) {
        QVERIFY(result);
        QCOMPARE(result->type + QLatin1Char('|') + result->target, expected);
        QCOMPARE(LocationRef::parse(result->toString())->toString(), result->toString());
    } else {
        QVERIFY(!result);
        QCOMPARE(result.error().message, expected);
    }
}

QTEST_GUILESS_MAIN(TestEntityRef)
#include "tst_entityref.moc"
