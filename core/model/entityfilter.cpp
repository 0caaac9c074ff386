// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entityfilter.h"

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

EntityFilter EntityFilter::intersectedWith(const EntityFilter &other) const
{
    if (isEmpty())
        return other;
    if (other.isEmpty())
        return *this;
    EntityFilter result;
    for (const AllOf &a : anyOf) {
        for (const AllOf &b : other.anyOf)
            result.anyOf.append(a + b);
    }
    return result;
}

} // namespace Greenroom::Model
