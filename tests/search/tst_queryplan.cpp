// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <search/queryplan.h>
#include <search/searchdocuments.h>
#include <search/searchrequest.h>
#include <search/searchtext.h>

#include <QJsonArray>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Search;

namespace {

// A vocabulary of a few words, answering as the index would.
Vocabulary vocabularyOf(const QStringList &indexed)
{
    Vocabulary vocabulary;
    vocabulary.hasPrefix = [indexed](const QString &prefix) {
        return std::any_of(indexed.cbegin(), indexed.cend(), [&](const QString &w) { return w.startsWith(prefix); });
    };
    vocabulary.range = [indexed](const QString &from, const QString &to) {
        QList<std::pair<QString, qint64>> words;
        for (const QString &w : indexed) {
            if (w >= from && w < to)
                words.append({w, 1});
        }
        return words;
    };
    return vocabulary;
}

} // namespace

class TestQueryPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wordsAreFoldedAsTheIndexFoldsThem();
    void editDistanceCountsSwapsAsOne();
    void correctWordsAreNeverCorrected();
    void typosFindTheWordsMeant();
    void userTextIsNeverQuerySyntax();
    void highlightsMarkMatchedWordsOnly();
    void requestsAreCheckedAsBackstageChecksThem();
    void filtersMatchOrAreRefused();
    void cursorsAreBase64PageNumbers();
};

void TestQueryPlan::wordsAreFoldedAsTheIndexFoldsThem()
{
    const QList<Word> found = words(u"Payment-Gateway: Café_Ünïcode 42x");
    QStringList folded;
    for (const Word &w : found)
        folded.append(w.folded);
    QCOMPARE(folded, (QStringList{QStringLiteral("payment"), QStringLiteral("gateway"), QStringLiteral("cafe"),
                                  QStringLiteral("unicode"), QStringLiteral("42x")}));
    QCOMPARE(found.at(2).start, 17);
    QCOMPARE(found.at(2).length, 4);
    QCOMPARE(wordKey(u"  payment   GATEWAY "), wordKey(u"payment-gateway"));
    QVERIFY(wordKey(u"--").isEmpty());
    QCOMPARE(Search::folded(u"Ärger"), QStringLiteral("arger"));
}

void TestQueryPlan::editDistanceCountsSwapsAsOne()
{
    QCOMPARE(editDistance(u"payment", u"paymnet", 2), 1);
    QCOMPARE(editDistance(u"stars", u"store", 2), 2);
    QCOMPARE(editDistance(u"stars", u"store", 1), 2);   // over the limit: limit + 1
    QCOMPARE(editDistance(u"kubernetes", u"kubernets", 2), 1);
    QCOMPARE(editDistance(u"abc", u"abc", 0), 0);
    QCOMPARE(editDistance(u"a", u"abcdef", 2), 3);
}

void TestQueryPlan::correctWordsAreNeverCorrected()
{
    const QueryPlan plan = QueryPlan::build(QStringLiteral("stars"), vocabularyOf({QStringLiteral("stars"), QStringLiteral("store"),
                                                                                   QStringLiteral("star")}));
    QCOMPARE(plan.words().size(), 1);
    QVERIFY(plan.words().first().corrections.isEmpty());
    QVERIFY(plan.matches(QStringLiteral("starship")));   // as a prefix
    QVERIFY(plan.matches(QStringLiteral("star")));       // its singular
    QVERIFY(!plan.matches(QStringLiteral("store")));
    QVERIFY(!plan.matches(QStringLiteral("start")));
}

void TestQueryPlan::typosFindTheWordsMeant()
{
    const Vocabulary vocabulary = vocabularyOf({QStringLiteral("payment"), QStringLiteral("payments"), QStringLiteral("kubernetes"),
                                                QStringLiteral("store"), QStringLiteral("gateway")});
    QCOMPARE(QueryPlan::build(QStringLiteral("paymnet"), vocabulary).words().first().corrections, QStringList{QStringLiteral("payment")});
    QCOMPARE(QueryPlan::build(QStringLiteral("kuberntes"), vocabulary).words().first().corrections,
             QStringList{QStringLiteral("kubernetes")});
    QCOMPARE(QueryPlan::build(QStringLiteral("agteway"), vocabulary).words().first().corrections, QStringList{QStringLiteral("gateway")});
    // Five letters allow one edit: "stars" is two from "store", so no correction.
    QVERIFY(QueryPlan::build(QStringLiteral("stars"), vocabulary).words().first().corrections.isEmpty());
    // Three letters are never corrected.
    QVERIFY(QueryPlan::build(QStringLiteral("stp"), vocabulary).words().first().corrections.isEmpty());
}

void TestQueryPlan::userTextIsNeverQuerySyntax()
{
    const QueryPlan plan = QueryPlan::build(QStringLiteral("\"(a* NEAR OR x) -y {title}:"), vocabularyOf({}));
    QCOMPARE(plan.allWords(QueryPlan::Use::Rank), QStringLiteral("(\"a\") AND (\"near\") AND (\"or\") AND (\"x\") AND (\"y\") AND (\"title\" OR \"title\"*)"));
    QCOMPARE(plan.allWords(), QStringLiteral("(\"a\") AND (\"near\") AND (\"or\") AND (\"x\") AND (\"y\") AND (\"title\"*)"));
    QCOMPARE(QueryPlan::build(QStringLiteral("services"), vocabularyOf({})).allWordsInColumns(QStringLiteral("title name")),
             QStringLiteral("{title name} : (\"services\"* OR \"service\")"));
    QVERIFY(QueryPlan::build(QStringLiteral("--- ..."), vocabularyOf({})).isEmpty());
}

void TestQueryPlan::highlightsMarkMatchedWordsOnly()
{
    const QueryPlan plan = QueryPlan::build(QStringLiteral("payments gate"), vocabularyOf({}));
    bool found = false;
    QCOMPARE(plan.highlighted(QStringLiteral("Payments go via the Gateway (repay), payment"), QStringLiteral("<m>"), QStringLiteral("</m>"), &found),
             QStringLiteral("<m>Payments</m> go via the <m>Gateway</m> (repay), <m>payment</m>"));
    QVERIFY(found);
    QCOMPARE(plan.highlighted(QStringLiteral("nothing here"), QStringLiteral("<m>"), QStringLiteral("</m>"), &found),
             QStringLiteral("nothing here"));
    QVERIFY(!found);
}

void TestQueryPlan::requestsAreCheckedAsBackstageChecksThem()
{
    const QStringList types = documentTypes();
    auto ok = parseSearchQuery({{QStringLiteral("term"), QStringLiteral("pay")},
                                {QStringLiteral("types"), QJsonArray{QStringLiteral("techdocs")}},
                                {QStringLiteral("pageLimit"), QStringLiteral("10")},
                                {QStringLiteral("pageCursor"), QStringLiteral("Mg==")}},
                               types);
    QVERIFY(ok);
    QCOMPARE(ok->request.offset, 20);
    QCOMPARE(ok->request.limit, 10);
    QCOMPARE(ok->request.types, QStringList{QStringLiteral("techdocs")});

    auto limitText = parseSearchQuery({{QStringLiteral("pageLimit"), QStringLiteral("1.5")}}, types);
    QVERIFY(!limitText);
    QCOMPARE(limitText.error().message, QStringLiteral("request/query/pageLimit must be integer"));
    auto zod = parseSearchQuery({{QStringLiteral("term"), QString(101, QLatin1Char('x'))},
                                 {QStringLiteral("types"), QJsonArray{QStringLiteral("techdocs"), QStringLiteral("nope")}}},
                                types);
    QVERIFY(!zod);
    QCOMPARE(zod.error().message,
             QStringLiteral("Invalid query string: [\n  {\n    \"code\": \"custom\",\n    \"message\": \"The term length \\\"101\\\" is greater "
                            "than \\\"100\\\"\",\n    \"path\": [\n      \"term\"\n    ]\n  },\n  {\n    \"code\": \"custom\",\n    \"message\": "
                            "\"Invalid input\",\n    \"path\": [\n      \"types\",\n      1\n    ]\n  }\n]"));
    // pageLimit=0 (the UI's count request) still pages by 25.
    QCOMPARE(parseSearchQuery({{QStringLiteral("pageLimit"), QStringLiteral("0")}}, types)->pageSize, 25);
    // A cursor that names no page: no page (Backstage answers no results and the total).
    QVERIFY(!parseSearchQuery({{QStringLiteral("pageCursor"), QStringLiteral("garbage")}}, types)->page);
}

void TestQueryPlan::filtersMatchOrAreRefused()
{
    auto filters = fieldFilters({{QStringLiteral("kind"), QStringLiteral("Component")},
                                 {QStringLiteral("lifecycle"), QJsonArray{QStringLiteral("production"), QStringLiteral("Experimental")}}},
                                {});
    QVERIFY(filters);
    QCOMPARE(filters->size(), 2);
    QCOMPARE(filters->at(0).values, QStringList{QStringLiteral("component")});
    QCOMPARE(filters->at(1).values, (QStringList{QStringLiteral("production"), QStringLiteral("experimental")}));
    auto unknown = fieldFilters({{QStringLiteral("knd"), QStringLiteral("x")}}, {});
    QVERIFY(!unknown);
    QVERIFY(unknown.error().message.startsWith(QStringLiteral("Unknown filter field 'knd'")));
    // `name` is a field of techdocs documents only.
    QVERIFY(!fieldFilters({{QStringLiteral("name"), QStringLiteral("x")}}, {catalogType()}));
    QVERIFY(fieldFilters({{QStringLiteral("name"), QStringLiteral("x")}}, {}));
    QVERIFY(!fieldFilters({{QStringLiteral("kind"), QJsonObject{{QStringLiteral("a"), 1}}}}, {}));
    QVERIFY(!fieldFilters({{QStringLiteral("kind"), QJsonArray{}}}, {}));
}

void TestQueryPlan::cursorsAreBase64PageNumbers()
{
    QCOMPARE(encodePageCursor(1), QStringLiteral("MQ=="));
    QCOMPARE(encodePageCursor(0), QStringLiteral("MA=="));
    QCOMPARE(decodePageCursor(QStringLiteral("Mg==")), std::optional<qint64>(2));
    QCOMPARE(decodePageCursor(QStringLiteral("MTA=")), std::optional<qint64>(10));
    QVERIFY(!decodePageCursor(QStringLiteral("LTE=")));   // -1
}

QTEST_GUILESS_MAIN(TestQueryPlan)
#include "tst_queryplan.moc"
