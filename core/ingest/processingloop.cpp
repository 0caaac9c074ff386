// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "processingloop.h"

#include <common/memoryrelease.h>

#include <QDateTime>
#include <QtConcurrent/QtConcurrentRun>

#include <limits>

namespace Greenroom::Ingest {

namespace {

// A write big enough that its page cache is worth letting go of (a re-read
// that changed little keeps it warm for the next).
bool isLargeWrite(const std::optional<Result<CatalogIngester::Outcome>> &outcome)
{
    constexpr int Large = 1000;
    if (!outcome || !*outcome)
        return false;
    const Store::WriteReport &r = (*outcome)->report;
    return r.inserted + r.updated + r.deleted >= Large;
}

} // namespace

ProcessingLoop::ProcessingLoop(Store::CatalogStore &store, IngestOptions options, QObject *parent)
    : QObject(parent), m_store(store), m_processor(std::move(options))
{
    m_pool.setMaxThreadCount(1);
    connect(&m_timer, &QTimer::timeout, this, &ProcessingLoop::scheduleAll);
    connect(&m_watcher, &QFutureWatcher<Processed>::finished, this, &ProcessingLoop::readFinished);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ProcessingLoop::retryDue);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (!m_reading)
            return;
        if (Status renewed = m_store.extendLease(m_reading->toString(), m_leaseHolder, m_leaseTimeout.count()); !renewed)
            qWarning("ingest: cannot renew the lease on %s: %s", qPrintable(m_reading->toString()), qPrintable(renewed.error().message));
    });
}

void ProcessingLoop::setLeases(const QString &holder, std::chrono::milliseconds timeout)
{
    m_leaseHolder = holder;
    m_leaseTimeout = timeout;
    m_heartbeat.setInterval(std::max<qint64>(timeout.count() / 3, 1));
}

bool ProcessingLoop::claim(const Model::LocationRef &location)
{
    const QString key = location.toString();
    const bool forced = m_forced.remove(key);
    if (m_leaseHolder.isEmpty())
        return true;
    auto held = m_store.claimLease(key, m_leaseHolder, m_leaseTimeout.count(), forced);
    if (!held) {
        // The database is not answering: the read goes ahead (its write will say so).
        qWarning("ingest: cannot claim %s: %s", qPrintable(key), qPrintable(held.error().message));
        return true;
    }
    if (held.value() == 0)
        return true;
    // Another replica has it: once its lease ends (it died, or the location is due), try again.
    const qint64 at = QDateTime::currentMSecsSinceEpoch() + held.value();
    m_retries.insert(at, key);
    if (!m_retryTimer.isActive() || at < QDateTime::currentMSecsSinceEpoch() + m_retryTimer.remainingTime())
        m_retryTimer.start(int(std::min<qint64>(held.value(), std::numeric_limits<int>::max())));
    return false;
}

void ProcessingLoop::retryDue()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (!m_retries.isEmpty() && m_retries.firstKey() <= now) {
        const QString key = m_retries.take(m_retries.firstKey());
        const auto location = m_locations.constFind(key);
        if (location != m_locations.cend())
            schedule(*location);
    }
    if (!m_retries.isEmpty())
        m_retryTimer.start(int(std::min<qint64>(m_retries.firstKey() - now, std::numeric_limits<int>::max())));
}

void ProcessingLoop::setWriter(std::unique_ptr<Store::CatalogStore> writer)
{
    m_writer = std::move(writer);
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
    m_registered.insert(location.toString());
    if (readNow)
        schedule(location, true);
}

void ProcessingLoop::removeLocation(const Model::LocationRef &location)
{
    m_locations.remove(location.toString());
    m_order.removeAll(location);
    m_queue.removeAll(location);
    m_registered.remove(location.toString());
    // A read in progress finds it unregistered when it writes (see LocationWrite::onlyIfRegistered).
}

void ProcessingLoop::setProvidedLocations(const QString &provider, const QList<Model::LocationRef> &locations)
{
    QSet<QString> kept;
    for (const Model::LocationRef &location : locations)
        kept.insert(location.toString());
    for (const Model::LocationRef &old : m_provided.value(provider)) {
        if (kept.contains(old.toString()))
            continue;
        removeLocation(old);
        if (m_reading && m_reading->toString() == old.toString()) {
            m_dropAfterRead.insert(old.toString());
            continue;
        }
        Store::LocationWrite gone;   // no entities: everything the location produced is deleted
        gone.originKey = old.toString();
        if (auto written = m_store.applyLocation(gone); !written)
            qWarning("ingest: cannot drop %s: %s", qPrintable(old.toString()), qPrintable(written.error().message));
    }
    QSet<QString> before;
    for (const Model::LocationRef &old : m_provided.value(provider))
        before.insert(old.toString());
    m_provided.insert(provider, locations);
    for (const Model::LocationRef &location : locations) {
        if (m_locations.contains(location.toString()))
            continue;
        m_locations.insert(location.toString(), location);
        m_order.append(location);
        if (!before.contains(location.toString()))
            schedule(location);
    }
}

void ProcessingLoop::setInterval(std::optional<std::chrono::milliseconds> interval)
{
    m_interval = interval;
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
    if (registered == m_locations.cend())
        return Ok{};
    static const QString FilePrefix = QStringLiteral("file:");
    const bool oneFile = m_leaseHolder.isEmpty() && registered->type == QLatin1String("file") && !entity->parentRef.isEmpty()
                         && entity->locationKey.startsWith(FilePrefix) && !entity->ref.startsWith(QLatin1String("location:"));
    if (!oneFile) {
        schedule(*registered, true);
        return Ok{};
    }
    const FileRead read{*registered, entity->parentRef, entity->locationKey.mid(FilePrefix.size())};
    if (!m_fileQueue.contains(read))
        m_fileQueue.append(read);
    startNext();
    return Ok{};
}

void ProcessingLoop::stop()
{
    m_timer.stop();
    m_retryTimer.stop();
    m_heartbeat.stop();
    m_queue.clear();
    m_fileQueue.clear();
    if (m_reading) {
        m_watcher.disconnect(this);
        m_watcher.waitForFinished();
        m_reading.reset();
    }
    m_pool.waitForDone();
}

void ProcessingLoop::scheduleAll()
{
    Q_EMIT passStarting();
    for (const Model::LocationRef &location : std::as_const(m_order))
        schedule(location);
    startNext();   // says idle() at once when there is nothing to read
}

void ProcessingLoop::schedule(const Model::LocationRef &location, bool forced)
{
    if (forced)
        m_forced.insert(location.toString());
    if (m_queue.contains(location))
        return;
    m_queue.append(location);
    startNext();
}

void ProcessingLoop::startNext()
{
    if (m_reading)
        return;
    std::optional<FileRead> file;
    while (!m_fileQueue.isEmpty() && !file) {
        file = m_fileQueue.takeFirst();
        if (!m_locations.contains(file->origin.toString()))
            file.reset();   // its location was dropped since: nothing of it may be written again
    }
    if (file)
        m_reading = file->origin;
    // The next location this replica may read (others' leases are skipped).
    while (!m_queue.isEmpty() && !m_reading) {
        Model::LocationRef candidate = m_queue.takeFirst();
        if (claim(candidate))
            m_reading = std::move(candidate);
    }
    if (!m_reading) {
        // Once a pass, not after every location (malloc_trim walks the whole
        // heap, and this is the HTTP thread): what the reads freed goes back.
        if (std::exchange(m_freedSinceTrim, false))
            releaseFreedMemory();
        Q_EMIT idle();
        return;
    }
    if (!m_leaseHolder.isEmpty())
        m_heartbeat.start();
    const LocationProcessor processor = m_processor;
    const Model::LocationRef location = *m_reading;
    const bool registered = m_registered.contains(location.toString());
    const std::shared_ptr<Store::CatalogStore> writer = m_writer;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [processor, location, registered, writer, file] {
        std::optional<LocationReadResult> read;
        if (file)
            read = processor.readFile(location, file->parentRef, file->path);
        Processed processed{read ? std::move(*read) : processor.read(location), std::nullopt};
        processed.read.write.onlyIfRegistered = registered;
        if (writer) {
            processed.written = CatalogIngester::write(*writer, std::move(processed.read));   // it lets the entities go
            if (isLargeWrite(processed.written))
                writer->releaseMemory();
        }
        return processed;
    }));
}

void ProcessingLoop::readFinished()
{
    const Model::LocationRef location = *std::exchange(m_reading, std::nullopt);
    if (!m_leaseHolder.isEmpty()) {
        // Read: the others leave it alone until it is due again.
        m_heartbeat.stop();
        constexpr qint64 Never = qint64(10) * 365 * 24 * 3600 * 1000;
        (void)m_store.extendLease(location.toString(), m_leaseHolder, m_interval ? m_interval->count() : Never);
    }
    // Taken, not copied: a finished future keeps its result until it is
    // replaced, and the last read (every entity of the location) stayed in
    // memory while the server was idle.
    QFuture<Processed> future = m_watcher.future();
    std::optional<Processed> processed = future.takeResult();
    const bool writtenHere = !processed->written;   // the one connection: written on this thread
    const Result<CatalogIngester::Outcome> outcome = processed->written ? *processed->written
                                                                        : CatalogIngester::write(m_store, std::move(processed->read));
    processed.reset();
    if (m_dropAfterRead.remove(location.toString())) {
        Store::LocationWrite gone;
        gone.originKey = location.toString();
        if (auto written = m_store.applyLocation(gone); !written)
            qWarning("ingest: cannot drop %s: %s", qPrintable(location.toString()), qPrintable(written.error().message));
    }
    if (writtenHere && isLargeWrite(outcome))
        m_store.releaseMemory();
    m_freedSinceTrim = true;
    // Unregistered while it was read: nothing was written, nothing to tell.
    if (!outcome || !outcome->report.skipped)
        Q_EMIT locationProcessed(location, outcome);
    startNext();
}

} // namespace Greenroom::Ingest
