// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "argocdserverplugin.h"

#include <requesttimeout.h>

#include <QJsonArray>
#include <QNetworkAccessManager>

namespace Greenroom::Plugins::ArgoCd {

namespace {

using PluginApi::PluginRequest;
using PluginApi::PluginResponse;
using PluginApi::Respond;

// Upstream's own answer when a route names an instance it does not know.
PluginResponse noInstance()
{
    return PluginResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("failed")},
                                            {QStringLiteral("message"), QStringLiteral("cannot find an argo instance to match this cluster")}},
                                500);
}

} // namespace

Client &ArgoCdServerPlugin::client()
{
    if (!m_client) {   // made at the first request, on the server's thread
        m_client = new Client(new QNetworkAccessManager(this), m_settings, this);
        m_client->setTimeoutMs(m_timeoutMs);
    }
    return *m_client;
}

void ArgoCdServerPlugin::withInstance(const PluginRequest &request, const Respond &respond,
                                      std::function<void(const Instance &, const QString &)> work)
{
    const Instance *instance = m_settings.instance(request.params.value(QStringLiteral("argoInstanceName")));
    if (!instance) {
        respond(noInstance());
        return;
    }
    const Instance found = *instance;
    client().token(found, [request, respond, found, work = std::move(work)](const QString &token, const QString &error) {
        if (!error.isEmpty()) {   // thrown in upstream's handler: Express's 500
            respond(PluginResponse::error(request, 500, QStringLiteral("Error"), error));
            return;
        }
        work(found, token);
    });
}

bool ArgoCdServerPlugin::registerServer(PluginApi::ServerRegistry &registry, QString *error)
{
    auto settings = Settings::read(registry.config(QStringLiteral("argocd")), error);
    if (!settings)
        return false;
    m_settings = *settings;
    m_timeoutMs = Support::requestTimeoutMs(registry);
    const auto find = [this](bool bySelector) {
        return [this, bySelector](const PluginRequest &request, Respond respond) {
            Client::Query query;
            (bySelector ? query.selector : query.name) = request.params.value(bySelector ? QStringLiteral("argoAppSelector") : QStringLiteral("argoAppName"));
            query.namespaceName = request.queryValue(QStringLiteral("appNamespace"));
            client().find(query, [respond](const QJsonArray &found) { respond(PluginResponse::json(found)); });
        };
    };
    registry.addRoute({"GET", QStringLiteral("/find/name/:argoAppName"), find(false)});
    registry.addRoute({"GET", QStringLiteral("/find/selector/:argoAppSelector"), find(true)});
    const auto applications = [this](bool bySelector) {
        return [this, bySelector](const PluginRequest &request, Respond respond) {
            withInstance(request, respond, [this, request, respond, bySelector](const Instance &instance, const QString &token) {
                Client::Query query;
                (bySelector ? query.selector : query.name) = request.params.value(bySelector ? QStringLiteral("argoAppSelector") : QStringLiteral("argoAppName"));
                query.namespaceName = request.queryValue(QStringLiteral("appNamespace"));
                client().appData(instance, token, query, [request, respond](const QJsonObject &data, const QString &failed) {
                    respond(failed.isEmpty() ? PluginResponse::json(data) : PluginResponse::error(request, 500, QStringLiteral("Error"), failed));
                });
            });
        };
    };
    registry.addRoute({"GET", QStringLiteral("/argoInstance/:argoInstanceName/applications/name/:argoAppName/revisions/:revisionID/metadata"),
                       [this](const PluginRequest &request, Respond respond) {
                           withInstance(request, respond, [this, request, respond](const Instance &instance, const QString &token) {
                               Client::Query query;
                               query.name = request.params.value(QStringLiteral("argoAppName"));
                               query.namespaceName = request.queryValue(QStringLiteral("appNamespace"));
                               client().revision(instance, token, query, request.params.value(QStringLiteral("revisionID")),
                                                 [request, respond](const QJsonObject &data, const QString &failed) {
                                                     respond(failed.isEmpty() ? PluginResponse::json(data)
                                                                              : PluginResponse::error(request, 500, QStringLiteral("Error"), failed));
                                                 });
                           });
                       }});
    registry.addRoute({"GET", QStringLiteral("/argoInstance/:argoInstanceName/applications/name/:argoAppName"), applications(false)});
    registry.addRoute({"GET", QStringLiteral("/argoInstance/:argoInstanceName/applications/selector/:argoAppSelector"), applications(true)});
    return true;
}

} // namespace Greenroom::Plugins::ArgoCd
