// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogroutes.h"

#include "readerpool.h"
#include "routesupport.h"

#include <model/entityfilter.h>
#include <model/entitypredicate.h>
#include <model/entityprojection.h>
#include <model/entityref.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/catalog");

// application/x-www-form-urlencoded, as URLSearchParams writes it.
QByteArray formEncode(const QString &text)
{
    QByteArray out = QUrl::toPercentEncoding(text, "*-._ ", "~");
    out.replace(' ', '+');
    return out;
}

// The legacy GET /entities `after` cursor: base64 of {"limit":N,"offset":M}.
Result<std::pair<qint64, qint64>> decodeAfter(const QString &after)
{
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromBase64(after.toLatin1()));
    if (!document.isObject())
        return Error::input(QStringLiteral("Malformed after cursor, could not be parsed"));
    const QJsonValue limit = document.object().value(QLatin1String("limit"));
    const QJsonValue offset = document.object().value(QLatin1String("offset"));
    if (!limit.isDouble() || limit.toDouble() != double(limit.toInteger()))
        return Error::input(QStringLiteral("Malformed after cursor, limit was not an number"));
    if (!offset.isDouble() || offset.toDouble() != double(offset.toInteger()))
        return Error::input(QStringLiteral("Malformed after cursor, offset was not a number"));
    return std::pair(limit.toInteger(), offset.toInteger());
}

Result<QList<Store::EntityOrder>> parseOrder(const QStringList &values)
{
    static const QRegularExpression form(QStringLiteral("^(asc|desc):(.+)$"));
    QList<Store::EntityOrder> order;
    for (const QString &value : values) {
        const QRegularExpressionMatch match = form.match(value);
        if (!match.hasMatch())
            return Error::input(QStringLiteral("Invalid order parameter \"%1\", expected \"<asc or desc>:<field name>\"").arg(value));
        order.append({match.captured(2), match.captured(1) == QLatin1String("desc")});
    }
    return order;
}

// A page of GET /entities read, with upstream's Link header to the next.
HttpResponse entitiesPage(Store::CatalogStore &store, const Store::EntityQuery &query, const HttpRequest &request,
                          const QStringList &fields, bool paginated, std::optional<qint64> pageLimit)
{
    auto page = store.queryEntities(query);
    if (!page)
        return HttpResponse::error(page.error(), request);
    HttpResponse response = HttpResponse::jsonBytes(entitiesJsonArray(page->items, fields));
    if (paginated && page->hasMore && pageLimit) {
        const QJsonObject next{{QStringLiteral("limit"), *pageLimit}, {QStringLiteral("offset"), query.offset + *pageLimit}};
        const QString cursor = QString::fromLatin1(QJsonDocument(next).toJson(QJsonDocument::Compact).toBase64());
        QByteArray link = "</entities";
        QList<std::pair<QString, QString>> params;
        for (const auto &pair : request.query) {
            if (pair.first != QLatin1String("offset") && pair.first != QLatin1String("after"))
                params.append(pair);
        }
        params.append({QStringLiteral("after"), cursor});
        for (qsizetype i = 0; i < params.size(); ++i)
            link += (i ? "&" : "?") + formEncode(params.at(i).first) + '=' + formEncode(params.at(i).second);
        link += ">; rel=\"next\"";
        response.headers.append(std::pair(QByteArray("Link"), link));
    }
    return response;
}

HttpResponse getEntities(Store::CatalogStore &store, ReaderPool *readers, const Auth::Authorizer &authorizer, const HttpRequest &request)
{
    auto filter = Model::EntityFilter::parse(request.queryValues(QStringLiteral("filter")));
    if (!filter)
        return HttpResponse::error(filter.error(), request);
    auto listing = listingParameters(request);
    if (!listing)
        return HttpResponse::error(listing.error(), request);
    auto order = parseOrder(request.queryValues(QStringLiteral("order")));
    if (!order)
        return HttpResponse::error(order.error(), request);
    if (listing->limit && *listing->limit <= 0)
        return HttpResponse::error(Error::input(QStringLiteral("Invalid limit, must be greater than zero")), request);
    if (listing->offset && *listing->offset < 0)
        return HttpResponse::error(Error::input(QStringLiteral("Invalid offset, must be zero or greater")), request);
    std::optional<qint64> pageLimit = listing->limit;
    std::optional<qint64> pageOffset = listing->offset;
    if (request.hasQuery(QStringLiteral("after"))) {
        const QString after = request.queryValues(QStringLiteral("after")).last();
        if (after.isEmpty())
            return HttpResponse::error(Error::input(QStringLiteral("Invalid after cursor, must not be empty")), request);
        auto cursor = decodeAfter(after);
        if (!cursor)
            return HttpResponse::error(cursor.error(), request);
        pageLimit = cursor->first;
        pageOffset = cursor->second;
    }
    const bool paginated = pageLimit || pageOffset || request.hasQuery(QStringLiteral("after"));

    const std::optional<Model::EntityFilter> scope = authorizer.entityScope(request.principal, ReadEntity);
    if (isNothing(scope))
        return HttpResponse::jsonBytes("[]");
    Store::EntityQuery query;
    query.filter = scope ? filter->intersectedWith(*scope) : filter.value();
    query.order = order.value();
    if (!paginated && query.order.size() > 1)
        query.order = query.order.mid(0, 1);   // upstream's unpaginated path sorts on the first only
    query.keepEntitiesWithoutOrderValue = paginated;
    query.tieBreakFollowsOrder = false;
    query.offset = pageOffset.value_or(0);
    query.limit = pageLimit.value_or(-1);
    query.rawJson = true;
    return readCatalog(readers, store, request, [query, request, fields = listing->fields, paginated, pageLimit](Store::CatalogStore &reader) {
        return entitiesPage(reader, query, request, fields, paginated, pageLimit);
    });
}

HttpResponse postEntitiesByRefs(Store::CatalogStore &store, const Auth::Authorizer &authorizer, const HttpRequest &request)
{
    const auto malformed = [&](const QString &details) {
        return HttpResponse::error(
            Error::input(QStringLiteral("Malformed request body (did you remember to specify an application/json content type?), %1")
                           .arg(details)),
            request);
    };
    if (!request.headers.value("content-type").trimmed().toLower().startsWith("application/json"))
        return malformed(QStringLiteral("Expected a JSON object with an entityRefs array"));
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    const QJsonValue refsValue = document.object().value(QLatin1String("entityRefs"));
    if (!document.isObject() || !refsValue.isArray())
        return malformed(QStringLiteral("entityRefs must be an array"));
    QStringList refs;
    for (const QJsonValue &ref : refsValue.toArray()) {
        if (!ref.isString())
            return malformed(QStringLiteral("entityRefs must be an array of strings"));
        refs.append(ref.toString());   // compared as given (Backstage 1.55)
    }
    QStringList fieldParameters;   // only from the body: the query string may not carry them
    const QJsonValue bodyFields = document.object().value(QLatin1String("fields"));
    if (!bodyFields.isUndefined()) {
        if (!bodyFields.isArray())
            return malformed(QStringLiteral("fields must be an array"));
        for (const QJsonValue &field : bodyFields.toArray())
            fieldParameters.append(field.toString());
    }
    auto fields = Model::EntityProjection::parseFields(fieldParameters);
    if (!fields)
        return HttpResponse::error(fields.error(), request);
    auto filter = Model::EntityFilter::parse(request.queryValues(QStringLiteral("filter")));
    if (!filter)
        return HttpResponse::error(filter.error(), request);
    Model::EntityFilter combined = filter.value();
    const QJsonValue query = document.object().value(QLatin1String("query"));
    if (!query.isUndefined()) {
        auto predicate = Model::EntityPredicate::fromJson(query);
        if (!predicate)
            return malformed(predicate.error().message);
        combined = combined.intersectedWith(Model::EntityFilter::fromPredicate(predicate.value()));
    }
    // Denied: a null for every ref, as upstream answers without asking the database.
    const std::optional<Model::EntityFilter> scope = authorizer.entityScope(request.principal, ReadEntity);
    if (scope)
        combined = combined.intersectedWith(*scope);
    auto found = isNothing(scope) ? Result<QList<std::optional<Store::StoredEntity>>>(QList<std::optional<Store::StoredEntity>>(refs.size()))
                                  : store.entitiesByRefs(refs, combined);
    if (!found)
        return HttpResponse::error(found.error(), request);
    QByteArray items = "{\"items\":[";
    for (qsizetype i = 0; i < found->size(); ++i) {
        const std::optional<Store::StoredEntity> &entity = found->at(i);
        if (i > 0)
            items += ',';
        items += entity ? entityJson(*entity, *fields) : QByteArray("null");
    }
    return HttpResponse::jsonBytes(items + "]}");
}

HttpResponse getEntityFacets(Store::CatalogStore &store, const Auth::Authorizer &authorizer, const HttpRequest &request)
{
    QStringList facets;
    for (const QString &facet : request.queryValues(QStringLiteral("facet"))) {
        if (!facet.trimmed().isEmpty())
            facets.append(facet.trimmed());
    }
    if (facets.isEmpty())
        return HttpResponse::error(Error::input(QStringLiteral("Missing facet parameter")), request);
    auto filter = Model::EntityFilter::parse(request.queryValues(QStringLiteral("filter")));
    if (!filter)
        return HttpResponse::error(filter.error(), request);
    return facetsResponse(store, request, facets, filter.value(), authorizer.entityScope(request.principal, ReadEntity));
}

HttpResponse getAncestry(Store::CatalogStore &store, const Auth::Authorizer &authorizer, const HttpRequest &request)
{
    const QString ref = Model::EntityRef::canonical(request.params.value(QStringLiteral("kind")),
                                                    request.params.value(QStringLiteral("namespace")),
                                                    request.params.value(QStringLiteral("name")));
    QList<Store::StoredEntity> chain = store.ancestry(ref);
    // As upstream: the root is asked about with its ref (a conditional
    // decision evaluated on it, a missing root denied), then each entity of
    // the chain; an unreadable one is dropped with everything above it.
    const auto readable = [&](const std::optional<QJsonObject> &entity) {
        return authorizer.allowsEntity(request.principal, ReadEntity, entity);
    };
    if (!readable(chain.isEmpty() ? std::nullopt : std::optional(chain.first().entity)))
        return notAllowed(request);
    if (chain.isEmpty())
        return HttpResponse::error(notFound(QStringLiteral("No such entity %1").arg(ref)), request);
    for (qsizetype i = 0; i < chain.size(); ++i) {
        if (!readable(chain.at(i).entity)) {
            chain = chain.mid(0, i);   // a chain: each entity's only parent is the next
            break;
        }
    }
    QJsonArray items;
    for (const Store::StoredEntity &entity : chain) {
        const QJsonArray parents = entity.parentRef.isEmpty() ? QJsonArray() : QJsonArray{entity.parentRef};
        items.append(QJsonObject{{QStringLiteral("entity"), entity.entity}, {QStringLiteral("parentEntityRefs"), parents}});
    }
    return HttpResponse::json(QJsonObject{{QStringLiteral("rootEntityRef"), ref}, {QStringLiteral("items"), items}});
}

// The entity with `uid` among those `scope` admits (all when nullopt).
Result<std::optional<Store::StoredEntity>> entityWithUid(Store::CatalogStore &store, const QString &uid,
                                                         const std::optional<Model::EntityFilter> &scope)
{
    if (!scope)
        return store.entityByUid(uid);
    if (isNothing(scope))
        return std::optional<Store::StoredEntity>();
    Store::EntityQuery query;
    query.filter.anyOf.append({Model::EntityFilter::Condition{QStringLiteral("metadata.uid"), {uid.toLower()}}});
    query.filter = query.filter.intersectedWith(*scope);
    query.limit = 1;
    query.rawJson = true;
    auto page = store.queryEntities(query);
    if (!page)
        return page.error();
    // The uid is compared folded in the search table: make sure it is this one.
    if (page->items.isEmpty() || page->items.first().uid != uid)
        return std::optional<Store::StoredEntity>();
    return std::optional(page->items.first());
}

} // namespace

void addCatalogRoutes(Router &router, Store::CatalogStore &store, const Auth::Authorizer &authorizer, ReaderPool *readers)
{
    addCatalogRoute(router, "GET", QStringLiteral("/entities"), {QStringLiteral("fields"), QStringLiteral("limit"), QStringLiteral("filter"), QStringLiteral("offset"), QStringLiteral("after"), QStringLiteral("order")},
               [&store, readers, &authorizer](const HttpRequest &request) { return getEntities(store, readers, authorizer, request); });
    addCatalogRoute(router, "GET", QStringLiteral("/entities/by-uid/:uid"), {}, [&store, &authorizer](const HttpRequest &request) {
        const QString uid = request.params.value(QStringLiteral("uid"));
        auto entity = entityWithUid(store, uid, authorizer.entityScope(request.principal, ReadEntity));
        if (!entity)
            return HttpResponse::error(entity.error(), request);
        if (entity->has_value())
            return HttpResponse::jsonBytes(entityJson(**entity));
        return HttpResponse::error(notFound(QStringLiteral("No entity with uid %1").arg(uid)), request);
    });
    addCatalogRoute(router, "DELETE", QStringLiteral("/entities/by-uid/:uid"), {}, [&store, &authorizer](const HttpRequest &request) {
        const QString uid = request.params.value(QStringLiteral("uid"));
        // Denied, or conditional and the entity is not among those admitted: 403.
        const std::optional<Model::EntityFilter> scope = authorizer.entityScope(request.principal, QStringLiteral("catalog.entity.delete"));
        if (scope) {
            auto admitted = entityWithUid(store, uid, scope);
            if (!admitted)
                return HttpResponse::error(admitted.error(), request);
            if (!admitted->has_value())
                return notAllowed(request);
        }
        if (Status removed = store.removeEntityByUid(uid); !removed)
            return HttpResponse::error(removed.error(), request);
        return HttpResponse::empty(204);
    });
    addCatalogRoute(router, "GET", QStringLiteral("/entities/by-name/:kind/:namespace/:name"), {}, [&store, &authorizer](const HttpRequest &request) {
        const QString kind = request.params.value(QStringLiteral("kind"));
        const QString namespaceName = request.params.value(QStringLiteral("namespace"));
        const QString name = request.params.value(QStringLiteral("name"));
        const QString ref = Model::EntityRef::canonical(kind, namespaceName, name);
        const std::optional<Model::EntityFilter> scope = authorizer.entityScope(request.principal, ReadEntity);
        std::optional<Store::StoredEntity> entity;
        if (!scope) {
            entity = store.entityByRef(ref);
        } else if (!isNothing(scope)) {
            auto found = store.entitiesByRefs({ref}, *scope);
            if (!found)
                return HttpResponse::error(found.error(), request);
            entity = found->value(0);
        }
        if (entity)
            return HttpResponse::jsonBytes(entityJson(*entity));
        return HttpResponse::error(
            notFound(QStringLiteral("No entity named '%1' found, with kind '%2' in namespace '%3'").arg(name, kind, namespaceName)),
            request);
    });
    addCatalogRoute(router, "GET", QStringLiteral("/entities/by-name/:kind/:namespace/:name/ancestry"), {},
               [&store, &authorizer](const HttpRequest &request) { return getAncestry(store, authorizer, request); });
    addCatalogRoute(router, "POST", QStringLiteral("/entities/by-refs"), {QStringLiteral("filter")},
               [&store, &authorizer](const HttpRequest &request) { return postEntitiesByRefs(store, authorizer, request); });
    addCatalogRoute(router, "GET", QStringLiteral("/entity-facets"), {QStringLiteral("facet"), QStringLiteral("filter")},
               [&store, &authorizer](const HttpRequest &request) { return getEntityFacets(store, authorizer, request); });
    addEntityQueryRoutes(router, store, authorizer, readers);
    addValidationRoutes(router, authorizer);
}

void addHealthRoutes(Router &router, Store::CatalogStore &store, const bool &shuttingDown)
{
    const auto ok = [](const HttpRequest &) { return HttpResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}}); };
    router.add("GET", QString(), QStringLiteral("/.backstage/health/v1/liveness"), ok);
    router.add("GET", QString(), QStringLiteral("/.backstage/health/v1/readiness"), [&shuttingDown](const HttpRequest &) {
        if (shuttingDown)
            return HttpResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Backend is shutting down")},
                                                  {QStringLiteral("status"), QStringLiteral("error")}},
                                      503);
        return HttpResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    });
    router.add("GET", QString(), QStringLiteral("/healthcheck"), [&store](const HttpRequest &) {
        if (Status health = store.checkHealth(); !health)
            return HttpResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("error")},
                                                  {QStringLiteral("message"), QStringLiteral("The database does not answer")}},
                                      503);
        return HttpResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    });
}

} // namespace Greenroom::Server
