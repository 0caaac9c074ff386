// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The scaffolder's template language against expected output: what
// Nunjucks 3.2 (Backstage's templater) prints for the same template and
// context, the scaffolder's filters, the value typing of step inputs, and
// error messages with their line numbers.
#include <scaffold/inputrenderer.h>
#include <scaffold/templatelanguage.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Scaffold;

class TestTemplateLanguage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void renders_data();
    void renders();
    void whitespaceControl();
    void cookiecutterSyntax();
    void errorsNameTheLine_data();
    void errorsNameTheLine();
    void valueTyping();
    void renderProblemsKeepTheText();
    void hostileTemplatesAreRefused();
    void extensionExamplesRunAsTheirNotesSay();
};

namespace {

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", text);
    return document.object();
}

const char *const kContext = R"({
  "parameters": {
    "name": "payments-api", "port": 8080, "private": true, "empty": "", "zero": 0,
    "tags": ["java", "spring"], "owner": "group:default/team-a",
    "repoUrl": "github.com?owner=acme&repo=payments-api",
    "nested": {"deep": {"value": "found"}}, "items": [{"n": "b", "on": true}, {"n": "a", "on": false}, {"n": "c", "on": true}],
    "title": "hello world", "path": "src/main/java", "text": "a-b-c"
  },
  "steps": {"publish": {"output": {"remoteUrl": "https://github.com/acme/payments-api.git"}}},
  "values": {"name": "svc", "docker": true, "database": "postgresql"}
})";

QString render(const QString &text, const TemplateEnvironment &environment = {})
{
    auto parsed = Template::parse(text, environment, QStringLiteral("test"));
    if (!parsed)
        return QStringLiteral("PARSE ERROR: ") + parsed.error().toString();
    auto rendered = parsed->render(json(kContext));
    if (!rendered)
        return QStringLiteral("RENDER ERROR: ") + rendered.error().toString();
    return rendered.value();
}

} // namespace


void TestTemplateLanguage::renders_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const char *text, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(text) << QString::fromUtf8(expected);
    };
    // Output and values as JavaScript prints them.
    row("plain text", "no tags here", "no tags here");
    row("variable", "${{ parameters.name }}", "payments-api");
    row("number", "${{ parameters.port }}", "8080");
    row("boolean", "${{ parameters.private }}", "true");
    row("array prints joined", "${{ parameters.tags }}", "java,spring");
    row("object prints as JS", "${{ parameters.nested }}", "[object Object]");
    row("undefined is empty", "[${{ parameters.missing }}]", "[]");
    row("member of undefined is empty", "[${{ parameters.missing.deeper.still }}]", "[]");
    row("bracket access", "${{ steps['publish'].output.remoteUrl }}", "https://github.com/acme/payments-api.git");
    row("index access", "${{ parameters.tags[1] }}", "spring");
    row("nested access", "${{ parameters.nested.deep['value'] }}", "found");
    row("fractions", "${{ 0.1 + 0.2 }} ${{ 7 / 2 }} ${{ 7 // 2 }} ${{ 7 % 3 }} ${{ 2 ** 10 }}", "0.30000000000000004 3.5 3 1 1024");
    row("plus concatenates strings", "${{ 'v' + 1 }} ${{ 1 + 2 }}", "v1 3");
    row("tilde", "${{ parameters.name ~ '-' ~ parameters.port }}", "payments-api-8080");
    row("comparison", "${{ parameters.port > 80 }} ${{ 'a' < 'b' }} ${{ parameters.port == '8080' }} ${{ parameters.port === '8080' }}",
        "true true true false");
    row("and or return operands", "${{ parameters.empty or 'fallback' }} ${{ parameters.name and 'yes' }}", "fallback yes");
    row("not and in", "${{ not parameters.private }} ${{ 'java' in parameters.tags }} ${{ 'go' not in parameters.tags }} ${{ 'pay' in parameters.name }}",
        "false true true true");
    row("inline if", "${{ 'Dockerfile' if values.docker }}|${{ 'x' if parameters.zero else 'y' }}|${{ 'z' if false }}", "Dockerfile|y|");
    row("literals", "${{ [1, 'two', true] | dump }} ${{ {a: 1, 'b': [null]} | dump }}", "[1,\"two\",true] {\"a\":1,\"b\":[null]}");
    row("is tests", "${{ parameters.name is defined }} ${{ parameters.nope is undefined }} ${{ parameters.port is number }} "
                    "${{ parameters.port is not string }} ${{ 4 is divisibleby(2) }} ${{ 3 is odd }}",
        "true true true true true true");
    // Blocks.
    row("if elif else", "{% if parameters.port < 1024 %}low{% elif parameters.port < 10000 %}mid{% else %}high{% endif %}", "mid");
    row("for with loop", "{% for t in parameters.tags %}${{ loop.index }}:${{ t }}${{ ',' if not loop.last }}{% endfor %}", "1:java,2:spring");
    // Keys come in name order: QJsonObject sorts them (Nunjucks keeps the YAML's order; see the issue note).
    row("for over object", "{% for k, v in values %}${{ k }}=${{ v }};{% endfor %}", "database=postgresql;docker=true;name=svc;");
    row("for else", "{% for x in parameters.missing %}x{% else %}none{% endfor %}", "none");
    row("one name over an object", "{% for x in values %}${{ x }}{% else %}empty{% endfor %}", "empty");
    row("sign before filters", "${{ -0.5 | abs }} ${{ -2 | abs }}", "0.5 2");
    row("concatenating undefined and null", "${{ 'a' ~ parameters.missing ~ 'b' }} ${{ 'a' + parameters.missing }} ${{ 1 + parameters.missing }}",
        "aundefinedb aundefined NaN");
    row("set", "{% set full = parameters.name ~ '-svc' %}${{ full | upper }}", "PAYMENTS-API-SVC");
    row("raw", "{% raw %}${{ not rendered }} {% if %}{% endraw %}", "${{ not rendered }} {% if %}");
    row("comment", "a{# a comment ${{ x }} #}b", "ab");
    // Nunjucks filters.
    row("default", "${{ parameters.missing | default('dflt') }} ${{ parameters.empty | default('e') }} ${{ parameters.empty | d('e', true) }}", "dflt  e");
    row("string filters", "${{ parameters.title | capitalize }}|${{ parameters.title | title }}|${{ parameters.title | upper }}|${{ '  x ' | trim }}",
        "Hello world|Hello World|HELLO WORLD|x");
    row("replace filter", "${{ parameters.text | replace('-', '_') }} ${{ parameters.text | replace(r/-(\\w)/g, '$1') }}", "a_b_c abc");
    row("join length first last", "${{ parameters.tags | join(' / ') }} ${{ parameters.tags | length }} ${{ parameters.tags | first }} ${{ parameters.tags | last }}",
        "java / spring 2 java spring");
    row("sort and attributes", "${{ parameters.items | sort(false, false, 'n') | join(',', 'n') }} ${{ parameters.items | selectattr('on') | length }} "
                               "${{ parameters.items | rejectattr('on') | join('', 'n') }}",
        "a,b,c 2 a");
    // Nunjucks hands keyword arguments to its filters as a trailing object: sort(attr='n') is sort(reverse=<object>).
    row("keyword arguments as in nunjucks", "${{ parameters.items | sort(attr='n') | join(',', 'n') }}", "b,a,c");
    row("int float round", "${{ '42px' | int }} ${{ '3.5' | float }} ${{ 2.567 | round(2) }} ${{ 2.5 | round(0, 'floor') }}", "42 3.5 2.57 2");
    row("truncate indent", "${{ 'the quick brown fox' | truncate(9) }}|${{ 'a\\nb' | indent(2) }}", "the quick...|a\n  b");
    row("dump with spaces", "${{ {a: [1]} | dump(2) }}", "{\n  \"a\": [\n    1\n  ]\n}");
    row("dump with a string to indent", "${{ {a: [1], b: {} } | dump('\t') }}", "{\n\t\"a\": [\n\t\t1\n\t],\n\t\"b\": {}\n}");
    // As JavaScript's String(number) writes them.
    row("numbers as text", "${{ 1 / 1000000 }} ${{ 1 / 10000000 }} ${{ 100000000000 * 1000000000 }} ${{ 10000000000 * 100000000000 }} ${{ 0.1 + 0.2 }}",
        "0.000001 1e-7 100000000000000000000 1e+21 0.30000000000000004");
    row("escape and urlencode", "${{ '<a & b>' | escape }} ${{ 'a b&c' | urlencode }}", "&lt;a &amp; b&gt; a%20b%26c");
    row("batch and sum", "${{ [1,2,3,4,5] | batch(2) | dump }} ${{ [1,2,3] | sum }}", "[[1,2],[3,4],[5]] 6");
    row("select with test", "${{ [1,2,3,4] | select('odd') | join }}", "13");
    // The scaffolder's filters.
    row("parseRepoUrl", "${{ parameters.repoUrl | parseRepoUrl | pick('owner') }}/${{ (parameters.repoUrl | parseRepoUrl).repo }}@${{ (parameters.repoUrl | parseRepoUrl).host }}",
        "acme/payments-api@github.com");
    row("projectSlug", "${{ parameters.repoUrl | projectSlug }}", "acme/payments-api");
    row("parseEntityRef", "${{ parameters.owner | parseEntityRef | pick('name') }} ${{ 'team-b' | parseEntityRef({ defaultKind: 'group' }) | dump }}",
        "team-a {\"kind\":\"group\",\"name\":\"team-b\",\"namespace\":\"default\"}");
    row("pick path", "${{ parameters | pick('nested.deep.value') }} ${{ parameters | pick('items[2].n') }}", "found c");
    // JavaScript methods templates call.
    row("string methods", "${{ parameters.path.split('/') | last }} ${{ parameters.name.replace('-', '_') }} ${{ parameters.name.toUpperCase() }} "
                          "${{ parameters.name.startsWith('pay') }} ${{ parameters.name.length }} ${{ parameters.name.slice(-3) }}",
        "java payments_api PAYMENTS-API true 12 api");
    row("regex replace method", "${{ parameters.text.replace(r/-/g, '') }} ${{ parameters.text.split(r/-/).length }}", "abc 3");
    row("array methods", "${{ parameters.tags.join('+') }} ${{ parameters.tags.includes('java') }} ${{ parameters.tags.indexOf('spring') }}",
        "java+spring true 1");
    row("range", "{% for i in range(3) %}${{ i }}{% endfor %}", "012");
}

void TestTemplateLanguage::renders()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(render(text), expected);
}

void TestTemplateLanguage::whitespaceControl()
{
    const QString text = QStringLiteral("<ul>\n  {%- for t in parameters.tags %}\n  <li>${{- t -}}</li>\n  {%- endfor %}\n</ul>");
    QCOMPARE(render(text), QStringLiteral("<ul>\n  <li>java</li>\n  <li>spring</li>\n</ul>"));

    // trimBlocks drops the newline after a block tag, lstripBlocks the indent before it.
    TemplateEnvironment environment;
    environment.syntax.trimBlocks = true;
    environment.syntax.lstripBlocks = true;
    const QString yaml = QStringLiteral("tags:\n  {% for t in parameters.tags %}\n  - ${{ t }}\n  {% endfor %}\nend\n");
    QCOMPARE(render(yaml, environment), QStringLiteral("tags:\n  - java\n  - spring\nend\n"));
    // Without them the lines stay.
    QCOMPARE(render(yaml), QStringLiteral("tags:\n  \n  - java\n  \n  - spring\n  \nend\n"));
}

void TestTemplateLanguage::cookiecutterSyntax()
{
    TemplateEnvironment environment;
    environment.syntax = TemplateSyntax::cookiecutter();
    environment.cookiecutterFilters = true;
    QCOMPARE(render(QStringLiteral("{{ values.name }}-{{ values | jsonify }}"), environment),
             QStringLiteral("svc-{\"database\":\"postgresql\",\"docker\":true,\"name\":\"svc\"}"));
    // ${{ is then plain text.
    QCOMPARE(render(QStringLiteral("x${ {{ values.name }} }"), environment), QStringLiteral("x${ svc }"));
    // jsonify exists only in cookiecutter mode.
    QVERIFY(render(QStringLiteral("${{ values | jsonify }}")).contains(QLatin1String("filter not found: jsonify")));
}

void TestTemplateLanguage::errorsNameTheLine_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("unclosed output") << QStringLiteral("line 1\nline 2 ${{ parameters.name\nline 3")
                                     << QStringLiteral("test:3:1: expected the end of the tag, found 'line' (in the tag opened at line 2, column 8)");
    QTest::newRow("unknown filter") << QStringLiteral("a\nb\n${{ parameters.name | shout }}") << QStringLiteral("test:3:23: filter not found: shout");
    QTest::newRow("if without endif") << QStringLiteral("{% if parameters.private %}\nyes\n") << QStringLiteral("test:1:1: {% if %} without {% endif %}");
    QTest::newRow("stray endfor") << QStringLiteral("x\n  {% endfor %}") << QStringLiteral("test:2:3: {% endfor %} without its opening tag");
    QTest::newRow("unknown tag") << QStringLiteral("{% include 'x.njk' %}") << QStringLiteral("test:1:4: unknown block tag 'include'");
    QTest::newRow("unterminated string") << QStringLiteral("${{ 'abc }}") << QStringLiteral("test:1:5: unterminated string");
    QTest::newRow("bad repoUrl") << QStringLiteral("\n${{ 'github.com?owner=acme' | parseRepoUrl }}")
                                 << QStringLiteral("test:2:31: Invalid repo URL passed to publisher: https://github.com?owner=acme, missing repo");
    QTest::newRow("calling undefined") << QStringLiteral("${{ parameters.missing.trim() }}")
                                       << QStringLiteral("test:1:24: Unable to call `trim`, which is undefined or falsey");
}

void TestTemplateLanguage::errorsNameTheLine()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const QString actual = render(text);
    QVERIFY2(actual.contains(message), qPrintable(actual));
}

void TestTemplateLanguage::valueTyping()
{
    const QJsonObject context = json(kContext);
    auto value = [&](const QJsonValue &input) { return renderTemplatedValue(input, context, {}, QStringLiteral("input")); };
    // Rule 1: a lone expression keeps its JSON type.
    QCOMPARE(value(QStringLiteral("${{ parameters.tags }}")), QJsonValue(QJsonArray{QStringLiteral("java"), QStringLiteral("spring")}));
    QCOMPARE(value(QStringLiteral("${{ parameters.port }}")), QJsonValue(8080));
    QCOMPARE(value(QStringLiteral("${{ parameters.port + 1 }}")), QJsonValue(8081));
    QCOMPARE(value(QStringLiteral("${{ parameters.private }}")), QJsonValue(true));
    QCOMPARE(value(QStringLiteral("${{ parameters.nested }}")), QJsonValue(json(R"({"deep": {"value": "found"}})")));
    // Rule 2: anything else is text; a lone block statement is JSON-decoded when it parses.
    QCOMPARE(value(QStringLiteral(" ${{ parameters.port }}")), QJsonValue(QStringLiteral(" 8080")));
    QCOMPARE(value(QStringLiteral("id-${{ parameters.port }}")), QJsonValue(QStringLiteral("id-8080")));
    QCOMPARE(value(QStringLiteral("${{ parameters.name | upper }}-svc")), QJsonValue(QStringLiteral("PAYMENTS-API-svc")));
    QCOMPARE(value(QStringLiteral("{% if parameters.private %}false{% endif %}")), QJsonValue(false));
    QCOMPARE(value(QStringLiteral("{% if parameters.private %}[1,2]{% endif %}")), QJsonValue(QJsonArray{1, 2}));
    QCOMPARE(value(QStringLiteral("{% if parameters.private %}not json{% endif %}")), QJsonValue(QStringLiteral("not json")));
    // Rule 3: empty drops the key, except ${{ "" }}.
    QVERIFY(value(QStringLiteral("${{ parameters.missing }}")).isUndefined());
    QVERIFY(value(QStringLiteral("{% if false %}x{% endif %}")).isUndefined());
    QCOMPARE(value(QStringLiteral("${{ \"\" }}")), QJsonValue(QString()));
    // The walk: only string leaves are templates; dropped keys disappear.
    const QJsonValue tree = value(QJsonObject{{QStringLiteral("url"), QStringLiteral("./skeleton")},
                                              {QStringLiteral("port"), 3000},
                                              {QStringLiteral("values"), QJsonObject{{QStringLiteral("name"), QStringLiteral("${{ parameters.name }}")},
                                                                                     {QStringLiteral("gone"), QStringLiteral("${{ parameters.nothing }}")},
                                                                                     {QStringLiteral("list"), QJsonArray{QStringLiteral("${{ parameters.port }}"), true}}}}});
    QCOMPARE(tree, QJsonValue(json(R"({"url": "./skeleton", "port": 3000, "values": {"name": "payments-api", "list": [8080, true]}})")));
}

void TestTemplateLanguage::renderProblemsKeepTheText()
{
    // Rule 4: a template that fails keeps its text, and the problem is reported with where it was.
    QList<RenderProblem> problems;
    const QJsonValue input = QJsonObject{{QStringLiteral("repo"), QStringLiteral("${{ parameters.name | parseRepoUrl }}")},
                                         {QStringLiteral("ok"), QStringLiteral("${{ parameters.name }}")}};
    const QJsonValue rendered = renderTemplatedValue(input, json(kContext), {}, QStringLiteral("steps[publish].input"), &problems);
    QCOMPARE(rendered[QLatin1String("repo")].toString(), QStringLiteral("${{ parameters.name | parseRepoUrl }}"));
    QCOMPARE(rendered[QLatin1String("ok")].toString(), QStringLiteral("payments-api"));
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().where, QStringLiteral("steps[publish].input.repo"));
    QVERIFY2(problems.first().error.toString().startsWith(QLatin1String("steps[publish].input.repo:1:")), qPrintable(problems.first().error.toString()));
    QVERIFY(problems.first().error.message.contains(QLatin1String("missing owner")));
}

void TestTemplateLanguage::hostileTemplatesAreRefused()
{
    // Deep nesting would exhaust the stack; endless loops would hang a task.
    QVERIFY(render(QString(5000, QLatin1Char('(')).prepend(QStringLiteral("${{ ")) + QStringLiteral("1")).contains(QLatin1String("nested more than 100 levels")));
    QVERIFY(render(QStringLiteral("${{ ") + QString(5000, QLatin1Char('-')) + QStringLiteral("1 }}")).contains(QLatin1String("nested more than 100 levels")));
    QVERIFY(render(QStringLiteral("{% if true %}").repeated(500)).contains(QLatin1String("nested more than 100 levels")));
    const QString loops = QStringLiteral("{% for a in range(2000) %}{% for b in range(2000) %}x{% endfor %}{% endfor %}");
    QVERIFY(render(loops).contains(QLatin1String("renders too much")));
    QVERIFY(render(QStringLiteral("${{ range(1e9) }}")).contains(QLatin1String("limited to 100000 items")));
    // Hostile text is only text: no JavaScript internals (Nunjucks prints `constructor`'s source here).
    QCOMPARE(render(QStringLiteral("${{ constructor }}${{ parameters.constructor }}${{ '__proto__' in parameters }}")), QStringLiteral("false"));
}

void TestTemplateLanguage::extensionExamplesRunAsTheirNotesSay()
{
    // Every example GET /v2/templating-extensions shows runs here and gives the output its notes name.
    const QJsonObject filters = QJsonDocument::fromJson(templatingExtensionsJson()).object().value(QLatin1String("filters")).toObject();
    QCOMPARE(filters.size(), 4);
    int checked = 0;
    for (auto it = filters.begin(); it != filters.end(); ++it) {
        for (const QJsonValue &example : it.value()[QLatin1String("examples")].toArray()) {
            const QString text = example[QLatin1String("example")].toString();
            const QString notes = example[QLatin1String("notes")].toString();
            const QString expression = text.mid(text.indexOf(QLatin1String("message: ")) + 9).trimmed();
            const QString input = notes.section(QLatin1String("**Input**: `"), 1).section(QLatin1Char('`'), 0, 0);
            const QString output = notes.section(QLatin1String("**Output**: `"), 1).section(QLatin1Char('`'), 0, 0);
            // The input is what the parameter holds: a repoUrl, an entity ref, or (for pick) what parseEntityRef makes of the owner.
            const QJsonObject parameters{{QStringLiteral("repoUrl"), input},
                                         {QStringLiteral("owner"), it.key() == QLatin1String("pick") ? QStringLiteral("group:team-checkout") : input}};
            auto parsed = Template::parse(expression, {}, it.key());
            QVERIFY2(parsed, qPrintable(expression));
            auto value = parsed->evaluateSingleExpression({{QStringLiteral("parameters"), parameters}});
            QVERIFY2(value, qPrintable(expression));
            const QJsonValue expected = output.startsWith(QLatin1Char('{')) ? QJsonValue(QJsonDocument::fromJson(output.toUtf8()).object()) : QJsonValue(output);
            QVERIFY2(value.value() == expected, qPrintable(it.key() + QStringLiteral(": ") + expression));
            ++checked;
        }
    }
    QCOMPARE(checked, 5);
}

QTEST_GUILESS_MAIN(TestTemplateLanguage)
#include "tst_templatelanguage.moc"
