// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "argocdclient.h"

#include <pluginapi/serverplugin.h>

#include <QObject>

namespace Greenroom::Plugins::ArgoCd {

/*
 * Roadie's Argo CD backend (@roadiehq/backstage-plugin-argo-cd-backend 4.8.0)
 * under /api/argocd, the routes its frontend reads with: GET
 * /find/name/:app and /find/selector/:selector (which instances have it),
 * GET /argoInstance/:instance/applications/name/:app and
 * .../applications/selector/:selector, and a revision's metadata. Config:
 * argocd.appLocatorMethods (type config, instances with a token or a
 * username and password), argocd.username and argocd.password. Creating,
 * syncing and deleting applications are not here.
 */
class ArgoCdServerPlugin : public QObject, public PluginApi::ServerPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomServerPlugin_iid FILE "argocd-server.json")
    Q_INTERFACES(Greenroom::PluginApi::ServerPlugin)

public:
    bool registerServer(PluginApi::ServerRegistry &registry, QString *error) override;

private:
    // The instance named by the route, its token, then `work`; upstream's answers when either is missing.
    void withInstance(const PluginApi::PluginRequest &request, const PluginApi::Respond &respond,
                      std::function<void(const Instance &, const QString &token)> work);
    Client &client();

    Settings m_settings;
    Client *m_client = nullptr;
    int m_timeoutMs = 30000;
};

} // namespace Greenroom::Plugins::ArgoCd
