// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <common/jsonstringify.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <limits>

using namespace Greenroom;

// Expected texts are what node 20 printed for the same values.
class TestJsonStringify : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void numbersAsJavaScriptWritesThem_data();
    void numbersAsJavaScriptWritesThem();
    void indentedAsJavaScriptIndents();
    void compactAndOtherIndents();
};

void TestJsonStringify::numbersAsJavaScriptWritesThem_data()
{
    QTest::addColumn<double>("number");
    QTest::addColumn<QString>("text");
    const struct
    {
        double number;
        const char *text;
    } rows[] = {
        {1, "1"}, {-0.0, "0"}, {0.5, "0.5"}, {1e21, "1e+21"}, {123456789012345680000.0, "123456789012345680000"},
        {1.5e-7, "1.5e-7"}, {0.000001, "0.000001"}, {1e-7, "1e-7"}, {9007199254740992.0, "9007199254740992"},
        {-3.25, "-3.25"}, {1.0 / 3, "0.3333333333333333"}, {100, "100"}, {1e300, "1e+300"}, {5e-324, "5e-324"},
        {std::numeric_limits<double>::quiet_NaN(), "null"}, {std::numeric_limits<double>::infinity(), "null"},
    };
    for (const auto &row : rows)
        QTest::newRow(row.text) << row.number << QString::fromLatin1(row.text);
}

void TestJsonStringify::numbersAsJavaScriptWritesThem()
{
    QFETCH(double, number);
    QFETCH(QString, text);
    QCOMPARE(javaScriptNumber(number), text);
}

void TestJsonStringify::indentedAsJavaScriptIndents()
{
    const QJsonObject value{
        {QStringLiteral("a"), QJsonArray{1, QJsonObject{{QStringLiteral("b"), QJsonArray()}}, QJsonObject()}},
        {QString::fromUtf8("q\"\\\n\x01\x7f é"), QStringLiteral("x") + QChar(0xd800) + QStringLiteral("y") + QString::fromUtf8("\xF0\x9F\x98\x80")},
    };
    QCOMPARE(jsonStringify(value, QStringLiteral("  ")),
             QString::fromUtf8("{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    },\n    {}\n  ],\n  \"q\\\"\\\\\\n\\u0001\x7f é\": \"x\\ud800y\xF0\x9F\x98\x80\"\n}"));
}

void TestJsonStringify::compactAndOtherIndents()
{
    const QJsonObject value{{QStringLiteral("a"), QJsonArray{1, QJsonObject{{QStringLiteral("b"), QJsonArray()}}, QJsonObject()}},
                            {QStringLiteral("s"), QStringLiteral("t")}};
    QCOMPARE(jsonStringify(value), QStringLiteral("{\"a\":[1,{\"b\":[]},{}],\"s\":\"t\"}"));
    QCOMPARE(jsonStringify(value, QStringLiteral("--")),
             QStringLiteral("{\n--\"a\": [\n----1,\n----{\n------\"b\": []\n----},\n----{}\n--],\n--\"s\": \"t\"\n}"));
    QCOMPARE(jsonStringify(QJsonValue(QStringLiteral("tab\there"))), QStringLiteral("\"tab\\there\""));
    QCOMPARE(jsonStringify(QJsonValue(QJsonValue::Null), QStringLiteral("  ")), QStringLiteral("null"));
}

QTEST_APPLESS_MAIN(TestJsonStringify)
#include "tst_jsonstringify.moc"
