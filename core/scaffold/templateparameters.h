// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/jsonkeyorder.h>

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace Greenroom::Scaffold {

// One page of a template's wizard: a JSON Schema object with the form's
// `ui:*` keys inline, as spec.parameters writes it.
struct ParameterPage
{
    QString title;         // "Please enter the following information" when the page has none
    QString description;
    QJsonObject schema;    // the page object without `when`
    QJsonValue when;       // a page condition (Backstage 4.x); undefined when absent
    JsonKeyOrder keyOrder; // the order the template wrote `schema`'s keys in, when known
};

// spec.parameters as pages: an object is one page, a list is one page each.
// `keyOrder`: the template's (from its stored JSON text), for its fields' order.
QList<ParameterPage> parameterPages(const QJsonObject &templateEntity, const JsonKeyOrder &keyOrder = {});

// An answer that fails its page's schema.
struct ParameterProblem
{
    QString field;      // dotted path of the value ("name", "nested.port", "tags[1]"); "" for the whole
    QString keyword;    // JSON Schema keyword that failed (required, pattern, enum, type, minLength, ...)
    QString message;    // for the form, at the field: "does not match pattern \"^[a-z]+$\""
    // As Backstage's server says it: "instance.name does not match pattern ...",
    // "instance requires property \"name\"".
    QString stack() const;
};

/*
 * Checks `values` against every visible page in turn, as Backstage's POST
 * /v2/tasks does (JSON Schema draft 7, with valijson), and returns the
 * problems of the first page that fails; empty when all pass. A page
 * schema that cannot be read is a problem of its own.
 */
QList<ParameterProblem> validateParameters(const QJsonObject &values, const QList<ParameterPage> &pages);
// The problems of one page.
QList<ParameterProblem> validatePage(const QJsonObject &values, const ParameterPage &page);

// A page's `when` (Backstage 4.x): absent, a boolean, or a `${{ }}`
// condition (the braces may be left out) over `parameters`; [] is false, a
// condition that cannot be evaluated shows the page.
bool pageCondition(const QJsonValue &when, const QJsonObject &values);

// Which pages show for these answers, each page's condition seeing only
// what earlier visible pages hold, and the answers without the properties
// only hidden pages declare (what the task gets).
struct ResolvedPages
{
    QList<bool> visible;
    QJsonObject values;
};
ResolvedPages resolvePages(const QJsonObject &values, const QList<ParameterPage> &pages);

// `values` with the pages' `default`s filled in where a property has no
// value (nested objects too), as the wizard's form fills them.
QJsonObject withDefaults(const QJsonObject &values, const QList<ParameterPage> &pages);

} // namespace Greenroom::Scaffold
