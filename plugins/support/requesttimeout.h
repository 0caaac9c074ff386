// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/serverregistry.h>

namespace Greenroom::Plugins::Support {

// How long a server plugin waits for its upstream: greenroom.plugins.requestTimeoutMs
// (Greenroom's own key; Backstage's plugins wait as long as fetch does), 30 s by default.
inline int requestTimeoutMs(const PluginApi::ServerRegistry &registry)
{
    const QJsonValue configured = registry.config(QStringLiteral("greenroom.plugins.requestTimeoutMs"));
    return configured.isDouble() && configured.toInt() > 0 ? configured.toInt() : 30000;
}

} // namespace Greenroom::Plugins::Support
