// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// A plugin as someone outside Greenroom writes it: built by
// tst_outoftreeplugin in a scratch folder against the installed API only.
#include <pluginapi/desktopplugin.h>

#include <QLabel>

class ThirdPartyPlugin : public QObject, public Greenroom::PluginApi::DesktopPlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID GreenroomDesktopPlugin_iid FILE "thirdparty.json")
    Q_INTERFACES(Greenroom::PluginApi::DesktopPlugin)

public:
    void registerDesktop(Greenroom::PluginApi::DesktopRegistry &registry) override
    {
        registry.addEntityContent({QStringLiteral("on-call"), QStringLiteral("On call"), QStringLiteral("on-call"),
                                   QJsonObject{{QStringLiteral("kind"), QStringLiteral("component")}}, QStringLiteral("operation"),
                                   [](Greenroom::PluginApi::EntityView &view) {
                                       view.storeData(QStringLiteral("seen"), view.entityRef());
                                       auto *label = new QLabel(QStringLiteral("Who is on call for %1").arg(view.entityRef()));
                                       label->setObjectName(QStringLiteral("thirdPartyOnCall"));
                                       return label;
                                   }});
    }
};

#include "thirdpartyplugin.moc"
