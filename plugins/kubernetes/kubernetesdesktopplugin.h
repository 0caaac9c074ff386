// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/desktopplugin.h>

#include <QObject>

namespace Greenroom::Plugins::Kubernetes {

// The desktop half of Kubernetes: the Kubernetes tab on entities with
// backstage.io/kubernetes-id or kubernetes-label-selector (upstream's filter).
class KubernetesDesktopPlugin : public QObject, public PluginApi::DesktopPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomDesktopPlugin_iid FILE "kubernetes.json")
    Q_INTERFACES(Greenroom::PluginApi::DesktopPlugin)

public:
    void registerDesktop(PluginApi::DesktopRegistry &registry) override;
};

} // namespace Greenroom::Plugins::Kubernetes
