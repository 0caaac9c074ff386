// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

/*
 * Greenroom's plugin API: what a plugin built outside Greenroom's sources
 * includes (installed as <greenroom/pluginapi/...>), and nothing else. It
 * uses Qt types only, never Greenroom's core classes, so core may change
 * under a plugin without breaking it; a change to these headers that breaks
 * a built plugin bumps ApiVersion, and with it every interface id.
 *
 * A plugin is a Qt plugin (QPluginLoader): a QObject implementing
 * DesktopPlugin (desktop app) or ServerPlugin (greenroom-server), declared
 * with Q_PLUGIN_METADATA(IID <that interface's id> FILE "<name>.json").
 * The JSON is its manifest:
 *
 *   {
 *     "id": "github-actions",            lower case letters, digits and '-'
 *     "name": "GitHub Actions",
 *     "version": "1.0.0",
 *     "apiVersion": 1,                    the ApiVersion it was built against
 *     "description": "...",
 *     "contributes": {                    everything it registers, by id
 *       "entityContent": ["github-actions"],
 *       "entityCards": ["recent-workflow-runs"],
 *       "pages": [], "routes": true, "actions": [], "processors": [],
 *       "providers": []
 *     }
 *   }
 *
 * Greenroom reads the manifest before loading the library, skips (with a
 * message naming the file) a plugin with a bad manifest, another API
 * version or a library that does not load, and refuses a registration the
 * manifest does not list.
 */
namespace Greenroom::PluginApi {

inline constexpr int ApiVersion = 1;

} // namespace Greenroom::PluginApi
