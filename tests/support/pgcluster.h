// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>
#include <pwd.h>
#include <unistd.h>

namespace Greenroom::Tests {

/*
 * A throwaway PostgreSQL cluster from Debian's own binaries: initdb in a
 * temporary folder, started with pg_ctl on a free loopback port, stopped and
 * removed when the test process ends. PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` user the Debian package creates.
 * Durability is off (fsync, synchronous_commit): a test's data need not
 * survive a power cut, and it makes the suite several times faster.
 */
class PgCluster
{
public:
    // The cluster of this test process, started on first use; an error
    // message (and no cluster) when PostgreSQL cannot be started here.
    static PgCluster *shared(QString *error)
    {
        static std::unique_ptr<PgCluster> cluster;
        static QString failure;
        if (!cluster && failure.isEmpty()) {
            auto started = std::make_unique<PgCluster>();
            failure = started->start();
            if (failure.isEmpty())
                cluster = std::move(started);
        }
        if (error)
            *error = failure;
        return cluster.get();
    }

    ~PgCluster()
    {
        if (m_started)
            run(m_bin + QStringLiteral("/pg_ctl"), {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("immediate"),
                                                     QStringLiteral("-w"), QStringLiteral("stop")});
    }

    int port() const { return m_port; }
    QString binDir() const { return m_bin; }
    // A libpq connection string for `database`.
    QString conninfo(const QString &database) const
    {
        return QStringLiteral("host=127.0.0.1 port=%1 user=greenroom dbname=%2 connect_timeout=10").arg(m_port).arg(database);
    }
    // A new, empty database; an error message when it could not be made.
    QString createDatabase(const QString &name) const
    {
        return run(m_bin + QStringLiteral("/createdb"),
                   {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                    QStringLiteral("-U"), QStringLiteral("greenroom"), name});
    }
    // Stops the server (fast: connections are cut) and starts it again on the same port.
    QString restart() const
    {
        return run(m_bin + QStringLiteral("/pg_ctl"), {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"),
                                                      QStringLiteral("-w"), QStringLiteral("restart")});
    }
    // What psql answers to `sql` in `database` (unaligned, tuples only), or its error.
    QString psql(const QString &database, const QString &sql) const
    {
        QProcess process;
        process.start(m_bin + QStringLiteral("/psql"),
                      {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
                       QStringLiteral("greenroom"), QStringLiteral("-d"), database, QStringLiteral("-tAc"), sql});
        process.waitForFinished();
        return QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError()).trimmed();
    }
    // Runs a PostgreSQL program as the cluster's owner; its output on failure.
    QString run(const QString &program, const QStringList &arguments) const
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        if (geteuid() == 0)
            process.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + arguments);
        else
            process.start(program, arguments);
        if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            return program + QStringLiteral(" failed: ") + QString::fromLocal8Bit(process.readAll()).trimmed() + process.errorString();
        return {};
    }

private:
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }

    static QString findBinDir()
    {
        QDir versions(QStringLiteral("/usr/lib/postgresql"));
        QStringList found = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        std::sort(found.begin(), found.end(), [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
        for (const QString &version : found) {
            const QString bin = versions.filePath(version + QStringLiteral("/bin"));
            if (QFile::exists(bin + QStringLiteral("/initdb")))
                return bin;
        }
        return {};
    }

    QString start()
    {
        m_bin = findBinDir();
        if (m_bin.isEmpty())
            return QStringLiteral("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (packaging/install-deps.sh installs them)");
        if (!m_dir.isValid())
            return QStringLiteral("cannot make a temporary folder");
        if (geteuid() == 0) {
            const passwd *owner = getpwnam("postgres");
            if (!owner)
                return QStringLiteral("running as root, and there is no `postgres` user to run PostgreSQL as");
            if (chown(QFile::encodeName(m_dir.path()).constData(), owner->pw_uid, owner->pw_gid) != 0)
                return QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path());
        }
        QTcpServer probe;   // a free port, let go just before the server takes it
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return QStringLiteral("no free loopback port");
        m_port = probe.serverPort();
        probe.close();
        if (QString failed = run(m_bin + QStringLiteral("/initdb"),
                                 {QStringLiteral("-D"), dataDir(), QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-U"),
                                  QStringLiteral("greenroom"), QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C"),
                                  QStringLiteral("--no-sync")});
            !failed.isEmpty())
            return failed;
        const QString options = QStringLiteral("-p %1 -c listen_addresses=127.0.0.1 -k %2 -c fsync=off -c synchronous_commit=off "
                                               "-c full_page_writes=off -c max_connections=200")
                                    .arg(m_port).arg(m_dir.path());
        if (QString failed = run(m_bin + QStringLiteral("/pg_ctl"), {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"),
                                                                     m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-o"),
                                                                     options, QStringLiteral("-w"), QStringLiteral("start")});
            !failed.isEmpty())
            return failed;
        m_started = true;
        return {};
    }

    QTemporaryDir m_dir;
    QString m_bin;
    int m_port = 0;
    bool m_started = false;
};

} // namespace Greenroom::Tests
