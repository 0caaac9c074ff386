// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/jsonkeyorder.h>

#include <model/entityfilter.h>
#include <model/relation.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

namespace Greenroom::Store {

// An entity as readers get it: final JSON with uid, etag, relations, status.
struct StoredEntity
{
    QJsonObject entity;      // empty when only `json` was asked for
    QByteArray json;         // the entity as stored (compact JSON, keys in their file's order)
    QString ref;
    QString uid;
    QString etag;
    qint64 sequence = 0;     // change sequence of its last change
    QString originKey;       // registered location whose processing produced it
    QString locationKey;     // location it was read from (managed-by-location)
    QString parentRef;       // entity that emitted it; empty for a root
};

struct Change
{
    enum class Type { Upsert, Delete };
    qint64 sequence = 0;
    Type type = Type::Upsert;
    QString ref;
    QString uid;
    QString etag;
    QByteArray entityJson;   // the final entity as stored (compact JSON), when asked for
    // Docs changes (the entity's built TechDocs site stored, changed or
    // removed) share the sequence; `etag` is then the site's.
    bool docs = false;
    // For a reader with a scope: a tombstone that says no more than the uid
    // (the entity may be one the reader may not read, so its ref is not told).
    bool uidOnly = false;
};

// Whose change feed it is: a reader who may read only the entities
// `readable` matches sees the others' changes as tombstones naming only the
// uid (it may hold a copy from when it could read them), and no docs
// changes of them. Read from the start, the reader holds nothing, so
// neither those nor any tombstone are sent.
struct FeedReader
{
    std::optional<Model::EntityFilter> readable;   // nullopt: everything, as stored
    bool fromStart = false;
};

// A problem met while reading a location, kept until its next read.
struct ProcessingErrorRecord
{
    QString originKey;
    QString locationKey;   // location ref of the file or URL
    QString file;          // path or URL of the document
    int line = 0;
    QString entityRef;     // when the problem is about one entity
    QString name;          // InputError, NotFoundError, ...
    QString message;       // Backstage's full message
    QString reason;        // the innermost cause, for people
    QString level = QStringLiteral("error");   // error | warning
};

// One entity produced by reading a location.
struct EntityWrite
{
    QJsonObject entity;     // processed: policies applied, location annotations set
    QString ref;
    QList<Model::Relation> relations;   // forward and reverse as emitted
    QString locationKey;
    QString parentRef;
    JsonKeyOrder keyOrder;  // as its file wrote its keys: the order its JSON is served in
    // The same entity as compact JSON in that key order, the form a large
    // read keeps it in (a tenth of the memory of the two above, which are
    // then empty); the store parses it when it needs the object.
    QByteArray json;
    // With `json`: the body's hash (bodyHash below), worked out where the
    // object was at hand, so the store need not parse the JSON for it.
    QByteArray bodyHash;

    // The entity, from `json` when that is how it is kept.
    QJsonObject object() const;
};

// What tells an entity's body from its last version: the SHA-1 (hex) of its
// key-sorted compact JSON, as Backstage hashes it.
QByteArray bodyHash(const QJsonObject &body);

// An entity that exists already but failed this time: its last good version
// stays, with the problem shown in status.items.
struct EntityFailure
{
    QString ref;
    QJsonObject statusItem;
};

// A location registered through the API (Backstage's Location object).
struct RegisteredLocation
{
    QString id;          // a UUID
    QString type;
    QString target;
    QString entityRef;   // location:default/generated-<sha1 of type:target>
    QString key() const { return type + QLatin1Char(':') + target; }
};

struct LocationWrite
{
    QString originKey;
    QList<EntityWrite> entities;
    QList<EntityFailure> failures;
    // Entities whose own read failed: what they emitted before is kept.
    QSet<QString> keptParents;
    QList<ProcessingErrorRecord> errors;   // replace the origin's previous ones
    // catalog.orphanStrategy keep: entities the origin no longer emits stay,
    // annotated backstage.io/orphan: "true", instead of being deleted.
    bool keepOrphans = false;
    // For a location registered through the API: write only while it is
    // still registered (checked inside the write's transaction), so a read
    // that finishes after the location was deleted cannot bring it back.
    bool onlyIfRegistered = false;
    // When not empty, the write covers only what was read from these
    // location keys (one refreshed file): the origin's other entities and
    // processing errors stay as they are, and a ref one of them holds is a
    // conflict, as if another origin held it.
    QSet<QString> onlyLocationKeys;
};

struct WriteReport
{
    int inserted = 0;
    int updated = 0;
    int unchanged = 0;
    int deleted = 0;
    int restitched = 0;     // other entities whose relations changed
    QList<ProcessingErrorRecord> conflicts;   // refs owned by another origin, not written
    qint64 lastSequence = 0;
    bool skipped = false;   // onlyIfRegistered, and it was not: nothing written
};

// One change copied from another catalog's sync feed: a desktop cache
// mirrors its server, keeping each entity exactly as the server serves it.
// A desktop plugin's data for one entity (SqliteCatalogStore::pluginData).
struct PluginData
{
    QByteArray json;
    qint64 storedAt = 0;   // ms since the epoch
};

struct MirroredChange
{
    bool deleted = false;
    QString ref;
    QString uid;
    QString etag;
    QByteArray entityJson;   // upserts: the final entity, compact JSON
    QJsonObject entity;      // the same, parsed, when the caller has it (saves parsing it again)
    // A docs change: the site of entity `ref` now has `etag` (fetched
    // separately, see DocsStore) or, deleted, is gone.
    bool docs = false;
};

struct MirrorBatch
{
    QList<MirroredChange> changes;
    // mirror_state values written in the same transaction (the cursor after
    // these changes), so the cache never holds one without the other. A null
    // value removes the key.
    QList<std::pair<QString, QString>> state;
    // Rebuilding from a snapshot: `startRebuild` forgets refs seen by an
    // earlier, abandoned rebuild; while `rebuilding`, every ref applied is
    // recorded; `finishRebuild` then deletes every entity the snapshot did not
    // hold. Until then the previous catalog stays readable, never empty.
    bool startRebuild = false;
    bool rebuilding = false;
    bool finishRebuild = false;
    // Filling an empty cache: the first `bulk` batch drops the secondary
    // indexes (kept dropped across batches, recorded in mirror_state), and
    // the batch with `finishBulk` builds them once, sorted, which beats
    // keeping them up to date row by row. Readers meanwhile get the right
    // answers, only slower.
    bool bulk = false;
    bool finishBulk = false;
};

struct MirrorReport
{
    int upserted = 0;
    int unchanged = 0;
    int deleted = 0;
    qint64 lastSequence = 0;   // the cache's own change sequence after the batch
};

// A desktop cache's catalog table (mirrors only): what a row shows.
struct ListingRow
{
    qint64 id = 0;
    QString ref;
    QString title;   // metadata.title, else metadata.name
    QString system;
    QString owner;
    QString type;
    QString lifecycle;
    QString description;
    QString tags;
};

// Which rows of the catalog table: all conditions hold.
struct ListingFilter
{
    QString kind;                  // any case; empty: every kind
    QString namespaceName;
    QString type;
    QString lifecycle;
    QString owner;                 // the Owner cell, as shown (the owner facet's values)
    QString ownerRef;              // owned by this entity
    QString tag;
    std::optional<QStringList> refs;        // only these entities (starred)
    std::optional<QStringList> ownedByAny;  // owned by one of these (me and my groups)
};

struct EntityOrder
{
    QString field;
    bool descending = false;
};

// Backstage's fullTextFilter: a case-insensitive substring of any listed field.
struct FullTextFilter
{
    QString term;
    QStringList fields;
};

struct EntityQuery
{
    Model::EntityFilter filter;
    FullTextFilter fullText;
    QList<EntityOrder> order;        // empty: by uid
    // Equal sort values are ordered by uid in the first field's direction
    // (by-query, needed for keyset paging) or always ascending (GET /entities).
    bool tieBreakFollowsOrder = true;
    // Entities without a value for the first order field: dropped (by-query)
    // or put after all others (paginated GET /entities).
    bool keepEntitiesWithoutOrderValue = false;
    qint64 offset = 0;
    qint64 limit = -1;               // -1: no limit
    // Keyset paging (single order field): the key of the row to continue
    // after, as returned in EntityPage::lastKey ([sort value, uid], or [uid]
    // when unordered). Offset is ignored with it.
    QStringList after;
    bool backwards = false;          // page before `after` instead of after it
    bool countTotal = false;
    // Hand each entity back as its stored JSON text (StoredEntity::json)
    // rather than parsed: a response that sends it whole splices the text.
    bool rawJson = false;
};

struct EntityPage
{
    QList<StoredEntity> items;
    qint64 totalItems = -1;   // -1 when not counted
    bool hasMore = false;     // rows exist past this page in its direction
    QStringList firstKey;     // keyset of the first and last item
    QStringList lastKey;
};

struct FacetCount
{
    QString value;
    qint64 count = 0;
};
// Facet key as requested -> counts sorted by value.
using Facets = QList<std::pair<QString, QList<FacetCount>>>;

struct SearchHit
{
    StoredEntity entity;
    double rank = 0;   // lower is better (FTS5 bm25)
};

} // namespace Greenroom::Store
