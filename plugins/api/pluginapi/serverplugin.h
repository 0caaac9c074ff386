// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "pluginapi.h"
#include "serverregistry.h"

#include <QtPlugin>

namespace Greenroom::PluginApi {

/*
 * A plugin of greenroom-server (Backstage's backend plugin with its
 * extension points): routes under /api/<plugin-id>/, scaffolder actions
 * and catalog processors. Loaded at start, after the config; a plugin
 * whose registerServer() returns false (its config is wrong, say) is
 * skipped with its message and the server starts without it.
 */
class ServerPlugin
{
public:
    virtual ~ServerPlugin() = default;
    // `error` says why when it returns false.
    virtual bool registerServer(ServerRegistry &registry, QString *error) = 0;
};

} // namespace Greenroom::PluginApi

#define GreenroomServerPlugin_iid "dev.greenroom.ServerPlugin/1"
Q_DECLARE_INTERFACE(Greenroom::PluginApi::ServerPlugin, GreenroomServerPlugin_iid)
