// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0001Initial()
{
    return {1, QStringLiteral(R"sql(
-- One row per entity. `final` is what readers get: the processed entity as its
-- location gave it (the body) plus uid, etag, relations and status; the body is
-- recovered from it, and `body_hash` tells whether a new read changed it.
CREATE TABLE entities (
    id           INTEGER PRIMARY KEY,
    ref          TEXT NOT NULL UNIQUE,      -- canonical kind:namespace/name
    uid          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,             -- lower case, for cheap kind scans
    name         TEXT NOT NULL,             -- metadata.name, lower case: listing a kind by name
    etag         TEXT NOT NULL,
    body_hash    TEXT NOT NULL,
    origin_key   TEXT,                      -- registered location that produced it
    location_key TEXT,                      -- location it was read from
    parent_ref   TEXT,                      -- entity that emitted it
    final        TEXT NOT NULL,
    status_items TEXT,                      -- JSON array, problems of the last processing
    sequence     INTEGER NOT NULL           -- change sequence of its last change
);
CREATE INDEX entities_origin ON entities(origin_key);
CREATE INDEX entities_kind_name ON entities(kind, name, uid);
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

-- The flattened final entity, as Backstage's `search` table: filters, order,
-- facets. Keys are interned (a handful of distinct keys, repeated per entity);
-- `original_value` is stored only where it differs from the lower-cased
-- `value`; `first` marks the first row of a key per entity, the one ordering
-- uses. Clustered by entity, so a new entity's rows are appended in one place.
CREATE TABLE search_keys (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE
);
CREATE TABLE search (
    entity_id      INTEGER NOT NULL,
    key_id         INTEGER NOT NULL,
    ordinal        INTEGER NOT NULL,
    value          TEXT,
    original_value TEXT,
    first          INTEGER NOT NULL,
    PRIMARY KEY (entity_id, key_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX search_key_value ON search(key_id, value, entity_id);

-- Facet counts per key, kind and value, kept with the search rows: an
-- unfiltered facet sums a handful of rows, a facet within one kind (what a
-- catalog table shows beside its list) reads them directly. Kept only for keys
-- with few distinct values (spec.type, lifecycle, tags...); keys listed in
-- facet_uncounted (names, uids, paths) are counted from `search` when asked.
CREATE TABLE facet_uncounted (key_id INTEGER PRIMARY KEY);
CREATE TABLE facet_counts (
    key_id INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    value  TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (key_id, kind, value)
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
