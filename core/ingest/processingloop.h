// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "catalogingester.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <optional>

namespace Greenroom::Ingest {

/*
 * Keeps registered locations current, like Backstage's processing loop: every
 * location is read again each `interval` (catalog.processingInterval), and
 * POST /refresh queues an entity's location to be read now. Reading (files,
 * YAML, validation) runs on a worker thread; the write runs on the loop's own
 * thread, in one transaction per location, so the store keeps one writer. A
 * location that fails to read keeps what it produced before (the processor
 * fails it as a whole) and its errors are recorded with it.
 */
class ProcessingLoop : public QObject
{
    Q_OBJECT

public:
    ProcessingLoop(Store::CatalogStore &store, IngestOptions options, QObject *parent = nullptr);

    void setLocations(const QList<Model::LocationRef> &locations);
    // A location registered through the API; read now unless `readNow` is false.
    void addLocation(const Model::LocationRef &location, bool readNow);
    // Stops reading `location`: dropped from the queue, and a read of it in
    // progress is discarded when it ends, so nothing of it comes back.
    void removeLocation(const Model::LocationRef &location);
    // nullopt: never read again on a schedule (processingInterval: false).
    void setInterval(std::optional<std::chrono::milliseconds> interval);

    // Queues the registered location that produced `entityRef`; a
    // NotFoundError when no such entity exists.
    Status refreshEntity(const QString &entityRef);
    // Queues every location (at start-up, and the schedule each interval).
    void scheduleAll();
    // The reader this loop uses, for one-off reads elsewhere (dry runs).
    const LocationProcessor &processor() const { return m_processor; }
    bool isIdle() const { return !m_reading && m_queue.isEmpty(); }
    // Stops the schedule and drops queued reads; a read in progress is
    // awaited and discarded (nothing of it was written yet).
    void stop();

Q_SIGNALS:
    // After each location's write: what it did, for logs and metrics.
    void locationProcessed(const Model::LocationRef &location, const Result<CatalogIngester::Outcome> &outcome);
    // The queue ran dry: every location asked for has been read and written.
    void idle();

private:
    void schedule(const Model::LocationRef &location);
    void startNext();
    void readFinished();

    Store::CatalogStore &m_store;
    LocationProcessor m_processor;
    QHash<QString, Model::LocationRef> m_locations;   // by LocationRef::toString(), the origin key
    QList<Model::LocationRef> m_order;
    QList<Model::LocationRef> m_queue;
    std::optional<Model::LocationRef> m_reading;
    bool m_discardReading = false;
    QFutureWatcher<LocationReadResult> m_watcher;
    QTimer m_timer;
};

} // namespace Greenroom::Ingest
