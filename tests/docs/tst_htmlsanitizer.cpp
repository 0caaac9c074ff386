// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
// The sanitiser against known XSS vectors (OWASP's filter evasion cheat
// sheet, html5sec.org, DOMPurify's test corpus, in our own selection): each
// must come out inert, while the HTML docs legitimately use survives.
#include <docs/htmlsanitizer.h>
#include <docs/markdownrenderer.h>

#include <QRegularExpression>
#include <QTest>

using namespace Greenroom::Docs;

namespace {

// Inert = nothing a browser would run: no script-capable element, no event
// handler attribute, no javascript:/vbscript:/data:text URL in any attribute.
QString whyNotInert(const QString &html)
{
    static const QRegularExpression element(QStringLiteral("<\\s*(script|iframe|object|embed|style|svg|math|link|meta|base|form|frame|"
                                                           "frameset|applet|template|textarea|noscript|button|select|video|audio)\\b"),
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression handler(QStringLiteral("<[^>]*\\son[a-z]+\\s*="), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression badUrl(QStringLiteral("(href|src|cite|action|formaction|background|xlink:href|poster)\\s*=\\s*[\"']?\\s*"
                                                          "(javascript|vbscript|data:text|data:image/svg|livescript):"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression styleAttack(QStringLiteral("style\\s*=\\s*\"[^\"]*(expression|url\\(|javascript|@import|behavior)"),
                                                QRegularExpression::CaseInsensitiveOption);
    if (const auto m = element.match(html); m.hasMatch())
        return QStringLiteral("element ") + m.captured(0);
    if (const auto m = handler.match(html); m.hasMatch())
        return QStringLiteral("event handler ") + m.captured(0);
    if (const auto m = badUrl.match(html); m.hasMatch())
        return QStringLiteral("URL ") + m.captured(0);
    if (const auto m = styleAttack.match(html); m.hasMatch())
        return QStringLiteral("style ") + m.captured(0);
    return {};
}

} // namespace

class TestHtmlSanitizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vectorsComeOutInert_data()
    {
        QTest::addColumn<QString>("input");
        const QStringList corpus = {
            QStringLiteral("<script>alert(1)</script>"),
            QStringLiteral("<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>"),
            QStringLiteral("<scr<script>ipt>alert(1)</scr</script>ipt>"),
            QStringLiteral("<IMG SRC=\"javascript:alert('XSS');\">"),
            QStringLiteral("<IMG SRC=javascript:alert('XSS')>"),
            QStringLiteral("<IMG SRC=JaVaScRiPt:alert('XSS')>"),
            QStringLiteral("<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>"),
            QStringLiteral("<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>"),
            QStringLiteral("<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>"),
            QStringLiteral("<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>"),
            QStringLiteral("<IMG SRC=\"jav\tascript:alert('XSS');\">"),
            QStringLiteral("<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">"),
            QStringLiteral("<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">"),
            QStringLiteral("<IMG SRC=\" &#14;  javascript:alert('XSS');\">"),
            QStringLiteral("<a href=\"&#x6a;avascript&colon;alert(1)\">x</a>"),
            QStringLiteral("<a href=\"java\u0000script:alert(1)\">x</a>"),
            QStringLiteral("<a href=\" javascript:alert(1)\">x</a>"),
            QStringLiteral("<a href=\"vbscript:msgbox(1)\">x</a>"),
            QStringLiteral("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>"),
            QStringLiteral("<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">"),
            QStringLiteral("<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">"),
            QStringLiteral("<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>"),
            QStringLiteral("<img src=x onerror=alert(1)//"),
            QStringLiteral("<img src=x oNeRrOr=alert(1)>"),
            QStringLiteral("<img/src=x/onerror=alert(1)>"),
            QStringLiteral("<svg/onload=alert(1)>"),
            QStringLiteral("<svg><script>alert(1)</script></svg>"),
            QStringLiteral("<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>"),
            QStringLiteral("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
            QStringLiteral("<math><mi xlink:href=\"data:x,<script>alert(1)</script>\">"),
            QStringLiteral("<BODY ONLOAD=alert('XSS')>"),
            QStringLiteral("<body onpageshow=alert(1)>"),
            QStringLiteral("<iframe src=\"javascript:alert(1)\"></iframe>"),
            QStringLiteral("<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>"),
            QStringLiteral("<IFRAME SRC=\"https://evil.example/\"></IFRAME>"),
            QStringLiteral("<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>"),
            QStringLiteral("<object data=\"javascript:alert(1)\"></object>"),
            QStringLiteral("<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>"),
            QStringLiteral("<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">"),
            QStringLiteral("<STYLE>@import'http://xss.example/xss.css';</STYLE>"),
            QStringLiteral("<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">"),
            QStringLiteral("<BASE HREF=\"javascript:alert('XSS');//\">"),
            QStringLiteral("<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>"),
            QStringLiteral("<DIV STYLE=\"width: expression(alert('XSS'));\">x</DIV>"),
            QStringLiteral("<span style=\"behavior: url(xss.htc)\">x</span>"),
            QStringLiteral("<TABLE BACKGROUND=\"javascript:alert('XSS')\"><tr><TD BACKGROUND=\"javascript:alert('XSS')\">x</TD></tr></TABLE>"),
            QStringLiteral("<form action=\"javascript:alert(1)\"><button>go</button></form>"),
            QStringLiteral("<button formaction=\"javascript:alert(1)\">x</button>"),
            QStringLiteral("<input type=\"image\" src=\"javascript:alert(1)\">"),
            QStringLiteral("<input onfocus=alert(1) autofocus>"),
            QStringLiteral("<details open ontoggle=alert(1)>"),
            QStringLiteral("<video><source onerror=\"alert(1)\"></video>"),
            QStringLiteral("<audio src=x onerror=alert(1)>"),
            QStringLiteral("<marquee onstart=alert(1)>x</marquee>"),
            QStringLiteral("<a href=\"#\" onclick=\"alert(1)\">click</a>"),
            QStringLiteral("<a href=\"javas&#99;ript:alert(1)\">x</a>"),
            QStringLiteral("<a href=\"&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)\">x</a>"),
            QStringLiteral("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"),
            QStringLiteral("<template><script>alert(1)</script></template>"),
            QStringLiteral("<textarea><script>alert(1)</script></textarea>"),
            QStringLiteral("<title><img src=x onerror=alert(1)></title>"),
            QStringLiteral("<xmp><img src=x onerror=alert(1)></xmp>"),
            QStringLiteral("<!--<img src=x onerror=alert(1)>-->"),
            QStringLiteral("<![CDATA[<script>alert(1)</script>]]>"),
            QStringLiteral("<p title=\"\"><img src=x onerror=alert(1)>\"></p>"),
            QStringLiteral("<div id=\"x\" data-x=\"\" onmouseover=\"alert(1)\">x</div>"),
            QStringLiteral("<img src=\"x\" alt=\"`\" onerror=\"alert(1)\">"),
            QStringLiteral("<a href=\"javascript&#x3A;alert(1)\">x</a>"),
            QStringLiteral("<a href=\"\x01javascript:alert(1)\">x</a>"),
            QStringLiteral("<portal src=\"https://evil.example\"></portal>"),
            QStringLiteral("<dialog open onclose=alert(1)>x</dialog>"),
            QStringLiteral("<select autofocus onfocus=alert(1)>"),
            QStringLiteral("<keygen autofocus onfocus=alert(1)>"),
            QStringLiteral("<isindex type=image src=1 onerror=alert(1)>"),
            QStringLiteral("<object><param name=\"src\" value=\"javascript:alert(1)\"></param></object>"),
        };
        for (int i = 0; i < corpus.size(); ++i)
            QTest::addRow("vector %d", i) << corpus[i];
    }

    void vectorsComeOutInert()
    {
        QFETCH(QString, input);
        const QString clean = sanitizeHtml(input);
        const QString problem = whyNotInert(clean);
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("%1 survived in: %2").arg(problem, clean)));
        // Sanitising is idempotent: the output parses to itself.
        QCOMPARE(sanitizeHtml(clean), clean);
    }

    void theOracleSeesLiveVectors()
    {
        // The check above can fail: unsanitised vectors are caught by it.
        QVERIFY(!whyNotInert(QStringLiteral("<script>alert(1)</script>")).isEmpty());
        QVERIFY(!whyNotInert(QStringLiteral("<img src=x onerror=alert(1)>")).isEmpty());
        QVERIFY(!whyNotInert(QStringLiteral("<a href=\" javascript:alert(1)\">x</a>")).isEmpty());
        QVERIFY(!whyNotInert(QStringLiteral("<div style=\"width: expression(alert(1))\">")).isEmpty());
        QVERIFY(!whyNotInert(QStringLiteral("<svg/onload=alert(1)>")).isEmpty());
    }

    void vectorsThroughMarkdownComeOutInert()
    {
        // The same through the Markdown path: links and images written in
        // Markdown, raw HTML blocks and inline HTML.
        const QStringList markdown = {
            QStringLiteral("[x](javascript:alert(1))"),
            QStringLiteral("[x](JAVASCRIPT:alert(1))"),
            QStringLiteral("![x](javascript:alert(1))"),
            QStringLiteral("[x]: javascript:alert(1)\n\n[y][x]"),
            QStringLiteral("<javascript:alert(1)>"),
            QStringLiteral("Text <img src=x onerror=alert(1)> inline"),
            QStringLiteral("<div markdown=\"1\" onclick=\"alert(1)\">\n**b**\n</div>"),
            QStringLiteral("!!! note \"<img src=x onerror=alert(1)>\"\n    body"),
            QStringLiteral("=== \"<script>alert(1)</script>\"\n    body"),
            QStringLiteral("[x](https://ok.example){ onclick=\"alert(1)\" }"),
            QStringLiteral("## Heading {: onmouseover=\"alert(1)\" }"),
            QStringLiteral("```{ .python onclick=\"alert(1)\" }\nx\n```"),
        };
        for (const QString &input : markdown) {
            MarkdownSource source;
            source.text = input;
            const QString clean = sanitizeHtml(renderMarkdown(source, {}).html);
            const QString problem = whyNotInert(clean);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("%1 survived from %2 in: %3").arg(problem, input, clean)));
        }
    }

    void allowedHtmlSurvives()
    {
        const QString html = QStringLiteral(
            "<table><thead><tr><th style=\"text-align: center;\">A</th></tr></thead><tbody><tr><td colspan=\"2\">1</td></tr></tbody></table>"
            "<details class=\"tip\" open=\"open\"><summary>More</summary><p>Hidden</p></details>"
            "<p><img alt=\"Logo\" src=\"img/logo.png\" width=\"40\" /> <a href=\"../setup/#install\" title=\"t\">Setup</a> "
            "<a href=\"https://example.com\">ext</a> <a href=\"mailto:a@b.c\">mail</a> <kbd>Ctrl</kbd> <mark>m</mark></p>"
            "<div class=\"tabbed-set tabbed-alternate\" data-tabs=\"1:2\"><input checked=\"checked\" id=\"__tabbed_1_1\" name=\"__tabbed_1\" type=\"radio\" />"
            "<div class=\"tabbed-labels\"><label for=\"__tabbed_1_1\">A</label></div></div>"
            "<ul class=\"task-list\"><li class=\"task-list-item\"><input type=\"checkbox\" disabled=\"\" checked=\"\" /> done</li></ul>"
            "<pre><span></span><code>a &lt; b</code></pre><img alt=\"dot\" src=\"data:image/png;base64,iVBORw0KGgo=\" />");
        const QString clean = sanitizeHtml(html);
        for (const QString &kept : {QStringLiteral("<th style=\"text-align: center;\">A</th>"), QStringLiteral("<td colspan=\"2\">1</td>"),
                                    QStringLiteral("<details class=\"tip\" open=\"open\"><summary>More</summary>"),
                                    QStringLiteral("<img alt=\"Logo\" src=\"img/logo.png\" width=\"40\" />"),
                                    QStringLiteral("<a href=\"../setup/#install\" title=\"t\">Setup</a>"),
                                    QStringLiteral("<a href=\"mailto:a@b.c\">mail</a>"), QStringLiteral("<kbd>Ctrl</kbd>"),
                                    QStringLiteral("data-tabs=\"1:2\""),
                                    QStringLiteral("<input checked=\"checked\" id=\"__tabbed_1_1\" name=\"__tabbed_1\" type=\"radio\" />"),
                                    QStringLiteral("<label for=\"__tabbed_1_1\">A</label>"),
                                    QStringLiteral("<input type=\"checkbox\" disabled=\"\" checked=\"\" />"),
                                    QStringLiteral("<code>a &lt; b</code>"), QStringLiteral("src=\"data:image/png;base64,iVBORw0KGgo=\"")})
            QVERIFY2(clean.contains(kept), qPrintable(QStringLiteral("lost %1 in %2").arg(kept, clean)));
    }

    void unknownElementsAreUnwrapped()
    {
        QCOMPARE(sanitizeHtml(QStringLiteral("<custom-card><p>Text</p></custom-card><font color=red>x</font>")),
                 QStringLiteral("<p>Text</p>x"));
    }
};

QTEST_GUILESS_MAIN(TestHtmlSanitizer)
#include "tst_htmlsanitizer.moc"
