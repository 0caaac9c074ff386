// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "configreader.h"

#include <QHash>

namespace Greenroom::Config {

using Environment = QHash<QString, QString>;

// The process environment as a map (what ${VAR}, $env and APP_CONFIG_ read).
Environment systemEnvironment();

struct LoadOptions
{
    // --config arguments in order; relative ones resolve against `workingDirectory`.
    QStringList configFiles;
    QString workingDirectory;
    Environment environment;
    // Used when no --config is given and the working directory has no
    // app-config.yaml (Greenroom's embedded default, from resources/).
    QString defaultConfigFile;
};

/*
 * Loads app-config the way Backstage's config-loader does: the files in
 * order (or app-config.yaml, app-config.<BACKSTAGE_ENV>.yaml and the .local
 * variants), each with ${VAR} substitution ($${ escapes it, :- gives a
 * fallback, an unset variable drops the key), $file, $env and $include
 * resolved relative to the file that names them, then APP_CONFIG_* variables
 * on top. Errors name the file and the config path, in upstream's words.
 */
class ConfigLoader
{
public:
    static Result<ConfigReader> load(const LoadOptions &options);
    // The files `load` would read, lowest priority first.
    static QStringList configFiles(const LoadOptions &options);
    // One file as a layer; nullopt for an empty file.
    static Result<std::optional<ConfigLayer>> readFile(const QString &path, const Environment &environment);
    // The APP_CONFIG_* variables as a layer; nullopt when there are none.
    static Result<std::optional<ConfigLayer>> environmentLayer(const Environment &environment);
};

} // namespace Greenroom::Config
