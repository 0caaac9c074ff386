// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <config/configreader.h>
#include <store/serverstore.h>

#include <memory>

namespace Greenroom::Server {

/*
 * Where the server keeps its data, from Backstage's backend.database:
 * client better-sqlite3 (or sqlite3) or pg. Greenroom keeps the catalog,
 * docs sites, tasks and auth state in one database: the catalog plugin's,
 * so an app-config written for Backstage points it where Backstage's
 * catalog is (backstage_plugin_catalog by default).
 */
struct DatabaseSettings
{
    bool postgres = false;
    // SQLite: ":memory:", or catalog.sqlite in connection.directory (default:
    // the user's data folder, created if missing).
    QString sqlitePath;
    // PostgreSQL: libpq connection strings for the catalog's database and
    // for the `postgres` database (to create the first when missing).
    QString conninfo;
    QString adminConninfo;
    QString databaseName;    // created when missing if ensureExists
    QString schema;          // pluginDivisionMode: schema: <schemaPrefix>catalog
    bool ensureExists = true;
    // For logs: never the password.
    QString description;
    // Where git repositories are mirrored (next to a SQLite file, else in the user's data folder).
    QString gitCache;
};

Result<DatabaseSettings> databaseSettings(const Config::ConfigReader &config);
// Opens (and on PostgreSQL first creates, when allowed) the store: one
// connection; call again for another (writers on their own threads).
Result<std::unique_ptr<Store::ServerStore>> openServerStore(const DatabaseSettings &settings);

} // namespace Greenroom::Server
