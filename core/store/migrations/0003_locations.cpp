// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0003Locations()
{
    return {3, QStringLiteral(R"sql(
-- Locations registered through the API (POST /locations); those from config
-- are not stored. One row per type+target; the rowid keeps registration
-- order, which GET /locations lists in.
CREATE TABLE locations (
    id         TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    target     TEXT NOT NULL,
    entity_ref TEXT NOT NULL,
    UNIQUE (type, target)
);
)sql")};
}

} // namespace Greenroom::Store::Internal
