// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "serverstore.h"

#include <memory>

namespace Greenroom::Store {

class PostgresCatalogStorePrivate;

struct PostgresOpenOptions
{
    // Tables in this schema (Backstage's pluginDivisionMode: schema)
    // rather than the connection's default.
    QString schema;
    bool ensureSchema = true;   // created when missing
};

/*
 * The catalog on PostgreSQL (libpq), for servers at scale: several replicas
 * share one database. Opening applies pending numbered migrations (under an
 * advisory lock, so replicas starting together migrate once) and refuses a
 * database written by a newer Greenroom. Every write is one transaction and
 * takes the store's write lock first, so changes are numbered by one
 * database sequence and committed in that order on every replica.
 */
class PostgresCatalogStore final : public ServerStore
{
public:
    using OpenOptions = PostgresOpenOptions;
    // `conninfo`: a libpq connection string or postgres:// URI.
    static Result<std::unique_ptr<PostgresCatalogStore>> open(const QString &conninfo, const OpenOptions &options = {});
    // Creates database `name` unless it exists, connected through
    // `adminConninfo` (the `postgres` database), as Backstage's ensureExists.
    static Status ensureDatabase(const QString &adminConninfo, const QString &name);
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
    Result<std::unique_ptr<CatalogStore>> openReader() override;
    Result<qint64> claimLease(const QString &key, const QString &holder, qint64 forMs, bool force = false) override;
    Status extendLease(const QString &key, const QString &holder, qint64 forMs) override;
    // Kept for when the search API is served from here (searchDocuments).
    Status setSearchOptions(const Search::CollatorOptions &options) override;

    Result<DocsWriteReport> putDocsSite(const DocsSiteWrite &site) override;
    Result<bool> removeDocsSite(const QString &entityRef) override;
    std::optional<DocsSiteInfo> docsSite(const QString &entityRef) override;
    QList<DocsSiteInfo> docsSites() override;
    std::optional<QByteArray> docsFile(const QString &entityRef, const QString &path) override;
    QList<DocsFile> docsFiles(const QString &entityRef) override;
    Result<QList<DocsSearchHit>> searchDocs(const QString &text, int limit) override;

    Status createTask(const TaskRecord &task) override;
    Result<bool> claimTask(const QString &id) override;
    Status heartbeatTask(const QString &id) override;
    Result<bool> markTask(const QString &id, const QString &status) override;
    Result<TaskEventRecord> appendTaskEvent(const QString &taskId, const QString &type, const QJsonObject &body) override;
    Result<TaskEventRecord> completeTask(const QString &taskId, const QString &status, const QJsonObject &body) override;
    std::optional<TaskRecord> task(const QString &id) override;
    Result<QList<TaskRecord>> listTasks(const TaskQuery &query, int *total) override;
    Result<QList<TaskEventRecord>> taskEvents(const QString &taskId, std::optional<qint64> after) override;
    Result<QStringList> unfinishedTasks(const QDateTime &quietSince) override;
    Result<bool> reopenTask(const QString &id, const QJsonObject &body) override;

    Status putSigningKey(const QString &kid, const QByteArray &jwk, qint64 createdAt) override;
    QList<SigningKey> signingKeys(qint64 createdSince) override;
    std::optional<SigningKey> signingKey(const QString &kid) override;
    Status putRefreshSession(const QString &id, const RefreshSession &session) override;
    std::optional<RefreshSession> takeRefreshSession(const QString &id, qint64 now) override;

private:
    Result<QList<Change>> readChanges(qint64 afterSequence, int limit, bool withEntities, const FeedReader &reader);
    // applyLocation, running `alsoInTransaction` before the commit.
    Result<WriteReport> writeLocation(LocationWrite write, const std::function<Status()> &alsoInTransaction);
    PostgresCatalogStore();
    std::unique_ptr<PostgresCatalogStorePrivate> d;
};

} // namespace Greenroom::Store
