// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QList>
#include <QString>

namespace Greenroom::Store::Internal {

// A numbered schema change. Applied in order at open; the database's
// `PRAGMA user_version` is the number of the last one applied.
struct Migration
{
    int version;
    QString sql;
};

// All SQLite migrations, oldest first; one file per migration.
const QList<Migration> &sqliteMigrations();
const QList<Migration> &pgMigrations();

Migration sqliteMigration0001Initial();
Migration sqliteMigration0002SyncHorizon();
Migration sqliteMigration0003Locations();
Migration sqliteMigration0004Mirror();
Migration sqliteMigration0005Listing();
Migration sqliteMigration0006Docs();
Migration sqliteMigration0007Tasks();
Migration sqliteMigration0008PluginData();
Migration sqliteMigration0009Search();
Migration sqliteMigration0010Auth();
Migration sqliteMigration0011PagingIndex();

} // namespace Greenroom::Store::Internal
