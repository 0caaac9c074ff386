// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <vector>

namespace Greenroom::Model {

/*
 * Backstage's filter predicate (@backstage/filter-predicates), the `query` of
 * POST /entities/by-query, POST /entity-facets and POST /entities/by-refs:
 * `{"$all": [...]}`, `{"$any": [...]}`, `{"$not": P}` or a map of field keys
 * to a value, `{"$exists": bool}`, `{"$in": [...]}`, `{"$hasPrefix": "..."}`
 * or `{"$contains": X}`. Parsed into a tree whose leaves are conditions on the
 * catalog's flattened search keys; keys and values are kept lower-cased
 * because matching is case-insensitive, as upstream's search table is.
 */
struct EntityPredicate
{
    enum class Type {
        All,        // every child holds ($all, a field map); none: true
        Any,        // one child holds ($any); none: false
        Not,        // the one child does not hold
        Exists,     // `key` has a value
        Missing,    // `key` has no value ({"$exists": false})
        In,         // a value of `key` equals one of `values` (primitives, $in, $contains)
        HasPrefix,  // a value of `key` starts with values[0]
    };

    Type type = Type::All;
    std::vector<EntityPredicate> children;
    QString key;          // lower case
    QStringList values;   // lower case

    // Validates and converts a predicate as upstream's schema and query
    // builder accept it; errors are InputErrors worded like upstream's.
    static Result<EntityPredicate> fromJson(const QJsonValue &json);
    // The predicate form upstream writes into cursors for `filter=` parameters:
    // a=x -> {"a":"x"}, a -> {"a":{"$exists":true}}, several -> $all/$any.
    // Keys and values keep the spelling the client sent.
    static QJsonValue filterParametersToJson(const QStringList &filterParameters);
};

} // namespace Greenroom::Model
