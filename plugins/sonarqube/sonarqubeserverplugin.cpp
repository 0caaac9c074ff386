// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sonarqubeserverplugin.h"

#include <requesttimeout.h>

namespace Greenroom::Plugins::SonarQube {

namespace {

using PluginApi::PluginRequest;
using PluginApi::PluginResponse;

// What Express answers for an error that is none of Backstage's named ones.
PluginResponse serverError(const PluginRequest &request, const QString &name, const QString &message)
{
    return PluginResponse::error(request, 500, name, message);
}

} // namespace

FindingsClient &SonarQubeServerPlugin::client()
{
    if (!m_client) {   // made at the first request, on the server's thread
        m_client = new FindingsClient(new QNetworkAccessManager(this), this);
        m_client->setTimeoutMs(m_timeoutMs);
    }
    return *m_client;
}

std::optional<Instance> SonarQubeServerPlugin::instanceFor(const PluginRequest &request, const PluginApi::Respond &respond, const QString &name) const
{
    QString why;
    auto instance = m_config.instance(name, &why);
    if (!instance)   // thrown in upstream's handler: Express's 500
        respond(serverError(request, QStringLiteral("Error"), why));
    return instance;
}

bool SonarQubeServerPlugin::registerServer(PluginApi::ServerRegistry &registry, QString *error)
{
    auto config = Config::read(registry.config(QStringLiteral("sonarqube")), error);
    if (!config)
        return false;
    m_config = *config;
    m_registry = &registry;
    m_timeoutMs = Support::requestTimeoutMs(registry);
    registry.addRoute({"GET", QStringLiteral("/entities/:kind/:namespace/:name/summary"),
                       [this](const PluginRequest &request, PluginApi::Respond respond) { summary(request, std::move(respond)); }});
    registry.addRoute({"GET", QStringLiteral("/findings"), [this](const PluginRequest &request, PluginApi::Respond respond) {
                           const QString componentKey = request.queryValue(QStringLiteral("componentKey"));
                           if (componentKey.isEmpty()) {
                               respond(PluginResponse::error(request, 400, QStringLiteral("InputError"),
                                                             QStringLiteral("ComponentKey must be provided as a single string.")));
                               return;
                           }
                           const auto instance = instanceFor(request, respond, request.queryValue(QStringLiteral("instanceKey")));
                           if (!instance)
                               return;
                           client().findings(*instance, componentKey, [request, respond](const QJsonValue &findings, const QString &failure) {
                               PluginResponse answer = failure.isEmpty() ? PluginResponse::json(findings.toObject())
                                                                         : serverError(request, QStringLiteral("ResponseError"), failure);
                               if (failure.isEmpty() && findings.isNull())
                                   answer.body.clear();   // res.json(undefined): an empty 200
                               answer.headers.append(std::pair<QByteArray, QByteArray>("Deprecation", "true"));
                               respond(answer);
                           });
                       }});
    registry.addRoute({"GET", QStringLiteral("/instanceUrl"), [this](const PluginRequest &request, PluginApi::Respond respond) {
                           QString why;
                           const auto instance = m_config.instance(request.queryValue(QStringLiteral("instanceKey")), &why);
                           if (!instance) {
                               respond(serverError(request, QStringLiteral("Error"), why));
                               return;
                           }
                           PluginResponse answer = PluginResponse::json(QJsonObject{
                               {QStringLiteral("instanceUrl"), instance->externalBaseUrl.isEmpty() ? instance->baseUrl : instance->externalBaseUrl}});
                           answer.headers.append(std::pair<QByteArray, QByteArray>("Deprecation", "true"));
                           respond(answer);
                       }});
    return true;
}

void SonarQubeServerPlugin::summary(const PluginRequest &request, PluginApi::Respond respond)
{
    const QString kind = request.params.value(QStringLiteral("kind"));
    const QString namespaceName = request.params.value(QStringLiteral("namespace"));
    const QString name = request.params.value(QStringLiteral("name"));
    const QString shown = QStringLiteral("%1:%2/%3").arg(kind, namespaceName, name);
    const std::optional<QJsonObject> entity = m_registry->entityByRef(shown);
    if (!entity) {
        respond(PluginResponse::error(request, 404, QStringLiteral("NotFoundError"), QStringLiteral("Entity %1 not found").arg(shown)));
        return;
    }
    const QString annotation = entity->value(QLatin1String("metadata"))[QLatin1String("annotations")][QLatin1String("sonarqube.org/project-key")].toString();
    if (annotation.isEmpty()) {
        respond(PluginResponse::error(request, 400, QStringLiteral("InputError"),
                                      QStringLiteral("Entity %1 is missing the sonarqube.org/project-key annotation").arg(shown)));
        return;
    }
    // "instance/key", split at the first '/'.
    const qsizetype slash = annotation.indexOf(QLatin1Char('/'));
    const QString instanceName = slash >= 0 ? annotation.left(slash) : QString();
    const QString componentKey = slash >= 0 ? annotation.mid(slash + 1) : annotation;
    const auto instance = instanceFor(request, respond, instanceName);
    if (!instance)
        return;
    const QString instanceUrl = instance->externalBaseUrl.isEmpty() ? instance->baseUrl : instance->externalBaseUrl;
    client().findings(*instance, componentKey, [request, respond, instanceUrl, componentKey](const QJsonValue &findings, const QString &failure) {
        if (!failure.isEmpty()) {
            respond(serverError(request, QStringLiteral("ResponseError"), failure));
            return;
        }
        respond(PluginResponse::json(QJsonObject{{QStringLiteral("findings"), findings.isObject() ? findings : QJsonValue::Null},
                                                 {QStringLiteral("instanceUrl"), instanceUrl},
                                                 {QStringLiteral("componentKey"), componentKey}}));
    });
}

} // namespace Greenroom::Plugins::SonarQube
