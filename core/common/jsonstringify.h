// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonValue>
#include <QString>

namespace Greenroom {

/*
 * JSON.stringify(value, null, indent) as JavaScript writes it, for text that
 * Backstage prints with it (task log lines, the `dump` filter): `indent` is
 * the unit of indentation ("" for compact text, at most 10 characters as in
 * JavaScript), keys follow with ": " when indented, empty objects and arrays
 * stay "{}" and "[]", numbers are written as JavaScript writes them and
 * strings are escaped as it escapes them. QJsonDocument's writer differs in
 * all of these (it indents by four, writes "{\n}", and escapes otherwise).
 * Objects come in QJsonObject's (sorted) key order.
 */
QString jsonStringify(const QJsonValue &value, const QString &indent = {});

// JavaScript's Number.prototype.toString for a finite double ("1", "0.5",
// "1e+21", "1.5e-7"); "null" for NaN and infinities, as JSON.stringify has it.
QString javaScriptNumber(double number);

} // namespace Greenroom
