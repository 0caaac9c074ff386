// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "storetypes.h"

#include <common/result.h>
#include <search/searchrequest.h>

#include <optional>

namespace Greenroom::Store {

/*
 * Where the catalog lives: entities as their final (stitched) JSON plus the
 * indexes that filters, ordering, facets and full-text search need, the
 * relations between them, processing errors per location, and the change
 * sequence that desktop clients sync from.
 *
 * Every write is one transaction: readers see a location's previous output or
 * its new output, never a mix, and a crash mid-write leaves the previous one.
 * An instance is used from one thread at a time; open one per thread.
 */
class CatalogStore
{
public:
    virtual ~CatalogStore() = default;

    // Replaces everything `write.originKey` produced with `write`'s entities:
    // new refs are inserted, changed ones updated, vanished ones deleted
    // (tombstoned), unchanged ones left alone (no change row).
    // By value: moved in, the store lets each entity's data go once it is written.
    virtual Result<WriteReport> applyLocation(LocationWrite write) = 0;
    // Deletes one entity (DELETE /entities/by-uid); unknown uids are no error.
    virtual Status removeEntityByUid(const QString &uid) = 0;

    // Locations registered through the API, in registration order.
    virtual QList<RegisteredLocation> registeredLocations() = 0;
    // A ConflictError when the same type and target is registered already.
    virtual Result<RegisteredLocation> registerLocation(const QString &type, const QString &target,
                                                        const QString &entityRef) = 0;
    // Changes a registration's type and target (a ConflictError when another
    // has them); nullopt for an unknown id.
    virtual Result<std::optional<RegisteredLocation>> updateLocation(const QString &id, const QString &type,
                                                                     const QString &target, const QString &entityRef) = 0;
    // Unregisters and deletes everything the location produced, in one
    // transaction; false for an unknown id.
    virtual Result<bool> unregisterLocation(const QString &id) = 0;

    virtual std::optional<StoredEntity> entityByRef(const QString &ref) = 0;
    virtual std::optional<StoredEntity> entityByUid(const QString &uid) = 0;
    // Same length and order as `refs`; nullopt where a ref is unknown or filtered out.
    // Refs are compared as given with the stored lower-case `kind:namespace/name`
    // (no lower-casing, no default namespace), as Backstage's entitiesBatch does.
    virtual Result<QList<std::optional<StoredEntity>>> entitiesByRefs(const QStringList &refs,
                                                                      const Model::EntityFilter &filter = {}) = 0;
    virtual Result<EntityPage> queryEntities(const EntityQuery &query) = 0;
    virtual Result<Facets> facets(const QStringList &facetKeys, const Model::EntityFilter &filter = {}) = 0;
    // The search index: Backstage's software-catalog and techdocs documents,
    // ranked (exact names first, then words in names and titles, then
    // anywhere), filtered and paged. Never stale: it is written with the
    // entities and sites it comes from.
    virtual Result<Search::SearchResults> searchDocuments(const Search::SearchRequest &request) = 0;
    // Its software-catalog hits as entities, best first.
    virtual Result<QList<SearchHit>> search(const QString &text, int limit) = 0;

    // Change rows after `afterSequence` in sequence order: one per entity,
    // its latest change (an upsert or a tombstone). With `withEntities`,
    // upserts carry the entity's JSON as stored.
    virtual QList<Change> changesSince(qint64 afterSequence, int limit, bool withEntities = false) = 0;
    // The same (with entities) as one reader may see them (FeedReader); an
    // error rather than an empty page, so a reader never skips what it missed.
    virtual Result<QList<Change>> changesSince(qint64 afterSequence, int limit, const FeedReader &reader) = 0;
    virtual qint64 countChangesSince(qint64 afterSequence) = 0;
    virtual qint64 lastSequence() = 0;
    // Deletes tombstones written before `cutoffMsecsSinceEpoch` and moves the
    // sync horizon past them; returns how many went.
    virtual Result<int> pruneTombstones(qint64 cutoffMsecsSinceEpoch) = 0;
    // The highest sequence of a pruned tombstone (0 when none was pruned): a
    // sync cursor above 0 but below it cannot be continued.
    virtual qint64 syncHorizon() = 0;
    // A random number fixed when the database was created: sync cursors name
    // it, so one from another database is recognised.
    virtual qint64 feedEpoch() = 0;
    virtual qint64 entityCount() = 0;
    virtual QList<ProcessingErrorRecord> processingErrors(const QString &originKey = {}) = 0;
    // Ok when the database answers a query (health checks).
    virtual Status checkHealth() = 0;
    // Lets go of the memory caches hold (after a large write); they fill again as needed.
    virtual void releaseMemory() {}
    // Another connection to the same database, for reads on another thread
    // (the server's reader pool); null when there can be none (a database in
    // memory). The reader must not be used for writes.
    virtual Result<std::unique_ptr<CatalogStore>> openReader() { return std::unique_ptr<CatalogStore>(); }

    // Work shared by replicas on one database (a location's read): whoever
    // holds a key's lease does it. Takes the lease on `key` for `holder`
    // until `forMs` from now (the database's clock) unless another holder's
    // lease has not ended; `force` takes it all the same (an explicit
    // refresh). 0 when taken, else how long until the other lease ends (ms,
    // at least 1). A store only one process uses has no other holders.
    virtual Result<qint64> claimLease(const QString &key, const QString &holder, qint64 forMs, bool force = false)
    {
        Q_UNUSED(key) Q_UNUSED(holder) Q_UNUSED(forMs) Q_UNUSED(force)
        return qint64(0);
    }
    // Moves the end of `holder`'s lease on `key` to `forMs` from now (a
    // heartbeat while working; after the work, until it is due again).
    virtual Status extendLease(const QString &key, const QString &holder, qint64 forMs)
    {
        Q_UNUSED(key) Q_UNUSED(holder) Q_UNUSED(forMs)
        return Ok{};
    }

    // The entity `ref` followed by the entities that emitted it, nearest
    // first (Backstage's ancestry); empty when `ref` is unknown.
    QList<StoredEntity> ancestry(const QString &ref);
};

} // namespace Greenroom::Store
