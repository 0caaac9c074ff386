// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sonarqubedesktopplugin.h"

#include "codequalitycard.h"

namespace Greenroom::Plugins::SonarQube {

void SonarQubeDesktopPlugin::registerDesktop(PluginApi::DesktopRegistry &registry)
{
    const QJsonObject hasKey{{QStringLiteral("metadata.annotations.sonarqube.org/project-key"), QJsonObject{{QStringLiteral("$exists"), true}}}};
    registry.addEntityCard({QStringLiteral("code-quality"), tr("Code Quality"), hasKey, QStringLiteral("info"),
                            [](PluginApi::EntityView &view) { return new CodeQualityCard(view); }});
}

} // namespace Greenroom::Plugins::SonarQube
