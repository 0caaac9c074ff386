// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogroutes.h"
#include "routesupport.h"

namespace Greenroom::Server {

// POST /refresh {entityRef, authorizationToken?}: the entity's location is
// queued to be read now; 200 with an empty body, 404 for an unknown entity.
void addRefreshRoute(Router &router, Ingest::ProcessingLoop &loop)
{
    addCatalogRoute(router, "POST", QStringLiteral("/refresh"), {}, [&loop](const HttpRequest &request) {
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
        if (Status queued = loop.refreshEntity(ref.toString()); !queued)
            return HttpResponse::error(queued.error(), request);
        return HttpResponse::empty(200);
    });
}

} // namespace Greenroom::Server
