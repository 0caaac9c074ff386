// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0005Listing()
{
    return {5, QStringLiteral(R"sql(
-- A desktop cache's catalog table: one row per mirrored entity (id = its
-- entities.id) with the cells the table shows, indexed for each column it
-- sorts by within a kind, so a sorted list of 100,000 ids is an index walk.
CREATE TABLE listing (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,   -- lower case
    namespace   TEXT NOT NULL,   -- lower case
    name        TEXT NOT NULL,   -- metadata.name, lower case: the default order
    title       TEXT NOT NULL,   -- metadata.title, else metadata.name
    system      TEXT NOT NULL,   -- as shown (humanized refs)
    owner       TEXT NOT NULL,   -- the owner facet's values too
    owner_refs  TEXT NOT NULL,   -- ',ref,ref,' of every owner (ownership filters)
    type        TEXT NOT NULL,
    lifecycle   TEXT NOT NULL,
    description TEXT NOT NULL,
    tags        TEXT NOT NULL,   -- 'a, b' as shown
    haystack    TEXT NOT NULL    -- lower-case text the table's filter box searches
);
CREATE INDEX listing_by_name ON listing(kind, name);
CREATE INDEX listing_by_system ON listing(kind, system, name);
CREATE INDEX listing_by_owner ON listing(kind, owner, name);
CREATE INDEX listing_by_type ON listing(kind, type, name);
CREATE INDEX listing_by_lifecycle ON listing(kind, lifecycle, name);
CREATE TABLE listing_tags (
    tag TEXT NOT NULL,
    id  INTEGER NOT NULL,
    PRIMARY KEY (tag, id)
) WITHOUT ROWID;
CREATE INDEX listing_tags_by_id ON listing_tags(id);
)sql")};
}

} // namespace Greenroom::Store::Internal
