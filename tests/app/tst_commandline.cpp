// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The real `greenroom` binary where there is no display (over SSH):
// --help and --version answer and exit 0 instead of aborting on the
// missing display.
#include <QProcess>
#include <QTest>

class TestCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textAnswersNeedNoDisplay_data();
    void textAnswersNeedNoDisplay();
    void noDisplayIsSaidNotCrashedOn();
};

void TestCommandLine::textAnswersNeedNoDisplay_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << QByteArray("--server <URL>");
    QTest::newRow("-h after options") << QStringList{QStringLiteral("--offline"), QStringLiteral("-h")} << QByteArray("--token-file <FILE>");
    QTest::newRow("--version") << QStringList{QStringLiteral("--version")} << QByteArray("greenroom " GREENROOM_VERSION);
}

void TestCommandLine::textAnswersNeedNoDisplay()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, expected);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // As over SSH: no X or Wayland display, and no platform chosen for Qt.
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    QProcess app;
    app.setProcessEnvironment(environment);
    app.start(QStringLiteral(GREENROOM_APP_BINARY), arguments);
    QVERIFY(app.waitForFinished(30000));
    const QByteArray output = app.readAllStandardOutput();
    const QByteArray errors = app.readAllStandardError();
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QVERIFY2(app.exitCode() == 0, errors.constData());
    QVERIFY2(output.contains(expected), output.constData());
    QVERIFY2(!errors.contains("display"), errors.constData());
}

void TestCommandLine::noDisplayIsSaidNotCrashedOn()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    const auto run = [&](const QStringList &arguments) {
        QProcess app;
        app.setProcessEnvironment(environment);
        app.start(QStringLiteral(GREENROOM_APP_BINARY), arguments);
        app.waitForFinished(30000);
        return std::pair(app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1, app.readAllStandardError());
    };
    // A mistake is named; a run that needs a window says why it cannot start.
    const auto [badCode, badErrors] = run({QStringLiteral("--server"), QStringLiteral("ftp://x")});
    QCOMPARE(badCode, 2);
    QVERIFY2(badErrors.contains("--server needs an http(s) URL"), badErrors.constData());
    const auto [code, errors] = run({QStringLiteral("--offline")});
    QCOMPARE(code, 1);
    QVERIFY2(errors.contains("no display to open a window on"), errors.constData());
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
