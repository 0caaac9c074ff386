// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/desktopplugin.h>

#include <QObject>

namespace Greenroom::Plugins::ArgoCd {

// The desktop half of Argo CD: the Argo CD card on entities with
// argocd/app-name, app-selector or project-name (upstream's isArgocdAvailable).
class ArgoCdDesktopPlugin : public QObject, public PluginApi::DesktopPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomDesktopPlugin_iid FILE "argocd.json")
    Q_INTERFACES(Greenroom::PluginApi::DesktopPlugin)

public:
    void registerDesktop(PluginApi::DesktopRegistry &registry) override;
};

} // namespace Greenroom::Plugins::ArgoCd
