// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonObject>
#include <QJsonValue>

namespace Greenroom::Model {

/*
 * A filter predicate evaluated on one entity's JSON, as Backstage's frontend
 * evaluates entity cards' and tabs' `filter` (@backstage/filter-predicates:
 * parseFilterPredicate, then evaluateFilterPredicate). The same operators as
 * EntityPredicate ($all, $any, $not, field maps with $exists, $in,
 * $contains, $hasPrefix), but with the frontend's meaning: field keys are
 * paths into the entity as written (dotted annotation keys included,
 * case-sensitive), values compare case-insensitively, a number equals its
 * text, and arrays match only through $contains. The catalog's by-query
 * matches its flattened search keys instead (EntityPredicate).
 */
class FilterPredicate
{
public:
    // Everything (the empty field map).
    FilterPredicate() = default;
    // Checks `json` against upstream's schema; the error names where it is wrong.
    static Result<FilterPredicate> parse(const QJsonValue &json);

    bool matches(const QJsonValue &value) const;

private:
    explicit FilterPredicate(QJsonValue predicate) : m_predicate(std::move(predicate)) {}
    QJsonValue m_predicate = QJsonObject();   // as upstream's schema leaves it (value operators reduced to the one it took)
};

} // namespace Greenroom::Model
