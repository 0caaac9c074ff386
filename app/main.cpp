// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "commandline.h"
#include "desktopapp.h"
#include "singleinstance.h"
#include "systemtheme.h"

#include <widgets/docsweb.h>

#include <QApplication>
#include <QMessageBox>

#include <cstdio>

namespace {

void nameApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("greenroom"));
    QCoreApplication::setOrganizationName(QStringLiteral("Greenroom"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GREENROOM_VERSION));
}

} // namespace

int main(int argc, char *argv[])
{
    using namespace Greenroom::App;
    // --help and --version are asked over SSH too: they are answered before
    // anything connects to a display, and so are mistakes where there is none.
    if (CommandLine::asksOnlyForText(argc, argv) || !CommandLine::hasDisplay(argc, argv)) {
        QCoreApplication text(argc, argv);
        nameApplication();
        const CommandLine line = CommandLine::parse(QCoreApplication::arguments());   // --help, --version: print and exit
        if (!line.error.isEmpty()) {
            std::fprintf(stderr, "greenroom: %s\n", qPrintable(line.error));
            return 2;
        }
        std::fprintf(stderr, "greenroom: no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)\n");
        return 1;
    }
    // QtWebEngine's rules: custom schemes and GL sharing before the application exists.
    Greenroom::Ui::DocsUrl::registerScheme();
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    nameApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Greenroom"));
    QApplication::setDesktopFileName(QStringLiteral("greenroom"));

    const CommandLine line = CommandLine::parse(QApplication::arguments());
    if (!line.error.isEmpty()) {
        std::fprintf(stderr, "greenroom: %s\n", qPrintable(line.error));
        return 2;
    }

    SystemTheme theme;   // light or dark as the desktop prefers, following changes
    theme.follow();

    SingleInstance instance(QStringLiteral("greenroom-%1").arg(qEnvironmentVariable("USER", QStringLiteral("user"))));
    if (line.cachePath.isEmpty() && instance.handOver(line.open))
        return 0;
    DesktopApp desktop(line);
    QObject::connect(&instance, &SingleInstance::urlReceived, &desktop, &DesktopApp::openUrl);
    if (line.cachePath.isEmpty())
        instance.listen();
    QString error;
    if (!desktop.start(&error)) {
        std::fprintf(stderr, "greenroom: %s\n", qPrintable(error));
        QMessageBox::critical(nullptr, QStringLiteral("Greenroom"), error);
        return 1;
    }
    return QApplication::exec();
}
