// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitypredicate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::Model {

namespace {

Error invalidQuery(const QString &detail, const QString &path = {})
{
    return Error::input(QStringLiteral("Invalid query: Validation error: %1%2")
                            .arg(detail, path.isEmpty() ? QString() : QStringLiteral(" at \"%1\"").arg(path)));
}

QString joinPath(const QString &path, const QString &part)
{
    return path.isEmpty() ? part : path + QLatin1Char('.') + part;
}

QString jsonText(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isString())
        return QStringLiteral("\"%1\"").arg(value.toString());
    return value.toVariant().toString();
}

bool isPrimitive(const QJsonValue &value)
{
    return value.isString() || value.isDouble() || value.isBool();
}

// String(value).toLowerCase() as JavaScript writes numbers and booleans.
QString primitiveText(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (number == double(qint64(number)))
            return QString::number(qint64(number));
        return QString::number(number, 'g', 17);
    }
    return value.toString().toLower();
}

// Field keys may not start with '$' and may not hold line breaks (the schema's
// /^(?:[^$\n\r].*)?$/ without the s flag).
bool isFieldKey(const QString &key)
{
    return !key.startsWith(QLatin1Char('$')) && !key.contains(QLatin1Char('\n')) && !key.contains(QLatin1Char('\r'));
}

EntityPredicate leaf(EntityPredicate::Type type, const QString &key, QStringList values = {})
{
    EntityPredicate p;
    p.type = type;
    p.key = key;
    p.values = std::move(values);
    return p;
}

Result<EntityPredicate> parsePredicate(const QJsonValue &json, const QString &path);

// {"type": "ownedBy", "targetRef": "group:default/a" | {"$in": [...]}}
Result<EntityPredicate> parseRelationContains(const QJsonObject &target)
{
    QString type;
    std::optional<QStringList> targets;
    bool typeSeen = false;
    for (auto it = target.begin(); it != target.end(); ++it) {
        const QString key = it.key().toLower();
        if (key == QLatin1String("type")) {
            if (typeSeen)
                return Error::input(QStringLiteral("Duplicate key \"%1\" in $contains for \"relations\"").arg(it.key()));
            typeSeen = true;
            if (!it.value().isString())
                return Error::input(QStringLiteral("The $contains operator for \"relations\" requires a \"type\" string property"));
            type = it.value().toString();
        } else if (key == QLatin1String("targetref")) {
            if (targets)
                return Error::input(QStringLiteral("Duplicate key \"%1\" in $contains for \"relations\"").arg(it.key()));
            const QJsonValue value = it.value();
            const QJsonObject in = value.toObject();
            if (value.isString()) {
                targets = QStringList{value.toString().toLower()};
            } else if (value.isObject() && in.size() == 1 && in.value(QLatin1String("$in")).isArray()) {
                QStringList refs;
                for (const QJsonValue &ref : in.value(QLatin1String("$in")).toArray()) {
                    if (!ref.isString())
                        return Error::input(QStringLiteral("Unsupported value in $contains for \"relations\": expected a string "
                                                           "or { \"$in\": [strings] }, but got %1").arg(jsonText(value)));
                    refs.append(ref.toString().toLower());
                }
                if (refs.isEmpty())
                    return Error::input(QStringLiteral("Empty \"$in\" array for $contains on \"relations\" is not allowed"));
                targets = refs;
            } else {
                return Error::input(QStringLiteral("Unsupported value in $contains for \"relations\": expected a string or "
                                                   "{ \"$in\": [strings] }, but got %1").arg(jsonText(value)));
            }
        } else {
            return Error::input(QStringLiteral("Unsupported key \"%1\" in $contains for \"relations\". Only \"type\" and "
                                               "\"targetRef\" are supported").arg(it.key()));
        }
    }
    if (type.isEmpty())
        return Error::input(QStringLiteral("The $contains operator for \"relations\" requires a \"type\" string property"));
    const QString key = QStringLiteral("relations.") + type.toLower();
    if (!targets)
        return leaf(EntityPredicate::Type::Exists, key);
    return leaf(EntityPredicate::Type::In, key, *targets);
}

// Whether `json` fits the schema's "any predicate" (what $contains accepts).
bool isAnyPredicate(const QJsonValue &json)
{
    if (isPrimitive(json))
        return true;
    return bool(parsePredicate(json, {}));
}

// The value side of `{"<key>": value}`; the first operator the schema's union
// accepts wins ($exists, $in, $contains, $hasPrefix), others are ignored.
Result<EntityPredicate> parseFieldValue(const QString &rawKey, const QJsonValue &value, const QString &path)
{
    const QString key = rawKey.toLower();
    if (isPrimitive(value))
        return leaf(EntityPredicate::Type::In, key, {primitiveText(value)});
    const QJsonObject object = value.toObject();
    if (value.isObject()) {
        if (object.contains(QLatin1String("$exists"))) {
            if (!object.value(QLatin1String("$exists")).isBool())
                return invalidQuery(QStringLiteral("Expected boolean"), joinPath(path, QStringLiteral("$exists")));
            return leaf(object.value(QLatin1String("$exists")).toBool() ? EntityPredicate::Type::Exists
                                                                        : EntityPredicate::Type::Missing,
                        key);
        }
        if (object.contains(QLatin1String("$in"))) {
            const QJsonValue in = object.value(QLatin1String("$in"));
            if (!in.isArray())
                return invalidQuery(QStringLiteral("Expected array"), joinPath(path, QStringLiteral("$in")));
            QStringList values;
            const QJsonArray array = in.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                if (!isPrimitive(array.at(i)))
                    return invalidQuery(QStringLiteral("Expected string, number or boolean"),
                                        QStringLiteral("%1.$in[%2]").arg(path).arg(i));
                values.append(primitiveText(array.at(i)));
            }
            return leaf(EntityPredicate::Type::In, key, values);
        }
        if (object.contains(QLatin1String("$contains"))) {
            const QJsonValue target = object.value(QLatin1String("$contains"));
            if (!isAnyPredicate(target))
                return invalidQuery(QStringLiteral("Invalid $contains target"), joinPath(path, QStringLiteral("$contains")));
            if (isPrimitive(target))
                return leaf(EntityPredicate::Type::In, key, {primitiveText(target)});
            if (key == QLatin1String("relations"))
                return parseRelationContains(target.toObject());
            if (target.isObject())
                return Error::input(QStringLiteral("Object form of $contains is not supported for field \"%1\"").arg(key));
            return Error::input(QStringLiteral("Unsupported $contains target for field \"%1\": %2").arg(key, jsonText(target)));
        }
        if (object.contains(QLatin1String("$hasPrefix"))) {
            if (!object.value(QLatin1String("$hasPrefix")).isString())
                return invalidQuery(QStringLiteral("Expected string"), joinPath(path, QStringLiteral("$hasPrefix")));
            return leaf(EntityPredicate::Type::HasPrefix, key, {object.value(QLatin1String("$hasPrefix")).toString().toLower()});
        }
    }
    return invalidQuery(QStringLiteral("Expected a primitive value, $exists, $in, $hasPrefix or $contains"), path);
}

Result<EntityPredicate> parseList(EntityPredicate::Type type, const QJsonValue &list, const QString &path)
{
    if (!list.isArray())
        return invalidQuery(QStringLiteral("Expected array"), path);
    EntityPredicate node;
    node.type = type;
    const QJsonArray array = list.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto child = parsePredicate(array.at(i), QStringLiteral("%1[%2]").arg(path).arg(i));
        if (!child)
            return child.error();
        node.children.push_back(std::move(child.value()));
    }
    return node;
}

Result<EntityPredicate> parsePredicate(const QJsonValue &json, const QString &path)
{
    if (!json.isObject())
        return invalidQuery(QStringLiteral("Expected object, received %1")
                                .arg(json.isArray() ? QStringLiteral("array")
                                     : json.isString() ? QStringLiteral("string")
                                     : json.isDouble() ? QStringLiteral("number")
                                     : json.isBool()   ? QStringLiteral("boolean")
                                                       : QStringLiteral("null")),
                            path);
    const QJsonObject object = json.toObject();
    const QStringList keys = object.keys();
    const bool operatorForm = std::any_of(keys.cbegin(), keys.cend(),
                                          [](const QString &key) { return key.startsWith(QLatin1Char('$')); });
    if (operatorForm) {
        if (object.size() != 1)
            return invalidQuery(QStringLiteral("Unrecognized key(s) in object: %1").arg(object.keys().join(QStringLiteral(", "))),
                                path);
        const QString op = object.begin().key();
        const QString childPath = joinPath(path, op);
        if (op == QLatin1String("$all"))
            return parseList(EntityPredicate::Type::All, object.begin().value(), childPath);
        if (op == QLatin1String("$any"))
            return parseList(EntityPredicate::Type::Any, object.begin().value(), childPath);
        if (op == QLatin1String("$not")) {
            auto child = parsePredicate(object.begin().value(), childPath);
            if (!child)
                return child.error();
            EntityPredicate node;
            node.type = EntityPredicate::Type::Not;
            node.children.push_back(std::move(child.value()));
            return node;
        }
        return invalidQuery(QStringLiteral("Invalid"), childPath);
    }
    EntityPredicate node;   // a field map: every field must hold
    node.type = EntityPredicate::Type::All;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!isFieldKey(it.key()))
            return invalidQuery(QStringLiteral("Invalid key"), joinPath(path, it.key()));
        auto condition = parseFieldValue(it.key(), it.value(), joinPath(path, it.key()));
        if (!condition)
            return condition.error();
        node.children.push_back(std::move(condition.value()));
    }
    if (node.children.size() == 1)
        return std::move(node.children.front());
    return node;
}

} // namespace

Result<EntityPredicate> EntityPredicate::fromJson(const QJsonValue &json)
{
    return parsePredicate(json, {});
}

QJsonValue EntityPredicate::filterParametersToJson(const QStringList &filterParameters)
{
    // Mirrors upstream's parseEntityFilterParams: statements trimmed, empty
    // ones dropped, values grouped per key in the order written.
    QJsonArray outer;
    for (const QString &parameter : filterParameters) {
        QList<std::pair<QString, std::optional<QJsonArray>>> byKey;
        for (const QString &rawStatement : parameter.split(QLatin1Char(','))) {
            const QString statement = rawStatement.trimmed();
            if (statement.isEmpty())
                continue;
            const qsizetype equals = statement.indexOf(QLatin1Char('='));
            const QString key = equals < 0 ? statement : statement.left(equals).trimmed();
            auto it = std::find_if(byKey.begin(), byKey.end(), [&](const auto &entry) { return entry.first == key; });
            if (it == byKey.end()) {
                byKey.append({key, std::nullopt});
                it = byKey.end() - 1;
            }
            if (equals >= 0) {
                if (!it->second)
                    it->second = QJsonArray();
                it->second->append(statement.mid(equals + 1).trimmed());
            }
        }
        if (byKey.isEmpty())
            continue;
        QJsonArray predicates;
        for (const auto &[key, values] : byKey) {
            QJsonValue condition;
            if (!values)
                condition = QJsonObject{{QStringLiteral("$exists"), true}};
            else if (values->size() == 1)
                condition = values->first();
            else
                condition = QJsonObject{{QStringLiteral("$in"), *values}};
            predicates.append(QJsonObject{{key, condition}});
        }
        outer.append(predicates.size() == 1 ? predicates.first() : QJsonObject{{QStringLiteral("$all"), predicates}});
    }
    if (outer.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    return outer.size() == 1 ? outer.first() : QJsonObject{{QStringLiteral("$any"), outer}};
}

} // namespace Greenroom::Model
