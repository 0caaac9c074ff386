// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The catalog table of a desktop cache (the `listing` tables applyMirror
// keeps): sorted id lists, rows by id, search text and facets.
#include "sqlitecatalogstore.h"
#include "sqlitecatalogstore_p.h"

namespace Greenroom::Store {

using namespace Internal;

namespace {

// Sortable columns, and the SQL each sorts by.
QString sortExpression(const QString &column)
{
    static const QStringList columns{QStringLiteral("name"),      QStringLiteral("system"), QStringLiteral("owner"),
                                     QStringLiteral("type"),      QStringLiteral("lifecycle"),
                                     QStringLiteral("description"), QStringLiteral("tags")};
    return columns.contains(column) ? QStringLiteral("l.") + column : QString();
}

// The WHERE clause of a filter over `listing l`, with its parameters.
SqlCondition listingCondition(const ListingFilter &filter)
{
    SqlCondition where;
    if (!filter.kind.isEmpty())
        where.andWith(QStringLiteral("l.kind = ?"), {filter.kind.toLower()});
    if (!filter.namespaceName.isEmpty())
        where.andWith(QStringLiteral("l.namespace = ?"), {filter.namespaceName.toLower()});
    if (!filter.type.isEmpty())
        where.andWith(QStringLiteral("l.type = ?"), {filter.type});
    if (!filter.lifecycle.isEmpty())
        where.andWith(QStringLiteral("l.lifecycle = ?"), {filter.lifecycle});
    if (!filter.owner.isEmpty())
        where.andWith(QStringLiteral("l.owner = ?"), {filter.owner});
    if (!filter.ownerRef.isEmpty())
        where.andWith(QStringLiteral("instr(l.owner_refs, ?) > 0"), {QLatin1Char(',') + filter.ownerRef.toLower() + QLatin1Char(',')});
    if (!filter.tag.isEmpty())
        where.andWith(QStringLiteral("l.id IN (SELECT id FROM listing_tags WHERE tag = ?)"), {filter.tag.toLower()});
    if (filter.refs) {
        QStringList marks;
        QVariantList params;
        for (const QString &ref : *filter.refs) {
            marks.append(QStringLiteral("?"));
            params.append(ref.toLower());
        }
        where.andWith(marks.isEmpty() ? QStringLiteral("0")
                                      : QStringLiteral("l.id IN (SELECT id FROM entities WHERE ref IN (%1))").arg(marks.join(QLatin1Char(','))),
                      params);
    }
    if (filter.ownedByAny) {
        QStringList tests;
        QVariantList params;
        for (const QString &owner : *filter.ownedByAny) {
            tests.append(QStringLiteral("instr(l.owner_refs, ?) > 0"));
            params.append(QLatin1Char(',') + owner.toLower() + QLatin1Char(','));
        }
        where.andWith(tests.isEmpty() ? QStringLiteral("0") : tests.join(QStringLiteral(" OR ")), params);
    }
    return where;
}

} // namespace

Result<QList<qint64>> SqliteCatalogStore::listingOrder(const ListingFilter &filter, const QString &column, bool descending)
{
    const QString sort = sortExpression(column);
    if (sort.isEmpty())
        return Error::input(QStringLiteral("Cannot sort the catalog table by '%1'").arg(column));
    const SqlCondition where = listingCondition(filter);
    const QString direction = descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    QString sql = QStringLiteral("SELECT l.id FROM listing l");
    if (!where.sql.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.sql;
    sql += QStringLiteral(" ORDER BY ") + sort + direction;
    if (sort != QLatin1String("l.name"))
        sql += QStringLiteral(", l.name") + direction;
    sql += QStringLiteral(", l.id") + direction;
    d->trimCaches();
    auto stmt = d->prepare(sql);
    if (!stmt)
        return stmt.error();
    Statement &s = *stmt.value();
    for (qsizetype i = 0; i < where.params.size(); ++i)
        s.bindVariant(int(i) + 1, where.params.at(i));
    QList<qint64> ids;
    while (s.next())
        ids.append(s.integer(0));
    s.reset();
    return ids;
}

Result<QList<ListingRow>> SqliteCatalogStore::listingRows(const QList<qint64> &ids)
{
    QList<ListingRow> rows(ids.size());
    QHash<qint64, qsizetype> position;
    position.reserve(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i)
        position.insert(ids.at(i), i);
    // In chunks: SQLite binds at most 32766 parameters.
    constexpr qsizetype Chunk = 500;
    for (qsizetype first = 0; first < ids.size(); first += Chunk) {
        const qsizetype count = std::min(Chunk, ids.size() - first);
        QString marks;
        for (qsizetype i = 0; i < count; ++i)
            marks += i ? QStringLiteral(",?") : QStringLiteral("?");
        auto stmt = d->prepare(QStringLiteral("SELECT l.id, e.ref, l.title, l.system, l.owner, l.type, l.lifecycle, "
                                              "l.description, l.tags FROM listing l JOIN entities e ON e.id = l.id "
                                              "WHERE l.id IN (%1)").arg(marks));
        if (!stmt)
            return stmt.error();
        Statement &s = *stmt.value();
        for (qsizetype i = 0; i < count; ++i)
            s.bind(int(i) + 1, ids.at(first + i));
        while (s.next()) {
            ListingRow row{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.text(8)};
            rows[position.value(row.id)] = std::move(row);
        }
        s.reset();
    }
    return rows;
}

Status SqliteCatalogStore::forEachListingSearchText(const std::function<void(qint64, const QByteArray &)> &visit)
{
    auto stmt = d->prepare(QStringLiteral("SELECT id, haystack FROM listing ORDER BY id"));
    if (!stmt)
        return stmt.error();
    Statement &s = *stmt.value();
    while (s.next())
        visit(s.integer(0), s.blob(1));
    s.reset();
    return Ok{};
}

Result<QList<FacetCount>> SqliteCatalogStore::listingFacet(const QString &facet, const ListingFilter &filter)
{
    static const QHash<QString, QString> columns{{QStringLiteral("namespace"), QStringLiteral("l.namespace")},
                                                 {QStringLiteral("type"), QStringLiteral("l.type")},
                                                 {QStringLiteral("lifecycle"), QStringLiteral("l.lifecycle")},
                                                 {QStringLiteral("owner"), QStringLiteral("l.owner")},
                                                 {QStringLiteral("kind"), QStringLiteral("l.kind")},
                                                 {QStringLiteral("tag"), QStringLiteral("t.tag")}};
    const QString column = columns.value(facet);
    if (column.isEmpty())
        return Error::input(QStringLiteral("No catalog table facet '%1'").arg(facet));
    SqlCondition where = listingCondition(filter);
    where.andWith(column + QStringLiteral(" <> ''"), {});
    const QString from = facet == QLatin1String("tag") ? QStringLiteral("listing_tags t JOIN listing l ON l.id = t.id")
                                                       : QStringLiteral("listing l");
    auto stmt = d->prepare(QStringLiteral("SELECT %1, count(*) FROM %2 WHERE %3 GROUP BY %1 ORDER BY %1").arg(column, from, where.sql));
    if (!stmt)
        return stmt.error();
    Statement &s = *stmt.value();
    for (qsizetype i = 0; i < where.params.size(); ++i)
        s.bindVariant(int(i) + 1, where.params.at(i));
    QList<FacetCount> counts;
    while (s.next())
        counts.append({s.text(0), s.integer(1)});
    s.reset();
    return counts;
}

} // namespace Greenroom::Store
