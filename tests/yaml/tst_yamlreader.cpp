// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <yaml/yamlreader.h>
#include <yaml/yamlreader_p.h>
#include <yaml/yamlwriter.h>

#include "testconfig.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Greenroom::Yaml;

class TestYamlReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coreSchemaScalars_data();
    void coreSchemaScalars();
    void multipleDocumentsKeepTheirLines();
    void sourceMapPointsAtFields();
    void emptyDocumentIsNull();
    void writtenYamlReadsBackTheSame();
    void duplicateKeyIsAnErrorWithItsLine();
    void syntaxErrorKeepsEarlierDocuments();
    void customTagsAreKeptWhenAsked();
    void aliasesWithinLimitWork();
    void aliasBombIsRefusedQuickly();
    void deepNestingIsRefused();
    void deepFlowNestingIsRefused();
    void nestingAtTheLimitIsAccepted();
    void hugeScalarIsReadInBoundedTime();
    void mergeKeyIsAnOrdinaryKey();
    void partsReadAsTheWholeReads_data();
    void partsReadAsTheWholeReads();
    void streamsThatCannotBeCutStayWhole_data();
    void streamsThatCannotBeCutStayWhole();
    void libyamlReadsTheTestSuiteAsYamlCppDoes();
    void libyamlReadsMutatedStreamsAsYamlCppDoes();
    void libyamlReadsCatalogFilesAlone();
    void aTokenYamlCppCannotPlaceEndsTheStream_data();
    void aTokenYamlCppCannotPlaceEndsTheStream();
};

namespace {

// The line of every node below `path`, as " a/b=3".
void appendLines(const QJsonValue &value, const QStringList &path, const SourceMap &positions, QString &out)
{
    out += QStringLiteral(" %1=%2").arg(path.join(QLatin1Char('/'))).arg(positions.line(path));
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            appendLines(it.value(), path + QStringList{it.key()}, positions, out);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            appendLines(array.at(i), path + QStringList{QString::number(i)}, positions, out);
    }
}

// What a reader can see of each document: value, every node's line, key order, error.
QStringList summaries(const QList<YamlDocument> &documents)
{
    QStringList out;
    for (const YamlDocument &d : documents) {
        QString line = QStringLiteral("line %1: ").arg(d.line);
        line += QString::fromUtf8(QJsonDocument(QJsonArray{d.value}).toJson(QJsonDocument::Compact));
        appendLines(d.value, {}, d.positions, line);
        if (d.value.isObject())   // with its keys in the order the document wrote them
            line += QStringLiteral(" as written ") + QString::fromUtf8(d.positions.keyOrder().toJson(d.value.toObject()));
        if (d.error)
            line += QStringLiteral(" error %1 at %2:%3:%4").arg(d.error->message, d.error->file).arg(d.error->line).arg(d.error->column);
        out << line;
    }
    return out;
}

struct Reading
{
    QStringList documents;
    bool complete = false;
};

Reading readWith(const QByteArray &text, Internal::ReadingParser parser, const YamlLimits &limits = {})
{
    QList<YamlDocument> documents;
    Reading reading;
    reading.complete = Internal::readEach(text, QStringLiteral("s.yaml"), limits,
                                          [&](YamlDocument &&d) { documents.append(std::move(d)); }, parser);
    reading.documents = summaries(documents);
    return reading;
}

QList<QByteArray> yamlTestSuite()
{
    QFile file(QStringLiteral(GREENROOM_SOURCE_DIR "/tests/yaml/data/yaml-test-suite.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> inputs;
    for (const QJsonValue &c : QJsonDocument::fromJson(file.readAll()).array())
        inputs.append(c.toObject().value(QStringLiteral("yaml")).toString().toUtf8());
    return inputs;
}

} // namespace

void TestYamlReader::coreSchemaScalars_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("plain word") << QByteArray("v: hello") << QJsonValue(QStringLiteral("hello"));
    QTest::newRow("yes stays a string") << QByteArray("v: yes") << QJsonValue(QStringLiteral("yes"));
    QTest::newRow("on stays a string") << QByteArray("v: on") << QJsonValue(QStringLiteral("on"));
    QTest::newRow("true") << QByteArray("v: True") << QJsonValue(true);
    QTest::newRow("false") << QByteArray("v: FALSE") << QJsonValue(false);
    QTest::newRow("tilde") << QByteArray("v: ~") << QJsonValue(QJsonValue::Null);
    QTest::newRow("empty") << QByteArray("v:") << QJsonValue(QJsonValue::Null);
    QTest::newRow("integer") << QByteArray("v: 8080") << QJsonValue(8080);
    QTest::newRow("negative") << QByteArray("v: -12") << QJsonValue(-12);
    QTest::newRow("hex") << QByteArray("v: 0x1F") << QJsonValue(31);
    QTest::newRow("octal") << QByteArray("v: 0o17") << QJsonValue(15);
    QTest::newRow("float") << QByteArray("v: 1.5e3") << QJsonValue(1500.0);
    QTest::newRow("version-like stays a string") << QByteArray("v: 1.2.3") << QJsonValue(QStringLiteral("1.2.3"));
    QTest::newRow("quoted number is a string") << QByteArray("v: \"42\"") << QJsonValue(QStringLiteral("42"));
    QTest::newRow("explicit str tag") << QByteArray("v: !!str 42") << QJsonValue(QStringLiteral("42"));
    QTest::newRow("block literal") << QByteArray("v: |\n  a\n  b\n") << QJsonValue(QStringLiteral("a\nb\n"));
    QTest::newRow("unicode") << QByteArray("v: Chlo\xc3\xa9") << QJsonValue(QStringLiteral("Chlo\u00e9"));
}

void TestYamlReader::coreSchemaScalars()
{
    QFETCH(QByteArray, text);
    QFETCH(QJsonValue, expected);
    const YamlStream stream = YamlReader::read(text, QStringLiteral("test.yaml"));
    QCOMPARE(stream.documents.size(), 1);
    QVERIFY(!stream.documents.first().error);
    QCOMPARE(stream.documents.first().value.toObject().value(QStringLiteral("v")), expected);
}

void TestYamlReader::multipleDocumentsKeepTheirLines()
{
    const QByteArray text = "a: 1\n---\n# comment\nb: 2\n---\nc: [x, y]\n";
    const YamlStream stream = YamlReader::read(text, QStringLiteral("multi.yaml"));
    QCOMPARE(stream.documents.size(), 3);
    QCOMPARE(stream.documents[0].line, 1);
    QCOMPARE(stream.documents[1].line, 4);   // its content, not its `---` on line 2
    QCOMPARE(stream.documents[1].positions.line({}), 4);
    QCOMPARE(stream.documents[2].value.toObject().value(QStringLiteral("c")).toArray().size(), 2);
}

void TestYamlReader::sourceMapPointsAtFields()
{
    const QByteArray text = "apiVersion: v1\nkind: Component\nmetadata:\n  name: x\n  tags:\n    - a\n    - b\n";
    const YamlStream stream = YamlReader::read(text, QStringLiteral("f.yaml"));
    const SourceMap &map = stream.documents.first().positions;
    QCOMPARE(map.line({QStringLiteral("kind")}), 2);
    QCOMPARE(map.line({QStringLiteral("metadata"), QStringLiteral("name")}), 4);
    QCOMPARE(map.line({QStringLiteral("metadata"), QStringLiteral("tags"), QStringLiteral("1")}), 7);
    // Unknown paths answer with the nearest ancestor.
    QCOMPARE(map.line({QStringLiteral("metadata"), QStringLiteral("nope")}), 3);
}

void TestYamlReader::emptyDocumentIsNull()
{
    const YamlStream stream = YamlReader::read("---\n---\na: 1\n", QStringLiteral("e.yaml"));
    QVERIFY(stream.documents.size() >= 2);
    QVERIFY(stream.documents.first().value.isNull());
    QCOMPARE(stream.documents.last().value.toObject().value(QStringLiteral("a")).toInt(), 1);
    // No text at all, null or empty, is a stream of no documents.
    QCOMPARE(YamlReader::read(QByteArray(), QStringLiteral("e.yaml")).documents.size(), 0);
    QCOMPARE(YamlReader::read(QByteArray(""), QStringLiteral("e.yaml")).documents.size(), 0);
}

void TestYamlReader::duplicateKeyIsAnErrorWithItsLine()
{
    const YamlStream stream = YamlReader::read("metadata:\n  name: a\n  name: b\n---\nok: 1\n", QStringLiteral("dup.yaml"));
    QCOMPARE(stream.documents.size(), 2);
    QVERIFY(stream.documents[0].error);
    QCOMPARE(stream.documents[0].error->line, 3);
    QCOMPARE(stream.documents[0].error->file, QStringLiteral("dup.yaml"));
    QVERIFY(stream.documents[0].error->message.contains(QStringLiteral("\"name\" is repeated")));
    QVERIFY(!stream.documents[1].error);   // the sibling still reads
}

void TestYamlReader::syntaxErrorKeepsEarlierDocuments()
{
    const YamlStream stream = YamlReader::read("a: 1\n---\nb: [unclosed\nc: 2\n", QStringLiteral("bad.yaml"));
    QCOMPARE(stream.documents.size(), 2);
    QVERIFY(!stream.documents[0].error);
    QVERIFY(stream.documents[1].error);
    QVERIFY(stream.documents[1].error->line >= 3);
    QVERIFY(!stream.documents[1].error->message.isEmpty());
}

void TestYamlReader::aliasesWithinLimitWork()
{
    const YamlStream stream = YamlReader::read("base: &b {x: 1}\none: *b\ntwo: *b\n", QStringLiteral("a.yaml"));
    QVERIFY(!stream.documents.first().error);
    QCOMPARE(stream.documents.first().value[QStringLiteral("two")][QStringLiteral("x")].toInt(), 1);
}

void TestYamlReader::aliasBombIsRefusedQuickly()
{
    QByteArray text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (char level = 'b'; level <= 'i'; ++level) {
        const char previous = char(level - 1);
        text += QByteArray(1, level) + ": &" + QByteArray(1, level) + " [";
        for (int i = 0; i < 9; ++i)
            text += QByteArray(i ? ", *" : "*") + QByteArray(1, previous);
        text += "]\n";
    }
    QElapsedTimer timer;
    timer.start();
    const YamlStream stream = YamlReader::read(text, QStringLiteral("bomb.yaml"));
    QVERIFY(timer.elapsed() < 1000);
    QCOMPARE(stream.documents.size(), 1);
    QVERIFY(stream.documents.first().error);
    QVERIFY(stream.documents.first().error->message.contains(QStringLiteral("resource exhaustion")));
}

void TestYamlReader::deepNestingIsRefused()
{
    // 400 levels: beyond our limit, within what yaml-cpp can still skip over,
    // so the document after it is read too.
    QByteArray text;
    for (int depth = 0; depth < 400; ++depth)
        text += QByteArray(depth * 2, ' ') + "k" + QByteArray::number(depth) + ":\n";
    text += "---\nok: 1\n";
    QElapsedTimer timer;
    timer.start();
    const YamlStream stream = YamlReader::read(text, QStringLiteral("deep.yaml"));
    QVERIFY(timer.elapsed() < 2000);
    QVERIFY(!stream.documents.isEmpty());
    QVERIFY(stream.documents.first().error);
    QVERIFY2(stream.documents.first().error->message.contains(QStringLiteral("deeper than 256")),
             qPrintable(stream.documents.first().error->message));
    QCOMPARE(stream.documents.first().error->line, 257);   // where level 257 opens
    QCOMPARE(stream.documents.size(), 2);   // the next document still reads
    QVERIFY(!stream.documents.last().error);
}

void TestYamlReader::deepFlowNestingIsRefused()
{
    // 1,000 levels: refused by our limit or, past ~500, by yaml-cpp's scanner;
    // either way the message says why.
    const QByteArray text = "v: " + QByteArray(1000, '[') + QByteArray(1000, ']') + "\n";
    QElapsedTimer timer;
    timer.start();
    const YamlStream stream = YamlReader::read(text, QStringLiteral("deep.yaml"));
    QVERIFY(timer.elapsed() < 2000);
    QVERIFY(stream.documents.last().error);
    QVERIFY2(stream.documents.last().error->message.startsWith(QStringLiteral("Nesting is")),
             qPrintable(stream.documents.last().error->message));
    QCOMPARE(stream.documents.last().error->file, QStringLiteral("deep.yaml"));
}

void TestYamlReader::nestingAtTheLimitIsAccepted()
{
    // The root map is level 1, so 255 brackets make 256 levels.
    const QByteArray text = "v: " + QByteArray(255, '[') + QByteArray(255, ']') + "\n";
    const YamlStream stream = YamlReader::read(text, QStringLiteral("deep.yaml"));
    QCOMPARE(stream.documents.size(), 1);
    QVERIFY(!stream.documents.first().error);
}

void TestYamlReader::hugeScalarIsReadInBoundedTime()
{
    const QByteArray text = "description: " + QByteArray(10 * 1024 * 1024, 'x') + "\n";
    QElapsedTimer timer;
    timer.start();
    const YamlStream stream = YamlReader::read(text, QStringLiteral("big.yaml"));
    QVERIFY(timer.elapsed() < 10000);
    QCOMPARE(stream.documents.first().value[QStringLiteral("description")].toString().size(), 10 * 1024 * 1024);
}

void TestYamlReader::mergeKeyIsAnOrdinaryKey()
{
    // Backstage parses with merge keys off: `<<` is just a key.
    const YamlStream stream = YamlReader::read("base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n", QStringLiteral("m.yaml"));
    const QJsonObject child = stream.documents.first().value[QStringLiteral("child")].toObject();
    QVERIFY(child.contains(QStringLiteral("<<")));
    QVERIFY(!child.contains(QStringLiteral("x")));
}

void TestYamlReader::partsReadAsTheWholeReads_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("minimumParts");
    // Markers in every spelling, and lines that only look like them: "---x"
    // at column 0 inside a top-level block scalar, an indented "---".
    const QByteArray mixed = "a: 1\n"
                             "---\n# comment\nb: &x {k: [1, 2]}\nc: *x\n"
                             "--- # a comment after the marker\nd: |\n  text\n  --- indented, not a marker\n"
                             "---\t\ne: 'quoted'\n...\n"
                             "--- |\nliteral at column 0\n---x is text, not a marker\n"
                             "---\nmetadata:\n  name: a\n  name: b\n"   // our own error: the stream goes on
                             "---\n"                                       // empty
                             "---\r\nf: crlf\r\n"
                             "--- {g: 1}\n"
                             "---\nlast: true";
    QTest::newRow("every kind of marker") << mixed << 9;
    QTest::newRow("a syntax error stops both at its line")
        << QByteArray("a: 1\n---\nb: 2\n---\nc: [unclosed\nd: 3\n---\ne: 4\n---\nf: 5\n") << 4;
    // yaml-cpp closes a quote left open at the end of its input; the whole
    // stream fails at the "---" after it, and so must the part.
    QTest::newRow("a quote left open before a cut")
        << QByteArray("a: 1\n---\nb: 'open\n  more\n---\nc: 3\n---\nd: \"open\n---\ne: 5\n") << 3;
    QTest::newRow("no markers at all") << QByteArray("a: 1\nb: 2\n") << 1;
    // Where yaml-cpp would go round forever (aTokenYamlCppCannotPlaceEndsTheStream): the same line too.
    QTest::newRow("a stray comma stops both at its line")
        << QByteArray("a: 1\n---\nb: 2\n---\n- x\n,- y\n---\nc: 3\n---\nd: 4\n") << 4;
}

void TestYamlReader::partsReadAsTheWholeReads()
{
    QFETCH(QByteArray, text);
    QFETCH(int, minimumParts);
    QList<YamlDocument> whole;
    YamlReader::readEach(text, QStringLiteral("s.yaml"), {}, [&](YamlDocument &&d) { whole.append(std::move(d)); });

    const QList<StreamPart> parts = YamlReader::partsOf(text, 1000);   // as many as there are markers
    QVERIFY(parts.size() >= minimumParts);
    QCOMPARE(parts.first().begin, 0);
    QCOMPARE(parts.last().end, text.size());
    QList<YamlDocument> pieced;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const StreamPart &part = parts.at(i);
        if (i > 0)
            QCOMPARE(part.begin, parts.at(i - 1).end);
        const bool complete = YamlReader::readPart(text, part, QStringLiteral("s.yaml"), {},
                                                   [&](YamlDocument &&d) { pieced.append(std::move(d)); });
        if (!complete)
            break;
    }
    QCOMPARE(summaries(pieced), summaries(whole));
}

void TestYamlReader::streamsThatCannotBeCutStayWhole_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("a directive") << QByteArray("a: 1\n---\nb: 2\n%YAML 1.2\n---\nc: 3\n");
    QTest::newRow("bare CR line breaks") << QByteArray("a: 1\r---\rb: 2\n---\nc: 3\n");
    QTest::newRow("UTF-16") << QByteArray("\xff\xfe" "a\0:\0 \0001\0\n\0-\0-\0-\0\n\0", 24);
}

void TestYamlReader::streamsThatCannotBeCutStayWhole()
{
    QFETCH(QByteArray, text);
    const QList<StreamPart> parts = YamlReader::partsOf(text, 8);
    QCOMPARE(parts.size(), 1);
    QCOMPARE(parts.first().end, text.size());
    QCOMPARE(parts.first().firstLine, 1);
}

void TestYamlReader::writtenYamlReadsBackTheSame()
{
    const QJsonObject tricky{
        {QStringLiteral("looksLikeTrue"), QStringLiteral("true")}, {QStringLiteral("looksLikeNumber"), QStringLiteral("1.50")},
        {QStringLiteral("looksLikeNull"), QStringLiteral("~")},    {QStringLiteral("octal"), QStringLiteral("0o17")},
        {QStringLiteral("empty"), QString()},                     {QStringLiteral("colon: inside"), QStringLiteral("a: b")},
        {QStringLiteral("multiline"), QStringLiteral("line one\nline two\n")},
        {QStringLiteral("unicode"), QStringLiteral("Zoë 🚀 — ok")},
        {QStringLiteral("number"), 42}, {QStringLiteral("fraction"), 0.1}, {QStringLiteral("flag"), false},
        {QStringLiteral("nothing"), QJsonValue::Null},
        {QStringLiteral("list"), QJsonArray{QStringLiteral("- dash"), QStringLiteral("#hash"), 7, QJsonObject{}, QJsonArray{}}},
        {QStringLiteral("nested"), QJsonObject{{QStringLiteral("key with spaces"), QStringLiteral("'quoted'")}}},
    };
    const QList<QJsonValue> documents{tricky, QJsonObject{{QStringLiteral("second"), QStringLiteral("doc")}}};
    const QByteArray text = writeYamlDocuments(documents);
    const YamlStream stream = YamlReader::read(text, QStringLiteral("written.yaml"));
    QCOMPARE(stream.documents.size(), 2);
    QVERIFY2(!stream.documents.at(0).error, text.constData());
    QCOMPARE(stream.documents.at(0).value, QJsonValue(tricky));
    QCOMPARE(stream.documents.at(1).value, documents.at(1));
}

// libyaml reads, yaml-cpp is the reference (yamlreader.h): every case of the
// YAML test suite, valid or not, reads the same either way. Where libyaml
// reads differently the reader hands the stream to yaml-cpp; this is where
// each such place was found.
void TestYamlReader::libyamlReadsTheTestSuiteAsYamlCppDoes()
{
    const QList<QByteArray> suite = yamlTestSuite();
    QCOMPARE(suite.size(), 402);
    int readByLibyamlAlone = 0;
    for (const QByteArray &text : suite) {
        for (const bool keepCustomTags : {false, true}) {
            YamlLimits limits;
            limits.keepCustomTags = keepCustomTags;
            const Reading reference = readWith(text, Internal::ReadingParser::YamlCpp, limits);
            QCOMPARE(readWith(text, Internal::ReadingParser::Fastest, limits).documents, reference.documents);
            const Reading alone = readWith(text, Internal::ReadingParser::Libyaml, limits);
            if (alone.complete) {
                QCOMPARE(alone.documents, reference.documents);
                ++readByLibyamlAlone;
            }
        }
    }
    // Not a test of yaml-cpp against itself: libyaml read most streams whole.
    QVERIFY2(readByLibyamlAlone > 200, qPrintable(QString::number(readByLibyamlAlone)));
}

// The same over streams a few bytes away from the suite's.
void TestYamlReader::libyamlReadsMutatedStreamsAsYamlCppDoes()
{
    const QList<QByteArray> suite = yamlTestSuite();
    QVERIFY(!suite.isEmpty());
    QRandomGenerator random(22);
    const QByteArray pieces[] = {" ", ":", "-", "?", "[", "]", "{", "}", ",", "#", "&", "*", "!", "|", ">", "'", "\"",
                                 "\n", "\t", "%", "~", "\\", "\xc3\xa9", "\n  ", "\n- ", ": ", "\n---\n", "&a ", "*a",
                                 "|\n", ">-\n  ", "\n...\n"};
    int compared = 0;
    for (const QByteArray &original : suite) {
        for (int round = 0; round < 40; ++round) {
            QByteArray text = original;
            for (int change = 1 + random.bounded(4); change > 0; --change) {
                const qsizetype at = random.bounded(text.size() + 1);
                if (random.bounded(3) == 0 && at < text.size())
                    text.remove(at, 1);
                else
                    text.insert(at, pieces[random.bounded(int(std::size(pieces)))]);
            }
            // Where libyaml stopped, yaml-cpp read the stream. Some broken
            // streams never end in yaml-cpp, so only those libyaml read whole
            // are given to it here.
            const Reading alone = readWith(text, Internal::ReadingParser::Libyaml);
            if (!alone.complete)
                continue;
            ++compared;
            QCOMPARE(alone.documents, readWith(text, Internal::ReadingParser::YamlCpp).documents);
        }
    }
    QVERIFY2(compared > 1000, qPrintable(QString::number(compared)));
}

// The fast path is the one catalog files take: libyaml reads them whole,
// block scalars, flow lists, comments, anchors, quotes and non-ASCII text
// included, and a stream of many documents.
void TestYamlReader::libyamlReadsCatalogFilesAlone()
{
    QByteArray text;
    for (int i = 0; i < 50; ++i) {
        text += QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-%1\n"
                               "  title: \"Service %1 — Zoë's\"\n  description: >-\n    A service, described\n    over two lines.\n"
                               "  tags: [java, payments]   # a comment\n  annotations:\n    github.com/project-slug: acme/svc-%1\n"
                               "  links:\n    - url: https://example.com/%1\n      title: Docs\nspec: &spec\n  type: service\n"
                               "  lifecycle: production\n  owner: team-%2\n  dependsOn:\n    - component:default/svc-%3\n"
                               "  notes: |\n    first\n    second\n")
                    .arg(i).arg(i % 7).arg(i + 1).toUtf8();
    }
    const Reading alone = readWith(text, Internal::ReadingParser::Libyaml);
    QVERIFY(alone.complete);
    QCOMPARE(alone.documents.size(), 50);
    QCOMPARE(alone.documents, readWith(text, Internal::ReadingParser::YamlCpp).documents);
    QVERIFY(alone.documents.at(3).contains(QStringLiteral("\"Service 3 — Zoë's\"")));
    // So are the parts readPart reads, which end in a "---" of its own.
    QVERIFY(readWith(text + "---\n", Internal::ReadingParser::Libyaml).complete);

    // A tag is one of the places yaml-cpp takes over: the stream still reads.
    const QByteArray tagged = text + "---\nkind: Component\nmetadata: {name: !!str x}\n";
    QVERIFY(!readWith(tagged, Internal::ReadingParser::Libyaml).complete);
    const Reading fastest = readWith(tagged, Internal::ReadingParser::Fastest);
    QCOMPARE(fastest.documents.size(), 51);
    QCOMPARE(fastest.documents, readWith(tagged, Internal::ReadingParser::YamlCpp).documents);
}

// yaml-cpp 0.7 goes round forever on these (found by mutating the suite's
// cases), an empty document each round, until memory runs out: a catalog
// file like them must not stop the server. The stream ends with an error
// there instead; what came before it stays. Through either parser: libyaml
// refuses each, so yaml-cpp reads them in both.
void TestYamlReader::aTokenYamlCppCannotPlaceEndsTheStream_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("goodDocuments");
    QTest::addColumn<int>("errorLine");
    QTest::newRow("after a nested sequence") << QByteArray("- - a\n  - b\n,- c\n") << 1 << 3;
    QTest::newRow("after a flow mapping") << QByteArray("{x: :x}\n,}\n,") << 1 << 2;
    QTest::newRow("after a comment") << QByteArray("---\n wordy\n---\n\n# comment\n, word2]\n") << 2 << 6;
    QTest::newRow("in an anchor, third document") << QByteArray("a: 1\n---\nb: 2\n---\n&n,ode\n- item2\n") << 3 << 5;
    QTest::newRow("after a marker") << QByteArray("a[\n--- ,\n...\n]\n") << 2 << 2;
}

void TestYamlReader::aTokenYamlCppCannotPlaceEndsTheStream()
{
    QFETCH(QByteArray, text);
    QFETCH(int, goodDocuments);
    QFETCH(int, errorLine);
    for (const auto parser : {Internal::ReadingParser::Fastest, Internal::ReadingParser::YamlCpp}) {
        QList<YamlDocument> documents;
        const bool complete = Internal::readEach(text, QStringLiteral("stuck.yaml"), {},
                                                 [&](YamlDocument &&d) { documents.append(std::move(d)); }, parser);
        QVERIFY(!complete);
        QCOMPARE(documents.size(), goodDocuments + 1);
        for (int i = 0; i < goodDocuments; ++i)
            QVERIFY(!documents.at(i).error);
        const YamlDocument &broken = documents.last();
        QVERIFY(broken.error);
        QCOMPARE(broken.error->file, QStringLiteral("stuck.yaml"));
        QCOMPARE(broken.error->line, errorLine);
        QCOMPARE(broken.line, errorLine);
        QVERIFY2(broken.error->message.startsWith(QStringLiteral("Unexpected '")), qPrintable(broken.error->message));
    }
}

QTEST_GUILESS_MAIN(TestYamlReader)
#include "tst_yamlreader.moc"

void TestYamlReader::customTagsAreKeptWhenAsked()
{
    const QByteArray text = "a: !!python/name:pymdownx.emoji.to_svg ''\nb: !ENV HOME\n"
                            "c: !!python/object/apply:os.system ['id']\nd: !!python/object/apply:x.y {k: 1}\ne: !!int 5\n";
    // By default, as the `yaml` package: unknown tags keep the text.
    const YamlStream plain = YamlReader::read(text, QStringLiteral("t.yaml"));
    QCOMPARE(plain.documents.first().value.toObject().value(QStringLiteral("b")).toString(), QStringLiteral("HOME"));
    YamlLimits limits;
    limits.keepCustomTags = true;
    const QJsonObject tagged = YamlReader::read(text, QStringLiteral("t.yaml"), limits).documents.first().value.toObject();
    QCOMPARE(tagged.value(QStringLiteral("a")).toObject().value(QStringLiteral("!tag")).toString(),
             QStringLiteral("tag:yaml.org,2002:python/name:pymdownx.emoji.to_svg"));
    QCOMPARE(tagged.value(QStringLiteral("b")).toObject().value(QStringLiteral("!tag")).toString(), QStringLiteral("!ENV"));
    QCOMPARE(tagged.value(QStringLiteral("b")).toObject().value(QStringLiteral("value")).toString(), QStringLiteral("HOME"));
    QCOMPARE(tagged.value(QStringLiteral("c")).toObject().value(QStringLiteral("value")).toArray().first().toString(), QStringLiteral("id"));
    QCOMPARE(tagged.value(QStringLiteral("d")).toObject().value(QStringLiteral("!tag")).toString(),
             QStringLiteral("tag:yaml.org,2002:python/object/apply:x.y"));
    QCOMPARE(tagged.value(QStringLiteral("d")).toObject().value(QStringLiteral("k")).toInt(), 1);
    QCOMPARE(tagged.value(QStringLiteral("e")).toInt(), 5);   // core tags resolve as before
}
