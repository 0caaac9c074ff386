// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "desktopplugins.h"

#include "entitylayout.h"

#include <pluginapi/desktopplugin.h>

#include <QLoggingCategory>

namespace Greenroom::Ui {

Q_LOGGING_CATEGORY(lcPlugins, "greenroom.plugins", QtInfoMsg)

QList<PluginStatus> DesktopPlugins::load(const QList<PluginFolder> &folders, const QSet<QString> &disabled, EntityLayout &layout)
{
    const QString iid = QStringLiteral(GreenroomDesktopPlugin_iid);
    const PluginLoader loader(iid.section(QLatin1Char('/'), 0, 0), PluginApi::ApiVersion);
    QList<PluginStatus> statuses;
    for (const FoundPlugin &found : loader.find(folders)) {
        PluginStatus status;
        status.file = found.file;
        status.origin = found.origin;
        if (found.manifest) {
            status.id = found.manifest->id;
            status.name = found.manifest->name;
            status.version = found.manifest->version;
        }
        if (found.problem) {
            status.message = found.problem->message;
        } else if (disabled.contains(status.id)) {
            status.state = PluginStatus::State::Disabled;
            status.message = QStringLiteral("Disabled in Settings");
        } else if (auto instance = loader.load(found); !instance) {
            status.message = instance.error().message;
        } else if (auto *plugin = qobject_cast<PluginApi::DesktopPlugin *>(instance.value()); !plugin) {
            status.message = QStringLiteral("Plugin %1 (%2) is skipped: it does not implement %3").arg(status.id, status.file, iid);
        } else {
            QStringList problems;
            const auto registry = layout.registrar(status.id, &*found.manifest, &problems);
            plugin->registerDesktop(*registry);
            status.state = PluginStatus::State::Loaded;
            status.message = problems.join(QLatin1Char('\n'));
            for (const QString &problem : std::as_const(problems))
                qCWarning(lcPlugins).noquote() << problem;
        }
        if (status.state == PluginStatus::State::Skipped)
            qCWarning(lcPlugins).noquote() << status.message;
        else if (status.state == PluginStatus::State::Loaded)
            qCInfo(lcPlugins).noquote() << "plugin" << status.id << status.version << "loaded from" << status.file;
        statuses.append(status);
    }
    return statuses;
}

} // namespace Greenroom::Ui
