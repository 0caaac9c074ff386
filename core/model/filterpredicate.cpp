// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "filterpredicate.h"

#include <common/jsonstringify.h>

#include <QJsonArray>
#include <QJsonObject>

namespace Greenroom::Model {

namespace {

Error invalid(const QString &path, const QString &why)
{
    return Error::input(QStringLiteral("Invalid filter predicate at '%1': %2").arg(path.isEmpty() ? QStringLiteral("<root>") : path, why));
}

QString childPath(const QString &path, const QString &part)
{
    return path.isEmpty() ? part : path + QLatin1Char('.') + part;
}

bool isPrimitive(const QJsonValue &value)
{
    return value.isString() || value.isDouble() || value.isBool();
}

// The schema's field keys: /^(?:[^$\n\r].*)?$/ (no leading '$', one line).
bool isFieldKey(const QString &key)
{
    return !key.startsWith(QLatin1Char('$')) && !key.contains(QLatin1Char('\n')) && !key.contains(QLatin1Char('\r'));
}

enum class Flavour { Predicate, AnyPredicate };   // AnyPredicate ($contains) also takes primitives

Result<QJsonValue> normalise(const QJsonValue &json, const QString &path, Flavour flavour);

// A field's value: a primitive, or the first of {$exists}, {$in}, {$contains},
// {$hasPrefix} that fits (zod's union strips the other keys).
Result<QJsonValue> normaliseValue(const QJsonValue &value, const QString &path)
{
    if (isPrimitive(value))
        return value;
    if (!value.isObject())
        return invalid(path, QStringLiteral("expected a string, number, boolean or operator object"));
    const QJsonObject object = value.toObject();
    if (object.value(QLatin1String("$exists")).isBool())
        return QJsonValue(QJsonObject{{QStringLiteral("$exists"), object.value(QLatin1String("$exists"))}});
    const QJsonValue in = object.value(QLatin1String("$in"));
    if (in.isArray()) {
        const QJsonArray items = in.toArray();
        if (std::all_of(items.begin(), items.end(), [](const QJsonValue &item) { return isPrimitive(item); }))
            return QJsonValue(QJsonObject{{QStringLiteral("$in"), in}});
    }
    if (object.contains(QLatin1String("$contains"))) {
        auto contains = normalise(object.value(QLatin1String("$contains")), childPath(path, QStringLiteral("$contains")), Flavour::AnyPredicate);
        if (contains)
            return QJsonValue(QJsonObject{{QStringLiteral("$contains"), contains.value()}});
    }
    if (object.value(QLatin1String("$hasPrefix")).isString())
        return QJsonValue(QJsonObject{{QStringLiteral("$hasPrefix"), object.value(QLatin1String("$hasPrefix"))}});
    return invalid(path, QStringLiteral("expected {$exists: boolean}, {$in: [primitives]}, {$contains: predicate} or {$hasPrefix: string}"));
}

Result<QJsonValue> normalise(const QJsonValue &json, const QString &path, Flavour flavour)
{
    if (flavour == Flavour::AnyPredicate && isPrimitive(json))
        return json;
    if (!json.isObject())
        return invalid(path, QStringLiteral("expected an object"));
    const QJsonObject object = json.toObject();
    for (const char *op : {"$all", "$any", "$not"}) {
        const QString name = QString::fromLatin1(op);
        if (!object.contains(name))
            continue;
        if (object.size() != 1)
            return invalid(path, QStringLiteral("%1 must be the only key of its object").arg(name));
        const QJsonValue operand = object.value(name);
        if (name == QLatin1String("$not")) {
            auto inner = normalise(operand, childPath(path, name), flavour);
            if (!inner)
                return inner.error();
            return QJsonValue(QJsonObject{{name, inner.value()}});
        }
        if (!operand.isArray())
            return invalid(childPath(path, name), QStringLiteral("expected an array"));
        QJsonArray items;
        const QJsonArray array = operand.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            auto item = normalise(array.at(i), childPath(path, name) + QStringLiteral("[%1]").arg(i), flavour);
            if (!item)
                return item.error();
            items.append(item.value());
        }
        return QJsonValue(QJsonObject{{name, items}});
    }
    QJsonObject fields;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!isFieldKey(it.key()))
            return invalid(childPath(path, it.key()), QStringLiteral("unknown operator"));
        auto value = normaliseValue(it.value(), childPath(path, it.key()));
        if (!value)
            return value.error();
        fields.insert(it.key(), value.value());
    }
    return QJsonValue(fields);
}

// getJsonValueAtPath: a key may itself hold dots (annotation keys), so every
// key that is the path or a prefix of it is tried, in the object's order.
QJsonValue valueAtPath(const QJsonValue &value, const QString &path)
{
    if (path.isEmpty() || !value.isObject())
        return QJsonValue::Undefined;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == path)
            return it.value();
        if (path.startsWith(it.key() + QLatin1Char('.'))) {
            const QJsonValue found = valueAtPath(it.value(), path.mid(it.key().size() + 1));
            if (!found.isUndefined())
                return found;
        }
    }
    return QJsonValue::Undefined;
}

bool valuesAreEqual(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isNull() || b.isNull() || a.isUndefined() || b.isUndefined())
        return false;
    if (a.isString() && b.isString())
        return a.toString().toUpper() == b.toString().toUpper();
    if (a.isBool() && b.isBool())
        return a.toBool() == b.toBool();
    if (a.isDouble() || b.isDouble()) {
        // String(a) === String(b): JavaScript's text of each side.
        const auto text = [](const QJsonValue &v) {
            if (v.isDouble())
                return javaScriptNumber(v.toDouble());
            if (v.isString())
                return v.toString();
            if (v.isBool())
                return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
            return QStringLiteral("[object]");   // never equal to a number's text
        };
        return text(a) == text(b);
    }
    if (a.isArray() && b.isArray()) {
        const QJsonArray left = a.toArray();
        const QJsonArray right = b.toArray();
        if (left.size() != right.size())
            return false;
        for (qsizetype i = 0; i < left.size(); ++i) {
            if (!valuesAreEqual(left.at(i), right.at(i)))
                return false;
        }
        return true;
    }
    return false;
}

bool evaluate(const QJsonValue &predicate, const QJsonValue &value);

bool evaluateValue(const QJsonValue &filter, const QJsonValue &value)
{
    if (!filter.isObject())
        return valuesAreEqual(value, filter);
    const QJsonObject object = filter.toObject();
    if (object.contains(QLatin1String("$contains"))) {
        if (!value.isArray())
            return false;
        const QJsonArray items = value.toArray();
        return std::any_of(items.begin(), items.end(),
                           [&](const QJsonValue &item) { return evaluate(object.value(QLatin1String("$contains")), item); });
    }
    if (object.contains(QLatin1String("$in"))) {
        const QJsonArray options = object.value(QLatin1String("$in")).toArray();
        return std::any_of(options.begin(), options.end(), [&](const QJsonValue &option) { return valuesAreEqual(value, option); });
    }
    if (object.contains(QLatin1String("$exists")))
        return object.value(QLatin1String("$exists")).toBool() ? !value.isUndefined() : value.isUndefined();
    if (object.contains(QLatin1String("$hasPrefix")))
        return value.isString() && value.toString().toUpper().startsWith(object.value(QLatin1String("$hasPrefix")).toString().toUpper());
    return false;
}

bool evaluate(const QJsonValue &predicate, const QJsonValue &value)
{
    if (!predicate.isObject())
        return valuesAreEqual(value, predicate);
    const QJsonObject object = predicate.toObject();
    if (object.contains(QLatin1String("$all"))) {
        const QJsonArray all = object.value(QLatin1String("$all")).toArray();
        return std::all_of(all.begin(), all.end(), [&](const QJsonValue &p) { return evaluate(p, value); });
    }
    if (object.contains(QLatin1String("$any"))) {
        const QJsonArray any = object.value(QLatin1String("$any")).toArray();
        return std::any_of(any.begin(), any.end(), [&](const QJsonValue &p) { return evaluate(p, value); });
    }
    if (object.contains(QLatin1String("$not")))
        return !evaluate(object.value(QLatin1String("$not")), value);
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!evaluateValue(it.value(), valueAtPath(value, it.key())))
            return false;
    }
    return true;
}

} // namespace

Result<FilterPredicate> FilterPredicate::parse(const QJsonValue &json)
{
    auto normalised = normalise(json, {}, Flavour::Predicate);
    if (!normalised)
        return normalised.error();
    return FilterPredicate(normalised.value());
}

bool FilterPredicate::matches(const QJsonValue &value) const
{
    return evaluate(m_predicate, value);
}

} // namespace Greenroom::Model
