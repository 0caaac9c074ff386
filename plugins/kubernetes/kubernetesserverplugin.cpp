// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kubernetesserverplugin.h"

#include <requesttimeout.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>

namespace Greenroom::Plugins::Kubernetes {

namespace {

using PluginApi::PluginRequest;
using PluginApi::PluginResponse;
using PluginApi::Respond;

// stringifyEntityRef of the body's entity: kind and namespace lower-cased.
QString refOf(const QJsonObject &entity)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QString kind = entity.value(QLatin1String("kind")).toString();
    const QString name = metadata.value(QLatin1String("name")).toString();
    if (kind.isEmpty() || name.isEmpty())
        return {};
    return QStringLiteral("%1:%2/%3").arg(kind.toLower(), metadata.value(QLatin1String("namespace")).toString(QStringLiteral("default")).toLower(), name);
}

} // namespace

Fetcher &KubernetesServerPlugin::fetcher()
{
    if (!m_fetcher) {   // made at the first request, on the server's thread
        m_fetcher = new Fetcher(new QNetworkAccessManager(this), m_settings, this);
        m_fetcher->setTimeoutMs(m_timeoutMs);
    }
    return *m_fetcher;
}

bool KubernetesServerPlugin::registerServer(PluginApi::ServerRegistry &registry, QString *error)
{
    auto settings = Settings::read(registry.config(QStringLiteral("kubernetes")), error);
    if (!settings)
        return false;
    m_settings = *settings;
    m_registry = &registry;
    m_timeoutMs = Support::requestTimeoutMs(registry);
    registry.addRoute({"POST", QStringLiteral("/services/:serviceId"), [this](const PluginRequest &request, Respond respond) {
                           const QJsonObject body = QJsonDocument::fromJson(request.body).object();
                           const QJsonValue given = body.value(QLatin1String("entity"));
                           if (!given.isObject()) {
                               respond(PluginResponse::json(QJsonObject{{QStringLiteral("error"), QStringLiteral("Cannot read properties of undefined (reading 'metadata')")}}, 500));
                               return;
                           }
                           const QString ref = refOf(given.toObject());
                           if (ref.isEmpty()) {
                               respond(PluginResponse::error(request, 403, QStringLiteral("NotAllowedError"), QStringLiteral("Invalid entity reference")));
                               return;
                           }
                           const std::optional<QJsonObject> entity = m_registry->entityByRef(ref);
                           if (!entity) {
                               respond(PluginResponse::error(request, 403, QStringLiteral("NotAllowedError"), QStringLiteral("Entity not found, %1").arg(ref)));
                               return;
                           }
                           fetcher().objectsByEntity(*entity, [respond](const QJsonObject &objects) { respond(PluginResponse::json(objects)); });
                       }});
    registry.addRoute({"GET", QStringLiteral("/clusters"), [this](const PluginRequest &, Respond respond) {
                           QJsonArray items;
                           for (const Cluster &cluster : std::as_const(m_settings.clusters)) {
                               QJsonObject item{{QStringLiteral("name"), cluster.name}, {QStringLiteral("authProvider"), cluster.authProvider}};
                               if (!cluster.title.isEmpty())
                                   item.insert(QStringLiteral("title"), cluster.title);
                               if (!cluster.dashboardUrl.isEmpty())
                                   item.insert(QStringLiteral("dashboardUrl"), cluster.dashboardUrl);
                               items.append(item);
                           }
                           respond(PluginResponse::json(QJsonObject{{QStringLiteral("items"), items}}));
                       }});
    return true;
}

} // namespace Greenroom::Plugins::Kubernetes
