// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0008PluginData()
{
    return {8, QStringLiteral(R"sql(
-- What desktop plugins fetched for an entity (CI runs, pods, incidents),
-- kept in the cache so the last state shows offline with its age. Only the
-- desktop cache writes it; rows go with their entity.
CREATE TABLE plugin_data (
    entity_ref TEXT NOT NULL,
    plugin     TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,      -- JSON
    stored_at  INTEGER NOT NULL,   -- ms since the epoch
    PRIMARY KEY (entity_ref, plugin, key)
) WITHOUT ROWID;
)sql")};
}

} // namespace Greenroom::Store::Internal
