// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// Shared inside core/scaffold: JavaScript value rules, filters, tests and
// methods of the template language (templatelanguage.h).

#include "templatelanguage.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace Greenroom::Scaffold::Detail {

// A call's arguments; keyword arguments arrive as a trailing object, as in Nunjucks.
struct Arguments
{
    QJsonArray positional;

    // The argument at `index` (`name` documents which one), or `fallback`.
    QJsonValue get(int index, const char *name, const QJsonValue &fallback = QJsonValue(QJsonValue::Undefined)) const;
};

QString numberText(double value);
double toNumber(const QJsonValue &value);
bool looseEquals(const QJsonValue &a, const QJsonValue &b);
bool strictEquals(const QJsonValue &a, const QJsonValue &b);

// Regex literals (r/…/flags) travel as a marked object.
QJsonValue makeRegex(const QString &pattern, const QString &flags);
bool isRegex(const QJsonValue &value);
QRegularExpression regexOf(const QJsonValue &value, bool *global = nullptr);

bool hasFilter(const QString &name, const TemplateEnvironment &environment);
Result<QJsonValue> applyFilter(const QString &name, const QJsonValue &input, const Arguments &arguments,
                               const TemplateEnvironment &environment);
Result<bool> applyTest(const QString &name, const QJsonValue &value, const Arguments &arguments);
// `target.method(arguments)` with JavaScript's String, Array and Number methods.
Result<QJsonValue> callMethod(const QJsonValue &target, const QString &method, const Arguments &arguments);
// `target.name` where JavaScript has a property (`length`).
QJsonValue property(const QJsonValue &target, const QString &name);

// The parseRepoUrl filter: "host?owner=o&repo=r" as {host, owner, repo, ...}.
Result<QJsonValue> parseRepoUrlValue(const QJsonValue &repoUrl);

// Built-in globals (range).
Result<QJsonValue> callBuiltinGlobal(const QString &name, const Arguments &arguments, bool *known);

} // namespace Greenroom::Scaffold::Detail
