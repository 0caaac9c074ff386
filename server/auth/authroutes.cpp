// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "authroutes.h"

#include "catalog/routesupport.h"

#include <QJsonArray>

namespace Greenroom::Server {

namespace {

// A permission as a request states it: a known one by name, else as written.
Auth::Permission permissionOf(const QJsonObject &json)
{
    const QString name = json.value(QLatin1String("name")).toString();
    if (auto known = Auth::permissionNamed(name))
        return *known;
    const bool resource = json.value(QLatin1String("type")).toString() == QLatin1String("resource");
    return {name, resource ? Auth::Permission::Type::Resource : Auth::Permission::Type::Basic,
            json.value(QLatin1String("attributes")).toObject().value(QLatin1String("action")).toString(),
            json.value(QLatin1String("resourceType")).toString()};
}

} // namespace

void addAuthRoutes(Router &router, const Auth::UserTokens &tokens)
{
    router.add("GET", QStringLiteral("/api/auth"), QStringLiteral("/.well-known/jwks.json"),
               [&tokens](const HttpRequest &) { return HttpResponse::json(tokens.jwks()); });
}

void addPermissionRoutes(Router &router, const Auth::Authorizer &authorizer, Store::CatalogStore &catalog)
{
    router.add("POST", QStringLiteral("/api/permission"), QStringLiteral("/authorize"), [&authorizer, &catalog](const HttpRequest &request) {
        const Auth::Principal &caller = request.principal;
        if (caller.type == Auth::Principal::Type::Service)
            return HttpResponse::error(Error(QStringLiteral("NotAllowedError"), QStringLiteral("This endpoint does not allow 'service' credentials")),
                                       request);
        // No credentials reach here only on a server without tokens (loopback
        // only): such callers are decided as a guest, as every route decides them.
        auto body = jsonObjectBody(request);
        if (!body)
            return HttpResponse::error(body.error(), request);
        const QJsonValue items = body->value(QLatin1String("items"));
        if (!items.isArray())
            return HttpResponse::error(Error::input(QStringLiteral("Invalid request body: items must be a list")), request);
        QJsonArray answers;
        for (const QJsonValue &value : items.toArray()) {
            const QJsonObject item = value.toObject();
            const QJsonValue id = item.value(QLatin1String("id"));
            if (!id.isString() || !item.value(QLatin1String("permission")).toObject().value(QLatin1String("name")).isString())
                return HttpResponse::error(Error::input(QStringLiteral("Invalid request body: each item needs an id and a permission with a name")),
                                           request);
            const Auth::Permission permission = permissionOf(item.value(QLatin1String("permission")).toObject());
            const bool hasResource = item.contains(QLatin1String("resourceRef"));
            if (permission.type == Auth::Permission::Type::Resource && !hasResource)
                return HttpResponse::error(Error::input(QStringLiteral("Direct user requests without a resourceRef are not allowed")), request);
            Auth::PolicyDecision decision = authorizer.decide(caller, permission);
            if (decision.result == Auth::PolicyDecision::Result::Conditional) {
                // Evaluated on the resource, as the plugin that owns it would.
                bool allowed = false;
                if (decision.resourceType == QLatin1String("catalog-entity")) {
                    const auto entity = catalog.entityByRef(item.value(QLatin1String("resourceRef")).toString().toLower());
                    allowed = entity && Auth::PermissionCriteria::matches(decision.conditions, entity->entity);
                }
                decision = {};
                decision.result = allowed ? Auth::PolicyDecision::Result::Allow : Auth::PolicyDecision::Result::Deny;
            }
            QJsonObject answer = decision.toJson();
            answer.insert(QStringLiteral("id"), id);
            answers.append(answer);
        }
        return HttpResponse::json(QJsonObject{{QStringLiteral("items"), answers}});
    });
}

std::optional<Store::StoredEntity> readableEntity(const Auth::Authorizer &authorizer, Store::CatalogStore &catalog,
                                                  const Auth::Principal &caller, const QString &ref)
{
    const std::optional<Model::EntityFilter> scope = authorizer.entityScope(caller, QStringLiteral("catalog.entity.read"));
    if (!scope)
        return catalog.entityByRef(ref);
    if (Auth::Authorizer::isNothing(scope))
        return std::nullopt;
    auto found = catalog.entitiesByRefs({ref}, *scope);
    return found ? found->value(0) : std::nullopt;
}

} // namespace Greenroom::Server
