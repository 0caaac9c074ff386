// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0001Initial()
{
    return {1, QStringLiteral(R"sql(
-- One row per entity. `body` is the processed entity as its location gave it;
-- `final` is what readers get: body + uid, etag, relations and status.
CREATE TABLE entities (
    id           INTEGER PRIMARY KEY,
    ref          TEXT NOT NULL UNIQUE,      -- canonical kind:namespace/name
    uid          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,             -- lower case, for cheap kind scans
    etag         TEXT NOT NULL,
    origin_key   TEXT,                      -- registered location that produced it
    location_key TEXT,                      -- location it was read from
    parent_ref   TEXT,                      -- entity that emitted it
    body         TEXT NOT NULL,
    final        TEXT NOT NULL,
    status_items TEXT,                      -- JSON array, problems of the last processing
    sequence     INTEGER NOT NULL           -- change sequence of its last change
);
CREATE INDEX entities_origin ON entities(origin_key);
CREATE INDEX entities_parent ON entities(parent_ref);

-- Relations as emitted: the emitting entity owns its rows (both directions).
CREATE TABLE relations (
    origin_id  INTEGER NOT NULL,
    source_ref TEXT NOT NULL,
    type       TEXT NOT NULL,
    target_ref TEXT NOT NULL
);
CREATE INDEX relations_source ON relations(source_ref, type, target_ref);
CREATE INDEX relations_origin ON relations(origin_id);

-- The flattened final entity, as Backstage's `search` table: filters, order, facets.
-- `first` marks the first row of a key per entity, the one ordering uses.
CREATE TABLE search (
    entity_id      INTEGER NOT NULL,
    key            TEXT NOT NULL,
    value          TEXT,
    original_value TEXT,
    first          INTEGER NOT NULL
);
CREATE INDEX search_key_value ON search(key, value, entity_id);
CREATE INDEX search_entity ON search(entity_id);

-- Facet counts over all entities, kept with the search rows so an unfiltered
-- facet query is a lookup rather than a scan.
CREATE TABLE facet_counts (
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, value)
) WITHOUT ROWID;

-- Ranked full-text search for people (Greenroom's own search box).
CREATE VIRTUAL TABLE entities_fts USING fts5(
    name, title, description, tags, kind, type, owner,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The sync cursor: one row per entity, its last change; deletions stay as
-- tombstones. Re-inserting moves a row to the end of the sequence.
CREATE TABLE changes (
    sequence   INTEGER PRIMARY KEY AUTOINCREMENT,
    ref        TEXT NOT NULL UNIQUE,
    uid        TEXT NOT NULL,
    deleted    INTEGER NOT NULL,
    etag       TEXT,
    changed_at INTEGER NOT NULL
);

CREATE TABLE processing_errors (
    id           INTEGER PRIMARY KEY,
    origin_key   TEXT NOT NULL,
    location_key TEXT,
    file         TEXT,
    line         INTEGER,
    entity_ref   TEXT,
    name         TEXT NOT NULL,
    message      TEXT NOT NULL,
    reason       TEXT,
    level        TEXT NOT NULL
);
CREATE INDEX processing_errors_origin ON processing_errors(origin_key);
)sql")};
}

} // namespace Greenroom::Store::Internal
