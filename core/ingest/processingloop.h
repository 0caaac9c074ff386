// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "catalogingester.h"

#include <QFutureWatcher>
#include <QHash>
#include <QMultiMap>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <QTimer>
#include <chrono>
#include <memory>
#include <optional>

namespace Greenroom::Ingest {

/*
 * Keeps registered locations current, like Backstage's processing loop: every
 * location is read again each `interval` (catalog.processingInterval), and
 * POST /refresh queues an entity's location to be read now. One location is
 * processed at a time. Reading (files, YAML, validation) runs on a worker
 * thread; so does the write, in one transaction, when the loop has a writer
 * (its own connection to the same database), and otherwise the write runs on
 * the loop's thread. A location that fails to read keeps what it produced
 * before (the processor fails it as a whole) and its errors are recorded
 * with it. A location registered through the API is written only while it
 * is still registered, so one deleted mid-read does not come back.
 */
class ProcessingLoop : public QObject
{
    Q_OBJECT

public:
    ProcessingLoop(Store::CatalogStore &store, IngestOptions options, QObject *parent = nullptr);

    // A second connection to the store's database: writes then run on the
    // worker thread and the loop's thread (the HTTP server's) never waits for
    // them. Not possible for an in-memory database.
    void setWriter(std::unique_ptr<Store::CatalogStore> writer);

    void setLocations(const QList<Model::LocationRef> &locations);
    // A location registered through the API; read now unless `readNow` is false.
    void addLocation(const Model::LocationRef &location, bool readNow);
    // Stops reading `location`: dropped from the queue and the schedule.
    void removeLocation(const Model::LocationRef &location);
    // The locations an entity provider found (GitHub discovery): new ones are
    // read now, and those it no longer finds are dropped with what they
    // produced. Each is read on the schedule like any other.
    void setProvidedLocations(const QString &provider, const QList<Model::LocationRef> &locations);
    // nullopt: never read again on a schedule (processingInterval: false).
    void setInterval(std::optional<std::chrono::milliseconds> interval);
    // Replicas on one database: a location is read by whoever holds its
    // lease (Store::CatalogStore::claimLease), renewed every third of
    // `timeout` while it is read and kept until the location is due again,
    // so the others skip it. A location another replica holds is tried
    // again when that lease ends: a replica that died mid-read has its
    // work taken over `timeout` later. Explicit reads (registering,
    // refreshing) take the lease whoever holds it.
    void setLeases(const QString &holder, std::chrono::milliseconds timeout);

    // Queues the registered location that produced `entityRef`; a
    // NotFoundError when no such entity exists. An entity read from a file
    // of a `file` location has only that file read again, ahead of whole
    // locations, when it can be (LocationProcessor::readFile; not with
    // leases, where the location's holder reads it whole).
    Status refreshEntity(const QString &entityRef);
    // Queues every location (at start-up, and the schedule each interval).
    void scheduleAll();
    // The reader this loop uses, for one-off reads elsewhere (dry runs).
    const LocationProcessor &processor() const { return m_processor; }
    bool isIdle() const { return !m_reading && m_queue.isEmpty() && m_fileQueue.isEmpty(); }
    // Stops the schedule and drops queued reads; the location in progress is
    // awaited (its transaction ends, committed or rolled back).
    void stop();

Q_SIGNALS:
    // After each location's write: what it did, for logs and metrics.
    void locationProcessed(const Model::LocationRef &location, const Result<CatalogIngester::Outcome> &outcome);
    // The queue ran dry: every location asked for has been read and written.
    void idle();
    // A scheduled pass over every location begins (registered locations
    // are looked up again then: another replica may have changed them).
    void passStarting();

private:
    void schedule(const Model::LocationRef &location, bool forced = false);
    void startNext();
    // Whether this replica may read `location` now; when another holds it, a retry is set.
    bool claim(const Model::LocationRef &location);
    void retryDue();
    void readFinished();

    // What the worker hands back: the read, and the write when it made it.
    struct Processed
    {
        LocationReadResult read;
        std::optional<Result<CatalogIngester::Outcome>> written;
    };

    Store::CatalogStore &m_store;
    LocationProcessor m_processor;
    QHash<QString, Model::LocationRef> m_locations;   // by LocationRef::toString(), the origin key
    QList<Model::LocationRef> m_order;
    QList<Model::LocationRef> m_queue;
    // Files to read again on their own (refreshEntity), ahead of m_queue.
    struct FileRead
    {
        Model::LocationRef origin;
        QString parentRef;
        QString path;
        bool operator==(const FileRead &other) const = default;
    };
    QList<FileRead> m_fileQueue;
    QSet<QString> m_registered;   // keys of locations added through the API
    QHash<QString, QList<Model::LocationRef>> m_provided;   // by provider
    QSet<QString> m_dropAfterRead;   // provided locations dropped while being read: their write is undone
    std::optional<Model::LocationRef> m_reading;
    std::shared_ptr<Store::CatalogStore> m_writer;
    QThreadPool m_pool;   // one thread, so the global pool stays free for the work inside a read
    QFutureWatcher<Processed> m_watcher;
    bool m_freedSinceTrim = false;   // a read finished since freed memory was last handed back
    QTimer m_timer;
    std::optional<std::chrono::milliseconds> m_interval;
    // Leases (replicas): who this process is, and how long a lease lasts unrenewed.
    QString m_leaseHolder;
    std::chrono::milliseconds m_leaseTimeout{0};
    QSet<QString> m_forced;                 // queued by an explicit read: the lease is taken regardless
    QMultiMap<qint64, QString> m_retries;   // when (ms since the epoch, this clock) -> location key
    QTimer m_retryTimer;
    QTimer m_heartbeat;
};

} // namespace Greenroom::Ingest
