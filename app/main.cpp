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

int main(int argc, char *argv[])
{
    // QtWebEngine's rules: custom schemes and GL sharing before the application exists.
    Greenroom::Ui::DocsUrl::registerScheme();
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("greenroom"));
    QApplication::setOrganizationName(QStringLiteral("Greenroom"));
    QApplication::setApplicationDisplayName(QStringLiteral("Greenroom"));
    QApplication::setApplicationVersion(QStringLiteral(GREENROOM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("greenroom"));

    using namespace Greenroom::App;
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
