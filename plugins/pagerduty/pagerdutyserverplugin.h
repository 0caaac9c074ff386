// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "pagerdutyclient.h"

#include <pluginapi/serverplugin.h>

#include <QObject>

namespace Greenroom::Plugins::PagerDuty {

/*
 * PagerDuty's Backstage backend (@pagerduty/backstage-plugin-backend 0.14.0)
 * under /api/pagerduty, the routes its entity card reads: GET
 * /services?integration_key=, GET /services/:serviceId and its /incidents
 * and /change-events, GET /oncall-users?escalation_policy_ids[]=; each takes
 * ?account=. Errors are upstream's {errors: ["Failed to ..."]} with
 * PagerDuty's status. Standards, metrics, teams and the mapping routes are
 * not here.
 */
class PagerDutyServerPlugin : public QObject, public PluginApi::ServerPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomServerPlugin_iid FILE "pagerduty-server.json")
    Q_INTERFACES(Greenroom::PluginApi::ServerPlugin)

public:
    bool registerServer(PluginApi::ServerRegistry &registry, QString *error) override;

private:
    Client &client();
    // The account the request names with ?account= (Express joins repeats with ','), else the default one.
    const Account &accountFor(const PluginApi::PluginRequest &request) const;

    Settings m_settings;
    Client *m_client = nullptr;
    int m_timeoutMs = 30000;
};

} // namespace Greenroom::Plugins::PagerDuty
