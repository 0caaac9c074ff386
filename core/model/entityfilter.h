// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "entitypredicate.h"

#include <common/result.h>

#include <QList>
#include <QString>
#include <QStringList>

namespace Greenroom::Model {

/*
 * A catalog filter in Backstage's semantics: any one of `anyOf` must match
 * (separate `filter=` parameters are OR-ed); within it every condition must
 * hold (statements are AND-ed). A condition with no values means "the key
 * exists"; several values mean "equals one of them" (same-key statements are
 * OR-ed). Keys and values are compared case-insensitively, so they are kept
 * lower-cased here.
 */
struct EntityFilter
{
    struct Condition
    {
        QString key;
        QStringList values;   // lower case; empty = key exists
        friend bool operator==(const Condition &, const Condition &) = default;
    };
    using AllOf = QList<Condition>;

    QList<AllOf> anyOf;   // empty = no condition from here, everything matches
    std::vector<EntityPredicate> predicates;

    bool isEmpty() const { return anyOf.isEmpty() && predicates.empty(); }
    // Parses the values of repeated `filter=` query parameters (already percent-decoded).
    static Result<EntityFilter> parse(const QStringList &filterParameters);
    // A predicate as a filter: in `anyOf` when it has that shape (so stores
    // can plan it like a `filter=` parameter), else in `predicates`.
    static EntityFilter fromPredicate(const EntityPredicate &predicate);
    // A template field's `ui:options.catalogFilter` (an object, or a list of
    // them OR-ed; `{exists: true}` asks only that the key be there), as
    // Backstage's EntityPicker hands it to the catalog. With no filter, the
    // entities of `defaultKinds` (the picker's allowedKinds), or everything.
    static EntityFilter fromCatalogFilter(const QJsonValue &filter, const QStringList &defaultKinds = {});
    // The same conditions AND-ed with `other` (used for by-refs filters and permissions).
    EntityFilter intersectedWith(const EntityFilter &other) const;
};

} // namespace Greenroom::Model
