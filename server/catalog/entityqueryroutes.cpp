// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogroutes.h"
#include "readerpool.h"
#include "routesupport.h"

#include <model/entityfilter.h>
#include <model/entitypredicate.h>
#include <model/entityprojection.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

/*
 * GET and POST /entities/by-query: keyset-paged queries with cursors, and
 * POST /entity-facets (facets over a predicate). The cursor is what upstream
 * writes (standard base64 of JSON with orderFields, fullTextFilter, query,
 * orderFieldValues, firstSortFieldValues, isPrevious, totalItems), so a
 * client that peeks into it (catalog-client looks for `query` to choose POST)
 * behaves as it does against Backstage, and upstream's cursors decode here.
 */

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/catalog");
constexpr qint64 DefaultLimit = 200;

const QString OrderFields = QStringLiteral("orderFields");
const QString FullTextFilter = QStringLiteral("fullTextFilter");
const QString Query = QStringLiteral("query");
const QString LegacyFilter = QStringLiteral("filter");
const QString OrderFieldValues = QStringLiteral("orderFieldValues");
const QString FirstSortFieldValues = QStringLiteral("firstSortFieldValues");
const QString IsPrevious = QStringLiteral("isPrevious");
const QString TotalItems = QStringLiteral("totalItems");

bool isStringArray(const QJsonValue &value, bool allowNull = false)
{
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    return std::all_of(array.begin(), array.end(),
                       [&](const QJsonValue &item) { return item.isString() || (allowNull && item.isNull()); });
}

QStringList toStringList(const QJsonValue &array)
{
    QStringList out;
    for (const QJsonValue &item : array.toArray())
        out.append(item.toString());
    return out;
}

// Older upstream servers wrote the filter as a tree of {key, values} /
// {not} / {anyOf} / {allOf}; cursors they issued still decode, as a predicate.
std::optional<QJsonValue> legacyFilterToPredicate(const QJsonValue &filter)
{
    const QJsonObject object = filter.toObject();
    if (!filter.isObject())
        return std::nullopt;
    if (object.value(QLatin1String("key")).isString()) {
        const QString key = object.value(QLatin1String("key")).toString();
        const QJsonValue values = object.value(QLatin1String("values"));
        if (values.isUndefined())
            return QJsonObject{{key, QJsonObject{{QStringLiteral("$exists"), true}}}};
        if (!isStringArray(values))
            return std::nullopt;
        if (values.toArray().size() == 1)
            return QJsonObject{{key, values.toArray().first()}};
        return QJsonObject{{key, QJsonObject{{QStringLiteral("$in"), values}}}};
    }
    if (object.contains(QLatin1String("not"))) {
        std::optional<QJsonValue> inner = legacyFilterToPredicate(object.value(QLatin1String("not")));
        if (!inner)
            return std::nullopt;
        return QJsonObject{{QStringLiteral("$not"), *inner}};
    }
    for (const auto &[legacy, op] : {std::pair("anyOf", "$any"), std::pair("allOf", "$all")}) {
        const QJsonValue list = object.value(QLatin1String(legacy));
        if (!list.isArray())
            continue;
        QJsonArray converted;
        for (const QJsonValue &item : list.toArray()) {
            std::optional<QJsonValue> inner = legacyFilterToPredicate(item);
            if (!inner)
                return std::nullopt;
            converted.append(*inner);
        }
        return QJsonObject{{QLatin1String(op), converted}};
    }
    return std::nullopt;
}

// A decoded cursor checked against upstream's schema; unknown keys dropped.
Result<QJsonObject> decodeCursor(const QString &text)
{
    const auto malformed = [](const QString &detail) {
        return Error::input(QStringLiteral("Malformed cursor: %1").arg(detail));
    };
    std::optional<QJsonObject> decoded = decodeJsonCursor(text);
    if (!decoded)
        return malformed(QStringLiteral("the cursor is not base64-encoded JSON"));
    const QJsonObject &in = *decoded;
    QJsonObject cursor;
    const QJsonValue orderFields = in.value(OrderFields);
    if (!orderFields.isArray())
        return malformed(QStringLiteral("orderFields must be an array"));
    for (const QJsonValue &field : orderFields.toArray()) {
        const QString order = field.toObject().value(QLatin1String("order")).toString();
        if (!field.toObject().value(QLatin1String("field")).isString()
            || (order != QLatin1String("asc") && order != QLatin1String("desc")))
            return malformed(QStringLiteral("orderFields must be {field, order: 'asc' | 'desc'}"));
    }
    cursor.insert(OrderFields, orderFields);
    if (!isStringArray(in.value(OrderFieldValues), true))
        return malformed(QStringLiteral("orderFieldValues must be an array of strings"));
    cursor.insert(OrderFieldValues, in.value(OrderFieldValues));
    if (!in.value(IsPrevious).isBool())
        return malformed(QStringLiteral("isPrevious must be a boolean"));
    cursor.insert(IsPrevious, in.value(IsPrevious));
    if (in.contains(FullTextFilter)) {
        const QJsonObject fullText = in.value(FullTextFilter).toObject();
        if (!fullText.value(QLatin1String("term")).isString()
            || (fullText.contains(QLatin1String("fields")) && !isStringArray(fullText.value(QLatin1String("fields")))))
            return malformed(QStringLiteral("fullTextFilter must be {term, fields?}"));
        cursor.insert(FullTextFilter, fullText);
    }
    if (in.contains(LegacyFilter)) {
        if (!legacyFilterToPredicate(in.value(LegacyFilter)))
            return malformed(QStringLiteral("filter is not a valid filter"));
        cursor.insert(LegacyFilter, in.value(LegacyFilter));
    }
    if (in.contains(Query)) {
        if (auto predicate = Model::EntityPredicate::fromJson(in.value(Query)); !predicate)
            return malformed(predicate.error().message);
        cursor.insert(Query, in.value(Query));
    }
    if (in.contains(FirstSortFieldValues)) {
        if (!isStringArray(in.value(FirstSortFieldValues), true))
            return malformed(QStringLiteral("firstSortFieldValues must be an array of strings"));
        cursor.insert(FirstSortFieldValues, in.value(FirstSortFieldValues));
    }
    if (in.contains(TotalItems)) {
        if (!in.value(TotalItems).isDouble())
            return malformed(QStringLiteral("totalItems must be a number"));
        cursor.insert(TotalItems, in.value(TotalItems));
    }
    return cursor;
}

Result<Model::EntityFilter> cursorFilter(const QJsonObject &cursor)
{
    Model::EntityFilter filter;
    QList<QJsonValue> predicates;
    if (cursor.contains(LegacyFilter))
        predicates.append(*legacyFilterToPredicate(cursor.value(LegacyFilter)));
    if (cursor.contains(Query))
        predicates.append(cursor.value(Query));
    for (const QJsonValue &json : predicates) {
        auto predicate = Model::EntityPredicate::fromJson(json);
        if (!predicate)
            return predicate.error();
        filter = filter.intersectedWith(Model::EntityFilter::fromPredicate(predicate.value()));
    }
    return filter;
}

QJsonArray keyJson(const QStringList &key, bool rowExists, bool ordered)
{
    if (!rowExists)
        return ordered ? QJsonArray{QJsonValue::Null, QJsonValue::Null} : QJsonArray{QJsonValue::Null};
    return QJsonArray::fromStringList(key);
}

struct QueryRequest
{
    QJsonObject cursor;            // without position when initial
    bool initial = true;
    bool countTotal = true;        // initial requests, unless totalItems=exclude
    qint64 limit = DefaultLimit;
    qint64 offset = 0;             // initial requests only
    QStringList fields;
};

// The page of `query` shaped as upstream answers it: {items, pageInfo, totalItems}.
HttpResponse queryPage(Store::CatalogStore &store, const Store::EntityQuery &query, const QueryRequest &in, const HttpRequest &request)
{
    auto page = store.queryEntities(query);
    if (!page)
        return HttpResponse::error(page.error(), request);

    const QJsonObject &cursor = in.cursor;
    const bool frozenTotal = cursor.contains(TotalItems);
    const bool ordered = !cursor.value(OrderFields).toArray().isEmpty();
    const qint64 totalItems = frozenTotal ? qint64(cursor.value(TotalItems).toDouble())
                              : query.countTotal ? page->totalItems
                                                 : 0;
    const bool rows = !page->items.isEmpty();
    const bool hasMore = in.limit > 0 && (query.backwards || page->hasMore);
    const QJsonArray firstKey = keyJson(page->firstKey, rows, ordered);
    const QJsonValue firstOfAll = in.initial ? QJsonValue(firstKey) : cursor.value(FirstSortFieldValues);
    QJsonObject pageInfo;
    if (hasMore) {
        QJsonObject next = cursor;
        next.insert(OrderFieldValues, keyJson(page->lastKey, rows, ordered));
        next.insert(FirstSortFieldValues, firstOfAll);
        next.insert(IsPrevious, false);
        next.insert(TotalItems, totalItems);
        pageInfo.insert(QStringLiteral("nextCursor"), encodeJsonCursor(next));
    }
    if (!in.initial && rows && firstKey != cursor.value(FirstSortFieldValues).toArray()) {
        QJsonObject previous = cursor;
        previous.insert(OrderFieldValues, firstKey);
        previous.insert(FirstSortFieldValues, firstOfAll);
        previous.insert(IsPrevious, true);
        previous.insert(TotalItems, totalItems);
        pageInfo.insert(QStringLiteral("prevCursor"), encodeJsonCursor(previous));
    }
    // Keys in the order QJsonObject writes them (sorted), the items spliced
    // into one buffer sized for the whole body.
    const QByteArray tail = ",\"pageInfo\":" + QJsonDocument(pageInfo).toJson(QJsonDocument::Compact) + ",\"totalItems\":"
                            + QByteArray::number(totalItems) + '}';
    QByteArray body = "{\"items\":";
    appendEntitiesJsonArray(body, page->items, in.fields, tail.size());
    body += tail;
    return HttpResponse::jsonBytes(std::move(body));
}

// Runs a by-query request the way upstream's queryEntities does: the query
// built and authorized here, the page read on a reader when there is a pool.
HttpResponse runQuery(Store::CatalogStore &store, ReaderPool *readers, const Auth::Authorizer &authorizer, const HttpRequest &request,
                      const QueryRequest &in)
{
    const QJsonObject &cursor = in.cursor;
    auto filter = cursorFilter(cursor);
    if (!filter)
        return HttpResponse::error(filter.error(), request);
    // The caller's read permission: denied answers an empty page; conditions
    // join the query's filter (and stay out of the cursor, as upstream's do).
    const std::optional<Model::EntityFilter> scope = authorizer.entityScope(request.principal, ReadEntity);
    if (isNothing(scope))
        return HttpResponse::jsonBytes(R"({"items":[],"pageInfo":{},"totalItems":0})");

    Store::EntityQuery query;
    query.filter = scope ? filter->intersectedWith(*scope) : filter.value();
    const QJsonArray orderFields = cursor.value(OrderFields).toArray();
    const bool ordered = !orderFields.isEmpty();
    if (ordered) {
        const QJsonObject first = orderFields.first().toObject();
        query.order.append({first.value(QLatin1String("field")).toString(),
                            first.value(QLatin1String("order")).toString() == QLatin1String("desc")});
    }
    const QJsonObject fullText = cursor.value(FullTextFilter).toObject();
    query.fullText.term = fullText.value(QLatin1String("term")).toString();
    query.fullText.fields = toStringList(fullText.value(QLatin1String("fields")));
    query.backwards = cursor.value(IsPrevious).toBool();
    for (const QJsonValue &value : cursor.value(OrderFieldValues).toArray())
        query.after.append(value.toString());
    query.offset = in.initial ? in.offset : 0;
    query.limit = in.limit;
    query.countTotal = !cursor.contains(TotalItems) && in.countTotal;
    query.rawJson = true;
    return readCatalog(readers, store, request, [query, in, request](Store::CatalogStore &reader) { return queryPage(reader, query, in, request); });
}

Result<QString> totalItemsMode(const QString &value, const char *what)
{
    if (value != QLatin1String("include") && value != QLatin1String("exclude"))
        return Error::input(QStringLiteral("Invalid totalItems %1 \"%2\", expected one of: include, exclude")
                                .arg(QLatin1String(what), value));
    return value;
}

HttpResponse getEntitiesByQuery(Store::CatalogStore &store, ReaderPool *readers, const Auth::Authorizer &authorizer, const HttpRequest &request)
{
    QueryRequest in;
    auto listing = listingParameters(request);
    if (!listing)
        return HttpResponse::error(listing.error(), request);
    if (listing->limit.value_or(0) < 0)
        return HttpResponse::error(Error::input(QStringLiteral("request/query/limit must be >= 0")), request);
    if (listing->offset.value_or(0) < 0)
        return HttpResponse::error(Error::input(QStringLiteral("request/query/offset must be >= 0")), request);
    in.fields = listing->fields;
    in.limit = listing->limit.value_or(DefaultLimit);
    in.offset = listing->offset.value_or(0);

    const QString cursorText = request.queryValues(QStringLiteral("cursor")).value(0);
    if (!cursorText.isEmpty()) {
        auto cursor = decodeCursor(cursorText);
        if (!cursor)
            return HttpResponse::error(cursor.error(), request);
        in.cursor = cursor.value();
        in.initial = false;
        return runQuery(store, readers, authorizer, request, in);
    }

    const QStringList filterParameters = request.queryValues(QStringLiteral("filter"));
    if (auto filter = Model::EntityFilter::parse(filterParameters); !filter)
        return HttpResponse::error(filter.error(), request);
    QJsonArray orderFields;
    for (const QString &orderField : request.queryValues(QStringLiteral("orderField"))) {
        const QStringList parts = orderField.split(QLatin1Char(','));
        // Upstream leaves a missing direction undefined, which its own cursor
        // parser then refuses on page 2; ascending is what it sorts by.
        const QString order = parts.size() > 1 ? parts.at(1) : QStringLiteral("asc");
        if (order != QLatin1String("asc") && order != QLatin1String("desc"))
            return HttpResponse::error(Error::input(QStringLiteral("Invalid order field order, must be asc or desc")), request);
        orderFields.append(QJsonObject{{QStringLiteral("field"), parts.first()}, {QStringLiteral("order"), order}});
    }
    in.cursor.insert(OrderFields, orderFields);
    in.cursor.insert(IsPrevious, false);
    const QJsonValue query = Model::EntityPredicate::filterParametersToJson(filterParameters);
    if (!query.isUndefined())
        in.cursor.insert(Query, query);
    QJsonObject fullText{{QStringLiteral("term"), request.queryValues(QStringLiteral("fullTextFilterTerm")).value(0)}};
    if (request.hasQuery(QStringLiteral("fullTextFilterFields"))) {
        QStringList textFields;
        for (const QString &value : request.queryValues(QStringLiteral("fullTextFilterFields")))
            textFields += value.split(QLatin1Char(','));
        fullText.insert(QStringLiteral("fields"), QJsonArray::fromStringList(textFields));
    }
    in.cursor.insert(FullTextFilter, fullText);
    if (request.hasQuery(QStringLiteral("totalItems"))) {
        auto mode = totalItemsMode(request.queryValues(QStringLiteral("totalItems")).last(), "parameter");
        if (!mode)
            return HttpResponse::error(mode.error(), request);
        in.countTotal = mode.value() == QLatin1String("include");
    }
    return runQuery(store, readers, authorizer, request, in);
}

Error bodyTypeError(const QString &field, const QString &type)
{
    return Error::input(QStringLiteral("request/body/%1 must be %2").arg(field, type));
}

// Body fields are not coerced: "limit": "10" is refused, as upstream's
// OpenAPI validator refuses it.
Result<std::optional<qint64>> bodyInteger(const QJsonObject &body, const QString &name)
{
    const QJsonValue value = body.value(name);
    if (value.isUndefined())
        return std::optional<qint64>();
    if (!value.isDouble() || value.toDouble() != double(value.toInteger()))
        return bodyTypeError(name, QStringLiteral("integer"));
    if (value.toInteger() < 0)
        return bodyTypeError(name, QStringLiteral(">= 0"));
    return std::optional<qint64>(value.toInteger());
}

Result<QStringList> bodyFields(const QJsonObject &body)
{
    const QJsonValue value = body.value(QLatin1String("fields"));
    if (value.isUndefined())
        return QStringList();
    if (!isStringArray(value))
        return bodyTypeError(QStringLiteral("fields"), QStringLiteral("array of strings"));
    return Model::EntityProjection::parseFields(toStringList(value));
}

HttpResponse postEntitiesByQuery(Store::CatalogStore &store, ReaderPool *readers, const Auth::Authorizer &authorizer, const HttpRequest &request)
{
    auto body = jsonObjectBody(request, true);
    if (!body)
        return HttpResponse::error(body.error(), request);
    QueryRequest in;
    auto fields = bodyFields(body.value());
    if (!fields)
        return HttpResponse::error(fields.error(), request);
    in.fields = fields.value();
    auto limit = bodyInteger(body.value(), QStringLiteral("limit"));
    if (!limit)
        return HttpResponse::error(limit.error(), request);
    auto offset = bodyInteger(body.value(), QStringLiteral("offset"));
    if (!offset)
        return HttpResponse::error(offset.error(), request);
    in.limit = limit->value_or(DefaultLimit);
    in.offset = offset->value_or(0);

    const QJsonValue cursorValue = body->value(QLatin1String("cursor"));
    if (!cursorValue.isUndefined()) {
        if (!cursorValue.isString())
            return HttpResponse::error(bodyTypeError(QStringLiteral("cursor"), QStringLiteral("string")), request);
        if (cursorValue.toString().isEmpty())
            return HttpResponse::error(Error::input(QStringLiteral("Cursor cannot be empty")), request);
        auto cursor = decodeCursor(cursorValue.toString());
        if (!cursor)
            return HttpResponse::error(cursor.error(), request);
        in.cursor = cursor.value();
        in.initial = false;
        return runQuery(store, readers, authorizer, request, in);
    }

    const QJsonValue query = body->value(Query);
    if (!query.isUndefined()) {
        if (auto predicate = Model::EntityPredicate::fromJson(query); !predicate)
            return HttpResponse::error(predicate.error(), request);
        in.cursor.insert(Query, query);
    }
    QJsonArray orderFields;
    const QJsonValue orderBy = body->value(QLatin1String("orderBy"));
    if (!orderBy.isUndefined() && !orderBy.isArray())
        return HttpResponse::error(bodyTypeError(QStringLiteral("orderBy"), QStringLiteral("array")), request);
    for (const QJsonValue &item : orderBy.toArray()) {
        const QJsonObject order = item.toObject();
        if (!order.value(QLatin1String("field")).isString())
            return HttpResponse::error(bodyTypeError(QStringLiteral("orderBy/field"), QStringLiteral("string")), request);
        const QString direction = order.value(QLatin1String("order")).toString();
        if (direction != QLatin1String("asc") && direction != QLatin1String("desc"))
            return HttpResponse::error(Error::input(QStringLiteral("Invalid order field order, must be asc or desc")), request);
        orderFields.append(QJsonObject{{QStringLiteral("field"), order.value(QLatin1String("field"))},
                                       {QStringLiteral("order"), direction}});
    }
    in.cursor.insert(OrderFields, orderFields);
    in.cursor.insert(IsPrevious, false);
    const QJsonValue fullText = body->value(FullTextFilter);
    if (!fullText.isUndefined()) {
        const QJsonObject object = fullText.toObject();
        const QJsonValue term = object.value(QLatin1String("term"));
        const QJsonValue textFields = object.value(QLatin1String("fields"));
        if (!fullText.isObject() || !(term.isUndefined() || term.isString())
            || !(textFields.isUndefined() || isStringArray(textFields)))
            return HttpResponse::error(bodyTypeError(FullTextFilter, QStringLiteral("{term?: string, fields?: string[]}")),
                                       request);
        QJsonObject normalised{{QStringLiteral("term"), term.toString()}};
        if (!textFields.isUndefined())
            normalised.insert(QStringLiteral("fields"), textFields);
        in.cursor.insert(FullTextFilter, normalised);
    }
    const QJsonValue mode = body->value(TotalItems);
    if (!mode.isUndefined()) {
        auto parsed = totalItemsMode(mode.toVariant().toString(), "value");
        if (!parsed)
            return HttpResponse::error(parsed.error(), request);
        in.countTotal = parsed.value() == QLatin1String("include");
    }
    return runQuery(store, readers, authorizer, request, in);
}

HttpResponse postEntityFacets(Store::CatalogStore &store, const Auth::Authorizer &authorizer, const HttpRequest &request)
{
    auto body = jsonObjectBody(request, true);
    if (!body)
        return HttpResponse::error(body.error(), request);
    const Error missing = Error::input(QStringLiteral("Missing or empty facets parameter"));
    const QJsonValue facetsValue = body->value(QLatin1String("facets"));
    if (!facetsValue.isUndefined() && !isStringArray(facetsValue))
        return HttpResponse::error(bodyTypeError(QStringLiteral("facets"), QStringLiteral("array of strings")), request);
    QStringList facets;
    for (const QString &facet : toStringList(facetsValue)) {
        if (!facet.isEmpty())
            facets.append(facet);
    }
    if (facets.isEmpty())
        return HttpResponse::error(missing, request);
    Model::EntityFilter filter;
    if (body->contains(Query)) {
        auto predicate = Model::EntityPredicate::fromJson(body->value(Query));
        if (!predicate)
            return HttpResponse::error(predicate.error(), request);
        filter = Model::EntityFilter::fromPredicate(predicate.value());
    }
    return facetsResponse(store, request, facets, filter, authorizer.entityScope(request.principal, ReadEntity));
}

} // namespace

void addEntityQueryRoutes(Router &router, Store::CatalogStore &store, const Auth::Authorizer &authorizer, ReaderPool *readers)
{
    addCatalogRoute(router, "GET", QStringLiteral("/entities/by-query"), {QStringLiteral("fields"), QStringLiteral("limit"), QStringLiteral("offset"), QStringLiteral("orderField"), QStringLiteral("cursor"), QStringLiteral("filter"), QStringLiteral("totalItems"), QStringLiteral("fullTextFilterTerm"), QStringLiteral("fullTextFilterFields")},
               [&store, readers, &authorizer](const HttpRequest &request) { return getEntitiesByQuery(store, readers, authorizer, request); });
    addCatalogRoute(router, "POST", QStringLiteral("/entities/by-query"), {},
               [&store, readers, &authorizer](const HttpRequest &request) { return postEntitiesByQuery(store, readers, authorizer, request); });
    addCatalogRoute(router, "POST", QStringLiteral("/entity-facets"), {},
               [&store, &authorizer](const HttpRequest &request) { return postEntityFacets(store, authorizer, request); });
}

} // namespace Greenroom::Server
