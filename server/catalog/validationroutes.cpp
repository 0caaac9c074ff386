// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogroutes.h"
#include "routesupport.h"

#include <model/entityprocessor.h>
#include <model/entityschemas.h>
#include <model/locationref.h>

#include <QJsonArray>
#include <QJsonObject>

// POST /validate-entity: the entity is processed as if read from `location`
// and nothing is stored. Failures answer 400 with {errors: [...]} (serialised
// errors, without the usual request/response wrapper), as upstream does.

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/catalog");

HttpResponse errorsResponse(const QJsonArray &errors)
{
    return HttpResponse::json(QJsonObject{{QStringLiteral("errors"), errors}}, 400);
}

QJsonObject serialized(const QString &name, const QString &message)
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("message"), message}};
}

HttpResponse postValidateEntity(const Auth::Authorizer &authorizer, const HttpRequest &request)
{
    auto body = jsonObjectBody(request);
    if (!body)
        return errorsResponse({serialized(body.error().name, body.error().message)});
    const QJsonValue location = body->value(QLatin1String("location"));
    if (!location.isString())
        return errorsResponse({serialized(QStringLiteral("InputError"),
                                          QStringLiteral("Malformed request: location must be a string"))});
    const QJsonValue entity = body->value(QLatin1String("entity"));
    const QList<Model::SchemaError> envelope = Model::EntitySchemas::envelope()->validate(entity);
    if (!envelope.isEmpty())
        return errorsResponse({serialized(QStringLiteral("TypeError"), envelope.first().describe(true))});
    auto ref = Model::LocationRef::parse(location.toString());
    if (!ref)
        return errorsResponse({serialized(QStringLiteral("TypeError"), ref.error().message)});
    if (ref->type != QLatin1String("url"))
        return errorsResponse({serialized(QStringLiteral("TypeError"),
                                          QStringLiteral("Invalid location ref %1, only 'url:<target>' is supported, e.g. "
                                                         "url:https://host/path").arg(location.toString()))});
    // Asked once the request is well formed; a refusal is thrown, not listed.
    if (Status allowed = authorizer.require(request.principal, QStringLiteral("catalog.entity.validate")); !allowed)
        return HttpResponse::error(allowed.error(), request);

    const QJsonObject annotated = Model::withLocationAnnotations(entity.toObject(), location.toString(), location.toString());
    const Model::ProcessingOutcome outcome = Model::EntityProcessor::process(annotated);
    if (!outcome.isOk()) {
        const Model::EntityProblem &problem = *outcome.problem;
        QJsonObject error = serialized(problem.name, problem.fullMessage());
        if (!problem.causeName.isEmpty())
            error.insert(QStringLiteral("cause"), serialized(problem.causeName, problem.causeMessage));
        return errorsResponse({error});
    }
    return HttpResponse::empty(200);
}

} // namespace

void addValidationRoutes(Router &router, const Auth::Authorizer &authorizer)
{
    addCatalogRoute(router, "POST", QStringLiteral("/validate-entity"), {}, [&authorizer](const HttpRequest &request) {
        return postValidateEntity(authorizer, request);
    });
}

} // namespace Greenroom::Server
