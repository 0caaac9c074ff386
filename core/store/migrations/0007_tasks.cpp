// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0007Tasks()
{
    return {7, QStringLiteral(R"sql(
-- Scaffolder tasks and their event logs, as Backstage's tasks and
-- task_events tables: the server's tasks outlive a restart. Secrets are
-- never stored.
CREATE TABLE tasks (
    id                TEXT PRIMARY KEY,
    spec              TEXT NOT NULL,      -- the task spec JSON (steps unrendered)
    status            TEXT NOT NULL,      -- open, processing, completed, failed, cancelled
    created_by        TEXT,
    created_at        TEXT NOT NULL,      -- ISO 8601 UTC with milliseconds: sorts as time
    last_heartbeat_at TEXT
) WITHOUT ROWID;
CREATE INDEX tasks_created_at ON tasks(created_at);
CREATE INDEX tasks_status ON tasks(status);
CREATE TABLE task_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: clients resume `after` it
    task_id    TEXT NOT NULL,
    event_type TEXT NOT NULL,                       -- log, completion, cancelled, recovered
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX task_events_task ON task_events(task_id, id);
)sql")};
}

} // namespace Greenroom::Store::Internal
