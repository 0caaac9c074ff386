// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "htmltext.h"

namespace Greenroom::Docs {

void appendEscapedHtml(QString &out, QStringView text)
{
    out.reserve(out.size() + text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&': out += QLatin1String("&amp;"); break;
        case '<': out += QLatin1String("&lt;"); break;
        case '>': out += QLatin1String("&gt;"); break;
        case '"': out += QLatin1String("&quot;"); break;
        default: out += c;
        }
    }
}

QString escapeHtml(QStringView text)
{
    QString out;
    appendEscapedHtml(out, text);
    return out;
}

QString decodeEntities(QStringView text)
{
    if (!text.contains(QLatin1Char('&')))
        return text.toString();
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != QLatin1Char('&')) {
            out += text[i];
            continue;
        }
        const qsizetype semi = text.indexOf(QLatin1Char(';'), i);
        if (semi < 0 || semi - i > 10) {
            out += text[i];
            continue;
        }
        const QStringView name = text.mid(i + 1, semi - i - 1);
        char32_t decoded = 0;
        if (name == QLatin1String("amp")) decoded = '&';
        else if (name == QLatin1String("lt")) decoded = '<';
        else if (name == QLatin1String("gt")) decoded = '>';
        else if (name == QLatin1String("quot")) decoded = '"';
        else if (name == QLatin1String("apos")) decoded = '\'';
        else if (name == QLatin1String("nbsp")) decoded = 0xa0;
        else if (name == QLatin1String("para")) decoded = 0xb6;
        else if (name.startsWith(QLatin1Char('#'))) {
            bool ok = false;
            const uint value = name.size() > 1 && (name[1] == QLatin1Char('x') || name[1] == QLatin1Char('X'))
                                   ? name.mid(2).toUInt(&ok, 16) : name.mid(1).toUInt(&ok, 10);
            if (ok && value > 0 && value <= 0x10ffff)
                decoded = value;
        }
        if (!decoded) {
            out += text[i];
            continue;
        }
        out += QString::fromUcs4(&decoded, 1);
        i = semi;
    }
    return out;
}

QString htmlToText(QStringView html)
{
    QString text;
    text.reserve(html.size());
    bool inTag = false;
    for (const QChar c : html) {
        if (inTag) {
            if (c == QLatin1Char('>'))
                inTag = false;
        } else if (c == QLatin1Char('<')) {
            inTag = true;
        } else {
            text += c;
        }
    }
    return decodeEntities(text);
}

QString collapseWhitespace(QStringView text)
{
    QString out;
    out.reserve(text.size());
    bool space = false;
    for (const QChar c : text) {
        if (c.isSpace()) {
            space = !out.isEmpty();
            continue;
        }
        if (space)
            out += QLatin1Char(' ');
        space = false;
        out += c;
    }
    return out;
}

} // namespace Greenroom::Docs
