// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogroutes.h"
#include "routesupport.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QThreadPool>

// The locations routes (list, get, add with dryRun, update, delete,
// by-entity, by-query) and POST /analyze-location, as upstream registers
// them: the literal /locations/by-query before /locations/:id.

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/catalog");

// The `yn` package's reading of ?dryRun: yes-like words are true, all else false.
bool isYes(const QString &value)
{
    static const QRegularExpression yes(QStringLiteral("^(?:y|yes|true|1|on)$"), QRegularExpression::CaseInsensitiveOption);
    return yes.match(value.trimmed()).hasMatch();
}

Result<Ingest::LocationInput> locationBody(const HttpRequest &request)
{
    auto body = jsonObjectBody(request);
    if (!body)
        return body.error();
    return Ingest::LocationInput::fromJson(body.value());
}

} // namespace

void addLocationRoutes(Router &router, Ingest::LocationService &locations, const Ingest::LocationProcessor &processor,
                       QObject *context, const Auth::Authorizer &authorizer)
{
    // As upstream's AuthorizedLocationService: catalog.location.create for
    // adding (dry runs too) and updating, .delete for deleting, .read for
    // reading, where a refusal reads as nothing there.
    const auto allowed = [&authorizer](const HttpRequest &request, const char *permission) {
        return authorizer.decide(request.principal, QLatin1String(permission)).result != Auth::PolicyDecision::Result::Deny;
    };
    const auto refused = [](const HttpRequest &request) {
        return notAllowed(request);
    };
    addCatalogRoute(router, "POST", QStringLiteral("/locations"), {QStringLiteral("dryRun"), QStringLiteral("onConflict")}, [&locations, &processor, context, allowed, refused](const HttpRequest &request) {
        auto input = locationBody(request);
        if (!input)
            return HttpResponse::error(input.error(), request);
        if (!allowed(request, "catalog.location.create"))
            return refused(request);
        const bool dryRun = isYes(request.queryValues(QStringLiteral("dryRun")).value(0));
        if (!dryRun) {
            if (Status writable = locations.checkWritable(); !writable)
                return HttpResponse::error(writable.error(), request);
            auto created = locations.create(input.value(), request.queryValues(QStringLiteral("onConflict")).value(0));
            if (!created)
                return HttpResponse::error(created.error(), request);
            return HttpResponse::json(QJsonObject{{QStringLiteral("location"), Ingest::LocationService::toJson(created.value())},
                                                  {QStringLiteral("entities"), QJsonArray()}}, 201);
        }
        if (Status allowed = locations.checkAllowedType(input->type); !allowed)
            return HttpResponse::error(allowed.error(), request);
        const QList<Store::RegisteredLocation> registered = locations.list();
        const bool exists = std::any_of(registered.cbegin(), registered.cend(), [&](const Store::RegisteredLocation &l) {
            return l.type == input->type && l.target == input->target;
        });
        // Reading may take a while (network, git): it runs on a worker and
        // the response follows when it is done, so other requests go on.
        const Ingest::LocationProcessor reader = processor;
        const Ingest::LocationInput dry = input.value();
        return answerFromWorker(*QThreadPool::globalInstance(), context, [reader, dry, exists, request] {
            const Result<QJsonObject> result = Ingest::LocationService::dryRun(reader, dry, exists);
            return result ? HttpResponse::json(result.value(), 201) : HttpResponse::error(result.error(), request);
        });
    });

    addCatalogRoute(router, "GET", QStringLiteral("/locations"), {}, [&locations, allowed](const HttpRequest &request) {
        QJsonArray list;
        if (!allowed(request, "catalog.location.read"))
            return HttpResponse::json(list);
        for (const Store::RegisteredLocation &location : locations.list())
            list.append(QJsonObject{{QStringLiteral("data"), Ingest::LocationService::toJson(location)}});
        return HttpResponse::json(list);
    });

    addCatalogRoute(router, "POST", QStringLiteral("/locations/by-query"), {}, [&locations, allowed](const HttpRequest &request) {
        auto body = jsonObjectBody(request, true);
        if (!body)
            return HttpResponse::error(body.error(), request);
        if (!allowed(request, "catalog.location.read"))
            return HttpResponse::json(QJsonObject{{QStringLiteral("items"), QJsonArray()}, {QStringLiteral("totalItems"), 0}});
        auto page = locations.query(body.value());
        return page ? HttpResponse::json(page.value()) : HttpResponse::error(page.error(), request);
    });

    addCatalogRoute(router, "GET", QStringLiteral("/locations/:id"), {}, [&locations, allowed](const HttpRequest &request) {
        if (!allowed(request, "catalog.location.read"))
            return HttpResponse::error(notFound(QStringLiteral("Found no location with ID %1").arg(request.params.value(QStringLiteral("id")))),
                                       request);
        auto location = locations.get(request.params.value(QStringLiteral("id")));
        return location ? HttpResponse::json(Ingest::LocationService::toJson(location.value()))
                        : HttpResponse::error(location.error(), request);
    });

    addCatalogRoute(router, "PUT", QStringLiteral("/locations/:id"), {}, [&locations, allowed, refused](const HttpRequest &request) {
        auto input = locationBody(request);
        if (!input)
            return HttpResponse::error(input.error(), request);
        if (!allowed(request, "catalog.location.create"))
            return refused(request);
        if (Status writable = locations.checkWritable(); !writable)
            return HttpResponse::error(writable.error(), request);
        auto updated = locations.update(request.params.value(QStringLiteral("id")), input.value());
        return updated ? HttpResponse::json(Ingest::LocationService::toJson(updated.value()))
                       : HttpResponse::error(updated.error(), request);
    });

    addCatalogRoute(router, "DELETE", QStringLiteral("/locations/:id"), {}, [&locations, allowed, refused](const HttpRequest &request) {
        if (!allowed(request, "catalog.location.delete"))
            return refused(request);
        if (Status writable = locations.checkWritable(); !writable)
            return HttpResponse::error(writable.error(), request);
        if (Status removed = locations.remove(request.params.value(QStringLiteral("id"))); !removed)
            return HttpResponse::error(removed.error(), request);
        return HttpResponse::empty(204);
    });

    addCatalogRoute(router, "GET", QStringLiteral("/locations/by-entity/:kind/:namespace/:name"), {}, [&locations, allowed](const HttpRequest &request) {
        if (!allowed(request, "catalog.location.read"))
            return HttpResponse::error(notFound(QString()), request);
        auto location = locations.byEntity(request.params.value(QStringLiteral("kind")),
                                           request.params.value(QStringLiteral("namespace")),
                                           request.params.value(QStringLiteral("name")));
        return location ? HttpResponse::json(Ingest::LocationService::toJson(location.value()))
                        : HttpResponse::error(location.error(), request);
    });

    addCatalogRoute(router, "POST", QStringLiteral("/analyze-location"), {}, [&authorizer](const HttpRequest &request) {
        auto body = jsonObjectBody(request);
        if (!body)
            return HttpResponse::error(body.error(), request);
        const QJsonValue location = body->value(QLatin1String("location"));
        if (!location.isObject())
            return HttpResponse::error(Error::input(QStringLiteral("Malformed request: Validation error: Required at \"location\"")), request);
        auto input = Ingest::LocationInput::fromJson(location.toObject());
        if (!input)
            return HttpResponse::error(input.error(), request);
        if (Status permitted = authorizer.require(request.principal, QStringLiteral("catalog.location.analyze")); !permitted)
            return HttpResponse::error(permitted.error(), request);
        auto analysis = Ingest::LocationService::analyze(input.value());
        return analysis ? HttpResponse::json(analysis.value()) : HttpResponse::error(analysis.error(), request);
    });
}

} // namespace Greenroom::Server
