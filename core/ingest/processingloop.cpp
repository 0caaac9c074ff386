// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "processingloop.h"

#include <QtConcurrent/QtConcurrentRun>

namespace Greenroom::Ingest {

ProcessingLoop::ProcessingLoop(Store::CatalogStore &store, IngestOptions options, QObject *parent)
    : QObject(parent), m_store(store), m_processor(std::move(options))
{
    connect(&m_timer, &QTimer::timeout, this, &ProcessingLoop::scheduleAll);
    connect(&m_watcher, &QFutureWatcher<LocationReadResult>::finished, this, &ProcessingLoop::readFinished);
}

void ProcessingLoop::setLocations(const QList<Model::LocationRef> &locations)
{
    m_locations.clear();
    m_order = locations;
    for (const Model::LocationRef &location : locations)
        m_locations.insert(location.toString(), location);
}

void ProcessingLoop::addLocation(const Model::LocationRef &location, bool readNow)
{
    if (!m_locations.contains(location.toString())) {
        m_locations.insert(location.toString(), location);
        m_order.append(location);
    }
    if (readNow)
        schedule(location);
}

void ProcessingLoop::removeLocation(const Model::LocationRef &location)
{
    m_locations.remove(location.toString());
    m_order.removeAll(location);
    m_queue.removeAll(location);
    if (m_reading && *m_reading == location)
        m_discardReading = true;
}

void ProcessingLoop::setInterval(std::optional<std::chrono::milliseconds> interval)
{
    m_timer.stop();
    if (interval) {
        m_timer.setInterval(*interval);
        m_timer.start();
    }
}

Status ProcessingLoop::refreshEntity(const QString &entityRef)
{
    std::optional<Store::StoredEntity> entity = m_store.entityByRef(entityRef);
    if (!entity)
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("Entity %1 not found").arg(entityRef));
    // Entities come from the registered location that produced them (their
    // origin); reading it again reprocesses the entity and its ancestors.
    const auto registered = m_locations.constFind(entity->originKey);
    if (registered != m_locations.cend())
        schedule(*registered);
    return Ok{};
}

void ProcessingLoop::stop()
{
    m_timer.stop();
    m_queue.clear();
    if (m_reading) {
        m_watcher.disconnect(this);
        m_watcher.waitForFinished();
        m_reading.reset();
    }
}

void ProcessingLoop::scheduleAll()
{
    for (const Model::LocationRef &location : std::as_const(m_order))
        schedule(location);
    startNext();   // says idle() at once when there is nothing to read
}

void ProcessingLoop::schedule(const Model::LocationRef &location)
{
    if (m_queue.contains(location))
        return;
    m_queue.append(location);
    startNext();
}

void ProcessingLoop::startNext()
{
    if (m_reading)
        return;
    if (m_queue.isEmpty()) {
        Q_EMIT idle();
        return;
    }
    m_reading = m_queue.takeFirst();
    const LocationProcessor processor = m_processor;
    const Model::LocationRef location = *m_reading;
    m_watcher.setFuture(QtConcurrent::run([processor, location] { return processor.read(location); }));
}

void ProcessingLoop::readFinished()
{
    const Model::LocationRef location = *std::exchange(m_reading, std::nullopt);
    if (std::exchange(m_discardReading, false)) {   // unregistered while it was read
        startNext();
        return;
    }
    const Result<CatalogIngester::Outcome> outcome = CatalogIngester::write(m_store, m_watcher.result());
    Q_EMIT locationProcessed(location, outcome);
    startNext();
}

} // namespace Greenroom::Ingest
