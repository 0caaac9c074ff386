// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "jsonschema.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Greenroom::Model {

namespace {

bool hasType(const QJsonValue &data, const QString &type)
{
    if (type == QLatin1String("object"))
        return data.isObject();
    if (type == QLatin1String("string"))
        return data.isString();
    if (type == QLatin1String("array"))
        return data.isArray();
    if (type == QLatin1String("boolean"))
        return data.isBool();
    return false;
}

bool hasAnyType(const QJsonValue &data, const QStringList &types)
{
    for (const QString &type : types) {
        if (hasType(data, type))
            return true;
    }
    return false;
}

// ajv counts code points, not UTF-16 units.
int codePointLength(const QString &s)
{
    int n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (!(s.at(i).isLowSurrogate() && i > 0 && s.at(i - 1).isHighSurrogate()))
            ++n;
    }
    return n;
}

bool isWord(const QString &s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_'))
            return false;
    }
    return true;
}

SchemaError makeError(const QStringList &path, const char *keyword, const QString &message,
                      const QString &params)
{
    return {path, QLatin1String(keyword), message, params};
}

} // namespace

QString SchemaError::instancePath() const
{
    QString pointer;
    for (QString component : path) {
        component.replace(QLatin1Char('~'), QLatin1String("~0"));
        component.replace(QLatin1Char('/'), QLatin1String("~1"));
        pointer += QLatin1Char('/') + component;
    }
    return pointer;
}

QString SchemaError::describe(bool withParams) const
{
    const QString where = path.isEmpty() ? QStringLiteral("<root>") : instancePath();
    QString text = where + QLatin1Char(' ') + message;
    if (withParams && !params.isEmpty())
        text += QStringLiteral(" - ") + params;
    return text;
}

QList<SchemaError> JsonSchema::validate(const QJsonValue &data) const
{
    QList<SchemaError> errors;
    QStringList path;
    validate(data, path, errors);
    return errors;
}

bool JsonSchema::hasRulesForType(const QString &type) const
{
    if (type == QLatin1String("object"))
        return !required.isEmpty() || !properties.isEmpty() || forbidAdditionalProperties
               || additionalProperties || allKeys;
    if (type == QLatin1String("string"))
        return minLength > 0 || !pattern.isEmpty();
    if (type == QLatin1String("array"))
        return bool(items);
    return false;
}

void JsonSchema::validate(const QJsonValue &data, QStringList &path, QList<SchemaError> &errors) const
{
    const QString typeList = types.join(QLatin1Char(','));
    auto typeError = [&] {
        errors.append(makeError(path, "type", QStringLiteral("must be ") + typeList,
                                QStringLiteral("type: ") + typeList));
    };
    // ajv checks the type up front unless the schema has keywords for that one type.
    const bool typeCheckedInGroup = types.size() == 1 && hasRulesForType(types.first());
    if (!types.isEmpty() && !typeCheckedInGroup && !hasAnyType(data, types))
        typeError();

    // Keywords that apply to any type: enum, then the applicators.
    if (!enumValues.isEmpty() && !(data.isString() && enumValues.contains(data.toString()))) {
        errors.append(makeError(path, "enum", QStringLiteral("must be equal to one of the allowed values"),
                                QStringLiteral("allowedValues: ") + enumValues.join(QLatin1Char(','))));
    }
    for (const Ptr &part : allOf)
        part->validate(data, path, errors);
    if (!oneOf.isEmpty()) {
        QList<SchemaError> branchErrors;
        QStringList passing;
        for (qsizetype i = 0; i < oneOf.size(); ++i) {
            QList<SchemaError> mine;
            oneOf.at(i)->validate(data, path, mine);
            if (mine.isEmpty())
                passing.append(QString::number(i));
            branchErrors += mine;
        }
        if (passing.size() != 1) {
            errors += branchErrors;
            errors.append(makeError(path, "oneOf", QStringLiteral("must match exactly one schema in oneOf"),
                                    QStringLiteral("passingSchemas: ")
                                        + (passing.isEmpty() ? QStringLiteral("null") : passing.join(QLatin1Char(',')))));
        }
    }

    if (typeCheckedInGroup && !hasType(data, types.first())) {
        typeError();
        return;
    }

    if (data.isString()) {
        const QString s = data.toString();
        if (minLength > 0 && codePointLength(s) < minLength) {
            errors.append(makeError(path, "minLength",
                                    QStringLiteral("must NOT have fewer than %1 characters").arg(minLength),
                                    QStringLiteral("limit: %1").arg(minLength)));
        }
        if (!pattern.isEmpty() && !isWord(s)) {
            errors.append(makeError(path, "pattern", QStringLiteral("must match pattern \"%1\"").arg(pattern),
                                    QStringLiteral("pattern: ") + pattern));
        }
    } else if (data.isArray() && items) {
        const QJsonArray array = data.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            path.append(QString::number(i));
            items->validate(array.at(i), path, errors);
            path.removeLast();
        }
    } else if (data.isObject()) {
        const QJsonObject object = data.toObject();
        for (const QString &name : required) {
            if (!object.contains(name)) {
                errors.append(makeError(path, "required",
                                        QStringLiteral("must have required property '%1'").arg(name),
                                        QStringLiteral("missingProperty: ") + name));
            }
        }
        if (forbidAdditionalProperties || additionalProperties) {
            for (auto it = object.begin(); it != object.end(); ++it) {
                const QString key = it.key();
                const bool known = std::any_of(properties.cbegin(), properties.cend(),
                                               [&](const auto &p) { return p.first == key; })
                                   || (allKeys && !key.isEmpty());
                if (known)
                    continue;
                if (forbidAdditionalProperties) {
                    errors.append(makeError(path, "additionalProperties",
                                            QStringLiteral("must NOT have additional properties"),
                                            QStringLiteral("additionalProperty: ") + key));
                } else {
                    path.append(key);
                    additionalProperties->validate(it.value(), path, errors);
                    path.removeLast();
                }
            }
        }
        for (const auto &[name, schema] : properties) {
            const auto it = object.constFind(name);
            if (it == object.constEnd())
                continue;
            path.append(name);
            schema->validate(it.value(), path, errors);
            path.removeLast();
        }
        if (allKeys) {
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (it.key().isEmpty())
                    continue;
                path.append(it.key());
                allKeys->validate(it.value(), path, errors);
                path.removeLast();
            }
        }
    }
}

namespace Schema {

JsonSchema::Ptr string(int minLength)
{
    auto s = std::make_shared<JsonSchema>();
    s->types = {QStringLiteral("string")};
    s->minLength = minLength;
    return s;
}

JsonSchema::Ptr typed(const QStringList &types)
{
    auto s = std::make_shared<JsonSchema>();
    s->types = types;
    return s;
}

JsonSchema::Ptr enumOf(const QStringList &values)
{
    auto s = std::make_shared<JsonSchema>();
    s->enumValues = values;
    return s;
}

JsonSchema::Ptr arrayOf(JsonSchema::Ptr items)
{
    auto s = std::make_shared<JsonSchema>();
    s->types = {QStringLiteral("array")};
    s->items = std::move(items);
    return s;
}

JsonSchema::Ptr object(const QStringList &required, QList<std::pair<QString, JsonSchema::Ptr>> properties)
{
    auto s = std::make_shared<JsonSchema>();
    s->types = {QStringLiteral("object")};
    s->required = required;
    s->properties = std::move(properties);
    return s;
}

JsonSchema::Ptr allOf(QList<JsonSchema::Ptr> parts)
{
    auto s = std::make_shared<JsonSchema>();
    s->allOf = std::move(parts);
    return s;
}

} // namespace Schema

} // namespace Greenroom::Model
