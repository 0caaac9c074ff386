// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "builtinhighlighter.h"

namespace Greenroom::Ui {

namespace {

QTextCharFormat colored(const QColor &color, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(color);
    if (bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(italic);
    return f;
}

} // namespace

BuiltinHighlighter::BuiltinHighlighter(QTextDocument *document, const QString &language, bool dark)
    : QSyntaxHighlighter(document)
{
    // Colours of Material for MkDocs' code blocks, light and dark.
    const QTextCharFormat key = colored(dark ? QColor(0x79, 0xb8, 0xff) : QColor(0x00, 0x5c, 0xc5));
    const QTextCharFormat string = colored(dark ? QColor(0xa5, 0xd6, 0xa7) : QColor(0x1c, 0x7d, 0x4d));
    const QTextCharFormat number = colored(dark ? QColor(0xff, 0xab, 0x70) : QColor(0xe3, 0x62, 0x09));
    const QTextCharFormat keyword = colored(dark ? QColor(0xd2, 0xa8, 0xff) : QColor(0x6f, 0x42, 0xc1), true);
    const QTextCharFormat comment = colored(dark ? QColor(0x8b, 0x94, 0x9e) : QColor(0x6a, 0x73, 0x7d), false, true);
    const QString lang = language.toLower();
    using RE = QRegularExpression;
    if (lang == QLatin1String("yaml")) {
        m_rules.append({RE(QStringLiteral("^\\s*(?:- )?([^\\s:#'\"][^:#]*?|\"[^\"]*\"|'[^']*')\\s*:(?=\\s|$)")), key, 1});
        m_rules.append({RE(QStringLiteral(":\\s+(-?\\d+(?:\\.\\d+)?|true|false|null|~)\\s*$")), number, 1});
        m_rules.append({RE(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^']|'')*'")), string});
        m_rules.append({RE(QStringLiteral("^\\s*(---|\\.\\.\\.)\\s*$")), keyword, 1});
        m_rules.append({RE(QStringLiteral("(?:^|\\s)(#.*)$")), comment, 1});
    } else if (lang == QLatin1String("json")) {
        m_rules.append({RE(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\"")), string});
        m_rules.append({RE(QStringLiteral("(\"(?:[^\"\\\\]|\\\\.)*\")\\s*:")), key, 1});
        m_rules.append({RE(QStringLiteral("\\b(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|true|false|null)\\b")), number, 1});
    } else {
        static const QString keywords = QStringLiteral(
            "\\b(type|query|mutation|subscription|schema|input|enum|interface|union|scalar|extend|implements|fragment|on|"
            "directive|syntax|package|import|option|message|service|rpc|returns|stream|repeated|optional|oneof|map|"
            "reserved|true|false|null)\\b");
        m_rules.append({RE(keywords), keyword});
        m_rules.append({RE(QStringLiteral("\\b\\d+(?:\\.\\d+)?\\b")), number});
        m_rules.append({RE(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\"")), string});
        m_rules.append({RE(QStringLiteral("(#.*|//.*)$")), comment, 1});
    }
}

void BuiltinHighlighter::highlightBlock(const QString &text)
{
    for (const Rule &rule : std::as_const(m_rules)) {
        auto matches = rule.pattern.globalMatch(text);
        while (matches.hasNext()) {
            const QRegularExpressionMatch match = matches.next();
            if (match.capturedStart(rule.group) >= 0)
                setFormat(int(match.capturedStart(rule.group)), int(match.capturedLength(rule.group)), rule.format);
        }
    }
}

} // namespace Greenroom::Ui
