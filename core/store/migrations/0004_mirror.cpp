// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0004Mirror()
{
    return {4, QStringLiteral(R"sql(
-- What a desktop cache keeps about the server it mirrors ('cursor', the
-- profile it belongs to, when it last synced...), written in the same
-- transaction as the changes it describes.
CREATE TABLE mirror_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
-- Refs received while the cache is rebuilt from a snapshot; what is not here
-- when the snapshot ends is gone from the server and is deleted then.
CREATE TABLE mirror_seen (
    ref TEXT PRIMARY KEY
) WITHOUT ROWID;
)sql")};
}

} // namespace Greenroom::Store::Internal
