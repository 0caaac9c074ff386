// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogrules.h"

#include <common/glob.h>

#include <QJsonArray>

namespace Greenroom::Ingest {

CatalogRules CatalogRules::defaults()
{
    CatalogRules rules;
    rules.addRule({{{QStringLiteral("Component"), {}}, {QStringLiteral("API"), {}}, {QStringLiteral("Location"), {}}}, {}});
    return rules;
}

CatalogRules CatalogRules::allowAll()
{
    CatalogRules rules;
    rules.m_allowAll = true;
    return rules;
}

Result<CatalogRules> CatalogRules::fromConfig(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return defaults();
    if (!value.isArray())
        return Error::input(QStringLiteral("catalog.rules must be a list of rules"));
    CatalogRules rules;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = QStringLiteral("catalog.rules[%1]").arg(i);
        const QJsonObject object = array.at(i).toObject();
        Rule rule;
        for (const QJsonValue &allow : object.value(QLatin1String("allow")).toArray()) {
            if (allow.isString())
                rule.allow.append({allow.toString(), {}});
            else if (allow.isObject())
                rule.allow.append({allow[QLatin1String("kind")].toString(), allow[QLatin1String("spec.type")].toString()});
            else
                return Error::input(at + QStringLiteral(".allow must hold kind names or {kind, spec.type} objects"));
        }
        for (const QJsonValue &location : object.value(QLatin1String("locations")).toArray()) {
            LocationMatch match{location[QLatin1String("type")].toString(), location[QLatin1String("exact")].toString(),
                                location[QLatin1String("pattern")].toString()};
            if (!match.exact.isEmpty() && !match.pattern.isEmpty())
                return Error::input(at + QStringLiteral(".locations cannot have both exact and pattern"));
            rule.locations.append(match);
        }
        rules.addRule(rule);
    }
    return rules;
}

Status CatalogRules::addLocationRules(const QJsonValue &rules, const Model::LocationRef &location)
{
    if (rules.isUndefined() || rules.isNull())
        return Ok{};
    auto parsed = fromConfig(rules);
    if (!parsed)
        return parsed.error();
    for (Rule rule : std::as_const(parsed->m_rules)) {
        rule.locations = {{location.type, location.target, QString()}};
        addRule(rule);
    }
    return Ok{};
}

bool CatalogRules::isAllowed(const QJsonObject &entity, const Model::LocationRef &origin) const
{
    if (m_allowAll)
        return true;
    const QString kind = entity.value(QLatin1String("kind")).toString();
    const QString specType = entity.value(QLatin1String("spec"))[QLatin1String("type")].toString();
    for (const Rule &rule : m_rules) {
        const bool locationMatches = rule.locations.isEmpty()
            || std::any_of(rule.locations.cbegin(), rule.locations.cend(), [&](const LocationMatch &m) {
                   if (m.type != origin.type)
                       return false;
                   if (!m.exact.isEmpty())
                       return m.exact == origin.target;
                   if (!m.pattern.isEmpty())
                       return Glob::globToRegularExpression(m.pattern, Qt::CaseInsensitive).match(origin.target).hasMatch();
                   return true;
               });
        if (!locationMatches)
            continue;
        for (const Allow &allow : rule.allow) {
            if (allow.kind.compare(kind, Qt::CaseInsensitive) == 0
                && (allow.specType.isEmpty() || allow.specType.compare(specType, Qt::CaseInsensitive) == 0))
                return true;
        }
    }
    return false;
}

} // namespace Greenroom::Ingest
