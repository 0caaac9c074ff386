// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "commandline.h"

#include <QCommandLineParser>

namespace Greenroom::App {

bool CommandLine::asksOnlyForText(int argc, const char *const *argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "--")
            return false;
        if (argument == "-h" || argument == "--help" || argument == "-?" || argument == "--help-all" || argument == "-v"
            || argument == "--version")
            return true;
    }
    return false;
}

bool CommandLine::hasDisplay(int argc, const char *const *argv)
{
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
        if (!qEnvironmentVariableIsEmpty(name))
            return true;
    }
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "-platform") == 0 || qstrncmp(argv[i], "-platform=", 10) == 0)
            return true;
    }
    return false;
}

CommandLine CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Greenroom: the software catalog, docs and templates, from a local cache."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Sync from this server (remembered in the profile)."),
                                    QStringLiteral("URL"));
    const QCommandLineOption tokenFile(QStringLiteral("token-file"),
                                       QStringLiteral("Read the server's bearer token from this file (for this run only)."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption backstage(QStringLiteral("backstage"),
                                       QStringLiteral("The server is a Backstage backend: poll its catalog API."));
    const QCommandLineOption offline(QStringLiteral("offline"), QStringLiteral("Do not sync; browse the cache as it is."));
    const QCommandLineOption cache(QStringLiteral("cache"), QStringLiteral("Use this cache file."), QStringLiteral("PATH"));
    const QCommandLineOption profile(QStringLiteral("profile"), QStringLiteral("Use this server profile."), QStringLiteral("NAME"));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("The desktop's app-config (plugins' settings, app.extensions) instead of "
                                                   "~/.config/greenroom/app-config.yaml."),
                                    QStringLiteral("FILE"));
    parser.addOptions({server, tokenFile, backstage, offline, cache, profile, config});
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("greenroom://catalog/<namespace>/<kind>/<name> to open."),
                                 QStringLiteral("[url]"));
    parser.process(arguments);   // --help and --version print and exit here

    CommandLine line;
    if (parser.isSet(server)) {
        line.server = QUrl::fromUserInput(parser.value(server));
        if (!line.server.isValid() || (line.server.scheme() != QLatin1String("http") && line.server.scheme() != QLatin1String("https")))
            line.error = QStringLiteral("--server needs an http(s) URL, not '%1'").arg(parser.value(server));
    }
    line.tokenFile = parser.value(tokenFile);
    line.backstage = parser.isSet(backstage);
    line.offline = parser.isSet(offline);
    line.cachePath = parser.value(cache);
    line.configFile = parser.value(config);
    line.profile = parser.value(profile);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        line.error = QStringLiteral("expected at most one URL to open, got %1").arg(positional.size());
    else if (!positional.isEmpty())
        line.open = QUrl(positional.first());
    if (!line.open.isEmpty() && line.open.scheme() != QLatin1String("greenroom"))
        line.error = QStringLiteral("can only open greenroom:// URLs, not '%1'").arg(positional.first());
    return line;
}

} // namespace Greenroom::App
