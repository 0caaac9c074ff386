// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docscommand.h"

#include "command.h"

#include <docs/sitebuilder.h>

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QTextStream>

namespace Greenroom::Server {

int runDocsCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.size() < 2 || (arguments.at(1) != QLatin1String("build") && arguments.at(1) != QLatin1String("generate"))) {
        err << "usage: greenroom-server docs build [DIR] [--output OUT]\n";
        return arguments.size() >= 2 && arguments.at(1) == QLatin1String("--help") ? ExitOk : ExitUsage;
    }
    QStringList rest = arguments;
    rest.removeAt(1);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Build a TechDocs site (mkdocs.yml + docs/) the way Backstage's techdocs-cli generate does."));
    const QCommandLineOption output({QStringLiteral("output"), QStringLiteral("output-dir"), QStringLiteral("o")},
                                    QStringLiteral("Folder to write the site to (default ./site)."), QStringLiteral("OUT"),
                                    QStringLiteral("site"));
    const QCommandLineOption sourceDir(QStringLiteral("source-dir"), QStringLiteral("The docs folder (default: DIR or .)."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption siteName(QStringLiteral("site-name"),
                                      QStringLiteral("site_name when there is no mkdocs.yml (default: Documentation Site)."),
                                      QStringLiteral("NAME"), QStringLiteral("Documentation Site"));
    const QCommandLineOption etag(QStringLiteral("etag"), QStringLiteral("Recorded in techdocs_metadata.json."), QStringLiteral("SHA"));
    const QCommandLineOption legacyReadme(QStringLiteral("legacyCopyReadmeMdToIndexMd"),
                                          QStringLiteral("Use a README.md as the home page when docs/index.md is missing."));
    const QCommandLineOption omitCore(QStringLiteral("omitTechdocsCoreMkdocsPlugin"),
                                      QStringLiteral("Do not add the techdocs-core plugin."));
    const QCommandLineOption allowKeys(QStringLiteral("dangerouslyAllowAdditionalKeys"),
                                       QStringLiteral("Keep this mkdocs.yml key too (e.g. INHERIT); repeatable."), QStringLiteral("KEY"));
    const QCommandLineOption quiet({QStringLiteral("quiet"), QStringLiteral("q")}, QStringLiteral("Print warnings only."));
    parser.addOptions({output, sourceDir, siteName, etag, legacyReadme, omitCore, allowKeys, quiet});
    parser.addPositionalArgument(QStringLiteral("dir"), QStringLiteral("the folder holding mkdocs.yml (default .)"), QStringLiteral("[DIR]"));
    if (auto done = parseCommandLine(parser, rest))
        return *done;
    QString root = parser.isSet(sourceDir) ? parser.value(sourceDir)
                   : parser.positionalArguments().isEmpty() ? QStringLiteral(".") : parser.positionalArguments().first();

    Docs::SiteBuildOptions options;
    options.mkdocs.defaultSiteName = parser.value(siteName);
    options.mkdocs.legacyCopyReadmeMdToIndexMd = parser.isSet(legacyReadme);
    options.mkdocs.omitTechdocsCorePlugin = parser.isSet(omitCore);
    options.mkdocs.additionalKeys = parser.values(allowKeys);
    options.etag = parser.value(etag);

    QElapsedTimer timer;
    timer.start();
    const Result<Docs::BuiltSite> built = Docs::buildSite(root, options);
    if (!built) {
        err << "ERROR - " << built.error().toString() << Qt::endl;
        return ExitInvalid;
    }
    for (const Docs::BuildMessage &message : built->messages)
        if (message.level == Docs::BuildMessage::Level::Warning || !parser.isSet(quiet))
            err << message.toString() << Qt::endl;
    const QString outputDir = QDir(parser.value(output)).absolutePath();
    const Status written = Docs::writeSite(*built, outputDir);
    if (!written) {
        err << "ERROR - " << written.error().toString() << Qt::endl;
        return ExitFailure;
    }
    if (!parser.isSet(quiet))
        out << "Built " << built->pages.size() << " pages (" << built->files.size() << " files) into " << outputDir << " in "
            << timer.elapsed() << " ms with " << built->warningCount() << " warnings" << Qt::endl;
    return ExitOk;
}

} // namespace Greenroom::Server
