// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "findingsclient.h"
#include "sonarqubeconfig.h"

#include <pluginapi/serverplugin.h>

#include <QNetworkAccessManager>
#include <QObject>

namespace Greenroom::Plugins::SonarQube {

/*
 * Backstage's SonarQube backend (@backstage-community/plugin-sonarqube-backend
 * 1.2.0) under /api/sonarqube: GET /entities/:kind/:namespace/:name/summary
 * ({findings, instanceUrl, componentKey} for the entity's
 * sonarqube.org/project-key, "[instance/]key"), and the deprecated GET
 * /findings and /instanceUrl (with `Deprecation: true`). Config:
 * sonarqube.{baseUrl, apiKey, externalBaseUrl, authType} or
 * sonarqube.instances[].
 */
class SonarQubeServerPlugin : public QObject, public PluginApi::ServerPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomServerPlugin_iid FILE "sonarqube-server.json")
    Q_INTERFACES(Greenroom::PluginApi::ServerPlugin)

public:
    bool registerServer(PluginApi::ServerRegistry &registry, QString *error) override;

private:
    void summary(const PluginApi::PluginRequest &request, PluginApi::Respond respond);
    FindingsClient &client();
    // The named instance ("" = default), or nothing after answering upstream's error.
    std::optional<Instance> instanceFor(const PluginApi::PluginRequest &request, const PluginApi::Respond &respond, const QString &name) const;

    PluginApi::ServerRegistry *m_registry = nullptr;
    Config m_config;
    FindingsClient *m_client = nullptr;
    int m_timeoutMs = 30000;
};

} // namespace Greenroom::Plugins::SonarQube
