// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "serverstore.h"

#include <search/searchdocuments.h>

#include <functional>
#include <memory>

namespace Greenroom::Store {

class SqliteCatalogStorePrivate;

/*
 * The embedded store: one SQLite file in WAL mode (the server's default and
 * the desktop's cache). Opening applies pending numbered migrations and
 * refuses a file written by a newer Greenroom. Writes are single transactions;
 * other connections keep reading while one writes.
 */
class SqliteCatalogStore final : public ServerStore
{
public:
    // How much memory a connection may keep: a server caches generously; a
    // desktop app, whose RSS people see, keeps little (SQLite's page cache
    // and memory-mapped pages both count).
    // A Reader (the server's pool) shares the server's memory-mapped pages
    // and keeps a small cache of its own.
    enum class Memory { Server, Desktop, Reader };
    static Result<std::unique_ptr<SqliteCatalogStore>> open(const QString &path, Memory memory = Memory::Server);
    ~SqliteCatalogStore() override;

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
    Status setSearchOptions(const Search::CollatorOptions &options) override;
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
    void releaseMemory() override;
    Result<std::unique_ptr<CatalogStore>> openReader() override;

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
    // A mirror: sites the feed announced (docs changes) that are not
    // fetched yet; putDocsSite clears one.
    QList<PendingDocs> pendingDocs();
    // Stops waiting for an announced site (it could not be used); the site
    // stored before, if any, stays.
    Status forgetPendingDocs(const QString &entityRef);

    // The desktop cache: applies a batch copied from a server's sync feed in
    // one transaction (see MirrorBatch). Entities keep the server's JSON, uid
    // and etag byte for byte; the indexes are built here. A malformed entity
    // fails the whole batch, naming it, and nothing is written.
    Result<MirrorReport> applyMirror(const MirrorBatch &batch);
    // The auth backend's lasting state (sqliteauth.cpp).
    Status putSigningKey(const QString &kid, const QByteArray &jwk, qint64 createdAt) override;
    QList<SigningKey> signingKeys(qint64 createdSince) override;
    std::optional<SigningKey> signingKey(const QString &kid) override;
    Status putRefreshSession(const QString &id, const RefreshSession &session) override;
    std::optional<RefreshSession> takeRefreshSession(const QString &id, qint64 now) override;

    // What a desktop plugin stored for an entity (its `key`), with when.
    std::optional<PluginData> pluginData(const QString &entityRef, const QString &plugin, const QString &key);
    Status putPluginData(const QString &entityRef, const QString &plugin, const QString &key, const QByteArray &json);
    // A mirror_state value; null when unset.
    QString mirrorState(const QString &key);
    // A bulk fill (MirrorBatch::bulk) was started and its indexes not yet built again.
    bool isBulkFilling();
    // Every entity's etag by ref (diffing against a Backstage backend).
    QHash<QString, QString> etagsByRef();

    // The catalog table of a mirror (the desktop's listing, built by
    // applyMirror). Ids of the matching rows sorted by `column` (name,
    // system, owner, type, lifecycle, description or tags; then by name):
    // an index walk, cheap enough to redo per sort or filter change.
    Result<QList<qint64>> listingOrder(const ListingFilter &filter, const QString &column, bool descending);
    // The rows of `ids`, in that order.
    Result<QList<ListingRow>> listingRows(const QList<qint64> &ids);
    // Each row's lower-case search text, in id order (the filter box searches
    // it in memory), handed to `visit` as it is read.
    Status forEachListingSearchText(const std::function<void(qint64 id, const QByteArray &text)> &visit);
    // Values of a facet (namespace, type, lifecycle, owner as shown, tag)
    // among the rows `filter` matches, with counts, sorted by value.
    Result<QList<FacetCount>> listingFacet(const QString &facet, const ListingFilter &filter);

private:
    // Both changesSince (an empty reader sees everything).
    Result<QList<Change>> readChanges(qint64 afterSequence, int limit, bool withEntities, const FeedReader &reader);
    // applyLocation, running `alsoInTransaction` before the commit.
    Result<WriteReport> writeLocation(LocationWrite write, const std::function<Status()> &alsoInTransaction);
    SqliteCatalogStore();
    std::unique_ptr<SqliteCatalogStorePrivate> d;
};

} // namespace Greenroom::Store
