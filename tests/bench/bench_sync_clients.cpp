// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// bench_sync_clients [--store FILE] [--entities N] [--clients C] [--rounds R]:
// C desktop sync clients (default 1,000) each hold a long-poll on
// /api/sync/v1/changes of one greenroom-server, over loopback, the way the
// desktop's SyncClient does (wait=60, its cursor, then again with the new
// cursor on the same keep-alive connection). R times (default 10) one entity
// is deleted through the catalog API, and the time from that request to each
// client's answer is taken. Prints the time to connect them all, push latency
// p50/p99/max over every client and round (target: p99 < 100 ms), clients
// not told, and the server's RSS while it holds them and its peak (target:
// peak <= 500 MB at 100,000 entities).
//
// The clients are raw sockets in this one event loop, not
// QNetworkAccessManager (six connections per host): the bench must hold a
// thousand at once. Every wait is bounded: a round gives up after 10 s.
#include "benchoutput.h"
#include "storeserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <memory>

using namespace Greenroom;
using Bench::die;
using Bench::out;

namespace {

// A thousand sockets need more descriptors than a shell's usual soft limit.
void raiseDescriptorLimit(rlim_t wanted)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted)
        return;
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    setrlimit(RLIMIT_NOFILE, &limit);
}

QByteArray get(QNetworkAccessManager &network, const QString &url, const QByteArray &method = "GET")
{
    QNetworkReply *reply = network.sendCustomRequest(QNetworkRequest(QUrl(url)), method);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!reply->isFinished() || reply->error() != QNetworkReply::NoError)
        die(QStringLiteral("%1 %2: %3").arg(QString::fromLatin1(method), url, reply->errorString()));
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

// A gzip body inflated; empty when it is not gzip.
QByteArray gunzip(const QByteArray &gzipped)
{
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        return {};
    QByteArray plain;
    char chunk[16384];
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(gzipped.constData()));
    stream.avail_in = uInt(gzipped.size());
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef *>(chunk);
        stream.avail_out = sizeof chunk;
        status = inflate(&stream, Z_NO_FLUSH);
        plain.append(chunk, qsizetype(sizeof chunk - stream.avail_out));
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END ? plain : QByteArray();
}

// One desktop's sync connection: HTTP/1.1 keep-alive, one long-poll at a time.
class SyncClient : public QObject
{
    Q_OBJECT

public:
    SyncClient(const QUrl &base, QString cursor, QObject *parent)
        : QObject(parent), m_base(base), m_cursor(std::move(cursor))
    {
        connect(&m_socket, &QTcpSocket::connected, this, &SyncClient::ask);
        connect(&m_socket, &QTcpSocket::readyRead, this, &SyncClient::read);
        connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_failed = QStringLiteral("the server closed the connection"); });
        connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] { m_failed = m_socket.errorString(); });
        m_socket.connectToHost(base.host(), quint16(base.port()));
    }

    const QString &failure() const { return m_failed; }
    int answers() const { return m_answers; }
    qint64 changesSeen() const { return m_changes; }
    // When its last answer arrived, on the bench's clock.
    qint64 answeredAtNs() const { return m_answeredAtNs; }

    static QElapsedTimer clock;

private:
    void ask()
    {
        const QByteArray target = "/api/sync/v1/changes?wait=60&limit=500&after=" + QUrl::toPercentEncoding(m_cursor);
        m_socket.write("GET " + target + " HTTP/1.1\r\nHost: " + m_base.host().toLatin1() + ':'
                       + QByteArray::number(m_base.port()) + "\r\nAccept: application/json\r\n"
                       "Accept-Encoding: gzip, deflate\r\n\r\n");   // as QNetworkAccessManager asks
    }

    void read()
    {
        m_buffer += m_socket.readAll();
        const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QByteArray headers = m_buffer.left(headerEnd).toLower();
        const qsizetype at = headers.indexOf("\r\ncontent-length:");
        if (at < 0) {
            m_failed = QStringLiteral("an answer without Content-Length");
            return;
        }
        const qsizetype lineEnd = headers.indexOf("\r\n", at + 2);
        const qsizetype length = headers.mid(at + 17, lineEnd < 0 ? -1 : lineEnd - at - 17).trimmed().toLongLong();
        if (m_buffer.size() < headerEnd + 4 + length)
            return;
        m_answeredAtNs = clock.nsecsElapsed();
        QByteArray body = m_buffer.mid(headerEnd + 4, length);
        m_buffer.remove(0, headerEnd + 4 + length);
        if (!headers.startsWith("http/1.1 200")) {
            m_failed = QString::fromLatin1(headers.left(headers.indexOf("\r\n")));
            return;
        }
        // Taken apart after every socket that is ready has been read: the
        // clock above is then not held up by other clients' JSON.
        QMetaObject::invokeMethod(this, [this, body = std::move(body), gzipped = headers.contains("\r\ncontent-encoding: gzip")] {
            const QJsonObject page = QJsonDocument::fromJson(gzipped ? gunzip(body) : body).object();
            m_cursor = page.value(QLatin1String("cursor")).toString(m_cursor);
            m_changes += page.value(QLatin1String("changes")).toArray().size();
            ++m_answers;
            ask();   // and wait again, as the desktop does
        }, Qt::QueuedConnection);
    }

    QTcpSocket m_socket;
    QUrl m_base;
    QString m_cursor;
    QByteArray m_buffer;
    QString m_failed;
    int m_answers = 0;
    qint64 m_changes = 0;
    qint64 m_answeredAtNs = 0;
};

QElapsedTimer SyncClient::clock;

// The number of long-polls the server holds, from its /metrics.
int waitingClients(QNetworkAccessManager &network, const QString &base)
{
    const QByteArray metrics = get(network, base + QStringLiteral("/metrics"));
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.startsWith("greenroom_sync_waiting_clients "))
            return line.mid(31).trimmed().toInt();
    }
    die(QStringLiteral("/metrics has no greenroom_sync_waiting_clients"));
}

// Runs the event loop until `done` holds or `ms` have passed, asking every
// `stepMs`; whether it held.
template<typename Done>
bool spinUntil(Done done, int ms, int stepMs = 2)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms)
            return false;
        QEventLoop loop;
        QTimer::singleShot(stepMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// CPU seconds (user + system) a process has used, from /proc/PID/stat.
double cpuSecondsOf(const QString &pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // Fields after the ")" that ends the command name; utime and stime are the 14th and 15th.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    return double(fields.value(11).toLongLong() + fields.value(12).toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

double percentile(QList<double> sorted, double p)
{
    return sorted.isEmpty() ? 0 : sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(p * double(sorted.size()))));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const QString &name, const QString &fallback) { return Bench::option(args, name, fallback); };
    const int clientCount = option(QStringLiteral("--clients"), QStringLiteral("1000")).toInt();
    const int rounds = option(QStringLiteral("--rounds"), QStringLiteral("10")).toInt();
    raiseDescriptorLimit(rlim_t(clientCount) * 2 + 256);

    QTemporaryDir temporary;
    Bench::StoreServer server(QStringLiteral("bench_sync_clients"), temporary.path(), option(QStringLiteral("--store"), QString()),
                              option(QStringLiteral("--entities"), QStringLiteral("100000")).toInt());
    const QString base = server.base();
    const QString pid = QString::number(server.processId());
    QNetworkAccessManager network;

    // Entities to delete, one a round.
    QStringList uids;
    const QJsonObject some = QJsonDocument::fromJson(get(network, base + QStringLiteral("/api/catalog/entities/by-query?limit=%1"
                                                                                        "&filter=kind=component&fields=metadata.uid")
                                                                  .arg(rounds)))
                                 .object();
    for (const QJsonValue &item : some.value(QLatin1String("items")).toArray())
        uids << item[QLatin1String("metadata")][QLatin1String("uid")].toString();
    if (uids.size() < rounds)
        die(QStringLiteral("the store holds fewer than %1 components").arg(rounds));

    // Every client starts up to date: the cursor at the end of the feed.
    QString cursor = QStringLiteral("0");
    qint64 feedChanges = 0;
    for (bool more = true; more;) {
        const QJsonObject page = QJsonDocument::fromJson(get(network, base + QStringLiteral("/api/sync/v1/changes?limit=10000&after=") + cursor)).object();
        cursor = page.value(QLatin1String("cursor")).toString();
        more = page.value(QLatin1String("hasMore")).toBool();
        feedChanges += page.value(QLatin1String("changes")).toArray().size();
    }
    out() << "catalog: " << feedChanges << " changes in the feed; server RSS " << Bench::procStatusKiB(pid, "VmRSS") / 1024
          << " MB before the clients (" << Bench::procStatusKiB(pid, "RssFile") / 1024 << " MB of it mapped store file)" << Qt::endl;

    SyncClient::clock.start();
    QElapsedTimer connecting;
    connecting.start();
    std::vector<std::unique_ptr<SyncClient>> clients;
    clients.reserve(size_t(clientCount));
    for (int i = 0; i < clientCount; ++i)
        clients.push_back(std::make_unique<SyncClient>(QUrl(base), cursor, nullptr));
    const auto firstFailure = [&]() -> QString {
        for (const auto &client : clients) {
            if (!client->failure().isEmpty())
                return client->failure();
        }
        return {};
    };
    const bool allWaiting = spinUntil([&] { return !firstFailure().isEmpty() || waitingClients(network, base) >= clientCount; }, 30000, 20);
    if (!firstFailure().isEmpty())
        die(QStringLiteral("a client failed: ") + firstFailure());
    if (!allWaiting)
        die(QStringLiteral("after 30 s the server holds %1 of %2 long-polls").arg(waitingClients(network, base)).arg(clientCount));
    out() << clientCount << " clients connected and waiting in " << connecting.elapsed() << " ms; server RSS "
          << Bench::procStatusKiB(pid, "VmRSS") / 1024 << " MB" << Qt::endl;

    const double serverCpuAtStart = cpuSecondsOf(pid);
    const double benchCpuAtStart = cpuSecondsOf(QStringLiteral("self"));
    QList<double> latencies;
    QList<double> roundMax;
    int untold = 0;
    for (int round = 0; round < rounds; ++round) {
        QList<int> before;
        for (const auto &client : clients)
            before << client->answers();
        const qint64 committedAt = SyncClient::clock.nsecsElapsed();
        get(network, base + QStringLiteral("/api/catalog/entities/by-uid/") + uids.at(round), "DELETE");
        const auto told = [&] {
            for (size_t i = 0; i < clients.size(); ++i) {
                if (clients[i]->answers() == before.at(qsizetype(i)) && clients[i]->failure().isEmpty())
                    return false;
            }
            return true;
        };
        spinUntil(told, 10000);
        double worst = 0;
        for (size_t i = 0; i < clients.size(); ++i) {
            if (clients[i]->answers() == before.at(qsizetype(i))) {
                ++untold;
                continue;
            }
            const double ms = double(clients[i]->answeredAtNs() - committedAt) / 1e6;
            latencies << ms;
            worst = std::max(worst, ms);
        }
        roundMax << worst;
        // Every client waits again before the next commit.
        if (!spinUntil([&] { return waitingClients(network, base) >= clientCount; }, 10000, 20))
            die(QStringLiteral("round %1: the clients did not all wait again").arg(round + 1));
    }
    const double serverCpu = cpuSecondsOf(pid) - serverCpuAtStart;
    const double benchCpu = cpuSecondsOf(QStringLiteral("self")) - benchCpuAtStart;
    if (!firstFailure().isEmpty())
        die(QStringLiteral("a client failed: ") + firstFailure());
    // Each client must have received exactly what the feed holds after its start.
    qint64 expected = 0;
    for (QString after = cursor, more = QStringLiteral("1"); !more.isEmpty();) {
        const QJsonObject page = QJsonDocument::fromJson(get(network, base + QStringLiteral("/api/sync/v1/changes?limit=10000&after=") + after)).object();
        after = page.value(QLatin1String("cursor")).toString();
        more = page.value(QLatin1String("hasMore")).toBool() ? QStringLiteral("1") : QString();
        expected += page.value(QLatin1String("changes")).toArray().size();
    }
    qint64 changesSeen = 0;
    int short_ = 0;
    for (const auto &client : clients) {
        changesSeen += client->changesSeen();
        short_ += client->changesSeen() != expected;
    }
    std::sort(latencies.begin(), latencies.end());
    std::sort(roundMax.begin(), roundMax.end());
    out() << QStringLiteral("push to %1 clients, %2 one-entity deletes: latency p50 %3 ms, p99 %4 ms (target < 100), max %5 ms; "
                            "slowest client per round: median %6 ms")
                 .arg(clientCount).arg(rounds).arg(percentile(latencies, 0.5), 0, 'f', 1).arg(percentile(latencies, 0.99), 0, 'f', 1)
                 .arg(percentile(latencies, 1.0), 0, 'f', 1).arg(percentile(roundMax, 0.5), 0, 'f', 1)
          << Qt::endl;
    out() << QStringLiteral("  %1 answers, %2 changes received (%3 each expected: the deletions and the restitched "
                            "entities that named them), %4 clients with another count, %5 not told within 10 s")
                 .arg(latencies.size()).arg(changesSeen).arg(expected).arg(short_).arg(untold)
          << Qt::endl;
    out() << QStringLiteral("  CPU per round (commit, %1 answers, %1 new waits, /metrics asked every 20 ms until all wait): "
                            "server %2 ms, these clients %3 ms")
                 .arg(clientCount).arg(serverCpu * 1000 / rounds, 0, 'f', 1).arg(benchCpu * 1000 / rounds, 0, 'f', 1)
          << Qt::endl;
    out() << QStringLiteral("server RSS holding %1 clients: %2 MB, of which %3 MB pages of the store file it maps; peak %4 MB "
                            "(target <= 500 at 100,000 entities)")
                 .arg(clientCount).arg(Bench::procStatusKiB(pid, "VmRSS") / 1024).arg(Bench::procStatusKiB(pid, "RssFile") / 1024)
                 .arg(Bench::procStatusKiB(pid, "VmHWM") / 1024)
          << Qt::endl;
    clients.clear();
    server.stop();
    return untold == 0 && short_ == 0 ? 0 : 1;
}

#include "bench_sync_clients.moc"
