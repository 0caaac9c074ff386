// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entityfilter.h"

#include <QJsonObject>

#include <QJsonArray>

namespace Greenroom::Model {

Result<EntityFilter> EntityFilter::parse(const QStringList &filterParameters)
{
    EntityFilter filter;
    for (const QString &parameter : filterParameters) {
        AllOf conditions;
        for (const QString &statement : parameter.split(QLatin1Char(','))) {
            const qsizetype equals = statement.indexOf(QLatin1Char('='));
            const QString key = (equals < 0 ? statement : statement.left(equals)).trimmed().toLower();
            const bool hasValue = equals >= 0;
            const QString value = hasValue ? statement.mid(equals + 1).trimmed().toLower() : QString();
            if (key.isEmpty()) {
                if (!hasValue)
                    continue;   // an empty statement (`a=1,,b=2`) is ignored
                return Error::input(QStringLiteral("Invalid filter, '%1' is not a valid statement (expected a string on "
                                                   "the form a=b or a= or a)").arg(statement));
            }
            auto existing = std::find_if(conditions.begin(), conditions.end(),
                                         [&](const Condition &c) { return c.key == key; });
            if (existing == conditions.end()) {
                conditions.append({key, hasValue ? QStringList{value} : QStringList{}});
            } else if (hasValue && !existing->values.contains(value)) {
                // A bare `a` next to `a=b` is absorbed by it.
                existing->values.append(value);
            }
        }
        if (!conditions.isEmpty())
            filter.anyOf.append(conditions);
    }
    return filter;
}

namespace {

// {key: value} / {key: {$in: [...]}} / {key: {$exists: true}}: one condition.
std::optional<EntityFilter::Condition> asCondition(const EntityPredicate &p)
{
    if (p.type == EntityPredicate::Type::Exists)
        return EntityFilter::Condition{p.key, {}};
    if (p.type == EntityPredicate::Type::In && !p.values.isEmpty()) {
        QStringList values = p.values;
        values.removeDuplicates();
        return EntityFilter::Condition{p.key, values};
    }
    return std::nullopt;
}

// Conditions that must all hold.
std::optional<EntityFilter::AllOf> asAllOf(const EntityPredicate &p)
{
    if (std::optional<EntityFilter::Condition> single = asCondition(p))
        return EntityFilter::AllOf{*single};
    if (p.type != EntityPredicate::Type::All || p.children.empty())
        return std::nullopt;
    EntityFilter::AllOf conditions;
    for (const EntityPredicate &child : p.children) {
        std::optional<EntityFilter::Condition> c = asCondition(child);
        if (!c)
            return std::nullopt;
        conditions.append(*c);
    }
    return conditions;
}

} // namespace

EntityFilter EntityFilter::fromCatalogFilter(const QJsonValue &filter, const QStringList &defaultKinds)
{
    const auto text = [](const QJsonValue &value) {
        return value.isString() ? value.toString() : value.isDouble() ? QString::number(value.toDouble(), 'g', 15) : QString();
    };
    EntityFilter result;
    const QJsonArray alternatives = filter.isArray() ? filter.toArray() : filter.isObject() ? QJsonArray{filter} : QJsonArray();
    for (const QJsonValue &alternative : alternatives) {
        AllOf all;
        const QJsonObject conditions = alternative.toObject();
        for (auto it = conditions.begin(); it != conditions.end(); ++it) {
            QStringList values;
            const QJsonArray list = it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
            for (const QJsonValue &value : list) {
                if (value.isObject())
                    continue;   // {exists: true}: a condition with no values
                values.append(text(value).toLower());
            }
            all.append({it.key().toLower(), values});
        }
        result.anyOf.append(all);
    }
    if (result.anyOf.isEmpty() && !defaultKinds.isEmpty()) {
        QStringList kinds;
        for (const QString &kind : defaultKinds)
            kinds.append(kind.toLower());
        result.anyOf.append({{QStringLiteral("kind"), kinds}});
    }
    return result;
}

EntityFilter EntityFilter::fromPredicate(const EntityPredicate &predicate)
{
    EntityFilter filter;
    if (predicate.type == EntityPredicate::Type::All && predicate.children.empty())
        return filter;   // {} and {"$all": []} match everything
    if (std::optional<AllOf> all = asAllOf(predicate)) {
        filter.anyOf.append(*all);
        return filter;
    }
    if (predicate.type == EntityPredicate::Type::Any && !predicate.children.empty()) {
        for (const EntityPredicate &child : predicate.children) {
            std::optional<AllOf> all = asAllOf(child);
            if (!all) {
                filter.anyOf.clear();
                break;
            }
            filter.anyOf.append(*all);
        }
        if (!filter.anyOf.isEmpty())
            return filter;
    }
    filter.predicates.push_back(predicate);
    return filter;
}

EntityFilter EntityFilter::intersectedWith(const EntityFilter &other) const
{
    EntityFilter result;
    if (anyOf.isEmpty()) {
        result.anyOf = other.anyOf;
    } else if (other.anyOf.isEmpty()) {
        result.anyOf = anyOf;
    } else {
        for (const AllOf &a : anyOf) {
            for (const AllOf &b : other.anyOf)
                result.anyOf.append(a + b);
        }
    }
    result.predicates = predicates;
    result.predicates.insert(result.predicates.end(), other.predicates.begin(), other.predicates.end());
    return result;
}

} // namespace Greenroom::Model
