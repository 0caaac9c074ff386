// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/pluginloader.h>

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Greenroom::Ui {

class EntityLayout;

// One plugin file as Settings lists it.
struct PluginStatus
{
    enum class State { Loaded, Disabled, Skipped };
    QString id;          // empty when its manifest is unreadable
    QString name;
    QString version;
    QString file;
    QString origin;      // installed, user, GREENROOM_PLUGIN_PATH
    State state = State::Skipped;
    QString message;     // why it is skipped; what it contributes when loaded
};

/*
 * Loads the desktop plugins from the plugin folders into an EntityLayout,
 * except those the person disabled (by id). Everything that goes wrong is
 * a status with a message and a warning in the log, never a failed start.
 */
class DesktopPlugins
{
public:
    // Loads every plugin found in `folders`; returns what became of each.
    static QList<PluginStatus> load(const QList<PluginFolder> &folders, const QSet<QString> &disabled, EntityLayout &layout);
};

} // namespace Greenroom::Ui
