// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "validatecommand.h"

#include "command.h"
#include "errorprinter.h"

#include <ingest/locationprocessor.h>

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace Greenroom::Server {

int runValidateCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Validate catalog files as Backstage's catalog would."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print a JSON report."));
    parser.addOption(json);
    parser.addPositionalArgument(QStringLiteral("path"), QStringLiteral("catalog file or folder holding catalog-info.yaml"),
                                 QStringLiteral("PATH..."));
    if (auto done = parseCommandLine(parser, arguments))
        return *done;
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty()) {
        err << "validate: give at least one file or folder" << Qt::endl;
        return ExitUsage;
    }

    // Format only: which kinds a server accepts is its configuration's business.
    Ingest::IngestOptions options;
    options.rules = Ingest::CatalogRules::allowAll();
    const Ingest::LocationProcessor processor(options);
    QList<Store::ProcessingErrorRecord> errors;
    int entities = 0, files = 0;
    for (const QString &path : paths) {
        QFileInfo info(path);
        if (info.isDir())
            info = QFileInfo(QDir(path).filePath(QStringLiteral("catalog-info.yaml")));
        if (!info.isFile()) {
            Store::ProcessingErrorRecord missing;
            missing.file = info.filePath();
            missing.name = QStringLiteral("NotFoundError");
            missing.message = missing.reason = QStringLiteral("no such catalog file");
            errors.append(missing);
            continue;
        }
        const Ingest::LocationReadResult result = processor.read({QStringLiteral("file"), info.absoluteFilePath()});
        errors += result.write.errors;
        entities += int(result.entitiesRead());
        files += result.filesRead;
    }
    const bool valid = std::none_of(errors.cbegin(), errors.cend(),
                                    [](const auto &e) { return e.level == QLatin1String("error"); });
    if (parser.isSet(json)) {
        QJsonArray list;
        for (const auto &e : errors)
            list.append(errorToJson(e));
        out << QJsonDocument(QJsonObject{{QStringLiteral("valid"), valid},
                                         {QStringLiteral("files"), files},
                                         {QStringLiteral("entities"), entities},
                                         {QStringLiteral("errors"), list}})
                   .toJson(QJsonDocument::Indented);
    } else {
        for (const auto &e : errors)
            (e.level == QLatin1String("error") ? err : out) << formatErrorLine(e) << Qt::endl;
        out << (valid ? "valid" : "invalid") << ": " << entities << " entities in " << files << " files, "
            << errors.size() << " problems" << Qt::endl;
    }
    return valid ? ExitOk : ExitInvalid;
}

} // namespace Greenroom::Server
