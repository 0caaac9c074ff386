// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kubernetesdesktopplugin.h"

#include "kubernetestab.h"

#include <QJsonArray>

namespace Greenroom::Plugins::Kubernetes {

void KubernetesDesktopPlugin::registerDesktop(PluginApi::DesktopRegistry &registry)
{
    QJsonArray any;
    for (const char *key : {"backstage.io/kubernetes-id", "backstage.io/kubernetes-label-selector"})
        any.append(QJsonObject{{QStringLiteral("metadata.annotations.") + QLatin1String(key), QJsonObject{{QStringLiteral("$exists"), true}}}});
    registry.addEntityContent({QStringLiteral("kubernetes"), tr("Kubernetes"), QStringLiteral("kubernetes"), QJsonObject{{QStringLiteral("$any"), any}},
                               QStringLiteral("deployment"), [](PluginApi::EntityView &view) { return new KubernetesTab(view); }});
}

} // namespace Greenroom::Plugins::Kubernetes
