// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/desktopplugin.h>

#include <QObject>

namespace Greenroom::Plugins::SonarQube {

// The desktop half of SonarQube: the "Code Quality" card on entities with
// sonarqube.org/project-key (upstream's isSonarQubeAvailable).
class SonarQubeDesktopPlugin : public QObject, public PluginApi::DesktopPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomDesktopPlugin_iid FILE "sonarqube.json")
    Q_INTERFACES(Greenroom::PluginApi::DesktopPlugin)

public:
    void registerDesktop(PluginApi::DesktopRegistry &registry) override;
};

} // namespace Greenroom::Plugins::SonarQube
