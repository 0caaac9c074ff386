// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

const QList<Migration> &sqliteMigrations()
{
    static const QList<Migration> migrations{sqliteMigration0001Initial(), sqliteMigration0002SyncHorizon(),
                                                  sqliteMigration0003Locations(), sqliteMigration0004Mirror(),
                                                  sqliteMigration0005Listing(), sqliteMigration0006Docs(),
                                                  sqliteMigration0007Tasks(), sqliteMigration0008PluginData(),
                                                  sqliteMigration0009Search(), sqliteMigration0010Auth(),
                                                  sqliteMigration0011PagingIndex()};
    return migrations;
}

} // namespace Greenroom::Store::Internal
