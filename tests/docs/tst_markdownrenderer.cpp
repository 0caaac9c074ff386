// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
// Golden tests: Markdown in, the HTML fragments Python-Markdown with
// techdocs-core's extensions produces out (shapes from techdocs.md, 3.3).
#include <docs/markdownrenderer.h>

#include <QTest>

using namespace Greenroom::Docs;

namespace {

RenderedMarkdown render(const QString &markdown, const MarkdownDialect &dialect = {})
{
    MarkdownSource source;
    source.text = markdown;
    source.path = QStringLiteral("page.md");
    return renderMarkdown(source, dialect);
}

} // namespace

class TestMarkdownRenderer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void golden_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QStringList>("absent");

        QTest::newRow("admonition") << QStringLiteral("!!! note \"Heads up\"\n    Body *text*.\n")
            << QStringList{QStringLiteral("<div class=\"admonition note\">\n<p class=\"admonition-title\">Heads up</p>\n<p>Body <em>text</em>.</p>\n</div>")}
            << QStringList{QStringLiteral("!!!")};
        QTest::newRow("admonition default title") << QStringLiteral("!!! warning\n    Careful.\n")
            << QStringList{QStringLiteral("<p class=\"admonition-title\">Warning</p>")} << QStringList{};
        QTest::newRow("admonition no title") << QStringLiteral("!!! danger \"\"\n    No title.\n")
            << QStringList{QStringLiteral("<div class=\"admonition danger\">\n<p>No title.</p>")}
            << QStringList{QStringLiteral("admonition-title")};
        QTest::newRow("admonition nested code") << QStringLiteral("!!! tip\n    ```python\n    x = 1\n    ```\n")
            << QStringList{QStringLiteral("<div class=\"admonition tip\">"), QStringLiteral("language-python highlight")}
            << QStringList{};
        QTest::newRow("details") << QStringLiteral("??? tip \"More\"\n    Hidden.\n")
            << QStringList{QStringLiteral("<details class=\"tip\">\n<summary>More</summary>\n<p>Hidden.</p>\n</details>")}
            << QStringList{QStringLiteral("open=")};
        QTest::newRow("details open") << QStringLiteral("???+ note \"Open\"\n    Shown.\n")
            << QStringList{QStringLiteral("<details class=\"note\" open=\"open\">")} << QStringList{};
        QTest::newRow("admonition in list") << QStringLiteral("1. Step\n\n    !!! note\n        Inside.\n")
            << QStringList{QStringLiteral("<li>"), QStringLiteral("<div class=\"admonition note\">"), QStringLiteral("<p>Inside.</p>")}
            << QStringList{QStringLiteral("!!!")};

        QTest::newRow("toc ids and permalinks") << QStringLiteral("# Title with `code` & Ünïcode!\n\n## Install it\n\n## Install it\n")
            << QStringList{QStringLiteral("<h1 id=\"title-with-code-unicode\">"),
                           QStringLiteral("<h2 id=\"install-it\">Install it<a class=\"headerlink\" href=\"#install-it\" title=\"Permanent link\">\u00b6</a></h2>"),
                           QStringLiteral("<h2 id=\"install-it_1\">")}
            << QStringList{};
        QTest::newRow("heading custom id") << QStringLiteral("## Setup {#custom-id .wide}\n")
            << QStringList{QStringLiteral("<h2 id=\"custom-id\" class=\"wide\">Setup<a class=\"headerlink\" href=\"#custom-id\"")}
            << QStringList{QStringLiteral("{#")};
        QTest::newRow("attr_list block") << QStringLiteral("A paragraph.\n{: .lead #intro }\n")
            << QStringList{QStringLiteral("<p id=\"intro\" class=\"lead\">A paragraph.</p>")} << QStringList{QStringLiteral("{:")};
        QTest::newRow("attr_list inline") << QStringLiteral("[Go](https://example.com){ .md-button target=_blank }\n")
            << QStringList{QStringLiteral("<a href=\"https://example.com\" class=\"md-button\" target=\"_blank\">Go</a>")}
            << QStringList{QStringLiteral("{ .md")};

        QTest::newRow("table alignment") << QStringLiteral("| a | b |\n|:-:|--:|\n| 1 | 2 |\n")
            << QStringList{QStringLiteral("<th style=\"text-align: center;\">a</th>"), QStringLiteral("<td style=\"text-align: right;\">2</td>")}
            << QStringList{};
        QTest::newRow("footnotes") << QStringLiteral("Text[^1] more[^note].\n\n[^1]: First.\n[^note]: Second.\n")
            << QStringList{QStringLiteral("<sup id=\"fnref:1\"><a class=\"footnote-ref\" href=\"#fn:1\">1</a></sup>"),
                           QStringLiteral("<sup id=\"fnref:note\"><a class=\"footnote-ref\" href=\"#fn:note\">2</a></sup>"),
                           QStringLiteral("<div class=\"footnote\">\n<hr />\n<ol>\n<li id=\"fn:1\">"),
                           QStringLiteral("<p>First.&#160;<a class=\"footnote-backref\" href=\"#fnref:1\"")}
            << QStringList{QStringLiteral("[^1]")};
        QTest::newRow("definition list") << QStringLiteral("Term\n:   The definition.\n")
            << QStringList{QStringLiteral("<dl>\n<dt>Term</dt>\n<dd>The definition.</dd>\n</dl>")} << QStringList{};
        QTest::newRow("definition list two terms") << QStringLiteral("Apple\n:   Red.\n\nPear\n:   Green.\n")
            << QStringList{QStringLiteral("<dt>Apple</dt>\n<dd>Red.</dd>\n<dt>Pear</dt>\n<dd>Green.</dd>")}
            << QStringList{QStringLiteral("</dl>\n<dl>")};
        QTest::newRow("abbreviation") << QStringLiteral("The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n")
            << QStringList{QStringLiteral("The <abbr title=\"Hyper Text Markup Language\">HTML</abbr> spec.")}
            << QStringList{QStringLiteral("*[HTML]")};
        QTest::newRow("task list") << QStringLiteral("- [x] done\n- [ ] todo\n")
            << QStringList{QStringLiteral("<ul class=\"task-list\">"),
                           QStringLiteral("<li class=\"task-list-item\"><label class=\"task-list-control\"><input type=\"checkbox\" disabled checked/><span class=\"task-list-indicator\"></span></label> done</li>"),
                           QStringLiteral("<input type=\"checkbox\" disabled/>")}
            << QStringList{QStringLiteral("[x]")};
        QTest::newRow("tabs") << QStringLiteral("=== \"Tab A\"\n    Alpha.\n\n=== \"Tab B\"\n    Beta.\n")
            << QStringList{QStringLiteral("<div class=\"tabbed-set tabbed-alternate\" data-tabs=\"1:2\">"),
                           QStringLiteral("<input checked=\"checked\" id=\"__tabbed_1_1\" name=\"__tabbed_1\" type=\"radio\" />"),
                           QStringLiteral("<label for=\"__tabbed_1_2\">Tab B</label>"),
                           QStringLiteral("<div class=\"tabbed-block\">\n<p>Beta.</p>\n</div>")}
            << QStringList{QStringLiteral("===")};

        QTest::newRow("fenced code with options") << QStringLiteral("```python title=\"x.py\" linenums=\"3\" hl_lines=\"2\"\nimport os\nx = 1\n```\n")
            << QStringList{QStringLiteral("<div class=\"language-python highlight\"><table class=\"highlighttable\">"),
                           QStringLiteral("<th colspan=\"2\" class=\"filename\"><span class=\"filename\">x.py</span></th>"),
                           QStringLiteral("<span class=\"normal\">3</span>\n<span class=\"normal\">4</span>"),
                           QStringLiteral("<span class=\"kn\">import</span>"),
                           QStringLiteral("<span class=\"hll\"><span class=\"n\">x</span> <span class=\"o\">=</span> <span class=\"mi\">1</span>\n</span>")}
            << QStringList{};
        QTest::newRow("unknown language") << QStringLiteral("```nosuchlang\na < b\n```\n")
            << QStringList{QStringLiteral("<div class=\"language-text highlight\">"), QStringLiteral("a &lt; b")} << QStringList{};
        QTest::newRow("mermaid without custom fence") << QStringLiteral("```mermaid\ngraph TD\n  A-->B\n```\n")
            << QStringList{QStringLiteral("<div class=\"language-text highlight\">"), QStringLiteral("A--&gt;B")}
            << QStringList{QStringLiteral("class=\"mermaid\"")};
        QTest::newRow("indented code") << QStringLiteral("Para.\n\n    indented code\n")
            << QStringList{QStringLiteral("<div class=\"language-text highlight\">"), QStringLiteral("indented code")} << QStringList{};
        QTest::newRow("inline highlight") << QStringLiteral("Use `#!python range(3)` here.\n")
            << QStringList{QStringLiteral("<code class=\"language-python highlight\"><span class=\"kt\">range</span>")}
            << QStringList{QStringLiteral("#!python")};
        QTest::newRow("plain code span") << QStringLiteral("A `==not mark==` span.\n")
            << QStringList{QStringLiteral("<code>==not mark==</code>")} << QStringList{QStringLiteral("<mark>")};

        QTest::newRow("emoji") << QStringLiteral("Great :smile: and :+1: but :nosuchemoji:\n")
            << QStringList{QStringLiteral("<span class=\"emojione\" title=\":smile:\">\U0001F604</span>"),
                           QStringLiteral("title=\":+1:\">\U0001F44D</span>"), QStringLiteral(":nosuchemoji:")}
            << QStringList{};
        QTest::newRow("mark caret tilde") << QStringLiteral("==marked== ^^inserted^^ x^2^ ~~deleted~~ H~2~O\n")
            << QStringList{QStringLiteral("<mark>marked</mark>"), QStringLiteral("<ins>inserted</ins>"), QStringLiteral("x<sup>2</sup>"),
                           QStringLiteral("<del>deleted</del>"), QStringLiteral("H<sub>2</sub>O")}
            << QStringList{};
        QTest::newRow("mark with emphasis inside") << QStringLiteral("==a **b** c==\n")
            << QStringList{QStringLiteral("<mark>a <strong>b</strong> c</mark>")} << QStringList{};
        QTest::newRow("critic") << QStringLiteral("{++add++} {--remove--} {~~old~>new~~} {==hi==} {>>note<<}\n")
            << QStringList{QStringLiteral("<ins class=\"critic\">add</ins>"), QStringLiteral("<del class=\"critic\">remove</del>"),
                           QStringLiteral("<del class=\"critic\">old</del><ins class=\"critic\">new</ins>"),
                           QStringLiteral("<mark class=\"critic\">hi</mark>"), QStringLiteral("<span class=\"critic comment\">note</span>")}
            << QStringList{};
        QTest::newRow("smart symbols") << QStringLiteral("(c) (tm) (r) +/- =/= --> 1/2 1st\n")
            << QStringList{QStringLiteral("\u00a9 \u2122 \u00ae \u00b1 \u2260 \u2192 \u00bd 1<sup>st</sup>")} << QStringList{};
        QTest::newRow("magic link") << QStringLiteral("See https://backstage.io/docs and www.example.com.\n")
            << QStringList{QStringLiteral("<a href=\"https://backstage.io/docs\">https://backstage.io/docs</a>"),
                           QStringLiteral("<a href=\"http://www.example.com\">www.example.com</a>")}
            << QStringList{};
        QTest::newRow("smart emphasis") << QStringLiteral("snake_case_word and a*b*c and **strong** __strong__\n")
            << QStringList{QStringLiteral("snake_case_word"), QStringLiteral("a*b*c"), QStringLiteral("<strong>strong</strong> <strong>strong</strong>")}
            << QStringList{QStringLiteral("<em>")};

        QTest::newRow("list needs blank line") << QStringLiteral("Paragraph text\n- not a list\n")
            << QStringList{QStringLiteral("<p>Paragraph text\n- not a list</p>")} << QStringList{QStringLiteral("<ul>")};
        QTest::newRow("four space nesting") << QStringLiteral("1. First\n\n    More about first.\n\n2. Second\n")
            << QStringList{QStringLiteral("<ol>\n<li>\n<p>First</p>\n<p>More about first.</p>\n</li>"), QStringLiteral("<li>Second</li>")}
            << QStringList{QStringLiteral("<pre")};
        QTest::newRow("truly sane two space nesting") << QStringLiteral("1. One\n  - nested\n2. Two\n")
            << QStringList{QStringLiteral("<li>One<ul>\n<li>nested</li>\n</ul>\n</li>")} << QStringList{};
        QTest::newRow("truly sane loose items") << QStringLiteral("- a\n\n- b\n")
            << QStringList{QStringLiteral("<li>a</li>\n<li>b</li>")} << QStringList{QStringLiteral("<p>")};

        QTest::newRow("raw html block kept verbatim") << QStringLiteral("<div class=\"x\">\n\n**not bold**\n\n</div>\n")
            << QStringList{QStringLiteral("<div class=\"x\">\n\n**not bold**\n\n</div>")} << QStringList{QStringLiteral("<strong>")};
        QTest::newRow("md_in_html") << QStringLiteral("<div markdown=\"1\" class=\"grid\">\n**bold**\n</div>\n")
            << QStringList{QStringLiteral("<div class=\"grid\">"), QStringLiteral("<strong>bold</strong>"), QStringLiteral("</div>")}
            << QStringList{QStringLiteral("markdown=")};
        QTest::newRow("github alert") << QStringLiteral("> [!WARNING]\n> Mind the gap.\n")
            << QStringList{QStringLiteral("<div class=\"admonition warning\">\n<p class=\"admonition-title\">Warning</p>\n<p>Mind the gap.</p>")}
            << QStringList{QStringLiteral("<blockquote>")};
        QTest::newRow("image") << QStringLiteral("![The *logo*](img/logo.png \"Logo\")\n")
            << QStringList{QStringLiteral("<img alt=\"The logo\" src=\"img/logo.png\" title=\"Logo\" />")} << QStringList{QStringLiteral("<em>")};
    }

    void golden()
    {
        QFETCH(QString, markdown);
        QFETCH(QStringList, expected);
        QFETCH(QStringList, absent);
        const QString html = render(markdown).html;
        for (const QString &fragment : expected)
            QVERIFY2(html.contains(fragment), qPrintable(QStringLiteral("missing:\n%1\nin:\n%2").arg(fragment, html)));
        for (const QString &fragment : absent)
            QVERIFY2(!html.contains(fragment), qPrintable(QStringLiteral("unexpected:\n%1\nin:\n%2").arg(fragment, html)));
    }

    void customMermaidFence()
    {
        MarkdownDialect dialect;
        dialect.customFences.append({QStringLiteral("mermaid"), QStringLiteral("mermaid"), false});
        const QString html = render(QStringLiteral("```mermaid\ngraph TD\n  A-->B\n```\n"), dialect).html;
        QCOMPARE(html, QStringLiteral("<pre class=\"mermaid\"><code>graph TD\n  A--&gt;B\n</code></pre>\n"));
    }

    void lineNumbersCanBeTurnedOff()
    {
        MarkdownDialect dialect;
        dialect.lineNumbers = false;
        const QString html = render(QStringLiteral("```yaml\nkey: value\n```\n"), dialect).html;
        QCOMPARE(html, QStringLiteral("<div class=\"language-yaml highlight\"><pre><span></span><code><span class=\"nt\">key</span>"
                                      "<span class=\"p\">:</span> <span class=\"l\">value</span>\n</code></pre></div>\n"));
    }

    void tocAndLeadingTitle()
    {
        const RenderedMarkdown page = render(QStringLiteral("# Welcome\n\nIntro.\n\n## Setup\n\n### Details\n"));
        QCOMPARE(page.leadingH1, QStringLiteral("Welcome"));
        QCOMPARE(page.toc.size(), 3);
        QCOMPARE(page.toc[1].id, QStringLiteral("setup"));
        QCOMPARE(page.toc[2].level, 3);
        // An H1 that is not the first block is no title.
        QVERIFY(render(QStringLiteral("Intro.\n\n# Later\n")).leadingH1.isNull());
    }

    void frontMatter()
    {
        const RenderedMarkdown page = render(QStringLiteral("---\ntitle: From front matter\ntags: [a, b]\n---\n# Heading\n"));
        QCOMPARE(page.meta.value(QStringLiteral("title")).toString(), QStringLiteral("From front matter"));
        QVERIFY(!page.html.contains(QStringLiteral("title:")));
        QCOMPARE(page.leadingH1, QStringLiteral("Heading"));
        const RenderedMarkdown mmd = render(QStringLiteral("Title: MultiMarkdown\nAuthor: Someone\n\nBody.\n"));
        QCOMPARE(mmd.meta.value(QStringLiteral("title")).toString(), QStringLiteral("MultiMarkdown"));
        QCOMPARE(mmd.html, QStringLiteral("<p>Body.</p>\n"));
    }

    void linksAreRewrittenThroughTheResolver()
    {
        MarkdownSource source;
        source.text = QStringLiteral("[a](setup.md#install) [b](https://x.org/a.md) [c](#local) ![i](img/x.png) [d](/abs)\n"
                                     "<a href=\"raw.md\">raw</a>\n");
        source.path = QStringLiteral("index.md");
        QStringList asked;
        source.rewriteLink = [&](const QString &target, bool image) {
            asked.append(target + (image ? QStringLiteral(" (image)") : QString()));
            return QStringLiteral("REWRITTEN/") + target;
        };
        const QString html = renderMarkdown(source, {}).html;
        QCOMPARE(asked, (QStringList{QStringLiteral("setup.md#install"), QStringLiteral("img/x.png (image)")}));
        QVERIFY(html.contains(QStringLiteral("href=\"REWRITTEN/setup.md#install\"")));
        QVERIFY(html.contains(QStringLiteral("href=\"https://x.org/a.md\"")));
        QVERIFY(html.contains(QStringLiteral("src=\"REWRITTEN/img/x.png\"")));
        QVERIFY(html.contains(QStringLiteral("<a href=\"raw.md\">raw</a>")));   // raw HTML is the author's
    }

    void snippetsAreInserted()
    {
        MarkdownSource source;
        source.text = QStringLiteral("Before.\n\n--8<-- \"shared/note.md\"\n\nAfter.\n");
        source.path = QStringLiteral("index.md");
        source.readSnippet = [](const QString &path) {
            return path == QLatin1String("shared/note.md") ? QStringLiteral("**Shared** text.") : QString();
        };
        const QString html = renderMarkdown(source, {}).html;
        QVERIFY2(html.contains(QStringLiteral("<p><strong>Shared</strong> text.</p>")), qPrintable(html));
        QVERIFY(!html.contains(QStringLiteral("8&lt;")));
    }

    void diagramsNeedingToolsWarn()
    {
        const RenderedMarkdown page = render(QStringLiteral("```plantuml\n@startuml\nA -> B\n@enduml\n```\n"));
        QVERIFY(page.html.contains(QStringLiteral("@startuml")));
        QCOMPARE(page.messages.size(), 1);
        QVERIFY(page.messages.first().message.contains(QStringLiteral("plantuml")));
    }

    void slug()
    {
        QCOMPARE(headingSlug(QStringLiteral("Title with code & \u00dcn\u00efcode!")), QStringLiteral("title-with-code-unicode"));
        QCOMPARE(headingSlug(QStringLiteral("  Many   spaces -- here ")), QStringLiteral("many-spaces-here"));
        QCOMPARE(headingSlug(QStringLiteral("\u65e5\u672c\u8a9e")), QString());
    }

    void hostileInputStaysBounded()
    {
        // Deep nesting and unclosed constructs must not hang or crash.
        QString deep;
        for (int i = 0; i < 2000; ++i)
            deep += QString(i % 40, QLatin1Char(' ')) + QStringLiteral("- item\n");
        deep += QString(5000, QLatin1Char('[')) + QString(5000, QLatin1Char('*')) + QStringLiteral("\n!!! note\n");
        for (int i = 0; i < 200; ++i)
            deep += QString(4 * (i + 1), QLatin1Char(' ')) + QStringLiteral("!!! note\n");
        const RenderedMarkdown page = render(deep);
        QVERIFY(page.html.size() > 1000);
    }
};

QTEST_GUILESS_MAIN(TestMarkdownRenderer)
#include "tst_markdownrenderer.moc"
