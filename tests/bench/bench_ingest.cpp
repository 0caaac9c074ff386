// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// bench_ingest [--postgres] [N...]: for each N (default 10000 and 100000)
// generates an organisation of N entities, ingests it into an empty store
// (SQLite, or with --postgres a database in a PostgreSQL cluster the bench
// starts from Debian's binaries, as the tests do) and prints
// entities/s, seconds and peak RSS; on the largest store it then times by-ref
// lookups, a filtered page of 100 and facet queries (p50/p99 over many runs).
#include "benchoutput.h"
#include "orggenerator.h"

#include <common/memoryrelease.h>
#include <ingest/catalogingester.h>
#include <store/postgrescatalogstore.h>
#include <store/sqlitecatalogstore.h>

#include "pgcluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>

using namespace Greenroom;

namespace {

QTextStream out(stdout);

double currentRssMiB()
{
    return double(Bench::procStatusKiB(QStringLiteral("self"), "VmRSS")) / 1024.0;
}

double peakRssMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

// CPU seconds (user + system, all threads) used so far: steadier than wall
// time on a shared machine, and shows how well the cores are used.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Percentiles
{
    double p50, p99;
};

template<typename F>
Percentiles timeMany(int runs, F &&f)
{
    QList<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f(i);
        ms.append(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms.at(ms.size() / 2), ms.at(std::min<qsizetype>(ms.size() - 1, ms.size() * 99 / 100))};
}

void report(const char *what, Percentiles p)
{
    out << QStringLiteral("  %1  p50 %2 ms  p99 %3 ms").arg(QString::fromLatin1(what), -34)
               .arg(p.p50, 0, 'f', 3).arg(p.p99, 0, 'f', 3)
        << Qt::endl;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QList<int> sizes;
    bool postgres = false;
    for (int i = 1; i < argc; ++i) {
        if (QByteArray(argv[i]) == "--postgres")
            postgres = true;
        else
            sizes.append(QString::fromLocal8Bit(argv[i]).toInt());
    }
    if (sizes.isEmpty())
        sizes = {10000, 100000};
    Tests::PgCluster *cluster = nullptr;
    if (postgres) {
        QString error;
        cluster = Tests::PgCluster::shared(&error);
        if (!cluster)
            qFatal("%s", qPrintable(error));
        out << "store: PostgreSQL " << cluster->binDir() << " on 127.0.0.1:" << cluster->port() << Qt::endl;
    }

    std::unique_ptr<Store::CatalogStore> store;
    // GREENROOM_BENCH_DIR keeps the generated orgs and stores for inspection.
    QTemporaryDir temporary;
    const QString keep = qEnvironmentVariable("GREENROOM_BENCH_DIR");
    const QDir work(keep.isEmpty() ? temporary.path() : keep);
    if (!keep.isEmpty())
        QDir().mkpath(keep);
    // A store for `size`: `fresh` makes it empty first.
    const auto openStore = [&](int size, bool fresh) -> std::unique_ptr<Store::CatalogStore> {
        if (postgres) {
            const QString database = QStringLiteral("bench_%1").arg(size);
            if (fresh) {
                (void)cluster->run(cluster->binDir() + QStringLiteral("/dropdb"), {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                                                                 QString::number(cluster->port()), QStringLiteral("-U"),
                                                                                 QStringLiteral("greenroom"), QStringLiteral("--if-exists"), database});
                if (QString failed = cluster->createDatabase(database); !failed.isEmpty())
                    qFatal("%s", qPrintable(failed));
            }
            auto opened = Store::PostgresCatalogStore::open(cluster->conninfo(database));
            if (!opened)
                qFatal("%s", qPrintable(opened.error().message));
            return std::move(opened).value();
        }
        const QString path = work.filePath(QStringLiteral("store-%1.sqlite").arg(size));
        if (fresh)
            QFile::remove(path);
        auto opened = Store::SqliteCatalogStore::open(path);
        if (!opened)
            qFatal("%s", qPrintable(opened.error().message));
        return std::move(opened).value();
    };
    for (int size : sizes) {
        const QString folder = work.filePath(QStringLiteral("org-%1").arg(size));
        QElapsedTimer generate;
        generate.start();
        const QString root = Bench::generateOrganisation(folder, size);
        out << "org of ~" << size << " entities generated in " << generate.elapsed() << " ms" << Qt::endl;

        store.reset();
        store = openStore(size, true);
        Ingest::IngestOptions options;
        options.rules = Ingest::CatalogRules::allowAll();
        Ingest::CatalogIngester ingester(*store, options);
        // The two halves separately: read (files, YAML, validation, relations)
        // and write (one transaction: rows, stitching, indexes, change rows).
        const Ingest::LocationProcessor processor(options);
        QElapsedTimer timer;
        timer.start();
        const double cpuAtStart = cpuSeconds();
        Ingest::LocationReadResult read = processor.read({QStringLiteral("file"), root});
        const double readSeconds = double(timer.nsecsElapsed()) / 1e9;
        const double readCpu = cpuSeconds() - cpuAtStart;
        if (read.hasErrors())
            qFatal("unexpected error: %s", qPrintable(read.write.errors.first().message));
        const int filesRead = read.filesRead;
        auto written = store->applyLocation(std::move(read.write));   // as the server does: let go as written
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        const double writeCpu = cpuSeconds() - cpuAtStart - readCpu;
        if (!written)
            qFatal("%s", qPrintable(written.error().message));
        const qint64 entities = store->entityCount();
        out << QStringLiteral("ingest %1 entities from %2 files: %3 s (read %4 s, write %5 s), %6 entities/s, peak RSS %7 MiB")
                   .arg(entities).arg(filesRead).arg(seconds, 0, 'f', 2).arg(readSeconds, 0, 'f', 2)
                   .arg(seconds - readSeconds, 0, 'f', 2).arg(double(entities) / seconds, 0, 'f', 0)
                   .arg(peakRssMiB(), 0, 'f', 0)
            << Qt::endl;
        out << QStringLiteral("  CPU time: read %1 s, write %2 s").arg(readCpu, 0, 'f', 2).arg(writeCpu, 0, 'f', 2)
            << Qt::endl;
        // What the server does after each location: caches shrunk, freed pages handed back.
        store->releaseMemory();
        releaseFreedMemory();
        out << QStringLiteral("  RSS after ingestion, idle: %1 MiB (server targets at 100,000: peak <= 500 MB, idle <= 200 MB)")
                   .arg(currentRssMiB(), 0, 'f', 0)
            << Qt::endl;

        QElapsedTimer again;
        again.start();
        auto second = ingester.ingest({QStringLiteral("file"), root});
        out << QStringLiteral("re-ingest unchanged: %1 s, %2 unchanged, %3 change rows")
                   .arg(double(again.nsecsElapsed()) / 1e9, 0, 'f', 2).arg(second->report.unchanged)
                   .arg(store->lastSequence() - written->lastSequence)
            << Qt::endl;
    }

    Store::CatalogStore &catalog = *store;
    const int repos = sizes.last() / 2;
    auto *random = QRandomGenerator::global();
    out << "queries on the last store:" << Qt::endl;
    report("by-ref lookup", timeMany(5000, [&](int) {
        const QString ref = QStringLiteral("component:default/component-%1").arg(random->bounded(repos));
        if (!catalog.entityByRef(ref))
            qFatal("missing %s", qPrintable(ref));
    }));
    Store::EntityQuery page;
    page.filter = *Model::EntityFilter::parse({QStringLiteral("kind=component,spec.lifecycle=production")});
    page.order = {{QStringLiteral("metadata.name"), false}};
    page.limit = 100;
    report("filtered page of 100 (ordered)", timeMany(300, [&](int) {
        if (catalog.queryEntities(page)->items.size() != 100)
            qFatal("short page");
    }));
    Store::EntityQuery counted = page;
    counted.countTotal = true;
    report("  same, with totalItems", timeMany(300, [&](int) { (void)catalog.queryEntities(counted); }));
    {
        // Counts are cached until the next change; a fresh connection shows the uncached cost.
        auto fresh = openStore(sizes.last(), false);
        QElapsedTimer t;
        t.start();
        const qint64 total = fresh->queryEntities(counted)->totalItems;
        out << QStringLiteral("  %1  %2 ms (%3 matches, one run)").arg(QStringLiteral("  totalItems, not cached"), -34)
                   .arg(double(t.nsecsElapsed()) / 1e6, 0, 'f', 3).arg(total)
            << Qt::endl;
    }
    Store::EntityQuery byOwner;
    byOwner.filter = *Model::EntityFilter::parse({QStringLiteral("relations.ownedby=group:default/team-3")});
    byOwner.limit = 100;
    report("page of 100 by owner", timeMany(300, [&](int) { (void)catalog.queryEntities(byOwner); }));
    Store::EntityQuery next = page;
    next.after = catalog.queryEntities(page)->lastKey;
    report("next page by cursor", timeMany(300, [&](int) { (void)catalog.queryEntities(next); }));
    report("facets kind + spec.type", timeMany(300, [&](int) {
        (void)catalog.facets({QStringLiteral("kind"), QStringLiteral("spec.type")}, {});
    }));
    const auto componentsOnly = *Model::EntityFilter::parse({QStringLiteral("kind=component")});
    report("facet spec.lifecycle, kind=component", timeMany(50, [&](int) {
        (void)catalog.facets({QStringLiteral("spec.lifecycle")}, componentsOnly);
    }));
    report("full-text search", timeMany(300, [&](int i) { (void)catalog.search(QStringLiteral("component %1").arg(i), 20); }));
    return 0;
}
