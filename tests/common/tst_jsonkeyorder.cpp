// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Key order kept beside QJsonObject: read from YAML and from JSON text, and
// written back as JSON that differs from Qt's only in the order of keys.
#include <common/jsonkeyorder.h>
#include <yaml/yamlreader.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using Greenroom::JsonKeyOrder;

class TestJsonKeyOrder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yamlKeepsTheWrittenOrder();
    void jsonTextKeepsItsOrder();
    void writesWhatQtWritesApartFromOrder();
    void unknownKeysFollowSorted();
};

namespace {

QString path(std::initializer_list<const char *> components)
{
    QString result;
    for (const char *component : components)
        result = JsonKeyOrder::childPath(result, QString::fromUtf8(component));
    return result;
}

} // namespace

void TestJsonKeyOrder::yamlKeepsTheWrittenOrder()
{
    const Greenroom::Yaml::YamlStream stream = Greenroom::Yaml::YamlReader::read(R"(kind: Template
metadata: {name: t, title: T}
spec:
  parameters:
    - properties:
        zeta: {type: string}
        alpha:
          type: object
          properties: {second: {type: string}, first: {type: number}}
        middle: {type: boolean}
)", QStringLiteral("t.yaml"));
    QCOMPARE(stream.documents.size(), 1);
    const JsonKeyOrder order = stream.documents.first().positions.keyOrder();
    QCOMPARE(order.keys(QString()), (QStringList{QStringLiteral("kind"), QStringLiteral("metadata"), QStringLiteral("spec")}));
    QCOMPARE(order.keys(path({"metadata"})), (QStringList{QStringLiteral("name"), QStringLiteral("title")}));
    QVERIFY(order.keys(path({"spec", "parameters"})).isEmpty());   // an array: its elements keep their order anyway
    QCOMPARE(order.keys(path({"spec", "parameters", "0", "properties"})),
             (QStringList{QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("middle")}));
    QCOMPARE(order.keys(path({"spec", "parameters", "0", "properties", "alpha", "properties"})),
             (QStringList{QStringLiteral("second"), QStringLiteral("first")}));
    // below() re-roots: the first page's schema as a page of its own.
    QCOMPARE(order.below(path({"spec", "parameters", "0"})).keys(path({"properties"})),
             (QStringList{QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("middle")}));

    // Written out, the keys come in that order.
    const QByteArray json = order.toJson(stream.documents.first().value.toObject());
    QVERIFY2(json.startsWith(R"({"kind":"Template","metadata":{"name":"t","title":"T"},"spec")"), json.constData());
    QVERIFY2(json.contains(R"({"zeta":{"type":"string"},"alpha":{"type":"object","properties":{"second":)"), json.constData());
    QCOMPARE(QJsonDocument::fromJson(json).object(), stream.documents.first().value.toObject());
}

void TestJsonKeyOrder::jsonTextKeepsItsOrder()
{
    const QByteArray text = " {\"b\": 1, \"a\": {\"y\": [ {\"k2\": \"x\", \"k1\": \"}\\\"{\"} ], \"x\": null},"
                            " \"c\\u00e9\\\"\": true, \"b\": 2, \"d\": [[{\"q\": 1, \"p\": 2}]]} ";
    const JsonKeyOrder order = JsonKeyOrder::fromJson(text);
    QCOMPARE(order.keys(QString()), (QStringList{QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("cé\""), QStringLiteral("d")}));
    QCOMPARE(order.keys(path({"a"})), (QStringList{QStringLiteral("y"), QStringLiteral("x")}));
    QCOMPARE(order.keys(path({"a", "y", "0"})), (QStringList{QStringLiteral("k2"), QStringLiteral("k1")}));
    QCOMPARE(order.keys(path({"d", "0", "0"})), (QStringList{QStringLiteral("q"), QStringLiteral("p")}));
    // Written and read again: the same order.
    const QJsonObject object = QJsonDocument::fromJson(text).object();
    QCOMPARE(JsonKeyOrder::fromJson(order.toJson(object)).keys(path({"a", "y", "0"})), order.keys(path({"a", "y", "0"})));
    // Not JSON: what came before the fault, and no crash.
    QCOMPARE(JsonKeyOrder::fromJson("{\"z\": 1, \"y\": [}}]]]}}\"x").keys(QString()), (QStringList{QStringLiteral("z"), QStringLiteral("y")}));
    QVERIFY(JsonKeyOrder::fromJson("\"unterminated").isEmpty());
}

void TestJsonKeyOrder::writesWhatQtWritesApartFromOrder()
{
    // With the sorted order spelled out, the bytes are Qt's own.
    const QJsonObject object{
        {QStringLiteral("text"), QStringLiteral("quote \" backslash \\ tab \t nl \n cr \r bell \x07 del \x7f é ✓ 😀 </script>")},
        {QStringLiteral("numbers"), QJsonArray{0, -1, 42, 9007199254740991.0, 1.5, -0.25, 1e21, 3.14159265358979}},
        {QStringLiteral("flags"), QJsonArray{true, false, QJsonValue::Null}},
        {QStringLiteral("nested"), QJsonObject{{QStringLiteral("b"), QJsonObject()}, {QStringLiteral("a"), QJsonArray()}}},
        {QStringLiteral("k\u0001ey"), QStringLiteral("")}};
    JsonKeyOrder sorted;
    for (auto it = object.begin(); it != object.end(); ++it)
        sorted.append(QString(), it.key());
    sorted.append(path({"nested"}), QStringLiteral("a"));
    sorted.append(path({"nested"}), QStringLiteral("b"));
    QCOMPARE(sorted.toJson(object), QJsonDocument(object).toJson(QJsonDocument::Compact));
    QCOMPARE(JsonKeyOrder().toJson(object), QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void TestJsonKeyOrder::unknownKeysFollowSorted()
{
    JsonKeyOrder order;
    order.append(QString(), QStringLiteral("spec"));
    order.append(QString(), QStringLiteral("gone"));   // no longer in the object
    order.append(QString(), QStringLiteral("kind"));
    const QJsonObject object{{QStringLiteral("kind"), 1}, {QStringLiteral("spec"), 2}, {QStringLiteral("relations"), 3}, {QStringLiteral("apiVersion"), 4}};
    QCOMPARE(order.toJson(object), QByteArray(R"({"spec":2,"kind":1,"apiVersion":4,"relations":3})"));
}

QTEST_GUILESS_MAIN(TestJsonKeyOrder)
#include "tst_jsonkeyorder.moc"
