// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "storetypes.h"

#include <common/error.h>
#include <common/result.h>
#include <model/entityfilter.h>

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// What the SQLite and PostgreSQL stores build their SQL and answers from
// alike: both write `?` placeholders and keep the same tables' meaning.
namespace Greenroom::Store::Internal {

// "?,?,?" for an IN list of n values.
QString placeholders(qsizetype n);
// A literal substring as a LIKE pattern (lower-cased; ESCAPE '\').
QString likeEscaped(const QString &term);
QString likePattern(const QString &term);
// Removes a `kind=<one value>` condition from a single-group filter and
// returns the kind (such filters use the entities' kind column).
QString takeSingleKind(Model::EntityFilter &filter);
// The kinds a group's `kind` conditions allow together (each narrows the
// others); nullopt when it has none, empty when they exclude each other.
std::optional<QStringList> kindsOf(const Model::EntityFilter::AllOf &group);
// The warning a location gets for a ref another one (or it, twice) emits.
ProcessingErrorRecord conflictRecord(const QString &origin, const QString &locationKey, const QString &ref,
                                     const QString &message);
// What a failed read emitted before stays, down the whole subtree: `kept`
// grows by every entity of `existing` (ref -> row with a parentRef) not
// written again whose parent is kept.
template<typename Row>
void keepSubtrees(const QHash<QString, Row> &existing, const QSet<QString> &written, QSet<QString> &kept)
{
    for (bool grew = true; grew;) {
        grew = false;
        for (auto it = existing.cbegin(); it != existing.cend(); ++it) {
            if (!written.contains(it.key()) && !kept.contains(it.key()) && kept.contains(it->parentRef)) {
                kept.insert(it.key());
                grew = true;
            }
        }
    }
}
// What tells a written entity's body from its last version, and its kind
// and name (lower case), worked out on every core: serialising and hashing
// is most of the cost of telling unchanged entities apart.
struct EntityDigest
{
    QByteArray hash;
    QString kind;
    QString name;
};
QList<EntityDigest> digestsOf(const QList<EntityWrite> &entities);

// What a write replaces, key by key: the whole origin (one null key), or
// each of its onlyLocationKeys. Statements on the origin's rows take
// scopeClause after "origin_key = ?", and scopeParams for each key.
inline QStringList scopesOf(const LocationWrite &write)
{
    return write.onlyLocationKeys.isEmpty() ? QStringList{QString()}
                                            : QStringList(write.onlyLocationKeys.cbegin(), write.onlyLocationKeys.cend());
}
inline QString scopeClause(const LocationWrite &write)
{
    return write.onlyLocationKeys.isEmpty() ? QString() : QStringLiteral(" AND location_key = ?");
}
inline QVariantList scopeParams(const LocationWrite &write, const QString &scope)
{
    return scope.isNull() ? QVariantList{write.originKey} : QVariantList{write.originKey, scope};
}

// How one entity of a location's write stands against what is stored, as
// both stores judge it in ref order: a second document with a ref (the first
// wins), unchanged (same body, parent and location), changed, a ref another
// origin owns (first writer wins, Backstage 6.4), or new. Conflicts go to
// `report` with Backstage's texts, and unchanged, changed and new are counted.
enum class EntityVerdict { Duplicate, Unchanged, Changed, OwnedElsewhere, New };
template<typename Row>
EntityVerdict judgeEntity(const EntityWrite &w, const QByteArray &hash, const QString &originKey, const QHash<QString, Row> &existing,
                          QSet<QString> &seen, const std::function<std::optional<QString>(const QString &ref)> &ownerLocation,
                          WriteReport &report)
{
    if (seen.contains(w.ref)) {
        report.conflicts.append(conflictRecord(originKey, w.locationKey, w.ref,
                                               QStringLiteral("Detected conflicting entityRef %1 already referenced by an earlier document "
                                                              "of the same location and now also %2").arg(w.ref, w.locationKey)));
        return EntityVerdict::Duplicate;
    }
    seen.insert(w.ref);
    if (const auto it = existing.constFind(w.ref); it != existing.cend()) {
        if (it->bodyHash == hash && it->parentRef == w.parentRef && it->locationKey == w.locationKey) {
            ++report.unchanged;
            return EntityVerdict::Unchanged;
        }
        ++report.updated;
        return EntityVerdict::Changed;
    }
    if (const std::optional<QString> other = ownerLocation(w.ref)) {
        report.conflicts.append(conflictRecord(originKey, w.locationKey, w.ref,
                                               QStringLiteral("Detected conflicting entityRef %1 already referenced by %2 and now also %3")
                                                   .arg(w.ref, *other, w.locationKey)));
        return EntityVerdict::OwnedElsewhere;
    }
    ++report.inserted;
    return EntityVerdict::New;
}
// Keeps a written entity's body for stitching: its JSON, or the object and key order.
template<typename State>
void keepBodyFor(State &state, const EntityWrite &w)
{
    if (!w.json.isEmpty()) {
        state.bodyJson.insert(w.ref, w.json);
    } else {
        state.bodies.insert(w.ref, w.entity);
        state.orders.insert(w.ref, w.keyOrder);
    }
}
// catalog.orphanStrategy keep: the body of an entity its origin no longer
// emits, annotated backstage.io/orphan; nullopt when it is marked already.
std::optional<QJsonObject> orphanedBody(const QByteArray &finalJson);
// POST /locations for a type and target registered already.
Error locationConflict(const QString &type, const QString &target);

// A WHERE fragment with its parameters.
struct SqlCondition
{
    QString sql;
    QVariantList params;
    // Some group is tested row by row (no short list of ids to start from):
    // a page is read by walking the order and probing each row.
    bool probesRows = false;
    void andWith(const QString &fragment, const QVariantList &fragmentParams);
};

// How a store tests one search key of entity `e` in a subquery on `search`:
// the fragment ("key_id = ?" or "key = ?") and its parameters, or nullopt
// when no entity has the key (the SQLite store knows its keys).
using SearchKeyTest = std::function<Result<std::optional<SqlCondition>>(const QString &key)>;
// Nested predicates as EXISTS probes per entity, as upstream's query builder
// compiles them (they are rare enough not to need a planner); the same SQL
// on both stores, TRUE and FALSE included.
Result<SqlCondition> predicateCondition(const Model::EntityPredicate &predicate, const SearchKeyTest &keyTest);

} // namespace Greenroom::Store::Internal
