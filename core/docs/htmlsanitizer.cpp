// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "htmlsanitizer.h"

#include "htmltext.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <gumbo.h>

namespace Greenroom::Docs {

namespace {

// Elements kept with their allowed attributes.
const QSet<QString> &allowedElements()
{
    static const QSet<QString> elements = {
        QStringLiteral("a"), QStringLiteral("abbr"), QStringLiteral("article"), QStringLiteral("aside"),
        QStringLiteral("b"), QStringLiteral("bdi"), QStringLiteral("bdo"), QStringLiteral("blockquote"),
        QStringLiteral("br"), QStringLiteral("caption"), QStringLiteral("center"), QStringLiteral("cite"),
        QStringLiteral("code"), QStringLiteral("col"), QStringLiteral("colgroup"), QStringLiteral("dd"),
        QStringLiteral("del"), QStringLiteral("details"), QStringLiteral("dfn"), QStringLiteral("div"),
        QStringLiteral("dl"), QStringLiteral("dt"), QStringLiteral("em"), QStringLiteral("figcaption"),
        QStringLiteral("figure"), QStringLiteral("footer"), QStringLiteral("h1"), QStringLiteral("h2"),
        QStringLiteral("h3"), QStringLiteral("h4"), QStringLiteral("h5"), QStringLiteral("h6"),
        QStringLiteral("header"), QStringLiteral("hr"), QStringLiteral("i"), QStringLiteral("img"),
        QStringLiteral("input"), QStringLiteral("ins"), QStringLiteral("kbd"), QStringLiteral("label"),
        QStringLiteral("li"), QStringLiteral("main"), QStringLiteral("mark"), QStringLiteral("nav"),
        QStringLiteral("ol"), QStringLiteral("p"), QStringLiteral("pre"), QStringLiteral("q"),
        QStringLiteral("rp"), QStringLiteral("rt"), QStringLiteral("ruby"), QStringLiteral("s"),
        QStringLiteral("samp"), QStringLiteral("section"), QStringLiteral("small"), QStringLiteral("span"),
        QStringLiteral("strike"), QStringLiteral("strong"), QStringLiteral("sub"), QStringLiteral("summary"),
        QStringLiteral("sup"), QStringLiteral("table"), QStringLiteral("tbody"), QStringLiteral("td"),
        QStringLiteral("tfoot"), QStringLiteral("th"), QStringLiteral("thead"), QStringLiteral("time"),
        QStringLiteral("tr"), QStringLiteral("tt"), QStringLiteral("u"), QStringLiteral("ul"),
        QStringLiteral("var"), QStringLiteral("wbr")};
    return elements;
}

// Elements removed together with everything inside them.
const QSet<QString> &droppedElements()
{
    static const QSet<QString> elements = {
        QStringLiteral("script"), QStringLiteral("style"), QStringLiteral("iframe"), QStringLiteral("frame"),
        QStringLiteral("frameset"), QStringLiteral("object"), QStringLiteral("embed"), QStringLiteral("applet"),
        QStringLiteral("template"), QStringLiteral("noscript"), QStringLiteral("noembed"), QStringLiteral("noframes"),
        QStringLiteral("xmp"), QStringLiteral("plaintext"), QStringLiteral("textarea"), QStringLiteral("title"),
        QStringLiteral("select"), QStringLiteral("option"), QStringLiteral("button"), QStringLiteral("form"),
        QStringLiteral("svg"), QStringLiteral("math"), QStringLiteral("base"), QStringLiteral("link"),
        QStringLiteral("meta"), QStringLiteral("head"), QStringLiteral("portal"), QStringLiteral("audio"),
        QStringLiteral("video"), QStringLiteral("source"), QStringLiteral("track"), QStringLiteral("canvas"),
        QStringLiteral("dialog"), QStringLiteral("marquee")};
    return elements;
}

const QSet<QString> &voidElements()
{
    static const QSet<QString> elements = {QStringLiteral("br"), QStringLiteral("col"), QStringLiteral("hr"),
                                           QStringLiteral("img"), QStringLiteral("input"), QStringLiteral("wbr")};
    return elements;
}

bool isGlobalAttribute(const QString &name)
{
    static const QSet<QString> names = {QStringLiteral("id"), QStringLiteral("class"), QStringLiteral("title"),
                                        QStringLiteral("lang"), QStringLiteral("dir"), QStringLiteral("role"),
                                        QStringLiteral("align")};
    if (names.contains(name))
        return true;
    static const QRegularExpression dataOrAria(QStringLiteral("^(data|aria)-[a-z0-9-]+$"));
    return dataOrAria.match(name).hasMatch();
}

bool isElementAttribute(const QString &element, const QString &name)
{
    static const QHash<QString, QSet<QString>> names = {
        {QStringLiteral("a"), {QStringLiteral("href"), QStringLiteral("name"), QStringLiteral("target"), QStringLiteral("rel"),
                               QStringLiteral("download"), QStringLiteral("hreflang")}},
        {QStringLiteral("img"), {QStringLiteral("src"), QStringLiteral("alt"), QStringLiteral("width"), QStringLiteral("height"),
                                 QStringLiteral("loading")}},
        {QStringLiteral("td"), {QStringLiteral("colspan"), QStringLiteral("rowspan"), QStringLiteral("style"), QStringLiteral("valign")}},
        {QStringLiteral("th"), {QStringLiteral("colspan"), QStringLiteral("rowspan"), QStringLiteral("style"), QStringLiteral("scope"),
                                QStringLiteral("valign")}},
        {QStringLiteral("col"), {QStringLiteral("span"), QStringLiteral("width")}},
        {QStringLiteral("colgroup"), {QStringLiteral("span")}},
        {QStringLiteral("ol"), {QStringLiteral("start"), QStringLiteral("type"), QStringLiteral("reversed")}},
        {QStringLiteral("li"), {QStringLiteral("value")}},
        {QStringLiteral("details"), {QStringLiteral("open")}},
        {QStringLiteral("label"), {QStringLiteral("for")}},
        {QStringLiteral("input"), {QStringLiteral("type"), QStringLiteral("checked"), QStringLiteral("disabled"),
                                   QStringLiteral("name")}},
        {QStringLiteral("blockquote"), {QStringLiteral("cite")}},
        {QStringLiteral("q"), {QStringLiteral("cite")}},
        {QStringLiteral("del"), {QStringLiteral("cite"), QStringLiteral("datetime")}},
        {QStringLiteral("ins"), {QStringLiteral("cite"), QStringLiteral("datetime")}},
        {QStringLiteral("time"), {QStringLiteral("datetime")}},
        {QStringLiteral("span"), {QStringLiteral("style")}},
        {QStringLiteral("div"), {QStringLiteral("style")}},
        {QStringLiteral("p"), {QStringLiteral("style")}},
        {QStringLiteral("table"), {QStringLiteral("style")}},
    };
    const auto it = names.constFind(element);
    return it != names.constEnd() && it->contains(name);
}

bool isUrlAttribute(const QString &name)
{
    return name == QLatin1String("href") || name == QLatin1String("src") || name == QLatin1String("cite");
}

// A URL survives when, read as a browser reads it (control characters and
// whitespace ignored), it has no scheme or one of the safe ones.
bool isSafeUrl(const QString &value, bool image)
{
    QString compact;
    for (const QChar c : value) {
        if (c.unicode() > 0x20 && c.unicode() != 0x7f)
            compact += c;
    }
    static const QRegularExpression scheme(QStringLiteral("^([A-Za-z][A-Za-z0-9+.\\-]*):"));
    const QRegularExpressionMatch m = scheme.match(compact);
    if (!m.hasMatch())
        return true;   // relative, fragment, or a path with ':' later on
    const QString name = m.captured(1).toLower();
    if (name == QLatin1String("http") || name == QLatin1String("https") || name == QLatin1String("mailto")
        || name == QLatin1String("tel"))
        return true;
    if (image && name == QLatin1String("data")) {
        static const QRegularExpression raster(QStringLiteral("^data:image/(png|gif|jpe?g|webp|avif|bmp);"),
                                               QRegularExpression::CaseInsensitiveOption);
        return raster.match(compact).hasMatch();
    }
    return false;
}

// Only layout properties with plain values: no url(), expression(), escapes.
bool isSafeStyle(const QString &value)
{
    static const QRegularExpression declarations(
        QStringLiteral("^\\s*((text-align|vertical-align|width|height|max-width|min-width|white-space)\\s*:\\s*[-#%.\\w ]+\\s*(;\\s*|$))*$"),
        QRegularExpression::CaseInsensitiveOption);
    return declarations.match(value).hasMatch();
}

class Serializer
{
public:
    QString take() { return std::move(m_out); }

    void node(const GumboNode *node)
    {
        switch (node->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
            appendEscapedHtml(m_out, QString::fromUtf8(node->v.text.text));
            break;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE:
            element(node);
            break;
        case GUMBO_NODE_DOCUMENT:
            children(&node->v.document.children);
            break;
        case GUMBO_NODE_COMMENT:
        default:
            break;
        }
    }

private:
    void children(const GumboVector *list)
    {
        for (unsigned i = 0; i < list->length; ++i)
            node(static_cast<const GumboNode *>(list->data[i]));
    }

    static QString tagName(const GumboElement &element)
    {
        if (element.tag != GUMBO_TAG_UNKNOWN)
            return QString::fromLatin1(gumbo_normalized_tagname(element.tag));
        GumboStringPiece piece = element.original_tag;
        gumbo_tag_from_original_text(&piece);
        return QString::fromUtf8(piece.data, qsizetype(piece.length)).toLower();
    }

    void element(const GumboNode *node)
    {
        const GumboElement &element = node->v.element;
        if (element.tag_namespace != GUMBO_NAMESPACE_HTML)
            return;   // SVG and MathML parse by other rules: never kept
        const QString name = tagName(element);
        if (droppedElements().contains(name))
            return;
        if (!allowedElements().contains(name)) {
            children(&element.children);   // unwrap
            return;
        }
        if (name == QLatin1String("input")) {
            const GumboAttribute *type = gumbo_get_attribute(&element.attributes, "type");
            const QString kind = type ? QString::fromUtf8(type->value).trimmed().toLower() : QString();
            if (kind != QLatin1String("checkbox") && kind != QLatin1String("radio"))
                return;
        }
        m_out += QLatin1Char('<') + name;
        for (unsigned i = 0; i < element.attributes.length; ++i) {
            const auto *attribute = static_cast<const GumboAttribute *>(element.attributes.data[i]);
            if (attribute->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE)
                continue;
            const QString attributeName = QString::fromUtf8(attribute->name).toLower();
            const QString value = QString::fromUtf8(attribute->value);
            if (!isGlobalAttribute(attributeName) && !isElementAttribute(name, attributeName))
                continue;
            if (isUrlAttribute(attributeName) && !isSafeUrl(value, name == QLatin1String("img")))
                continue;
            if (attributeName == QLatin1String("style") && !isSafeStyle(value))
                continue;
            if (attributeName == QLatin1String("target") && value != QLatin1String("_blank"))
                continue;
            m_out += QLatin1Char(' ') + attributeName + QStringLiteral("=\"");
            appendEscapedHtml(m_out, value);
            m_out += QLatin1Char('"');
        }
        if (name == QLatin1String("a")) {
            const GumboAttribute *target = gumbo_get_attribute(&element.attributes, "target");
            if (target && QString::fromUtf8(target->value) == QLatin1String("_blank")
                && !gumbo_get_attribute(&element.attributes, "rel"))
                m_out += QStringLiteral(" rel=\"noopener noreferrer\"");
        }
        if (voidElements().contains(name)) {
            m_out += QStringLiteral(" />");
            return;
        }
        m_out += QLatin1Char('>');
        // The parser drops a newline right after <pre>; keep the text as it was.
        if (name == QLatin1String("pre") && element.children.length > 0) {
            const auto *first = static_cast<const GumboNode *>(element.children.data[0]);
            if ((first->type == GUMBO_NODE_TEXT || first->type == GUMBO_NODE_WHITESPACE)
                && first->v.text.text[0] == '\n')
                m_out += QLatin1Char('\n');
        }
        children(&element.children);
        m_out += QStringLiteral("</") + name + QLatin1Char('>');
    }

    QString m_out;
};

} // namespace

QString sanitizeHtml(const QString &fragment)
{
    const QByteArray utf8 = fragment.toUtf8();
    GumboOptions options = kGumboDefaultOptions;
    options.fragment_context = GUMBO_TAG_DIV;
    options.fragment_namespace = GUMBO_NAMESPACE_HTML;
    options.max_errors = 0;
    GumboOutput *output = gumbo_parse_with_options(&options, utf8.constData(), size_t(utf8.size()));
    Serializer serializer;
    // A fragment parses into <html> holding the fragment's nodes.
    const GumboNode *root = output->root;
    if (root->type == GUMBO_NODE_ELEMENT) {
        const GumboVector &children = root->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            serializer.node(static_cast<const GumboNode *>(children.data[i]));
    }
    gumbo_destroy_output(&options, output);
    return serializer.take();
}

} // namespace Greenroom::Docs
