// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "desktopregistry.h"
#include "pluginapi.h"

#include <QtPlugin>

namespace Greenroom::PluginApi {

/*
 * A plugin of the desktop app. Loaded once at start, before the window
 * shows; registerDesktop() adds its tabs, cards and pages. It runs on the
 * GUI thread and must not block it: fetch with the view's network() and
 * answer in signals.
 */
class DesktopPlugin
{
public:
    virtual ~DesktopPlugin() = default;
    virtual void registerDesktop(DesktopRegistry &registry) = 0;
};

} // namespace Greenroom::PluginApi

#define GreenroomDesktopPlugin_iid "dev.greenroom.DesktopPlugin/1"
Q_DECLARE_INTERFACE(Greenroom::PluginApi::DesktopPlugin, GreenroomDesktopPlugin_iid)
