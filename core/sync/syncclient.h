// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <initializer_list>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace Greenroom::Store {
class SqliteCatalogStore;
struct MirrorBatch;
}

namespace Greenroom::Sync {

// A server a desktop cache syncs from.
struct ServerProfile
{
    enum class Kind {
        Greenroom,   // greenroom-server: the sync feed, pushed changes
        Backstage,   // a Backstage backend: its catalog API, polled and diffed by etag
    };
    QString name;
    QUrl url;        // base URL, e.g. http://127.0.0.1:7007
    QString token;   // bearer token; empty for none
    Kind kind = Kind::Greenroom;
};

struct SyncStatus
{
    enum class State {
        Starting,   // not yet heard from the server
        Syncing,    // pulling changes: done of total
        Synced,     // caught up at `lastSynced`, waiting for the next change
        Offline,    // the server cannot be reached; the cache is as of `lastSynced`
        Failed,     // the server answered with an error, or with something unusable
    };
    State state = State::Starting;
    qint64 done = 0;
    qint64 total = 0;
    QDateTime lastSynced;   // when the cache last caught up; invalid when never
    QString error;          // Offline and Failed: why, for people
    bool rebuilding = false;   // replacing the cache from a snapshot (the previous one stays readable)
};

/*
 * Keeps a desktop cache (a SQLite catalog store) a mirror of one server.
 *
 * Greenroom servers: pulls the sync feed after the cursor stored in the
 * cache, applies each page in one transaction together with the cursor after
 * it, and then waits on the feed's long-poll for the next change. Any
 * interruption (network, server restart, the app killed) resumes from the
 * stored cursor. A "resync" answer (410) rebuilds the cache from a snapshot
 * while the previous catalog stays readable; entities the snapshot no longer
 * holds go only when it is complete.
 *
 * Backstage backends: lists every entity's ref and etag with by-query paging,
 * fetches the new and changed ones with by-refs, deletes the vanished ones,
 * and does it again every `backstagePollInterval`.
 *
 * Runs in whatever thread it lives in (the app moves it to a worker thread:
 * applying a page writes to disk); the cache file is opened by start().
 */
class SyncClient : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int pageSize = 1000;
        int bulkPageSize = 2000;             // while filling an empty cache
        int waitSeconds = 30;                // long-poll
        int firstRetryMs = 500;              // then doubling, up to maxRetryMs
        int maxRetryMs = 10000;
        int backstagePollIntervalMs = 60000;
        int backstageRefsPerRequest = 200;
    };

    SyncClient(ServerProfile profile, QString cachePath, Options options, QObject *parent = nullptr);
    SyncClient(ServerProfile profile, QString cachePath, QObject *parent = nullptr)
        : SyncClient(std::move(profile), std::move(cachePath), Options{}, parent) {}
    ~SyncClient() override;

    SyncStatus status() const { return m_status; }
    // When a cache last caught up with its server (invalid: never), as the
    // client records it; for showing a cache's age without syncing.
    static QDateTime lastSynced(Store::SqliteCatalogStore &cache);
    // The cursor the cache holds (Greenroom servers); empty before the first page.
    QString cursor() const { return m_cursor; }

public Q_SLOTS:
    // Opens the cache and starts syncing; emits `failed` when the cache
    // cannot be opened.
    void start();
    // Aborts what is in flight (nothing half-applied: pages are transactions).
    void stop();
    // Asks again now instead of after the retry delay or poll interval.
    void syncNow();

Q_SIGNALS:
    void statusChanged(const Greenroom::Sync::SyncStatus &status);
    // The cache changed: views re-read. `cacheSequence` is the cache's own
    // change sequence after the write.
    void cacheChanged(qint64 cacheSequence);

private:
    void request();
    void requestFeedPage(bool wait);
    void onFeedReply(QNetworkReply *reply);
    void requestDocs(const QString &entityRef, bool waitAfter);
    void onDocsReply(QNetworkReply *reply, const QString &entityRef, bool waitAfter);
    void requestBackstagePage();
    void onBackstageListReply(QNetworkReply *reply);
    void requestBackstageEntities();
    void onBackstageEntitiesReply(QNetworkReply *reply);
    bool apply(const Store::MirrorBatch &batch);
    // The status of the answer to the request in flight when it is one of
    // `handled`, with its body; anything else is reported (offline, failed)
    // and retried, and 0 comes back (also for a stale reply).
    int takeReply(QNetworkReply *reply, QByteArray &body, std::initializer_list<int> handled = {200});
    QNetworkReply *send(const QString &path, const QByteArray &postBody = {});
    // The request failed: says why (offline or failed) and tries again later.
    void retryLater(SyncStatus::State state, const QString &reason);
    void setStatus(SyncStatus status);
    void caughtUp(const QDateTime &at);

    ServerProfile m_profile;
    QString m_cachePath;
    Options m_options;
    std::unique_ptr<Store::SqliteCatalogStore> m_cache;
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_inFlight;
    QTimer m_retry;
    int m_retryMs = 0;
    bool m_running = false;
    SyncStatus m_status;
    QString m_cursor;
    bool m_rebuilding = false;
    bool m_bulk = false;   // filling an empty cache (Store::MirrorBatch::bulk)

    // Backstage: a round lists every entity, then fetches what differs.
    struct BackstageRound;
    std::unique_ptr<BackstageRound> m_round;
};

} // namespace Greenroom::Sync

Q_DECLARE_METATYPE(Greenroom::Sync::SyncStatus)
