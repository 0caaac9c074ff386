// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <model/locationref.h>

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Greenroom::Ingest {

/*
 * `catalog.rules`: which kinds a registered location may bring in. An entity
 * is allowed when any rule matches both its origin location and its kind
 * (and spec.type, when the rule names one). Without configuration only
 * Component, API and Location are allowed, as in Backstage.
 */
class CatalogRules
{
public:
    struct Allow
    {
        QString kind;       // compared case-insensitively
        QString specType;   // empty: any
    };
    struct LocationMatch
    {
        QString type;
        QString exact;      // target equals this, or
        QString pattern;    // target matches this glob (case-insensitive, dots included)
    };
    struct Rule
    {
        QList<Allow> allow;
        QList<LocationMatch> locations;   // empty: every location
    };

    static CatalogRules defaults();
    static CatalogRules allowAll();
    // Parses the `catalog.rules` config value (an array of rules).
    static Result<CatalogRules> fromConfig(const QJsonValue &rules);

    void addRule(const Rule &rule) { m_rules.append(rule); }
    // A `catalog.locations[]` entry's own `rules`: added to these, each scoped
    // to exactly that location (upstream adds them, despite its schema saying
    // "override"). Undefined or null adds nothing.
    Status addLocationRules(const QJsonValue &rules, const Model::LocationRef &location);
    bool isAllowed(const QJsonObject &entity, const Model::LocationRef &origin) const;

private:
    QList<Rule> m_rules;
    bool m_allowAll = false;
};

} // namespace Greenroom::Ingest
