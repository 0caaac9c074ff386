// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Reading on PostgreSQL: filters and predicates as SQL, entity pages,
// facets, the change feed and Greenroom's own search, with the same answers
// (order, paging keys, counts) as the SQLite store's sqlitereads.cpp.
#include "postgrescatalogstore.h"

#include "docsstore.h"
#include "postgrescatalogstore_p.h"

#include <search/searchtext.h>

namespace Greenroom::Store {

using namespace Internal;

Result<SqlCondition> PostgresCatalogStorePrivate::filterCondition(const Model::EntityFilter &filter, FilterPlan plan)
{
    SqlCondition condition;
    QStringList groups;
    for (const Model::EntityFilter::AllOf &allOf : filter.anyOf) {
        const std::optional<QStringList> kinds = kindsOf(allOf);
        if (kinds && kinds->isEmpty()) {
            groups.append(QStringLiteral("false"));
            continue;
        }
        QStringList parts;
        if (kinds) {
            parts.append(QStringLiteral("e.kind IN (%1)").arg(placeholders(kinds->size())));
            for (const QString &kind : std::as_const(*kinds))
                condition.params.append(kind);
        }
        for (const Model::EntityFilter::Condition &c : allOf) {
            if (c.key == QLatin1String("kind"))
                continue;
            const QString values = c.values.isEmpty() ? QString()
                                                      : QStringLiteral(" AND value IN (%1)").arg(placeholders(c.values.size()));
            if (plan == FilterPlan::Lists)
                parts.append(QStringLiteral("e.id IN (SELECT entity_id FROM search WHERE key = ?%1)").arg(values));
            else   // LIMIT keeps it a probe per row: an EXISTS would be planned as a join over every match
                parts.append(QStringLiteral("(SELECT 1 FROM search WHERE entity_id = e.id AND key = ?%1 LIMIT 1) IS NOT NULL").arg(values));
            condition.params.append(c.key);
            for (const QString &value : c.values)
                condition.params.append(value);
        }
        if (plan == FilterPlan::Probes && !parts.isEmpty())
            condition.probesRows = true;
        groups.append(parts.isEmpty() ? QStringLiteral("true") : QLatin1Char('(') + parts.join(QStringLiteral(" AND ")) + QLatin1Char(')'));
    }
    if (groups.size() > 1 && groups.contains(QStringLiteral("false"))) {
        groups.removeAll(QStringLiteral("false"));
        if (groups.isEmpty())
            groups.append(QStringLiteral("false"));
    }
    condition.sql = groups.join(QStringLiteral(" OR "));
    for (const Model::EntityPredicate &predicate : filter.predicates) {
        auto clause = Internal::predicateCondition(predicate, [](const QString &key) -> Result<std::optional<SqlCondition>> {
            return std::optional<SqlCondition>(SqlCondition{QStringLiteral("key = ?"), {key}});
        });
        if (!clause)
            return clause.error();
        condition.andWith(clause->sql, clause->params);
    }
    return condition;
}

Result<bool> PostgresCatalogStorePrivate::isSelective(const Model::EntityFilter &filter)
{
    // Below this many matches a condition is cheapest as a list of ids.
    constexpr qint64 SmallList = 2000;
    if (filter.anyOf.isEmpty())
        return false;
    checkCaches();
    for (const Model::EntityFilter::AllOf &allOf : filter.anyOf) {
        bool small = false;
        for (const Model::EntityFilter::Condition &c : allOf) {
            if (c.key == QLatin1String("kind"))
                continue;
            QString sql = QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM search WHERE key = ?");
            QVariantList params{c.key};
            if (!c.values.isEmpty()) {
                sql += QStringLiteral(" AND value IN (%1)").arg(placeholders(c.values.size()));
                for (const QString &value : c.values)
                    params.append(value);
            }
            sql += QStringLiteral(" LIMIT %1) matches").arg(SmallList + 1);
            // Asked for every page a client reads; the answer holds until the sequence moves.
            QString cacheKey = sql;
            for (const QVariant &p : std::as_const(params))
                cacheKey += QChar(0) + p.toString();
            auto cached = cachedCounts.constFind(cacheKey);
            if (cached == cachedCounts.cend()) {
                auto count = db.integer(sql, params);
                if (!count)
                    return count.error();
                cached = cachedCounts.insert(cacheKey, count.value());
            }
            if (cached.value() <= SmallList) {
                small = true;
                break;
            }
        }
        if (!small)
            return false;
    }
    return true;
}

Result<QList<std::optional<StoredEntity>>> PostgresCatalogStore::entitiesByRefs(const QStringList &refs,
                                                                                const Model::EntityFilter &filter)
{
    d->db.trimStatements();
    auto condition = d->filterCondition(filter, PostgresCatalogStorePrivate::FilterPlan::Probes);
    if (!condition)
        return condition.error();
    // One query for the batch; the answer is put back in the order asked.
    PgArray wanted;
    for (const QString &ref : refs)
        wanted.add(ref);
    QString sql = QStringLiteral("SELECT " PG_ENTITY_COLUMNS " FROM entities e WHERE e.ref = ANY(?::text[])");
    if (!condition->sql.isEmpty())
        sql += QStringLiteral(" AND (%1)").arg(condition->sql);
    auto rows = d->db.query(sql, QVariantList{wanted.literal()} + condition->params);
    if (!rows)
        return rows.error();
    QHash<QString, int> rowOf;
    for (int i = 0; i < rows->size(); ++i)
        rowOf.insert(rows->text(i, 1), i);
    QList<std::optional<StoredEntity>> result;
    result.reserve(refs.size());
    for (const QString &ref : refs) {
        const auto row = rowOf.constFind(ref);
        result.append(row == rowOf.cend() ? std::nullopt : std::optional(PostgresCatalogStorePrivate::entityFromRow(rows.value(), *row)));
    }
    return result;
}

Result<EntityPage> PostgresCatalogStore::queryEntities(const EntityQuery &query)
{
    using Plan = PostgresCatalogStorePrivate::FilterPlan;
    d->db.trimStatements();
    const bool ordered = !query.order.isEmpty();
    const bool paged = query.limit >= 0;

    SqlCondition fullText;
    const QString term = query.fullText.term.trimmed();
    if (!term.isEmpty()) {
        QStringList fields = query.fullText.fields;
        if (fields.isEmpty())
            fields.append(ordered ? query.order.first().field : QStringLiteral("metadata.uid"));
        QVariantList params;
        for (const QString &field : fields)
            params.append(field.toLower());
        params.append(likePattern(term));
        fullText.andWith(QStringLiteral("EXISTS (SELECT 1 FROM search WHERE entity_id = e.id AND key IN (%1) "
                                        "AND value LIKE ? ESCAPE '\\')").arg(placeholders(fields.size())),
                         params);
    }

    Model::EntityFilter filter = query.filter;
    QString kindByName;
    if (query.order.size() == 1 && query.order.first().field.compare(QLatin1String("metadata.name"), Qt::CaseInsensitive) == 0)
        kindByName = takeSingleKind(filter);

    const bool descending = ordered && query.order.first().descending;
    const bool reverse = query.backwards;
    // SQLite puts NULLs first going up and last going down; so does this
    // where a value may be NULL. Elsewhere plain ASC/DESC, which an index's
    // order can serve (an index is ASC NULLS LAST).
    const auto direction = [&](bool desc, bool nullable = false) {
        if (!nullable)
            return (desc != reverse) ? QStringLiteral("DESC") : QStringLiteral("ASC");
        return (desc != reverse) ? QStringLiteral("DESC NULLS LAST") : QStringLiteral("ASC NULLS FIRST");
    };
    QString joins;
    QVariantList joinParams;
    QStringList orderTerms;
    for (qsizetype i = 0; i < query.order.size() && kindByName.isEmpty(); ++i) {
        const bool inner = i == 0 && !query.keepEntitiesWithoutOrderValue;
        joins += QStringLiteral(" %1 JOIN search o%2 ON o%2.entity_id = e.id AND o%2.key = ? AND o%2.first "
                                "AND o%2.value IS NOT NULL")
                     .arg(inner ? QString() : QStringLiteral("LEFT")).arg(i);
        joinParams.append(query.order.at(i).field.toLower());
        if (!inner)
            orderTerms.append(QStringLiteral("(o%1.value IS NULL) %2").arg(i).arg(direction(false)));
        orderTerms.append(QStringLiteral("o%1.value %2").arg(i).arg(direction(query.order.at(i).descending, !inner)));
    }
    if (!kindByName.isEmpty())
        orderTerms.append(QStringLiteral("e.name ") + direction(descending));
    orderTerms.append(QStringLiteral("e.uid ") + direction(ordered && query.tieBreakFollowsOrder && descending));
    const QString sortColumn = kindByName.isEmpty() ? QStringLiteral("o0.value") : QStringLiteral("e.name");

    EntityPage page;
    if (query.countTotal) {
        auto lists = d->filterCondition(query.filter, Plan::Lists);
        if (!lists)
            return lists.error();
        SqlCondition where = lists.value();
        where.andWith(fullText.sql, fullText.params);
        const QString countSql = QStringLiteral("SELECT count(*) FROM entities e") + (ordered ? joins : QString())
                                 + (where.sql.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.sql);
        const QVariantList params = (ordered ? joinParams : QVariantList()) + where.params;
        QString cacheKey = countSql;
        for (const QVariant &p : params)
            cacheKey += QChar(0) + p.toString();
        d->checkCaches();
        if (const auto cached = d->cachedCounts.constFind(cacheKey); cached != d->cachedCounts.cend()) {
            page.totalItems = cached.value();
        } else {
            auto count = d->db.integer(countSql, params);
            if (!count)
                return count.error();
            page.totalItems = count.value();
            d->cachedCounts.insert(cacheKey, count.value());
        }
    }

    // A page walks the order and probes each row, unless every group has a
    // condition so few entities meet that starting from them is cheaper
    // (the SQLite store plans alike).
    Plan plan = Plan::Lists;
    if (paged) {
        auto selective = d->isSelective(filter);
        if (!selective)
            return selective.error();
        plan = selective.value() ? Plan::Lists : Plan::Probes;
    }
    auto where = d->filterCondition(filter, plan);
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
    QString sql = QStringLiteral("SELECT " PG_ENTITY_COLUMNS "%1 FROM entities e").arg(ordered ? QStringLiteral(", ") + sortColumn : QString())
                  + joins;
    if (!keyset.sql.isEmpty())
        sql += QStringLiteral(" WHERE ") + keyset.sql;
    sql += QStringLiteral(" ORDER BY ") + orderTerms.join(QStringLiteral(", "));
    if (paged)
        sql += QStringLiteral(" LIMIT %1").arg(query.limit + 1);
    if (query.offset > 0 && query.after.isEmpty())
        sql += QStringLiteral(" OFFSET %1").arg(query.offset);

    auto rows = d->db.query(sql, joinParams + keyset.params);
    if (!rows)
        return rows.error();
    QList<QStringList> keys;
    for (int i = 0; i < rows->size(); ++i) {
        if (paged && page.items.size() == query.limit) {
            page.hasMore = true;
            break;
        }
        StoredEntity entity = PostgresCatalogStorePrivate::entityFromRow(rows.value(), i, query.rawJson);
        keys.append(ordered ? QStringList{rows->text(i, 8), entity.uid} : QStringList{entity.uid});
        page.items.append(std::move(entity));
    }
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

Result<Facets> PostgresCatalogStore::facets(const QStringList &facetKeys, const Model::EntityFilter &filter)
{
    d->db.trimStatements();
    auto lists = d->filterCondition(filter, PostgresCatalogStorePrivate::FilterPlan::Lists);
    if (!lists)
        return lists.error();
    Facets result;
    d->checkCaches();
    for (const QString &facet : facetKeys) {
        QString cacheKey = facet.toLower() + QChar(0) + lists->sql;
        for (const QVariant &p : std::as_const(lists->params))
            cacheKey += QChar(0) + p.toString();
        if (const auto cached = d->cachedFacets.constFind(cacheKey); cached != d->cachedFacets.cend()) {
            result.append({facet, cached.value()});
            continue;
        }
        QString sql = QStringLiteral("SELECT coalesce(s.original_value, s.value) AS v, count(*) FROM search s ");
        if (!lists->sql.isEmpty())
            sql += QStringLiteral("JOIN entities e ON e.id = s.entity_id ");
        sql += QStringLiteral("WHERE s.key = ? AND s.value IS NOT NULL");
        if (!lists->sql.isEmpty())
            sql += QStringLiteral(" AND (%1)").arg(lists->sql);
        sql += QStringLiteral(" GROUP BY v ORDER BY v");
        auto rows = d->db.query(sql, QVariantList{facet.toLower()} + lists->params);
        if (!rows)
            return rows.error();
        QList<FacetCount> counts;
        for (int i = 0; i < rows->size(); ++i)
            counts.append({rows->text(i, 0), rows->integer(i, 1)});
        d->cachedFacets.insert(cacheKey, counts);
        result.append({facet, counts});
    }
    return result;
}

Result<QList<Change>> PostgresCatalogStore::readChanges(qint64 afterSequence, int limit, bool withEntities, const FeedReader &reader)
{
    // A docs row's entity is the one its ref names after the prefix; deleted entity rows join none.
    const QString isDocsRow = QStringLiteral("left(c.ref, %1) = '%2'").arg(DocsChangePrefix.size()).arg(DocsChangePrefix);
    QString sql;
    QVariantList params;
    if (reader.readable) {
        d->db.trimStatements();
        auto condition = d->filterCondition(*reader.readable, PostgresCatalogStorePrivate::FilterPlan::Lists);
        if (!condition)
            return condition.error();
        const QString visible = QStringLiteral("(e.id IS NOT NULL AND (%1))").arg(condition->sql.isEmpty() ? QStringLiteral("true") : condition->sql);
        const QString wanted = reader.fromStart ? visible : QStringLiteral("(NOT %1 OR %2)").arg(isDocsRow, visible);
        sql = QStringLiteral("SELECT c.sequence, c.ref, c.uid, c.deleted, c.etag, %1, %2 FROM changes c "
                             "LEFT JOIN entities e ON (NOT c.deleted OR %3) AND e.ref = CASE WHEN %3 THEN substr(c.ref, %4) ELSE c.ref END "
                             "WHERE c.sequence > ? AND %5 ORDER BY c.sequence LIMIT ?")
                  .arg(withEntities ? QStringLiteral("e.final") : QStringLiteral("NULL"), visible, isDocsRow)
                  .arg(DocsChangePrefix.size() + 1)
                  .arg(wanted);
        params = condition->params;
        params << afterSequence;
        params += condition->params;
        params << qint64(limit);
    } else {
        sql = withEntities ? QStringLiteral("SELECT c.sequence, c.ref, c.uid, c.deleted, c.etag, e.final, true FROM changes c "
                                            "LEFT JOIN entities e ON e.ref = c.ref AND NOT c.deleted "
                                            "WHERE c.sequence > ? ORDER BY c.sequence LIMIT ?")
                           : QStringLiteral("SELECT sequence, ref, uid, deleted, etag, NULL, true FROM changes WHERE sequence > ? "
                                            "ORDER BY sequence LIMIT ?");
        params = {afterSequence, qint64(limit)};
    }
    auto rows = d->db.query(sql, params);
    if (!rows)
        return rows.error();
    QList<Change> changes;
    changes.reserve(rows->size());
    for (int i = 0; i < rows->size(); ++i) {
        Change change{rows->integer(i, 0), rows->boolean(i, 3) ? Change::Type::Delete : Change::Type::Upsert, rows->text(i, 1),
                      rows->text(i, 2), rows->text(i, 4), withEntities ? rows->bytes(i, 5) : QByteArray()};
        if (change.ref.startsWith(DocsChangePrefix)) {
            change.ref.remove(0, DocsChangePrefix.size());
            change.docs = true;
            change.entityJson.clear();
        } else if (reader.readable && (change.type == Change::Type::Delete || !rows->boolean(i, 6))) {
            change = Change{change.sequence, Change::Type::Delete, QString(), change.uid, QString(), {}, false, true};
        }
        changes.append(std::move(change));
    }
    return changes;
}

QList<Change> PostgresCatalogStore::changesSince(qint64 afterSequence, int limit, bool withEntities)
{
    auto changes = readChanges(afterSequence, limit, withEntities, {});
    return changes ? changes.value() : QList<Change>();
}

Result<QList<Change>> PostgresCatalogStore::changesSince(qint64 afterSequence, int limit, const FeedReader &reader)
{
    return readChanges(afterSequence, limit, true, reader);
}

Result<QList<SearchHit>> PostgresCatalogStore::search(const QString &text, int limit)
{
    QList<SearchHit> hits;
    // Each word of the text as a prefix, all of them required; the words
    // are letters and digits only, so nothing in them is tsquery syntax.
    QStringList terms;
    for (const Search::Word &word : Search::words(text))
        terms.append(QLatin1Char('\'') + word.folded + QStringLiteral("':*"));
    if (terms.isEmpty())
        return hits;
    // An exact name first (the SQLite store's order), then by weight.
    auto rows = d->db.query(QStringLiteral("SELECT " PG_ENTITY_COLUMNS ", ts_rank(t.words, q) FROM entity_text t "
                                           "JOIN entities e ON e.id = t.entity_id, to_tsquery('simple', ?) q "
                                           "WHERE t.words @@ q ORDER BY (e.name = ?) DESC, ts_rank(t.words, q) DESC, e.ref LIMIT ?"),
                            {terms.join(QStringLiteral(" & ")), Search::wordKey(text), qint64(limit)});
    if (!rows)
        return rows.error();
    for (int i = 0; i < rows->size(); ++i)
        hits.append({PostgresCatalogStorePrivate::entityFromRow(rows.value(), i), double(i)});
    return hits;
}

Result<Search::SearchResults> PostgresCatalogStore::searchDocuments(const Search::SearchRequest &)
{
    return Error(QStringLiteral("NotImplementedError"),
                 QStringLiteral("the search API (/api/search/query) is not served from the PostgreSQL store yet"));
}

Status PostgresCatalogStore::setSearchOptions(const Search::CollatorOptions &)
{
    return Ok{};
}

} // namespace Greenroom::Store
