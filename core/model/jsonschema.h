// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <utility>

namespace Greenroom::Model {

/*
 * The subset of JSON Schema (draft-07) that Backstage's entity schemas use,
 * evaluated the way ajv v8 evaluates it: keywords run in ajv's order and every
 * error is collected, so the first error and its wording match what Backstage
 * reports (`/spec must have required property 'owner'`). Written here rather
 * than taken from a library because no Debian JSON Schema library reproduces
 * ajv's error order and texts, and those texts are part of the API.
 */
struct SchemaError
{
    QStringList path;      // instance path as components
    QString keyword;       // ajv keyword: type, required, enum, ...
    QString message;       // ajv message: "must be string"
    QString params;        // ajv params rendered "key: value, ..."

    QString instancePath() const;   // "/metadata/name" (JSON pointer), "" for root
    // "<path|<root>> <message>", optionally followed by " - <params>".
    QString describe(bool withParams) const;
};

class JsonSchema
{
public:
    using Ptr = std::shared_ptr<const JsonSchema>;

    QStringList types;                         // "object", "string", "array", "boolean"
    int minLength = 0;
    QString pattern;                           // only "^\\w+$" is supported
    QStringList enumValues;
    QStringList required;
    QList<std::pair<QString, Ptr>> properties; // schema order matters
    bool forbidAdditionalProperties = false;
    Ptr additionalProperties;                  // schema for keys not in `properties`
    Ptr allKeys;                               // patternProperties "^.+$"
    Ptr items;
    QList<Ptr> allOf;
    QList<Ptr> oneOf;

    QList<SchemaError> validate(const QJsonValue &data) const;

private:
    void validate(const QJsonValue &data, QStringList &path, QList<SchemaError> &errors) const;
    bool hasRulesForType(const QString &type) const;
};

// Small builder helpers so schemas read like their JSON originals.
namespace Schema {
JsonSchema::Ptr string(int minLength = 0);
JsonSchema::Ptr typed(const QStringList &types);
JsonSchema::Ptr enumOf(const QStringList &values);
JsonSchema::Ptr arrayOf(JsonSchema::Ptr items);
JsonSchema::Ptr object(const QStringList &required, QList<std::pair<QString, JsonSchema::Ptr>> properties);
JsonSchema::Ptr allOf(QList<JsonSchema::Ptr> parts);
} // namespace Schema

} // namespace Greenroom::Model
