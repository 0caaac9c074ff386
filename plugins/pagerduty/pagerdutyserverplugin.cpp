// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pagerdutyserverplugin.h"

#include <requesttimeout.h>

#include <QJsonDocument>
#include <QNetworkAccessManager>

namespace Greenroom::Plugins::PagerDuty {

namespace {

using PluginApi::PluginRequest;
using PluginApi::PluginResponse;
using PluginApi::Respond;

PluginResponse failed(const Failure &failure)
{
    return PluginResponse::json(QJsonObject{{QStringLiteral("errors"), QJsonArray{failure.message}}}, failure.status);
}

// {"<key>": value}, or upstream's error body.
Client::Done answerWith(const QString &key, Respond respond)
{
    return [key, respond = std::move(respond)](const QJsonValue &value, const std::optional<Failure> &failure) {
        respond(failure ? failed(*failure) : PluginResponse::json(QJsonObject{{key, value}}));
    };
}

} // namespace

Client &PagerDutyServerPlugin::client()
{
    if (!m_client) {   // made at the first request, on the server's thread
        m_client = new Client(new QNetworkAccessManager(this), this);
        m_client->setTimeoutMs(m_timeoutMs);
    }
    return *m_client;
}

const Account &PagerDutyServerPlugin::accountFor(const PluginRequest &request) const
{
    return *m_settings.account(request.queryValues(QStringLiteral("account")).join(QLatin1Char(',')));   // read() insists on one account at least
}

bool PagerDutyServerPlugin::registerServer(PluginApi::ServerRegistry &registry, QString *error)
{
    auto settings = Settings::read(registry.config(QStringLiteral("pagerDuty")), error);
    if (!settings)
        return false;
    m_settings = *settings;
    m_timeoutMs = Support::requestTimeoutMs(registry);
    registry.addRoute({"GET", QStringLiteral("/services"), [this](const PluginRequest &request, Respond respond) {
                           const QString key = request.queryValues(QStringLiteral("integration_key")).join(QLatin1Char(','));
                           const Account &account = accountFor(request);
                           if (key.isEmpty()) {
                               respond(failed({501, QStringLiteral("Listing every service is not implemented in Greenroom's PagerDuty plugin: ask with integration_key")}));
                               return;
                           }
                           client().serviceByIntegrationKey(account, key, answerWith(QStringLiteral("service"), std::move(respond)));
                       }});
    registry.addRoute({"GET", QStringLiteral("/services/:serviceId"), [this](const PluginRequest &request, Respond respond) {
                           client().service(accountFor(request), request.params.value(QStringLiteral("serviceId")),
                                            answerWith(QStringLiteral("service"), std::move(respond)));
                       }});
    registry.addRoute({"GET", QStringLiteral("/services/:serviceId/incidents"), [this](const PluginRequest &request, Respond respond) {
                           client().incidents(accountFor(request), request.params.value(QStringLiteral("serviceId")),
                                              answerWith(QStringLiteral("incidents"), std::move(respond)));
                       }});
    registry.addRoute({"GET", QStringLiteral("/services/:serviceId/change-events"), [this](const PluginRequest &request, Respond respond) {
                           client().changeEvents(accountFor(request), request.params.value(QStringLiteral("serviceId")),
                                                 answerWith(QStringLiteral("change_events"), std::move(respond)));
                       }});
    registry.addRoute({"GET", QStringLiteral("/oncall-users"), [this](const PluginRequest &request, Respond respond) {
                           const QString policy = request.queryValues(QStringLiteral("escalation_policy_ids")).join(QLatin1Char(','));
                           if (policy.isEmpty()) {
                               // Upstream answers a bare JSON string here.
                               PluginResponse bad;
                               bad.status = 400;
                               bad.headers = {{"Content-Type", "application/json; charset=utf-8"}};
                               bad.body = "\"Bad Request: 'escalation_policy_ids[]' is required\"";
                               respond(bad);
                               return;
                           }
                           client().oncallUsers(accountFor(request), policy,
                                                answerWith(QStringLiteral("users"), std::move(respond)));
                       }});
    return true;
}

} // namespace Greenroom::Plugins::PagerDuty
