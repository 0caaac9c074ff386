// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// bench_server [--store FILE] [--entities N] [--seconds S] [--no-ingestion |
// --ingestion-only]: the sync server
// under load, over loopback. Works on a copy of FILE (a store written by
// bench_ingest with GREENROOM_BENCH_DIR), or generates and ingests an
// organisation of N entities (default 100000). Prints:
//  - requests/s and p50/p99 latency from wrk (32 connections) for by-name,
//    a filtered by-query page of 100, and entity-facets; the page's latency
//    again on one connection;
//  - time for a client to page through every entity by cursor;
//  - time and bytes for a client at cursor 0 to pull the whole feed;
//  - latency from a one-entity commit to a waiting client being told;
//  - the by-query page, cursor paging and the feed again with
//    permission.enabled and a conditional read policy (owner or kind, as
//    Backstage's docs write it), for a caller it limits: each figure beside
//    the unfiltered one, with their ratio (target: < 1.20);
//  - before all that, the server's own memory while it ingests N entities
//    (the generated organisation, and N components in one file): its peak
//    RSS and its RSS once idle after the first pass (targets at 100,000:
//    <= 500 MB and <= 200 MB); then, on the organisation, one file edited
//    and its entity refreshed (POST /refresh): time until a client waiting
//    on the sync feed is told (target < 1 s). --ingestion-only stops there.
// Needs wrk (`make bench` installs it with packaging/install-bench-deps.sh).
#include "benchoutput.h"
#include "orggenerator.h"
#include "storeserver.h"
#include "wrkrunner.h"

#include <store/sqlitecatalogstore.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

using namespace Greenroom;

namespace {

QTextStream out(stdout);

using Bench::die;
using Bench::runWrk;
using Bench::WrkResult;
using Bench::writeScript;

struct Response
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

Response fetch(QNetworkAccessManager &network, const QByteArray &method, const QString &url)
{
    QNetworkReply *reply = network.sendCustomRequest(QNetworkRequest(QUrl(url)), method);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Response r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return r;
}

double percentile(QList<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size()))));
}

// The sync feed's cursor after every change there is now, read from `after`.
QString catchUp(QNetworkAccessManager &network, const QString &base, QString after)
{
    for (bool more = true; more;) {
        const QJsonObject page = fetch(network, "GET", base + QStringLiteral("/api/sync/v1/changes?limit=10000&after=") + after).json();
        after = page.value(QLatin1String("cursor")).toString();
        more = page.value(QLatin1String("hasMore")).toBool();
    }
    return after;
}

// One file of the served catalog edited, then POST /refresh for its entity
// (the refresh button of Backstage's entity page): time until a client
// long-polling the sync feed is told of the new version.
void measureOneChangedFile(const QString &base, const QString &orgRoot)
{
    QNetworkAccessManager network;
    QString last = catchUp(network, base, QStringLiteral("0"));
    QList<double> latencies;
    for (int round = 0; round < 5; ++round) {
        const int component = 1000 + 977 * round;
        const QString ref = QStringLiteral("component:default/component-%1").arg(component);
        const QString path = QStringLiteral("%1/repos/%2/catalog-info.yaml").arg(QFileInfo(orgRoot).path()).arg(component, 6, 10, QLatin1Char('0'));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            die(QStringLiteral("cannot read ") + path);
        const QByteArray marker = "edited in round " + QByteArray::number(round);
        QByteArray text = file.readAll().replace("with care.", "with care, " + marker + '.');
        file.close();
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size())
            die(QStringLiteral("cannot write ") + path);
        file.close();
        QElapsedTimer timer;
        timer.start();
        QNetworkRequest refresh(QUrl(base + QStringLiteral("/api/catalog/refresh")));
        refresh.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *asked = network.post(refresh, QJsonDocument(QJsonObject{{QStringLiteral("entityRef"), ref}}).toJson());
        bool told = false;
        while (!told && timer.elapsed() < 120000) {
            const QJsonObject page = fetch(network, "GET", base + QStringLiteral("/api/sync/v1/changes?wait=30&after=") + last).json();
            last = page.value(QLatin1String("cursor")).toString();
            for (const QJsonValue &change : page.value(QLatin1String("changes")).toArray()) {
                const QJsonObject entity = change[QLatin1String("entity")].toObject();
                told = told || (change[QLatin1String("entityRef")].toString() == ref
                                && entity[QLatin1String("metadata")][QLatin1String("description")].toString().contains(QString::fromLatin1(marker)));
            }
        }
        if (!told)
            die(QStringLiteral("the edit of %1 did not reach the feed within 120 s").arg(path));
        latencies << double(timer.nsecsElapsed()) / 1e6;
        if (asked->error() != QNetworkReply::NoError && asked->isFinished())
            die(QStringLiteral("POST /refresh failed: ") + asked->errorString());
        asked->deleteLater();
    }
    out << QStringLiteral("one changed file, POST /refresh to a waiting client told: p50 %1 ms, max %2 ms (target < 1000 ms)")
               .arg(percentile(latencies, 0.5), 0, 'f', 1).arg(percentile(latencies, 1.0), 0, 'f', 1) << Qt::endl;
}

// greenroom-server serve reading `location` itself: time to its first pass, peak RSS, RSS once idle;
// with editable set, then one file changed (measureOneChangedFile).
void measureServerIngestion(const QString &what, const QString &location, const QDir &work, bool editable = false)
{
    const QString dbDir = work.filePath(QStringLiteral("ingest-db-") + QFileInfo(location).dir().dirName());
    QDir(dbDir).removeRecursively();
    QDir().mkpath(dbDir);
    QFile config(work.filePath(QStringLiteral("ingest-config.yaml")));
    if (!config.open(QIODevice::WriteOnly))
        die(QStringLiteral("cannot write the ingestion config"));
    config.write(QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                                "catalog:\n  processingInterval: false\n  rules: [{allow: [Component, System, API, Resource, Location, "
                                "Domain, Group, User, Template]}]\n  locations: [{type: file, target: %2}]\n")
                     .arg(dbDir, location).toUtf8());
    config.close();
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    server.start(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("serve"), QStringLiteral("--config"), config.fileName()});
    QByteArray log;
    while (!log.contains("every location has been read once")) {
        server.waitForReadyRead(200);
        log += server.readAll();
        if (server.state() != QProcess::Running)
            die(QStringLiteral("the server stopped while ingesting:\n") + QString::fromUtf8(log));
    }
    const double firstPass = double(timer.elapsed()) / 1000.0;
    const qint64 peak = Bench::procStatusKiB(QString::number(server.processId()), "VmHWM") / 1024;
    QThread::sleep(3);   // idle: nothing reads, nothing asks
    const qint64 idle = Bench::procStatusKiB(QString::number(server.processId()), "VmRSS") / 1024;
    out << QStringLiteral("server ingesting %1: first pass %2 s, peak RSS %3 MB (target <= 500 at 100,000), "
                            "idle RSS after ingestion %4 MB (target <= 200)")
                 .arg(what).arg(firstPass, 0, 'f', 1).arg(peak).arg(idle)
          << Qt::endl;
    const QString base = Bench::listeningBase(log);
    if (editable && base.isEmpty())
        die(QStringLiteral("the server did not say where it listens:\n") + QString::fromUtf8(log));
    if (editable)
        measureOneChangedFile(base, location);
    server.terminate();
    server.waitForFinished(10000);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const QString &name, const QString &fallback) { return Bench::option(args, name, fallback); };
    const int seconds = option(QStringLiteral("--seconds"), QStringLiteral("10")).toInt();
    if (QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty())
        die(QStringLiteral("wrk is not installed; run packaging/install-bench-deps.sh (make bench does)"));

    QTemporaryDir temporary;
    const QDir work(temporary.path());
    const int entities = option(QStringLiteral("--entities"), QStringLiteral("100000")).toInt();
    if (!args.contains(QStringLiteral("--no-ingestion"))) {
        measureServerIngestion(QStringLiteral("an organisation of ~%1 entities in many files").arg(entities),
                               Bench::generateOrganisation(work.filePath(QStringLiteral("org-files")), entities), work, true);
        measureServerIngestion(QStringLiteral("%1 components in one file").arg(entities),
                               Bench::generateSingleFile(work.filePath(QStringLiteral("org-one-file")), entities), work);
    }
    if (args.contains(QStringLiteral("--ingestion-only")))
        return 0;
    Bench::StoreServer server(QStringLiteral("bench_server"), temporary.path(), option(QStringLiteral("--store"), QString()),
                              entities);
    const QString base = server.base();
    QNetworkAccessManager network;
    const QString catalog = base + QStringLiteral("/api/catalog");

    // Names and uids to ask for: a spread over the whole catalog.
    QStringList names;
    QStringList uids;
    {
        const Response page = fetch(network, "GET", catalog + QStringLiteral("/entities/by-query?limit=2000&filter=kind=component"
                                                                             "&fields=metadata.name,metadata.uid"));
        for (const QJsonValue &item : page.json().value(QLatin1String("items")).toArray()) {
            names << item[QLatin1String("metadata")][QLatin1String("name")].toString();
            uids << item[QLatin1String("metadata")][QLatin1String("uid")].toString();
        }
        out << "catalog: " << page.json().value(QLatin1String("totalItems")).toInt() << " components" << Qt::endl;
        if (names.size() < 100)
            die(QStringLiteral("the store holds too few components"));
    }

    out << Qt::endl << "wrk: 2 threads, 32 connections, " << seconds << " s each" << Qt::endl;
    QStringList byName;
    for (const QString &name : std::as_const(names))
        byName << QStringLiteral("/api/catalog/entities/by-name/component/default/") + name;
    const struct
    {
        const char *label;
        QStringList paths;
    } loads[] = {
        {"by-name", byName},
        {"by-query page of 100 (kind=component, spec.lifecycle=production)",
         {QStringLiteral("/api/catalog/entities/by-query?limit=100&filter=kind=component,spec.lifecycle=production")}},
        {"entity-facets (spec.type of components)",
         {QStringLiteral("/api/catalog/entity-facets?facet=spec.type&filter=kind=component")}},
    };
    int index = 0;
    for (const auto &load : loads) {
        const WrkResult r = runWrk(base, writeScript(work, QStringLiteral("load%1").arg(index++), load.paths), seconds);
        out << QStringLiteral("  %1: %2 req/s, p50 %3, p99 %4%5")
                   .arg(QString::fromLatin1(load.label)).arg(r.requestsPerSecond, 0, 'f', 0).arg(r.p50, r.p99)
                   .arg(r.failures ? QStringLiteral(", %1 FAILED").arg(r.failures) : QString())
            << Qt::endl;
    }
    // With 32 connections the median waits behind the others (Little's law:
    // 32 / throughput); one connection shows a request's own time.
    {
        const WrkResult r = runWrk(base, writeScript(work, QStringLiteral("alone"), loads[1].paths), seconds, 1);
        out << QStringLiteral("  by-query page of 100, one connection: %1 req/s, p50 %2, p99 %3")
                   .arg(r.requestsPerSecond, 0, 'f', 0).arg(r.p50, r.p99)
            << Qt::endl;
    }

    struct ReadFigures
    {
        WrkResult page;
        double pagingSeconds = 0;
        qint64 pagingItems = 0;
        int pagingPages = 0;
        double feedSeconds = 0;
        qint64 feedChanges = 0;
        int feedPages = 0;
        double bytes = 0;
    };
    // Every entity by cursor, pages of 500.
    const auto walkPaging = [&](const QString &serverBase, ReadFigures &figures) {
        const QString serverCatalog = serverBase + QStringLiteral("/api/catalog");
        figures.pagingItems = 0;
        figures.pagingPages = 0;
        QElapsedTimer timer;
        timer.start();
        QString cursor;
        do {
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("limit"), QStringLiteral("500"));
            if (!cursor.isEmpty())
                query.addQueryItem(QStringLiteral("cursor"), QString::fromLatin1(QUrl::toPercentEncoding(cursor)));
            const Response page = fetch(network, "GET", serverCatalog + QStringLiteral("/entities/by-query?") + query.toString(QUrl::FullyEncoded));
            if (page.status != 200)
                die(QStringLiteral("by-query answered %1").arg(page.status));
            const QJsonObject json = page.json();
            figures.pagingItems += json.value(QLatin1String("items")).toArray().size();
            cursor = json.value(QLatin1String("pageInfo"))[QLatin1String("nextCursor")].toString();
            ++figures.pagingPages;
        } while (!cursor.isEmpty());
        figures.pagingSeconds = double(timer.nsecsElapsed()) / 1e9;
    };
    // The whole feed from cursor 0, pages of 5000.
    const auto walkFeed = [&](const QString &serverBase, ReadFigures &figures) {
        figures.bytes = 0;
        figures.feedChanges = 0;
        figures.feedPages = 0;
        QElapsedTimer timer;
        timer.start();
        QString cursor = QStringLiteral("0");
        for (bool more = true; more;) {
            const Response page = fetch(network, "GET", serverBase + QStringLiteral("/api/sync/v1/changes?limit=5000&after=") + cursor);
            if (page.status != 200)
                die(QStringLiteral("the feed answered %1").arg(page.status));
            figures.bytes += page.body.size();
            const QJsonObject json = page.json();
            figures.feedChanges += json.value(QLatin1String("changes")).toArray().size();
            cursor = json.value(QLatin1String("cursor")).toString();
            more = json.value(QLatin1String("hasMore")).toBool();
            ++figures.feedPages;
        }
        figures.feedSeconds = double(timer.nsecsElapsed()) / 1e9;
    };
    // The reads a permission policy narrows: a by-query page under load,
    // every entity by cursor, the whole feed from cursor 0.
    const auto measureReads = [&](const QString &serverBase, const QString &name) {
        ReadFigures figures;
        figures.page = runWrk(serverBase, writeScript(work, name, {QStringLiteral("/api/catalog/entities/by-query?limit=100&filter=kind=component")}),
                              seconds);
        walkPaging(serverBase, figures);
        walkFeed(serverBase, figures);
        return figures;
    };
    const ReadFigures openReads = measureReads(base, QStringLiteral("open-reads"));
    const ReadFigures &open = openReads;
    out << Qt::endl << QStringLiteral("by-query page of 100 (kind=component) under wrk: %1 req/s, p50 %2, p99 %3")
                           .arg(open.page.requestsPerSecond, 0, 'f', 0).arg(open.page.p50, open.page.p99) << Qt::endl;
    out << QStringLiteral("cursor paging: %1 entities in %2 pages of 500, %3 s")
               .arg(open.pagingItems).arg(open.pagingPages).arg(open.pagingSeconds, 0, 'f', 2) << Qt::endl;
    out << QStringLiteral("full feed: %1 changes, %2 MB, %3 s (pages of 5000, JSON parsed)")
               .arg(open.feedChanges).arg(open.bytes / 1e6, 0, 'f', 1).arg(open.feedSeconds, 0, 'f', 2) << Qt::endl;

    // Push: a client waits; a one-entity commit (DELETE by uid) wakes it.
    {
        QList<double> latencies;
        QString last = QStringLiteral("0");   // the client is up to date first (from 0 once: a million changes take 20 s)
        for (int i = 0; i < 20; ++i) {
            last = catchUp(network, base, last);
            QNetworkReply *waiting = network.get(QNetworkRequest(QUrl(base + QStringLiteral("/api/sync/v1/changes?wait=30&after=") + last)));
            QEventLoop settle;
            QTimer::singleShot(50, &settle, &QEventLoop::quit);   // let the wait reach the server
            settle.exec();
            QElapsedTimer timer;
            timer.start();
            QNetworkReply *commit = network.sendCustomRequest(
                QNetworkRequest(QUrl(catalog + QStringLiteral("/entities/by-uid/") + uids.at(i))), "DELETE");
            QEventLoop loop;
            QObject::connect(waiting, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            latencies << double(timer.nsecsElapsed()) / 1e6;
            waiting->deleteLater();
            commit->deleteLater();
        }
        out << QStringLiteral("push: commit to waiting client told, p50 %1 ms, max %2 ms (20 one-entity deletes)")
                   .arg(percentile(latencies, 0.5), 0, 'f', 1).arg(percentile(latencies, 1.0), 0, 'f', 1) << Qt::endl;
    }
    // The same reads for a caller a conditional read policy limits (no
    // credentials on loopback: decided as a guest, to whom every rule applies).
    {
        const QString policy = work.filePath(QStringLiteral("permissions.yaml"));
        QFile file(policy);
        if (!file.open(QIODevice::WriteOnly))
            die(QStringLiteral("cannot write ") + policy);
        file.write("defaultDecision: allow\nrules:\n  - match: {permission: catalog.entity.read}\n    decision: conditional\n"
                   "    conditions:\n      anyOf:\n"
                   "        - {rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: {claims: [group:default/team-1, group:default/team-2, user:default/user-1]}}\n"
                   "        - {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: [API, System, Domain, Group, User]}}\n");
        file.close();
        // The policy's server runs beside the open one; the walks take turns,
        // three rounds, the fastest of each kept, so noise falls on both.
        const std::unique_ptr<Bench::StoreServer> policed =
            server.alongside(QStringLiteral("permission: {enabled: true, policyFile: '%1'}\n").arg(policy));
        ReadFigures open = openReads;
        open.page = runWrk(base, writeScript(work, QStringLiteral("open-reads-again"), {QStringLiteral("/api/catalog/entities/by-query?limit=100&filter=kind=component")}),
                           seconds);
        ReadFigures limited;
        limited.page = runWrk(policed->base(), writeScript(work, QStringLiteral("limited-reads"), {QStringLiteral("/api/catalog/entities/by-query?limit=100&filter=kind=component")}),
                              seconds);
        constexpr int Rounds = 3;
        for (int round = 0; round < Rounds; ++round) {
            const auto keepFastest = [round](ReadFigures &best, const ReadFigures &now) {
                if (round == 0 || now.pagingSeconds < best.pagingSeconds) {
                    best.pagingSeconds = now.pagingSeconds;
                    best.pagingItems = now.pagingItems;
                    best.pagingPages = now.pagingPages;
                }
                if (round == 0 || now.feedSeconds < best.feedSeconds) {
                    best.feedSeconds = now.feedSeconds;
                    best.feedChanges = now.feedChanges;
                    best.feedPages = now.feedPages;
                    best.bytes = now.bytes;
                }
            };
            ReadFigures openNow;
            ReadFigures limitedNow;
            walkPaging(base, openNow);
            walkPaging(policed->base(), limitedNow);
            walkFeed(base, openNow);
            walkFeed(policed->base(), limitedNow);
            keepFastest(open, openNow);
            keepFastest(limited, limitedNow);
        }
        const auto ms = &Bench::wrkMilliseconds;
        out << Qt::endl << "with a conditional read policy (owner of 2 teams' and a user's, or kind API/System/Domain/Group/User), "
                           "a second server beside the open one, walks in turns, fastest of " << Rounds << ":" << Qt::endl;
        out << QStringLiteral("  by-query page of 100 (kind=component): %1 req/s, p50 %2, p99 %3; p50 ratio to unfiltered %4, throughput ratio %5")
                   .arg(limited.page.requestsPerSecond, 0, 'f', 0).arg(limited.page.p50, limited.page.p99)
                   .arg(ms(limited.page.p50) / ms(open.page.p50), 0, 'f', 2)
                   .arg(open.page.requestsPerSecond / limited.page.requestsPerSecond, 0, 'f', 2) << Qt::endl;
        out << QStringLiteral("  cursor paging: %1 entities in %2 pages, %3 s; per page %4 ms vs %5 ms unfiltered (ratio %6)")
                   .arg(limited.pagingItems).arg(limited.pagingPages).arg(limited.pagingSeconds, 0, 'f', 2)
                   .arg(limited.pagingSeconds * 1000 / limited.pagingPages, 0, 'f', 1).arg(open.pagingSeconds * 1000 / open.pagingPages, 0, 'f', 1)
                   .arg((limited.pagingSeconds / limited.pagingPages) / (open.pagingSeconds / open.pagingPages), 0, 'f', 2) << Qt::endl;
        out << QStringLiteral("  full feed: %1 changes in %2 pages, %3 s; per page %4 ms vs %5 ms unfiltered (ratio %6)")
                   .arg(limited.feedChanges).arg(limited.feedPages).arg(limited.feedSeconds, 0, 'f', 2)
                   .arg(limited.feedSeconds * 1000 / limited.feedPages, 0, 'f', 1).arg(open.feedSeconds * 1000 / open.feedPages, 0, 'f', 1)
                   .arg((limited.feedSeconds / limited.feedPages) / (open.feedSeconds / open.feedPages), 0, 'f', 2) << Qt::endl;
    }
    server.stop();
    return 0;
}
