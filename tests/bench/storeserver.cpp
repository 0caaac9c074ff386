// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "storeserver.h"

#include "orggenerator.h"

#include <ingest/catalogingester.h>
#include <ingest/catalogrules.h>
#include <store/sqlitecatalogstore.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTextStream>

namespace Greenroom::Bench {

namespace {

[[noreturn]] void fail(const QString &bench, const QString &message)
{
    QTextStream(stderr) << bench << ": " << message << Qt::endl;
    std::exit(1);
}

} // namespace

QString listeningBase(const QByteArray &log)
{
    static const QRegularExpression listening(QStringLiteral("listening on (http://[^\\s]+:\\d+)"));
    return listening.match(QString::fromUtf8(log)).captured(1);
}

StoreServer::StoreServer(QString benchName, const QString &workDir, const QString &storeFile, int entities)
    : m_benchName(benchName), m_workDir(workDir)
{
    const QDir work(workDir);
    QDir().mkpath(work.filePath(QStringLiteral("db")));
    const QString db = work.filePath(QStringLiteral("db/catalog.sqlite"));
    if (!storeFile.isEmpty()) {
        if (!QFile::copy(storeFile, db))   // a copy: benchmarks may write to it
            fail(benchName, QStringLiteral("cannot copy ") + storeFile);
    } else {
        QElapsedTimer timer;
        timer.start();
        const QString root = generateOrganisation(work.filePath(QStringLiteral("org")), entities);
        auto store = Store::SqliteCatalogStore::open(db);
        if (!store)
            fail(benchName, store.error().message);
        Ingest::IngestOptions options;
        options.rules = Ingest::CatalogRules::allowAll();
        Ingest::CatalogIngester ingester(*store.value(), options);
        if (auto done = ingester.ingest({QStringLiteral("file"), root}); !done)
            fail(benchName, done.error().message);
        QTextStream(stdout) << "generated and ingested " << store.value()->entityCount() << " entities in "
                            << timer.elapsed() / 1000.0 << " s" << Qt::endl;
    }
    start(QString());
}

StoreServer::StoreServer(QString benchName, QString workDir, QString configName)
    : m_benchName(std::move(benchName)), m_workDir(std::move(workDir)), m_configName(std::move(configName))
{
}

std::unique_ptr<StoreServer> StoreServer::alongside(const QString &extraConfig) const
{
    std::unique_ptr<StoreServer> other(new StoreServer(m_benchName, m_workDir, QStringLiteral("app-config-alongside.yaml")));
    other->start(extraConfig);
    return other;
}

void StoreServer::restart(const QString &extraConfig)
{
    stop();
    m_base.clear();
    start(extraConfig);
}

void StoreServer::start(const QString &extraConfig)
{
    const QDir work(m_workDir);
    const QString &benchName = m_benchName;
    QFile config(work.filePath(m_configName));
    if (!config.open(QIODevice::WriteOnly))
        fail(benchName, QStringLiteral("cannot write the config"));
    config.write(QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                                "catalog:\n  processingInterval: false\n  locations: []\n")
                     .arg(work.filePath(QStringLiteral("db"))).toUtf8()
                 + extraConfig.toUtf8());
    config.close();

    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("serve"), QStringLiteral("--config"), config.fileName()});
    QByteArray log;
    for (int i = 0; i < 600 && m_base.isEmpty(); ++i) {
        m_process.waitForReadyRead(100);
        log += m_process.readAll();
        m_base = listeningBase(log);
        if (m_process.state() != QProcess::Running)
            fail(benchName, QStringLiteral("the server stopped:\n") + QString::fromUtf8(log));
    }
    if (m_base.isEmpty())
        fail(benchName, QStringLiteral("the server did not start"));
}

StoreServer::~StoreServer()
{
    stop();
}

void StoreServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    m_process.waitForFinished(10000);
}

} // namespace Greenroom::Bench
