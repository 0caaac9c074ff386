// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "catalogstore.h"

#include <memory>

namespace Greenroom::Store {

class PostgresCatalogStorePrivate;

/*
 * The catalog on PostgreSQL (libpq), for servers at scale: several replicas
 * share one database. Opening applies pending numbered migrations (under an
 * advisory lock, so replicas starting together migrate once) and refuses a
 * database written by a newer Greenroom. Every write is one transaction and
 * takes the store's write lock first, so changes are numbered by one
 * database sequence and committed in that order on every replica.
 */
class PostgresCatalogStore final : public CatalogStore
{
public:
    // `conninfo`: a libpq connection string or postgres:// URI.
    static Result<std::unique_ptr<PostgresCatalogStore>> open(const QString &conninfo);
    ~PostgresCatalogStore() override;

    // The schema version this build writes.
    static int schemaVersion();

    Result<WriteReport> applyLocation(LocationWrite write) override;
    Status removeEntityByUid(const QString &uid) override;
    QList<RegisteredLocation> registeredLocations() override;
    Result<RegisteredLocation> registerLocation(const QString &type, const QString &target,
                                                const QString &entityRef) override;
    Result<std::optional<RegisteredLocation>> updateLocation(const QString &id, const QString &type, const QString &target,
                                                             const QString &entityRef) override;
    Result<bool> unregisterLocation(const QString &id) override;
    std::optional<StoredEntity> entityByRef(const QString &ref) override;
    std::optional<StoredEntity> entityByUid(const QString &uid) override;
    Result<QList<std::optional<StoredEntity>>> entitiesByRefs(const QStringList &refs,
                                                              const Model::EntityFilter &filter) override;
    Result<EntityPage> queryEntities(const EntityQuery &query) override;
    Result<Facets> facets(const QStringList &facetKeys, const Model::EntityFilter &filter) override;
    Result<Search::SearchResults> searchDocuments(const Search::SearchRequest &request) override;
    Result<QList<SearchHit>> search(const QString &text, int limit) override;
    QList<Change> changesSince(qint64 afterSequence, int limit, bool withEntities = false) override;
    Result<QList<Change>> changesSince(qint64 afterSequence, int limit, const FeedReader &reader) override;
    qint64 countChangesSince(qint64 afterSequence) override;
    qint64 lastSequence() override;
    Result<int> pruneTombstones(qint64 cutoffMsecsSinceEpoch) override;
    qint64 syncHorizon() override;
    qint64 feedEpoch() override;
    qint64 entityCount() override;
    QList<ProcessingErrorRecord> processingErrors(const QString &originKey) override;
    Status checkHealth() override;

private:
    Result<QList<Change>> readChanges(qint64 afterSequence, int limit, bool withEntities, const FeedReader &reader);
    // applyLocation, running `alsoInTransaction` before the commit.
    Result<WriteReport> writeLocation(LocationWrite write, const std::function<Status()> &alsoInTransaction);
    PostgresCatalogStore();
    std::unique_ptr<PostgresCatalogStorePrivate> d;
};

} // namespace Greenroom::Store
