// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <model/entityfilter.h>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Greenroom::Search {

// A filter on one document field: any of `values` (folded) matches.
struct FieldFilter
{
    QString field;
    QStringList values;
};

// What the engine is asked: the words, which types, which filters, which slice.
struct SearchRequest
{
    QString term;
    QStringList types;              // empty: every type
    QList<FieldFilter> filters;     // all must match
    qint64 offset = 0;
    int limit = 25;
    // Wrapped around matched words in the hits' highlights; none are made when empty.
    QString preTag;
    QString postTag;
    // Counting stops here (counting costs a read of every match): a UI that
    // shows ">10000" asks 10001. -1: the exact total, as the API answers.
    qint64 countLimit = -1;
    // Only documents of entities this filter admits (the caller's
    // catalog.entity.read, as Backstage's AuthorizedSearchEngine asks it for
    // both types); nullopt: every document.
    std::optional<Model::EntityFilter> readable;
};

struct SearchHit
{
    QString type;
    QString entityRef;                              // authorization.resourceRef
    QByteArray document;                            // JSON, as the API answers it
    QList<std::pair<QString, QString>> highlights;  // field -> its text with matches wrapped
};

struct SearchResults
{
    QList<SearchHit> hits;
    qint64 total = 0;            // matches before paging (at most the request's countLimit)
    QStringList corrections;     // indexed words a query word was taken to be a typo of
};

// search.maxTermLength and search.maxPageLimit.
struct SearchLimits
{
    int maxTermLength = 100;
    int maxPageLimit = 100;
};

// A request as GET /api/search/query takes it, checked.
struct PagedSearch
{
    SearchRequest request;
    // The page the cursor names; nullopt for a cursor that names none, which
    // Backstage answers with no results (and the total) rather than an error.
    std::optional<qint64> page;
    int pageSize = 25;
};

/*
 * Checks the query object (the query string parsed the way Express's `qs`
 * does: `types[0]=x` an array, `filters[kind]=y` an object) as Backstage's
 * search router does: first its OpenAPI schema ("request/query/pageLimit
 * must be integer"), then its Zod schema (term length, registered types,
 * page limit), whose issues come back as JSON in the InputError's message.
 * Then, Greenroom's own rule: every filter names a field documents of the
 * asked types have and gives it a value or a list of values, or the request
 * is refused, never silently answered with nothing.
 */
Result<PagedSearch> parseSearchQuery(const QJsonObject &query, const QStringList &registeredTypes,
                                     const SearchLimits &limits = {});

// The filters object, checked against the fields of `types` (all types when empty).
Result<QList<FieldFilter>> fieldFilters(const QJsonObject &filters, const QStringList &types);

// Backstage's page cursors: base64 of the decimal page number ("MQ==" is page 1).
QString encodePageCursor(qint64 page);
std::optional<qint64> decodePageCursor(const QString &cursor);

} // namespace Greenroom::Search
