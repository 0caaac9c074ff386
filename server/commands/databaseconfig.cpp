// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "databaseconfig.h"

#include <QDir>
#include <QStandardPaths>

namespace Greenroom::Server {

Result<QString> databasePath(const Config::ConfigReader &config)
{
    auto client = config.optionalString(QStringLiteral("backend.database.client"));
    if (!client)
        return client.error();
    const QString name = client->value_or(QStringLiteral("better-sqlite3"));
    if (name != QLatin1String("better-sqlite3") && name != QLatin1String("sqlite3"))
        return Error(QStringLiteral("NotImplementedError"),
                     QStringLiteral("backend.database.client '%1' is not supported yet; use better-sqlite3").arg(name));
    auto connection = config.optional(QStringLiteral("backend.database.connection"));
    if (!connection)
        return connection.error();
    if (connection->has_value() && (*connection)->isString()) {
        if ((*connection)->toString() == QLatin1String(":memory:"))
            return QStringLiteral(":memory:");
        return Error::input(QStringLiteral("backend.database.connection must be ':memory:' or {directory: <dir>} for SQLite"));
    }
    auto directory = config.optionalString(QStringLiteral("backend.database.connection.directory"));
    if (!directory)
        return directory.error();
    if (auto filename = config.optionalString(QStringLiteral("backend.database.connection.filename")); filename && filename->has_value())
        return Error::input(QStringLiteral("connection.filename is not supported for the base sqlite connection. "
                                           "Prefer connection.directory or provide a filename for the plugin connection instead."));
    const QString folder = directory->value_or(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    QDir().mkpath(folder);
    return QDir(folder).filePath(QStringLiteral("catalog.sqlite"));
}

} // namespace Greenroom::Server
