// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Reading: filters and predicates as SQL, entity pages, facets, search,
// the change feed and the store's counters.
#include "sqlitecatalogstore.h"

#include "sqlitecatalogstore_p.h"
#include "listing_p.h"

namespace Greenroom::Store {

using namespace Internal;

namespace {

void bindAll(Statement &statement, const QVariantList &params, int first = 1)
{
    for (qsizetype i = 0; i < params.size(); ++i)
        statement.bindVariant(first + int(i), params.at(i));
}

} // namespace

qint64 SqliteCatalogStorePrivate::currentSequence()
{
    // The AUTOINCREMENT counter, not max(sequence): pruned tombstones may
    // have held the highest numbers.
    auto sequence = queryInteger(QStringLiteral("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)"));
    return sequence ? sequence.value() : 0;
}

Result<qint64> SqliteCatalogStorePrivate::countMatches(qint64 keyId, const QStringList &values, qint64 cap)
{
    // Planning a page asks this each time (a client paging under a
    // permission asks it per page); the answer holds until the next change.
    QString cacheKey = QStringLiteral("matches:%1:%2").arg(keyId).arg(cap);
    for (const QString &value : values)
        cacheKey += QChar(0) + value;
    const qint64 sequence = currentSequence();
    if (const auto cached = counts.constFind(cacheKey); cached != counts.cend() && cached->sequence == sequence)
        return cached->count;
    QString sql = QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM search WHERE key_id = ?");
    if (!values.isEmpty())
        sql += QStringLiteral(" AND value IN (%1)").arg(placeholders(values.size()));
    sql += QStringLiteral(" LIMIT %1)").arg(cap);
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.error();
    stmt.value()->bind(1, keyId);
    for (qsizetype i = 0; i < values.size(); ++i)
        stmt.value()->bind(int(i) + 2, values.at(i));
    stmt.value()->next();
    const qint64 count = stmt.value()->integer(0);
    stmt.value()->reset();
    counts.insert(cacheKey, {sequence, count});
    return count;
}

Result<SqlCondition> SqliteCatalogStorePrivate::filterCondition(const Model::EntityFilter &filter, FilterPlan plan)
{
    // Below this many matches a condition is cheapest as a list of ids.
    constexpr qint64 SmallList = 2000;
    SqlCondition condition;
    QStringList groups;
    for (const Model::EntityFilter::AllOf &allOf : filter.anyOf) {
        struct Resolved
        {
            qint64 keyId;
            QStringList values;
            qint64 estimate;
        };
        QList<Resolved> resolved;
        bool impossible = false;
        // `kind` has one value per entity, kept in a column of its own: its
        // conditions are checked there (no search rows), and several of them
        // (a request's and a permission's) narrow each other, so that a
        // group asking for two different kinds is known to match nothing.
        const std::optional<QStringList> kinds = kindsOf(allOf);
        if (kinds && kinds->isEmpty()) {
            groups.append(QStringLiteral("0"));
            continue;
        }
        for (const Model::EntityFilter::Condition &c : allOf) {
            if (c.key == QLatin1String("kind"))
                continue;   // the column, above; `kind` with no value holds for every entity
            auto id = keyId(c.key, false);
            if (!id)
                return id.error();
            if (id.value() < 0) {
                impossible = true;   // no entity has this key
                break;
            }
            resolved.append({id.value(), c.values, 0});
        }
        if (impossible) {
            groups.append(QStringLiteral("0"));
            continue;
        }
        qsizetype listIndex = -1;
        if (plan == FilterPlan::Lists) {
            listIndex = -2;   // every condition
        } else if (plan == FilterPlan::Cheapest) {
            qint64 best = SmallList + 1;
            for (qsizetype i = 0; i < resolved.size(); ++i) {
                auto estimate = countMatches(resolved[i].keyId, resolved[i].values, SmallList + 1);
                if (!estimate)
                    return estimate.error();
                if (estimate.value() < best) {
                    best = estimate.value();
                    listIndex = i;
                }
            }
        }
        if (listIndex == -1)
            condition.probesRows = true;
        QStringList parts;
        if (kinds) {
            // Walking a page in order, the kind is checked on each row: the
            // unary + keeps SQLite from reading every entity of the kind
            // through its index and sorting them all for one page.
            parts.append(QStringLiteral("%1e.kind IN (%2)").arg(plan == FilterPlan::Lists ? QString() : QStringLiteral("+"),
                                                               placeholders(kinds->size())));
            for (const QString &kind : std::as_const(*kinds))
                condition.params.append(kind);
        }
        for (qsizetype i = 0; i < resolved.size(); ++i) {
            const Resolved &r = resolved.at(i);
            const QString values = r.values.isEmpty() ? QString()
                                                      : QStringLiteral(" AND value IN (%1)").arg(placeholders(r.values.size()));
            if (listIndex == -2 || listIndex == i)
                parts.append(QStringLiteral("e.id IN (SELECT entity_id FROM search WHERE key_id = ?%1)").arg(values));
            else
                parts.append(QStringLiteral("EXISTS (SELECT 1 FROM search WHERE entity_id = e.id AND key_id = ?%1)").arg(values));
            condition.params.append(r.keyId);
            for (const QString &value : r.values)
                condition.params.append(value);
        }
        groups.append(parts.isEmpty() ? QStringLiteral("1") : QLatin1Char('(') + parts.join(QStringLiteral(" AND ")) + QLatin1Char(')'));
    }
    // Groups that match nothing only cost time beside others that may.
    if (groups.size() > 1 && groups.contains(QStringLiteral("0"))) {
        groups.removeAll(QStringLiteral("0"));
        if (groups.isEmpty())
            groups.append(QStringLiteral("0"));
    }
    condition.sql = groups.join(QStringLiteral(" OR "));
    for (const Model::EntityPredicate &predicate : filter.predicates) {
        auto clause = Internal::predicateCondition(predicate, [this](const QString &key) -> Result<std::optional<SqlCondition>> {
            auto id = keyId(key, false);
            if (!id)
                return id.error();
            if (id.value() < 0)
                return std::optional<SqlCondition>();
            return std::optional<SqlCondition>(SqlCondition{QStringLiteral("key_id = ?"), {id.value()}});
        });
        if (!clause)
            return clause.error();
        condition.andWith(clause->sql, clause->params);
    }
    return condition;
}

Result<QList<std::optional<StoredEntity>>> SqliteCatalogStore::entitiesByRefs(const QStringList &refs,
                                                                              const Model::EntityFilter &filter)
{
    d->trimCaches();
    auto condition = d->filterCondition(filter, SqliteCatalogStorePrivate::FilterPlan::Probes);
    if (!condition)
        return condition.error();
    QString sql = QStringLiteral("SELECT " ENTITY_COLUMNS " FROM entities e WHERE e.ref = ?");
    if (!condition->sql.isEmpty())
        sql += QStringLiteral(" AND (%1)").arg(condition->sql);
    auto stmt = d->prepare(sql);
    if (!stmt)
        return stmt.error();
    QList<std::optional<StoredEntity>> result;
    result.reserve(refs.size());
    for (const QString &ref : refs) {
        Statement &s = *stmt.value();
        s.bind(1, ref);
        bindAll(s, condition->params, 2);
        if (s.next())
            result.append(SqliteCatalogStorePrivate::entityFromRow(s));
        else
            result.append(std::nullopt);
        s.reset();
    }
    return result;
}

Result<EntityPage> SqliteCatalogStore::queryEntities(const EntityQuery &query)
{
    using Plan = SqliteCatalogStorePrivate::FilterPlan;
    d->trimCaches();
    const bool ordered = !query.order.isEmpty();
    const bool paged = query.limit >= 0;

    // Full-text filter: a substring of any listed field.
    SqlCondition fullText;
    const QString term = query.fullText.term.trimmed();
    if (!term.isEmpty()) {
        QStringList fields = query.fullText.fields;
        if (fields.isEmpty())
            fields.append(ordered ? query.order.first().field : QStringLiteral("metadata.uid"));
        QVariantList params;
        for (const QString &field : fields) {
            auto id = d->keyId(field.toLower(), false);
            if (!id)
                return id.error();
            params.append(id.value());
        }
        params.append(likePattern(term));
        fullText.andWith(QStringLiteral("EXISTS (SELECT 1 FROM search WHERE entity_id = e.id AND key_id IN (%1) "
                                        "AND value LIKE ? ESCAPE '\\')").arg(placeholders(fields.size())),
                         params);
    }

    // Listing one kind by name (what every catalog table does) walks the
    // entities_kind_name index directly; the keyset and tie-break are the same
    // as the generic path's: (lower-cased name, uid).
    Model::EntityFilter filter = query.filter;
    QString kindByName;
    if (query.order.size() == 1 && query.order.first().field.compare(QLatin1String("metadata.name"), Qt::CaseInsensitive) == 0)
        kindByName = takeSingleKind(filter);

    // Ordering joins one search row (the key's first) per order field. Paging
    // backwards walks the same order reversed and flips the page afterwards.
    const bool descending = ordered && query.order.first().descending;
    const bool reverse = query.backwards;
    const auto direction = [&](bool desc) { return (desc != reverse) ? QStringLiteral("DESC") : QStringLiteral("ASC"); };
    QString joins;
    QVariantList joinParams;
    QStringList orderTerms;
    for (qsizetype i = 0; i < query.order.size() && kindByName.isEmpty(); ++i) {
        const bool inner = i == 0 && !query.keepEntitiesWithoutOrderValue;
        auto id = d->keyId(query.order.at(i).field.toLower(), false);
        if (!id)
            return id.error();
        joins += QStringLiteral(" %1 JOIN search o%2 ON o%2.entity_id = e.id AND o%2.key_id = ? AND o%2.first = 1 "
                                "AND o%2.value IS NOT NULL")
                     .arg(inner ? QString() : QStringLiteral("LEFT")).arg(i);
        joinParams.append(id.value());
        if (!inner)
            orderTerms.append(QStringLiteral("o%1.value IS NULL %2").arg(i).arg(direction(false)));
        orderTerms.append(QStringLiteral("o%1.value %2").arg(i).arg(direction(query.order.at(i).descending)));
    }
    if (!kindByName.isEmpty())
        orderTerms.append(QStringLiteral("e.name ") + direction(descending));
    // Ties (and unordered queries) go by uid, as upstream's go by entity id.
    orderTerms.append(QStringLiteral("e.uid ") + direction(ordered && query.tieBreakFollowsOrder && descending));
    const QString sortColumn = kindByName.isEmpty() ? QStringLiteral("o0.value") : QStringLiteral("e.name");

    EntityPage page;
    if (query.countTotal) {
        auto lists = d->filterCondition(query.filter, Plan::Lists);
        if (!lists)
            return lists.error();
        SqlCondition where = lists.value();
        where.andWith(fullText.sql, fullText.params);
        if (where.sql.isEmpty())
            where.sql = QStringLiteral("1");
        QString countSql = QStringLiteral("SELECT count(*) FROM entities e") + (ordered ? joins : QString())
                           + QStringLiteral(" WHERE ") + where.sql;
        const QVariantList params = (ordered ? joinParams : QVariantList()) + where.params;
        // Counting a large result costs more than the page itself; the answer
        // holds until the next change.
        QString cacheKey = countSql;
        for (const QVariant &p : params)
            cacheKey += QChar(0) + p.toString();
        const qint64 sequence = d->currentSequence();
        const auto cached = d->counts.constFind(cacheKey);
        if (cached != d->counts.cend() && cached->sequence == sequence) {
            page.totalItems = cached->count;
        } else {
            auto count = d->prepare(countSql);
            if (!count)
                return count.error();
            bindAll(*count.value(), params);
            count.value()->next();
            page.totalItems = count.value()->integer(0);
            count.value()->reset();
            d->counts.insert(cacheKey, {sequence, page.totalItems});
        }
    }

    // A page walks the order index and probes each candidate, unless a
    // condition matches so few entities that starting from them is cheaper.
    auto where = d->filterCondition(filter, kindByName.isEmpty() ? (paged ? Plan::Cheapest : Plan::Lists) : Plan::Probes);
    if (!where)
        return where.error();
    SqlCondition keyset = where.value();
    if (!kindByName.isEmpty())
        keyset.andWith(QStringLiteral("e.kind = ?"), {kindByName});
    keyset.andWith(fullText.sql, fullText.params);
    if (!query.after.isEmpty()) {
        const QString op = (descending == reverse) ? QStringLiteral(">") : QStringLiteral("<");
        if (ordered && query.after.size() == 2)
            keyset.andWith(QStringLiteral("(%1, e.uid) %2 (?, ?)").arg(sortColumn, op), {query.after.at(0), query.after.at(1)});
        else
            keyset.andWith(QStringLiteral("e.uid %1 ?").arg(op), {query.after.first()});
    }
    // Walking uid order and testing each row: the index that also holds the
    // kind, so rows that fail are skipped without reading them (SQLite's
    // planner takes uid's own index, which cannot tell).
    const bool walkWithKinds = paged && !ordered && kindByName.isEmpty() && where->probesRows && !where->sql.isEmpty();
    QString sql = QStringLiteral("SELECT " ENTITY_COLUMNS "%1 FROM entities e%2")
                      .arg(ordered ? QStringLiteral(", ") + sortColumn : QString(),
                           walkWithKinds ? QStringLiteral(" INDEXED BY entities_uid_kind") : QString()) + joins;
    if (!keyset.sql.isEmpty())
        sql += QStringLiteral(" WHERE ") + keyset.sql;
    sql += QStringLiteral(" ORDER BY ") + orderTerms.join(QStringLiteral(", "));
    if (paged)
        sql += QStringLiteral(" LIMIT %1").arg(query.limit + 1);
    else if (query.offset > 0)
        sql += QStringLiteral(" LIMIT -1");
    if (query.offset > 0 && query.after.isEmpty())
        sql += QStringLiteral(" OFFSET %1").arg(query.offset);

    auto stmt = d->prepare(sql);
    if (!stmt)
        return stmt.error();
    Statement &s = *stmt.value();
    bindAll(s, joinParams + keyset.params);
    QList<QStringList> keys;
    while (s.next()) {
        if (paged && page.items.size() == query.limit) {
            page.hasMore = true;
            break;
        }
        StoredEntity entity = SqliteCatalogStorePrivate::entityFromRow(s, query.rawJson);
        keys.append(ordered ? QStringList{s.text(8), entity.uid} : QStringList{entity.uid});
        page.items.append(std::move(entity));
    }
    s.reset();
    if (reverse) {
        std::reverse(page.items.begin(), page.items.end());
        std::reverse(keys.begin(), keys.end());
    }
    if (!keys.isEmpty()) {
        page.firstKey = keys.first();
        page.lastKey = keys.last();
    }
    return page;
}

Result<Facets> SqliteCatalogStore::facets(const QStringList &facetKeys, const Model::EntityFilter &filter)
{
    d->trimCaches();
    Facets result;
    // A single-kind filter uses the kind column instead of a list of ids.
    Model::EntityFilter rest = filter;
    const QString kind = takeSingleKind(rest);
    auto lists = d->filterCondition(rest, SqliteCatalogStorePrivate::FilterPlan::Lists);
    if (!lists)
        return lists.error();
    SqlCondition where = lists.value();
    if (!kind.isEmpty())
        where.andWith(QStringLiteral("e.kind = ?"), {kind});
    for (const QString &facet : facetKeys) {
        QList<FacetCount> counts;
        auto id = d->keyId(facet.toLower(), false);
        if (!id)
            return id.error();
        if (id.value() >= 0) {
            auto counted = d->isFacetCounted(id.value());
            if (!counted)
                return counted.error();
            // Counters answer an unfiltered or kind-only facet; anything else
            // (or an uncounted key) is counted from the search rows.
            QString sql;
            QVariantList params;
            if (counted.value() && filter.isEmpty()) {
                sql = QStringLiteral("SELECT value, sum(count) FROM facet_counts WHERE key_id = ? GROUP BY value ORDER BY value");
            } else if (counted.value() && rest.isEmpty()) {
                sql = QStringLiteral("SELECT value, count FROM facet_counts WHERE key_id = ? AND kind = ? ORDER BY value");
                params = {kind};
            } else if (where.sql.isEmpty()) {
                sql = QStringLiteral("SELECT coalesce(original_value, value) AS v, count(*) FROM search "
                                     "WHERE key_id = ? AND value IS NOT NULL GROUP BY v ORDER BY v");
            } else {
                sql = QStringLiteral("SELECT coalesce(s.original_value, s.value) AS v, count(*) FROM search s "
                                     "JOIN entities e ON e.id = s.entity_id WHERE s.key_id = ? AND s.value IS NOT NULL "
                                     "AND (%1) GROUP BY v ORDER BY v").arg(where.sql);
                params = where.params;
            }
            auto stmt = d->prepare(sql);
            if (!stmt)
                return stmt.error();
            Statement &s = *stmt.value();
            s.bind(1, id.value());
            bindAll(s, params, 2);
            while (s.next())
                counts.append({s.text(0), s.integer(1)});
            s.reset();
        }
        result.append({facet, counts});
    }
    return result;
}

namespace {

// A reader's scope over change rows (c) joined with their entities (e): the
// entity of a docs row is the one its ref names after the prefix; deleted
// entity rows join none.
const QString IsDocsRow = QStringLiteral("substr(c.ref, 1, %1) = '%2'").arg(DocsChangePrefix.size()).arg(DocsChangePrefix);
const QString ScopedJoin = QStringLiteral("LEFT JOIN entities e ON (c.deleted = 0 OR %1) AND e.ref = "
                                          "CASE WHEN %1 THEN substr(c.ref, %2) ELSE c.ref END")
                               .arg(IsDocsRow).arg(DocsChangePrefix.size() + 1);

struct ScopedRows
{
    QString visible;       // SQL: the row's entity is one the reader may read
    QString wanted;        // SQL: the row is sent at all
    QVariantList params;   // of the scope's condition, which each of them holds once
};

Result<ScopedRows> scopedRows(SqliteCatalogStorePrivate &d, const FeedReader &reader)
{
    // Lists: each condition's matching ids are gathered once per page, then
    // every change row is checked against them.
    auto condition = d.filterCondition(*reader.readable, SqliteCatalogStorePrivate::FilterPlan::Lists);
    if (!condition)
        return condition.error();
    ScopedRows rows;
    rows.visible = QStringLiteral("(e.id IS NOT NULL AND (%1))").arg(condition->sql.isEmpty() ? QStringLiteral("1") : condition->sql);
    rows.params = condition->params;
    // From the start: only what may be read. Later: everything but docs
    // changes of entities that may not be read (those go with the entity).
    rows.wanted = reader.fromStart ? rows.visible : QStringLiteral("(NOT %1 OR %2)").arg(IsDocsRow, rows.visible);
    return rows;
}

} // namespace

Result<QList<Change>> SqliteCatalogStore::readChanges(qint64 afterSequence, int limit, bool withEntities, const FeedReader &reader)
{
    QList<Change> changes;
    QString sql;
    QVariantList params;
    if (reader.readable) {
        auto rows = scopedRows(*d, reader);
        if (!rows)
            return rows.error();
        sql = QStringLiteral("SELECT c.sequence, c.ref, c.uid, c.deleted, c.etag, %1, %2 FROM changes c %3 "
                             "WHERE c.sequence > ? AND %4 ORDER BY c.sequence LIMIT ?")
                  .arg(withEntities ? QStringLiteral("e.final") : QStringLiteral("NULL"), rows->visible, ScopedJoin, rows->wanted);
        params = rows->params;
        params << afterSequence;
        params += rows->params;
        params << qint64(limit);
        d->trimCaches();
    } else {
        sql = withEntities ? QStringLiteral("SELECT c.sequence, c.ref, c.uid, c.deleted, c.etag, e.final, 1 FROM changes c "
                                            "LEFT JOIN entities e ON e.ref = c.ref AND c.deleted = 0 "
                                            "WHERE c.sequence > ? ORDER BY c.sequence LIMIT ?")
                           : QStringLiteral("SELECT sequence, ref, uid, deleted, etag, NULL, 1 FROM changes WHERE sequence > ? "
                                            "ORDER BY sequence LIMIT ?");
        params = {afterSequence, qint64(limit)};
    }
    auto stmt = d->prepare(sql);
    if (!stmt)
        return stmt.error();
    Statement &s = *stmt.value();
    bindAll(s, params);
    while (s.next()) {
        Change change{s.integer(0), s.integer(3) ? Change::Type::Delete : Change::Type::Upsert, s.text(1), s.text(2),
                      s.text(4), withEntities ? s.blob(5) : QByteArray()};
        if (change.ref.startsWith(DocsChangePrefix)) {
            change.ref.remove(0, DocsChangePrefix.size());
            change.docs = true;
            change.entityJson.clear();
        } else if (reader.readable && (change.type == Change::Type::Delete || !s.integer(6))) {
            // Not readable (any more), or deleted: the reader hears only which uid went.
            change = Change{change.sequence, Change::Type::Delete, QString(), change.uid, QString(), {}, false, true};
        }
        changes.append(std::move(change));
    }
    s.reset();
    return changes;
}

QList<Change> SqliteCatalogStore::changesSince(qint64 afterSequence, int limit, bool withEntities)
{
    auto changes = readChanges(afterSequence, limit, withEntities, {});
    return changes ? changes.value() : QList<Change>();
}

Result<QList<Change>> SqliteCatalogStore::changesSince(qint64 afterSequence, int limit, const FeedReader &reader)
{
    return readChanges(afterSequence, limit, true, reader);
}

void SqliteCatalogStore::releaseMemory()
{
    (void)d->db.exec(QStringLiteral("PRAGMA shrink_memory"));   // this connection's page cache
    d->trimCaches();
}

Status SqliteCatalogStore::checkHealth()
{
    auto answer = d->queryInteger(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM changes LIMIT 1)"));
    if (!answer)
        return answer.error();
    return Ok{};
}

qint64 SqliteCatalogStore::countChangesSince(qint64 afterSequence)
{
    auto stmt = d->prepare(QStringLiteral("SELECT count(*) FROM changes WHERE sequence > ?"));
    if (!stmt)
        return 0;
    stmt.value()->bind(1, afterSequence);
    stmt.value()->next();
    const qint64 count = stmt.value()->integer(0);
    stmt.value()->reset();
    return count;
}

Result<int> SqliteCatalogStore::pruneTombstones(qint64 cutoffMsecsSinceEpoch)
{
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    auto highest = d->prepare(QStringLiteral("SELECT coalesce(max(sequence), 0), count(*) FROM changes WHERE deleted = 1 AND changed_at < ?"));
    if (!highest)
        return highest.error();
    highest.value()->bind(1, cutoffMsecsSinceEpoch);
    highest.value()->next();
    const qint64 horizon = highest.value()->integer(0);
    const int pruned = int(highest.value()->integer(1));
    highest.value()->reset();
    if (pruned == 0)
        return 0;
    auto remove = d->prepare(QStringLiteral("DELETE FROM changes WHERE deleted = 1 AND changed_at < ?"));
    auto record = d->prepare(QStringLiteral("INSERT INTO store_state(key, value) VALUES ('sync_horizon', ?) "
                                            "ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)"));
    if (!remove || !record)
        return remove ? record.error() : remove.error();
    if (!remove.value()->bind(1, cutoffMsecsSinceEpoch).run() || !record.value()->bind(1, horizon).run())
        return Error::internal(d->db.lastError());
    if (Status s = tx.commit(); !s)
        return s.error();
    return pruned;
}

qint64 SqliteCatalogStore::feedEpoch()
{
    auto epoch = d->queryInteger(QStringLiteral("SELECT coalesce((SELECT value FROM store_state WHERE key = 'feed_epoch'), 0)"));
    return epoch ? epoch.value() : 0;
}

qint64 SqliteCatalogStore::syncHorizon()
{
    auto horizon = d->queryInteger(QStringLiteral("SELECT coalesce((SELECT value FROM store_state WHERE key = 'sync_horizon'), 0)"));
    return horizon ? horizon.value() : 0;
}

qint64 SqliteCatalogStore::lastSequence()
{
    return d->currentSequence();
}

qint64 SqliteCatalogStore::entityCount()
{
    auto count = d->queryInteger(QStringLiteral("SELECT count(*) FROM entities"));
    return count ? count.value() : 0;
}

QList<ProcessingErrorRecord> SqliteCatalogStore::processingErrors(const QString &originKey)
{
    QList<ProcessingErrorRecord> errors;
    auto stmt = d->prepare(QStringLiteral("SELECT origin_key, location_key, file, line, entity_ref, name, message, reason, level "
                                          "FROM processing_errors WHERE ? IS NULL OR origin_key = ? ORDER BY id"));
    if (!stmt)
        return errors;
    Statement &r = *stmt.value();
    r.bind(1, originKey).bind(2, originKey);
    while (r.next()) {
        errors.append({r.text(0), r.text(1), r.text(2), int(r.integer(3)), r.text(4), r.text(5), r.text(6), r.text(7),
                       r.text(8)});
    }
    r.reset();
    return errors;
}

} // namespace Greenroom::Store
