// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pagerdutydesktopplugin.h"

#include "pagerdutycard.h"

#include <QJsonArray>

namespace Greenroom::Plugins::PagerDuty {

void PagerDutyDesktopPlugin::registerDesktop(PluginApi::DesktopRegistry &registry)
{
    QJsonArray any;
    for (const char *key : {"pagerduty.com/service-id", "pagerduty.com/integration-key"})
        any.append(QJsonObject{{QStringLiteral("metadata.annotations.") + QLatin1String(key), QJsonObject{{QStringLiteral("$exists"), true}}}});
    registry.addEntityCard({QStringLiteral("card"), tr("PagerDuty"), QJsonObject{{QStringLiteral("$any"), any}}, QStringLiteral("info"),
                            [](PluginApi::EntityView &view) { return new PagerDutyCard(view); }});
}

} // namespace Greenroom::Plugins::PagerDuty
