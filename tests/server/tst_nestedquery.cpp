// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Query strings read as Express's qs reads them (what Backstage's search
// API gets its `types` and `filters` from).
#include <http/nestedquery.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using Greenroom::Server::nestedQuery;

namespace {

QByteArray parsed(const QList<std::pair<QString, QString>> &pairs)
{
    return QJsonDocument(nestedQuery(pairs)).toJson(QJsonDocument::Compact);
}

std::pair<QString, QString> pair(const char *key, const char *value)
{
    return {QString::fromUtf8(key), QString::fromUtf8(value)};
}

} // namespace

class TestNestedQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainKeysStayText();
    void bracketsMakeArraysAndObjects();
    void oddShapesAreReadAsQsReadsThem();
};

void TestNestedQuery::plainKeysStayText()
{
    QCOMPARE(parsed({pair("term", "a b")}), QByteArray(R"({"term":"a b"})"));
    // Repeated: an array, which the search API then refuses ("must be string").
    QCOMPARE(parsed({pair("term", "a"), pair("term", "b")}), QByteArray(R"({"term":["a","b"]})"));
    QCOMPARE(parsed({pair("", "x")}), QByteArray("{}"));
}

void TestNestedQuery::bracketsMakeArraysAndObjects()
{
    QCOMPARE(parsed({pair("types[0]", "techdocs"), pair("types[1]", "software-catalog")}),
             QByteArray(R"({"types":["techdocs","software-catalog"]})"));
    QCOMPARE(parsed({pair("types[]", "a"), pair("types[]", "b")}), QByteArray(R"({"types":["a","b"]})"));
    QCOMPARE(parsed({pair("filters[kind]", "Component"), pair("filters[lifecycle][0]", "production"),
                     pair("filters[lifecycle][1]", "experimental")}),
             QByteArray(R"({"filters":{"kind":"Component","lifecycle":["production","experimental"]}})"));
    // Sparse indices close up; the order is the indices', not the pairs'.
    QCOMPARE(parsed({pair("a[3]", "c"), pair("a[1]", "b")}), QByteArray(R"({"a":["b","c"]})"));
}

void TestNestedQuery::oddShapesAreReadAsQsReadsThem()
{
    // An index above 20 makes an object (qs's arrayLimit).
    QCOMPARE(parsed({pair("a[21]", "x")}), QByteArray(R"({"a":{"21":"x"}})"));
    // Indices and names mixed: an object.
    QCOMPARE(parsed({pair("a[0]", "x"), pair("a[b]", "y")}), QByteArray(R"({"a":{"0":"x","b":"y"}})"));
    // Past five levels the rest of the key is one name.
    QCOMPARE(parsed({pair("a[b][c][d][e][f][g]", "x")}), QByteArray(R"({"a":{"b":{"c":{"d":{"e":{"f":{"[g]":"x"}}}}}}})"));
}

QTEST_GUILESS_MAIN(TestNestedQuery)
#include "tst_nestedquery.moc"
