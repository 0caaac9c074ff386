// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubactionsplugin.h"

#include "workflowrunsview.h"

namespace Greenroom::Plugins::GitHubActions {

void GitHubActionsPlugin::registerDesktop(PluginApi::DesktopRegistry &registry)
{
    // Upstream's isGithubActionsAvailable: the slug annotation is there.
    const QJsonObject hasSlug{{QStringLiteral("metadata.annotations.github.com/project-slug"), QJsonObject{{QStringLiteral("$exists"), true}}}};
    registry.addEntityContent({QStringLiteral("github-actions"), tr("GitHub Actions"), QStringLiteral("github-actions"), hasSlug,
                               QStringLiteral("development"),
                               [](PluginApi::EntityView &view) { return new WorkflowRunsView(view, false); }});
    registry.addEntityCard({QStringLiteral("recent-workflow-runs"), tr("Recent workflow runs"), hasSlug, QStringLiteral("content"),
                            [](PluginApi::EntityView &view) { return new WorkflowRunsView(view, true); }});
}

} // namespace Greenroom::Plugins::GitHubActions
