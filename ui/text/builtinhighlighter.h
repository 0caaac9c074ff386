// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>

namespace Greenroom::Ui {

/*
 * A small rule-based highlighter for the languages the catalog shows (YAML,
 * JSON, GraphQL, Protocol Buffers), used when KF6SyntaxHighlighting is not
 * available (Debian 12 packages only its Qt 5 build, which a Qt 6 program
 * cannot link). Line by line: comments, keys, strings, numbers, keywords.
 */
class BuiltinHighlighter : public QSyntaxHighlighter
{
public:
    BuiltinHighlighter(QTextDocument *document, const QString &language, bool dark);

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule
    {
        QRegularExpression pattern;
        QTextCharFormat format;
        int group = 0;
    };
    QList<Rule> m_rules;
};

} // namespace Greenroom::Ui
