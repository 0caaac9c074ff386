// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QObject;

namespace Greenroom {

// A plugin's manifest (the JSON of its Q_PLUGIN_METADATA); see plugins/api/pluginapi/pluginapi.h.
struct PluginManifest
{
    QString id;
    QString name;
    QString version;
    QString description;
    int apiVersion = 0;
    QJsonObject contributes;

    // Checks a manifest; the error names the field.
    static Result<PluginManifest> fromJson(const QJsonObject &json);
    // Whether the manifest lists `id` under contributes.<list> (or, for a flag, true).
    bool declares(const QString &list, const QString &id = {}) const;
};

// A folder plugins are looked for in, and what to call it in Settings.
struct PluginFolder
{
    QString path;
    QString origin;   // "installed", "user", "GREENROOM_PLUGIN_PATH"
};

// A plugin file found for this side (desktop or server), loadable or not.
struct FoundPlugin
{
    QString file;
    QString origin;
    std::optional<PluginManifest> manifest;   // none when the manifest is bad
    std::optional<Error> problem;             // why it is skipped; none: loadable
};

/*
 * Finds and loads Greenroom plugins of one kind: the files in the folders
 * whose Qt plugin metadata names `interfaceName` ("dev.greenroom.DesktopPlugin")
 * are read without loading them; those with a bad manifest, another API
 * version or an id found earlier are kept with a problem, so Settings and
 * the log can say why each is skipped. Files that are not plugins, or
 * plugins of the other side, are passed over. Folders are searched in the
 * order given; the first plugin with an id wins.
 */
class PluginLoader
{
public:
    PluginLoader(QString interfaceName, int apiVersion);

    // GREENROOM_PLUGIN_PATH (':'-separated), then $XDG_DATA_HOME/greenroom/plugins,
    // then the install's folder beside `applicationDir` (../lib/greenroom/plugins,
    // or ../plugins in a build tree).
    static QList<PluginFolder> standardFolders(const QString &applicationDir);

    QList<FoundPlugin> find(const QList<PluginFolder> &folders) const;
    // Loads a plugin found without a problem: its root object (owned by Qt's
    // plugin loader, alive until the process ends), or why it did not load.
    Result<QObject *> load(const FoundPlugin &plugin) const;

private:
    QString m_interfaceName;
    int m_apiVersion;
};

} // namespace Greenroom
