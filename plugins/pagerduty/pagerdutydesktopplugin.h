// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/desktopplugin.h>

#include <QObject>

namespace Greenroom::Plugins::PagerDuty {

// The desktop half of PagerDuty: its card on entities with
// pagerduty.com/service-id or pagerduty.com/integration-key.
class PagerDutyDesktopPlugin : public QObject, public PluginApi::DesktopPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomDesktopPlugin_iid FILE "pagerduty.json")
    Q_INTERFACES(Greenroom::PluginApi::DesktopPlugin)

public:
    void registerDesktop(PluginApi::DesktopRegistry &registry) override;
};

} // namespace Greenroom::Plugins::PagerDuty
