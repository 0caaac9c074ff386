// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "kubernetesfetcher.h"

#include <pluginapi/serverplugin.h>

#include <QObject>

namespace Greenroom::Plugins::Kubernetes {

/*
 * Backstage's Kubernetes backend under /api/kubernetes, the routes its
 * frontend reads: POST /services/:serviceId {entity, auth} (the entity read
 * again from the catalog; unknown: 403 "Entity not found, <ref>"; other
 * failures 500 {error}) and GET /clusters. Clusters from
 * kubernetes.clusterLocatorMethods (type config), authProvider
 * serviceAccount with serviceAccountToken. The workloads and custom
 * resource queries and the proxy are not here.
 */
class KubernetesServerPlugin : public QObject, public PluginApi::ServerPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomServerPlugin_iid FILE "kubernetes-server.json")
    Q_INTERFACES(Greenroom::PluginApi::ServerPlugin)

public:
    bool registerServer(PluginApi::ServerRegistry &registry, QString *error) override;

private:
    Fetcher &fetcher();

    PluginApi::ServerRegistry *m_registry = nullptr;
    Settings m_settings;
    Fetcher *m_fetcher = nullptr;
    int m_timeoutMs = 30000;
};

} // namespace Greenroom::Plugins::Kubernetes
