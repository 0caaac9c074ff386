// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/desktopplugin.h>

#include <QObject>

namespace Greenroom::Plugins::GitHubActions {

/*
 * Backstage's GitHub Actions plugin (@backstage-community/plugin-github-actions)
 * for the desktop: a "GitHub Actions" tab and a "Recent workflow runs"
 * card on entities with github.com/project-slug. Like upstream it has no
 * server half: the desktop calls GitHub's API with the person's token for
 * the repository's host (the keychain's repository host tokens). A GitHub
 * Enterprise host's API comes from integrations.github[].apiBaseUrl in the
 * desktop's app-config.
 */
class GitHubActionsPlugin : public QObject, public PluginApi::DesktopPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomDesktopPlugin_iid FILE "githubactions.json")
    Q_INTERFACES(Greenroom::PluginApi::DesktopPlugin)

public:
    void registerDesktop(PluginApi::DesktopRegistry &registry) override;
};

} // namespace Greenroom::Plugins::GitHubActions
