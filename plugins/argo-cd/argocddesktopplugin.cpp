// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "argocddesktopplugin.h"

#include "argocdcard.h"

#include <QJsonArray>

namespace Greenroom::Plugins::ArgoCd {

void ArgoCdDesktopPlugin::registerDesktop(PluginApi::DesktopRegistry &registry)
{
    QJsonArray any;
    for (const char *key : {"argocd/app-name", "argocd/app-selector", "argocd/project-name"})
        any.append(QJsonObject{{QStringLiteral("metadata.annotations.") + QLatin1String(key), QJsonObject{{QStringLiteral("$exists"), true}}}});
    registry.addEntityCard({QStringLiteral("overview"), tr("Argo CD"), QJsonObject{{QStringLiteral("$any"), any}}, QStringLiteral("content"),
                            [](PluginApi::EntityView &view) { return new ArgoCdCard(view); }});
}

} // namespace Greenroom::Plugins::ArgoCd
