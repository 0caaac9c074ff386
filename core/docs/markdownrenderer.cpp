// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "markdownrenderer.h"

#include "codehighlighter.h"
#include "emojiindex.h"
#include "htmltext.h"

#include <yaml/yamlreader.h>

#include <QHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>

#include <md4c.h>

namespace Greenroom::Docs {

namespace {

struct Line
{
    QString text;
    int number = 0;    // 1-based line in the page source; 0 = made up
};

// A block Python-Markdown's extensions own. It is cut out of the Markdown
// before md4c sees it, replaced by a placeholder comment line, and rendered
// when md4c reaches the placeholder, so ids, tab and footnote numbers follow
// document order.
struct PendingBlock
{
    enum class Kind { Admonition, Details, Tabs, RawHtml, MarkdownInHtml, DefinitionList };
    Kind kind = Kind::RawHtml;
    QStringList classes;
    QString title;
    bool hasTitle = true;
    bool open = false;
    QList<Line> body;
    QString html;                      // RawHtml; MarkdownInHtml: opening tag
    QString closingTag;                // MarkdownInHtml
    struct Tab { QString title; QList<Line> body; bool selected = false; };
    QList<Tab> tabs;
    struct DefinitionItem { bool isTerm = false; QList<Line> lines; bool loose = false; };
    QList<DefinitionItem> items;
};

struct Footnote
{
    QString label;
    QList<Line> body;
    int references = 0;
};

struct PageContext
{
    const MarkdownSource &source;
    const MarkdownDialect &dialect;
    RenderedMarkdown &result;
    QString placeholderPrefix;         // "<!--greenroom-block-<nonce>-"
    QList<PendingBlock> blocks;
    QSet<QString> usedIds;
    int tabSets = 0;
    QList<Footnote> footnotes;
    QHash<QString, int> footnoteIndex;
    QHash<QString, QString> abbreviations;   // escaped abbreviation -> its title; the last definition wins
    QRegularExpression abbreviationPattern;
    QString referenceDefinitions;      // link reference definitions of the whole page
    bool firstBlockSeen = false;
};

QString renderBlocks(PageContext &ctx, const QList<Line> &lines, bool topLevel);
QString renderInlineText(PageContext &ctx, const QString &text);

int indentOf(const QString &text)
{
    int n = 0;
    while (n < text.size() && text[n] == QLatin1Char(' '))
        ++n;
    return n;
}

bool isBlank(const QString &text)
{
    for (const QChar c : text)
        if (!c.isSpace())
            return false;
    return true;
}

QString expandTabs(const QString &line)
{
    if (!line.contains(QLatin1Char('\t')))
        return line;
    QString out;
    for (const QChar c : line) {
        if (c == QLatin1Char('\t'))
            out += QString(4 - out.size() % 4, QLatin1Char(' '));
        else
            out += c;
    }
    return out;
}

// Length of a list marker at the start of `body` ("- ", "1. ", "10) ") incl.
// the space after it, or 0.
int listMarkerWidth(QStringView body)
{
    if (body.isEmpty())
        return 0;
    int i = 0;
    if (body[0] == QLatin1Char('-') || body[0] == QLatin1Char('*') || body[0] == QLatin1Char('+')) {
        i = 1;
    } else {
        while (i < body.size() && i < 9 && body[i].isDigit())
            ++i;
        if (i == 0 || i >= body.size() || (body[i] != QLatin1Char('.') && body[i] != QLatin1Char(')')))
            return 0;
        ++i;
    }
    if (i == body.size())
        return i;
    if (body[i] != QLatin1Char(' '))
        return 0;
    int spaces = 0;
    while (i + spaces < body.size() && body[i + spaces] == QLatin1Char(' '))
        ++spaces;
    return i + (spaces > 4 ? 1 : spaces);
}

bool isThematicBreak(QStringView body)
{
    if (body.isEmpty())
        return false;
    const QChar c = body[0];
    if (c != QLatin1Char('-') && c != QLatin1Char('*') && c != QLatin1Char('_'))
        return false;
    int count = 0;
    for (const QChar ch : body) {
        if (ch == c)
            ++count;
        else if (ch != QLatin1Char(' '))
            return false;
    }
    return count >= 3;
}

struct FenceStart
{
    QChar marker;
    int length = 0;
    int indent = 0;
};

bool fenceStart(const QString &text, FenceStart *fence)
{
    const int indent = indentOf(text);
    if (indent + 3 > text.size())
        return false;
    const QChar c = text[indent];
    if (c != QLatin1Char('`') && c != QLatin1Char('~'))
        return false;
    int n = indent;
    while (n < text.size() && text[n] == c)
        ++n;
    if (n - indent < 3)
        return false;
    if (c == QLatin1Char('`') && text.indexOf(QLatin1Char('`'), n) >= 0)
        return false;
    *fence = {c, n - indent, indent};
    return true;
}

bool fenceEnd(const QString &text, const FenceStart &fence)
{
    const int indent = indentOf(text);
    int n = indent;
    while (n < text.size() && text[n] == fence.marker)
        ++n;
    return n - indent >= fence.length && isBlank(text.mid(n));
}

// Lines after `start` that belong to a block indented under a line at
// `baseIndent`: blank lines and lines indented 4 more; returned dedented.
QList<Line> collectIndented(const QList<Line> &lines, int &index, int baseIndent)
{
    QList<Line> body;
    int last = index - 1;
    for (int j = index; j < lines.size(); ++j) {
        if (isBlank(lines[j].text))
            continue;
        if (indentOf(lines[j].text) >= baseIndent + 4)
            last = j;
        else
            break;
    }
    for (int j = index; j <= last; ++j)
        body.append({isBlank(lines[j].text) ? QString() : lines[j].text.mid(baseIndent + 4), lines[j].number});
    index = last + 1;
    return body;
}

const QSet<QString> &blockTags()
{
    static const QSet<QString> tags = {
        QStringLiteral("address"), QStringLiteral("article"), QStringLiteral("aside"), QStringLiteral("blockquote"),
        QStringLiteral("canvas"), QStringLiteral("center"), QStringLiteral("dd"), QStringLiteral("details"),
        QStringLiteral("dialog"), QStringLiteral("div"), QStringLiteral("dl"), QStringLiteral("dt"),
        QStringLiteral("fieldset"), QStringLiteral("figcaption"), QStringLiteral("figure"), QStringLiteral("footer"),
        QStringLiteral("form"), QStringLiteral("h1"), QStringLiteral("h2"), QStringLiteral("h3"), QStringLiteral("h4"),
        QStringLiteral("h5"), QStringLiteral("h6"), QStringLiteral("header"), QStringLiteral("hr"),
        QStringLiteral("iframe"), QStringLiteral("li"), QStringLiteral("main"), QStringLiteral("math"),
        QStringLiteral("nav"), QStringLiteral("noscript"), QStringLiteral("ol"), QStringLiteral("p"),
        QStringLiteral("pre"), QStringLiteral("section"), QStringLiteral("script"), QStringLiteral("style"),
        QStringLiteral("table"), QStringLiteral("ul"), QStringLiteral("video"), QStringLiteral("audio"),
        QStringLiteral("picture"), QStringLiteral("object"), QStringLiteral("embed"), QStringLiteral("svg"),
        QStringLiteral("summary"), QStringLiteral("template"), QStringLiteral("textarea"), QStringLiteral("title")};
    return tags;
}

QString htmlBlockTag(const QString &body)
{
    if (body.size() < 2 || body[0] != QLatin1Char('<') || !body[1].isLetter())
        return {};
    int n = 1;
    while (n < body.size() && (body[n].isLetterOrNumber() || body[n] == QLatin1Char('-')))
        ++n;
    if (n < body.size() && body[n] != QLatin1Char('>') && body[n] != QLatin1Char(' ') && body[n] != QLatin1Char('/'))
        return {};
    const QString tag = body.mid(1, n - 1).toLower();
    return blockTags().contains(tag) ? tag : QString();
}

// Counts opening minus closing `tag` elements in `text`.
int tagBalance(const QString &text, const QString &tag)
{
    int balance = 0;
    const QString open = QLatin1Char('<') + tag;
    const QString close = QStringLiteral("</") + tag;
    qsizetype i = 0;
    while ((i = text.indexOf(QLatin1Char('<'), i)) >= 0) {
        if (text.mid(i, close.size()).compare(close, Qt::CaseInsensitive) == 0) {
            const qsizetype after = i + close.size();
            if (after >= text.size() || text[after] == QLatin1Char('>') || text[after] == QLatin1Char(' '))
                --balance;
        } else if (text.mid(i, open.size()).compare(open, Qt::CaseInsensitive) == 0) {
            const qsizetype after = i + open.size();
            if (after >= text.size() || text[after] == QLatin1Char('>') || text[after] == QLatin1Char(' ')
                || text[after] == QLatin1Char('/')) {
                const qsizetype end = text.indexOf(QLatin1Char('>'), after);
                if (!(end > 0 && text[end - 1] == QLatin1Char('/')))
                    ++balance;
            }
        }
        ++i;
    }
    return balance;
}

bool isVoidTag(const QString &tag)
{
    return tag == QLatin1String("hr") || tag == QLatin1String("embed");
}

QString placeholderLine(const PageContext &ctx, int index, int indent)
{
    return QString(indent, QLatin1Char(' ')) + ctx.placeholderPrefix + QString::number(index) + QStringLiteral("-->");
}

// ---------------------------------------------------------------------------
// Inline extensions that nest with Markdown (caret, mark, tilde, critic,
// footnote references, smart emphasis): rewritten to raw inline HTML in the
// source, outside code spans and tags, so md4c renders what is inside them.

struct InlineRule
{
    QChar trigger;    // the rule can only match text holding this character
    QRegularExpression pattern;
    QString replacement;
};

const QList<InlineRule> &inlineRules()
{
    static const QList<InlineRule> rules = {
        {QLatin1Char('{'), QRegularExpression(QStringLiteral("\\{\\+\\+(.+?)\\+\\+\\}")), QStringLiteral("<ins class=\"critic\">\\1</ins>")},
        {QLatin1Char('{'), QRegularExpression(QStringLiteral("\\{--(.+?)--\\}")), QStringLiteral("<del class=\"critic\">\\1</del>")},
        {QLatin1Char('{'), QRegularExpression(QStringLiteral("\\{~~(.+?)~>(.+?)~~\\}")),
         QStringLiteral("<del class=\"critic\">\\1</del><ins class=\"critic\">\\2</ins>")},
        {QLatin1Char('{'), QRegularExpression(QStringLiteral("\\{==(.+?)==\\}")), QStringLiteral("<mark class=\"critic\">\\1</mark>")},
        {QLatin1Char('{'), QRegularExpression(QStringLiteral("\\{>>(.+?)<<\\}")), QStringLiteral("<span class=\"critic comment\">\\1</span>")},
        {QLatin1Char('^'), QRegularExpression(QStringLiteral("(?<![\\^\\\\])\\^\\^(?=\\S)(.+?)(?<=\\S)\\^\\^")), QStringLiteral("<ins>\\1</ins>")},
        {QLatin1Char('~'), QRegularExpression(QStringLiteral("(?<![~\\\\])~~(?=\\S)(.+?)(?<=\\S)~~")), QStringLiteral("<del>\\1</del>")},
        {QLatin1Char('='), QRegularExpression(QStringLiteral("(?<![=\\\\])==(?=[^\\s=])(.+?)(?<=[^\\s=])==(?!=)")), QStringLiteral("<mark>\\1</mark>")},
        {QLatin1Char('^'), QRegularExpression(QStringLiteral("(?<![\\^\\\\])\\^(?=[^\\s^])((?:\\\\ |[^\\s^])+?)\\^(?!\\^)")), QStringLiteral("<sup>\\1</sup>")},
        {QLatin1Char('~'), QRegularExpression(QStringLiteral("(?<![~\\\\])~(?=[^\\s~])((?:\\\\ |[^\\s~])+?)~(?!~)")), QStringLiteral("<sub>\\1</sub>")},
        // betterem's smart emphasis: `*` between word characters is literal.
        {QLatin1Char('*'), QRegularExpression(QStringLiteral("(?<=\\w)\\*(?=\\w)")), QStringLiteral("\\*")},
        {QLatin1Char('*'), QRegularExpression(QStringLiteral("(?<=\\w)\\*\\*(?=\\w)")), QStringLiteral("\\*\\*")},
    };
    return rules;
}

QString rewriteInlineSegment(PageContext &ctx, QString text)
{
    static const QString triggers = QStringLiteral("{^~=*[");
    bool any = false;
    for (const QChar c : text)
        if (triggers.contains(c)) {
            any = true;
            break;
        }
    if (!any)
        return text;
    for (const InlineRule &rule : inlineRules()) {
        if (!text.contains(rule.trigger))
            continue;
        text.replace(rule.pattern, rule.replacement);
    }
    if (!ctx.footnotes.isEmpty() && text.contains(QLatin1String("[^"))) {
        static const QRegularExpression reference(QStringLiteral("\\[\\^([^\\]\\s]+)\\](?!:)"));
        QString out;
        qsizetype last = 0;
        auto it = reference.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch match = it.next();
            const auto found = ctx.footnoteIndex.constFind(match.captured(1));
            if (found == ctx.footnoteIndex.constEnd())
                continue;
            Footnote &note = ctx.footnotes[*found];
            ++note.references;
            const QString label = escapeHtml(note.label);
            const QString refId = note.references == 1 ? QStringLiteral("fnref:") + label
                                                       : QStringLiteral("fnref%1:").arg(note.references) + label;
            out += text.mid(last, match.capturedStart() - last);
            out += QStringLiteral("<sup id=\"%1\"><a class=\"footnote-ref\" href=\"#fn:%2\">%3</a></sup>")
                       .arg(refId, label).arg(*found + 1);
            last = match.capturedEnd();
        }
        out += text.mid(last);
        text = out;
    }
    return text;
}

// Applies the inline rules to one line, leaving code spans, autolinks and
// raw tags alone.
QString rewriteInline(PageContext &ctx, const QString &line)
{
    QString out;
    qsizetype segmentStart = 0;
    qsizetype i = 0;
    auto flush = [&](qsizetype upTo) {
        if (upTo > segmentStart)
            out += rewriteInlineSegment(ctx, line.mid(segmentStart, upTo - segmentStart));
    };
    while (i < line.size()) {
        const QChar c = line[i];
        if (c == QLatin1Char('\\')) {
            i += 2;
            continue;
        }
        if (c == QLatin1Char('`')) {
            qsizetype run = i;
            while (run < line.size() && line[run] == QLatin1Char('`'))
                ++run;
            const QString ticks = line.mid(i, run - i);
            qsizetype close = run;
            while ((close = line.indexOf(ticks, close)) >= 0) {
                if (close + ticks.size() >= line.size() || line[close + ticks.size()] != QLatin1Char('`'))
                    break;
                while (close < line.size() && line[close] == QLatin1Char('`'))
                    ++close;
            }
            if (close < 0) {
                i = run;
                continue;
            }
            flush(i);
            out += line.mid(i, close + ticks.size() - i);
            i = segmentStart = close + ticks.size();
            continue;
        }
        if (c == QLatin1Char('<') && i + 1 < line.size()
            && (line[i + 1].isLetter() || line[i + 1] == QLatin1Char('/') || line[i + 1] == QLatin1Char('!'))) {
            const qsizetype close = line.indexOf(QLatin1Char('>'), i);
            if (close > 0) {
                flush(i);
                out += line.mid(i, close + 1 - i);
                i = segmentStart = close + 1;
                continue;
            }
        }
        if (c == QLatin1Char(']') && i + 1 < line.size() && line[i + 1] == QLatin1Char('(')) {
            // A link destination: keep `~` and `^` in URLs as written.
            const qsizetype close = line.indexOf(QLatin1Char(')'), i);
            if (close > 0) {
                flush(i);
                out += line.mid(i, close + 1 - i);
                i = segmentStart = close + 1;
                continue;
            }
        }
        ++i;
    }
    flush(line.size());
    return out;
}

// ---------------------------------------------------------------------------
// attr_list: `{: #id .class key="value" }`

struct AttributeList
{
    QString id;
    QStringList classes;
    QList<QPair<QString, QString>> attributes;
    bool isEmpty() const { return id.isEmpty() && classes.isEmpty() && attributes.isEmpty(); }
};

AttributeList parseAttributeList(QStringView text)
{
    AttributeList list;
    static const QRegularExpression token(
        QStringLiteral("(#[\\w:.-]+)|(\\.[\\w-]+)|([\\w:-]+)=(?:\"([^\"]*)\"|'([^']*)'|(\\S+))"));
    auto it = token.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedLength(1))
            list.id = m.captured(1).mid(1);
        else if (m.capturedLength(2))
            list.classes.append(m.captured(2).mid(1));
        else if (m.capturedLength(3)) {
            const QString value = m.capturedStart(4) >= 0 ? m.captured(4)
                                  : m.capturedStart(5) >= 0 ? m.captured(5) : m.captured(6);
            if (m.captured(3) == QLatin1String("class"))
                list.classes.append(value.split(QLatin1Char(' '), Qt::SkipEmptyParts));
            else if (m.captured(3) == QLatin1String("id"))
                list.id = value;
            else
                list.attributes.append({m.captured(3), value});
        }
    }
    return list;
}

QString attributeHtml(const AttributeList &list, bool includeId = true)
{
    QString out;
    if (includeId && !list.id.isEmpty())
        out += QStringLiteral(" id=\"%1\"").arg(escapeHtml(list.id));
    if (!list.classes.isEmpty())
        out += QStringLiteral(" class=\"%1\"").arg(escapeHtml(list.classes.join(QLatin1Char(' '))));
    for (const auto &[name, value] : list.attributes)
        out += QStringLiteral(" %1=\"%2\"").arg(name, escapeHtml(value));
    return out;
}

// `text {: ...}` at the end: returns the attribute text and trims `text`.
bool takeTrailingAttributes(QString &text, AttributeList *list, bool requireNewline)
{
    if (!text.endsWith(QLatin1Char('}')) && !text.trimmed().endsWith(QLatin1Char('}')))
        return false;
    static const QRegularExpression trailing(QStringLiteral("\\{:?[ ]*([^}\\n ][^}\\n]*)[ ]*\\}[ ]*$"));
    static const QRegularExpression trailingOwnLine(QStringLiteral("\\n[ ]*\\{:?[ ]*([^}\\n ][^}\\n]*)[ ]*\\}[ ]*$"));
    const QRegularExpressionMatch m = (requireNewline ? trailingOwnLine : trailing).match(text);
    if (!m.hasMatch())
        return false;
    *list = parseAttributeList(m.captured(1));
    text.truncate(m.capturedStart());
    while (text.endsWith(QLatin1Char(' ')))
        text.chop(1);
    return true;
}

// ---------------------------------------------------------------------------
// Code blocks: superfences options, highlight's HTML shape.

struct FenceOptions
{
    QString language;
    QString title;
    int lineStart = 1;
    bool lineNumbers = false;
    QSet<int> highlighted;
    AttributeList attributes;
};

FenceOptions parseFenceInfo(const QString &info, bool defaultLineNumbers)
{
    FenceOptions options;
    options.lineNumbers = defaultLineNumbers;
    QString rest = info.trimmed();
    if (rest.startsWith(QLatin1Char('{')) && rest.endsWith(QLatin1Char('}'))) {
        const AttributeList list = parseAttributeList(QStringView(rest).mid(1, rest.size() - 2));
        if (!list.classes.isEmpty())
            options.language = list.classes.first();
        options.attributes = list;
        options.attributes.classes.removeFirst();
        for (const auto &[key, value] : list.attributes) {
            if (key == QLatin1String("title")) options.title = value;
        }
        rest.clear();
    } else {
        const qsizetype space = rest.indexOf(QLatin1Char(' '));
        options.language = space < 0 ? rest : rest.left(space);
        rest = space < 0 ? QString() : rest.mid(space + 1);
        if (options.language.startsWith(QLatin1Char('.')))
            options.language.remove(0, 1);
    }
    static const QRegularExpression option(QStringLiteral("([\\w-]+)=(?:\"([^\"]*)\"|'([^']*)'|(\\S+))"));
    auto it = option.globalMatch(rest);
    QList<QPair<QString, QString>> pairs = options.attributes.attributes;
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        pairs.append({m.captured(1), m.capturedStart(2) >= 0 ? m.captured(2)
                                     : m.capturedStart(3) >= 0 ? m.captured(3) : m.captured(4)});
    }
    for (const auto &[key, value] : pairs) {
        if (key == QLatin1String("title")) {
            options.title = value;
        } else if (key == QLatin1String("linenums")) {
            const int start = value.toInt();
            options.lineNumbers = start > 0;
            if (start > 0)
                options.lineStart = start;
        } else if (key == QLatin1String("hl_lines")) {
            for (const QString &part : value.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                const QStringList range = part.split(QLatin1Char('-'));
                const int from = range.first().toInt();
                const int to = range.size() > 1 ? range.last().toInt() : from;
                for (int n = from; n <= to && n - from < 10000; ++n)
                    options.highlighted.insert(n);
            }
        }
    }
    options.attributes.attributes.clear();
    return options;
}

QString renderCodeBlock(const PageContext &ctx, QString code, const FenceOptions &options)
{
    if (!code.endsWith(QLatin1Char('\n')))
        code += QLatin1Char('\n');
    const QString language = CodeHighlighter::knows(options.language) ? options.language.toLower() : QStringLiteral("text");
    QString highlighted = CodeHighlighter::highlight(code, language);
    const QStringList lines = highlighted.split(QLatin1Char('\n'));
    const int lineCount = int(lines.size()) - 1;
    if (!options.highlighted.isEmpty()) {
        QString marked;
        for (int n = 0; n < lineCount; ++n) {
            if (options.highlighted.contains(n + 1))
                marked += QStringLiteral("<span class=\"hll\">") + lines[n] + QStringLiteral("\n</span>");
            else
                marked += lines[n] + QLatin1Char('\n');
        }
        highlighted = marked;
    }
    const MarkdownDialect &dialect = ctx.dialect;
    QStringList classes;
    if (dialect.languageClass)
        classes.append(QStringLiteral("language-") + (CodeHighlighter::knows(options.language) ? options.language.toLower()
                                                                                                 : QStringLiteral("text")));
    classes.append(dialect.highlightCssClass);
    classes.append(options.attributes.classes);
    QString out = QStringLiteral("<div class=\"%1\"").arg(escapeHtml(classes.join(QLatin1Char(' '))));
    if (!options.attributes.id.isEmpty())
        out += QStringLiteral(" id=\"%1\"").arg(escapeHtml(options.attributes.id));
    out += QLatin1Char('>');
    const QString codeHtml = QStringLiteral("<pre><span></span><code>") + highlighted + QStringLiteral("</code></pre>");
    if (options.lineNumbers) {
        out += QStringLiteral("<table class=\"highlighttable\">");
        if (!options.title.isEmpty())
            out += QStringLiteral("<tr><th colspan=\"2\" class=\"filename\"><span class=\"filename\">%1</span></th></tr>")
                       .arg(escapeHtml(options.title));
        out += QStringLiteral("<tr><td class=\"linenos\"><div class=\"linenodiv\"><pre><span></span>");
        for (int n = 0; n < lineCount; ++n) {
            if (n)
                out += QLatin1Char('\n');
            out += QStringLiteral("<span class=\"normal\">%1</span>").arg(options.lineStart + n);
        }
        out += QStringLiteral("</pre></div></td><td class=\"code\"><div>") + codeHtml + QStringLiteral("</div></td></tr></table>");
    } else {
        if (!options.title.isEmpty())
            out += QStringLiteral("<span class=\"filename\">%1</span>").arg(escapeHtml(options.title));
        out += codeHtml;
    }
    out += QStringLiteral("</div>\n");
    return out;
}

// ---------------------------------------------------------------------------
// Text transforms on escaped text: abbreviations, emoji, smart symbols.

QString transformText(PageContext &ctx, const QString &raw)
{
    QString text = escapeHtml(raw);
    if (!ctx.abbreviations.isEmpty()) {
        if (!ctx.abbreviationPattern.isValid() || ctx.abbreviationPattern.pattern().isEmpty()) {
            QStringList alternatives;
            for (auto it = ctx.abbreviations.cbegin(); it != ctx.abbreviations.cend(); ++it)
                alternatives.append(QRegularExpression::escape(it.key()));
            std::sort(alternatives.begin(), alternatives.end(),
                      [](const QString &a, const QString &b) { return a.size() > b.size(); });
            ctx.abbreviationPattern = QRegularExpression(QStringLiteral("(?<![\\w&])(") + alternatives.join(QLatin1Char('|'))
                                                         + QStringLiteral(")(?!\\w)"));
        }
        QString out;
        qsizetype last = 0;
        auto it = ctx.abbreviationPattern.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            out += text.mid(last, m.capturedStart() - last);
            out += QStringLiteral("<abbr title=\"%1\">%2</abbr>").arg(escapeHtml(ctx.abbreviations.value(m.captured(1))), m.captured(1));
            last = m.capturedEnd();
        }
        out += text.mid(last);
        text = out;
    }
    // Smart symbols (pymdownx.smartsymbols defaults).
    if (text.contains(QLatin1Char('(')) || text.contains(QLatin1Char('/')) || text.contains(QLatin1String("--"))
        || text.contains(QLatin1String("&lt;--"))) {
        static const QList<QPair<QString, QString>> symbols = {
            {QStringLiteral("(tm)"), QStringLiteral("\u2122")}, {QStringLiteral("(TM)"), QStringLiteral("\u2122")},
            {QStringLiteral("(c)"), QStringLiteral("\u00a9")}, {QStringLiteral("(C)"), QStringLiteral("\u00a9")},
            {QStringLiteral("(r)"), QStringLiteral("\u00ae")}, {QStringLiteral("(R)"), QStringLiteral("\u00ae")},
            {QStringLiteral("c/o"), QStringLiteral("\u2105")}, {QStringLiteral("+/-"), QStringLiteral("\u00b1")},
            {QStringLiteral("-/+"), QStringLiteral("\u2213")}, {QStringLiteral("=/="), QStringLiteral("\u2260")},
            {QStringLiteral("&lt;--&gt;"), QStringLiteral("\u2194")}, {QStringLiteral("--&gt;"), QStringLiteral("\u2192")},
            {QStringLiteral("&lt;--"), QStringLiteral("\u2190")}};
        for (const auto &[from, to] : symbols)
            text.replace(from, to);
        static const QRegularExpression fraction(QStringLiteral("(?<![\\w/])(1/4|1/2|3/4|1/3|2/3|1/8|3/8|5/8|7/8)(?![\\w/])"));
        static const QHash<QString, QString> fractions = {
            {QStringLiteral("1/4"), QStringLiteral("\u00bc")}, {QStringLiteral("1/2"), QStringLiteral("\u00bd")},
            {QStringLiteral("3/4"), QStringLiteral("\u00be")}, {QStringLiteral("1/3"), QStringLiteral("\u2153")},
            {QStringLiteral("2/3"), QStringLiteral("\u2154")}, {QStringLiteral("1/8"), QStringLiteral("\u215b")},
            {QStringLiteral("3/8"), QStringLiteral("\u215c")}, {QStringLiteral("5/8"), QStringLiteral("\u215d")},
            {QStringLiteral("7/8"), QStringLiteral("\u215e")}};
        if (text.contains(QLatin1Char('/'))) {
            QString out;
            qsizetype last = 0;
            auto it = fraction.globalMatch(text);
            while (it.hasNext()) {
                const QRegularExpressionMatch m = it.next();
                out += text.mid(last, m.capturedStart() - last) + fractions.value(m.captured(1));
                last = m.capturedEnd();
            }
            text = out + text.mid(last);
        }
    }
    static const QRegularExpression ordinal(QStringLiteral("\\b(\\d+)(st|nd|rd|th)\\b"));
    if (text.contains(QLatin1String("st")) || text.contains(QLatin1String("nd")) || text.contains(QLatin1String("rd"))
        || text.contains(QLatin1String("th")))
        text.replace(ordinal, QStringLiteral("\\1<sup>\\2</sup>"));
    if (text.count(QLatin1Char(':')) >= 2) {
        static const QRegularExpression shortcode(QStringLiteral(":([a-z0-9_+\\-]+):"));
        QString out;
        qsizetype last = 0;
        auto it = shortcode.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            const QString emoji = emojiForShortcode(m.capturedView(1));
            if (emoji.isEmpty())
                continue;
            out += text.mid(last, m.capturedStart() - last);
            out += QStringLiteral("<span class=\"emojione\" title=\":%1:\">%2</span>").arg(m.captured(1), emoji);
            last = m.capturedEnd();
        }
        if (last > 0)
            text = out + text.mid(last);
    }
    return text;
}

// ---------------------------------------------------------------------------
// md4c callbacks -> HTML

class Md4cRenderer
{
public:
    Md4cRenderer(PageContext &ctx, bool topLevel) : m_ctx(ctx), m_topLevel(topLevel) {}

    QString render(const QString &markdown)
    {
        const QByteArray utf8 = markdown.toUtf8();
        MD_PARSER parser{};
        parser.flags = MD_FLAG_TABLES | MD_FLAG_TASKLISTS | MD_FLAG_PERMISSIVEAUTOLINKS;
        parser.enter_block = &Md4cRenderer::enterBlock;
        parser.leave_block = &Md4cRenderer::leaveBlock;
        parser.enter_span = &Md4cRenderer::enterSpan;
        parser.leave_span = &Md4cRenderer::leaveSpan;
        parser.text = &Md4cRenderer::text;
        md_parse(utf8.constData(), MD_SIZE(utf8.size()), &parser, this);
        flushText();
        return std::move(m_out);
    }

private:
    struct ListFrame
    {
        qsizetype openTagEnd = 0;   // where ` class="task-list"` goes
        bool isTaskList = false;
    };
    struct ItemFrame
    {
        int depth = 0;              // block depth of the <li>; its children are one deeper
        qsizetype contentStart = 0;
        int paragraphs = 0;
        int otherBlocks = 0;
    };

    static QString attributeText(const MD_ATTRIBUTE &attribute)
    {
        QString text;
        for (int i = 0; attribute.substr_offsets[i] < attribute.size; ++i) {
            const MD_OFFSET from = attribute.substr_offsets[i];
            const MD_OFFSET to = attribute.substr_offsets[i + 1];
            const QString part = QString::fromUtf8(attribute.text + from, int(to - from));
            if (attribute.substr_types[i] == MD_TEXT_ENTITY)
                text += decodeEntities(part);
            else if (attribute.substr_types[i] == MD_TEXT_NULLCHAR)
                text += QChar(0xfffd);
            else
                text += part;
        }
        return text;
    }

    static int enterBlock(MD_BLOCKTYPE type, void *detail, void *self)
    {
        static_cast<Md4cRenderer *>(self)->onEnterBlock(type, detail);
        return 0;
    }
    static int leaveBlock(MD_BLOCKTYPE type, void *detail, void *self)
    {
        static_cast<Md4cRenderer *>(self)->onLeaveBlock(type, detail);
        return 0;
    }
    static int enterSpan(MD_SPANTYPE type, void *detail, void *self)
    {
        static_cast<Md4cRenderer *>(self)->onEnterSpan(type, detail);
        return 0;
    }
    static int leaveSpan(MD_SPANTYPE type, void *detail, void *self)
    {
        static_cast<Md4cRenderer *>(self)->onLeaveSpan(type, detail);
        return 0;
    }
    static int text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *self)
    {
        static_cast<Md4cRenderer *>(self)->onText(type, QString::fromUtf8(text, qsizetype(size)));
        return 0;
    }

    void flushText()
    {
        if (m_pendingText.isEmpty())
            return;
        QString text = std::move(m_pendingText);
        m_pendingText.clear();
        // attr_list right after a link or image: `[x](y){: .md-button }`
        if (m_lastInlineTag >= 0 && m_lastInlineEnd == m_out.size() && text.startsWith(QLatin1Char('{'))) {
            static const QRegularExpression inlineAttributes(QStringLiteral("^\\{:?[ ]*([^}\\n ][^}\\n]*)[ ]*\\}"));
            const QRegularExpressionMatch m = inlineAttributes.match(text);
            if (m.hasMatch()) {
                const AttributeList list = parseAttributeList(m.captured(1));
                qsizetype insertAt = m_out.indexOf(QLatin1Char('>'), m_lastInlineTag);
                if (insertAt > 0 && m_out[insertAt - 1] == QLatin1Char('/'))
                    insertAt -= 2;   // before " />"
                if (insertAt > 0)
                    m_out.insert(insertAt, attributeHtml(list));
                text = text.mid(m.capturedLength());
            }
        }
        m_lastInlineTag = -1;
        if (m_imageDepth > 0) {
            appendEscapedHtml(m_out, text);
            return;
        }
        m_out += transformText(m_ctx, text);
    }

    void countBlock()
    {
        if (!m_topLevel || m_blockDepth != 2)   // 1 is the document
            return;
        m_ctx.firstBlockSeen = true;
    }

    void onEnterBlock(MD_BLOCKTYPE type, void *detail)
    {
        flushText();
        ++m_blockDepth;
        if (!m_items.isEmpty() && m_blockDepth == m_items.last().depth + 1) {
            if (type == MD_BLOCK_P)
                ++m_items.last().paragraphs;
            else
                ++m_items.last().otherBlocks;
        }
        switch (type) {
        case MD_BLOCK_DOC:
            break;
        case MD_BLOCK_QUOTE:
            m_out += QStringLiteral("<blockquote>\n");
            break;
        case MD_BLOCK_UL:
            m_out += QStringLiteral("<ul");
            m_lists.append({m_out.size(), false});
            m_out += QStringLiteral(">\n");
            break;
        case MD_BLOCK_OL: {
            const auto *ol = static_cast<MD_BLOCK_OL_DETAIL *>(detail);
            m_out += ol->start == 1 ? QStringLiteral("<ol") : QStringLiteral("<ol start=\"%1\"").arg(ol->start);
            m_lists.append({m_out.size(), false});
            m_out += QStringLiteral(">\n");
            break;
        }
        case MD_BLOCK_LI: {
            const auto *li = static_cast<MD_BLOCK_LI_DETAIL *>(detail);
            if (li->is_task) {
                if (!m_lists.isEmpty() && !m_lists.last().isTaskList) {
                    m_lists.last().isTaskList = true;
                    m_out.insert(m_lists.last().openTagEnd, QStringLiteral(" class=\"task-list\""));
                }
                const bool checked = li->task_mark == 'x' || li->task_mark == 'X';
                m_out += QStringLiteral("<li class=\"task-list-item\">");
                if (m_ctx.dialect.tasklistCustomCheckbox)
                    m_out += QStringLiteral("<label class=\"task-list-control\"><input type=\"checkbox\" disabled%1/>"
                                            "<span class=\"task-list-indicator\"></span></label> ")
                                 .arg(checked ? QStringLiteral(" checked") : QString());
                else
                    m_out += QStringLiteral("<input type=\"checkbox\" disabled%1/> ")
                                 .arg(checked ? QStringLiteral(" checked") : QString());
            } else {
                m_out += QStringLiteral("<li>");
            }
            m_items.append({m_blockDepth, m_out.size(), 0, 0});
            break;
        }
        case MD_BLOCK_HR:
            countBlock();
            m_out += QStringLiteral("<hr />\n");
            break;
        case MD_BLOCK_H:
            m_headingStart = m_out.size();
            m_headingLevel = int(static_cast<MD_BLOCK_H_DETAIL *>(detail)->level);
            break;
        case MD_BLOCK_CODE: {
            const auto *code = static_cast<MD_BLOCK_CODE_DETAIL *>(detail);
            m_codeInfo = code->fence_char ? attributeText(code->info) : QString();
            m_code.clear();
            m_inCode = true;
            break;
        }
        case MD_BLOCK_HTML:
            m_htmlStart = m_out.size();
            break;
        case MD_BLOCK_P:
            m_paragraphStart = m_out.size();
            break;
        case MD_BLOCK_TABLE:
            countBlock();
            m_out += QStringLiteral("<table>\n");
            break;
        case MD_BLOCK_THEAD:
            m_out += QStringLiteral("<thead>\n");
            break;
        case MD_BLOCK_TBODY:
            m_out += QStringLiteral("<tbody>\n");
            break;
        case MD_BLOCK_TR:
            m_out += QStringLiteral("<tr>\n");
            break;
        case MD_BLOCK_TH:
        case MD_BLOCK_TD: {
            const auto *td = static_cast<MD_BLOCK_TD_DETAIL *>(detail);
            const QString tag = type == MD_BLOCK_TH ? QStringLiteral("th") : QStringLiteral("td");
            switch (td->align) {
            case MD_ALIGN_LEFT: m_out += QStringLiteral("<%1 style=\"text-align: left;\">").arg(tag); break;
            case MD_ALIGN_CENTER: m_out += QStringLiteral("<%1 style=\"text-align: center;\">").arg(tag); break;
            case MD_ALIGN_RIGHT: m_out += QStringLiteral("<%1 style=\"text-align: right;\">").arg(tag); break;
            default: m_out += QStringLiteral("<%1>").arg(tag);
            }
            break;
        }
        }
    }

    void onLeaveBlock(MD_BLOCKTYPE type, void *detail)
    {
        flushText();
        switch (type) {
        case MD_BLOCK_DOC:
            break;
        case MD_BLOCK_QUOTE:
            countBlock();
            m_out += QStringLiteral("</blockquote>\n");
            break;
        case MD_BLOCK_UL:
            countBlock();
            m_lists.removeLast();
            m_out += QStringLiteral("</ul>\n");
            break;
        case MD_BLOCK_OL:
            countBlock();
            m_lists.removeLast();
            m_out += QStringLiteral("</ol>\n");
            break;
        case MD_BLOCK_LI: {
            // mdx_truly_sane_lists: an item holding one paragraph gets no <p>,
            // blank lines between items or not.
            const ItemFrame item = m_items.takeLast();
            if (item.paragraphs == 1 && m_out.mid(item.contentStart, 3) == QLatin1String("<p>")) {
                const qsizetype close = m_out.indexOf(QLatin1String("</p>\n"), item.contentStart);
                const qsizetype nextParagraph = m_out.indexOf(QLatin1String("<p>"), item.contentStart + 3);
                if (close > 0 && (nextParagraph < 0 || nextParagraph > close)) {
                    m_out.remove(close, 5);
                    m_out.remove(item.contentStart, 3);
                    if (item.otherBlocks > 0)
                        m_out.insert(close - 3, QLatin1Char('\n'));
                }
            }
            while (m_out.endsWith(QLatin1Char('\n')) && m_out.size() > item.contentStart
                   && !m_out.endsWith(QLatin1String(">\n")))
                m_out.chop(1);
            // Python-Markdown puts block content of an item on its own line.
            static const QRegularExpression blockStart(
                QStringLiteral("^<(p|div|pre|table|blockquote|h[1-6]|dl|details)[ >]"));
            if (blockStart.match(QStringView(m_out).mid(item.contentStart, 12)).hasMatch())
                m_out.insert(item.contentStart, QLatin1Char('\n'));
            m_out += QStringLiteral("</li>\n");
            break;
        }
        case MD_BLOCK_HR:
            break;
        case MD_BLOCK_H:
            finishHeading();
            countBlock();
            break;
        case MD_BLOCK_CODE:
            countBlock();
            m_inCode = false;
            finishCode(m_code);
            break;
        case MD_BLOCK_HTML: {
            const QString html = m_out.mid(m_htmlStart);
            m_out.truncate(m_htmlStart);
            m_out += expandPlaceholders(html);
            if (!html.trimmed().startsWith(m_ctx.placeholderPrefix))
                countBlock();
            break;
        }
        case MD_BLOCK_P: {
            countBlock();
            QString inner = m_out.mid(m_paragraphStart);
            m_out.truncate(m_paragraphStart);
            AttributeList attributes;
            takeTrailingAttributes(inner, &attributes, true);
            m_out += QStringLiteral("<p") + attributeHtml(attributes) + QLatin1Char('>') + inner + QStringLiteral("</p>\n");
            break;
        }
        case MD_BLOCK_TABLE:
            m_out += QStringLiteral("</table>\n");
            break;
        case MD_BLOCK_THEAD:
            m_out += QStringLiteral("</thead>\n");
            break;
        case MD_BLOCK_TBODY:
            m_out += QStringLiteral("</tbody>\n");
            break;
        case MD_BLOCK_TR:
            m_out += QStringLiteral("</tr>\n");
            break;
        case MD_BLOCK_TH:
            m_out += QStringLiteral("</th>\n");
            break;
        case MD_BLOCK_TD:
            m_out += QStringLiteral("</td>\n");
            break;
        }
        (void)detail;
        --m_blockDepth;
    }

    void finishHeading()
    {
        QString inner = m_out.mid(m_headingStart);
        m_out.truncate(m_headingStart);
        AttributeList attributes;
        takeTrailingAttributes(inner, &attributes, false);
        const QString title = collapseWhitespace(htmlToText(inner));
        QString id = attributes.id;
        if (id.isEmpty())
            id = headingSlug(title, m_ctx.dialect.tocSeparator);
        // toc's unique(): foo, foo_1, foo_2 ...
        static const QRegularExpression numbered(QStringLiteral("^(.*)_([0-9]+)$"));
        while (id.isEmpty() || m_ctx.usedIds.contains(id)) {
            const QRegularExpressionMatch m = numbered.match(id);
            id = m.hasMatch() ? QStringLiteral("%1_%2").arg(m.captured(1)).arg(m.captured(2).toInt() + 1)
                              : id + QStringLiteral("_1");
        }
        m_ctx.usedIds.insert(id);
        if (m_topLevel && m_blockDepth == 2 && !m_ctx.firstBlockSeen && m_headingLevel == 1
            && m_ctx.result.leadingH1.isNull())
            m_ctx.result.leadingH1 = title;
        if (m_headingLevel <= m_ctx.dialect.tocDepthMax)
            m_ctx.result.toc.append({m_headingLevel, id, title});
        m_out += QStringLiteral("<h%1 id=\"%2\"%3>").arg(m_headingLevel).arg(escapeHtml(id), attributeHtml(attributes, false));
        m_out += inner;
        if (m_ctx.dialect.permalink)
            m_out += QStringLiteral("<a class=\"headerlink\" href=\"#%1\" title=\"%2\">%3</a>")
                         .arg(escapeHtml(id), escapeHtml(m_ctx.dialect.permalinkTitle), escapeHtml(m_ctx.dialect.permalinkSymbol));
        m_out += QStringLiteral("</h%1>\n").arg(m_headingLevel);
    }

    void finishCode(const QString &code)
    {
        FenceOptions options = parseFenceInfo(m_codeInfo, m_ctx.dialect.lineNumbers);
        for (const CustomFence &fence : m_ctx.dialect.customFences) {
            if (options.language == fence.name) {
                const QString tag = fence.asDiv ? QStringLiteral("div") : QStringLiteral("pre");
                m_out += QStringLiteral("<%1 class=\"%2\">").arg(tag, escapeHtml(fence.cssClass));
                if (!fence.asDiv)
                    m_out += QStringLiteral("<code>");
                appendEscapedHtml(m_out, code);
                if (!fence.asDiv)
                    m_out += QStringLiteral("</code>");
                m_out += QStringLiteral("</%1>\n").arg(tag);
                return;
            }
        }
        const QString lang = options.language.toLower();
        if (lang == QLatin1String("plantuml") || lang == QLatin1String("puml") || lang == QLatin1String("dot")
            || lang == QLatin1String("graphviz"))
            m_ctx.result.messages.append({BuildMessage::Level::Warning,
                                          QStringLiteral("A %1 diagram needs an external tool to draw; it is shown as its source.")
                                              .arg(options.language),
                                          m_ctx.source.path, 0});
        m_out += renderCodeBlock(m_ctx, code, options);
    }

    void onEnterSpan(MD_SPANTYPE type, void *detail)
    {
        flushText();
        if (m_imageDepth > 0 && type != MD_SPAN_IMG && type != MD_SPAN_CODE)
            return;   // alt text is plain text
        switch (type) {
        case MD_SPAN_EM:
            m_out += QStringLiteral("<em>");
            break;
        case MD_SPAN_STRONG:
            m_out += QStringLiteral("<strong>");
            break;
        case MD_SPAN_A: {
            const auto *a = static_cast<MD_SPAN_A_DETAIL *>(detail);
            const QString href = rewrite(attributeText(a->href), false);
            m_linkTags.append(m_out.size());
            m_out += QStringLiteral("<a href=\"") + escapeHtml(href) + QLatin1Char('"');
            if (a->title.size)
                m_out += QStringLiteral(" title=\"") + escapeHtml(attributeText(a->title)) + QLatin1Char('"');
            m_out += QLatin1Char('>');
            break;
        }
        case MD_SPAN_IMG: {
            const auto *img = static_cast<MD_SPAN_IMG_DETAIL *>(detail);
            if (m_imageDepth++ > 0)
                break;
            m_imageTag = m_out.size();
            m_imageTitle = img->title.size ? attributeText(img->title) : QString();
            m_out += QStringLiteral("<img alt=\"");
            m_imageSrc = rewrite(attributeText(img->src), true);
            break;
        }
        case MD_SPAN_CODE:
            m_inCodeSpan = true;
            m_code.clear();
            break;
        default:
            break;
        }
    }

    void onLeaveSpan(MD_SPANTYPE type, void *)
    {
        flushText();
        if (m_imageDepth > 0 && type != MD_SPAN_IMG && type != MD_SPAN_CODE)
            return;
        switch (type) {
        case MD_SPAN_EM:
            m_out += QStringLiteral("</em>");
            break;
        case MD_SPAN_STRONG:
            m_out += QStringLiteral("</strong>");
            break;
        case MD_SPAN_A:
            m_out += QStringLiteral("</a>");
            m_lastInlineTag = m_linkTags.takeLast();
            m_lastInlineEnd = m_out.size();
            break;
        case MD_SPAN_IMG:
            if (--m_imageDepth > 0)
                break;
            m_out += QStringLiteral("\" src=\"") + escapeHtml(m_imageSrc) + QLatin1Char('"');
            if (!m_imageTitle.isEmpty())
                m_out += QStringLiteral(" title=\"") + escapeHtml(m_imageTitle) + QLatin1Char('"');
            m_out += QStringLiteral(" />");
            m_lastInlineTag = m_imageTag;
            m_lastInlineEnd = m_out.size();
            break;
        case MD_SPAN_CODE: {
            m_inCodeSpan = false;
            const QString code = m_code;
            const QString escaped = escapeHtml(code);
            // inlinehilite: `#!python x = 1`
            static const QRegularExpression shebang(QStringLiteral("^#!([\\w+#.-]+) "));
            const QRegularExpressionMatch m = shebang.match(code);
            if (m.hasMatch() && m_imageDepth == 0) {
                const QString lang = m.captured(1).toLower();
                const QString body = code.mid(m.capturedLength());
                m_out += QStringLiteral("<code class=\"%1%2\">")
                             .arg(m_ctx.dialect.languageClass
                                      ? QStringLiteral("language-") + escapeHtml(CodeHighlighter::knows(lang) ? lang : QStringLiteral("text")) + QLatin1Char(' ')
                                      : QString(),
                                  escapeHtml(m_ctx.dialect.highlightCssClass));
                m_out += CodeHighlighter::highlight(body, lang);
                m_out += QStringLiteral("</code>");
            } else if (m_imageDepth > 0) {
                m_out += escaped;
            } else {
                m_out += QStringLiteral("<code>") + escaped + QStringLiteral("</code>");
            }
            break;
        }
        default:
            break;
        }
    }

    void onText(MD_TEXTTYPE type, const QString &text)
    {
        switch (type) {
        case MD_TEXT_NORMAL:
            if (m_inCode || m_inCodeSpan)
                m_code += text;
            else
                m_pendingText += text;
            return;
        case MD_TEXT_CODE:
            m_code += text;
            return;
        default:
            break;
        }
        flushText();
        switch (type) {
        case MD_TEXT_NULLCHAR:
            m_out += QChar(0xfffd);
            break;
        case MD_TEXT_BR:
            m_out += m_imageDepth ? QStringLiteral(" ") : QStringLiteral("<br />\n");
            break;
        case MD_TEXT_SOFTBR:
            m_out += m_imageDepth ? QStringLiteral(" ")
                     : m_ctx.dialect.nl2br ? QStringLiteral("<br />\n") : QStringLiteral("\n");
            break;
        case MD_TEXT_HTML:
            if (m_imageDepth)
                break;
            m_out += text.contains(m_ctx.placeholderPrefix) ? expandPlaceholders(text) : text;
            break;
        case MD_TEXT_ENTITY:
            m_out += text;
            break;
        case MD_TEXT_CODE:
            appendEscapedHtml(m_out, text);
            break;
        default:
            appendEscapedHtml(m_out, text);
            break;
        }
    }

    QString rewrite(const QString &target, bool image)
    {
        if (!m_ctx.source.rewriteLink || target.isEmpty() || target.startsWith(QLatin1Char('#'))
            || target.startsWith(QLatin1Char('/')) || target.startsWith(QLatin1String("mailto:")))
            return target;
        static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
        if (scheme.match(target).hasMatch() || target.startsWith(QLatin1String("//")))
            return target;
        const QString rewritten = m_ctx.source.rewriteLink(target, image);
        return rewritten.isEmpty() ? target : rewritten;
    }

    QString expandPlaceholders(const QString &html);

    PageContext &m_ctx;
    bool m_topLevel = false;
    QString m_out;
    QString m_pendingText;
    int m_blockDepth = 0;
    QList<ListFrame> m_lists;
    QList<ItemFrame> m_items;
    qsizetype m_headingStart = 0;
    int m_headingLevel = 0;
    QString m_code;            // raw text of the code block or span being read
    QString m_codeInfo;
    bool m_inCode = false;
    bool m_inCodeSpan = false;
    qsizetype m_htmlStart = 0;
    qsizetype m_paragraphStart = 0;
    QList<qsizetype> m_linkTags;
    qsizetype m_lastInlineTag = -1;
    qsizetype m_lastInlineEnd = -1;
    int m_imageDepth = 0;
    qsizetype m_imageTag = 0;
    QString m_imageSrc;
    QString m_imageTitle;
};

QString renderPending(PageContext &ctx, int index);

QString Md4cRenderer::expandPlaceholders(const QString &html)
{
    QString out;
    qsizetype last = 0;
    qsizetype at = 0;
    while ((at = html.indexOf(m_ctx.placeholderPrefix, last)) >= 0) {
        out += html.mid(last, at - last);
        const qsizetype numberStart = at + m_ctx.placeholderPrefix.size();
        const qsizetype end = html.indexOf(QLatin1String("-->"), numberStart);
        bool ok = false;
        const int index = html.mid(numberStart, end - numberStart).toInt(&ok);
        if (end < 0 || !ok || index < 0 || index >= m_ctx.blocks.size()) {
            out += html.mid(at, numberStart - at);
            last = numberStart;
            continue;
        }
        if (m_topLevel && m_blockDepth == 2)
            m_ctx.firstBlockSeen = true;
        out += renderPending(m_ctx, index);
        last = end + 3;
        if (last < html.size() && html[last] == QLatin1Char('\n') && out.endsWith(QLatin1Char('\n')))
            ++last;
    }
    out += html.mid(last);
    return out;
}

// Renders text as inline Markdown (a title, a term): md4c's paragraph
// without its <p>.
QString renderInlineText(PageContext &ctx, const QString &text)
{
    Md4cRenderer renderer(ctx, false);
    QString html = renderer.render(rewriteInline(ctx, text));
    html = html.trimmed();
    if (html.startsWith(QLatin1String("<p>")) && html.endsWith(QLatin1String("</p>")))
        html = html.mid(3, html.size() - 7);
    return html;
}

QString stripSingleParagraph(const QString &html)
{
    const QString trimmed = html.trimmed();
    if (trimmed.startsWith(QLatin1String("<p>")) && trimmed.endsWith(QLatin1String("</p>"))
        && trimmed.indexOf(QLatin1String("<p"), 3) < 0)
        return trimmed.mid(3, trimmed.size() - 7);
    return html;
}

QString renderPending(PageContext &ctx, int index)
{
    const PendingBlock block = ctx.blocks[index];
    switch (block.kind) {
    case PendingBlock::Kind::RawHtml:
        return block.html + QLatin1Char('\n');
    case PendingBlock::Kind::MarkdownInHtml:
        return block.html + QLatin1Char('\n') + renderBlocks(ctx, block.body, false) + block.closingTag + QLatin1Char('\n');
    case PendingBlock::Kind::Admonition: {
        QString out = QStringLiteral("<div class=\"admonition %1\">\n").arg(escapeHtml(block.classes.join(QLatin1Char(' '))));
        if (block.hasTitle)
            out += QStringLiteral("<p class=\"admonition-title\">%1</p>\n").arg(renderInlineText(ctx, block.title));
        out += renderBlocks(ctx, block.body, false);
        out += QStringLiteral("</div>\n");
        return out;
    }
    case PendingBlock::Kind::Details: {
        QString out = QStringLiteral("<details class=\"%1\"%2>\n")
                          .arg(escapeHtml(block.classes.join(QLatin1Char(' '))),
                               block.open ? QStringLiteral(" open=\"open\"") : QString());
        out += QStringLiteral("<summary>%1</summary>\n").arg(block.hasTitle ? renderInlineText(ctx, block.title) : QString());
        out += renderBlocks(ctx, block.body, false);
        out += QStringLiteral("</details>\n");
        return out;
    }
    case PendingBlock::Kind::Tabs: {
        const int set = ++ctx.tabSets;
        const int count = int(block.tabs.size());
        int selected = 0;
        for (int t = 0; t < count; ++t)
            if (block.tabs[t].selected)
                selected = t;
        QString out;
        if (ctx.dialect.tabbedAlternateStyle) {
            out = QStringLiteral("<div class=\"tabbed-set tabbed-alternate\" data-tabs=\"%1:%2\">").arg(set).arg(count);
            for (int t = 0; t < count; ++t)
                out += QStringLiteral("<input %1id=\"__tabbed_%2_%3\" name=\"__tabbed_%2\" type=\"radio\" />")
                           .arg(t == selected ? QStringLiteral("checked=\"checked\" ") : QString()).arg(set).arg(t + 1);
            out += QStringLiteral("<div class=\"tabbed-labels\">");
            for (int t = 0; t < count; ++t)
                out += QStringLiteral("<label for=\"__tabbed_%1_%2\">%3</label>").arg(set).arg(t + 1)
                           .arg(renderInlineText(ctx, block.tabs[t].title));
            out += QStringLiteral("</div>\n<div class=\"tabbed-content\">\n");
            for (int t = 0; t < count; ++t)
                out += QStringLiteral("<div class=\"tabbed-block\">\n") + renderBlocks(ctx, block.tabs[t].body, false)
                       + QStringLiteral("</div>\n");
            out += QStringLiteral("</div>\n</div>\n");
        } else {
            out = QStringLiteral("<div class=\"tabbed-set\" data-tabs=\"%1:%2\">").arg(set).arg(count);
            for (int t = 0; t < count; ++t) {
                out += QStringLiteral("<input %1id=\"__tabbed_%2_%3\" name=\"__tabbed_%2\" type=\"radio\" />")
                           .arg(t == selected ? QStringLiteral("checked=\"checked\" ") : QString()).arg(set).arg(t + 1);
                out += QStringLiteral("<label for=\"__tabbed_%1_%2\">%3</label>").arg(set).arg(t + 1)
                           .arg(renderInlineText(ctx, block.tabs[t].title));
                out += QStringLiteral("<div class=\"tabbed-content\">\n") + renderBlocks(ctx, block.tabs[t].body, false)
                       + QStringLiteral("</div>\n");
            }
            out += QStringLiteral("</div>\n");
        }
        return out;
    }
    case PendingBlock::Kind::DefinitionList: {
        QString out = QStringLiteral("<dl>\n");
        for (const PendingBlock::DefinitionItem &item : block.items) {
            if (item.isTerm) {
                out += QStringLiteral("<dt>") + renderInlineText(ctx, item.lines.first().text) + QStringLiteral("</dt>\n");
            } else {
                QString body = renderBlocks(ctx, item.lines, false);
                if (!item.loose)
                    body = stripSingleParagraph(body);
                out += QStringLiteral("<dd>") + (item.loose ? QStringLiteral("\n") : QString()) + body.trimmed()
                       + (item.loose ? QStringLiteral("\n") : QString()) + QStringLiteral("</dd>\n");
            }
        }
        out += QStringLiteral("</dl>\n");
        return out;
    }
    }
    return {};
}

// def_list: `:   definition` after term lines. `markdown` holds the lines
// read so far; the terms are taken from its end. Returns false when the line
// is not a definition after all. `index` is moved to the last line used.
bool defineTerm(PageContext &ctx, QStringList &markdown, QList<bool> &verbatim, const QList<Line> &lines, int &index,
                const QString &firstLine, int &lastList, qsizetype &lastListLine)
{
    auto isParagraphLine = [&](qsizetype n) {
        return !markdown[n].isEmpty() && !verbatim[n] && !markdown[n].contains(ctx.placeholderPrefix);
    };
    qsizetype end = markdown.size();
    bool loose = false;
    while (end > 0 && markdown[end - 1].isEmpty()) {
        --end;
        loose = true;
    }
    qsizetype start = end;
    while (start > 0 && isParagraphLine(start - 1))
        --start;
    const bool continuesList = start == end && lastList >= 0 && lastListLine == end - 1;
    if (start == end && !continuesList)
        return false;
    QStringList terms;
    for (qsizetype n = start; n < end; ++n)
        terms.append(markdown[n].trimmed());
    markdown.resize(start);
    verbatim.resize(start);
    // A term group after the list and blank lines joins the list.
    qsizetype beforeTerms = markdown.size();
    while (beforeTerms > 0 && markdown[beforeTerms - 1].isEmpty())
        --beforeTerms;
    if (!continuesList && !(lastList >= 0 && lastListLine == beforeTerms - 1)) {
        PendingBlock block;
        block.kind = PendingBlock::Kind::DefinitionList;
        ctx.blocks.append(block);
        lastList = int(ctx.blocks.size()) - 1;
        markdown.append(placeholderLine(ctx, lastList, 0));
        verbatim.append(false);
    } else {
        markdown.resize(beforeTerms);
        verbatim.resize(beforeTerms);
    }
    PendingBlock &list = ctx.blocks[lastList];
    for (const QString &term : std::as_const(terms))
        list.items.append({true, {{term, lines[index].number}}, false});
    PendingBlock::DefinitionItem item;
    item.loose = loose;
    item.lines.append({firstLine, lines[index].number});
    int next = index + 1;
    item.lines += collectIndented(lines, next, 0);
    list.items.append(item);
    lastListLine = markdown.size() - 1;
    index = next - 1;
    return true;
}

// ---------------------------------------------------------------------------
// The block pass: Python-Markdown's block extensions and rules, then md4c.

QString renderBlocks(PageContext &ctx, const QList<Line> &lines, bool topLevel)
{
    static const QRegularExpression admonition(
        QStringLiteral("^(!!!|\\?\\?\\?\\+?) ?([\\w\\-]+(?: +[\\w\\-]+)*)(?: +\"(.*?)\")? *$"));
    static const QRegularExpression tab(QStringLiteral("^===(!|\\+)? +\"(.*?)\" *$"));
    static const QRegularExpression footnoteDefinition(QStringLiteral("^\\[\\^([^\\]]+)\\]:[ ]?(.*)$"));
    static const QRegularExpression abbreviation(QStringLiteral("^\\*\\[([^\\]]+)\\]:[ ]*(.*)$"));
    static const QRegularExpression definition(QStringLiteral("^:[ ]{1,3}(\\S.*)$"));

    QStringList markdown;
    QList<bool> verbatim;     // fenced or indented code: no inline rewriting
    auto append = [&](const QString &text, bool isVerbatim) {
        markdown.append(text);
        verbatim.append(isVerbatim);
    };
    int lastDefinitionList = -1;       // block index of the last definition list
    qsizetype lastDefinitionListLine = -1;   // and the line of its placeholder

    bool inFence = false;
    FenceStart fence;
    bool inList = false;
    bool inIndentedCode = false;
    bool previousBlank = true;
    bool previousParagraph = false;
    int lastMarkerIndent = -1;
    int lastMarkerContent = -1;

    for (int i = 0; i < lines.size(); ++i) {
        const QString &text = lines[i].text;
        if (inFence) {
            append(text, true);
            if (fenceEnd(text, fence))
                inFence = false;
            continue;
        }
        if (isBlank(text)) {
            append(QString(), inIndentedCode);
            previousBlank = true;
            previousParagraph = false;
            continue;
        }
        const int indent = indentOf(text);
        const QString body = text.mid(indent);
        if ((indent <= 3 || inList) && fenceStart(text, &fence)) {
            inFence = true;
            append(text, true);
            previousBlank = previousParagraph = false;
            continue;
        }
        if (!inList && indent >= 4 && (previousBlank || inIndentedCode) && !previousParagraph) {
            inIndentedCode = true;
            append(text, true);
            previousBlank = false;
            continue;
        }
        inIndentedCode = false;
        const bool blockAllowed = indent <= 3 || inList;
        const QChar first = body[0];
        if (blockAllowed && (first == QLatin1Char('!') || first == QLatin1Char('?'))) {
            const QRegularExpressionMatch m = admonition.match(body);
            if (m.hasMatch()) {
                PendingBlock block;
                const bool collapsible = m.captured(1).startsWith(QLatin1Char('?'));
                block.kind = collapsible ? PendingBlock::Kind::Details : PendingBlock::Kind::Admonition;
                block.open = m.captured(1).endsWith(QLatin1Char('+'));
                block.classes = m.captured(2).split(QLatin1Char(' '), Qt::SkipEmptyParts);
                if (m.capturedStart(3) < 0) {
                    block.title = block.classes.first().left(1).toUpper() + block.classes.first().mid(1);
                } else {
                    block.title = m.captured(3);
                    block.hasTitle = !block.title.isEmpty();
                }
                int next = i + 1;
                block.body = collectIndented(lines, next, indent);
                ctx.blocks.append(block);
                append(placeholderLine(ctx, int(ctx.blocks.size()) - 1, indent), false);
                i = next - 1;
                previousBlank = previousParagraph = false;
                continue;
            }
        }
        if (blockAllowed && first == QLatin1Char('=') && body.startsWith(QLatin1String("==="))) {
            QRegularExpressionMatch m = tab.match(body);
            if (m.hasMatch()) {
                PendingBlock block;
                block.kind = PendingBlock::Kind::Tabs;
                int next = i;
                while (next < lines.size()) {
                    if (indentOf(lines[next].text) != indent)
                        break;
                    m = tab.match(lines[next].text.mid(indent));
                    if (!m.hasMatch() || (m.captured(1) == QLatin1String("!") && !block.tabs.isEmpty()))
                        break;
                    PendingBlock::Tab t;
                    t.title = m.captured(2);
                    t.selected = m.captured(1) == QLatin1String("+");
                    ++next;
                    t.body = collectIndented(lines, next, indent);
                    block.tabs.append(t);
                    // Blank lines between tabs of one set.
                    int peek = next;
                    while (peek < lines.size() && isBlank(lines[peek].text))
                        ++peek;
                    if (peek < lines.size() && indentOf(lines[peek].text) == indent
                        && tab.match(lines[peek].text.mid(indent)).hasMatch()
                        && !lines[peek].text.mid(indent).startsWith(QLatin1String("===!")))
                        next = peek;
                    else
                        break;
                }
                ctx.blocks.append(block);
                append(placeholderLine(ctx, int(ctx.blocks.size()) - 1, indent), false);
                i = next - 1;
                previousBlank = previousParagraph = false;
                continue;
            }
        }
        if (indent == 0 && first == QLatin1Char('[') && body.startsWith(QLatin1String("[^"))) {
            const QRegularExpressionMatch m = footnoteDefinition.match(body);
            if (m.hasMatch()) {
                Footnote note;
                note.label = m.captured(1);
                note.body.append({m.captured(2), lines[i].number});
                int next = i + 1;
                note.body += collectIndented(lines, next, 0);
                if (!ctx.footnoteIndex.contains(note.label)) {
                    ctx.footnoteIndex.insert(note.label, int(ctx.footnotes.size()));
                    ctx.footnotes.append(note);
                }
                i = next - 1;
                previousBlank = true;
                previousParagraph = false;
                continue;
            }
        }
        if (indent == 0 && first == QLatin1Char('*') && body.startsWith(QLatin1String("*["))) {
            const QRegularExpressionMatch m = abbreviation.match(body);
            if (m.hasMatch()) {
                ctx.abbreviations.insert(escapeHtml(m.captured(1)), m.captured(2).trimmed());
                ctx.abbreviationPattern = QRegularExpression();
                continue;
            }
        }
        if (indent <= 3 && first == QLatin1Char(':')) {
            const QRegularExpressionMatch m = definition.match(body);
            if (m.hasMatch() && defineTerm(ctx, markdown, verbatim, lines, i, m.captured(1), lastDefinitionList,
                                           lastDefinitionListLine)) {
                previousBlank = previousParagraph = false;
                continue;
            }
        }
        if (indent == 0 && first == QLatin1Char('<') && previousBlank) {
            const QString tag = htmlBlockTag(body);
            if (!tag.isEmpty()) {
                int end = i;
                int balance = tagBalance(body, tag);
                if (!isVoidTag(tag)) {
                    while (balance > 0 && end + 1 < lines.size()) {
                        ++end;
                        balance += tagBalance(lines[end].text, tag);
                    }
                    if (balance > 0) {
                        // Never closed: as far as the next blank line.
                        end = i;
                        while (end + 1 < lines.size() && !isBlank(lines[end + 1].text))
                            ++end;
                    }
                }
                QStringList raw;
                for (int j = i; j <= end; ++j)
                    raw.append(lines[j].text);
                QString html = raw.join(QLatin1Char('\n'));
                PendingBlock block;
                static const QRegularExpression markdownAttribute(
                    QStringLiteral("\\s+markdown=(?:\"(?:1|block|span)\"|'(?:1|block|span)'|1)"));
                const qsizetype openEnd = html.indexOf(QLatin1Char('>'));
                const QRegularExpressionMatch mm = markdownAttribute.match(html.left(openEnd));
                const qsizetype closeStart = html.lastIndexOf(QStringLiteral("</") + tag, -1, Qt::CaseInsensitive);
                if (mm.hasMatch() && closeStart > openEnd) {
                    block.kind = PendingBlock::Kind::MarkdownInHtml;
                    QString open = html.left(openEnd + 1);
                    open.remove(mm.capturedStart(), mm.capturedLength());
                    block.html = open;
                    block.closingTag = html.mid(closeStart);
                    const QString inner = html.mid(openEnd + 1, closeStart - openEnd - 1);
                    int number = lines[i].number;
                    for (const QString &innerLine : inner.split(QLatin1Char('\n')))
                        block.body.append({innerLine, number++});
                } else {
                    block.kind = PendingBlock::Kind::RawHtml;
                    block.html = html;
                }
                ctx.blocks.append(block);
                append(placeholderLine(ctx, int(ctx.blocks.size()) - 1, 0), false);
                i = end;
                previousBlank = previousParagraph = false;
                continue;
            }
        }
        QString line = text;
        const int markerWidth = listMarkerWidth(body);
        bool isMarker = markerWidth > 0 && !isThematicBreak(body);
        if (isMarker && previousParagraph && !inList && indent <= 3) {
            // Python-Markdown: a list cannot interrupt a paragraph.
            qsizetype delimiter = 0;   // before "-" or after the digits of "1."
            while (body[delimiter].isDigit())
                ++delimiter;
            line = text.left(indent) + body.left(delimiter) + QLatin1Char('\\') + body.mid(delimiter);
            isMarker = false;
        } else if (isMarker) {
            // mdx_truly_sane_lists: a list nested by 2 spaces under a wider
            // marker ("1. ") still nests.
            if (inList && lastMarkerIndent >= 0 && indent > lastMarkerIndent && indent < lastMarkerContent)
                line = QString(lastMarkerContent, QLatin1Char(' ')) + body;
            inList = true;
            lastMarkerIndent = indentOf(line);
            lastMarkerContent = lastMarkerIndent + markerWidth;
        } else if ((indent == 0 && previousBlank) || first == QLatin1Char('#')) {
            inList = false;
            lastMarkerIndent = lastMarkerContent = -1;
        }
        previousParagraph = !isMarker && !inList && indent <= 3 && first != QLatin1Char('#') && first != QLatin1Char('|')
                            && first != QLatin1Char('<') && first != QLatin1Char('>') && !isThematicBreak(body);
        previousBlank = false;
        append(line, false);
    }

    QString source;
    for (qsizetype n = 0; n < markdown.size(); ++n) {
        source += verbatim[n] ? markdown[n] : rewriteInline(ctx, markdown[n]);
        source += QLatin1Char('\n');
    }
    if (!ctx.referenceDefinitions.isEmpty())
        source += QLatin1Char('\n') + ctx.referenceDefinitions;
    Md4cRenderer renderer(ctx, topLevel);
    return renderer.render(source);
}

// ---------------------------------------------------------------------------
// Page-level pre-processing: front matter, snippets, GitHub alerts.

QList<Line> splitLines(const QString &text, int firstNumber = 1)
{
    QList<Line> lines;
    int number = firstNumber;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = text.size();
        QString line = text.mid(start, end - start);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        lines.append({expandTabs(line), number++});
        if (end == text.size())
            break;
        start = end + 1;
    }
    while (!lines.isEmpty() && lines.last().text.isEmpty())
        lines.removeLast();
    return lines;
}

void readFrontMatter(QList<Line> &lines, RenderedMarkdown &result, const QString &path)
{
    if (lines.isEmpty())
        return;
    if (lines.first().text.trimmed() == QLatin1String("---")) {
        for (int end = 1; end < lines.size(); ++end) {
            const QString marker = lines[end].text.trimmed();
            if (marker != QLatin1String("---") && marker != QLatin1String("..."))
                continue;
            QStringList yaml;
            for (int j = 1; j < end; ++j)
                yaml.append(lines[j].text);
            const Yaml::YamlStream stream = Yaml::YamlReader::read(yaml.join(QLatin1Char('\n')).toUtf8(), path);
            if (!stream.documents.isEmpty() && !stream.documents.first().error && stream.documents.first().value.isObject()) {
                result.meta = stream.documents.first().value.toObject();
                lines.remove(0, end + 1);
            } else if (!stream.documents.isEmpty() && stream.documents.first().error) {
                result.messages.append({BuildMessage::Level::Warning,
                                        QStringLiteral("Front matter is not valid YAML (%1); it is shown as text.")
                                            .arg(stream.documents.first().error->message),
                                        path, lines.first().number});
            }
            return;
        }
        return;
    }
    // MultiMarkdown-style `Key: value` lines at the very top, up to a blank line.
    static const QRegularExpression metaLine(QStringLiteral("^[ ]{0,3}([A-Za-z0-9_-]+):\\s*(.*)$"));
    static const QRegularExpression continuation(QStringLiteral("^[ ]{4,}(.*)$"));
    QJsonObject meta;
    QString lastKey;
    int consumed = 0;
    for (; consumed < lines.size(); ++consumed) {
        const QString &text = lines[consumed].text;
        if (isBlank(text))
            break;
        const QRegularExpressionMatch m = metaLine.match(text);
        if (m.hasMatch()) {
            lastKey = m.captured(1).toLower();
            meta.insert(lastKey, m.captured(2).trimmed());
            continue;
        }
        const QRegularExpressionMatch c = continuation.match(text);
        if (c.hasMatch() && !lastKey.isEmpty()) {
            meta.insert(lastKey, meta.value(lastKey).toString() + QLatin1Char(' ') + c.captured(1).trimmed());
            continue;
        }
        return;   // not meta data after all
    }
    if (meta.isEmpty())
        return;
    result.meta = meta;
    lines.remove(0, consumed);
}

void insertSnippets(QList<Line> &lines, const MarkdownSource &source, int depth = 0)
{
    if (!source.readSnippet || depth > 4)
        return;
    static const QRegularExpression snippet(QStringLiteral("^(\\s*)-{1,}8<-{1,}\\s+(['\"])([^'\"]+)\\2\\s*$"));
    for (int i = 0; i < lines.size(); ++i) {
        if (!lines[i].text.contains(QLatin1String("8<")))
            continue;
        const QRegularExpressionMatch m = snippet.match(lines[i].text);
        if (!m.hasMatch())
            continue;
        const QString path = m.captured(3).trimmed();
        const QString content = path.startsWith(QLatin1Char(';')) ? QString() : source.readSnippet(path);
        QList<Line> inserted = splitLines(content, 0);
        insertSnippets(inserted, source, depth + 1);
        for (Line &line : inserted) {
            line.text = m.captured(1) + line.text;
            line.number = lines[i].number;
        }
        lines.remove(i);
        for (int j = 0; j < inserted.size(); ++j)
            lines.insert(i + j, inserted[j]);
        i += int(inserted.size()) - 1;
    }
}

void convertGithubAlerts(QList<Line> &lines)
{
    static const QRegularExpression alert(QStringLiteral("^>\\s*\\[!(NOTE|TIP|WARNING|IMPORTANT|CAUTION)\\]\\s*$"),
                                          QRegularExpression::CaseInsensitiveOption);
    static const QHash<QString, QPair<QString, QString>> kinds = {
        {QStringLiteral("NOTE"), {QStringLiteral("note"), QStringLiteral("Note")}},
        {QStringLiteral("TIP"), {QStringLiteral("tip"), QStringLiteral("Tip")}},
        {QStringLiteral("WARNING"), {QStringLiteral("warning"), QStringLiteral("Warning")}},
        {QStringLiteral("IMPORTANT"), {QStringLiteral("warning"), QStringLiteral("Important")}},
        {QStringLiteral("CAUTION"), {QStringLiteral("danger"), QStringLiteral("Caution")}}};
    bool inFence = false;
    FenceStart fence;
    for (int i = 0; i < lines.size(); ++i) {
        const QString &text = lines[i].text;
        if (inFence) {
            inFence = !fenceEnd(text, fence);
            continue;
        }
        if (fenceStart(text, &fence)) {
            inFence = true;
            continue;
        }
        if (!text.startsWith(QLatin1Char('>')))
            continue;
        const QRegularExpressionMatch m = alert.match(text);
        if (!m.hasMatch())
            continue;
        const auto kind = kinds.value(m.captured(1).toUpper());
        lines[i].text = QStringLiteral("!!! %1 \"%2\"").arg(kind.first, kind.second);
        for (int j = i + 1; j < lines.size() && lines[j].text.startsWith(QLatin1Char('>')); ++j) {
            QString body = lines[j].text.mid(1);
            if (body.startsWith(QLatin1Char(' ')))
                body.remove(0, 1);
            lines[j].text = body.isEmpty() ? QString() : QStringLiteral("    ") + body;
        }
    }
}

QString collectReferenceDefinitions(const QList<Line> &lines)
{
    static const QRegularExpression definition(QStringLiteral("^ {0,3}\\[[^\\]^][^\\]]*\\]:\\s*\\S"));
    QString out;
    for (const Line &line : lines)
        if (line.text.contains(QLatin1String("]:")) && definition.match(line.text).hasMatch())
            out += line.text.trimmed() + QLatin1Char('\n');
    return out;
}

QString renderFootnotes(PageContext &ctx)
{
    if (ctx.footnotes.isEmpty())
        return {};
    QString out = QStringLiteral("<div class=\"footnote\">\n<hr />\n<ol>\n");
    for (int n = 0; n < ctx.footnotes.size(); ++n) {
        const Footnote note = ctx.footnotes[n];
        const QString label = escapeHtml(note.label);
        QString body = renderBlocks(ctx, note.body, false).trimmed();
        const QString backref = QStringLiteral("&#160;<a class=\"footnote-backref\" href=\"#fnref:%1\" title=\"Jump back to footnote %2 in the text\">&#8617;</a>")
                                    .arg(label).arg(n + 1);
        if (body.endsWith(QLatin1String("</p>")))
            body.insert(body.size() - 4, backref);
        else
            body += QStringLiteral("<p>") + backref + QStringLiteral("</p>");
        out += QStringLiteral("<li id=\"fn:%1\">\n%2\n</li>\n").arg(label, body);
    }
    out += QStringLiteral("</ol>\n</div>\n");
    return out;
}

} // namespace

QString headingSlug(const QString &text, const QString &separator)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString kept;
    kept.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.unicode() >= 128)
            continue;
        if (c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-') || c.isSpace())
            kept += c;
    }
    kept = kept.trimmed().toLower();
    QString out;
    bool inRun = false;
    for (const QChar c : std::as_const(kept)) {
        if (c == QLatin1Char('-') || c.isSpace()) {
            if (!inRun)
                out += separator;
            inRun = true;
        } else {
            out += c;
            inRun = false;
        }
    }
    return out;
}

RenderedMarkdown renderMarkdown(const MarkdownSource &source, const MarkdownDialect &dialect)
{
    RenderedMarkdown result;
    PageContext ctx{source, dialect, result, {}, {}, {}, 0, {}, {}, {}, {}, {}, false};
    ctx.placeholderPrefix = QStringLiteral("<!--greenroom-block-%1-")
                                .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    QList<Line> lines = splitLines(source.text);
    readFrontMatter(lines, result, source.path);
    insertSnippets(lines, source);
    if (dialect.githubAlerts)
        convertGithubAlerts(lines);
    ctx.referenceDefinitions = collectReferenceDefinitions(lines);
    result.html = renderBlocks(ctx, lines, true);
    result.html += renderFootnotes(ctx);
    return result;
}

} // namespace Greenroom::Docs
