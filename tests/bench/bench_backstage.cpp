// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// bench_backstage [--entities N] [--seconds S]: Greenroom and real
// Backstage side by side, in one run, on one PostgreSQL cluster (started
// from Debian's binaries, as the tests do), reading the same generated
// organisation of ~N entities (default 20,000) from files. For each:
//  - ingest: from the server's start until every entity is queryable
//    (Greenroom: its first pass done; Backstage: the count by-query reports
//    stops growing, timed at its last rise);
//  - peak RSS while ingesting, and RSS once idle;
//  - wrk (32 connections, S seconds, default 10) on by-name and on a
//    filtered by-query page of 100;
// and the ratios. Backstage is release 1.55's catalog backend
// (backend-defaults 0.18.0, plugin-catalog-backend 4.0.0) from npm, run by
// backstage-catalog.cjs with node; `make bench` installs it
// (packaging/install-bench-deps.sh). The organisation is many files, the
// shape Backstage can read: from one file of 100,000 entities it cannot
// (PostgreSQL's limit of 65,535 bind parameters).
#include "benchoutput.h"
#include "orggenerator.h"
#include "wrkrunner.h"

#include "pgcluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

using namespace Greenroom;
using Bench::die;
using Bench::out;

namespace {

struct Figures
{
    double ingestSeconds = 0;
    qint64 entities = 0;
    qint64 peakMiB = 0;
    qint64 idleMiB = 0;
    Bench::WrkResult byName;
    Bench::WrkResult byQuery;
};

QJsonObject getJson(QNetworkAccessManager &network, const QString &url, int *status = nullptr)
{
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(url)));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return json;
}

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        die(QStringLiteral("no free loopback port"));
    return probe.serverPort();
}

void writeText(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        die(QStringLiteral("cannot write ") + path);
    file.write(text.toUtf8());
}

// The entities a server holds, as by-query counts them; -1 when it does not answer.
qint64 entityCount(QNetworkAccessManager &network, const QString &base)
{
    int status = 0;
    const QJsonObject page = getJson(network, base + QStringLiteral("/api/catalog/entities/by-query?limit=0&totalItems=include"), &status);
    return status == 200 ? page.value(QLatin1String("totalItems")).toInteger() : -1;
}

// wrk on the two reads, with names spread over the catalog.
void measureReads(QNetworkAccessManager &network, const QString &base, const QDir &work, const QString &name, int seconds,
                  Figures &figures)
{
    const QJsonObject some = getJson(network, base + QStringLiteral("/api/catalog/entities/by-query?limit=2000&filter=kind=component"
                                                                    "&fields=metadata.name"));
    QStringList byName;
    for (const QJsonValue &item : some.value(QLatin1String("items")).toArray())
        byName << QStringLiteral("/api/catalog/entities/by-name/component/default/") + item[QLatin1String("metadata")][QLatin1String("name")].toString();
    if (byName.size() < 100)
        die(name + QStringLiteral(": too few components to ask for"));
    figures.byName = Bench::runWrk(base, Bench::writeScript(work, name + QStringLiteral("-by-name"), byName), seconds);
    figures.byQuery = Bench::runWrk(
        base,
        Bench::writeScript(work, name + QStringLiteral("-by-query"),
                           {QStringLiteral("/api/catalog/entities/by-query?limit=100&filter=kind=component,spec.lifecycle=production")}),
        seconds);
}

// Waits for `process` to write `line` (seconds since `timer` started then).
double waitForLine(QProcess &process, const QByteArray &line, const QElapsedTimer &timer, int timeoutSeconds, const QString &name)
{
    QByteArray log;
    while (!log.contains(line)) {
        process.waitForReadyRead(100);
        log += process.readAll();
        if (process.state() != QProcess::Running)
            die(name + QStringLiteral(" stopped:\n") + QString::fromUtf8(log.right(4000)));
        if (timer.elapsed() > timeoutSeconds * 1000LL)
            die(name + QStringLiteral(" did not get there in %1 s:\n").arg(timeoutSeconds) + QString::fromUtf8(log.right(4000)));
    }
    return double(timer.elapsed()) / 1000.0;
}

void stop(QProcess &process)
{
    process.terminate();
    if (!process.waitForFinished(15000)) {
        process.kill();
        process.waitForFinished(5000);
    }
}

QString ratio(double greenroom, double backstage)
{
    return greenroom > 0 && backstage > 0 ? QString::number(backstage / greenroom, 'f', 1) + QLatin1Char('x') : QStringLiteral("-");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const QString &name, const QString &fallback) { return Bench::option(args, name, fallback); };
    const int size = option(QStringLiteral("--entities"), QStringLiteral("20000")).toInt();
    const int seconds = option(QStringLiteral("--seconds"), QStringLiteral("10")).toInt();
    const QString npm = QDir(QStringLiteral(GREENROOM_BUILD_DIR)).filePath(QStringLiteral("bench-npm/node_modules"));
    if (!QFile::exists(npm + QStringLiteral("/@backstage/plugin-catalog-backend/package.json")))
        die(QStringLiteral("Backstage's catalog backend is not installed in %1; run packaging/install-bench-deps.sh (make bench does)").arg(npm));
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty() || QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty())
        die(QStringLiteral("node and wrk are needed; run packaging/install-bench-deps.sh"));

    QString error;
    Tests::PgCluster *cluster = Tests::PgCluster::shared(&error);
    if (!cluster)
        die(error);
    QTemporaryDir temporary;
    const QDir work(temporary.path());
    const QString root = Bench::generateOrganisation(work.filePath(QStringLiteral("org")), size);
    out() << "organisation of ~" << size << " entities in files; PostgreSQL " << cluster->binDir() << " on 127.0.0.1:"
          << cluster->port() << Qt::endl;
    const QString database = QStringLiteral("    connection: {host: 127.0.0.1, port: %1, user: greenroom, password: unused}\n").arg(cluster->port());
    const QString rules = QStringLiteral("  rules: [{allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]}]\n"
                                         "  locations: [{type: file, target: %1}]\n").arg(root);
    QNetworkAccessManager network;

    // Greenroom: its own database in the cluster (prefix greenroom_).
    Figures greenroom;
    {
        const int port = freePort();
        writeText(work.filePath(QStringLiteral("greenroom.yaml")),
                  QStringLiteral("backend:\n  listen: {host: 127.0.0.1, port: %1}\n  database:\n    client: pg\n    prefix: greenroom_\n")
                          .arg(port)
                      + database + QStringLiteral("catalog:\n  processingInterval: false\n") + rules);
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer timer;
        timer.start();
        server.start(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("serve"), QStringLiteral("--config"), work.filePath(QStringLiteral("greenroom.yaml"))});
        greenroom.ingestSeconds = waitForLine(server, "every location has been read once", timer, 1800, QStringLiteral("greenroom-server"));
        const QString pid = QString::number(server.processId());
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
        greenroom.entities = entityCount(network, base);
        greenroom.peakMiB = Bench::procStatusKiB(pid, "VmHWM") / 1024;
        QThread::sleep(3);
        greenroom.idleMiB = Bench::procStatusKiB(pid, "VmRSS") / 1024;
        out() << QStringLiteral("Greenroom: %1 entities queryable after %2 s").arg(greenroom.entities).arg(greenroom.ingestSeconds, 0, 'f', 1) << Qt::endl;
        measureReads(network, base, work, QStringLiteral("greenroom"), seconds, greenroom);
        stop(server);
    }

    // Backstage: its catalog in its own database (backstage_plugin_catalog).
    Figures backstage;
    {
        const int port = freePort();
        const QString home = work.filePath(QStringLiteral("backstage"));
        QDir().mkpath(home);
        writeText(home + QStringLiteral("/package.json"), QStringLiteral("{\"name\": \"bench-backstage\", \"version\": \"0.0.0\", \"private\": true}\n"));
        writeText(home + QStringLiteral("/app-config.yaml"),
                  QStringLiteral("backend:\n  baseUrl: http://127.0.0.1:%1\n  listen: {host: 127.0.0.1, port: %1}\n"
                                 "  auth: {dangerouslyDisableDefaultAuthPolicy: true}\n  database:\n    client: pg\n")
                          .arg(port)
                      + database + QStringLiteral("catalog:\n") + rules);
        QProcess node;
        node.setWorkingDirectory(home);
        node.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("NODE_PATH"), npm);
        environment.insert(QStringLiteral("NODE_ENV"), QStringLiteral("production"));
        node.setProcessEnvironment(environment);
        QElapsedTimer timer;
        timer.start();
        node.start(QStringLiteral("node"), {QStringLiteral(GREENROOM_SOURCE_DIR "/tests/bench/backstage-catalog.cjs"), QStringLiteral("--config"),
                                            home + QStringLiteral("/app-config.yaml")});
        if (!node.waitForStarted())
            die(QStringLiteral("cannot start node: ") + node.errorString());
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
        // Done when the count covers what Greenroom read and has not grown
        // for 30 s (its stitching runs behind its reading, in batches).
        qint64 last = -1;
        double lastRise = 0;
        QByteArray log;   // its last lines, for when it fails
        QElapsedTimer still;
        still.start();
        while (true) {
            QThread::msleep(500);
            log = (log + node.readAll()).right(8000);
            if (node.state() == QProcess::NotRunning)
                die(QStringLiteral("Backstage stopped:\n") + QString::fromUtf8(log + node.readAll()));
            const qint64 count = entityCount(network, base);
            if (count > last) {
                last = count;
                lastRise = double(timer.elapsed()) / 1000.0;
                still.restart();
            }
            if ((last >= greenroom.entities && still.elapsed() > 30000) || still.elapsed() > 180000)
                break;   // whole, or stuck short of it for 3 minutes (the table shows its count)
            if (timer.elapsed() > 3600 * 1000LL)
                die(QStringLiteral("Backstage holds %1 entities after an hour").arg(last));
        }
        backstage.ingestSeconds = lastRise;
        backstage.entities = last;
        const QString pid = QString::number(node.processId());
        backstage.peakMiB = Bench::procStatusKiB(pid, "VmHWM") / 1024;
        backstage.idleMiB = Bench::procStatusKiB(pid, "VmRSS") / 1024;
        out() << QStringLiteral("Backstage: %1 entities queryable after %2 s").arg(backstage.entities).arg(backstage.ingestSeconds, 0, 'f', 1) << Qt::endl;
        measureReads(network, base, work, QStringLiteral("backstage"), seconds, backstage);
        stop(node);
    }

    out() << Qt::endl << QStringLiteral("%1 | %2 | %3 | %4").arg(QStringLiteral("~%1 entities, PostgreSQL, 2 cores").arg(size), -46)
                              .arg(QStringLiteral("Greenroom"), -18).arg(QStringLiteral("Backstage 1.55"), -18).arg(QStringLiteral("Backstage / Greenroom"))
          << Qt::endl;
    const auto row = [](const QString &what, const QString &g, const QString &b, const QString &r) {
        out() << QStringLiteral("%1 | %2 | %3 | %4").arg(what, -46).arg(g, -18).arg(b, -18).arg(r) << Qt::endl;
    };
    row(QStringLiteral("ingest to queryable (s)"), QString::number(greenroom.ingestSeconds, 'f', 1), QString::number(backstage.ingestSeconds, 'f', 1),
        ratio(greenroom.ingestSeconds, backstage.ingestSeconds));
    row(QStringLiteral("entities"), QString::number(greenroom.entities), QString::number(backstage.entities), QString());
    row(QStringLiteral("peak RSS (MiB)"), QString::number(greenroom.peakMiB), QString::number(backstage.peakMiB),
        ratio(double(greenroom.peakMiB), double(backstage.peakMiB)));
    row(QStringLiteral("RSS after ingest (MiB)"), QString::number(greenroom.idleMiB), QString::number(backstage.idleMiB),
        ratio(double(greenroom.idleMiB), double(backstage.idleMiB)));
    const auto throughput = [&](const QString &what, const Bench::WrkResult &g, const Bench::WrkResult &b) {
        row(what + QStringLiteral(" (req/s)"), QString::number(g.requestsPerSecond, 'f', 0), QString::number(b.requestsPerSecond, 'f', 0),
            ratio(b.requestsPerSecond, g.requestsPerSecond) + QStringLiteral(" (Greenroom / Backstage)"));
        row(what + QStringLiteral(" p50 / p99"), g.p50 + QStringLiteral(" / ") + g.p99, b.p50 + QStringLiteral(" / ") + b.p99,
            ratio(Bench::wrkMilliseconds(g.p50), Bench::wrkMilliseconds(b.p50)) + QStringLiteral(" (p50)"));
        if (g.failures || b.failures)
            row(what + QStringLiteral(" FAILED requests"), QString::number(g.failures), QString::number(b.failures), QString());
    };
    throughput(QStringLiteral("by-name"), greenroom.byName, backstage.byName);
    throughput(QStringLiteral("by-query page of 100"), greenroom.byQuery, backstage.byQuery);
    return 0;
}
