// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "commands/command.h"
#include "commands/docscommand.h"
#include "commands/exportcommand.h"
#include "commands/ingestcommand.h"
#include "commands/servecommand.h"
#include "commands/templatecommand.h"
#include "commands/validatecommand.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace Greenroom::Server;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("greenroom-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GREENROOM_VERSION));

    QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.size() > 1 ? arguments.at(1) : QString();
    // Each command parses its own options; it sees "greenroom-server <command> ...".
    arguments.removeAt(std::min<qsizetype>(1, arguments.size() - 1));
    if (command == QLatin1String("validate"))
        return runValidateCommand(arguments);
    if (command == QLatin1String("ingest"))
        return runIngestCommand(arguments);
    if (command == QLatin1String("export"))
        return runExportCommand(arguments);
    if (command == QLatin1String("serve"))
        return runServeCommand(arguments);
    if (command == QLatin1String("docs"))
        return runDocsCommand(arguments);
    if (command == QLatin1String("template"))
        return runTemplateCommand(arguments);

    QTextStream err(stderr);
    err << "usage: greenroom-server <command> [options]\n\n"
           "commands:\n"
           "  serve [--config FILE]...         serve Backstage's catalog API (embedded demo without config)\n"
           "  validate [--json] PATH...        check catalog files the way Backstage's catalog does\n"
           "  ingest --db FILE LOCATION...     read catalog files into a SQLite store\n"
           "  export (--db FILE | --config FILE...) --format yaml|json [--output FILE]\n"
           "                                   write the whole catalog out (backup, move to Backstage)\n"
           "  docs build [DIR] [--output OUT]  build a TechDocs site (mkdocs.yml + docs/) like techdocs-cli generate\n"
           "  template run TEMPLATE.yaml --values ANSWERS.yaml [--secrets FILE] [--dry-run] [--output DIR]\n"
           "                                   run a software template's steps and print the task log\n";
    return command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("help") ? ExitOk : ExitUsage;
}
