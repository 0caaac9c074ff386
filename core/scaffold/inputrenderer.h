// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "templatelanguage.h"

#include <QJsonValue>
#include <QList>

namespace Greenroom::Scaffold {

/*
 * Renders a step's input (or `if`, `each`, the template's `output`) the
 * way Backstage's workflow runner does, leaf by leaf:
 *  1. a string that is exactly one `${{ expr }}` becomes the expression's
 *     JSON value (an array stays an array, 8080 a number);
 *  2. any other string renders to text; when it is exactly one block
 *     statement, its output is JSON-decoded if it parses;
 *  3. an empty result drops the key (undefined), except `${{ "" }}`;
 *  4. a string that fails to parse or render keeps its template text, and
 *     the failure is reported in `problems` (Backstage logs it).
 * Numbers, booleans and nulls written in YAML are kept as they are.
 */
struct RenderProblem
{
    QString where;   // "steps[fetch].input.values.name"
    Error error;
};

// The rendered value; QJsonValue::Undefined when it rendered to nothing.
QJsonValue renderTemplatedValue(const QJsonValue &input, const QJsonObject &context, const TemplateEnvironment &environment,
                                const QString &where, QList<RenderProblem> *problems = nullptr);

} // namespace Greenroom::Scaffold
