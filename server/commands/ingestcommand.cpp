// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "ingestcommand.h"

#include "command.h"
#include "errorprinter.h"

#include <ingest/catalogingester.h>
#include <store/sqlitecatalogstore.h>

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

namespace Greenroom::Server {

int runIngestCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Read file locations into a Greenroom SQLite store."));
    const QCommandLineOption database(QStringLiteral("db"), QStringLiteral("SQLite store to write."), QStringLiteral("FILE"));
    parser.addOption(database);
    parser.addPositionalArgument(QStringLiteral("location"), QStringLiteral("catalog file to register"),
                                 QStringLiteral("LOCATION..."));
    if (auto done = parseCommandLine(parser, arguments))
        return *done;
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parser.isSet(database) || parser.positionalArguments().isEmpty()) {
        err << "ingest: needs --db FILE and at least one catalog file" << Qt::endl;
        return ExitUsage;
    }
    auto store = Store::SqliteCatalogStore::open(parser.value(database));
    if (!store) {
        err << store.error().toString() << Qt::endl;
        return ExitFailure;
    }
    // Registering from the command line is an operator's act: every kind is allowed.
    Ingest::IngestOptions options;
    options.rules = Ingest::CatalogRules::allowAll();
    Ingest::CatalogIngester ingester(*store.value(), options);
    int status = ExitOk;
    for (const QString &location : parser.positionalArguments()) {
        QElapsedTimer timer;
        timer.start();
        auto outcome = ingester.ingest({QStringLiteral("file"), QFileInfo(location).absoluteFilePath()});
        if (!outcome) {
            err << location << ": " << outcome.error().toString() << Qt::endl;
            status = ExitFailure;
            continue;
        }
        for (const auto &e : outcome->errors)
            err << formatErrorLine(e) << Qt::endl;
        const Store::WriteReport &r = outcome->report;
        out << location << ": " << outcome->documentsRead << " documents in " << outcome->filesRead << " files; "
            << r.inserted << " added, " << r.updated << " updated, " << r.unchanged << " unchanged, " << r.deleted
            << " deleted, " << r.restitched << " re-related; " << timer.elapsed() << " ms" << Qt::endl;
        if (!outcome->errors.isEmpty())
            status = ExitInvalid;
    }
    Store::CatalogStore &catalog = *store.value();
    auto kinds = catalog.facets({QStringLiteral("kind")});
    out << "catalog " << parser.value(database) << ": " << store.value()->entityCount() << " entities, change sequence at "
        << store.value()->lastSequence() << Qt::endl;
    if (kinds) {
        for (const auto &count : kinds->first().second)
            out << "  " << count.value << ": " << count.count << Qt::endl;
    }
    return status;
}

} // namespace Greenroom::Server
