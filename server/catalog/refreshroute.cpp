// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogroutes.h"
#include "routesupport.h"

namespace Greenroom::Server {

// POST /refresh {entityRef, authorizationToken?}: the entity's location is
// queued to be read now; 200 with an empty body, 404 for an unknown entity.
// The caller needs catalog.entity.refresh on the entity (asked with its ref:
// conditions are evaluated on it, and a missing entity is denied).
void addRefreshRoute(Router &router, Ingest::ProcessingLoop &loop, Store::CatalogStore &store, const Auth::Authorizer &authorizer)
{
    addCatalogRoute(router, "POST", QStringLiteral("/refresh"), {}, [&loop, &store, &authorizer](const HttpRequest &request) {
        auto body = jsonObjectBody(request, true);
        if (!body)
            return HttpResponse::error(body.error(), request);
        for (const QString &key : body->keys()) {
            if (key != QLatin1String("entityRef") && key != QLatin1String("authorizationToken"))
                return HttpResponse::error(Error::input(QStringLiteral("request/body must NOT have additional properties")), request);
        }
        const QJsonValue ref = body->value(QLatin1String("entityRef"));
        if (ref.isUndefined())
            return HttpResponse::error(Error::input(QStringLiteral("request/body must have required property 'entityRef'")), request);
        if (!ref.isString())
            return HttpResponse::error(Error::input(QStringLiteral("request/body/entityRef must be string")), request);
        if (authorizer.isEnabled()) {
            const std::optional<Store::StoredEntity> entity = store.entityByRef(ref.toString());
            if (!authorizer.allowsEntity(request.principal, QStringLiteral("catalog.entity.refresh"),
                                         entity ? std::optional(entity->entity) : std::nullopt))
                return notAllowed(request);
        }
        if (Status queued = loop.refreshEntity(ref.toString()); !queued)
            return HttpResponse::error(queued.error(), request);
        return HttpResponse::empty(200);
    });
}

} // namespace Greenroom::Server
