// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <functional>
#include <memory>

namespace Greenroom::Scaffold {

/*
 * The template language of Backstage's scaffolder: the subset of Nunjucks
 * 3.2 that templates use, with `${{ }}` as the variable delimiters.
 *
 * Written here because Debian 12 packages no Nunjucks or Jinja engine for
 * C++ (inja and Jinja2Cpp are not packaged), and the scaffolder's rules are
 * JavaScript's: undefined that renders as empty text and never throws on
 * member access, loose `==`, `+` that concatenates, JS string methods
 * (`x.split('/')`, `replace(r/a/g, 'b')`), JS number formatting. Values
 * are QJsonValue; QJsonValue::Undefined is JavaScript's undefined.
 *
 * Supported: `${{ expr }}` output; `{% if %}/{% elif %}/{% else %}`;
 * `{% for x in xs %}` and `{% for k, v in obj %}` with `loop.*` and
 * `{% else %}`; `{% set %}`; `{% raw %}`; `{# comments #}`; `-` whitespace
 * control; trimBlocks and lstripBlocks. Expressions: literals (strings,
 * numbers, true/false/null/none, arrays, objects, `r/re/flags`), member
 * and index access, calls of JS methods and globals, filters with
 * arguments, `is` tests, `a if c else b`, and Nunjucks' operators.
 */
struct TemplateSyntax
{
    QString variableStart = QStringLiteral("${{");
    QString variableEnd = QStringLiteral("}}");
    bool trimBlocks = false;     // drop the first newline after a block tag
    bool lstripBlocks = false;   // drop spaces and tabs before a block tag at the start of a line

    // fetch:template with cookiecutterCompat: `{{ }}`.
    static TemplateSyntax cookiecutter();
};

// Functions a template can call by name (`always()`, `range(3)`), added to the built-ins.
using TemplateFunction = std::function<Result<QJsonValue>(const QJsonArray &arguments)>;

struct TemplateEnvironment
{
    TemplateSyntax syntax;
    QHash<QString, TemplateFunction> globals;
    bool cookiecutterFilters = false;   // adds `jsonify` (= dump)
};

class Template
{
public:
    // Parses `text`. Errors are InputErrors at `name` (a file, or a step input
    // such as "steps[fetch].input.url") with the line and column.
    static Result<Template> parse(const QString &text, const TemplateEnvironment &environment = {}, const QString &name = {});

    Result<QString> render(const QJsonObject &context) const;

    // The whole text is exactly one `${{ expr }}` (rule 1 of the
    // scaffolder's value typing): the expression's value, typed.
    bool isSingleExpression() const;
    Result<QJsonValue> evaluateSingleExpression(const QJsonObject &context) const;
    // The whole text is exactly one `{% %}` block statement (its output may
    // be JSON-decoded).
    bool isSingleBlock() const;

    struct Node;

private:
    std::shared_ptr<const Node> m_root;
    std::shared_ptr<const TemplateEnvironment> m_environment;
    QString m_name;
};

// GET /v2/templating-extensions: the filters the scaffolder adds to Nunjucks
// (parseRepoUrl, parseEntityRef, pick, projectSlug) with their descriptions,
// examples and JSON Schemas, and no extra globals; in upstream's key order.
QByteArray templatingExtensionsJson();

// JavaScript's String(value) as Nunjucks prints it: undefined and null are "".
QString templateText(const QJsonValue &value);
// JavaScript truthiness: false, 0, NaN, "", null and undefined are false.
bool templateTruthy(const QJsonValue &value);

} // namespace Greenroom::Scaffold
