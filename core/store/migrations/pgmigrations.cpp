// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The PostgreSQL store's schema, numbered on its own (PostgreSQL's types,
// sequences and collations differ from SQLite's, so its history does too).
// Text that is compared or ordered is COLLATE "C": bytewise, as SQLite
// compares, so both stores page and sort identically whatever locale the
// cluster was created with.
#include "migration.h"

namespace Greenroom::Store::Internal {

const QList<Migration> &pgMigrations()
{
    static const QList<Migration> migrations{
        {1, QStringLiteral(R"sql(
-- One row per entity; `final` is the JSON readers get, as text so its key
-- order is kept byte for byte (jsonb would reorder it).
CREATE SEQUENCE entity_ids;
CREATE TABLE entities (
    id           bigint PRIMARY KEY,
    ref          text COLLATE "C" NOT NULL UNIQUE,
    uid          text COLLATE "C" NOT NULL UNIQUE,
    kind         text COLLATE "C" NOT NULL,
    name         text COLLATE "C" NOT NULL,
    etag         text NOT NULL,
    body_hash    text NOT NULL,
    origin_key   text COLLATE "C",
    location_key text,
    parent_ref   text COLLATE "C",
    final        text NOT NULL,
    status_items text,
    sequence     bigint NOT NULL
);
CREATE INDEX entities_origin ON entities(origin_key);
CREATE INDEX entities_kind_name ON entities(kind, name, uid);
CREATE INDEX entities_parent ON entities(parent_ref);
CREATE INDEX entities_uid_kind ON entities(uid, kind);

-- Relations as emitted; the emitting entity owns its rows (both directions).
CREATE TABLE relations (
    origin_id  bigint NOT NULL,
    source_ref text COLLATE "C" NOT NULL,
    type       text COLLATE "C" NOT NULL,
    target_ref text COLLATE "C" NOT NULL
);
CREATE INDEX relations_source ON relations(source_ref, type, target_ref);
CREATE INDEX relations_origin ON relations(origin_id);

-- The flattened final entity, as Backstage's `search` table: filters, order
-- and facets. `first` marks the row of a key that ordering uses.
CREATE TABLE search (
    entity_id      bigint NOT NULL,
    key            text COLLATE "C" NOT NULL,
    ordinal        integer NOT NULL,
    value          text COLLATE "C",
    original_value text COLLATE "C",
    first          boolean NOT NULL,
    PRIMARY KEY (entity_id, key, ordinal)
);
CREATE INDEX search_key_value ON search(key, value, entity_id);

-- Greenroom's own ranked search: one row per entity, its words weighted
-- (names and titles above descriptions above the rest).
CREATE TABLE entity_text (
    entity_id bigint PRIMARY KEY,
    words     tsvector NOT NULL
);
CREATE INDEX entity_text_words ON entity_text USING gin(words);

-- The sync feed: one row per entity (its latest change), tombstones
-- included; a change takes the next number of one database sequence, the
-- same for every replica.
CREATE SEQUENCE change_sequence;
CREATE TABLE changes (
    sequence   bigint PRIMARY KEY,
    ref        text COLLATE "C" NOT NULL UNIQUE,
    uid        text NOT NULL,
    deleted    boolean NOT NULL,
    etag       text,
    changed_at bigint NOT NULL
);
CREATE INDEX changes_tombstones ON changes(changed_at) WHERE deleted;

CREATE TABLE processing_errors (
    id           bigserial PRIMARY KEY,
    origin_key   text NOT NULL,
    location_key text,
    file         text,
    line         integer,
    entity_ref   text,
    name         text NOT NULL,
    message      text NOT NULL,
    reason       text,
    level        text NOT NULL
);
CREATE INDEX processing_errors_origin ON processing_errors(origin_key);

-- 'sync_horizon', 'feed_epoch' as in the SQLite store; 'last_sequence': the
-- highest change number committed (the sequence object runs ahead of
-- commits, and pruned tombstones may have held the highest numbers).
CREATE TABLE store_state (
    key   text PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO store_state(key, value) VALUES ('feed_epoch', floor(random() * 4503599627370495)::bigint + 1),
                                           ('last_sequence', 0);

-- Locations registered through the API, in registration order.
CREATE TABLE locations (
    position   bigserial,
    id         text NOT NULL UNIQUE,
    type       text NOT NULL,
    target     text NOT NULL,
    entity_ref text NOT NULL,
    UNIQUE (type, target)
);
)sql")},
        {2, QStringLiteral(R"sql(
-- Built TechDocs sites, one per documented entity, their files and their
-- searchable sections (words weighted: titles over text).
CREATE TABLE docs_sites (
    entity_ref      text COLLATE "C" PRIMARY KEY,
    entity_uid      text NOT NULL,
    etag            text NOT NULL,
    source_key      text NOT NULL,
    build_timestamp bigint NOT NULL,
    metadata        text NOT NULL,
    sequence        bigint NOT NULL
);
CREATE TABLE docs_files (
    entity_ref text COLLATE "C" NOT NULL,
    path       text COLLATE "C" NOT NULL,
    content    bytea NOT NULL,
    PRIMARY KEY (entity_ref, path)
);
CREATE TABLE docs_sections (
    id         bigserial PRIMARY KEY,
    entity_ref text COLLATE "C" NOT NULL,
    location   text NOT NULL,
    title      text NOT NULL,
    page_title text NOT NULL,
    body       text NOT NULL,
    words      tsvector NOT NULL
);
CREATE INDEX docs_sections_entity ON docs_sections(entity_ref);
CREATE INDEX docs_sections_words ON docs_sections USING gin(words);

-- Scaffolder tasks and their event logs, as Backstage's tasks and
-- task_events tables. Secrets are never stored.
CREATE TABLE tasks (
    id                text PRIMARY KEY,
    spec              text NOT NULL,
    status            text COLLATE "C" NOT NULL,
    created_by        text COLLATE "C",
    created_at        text COLLATE "C" NOT NULL,   -- ISO 8601 UTC with milliseconds: sorts as time
    last_heartbeat_at text
);
CREATE INDEX tasks_created_at ON tasks(created_at);
CREATE INDEX tasks_status ON tasks(status);
CREATE TABLE task_events (
    id         bigserial PRIMARY KEY,   -- never reused: clients resume `after` it
    task_id    text NOT NULL,
    event_type text NOT NULL,
    body       text NOT NULL,
    created_at text NOT NULL
);
CREATE INDEX task_events_task ON task_events(task_id, id);

-- The auth backend's lasting state: public keys of user tokens, refresh
-- sessions as hashes. Every replica publishes its keys here.
CREATE TABLE auth_signing_keys (
    kid        text PRIMARY KEY,
    jwk        text NOT NULL,
    created_at bigint NOT NULL
);
CREATE TABLE auth_refresh_sessions (
    id         text PRIMARY KEY,
    hash       bytea NOT NULL,
    user_ref   text NOT NULL,
    scope      text NOT NULL,
    expires_at bigint NOT NULL
);
)sql")},
        {3, QStringLiteral(R"sql(
-- Work replicas share: a key (a location's origin) is worked on by the
-- holder of its lease; a lease that is not renewed runs out, so the work of
-- a replica that died is taken over. Times are the database's clock (ms).
CREATE TABLE work_leases (
    key        text PRIMARY KEY,
    holder     text NOT NULL,
    expires_at bigint NOT NULL
);
)sql")},
    };
    return migrations;
}

} // namespace Greenroom::Store::Internal
