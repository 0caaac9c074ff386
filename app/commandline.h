// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace Greenroom::App {

// What `greenroom` was started with.
struct CommandLine
{
    QUrl server;          // --server URL: use (and remember) this server
    QString tokenFile;    // --token-file F: its token, for this run (not stored)
    bool backstage = false;   // --backstage: the server is a Backstage backend
    bool offline = false; // --offline: do not sync, browse the cache
    QString cachePath;    // --cache PATH: this cache file instead of the profile's
    QString profile;      // --profile NAME
    QString configFile;   // --config FILE: the desktop's app-config, instead of ~/.config/greenroom/app-config.yaml
    QUrl open;            // greenroom://catalog/<namespace>/<kind>/<name>
    QString error;        // why the arguments cannot be used; empty when fine

    // Parses the application's arguments (QCoreApplication::arguments()).
    // --help and --version print and exit here.
    static CommandLine parse(const QStringList &arguments);
    // Whether the arguments ask for --help or --version, which need no display.
    static bool asksOnlyForText(int argc, const char *const *argv);
    // Whether a window can be opened: a display, or a Qt platform chosen (QT_QPA_PLATFORM, -platform).
    static bool hasDisplay(int argc, const char *const *argv);
};

} // namespace Greenroom::App
