// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QProcess>

#include <memory>
#include <QString>

namespace Greenroom::Bench {

// The http://127.0.0.1:PORT a greenroom-server's log says it listens on, or "".
QString listeningBase(const QByteArray &log);

/*
 * greenroom-server serving a large store on a loopback port, for the
 * benchmarks: a copy of `storeFile` (a store bench_ingest kept), or, when it
 * is empty, an organisation of `entities` generated and ingested first. No
 * locations are read, so the store stays as it is. Errors end the program
 * with a message naming the benchmark.
 */
class StoreServer
{
public:
    StoreServer(QString benchName, const QString &workDir, const QString &storeFile, int entities);
    ~StoreServer();
    QString base() const { return m_base; }   // http://127.0.0.1:PORT
    qint64 processId() const { return m_process.processId(); }
    void stop();
    // Starts it again on the same store with `extraConfig` (YAML) added to its config.
    void restart(const QString &extraConfig);
    // A second server on the same store, with `extraConfig` added, running
    // beside this one: two configurations measured in turns, so the
    // machine's noise falls on both alike.
    std::unique_ptr<StoreServer> alongside(const QString &extraConfig) const;

private:
    StoreServer(QString benchName, QString workDir, QString configName);
    void start(const QString &extraConfig);
    QProcess m_process;
    QString m_base;
    QString m_benchName;
    QString m_workDir;
    QString m_configName = QStringLiteral("app-config.yaml");
};

} // namespace Greenroom::Bench
