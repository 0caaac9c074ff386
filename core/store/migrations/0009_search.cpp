// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0009Search()
{
    return {9, QStringLiteral(R"sql(
-- One search index over the documents Backstage's collators make: one
-- software-catalog document per entity, one techdocs document per entry of a
-- built site's search index. Written in the same transaction as the entity
-- or the site, so search is never stale. Rows never change: a changed
-- document is a new row, so the full-text index's external content always
-- holds what was indexed.
CREATE TABLE search_documents (
    id           INTEGER PRIMARY KEY,   -- software-catalog below 2^40, techdocs from it on
    type         TEXT NOT NULL,       -- software-catalog | techdocs
    entity_id    INTEGER,             -- entities.id; NULL while a replaced row waits to go
    entity_ref   TEXT NOT NULL,       -- authorization.resourceRef
    title        TEXT NOT NULL,       -- full-text columns, heaviest first
    name         TEXT NOT NULL,
    keywords     TEXT NOT NULL,
    text         TEXT NOT NULL,
    f_kind       TEXT,                -- folded filter values, NULL where the type has no such field
    f_type       TEXT,
    f_lifecycle  TEXT,
    f_owner      TEXT,
    f_namespace  TEXT,
    f_name       TEXT,
    f_tags       TEXT,                -- '|'-separated, with '|' at both ends
    sort_key     TEXT NOT NULL,       -- folded title: the order without words
    document     TEXT NOT NULL        -- JSON as the search API answers it
);
CREATE INDEX search_documents_entity ON search_documents(entity_id);
CREATE INDEX search_documents_sort ON search_documents(sort_key);
CREATE INDEX search_documents_kind ON search_documents(f_kind, sort_key);
CREATE INDEX search_documents_owner ON search_documents(f_owner);
CREATE INDEX search_documents_lifecycle ON search_documents(f_lifecycle);
CREATE INDEX search_documents_type ON search_documents(f_type);

-- Word keys of entity names and titles: a query equal to one is an exact
-- match; one they start with, a name being typed.
CREATE TABLE search_exact (
    key    TEXT NOT NULL,
    doc_id INTEGER NOT NULL,
    title  INTEGER NOT NULL,   -- 0: the key is the name; 1: the title (a name match ranks first)
    PRIMARY KEY (key, doc_id)
) WITHOUT ROWID;
CREATE INDEX search_exact_doc ON search_exact(doc_id);

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, name, keywords, text,
    content = 'search_documents', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4'
);
-- Names and titles alone, for the tier that ranks them: a word common in
-- texts ("team", "service") would make the whole index's column filter
-- read every document that has it anywhere.
CREATE VIRTUAL TABLE search_names_fts USING fts5(
    title, name,
    content = 'search_documents', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4'
);
-- Its words, for correcting typos.
CREATE VIRTUAL TABLE search_vocabulary USING fts5vocab(search_fts, row);

-- What the documents were made with (collator options, index version): when
-- it differs from what this build makes, the index is rebuilt at open.
CREATE TABLE search_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Docs sections keep their text: documents are made again when their entity changes.
ALTER TABLE docs_sections ADD COLUMN text TEXT NOT NULL DEFAULT '';
UPDATE docs_sections SET text = coalesce((SELECT f.text FROM docs_fts f WHERE f.rowid = docs_sections.id), '');

-- The index before this one: replaced by search_fts.
DROP TABLE entities_fts;
DROP TABLE docs_fts;
)sql")};
}

} // namespace Greenroom::Store::Internal
