// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/httpmessage.h"
#include "http/router.h"

#include <auth/authorizer.h>
#include <common/result.h>
#include <store/catalogstore.h>

#include <QJsonArray>
#include <QJsonObject>
#include <optional>

namespace Greenroom::Server {

// Request parsing and response shaping shared by the catalog's route files.

Error notFound(const QString &message);
// What the catalog answers when the permission policy says no: 403, no message, as upstream.
HttpResponse notAllowed(const HttpRequest &request);

// Adds a catalog route (below /api/catalog) that takes only the query
// parameters `known`: Backstage validates every catalog request against its
// OpenAPI spec, which refuses any other with 400 InputError
// "Unknown query parameter '<name>'" before the route runs.
void addCatalogRoute(Router &router, const QByteArray &method, const QString &pattern, const QStringList &known, Router::Handler handler);

// An integer query parameter (the last one when repeated); nullopt when absent.
Result<std::optional<qint64>> integerParameter(const HttpRequest &request, const QString &name);

// The `fields`, `limit` and `offset` query parameters both entity listings
// take, parsed but not range-checked (each route has its own rules).
struct ListingParameters
{
    QStringList fields;
    std::optional<qint64> limit;
    std::optional<qint64> offset;
};
Result<ListingParameters> listingParameters(const HttpRequest &request);

// The entity (or each entity) cut down to `fields`; all of it when empty.
QJsonObject projected(const Store::StoredEntity &entity, const QStringList &fields);
QJsonArray projected(const QList<Store::StoredEntity> &entities, const QStringList &fields);
// The entities as a JSON array: their stored text spliced when they were read
// with EntityQuery::rawJson and no fields are asked for (the bytes are what
// serialising the parsed entity gives), else projected and serialised.
// One entity's JSON as stored (its keys in their file's order), or its
// `fields` projection in that order.
QByteArray entityJson(const Store::StoredEntity &entity, const QStringList &fields = {});
QByteArray entitiesJsonArray(const QList<Store::StoredEntity> &entities, const QStringList &fields);
// The same array appended to `out`, with room for `thenMore` bytes after it.
void appendEntitiesJsonArray(QByteArray &out, const QList<Store::StoredEntity> &entities, const QStringList &fields,
                             qsizetype thenMore = 0);

// The permission catalog.entity.read, as the routes that read entities ask it.
inline const QString ReadEntity = QStringLiteral("catalog.entity.read");
inline bool isNothing(const std::optional<Model::EntityFilter> &scope) { return Auth::Authorizer::isNothing(scope); }

// {"facets": {"<key as asked>": [{value, count}...]}} for GET and POST
// /entity-facets, counted over the entities `scope` admits (the caller's
// read permission: empty lists when denied).
HttpResponse facetsResponse(Store::CatalogStore &store, const HttpRequest &request, const QStringList &facets,
                            const Model::EntityFilter &filter, const std::optional<Model::EntityFilter> &scope);

// The JSON object body of a POST, checked the way upstream's
// requireRequestBody does ("Content-Type missing", "Illegal Content-Type",
// "Missing request body", "Expected body to be a JSON object", "Empty
// request body"). `allowEmpty` lets `{}` and a missing body through as `{}`
// for routes whose body fields are all optional.
Result<QJsonObject> jsonObjectBody(const HttpRequest &request, bool allowEmpty = false);

// Standard base64 of compact JSON, as upstream's cursors are written, and
// back (lenient about base64url and padding, as Node's decoder is).
QString encodeJsonCursor(const QJsonObject &cursor);
std::optional<QJsonObject> decodeJsonCursor(const QString &cursor);

} // namespace Greenroom::Server
