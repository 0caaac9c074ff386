// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0006Docs()
{
    return {6, QStringLiteral(R"sql(
-- Built TechDocs sites, one per documented entity: built by the server,
-- mirrored into a desktop cache for reading offline.
CREATE TABLE docs_sites (
    entity_ref      TEXT PRIMARY KEY,
    entity_uid      TEXT NOT NULL,
    etag            TEXT NOT NULL,      -- hash of every file: equal etags, equal sites
    source_key      TEXT NOT NULL,      -- what was built (server): folder fingerprint, git tree
    build_timestamp INTEGER NOT NULL,   -- ms since epoch, as in techdocs_metadata.json
    metadata        TEXT NOT NULL,      -- techdocs_metadata.json
    sequence        INTEGER NOT NULL    -- change sequence of its last change
) WITHOUT ROWID;
-- Rowid table: files are large, and WITHOUT ROWID rows should be small.
CREATE TABLE docs_files (
    id         INTEGER PRIMARY KEY,
    entity_ref TEXT NOT NULL,
    path       TEXT NOT NULL,   -- relative to the site root, '/'-separated
    content    BLOB NOT NULL,
    UNIQUE (entity_ref, path)
);
-- The site's search index entries (pages and their sections), searchable.
CREATE TABLE docs_sections (
    id         INTEGER PRIMARY KEY,
    entity_ref TEXT NOT NULL,
    location   TEXT NOT NULL,   -- page URL in the site, '#id' for a section
    title      TEXT NOT NULL,
    page_title TEXT NOT NULL
);
CREATE INDEX docs_sections_entity ON docs_sections(entity_ref);
CREATE VIRTUAL TABLE docs_fts USING fts5(
    title, text,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- A mirror: docs changes the feed announced that are not fetched yet.
CREATE TABLE docs_pending (
    entity_ref TEXT PRIMARY KEY,
    entity_uid TEXT NOT NULL,
    etag       TEXT NOT NULL
) WITHOUT ROWID;
)sql")};
}

} // namespace Greenroom::Store::Internal
