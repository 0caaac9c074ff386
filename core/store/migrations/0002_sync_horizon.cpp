// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0002SyncHorizon()
{
    return {2, QStringLiteral(R"sql(
-- Small named values the store keeps about itself. 'sync_horizon': the highest
-- change sequence whose tombstone was pruned; a sync cursor below it may have
-- missed a deletion, so its client must resync from a snapshot. 'feed_epoch':
-- a random number naming this database's sequence, so that a cursor from
-- another database (restored, recreated) is never continued here.
CREATE TABLE store_state (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_state(key, value) VALUES ('feed_epoch', abs(random() % 4503599627370496) + 1);
CREATE INDEX changes_tombstones ON changes(changed_at) WHERE deleted = 1;
)sql")};
}

} // namespace Greenroom::Store::Internal
