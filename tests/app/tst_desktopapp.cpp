// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The desktop app as `greenroom` runs it: command-line options, one instance
// per user handing URLs over, the .desktop file's greenroom:// registration,
// and the whole app against the real server over loopback — the demo
// organisation appears, and turning the server off leaves it browsable.
#include <fakegithub.h>
#include <goldenpath.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <commandline.h>
#include <desktopapp.h>
#include <singleinstance.h>

#include <mainwindow.h>
#include <models/entitytablemodel.h>
#include <pages/catalogpage.h>
#include <pages/createpage.h>
#include <pages/entitypage.h>
#include <widgets/templatewizard.h>
#include <widgets/syncstatuswidget.h>

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using Greenroom::App::CommandLine;

class TestDesktopApp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void commandLine();
    void secondLaunchHandsItsUrlOver();
    void desktopFileRegistersTheScheme();
    void syncsTheDemoAndStaysBrowsableOffline();
    void goldenPathShowsUpInTheCatalogWithinSeconds_data();
    void goldenPathShowsUpInTheCatalogWithinSeconds();

private:
    QTemporaryDir m_dir;
};

void TestDesktopApp::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);   // settings and data under ~/.qttest
    QCoreApplication::setOrganizationName(QStringLiteral("GreenroomTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_desktopapp"));
}

void TestDesktopApp::commandLine()
{
    const auto parse = [](QStringList args) { return CommandLine::parse(QStringList{QStringLiteral("greenroom")} + args); };
    CommandLine line = parse({QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:7007"), QStringLiteral("--token-file"),
                              QStringLiteral("/run/secrets/t"), QStringLiteral("--profile"), QStringLiteral("work"),
                              QStringLiteral("--cache"), QStringLiteral("/tmp/c.sqlite"), QStringLiteral("--offline")});
    QVERIFY2(line.error.isEmpty(), qPrintable(line.error));
    QCOMPARE(line.server, QUrl(QStringLiteral("http://127.0.0.1:7007")));
    QCOMPARE(line.tokenFile, QStringLiteral("/run/secrets/t"));
    QCOMPARE(line.profile, QStringLiteral("work"));
    QCOMPARE(line.cachePath, QStringLiteral("/tmp/c.sqlite"));
    QVERIFY(line.offline);
    QVERIFY(!line.backstage);

    line = parse({QStringLiteral("greenroom://catalog/default/component/basket-service")});
    QVERIFY(line.error.isEmpty());
    QCOMPARE(line.open.host(), QStringLiteral("catalog"));

    QVERIFY(parse({QStringLiteral("--server"), QStringLiteral("ftp://x")}).error.contains(QLatin1String("http(s)")));
    QVERIFY(parse({QStringLiteral("https://example.com/x")}).error.contains(QLatin1String("greenroom://")));
    QVERIFY(parse({QStringLiteral("greenroom://a"), QStringLiteral("greenroom://b")}).error.contains(QLatin1String("at most one")));
    QVERIFY(parse({QStringLiteral("--backstage"), QStringLiteral("--server"), QStringLiteral("https://backstage.example.com")}).backstage);
}

void TestDesktopApp::secondLaunchHandsItsUrlOver()
{
    const QString name = QStringLiteral("greenroom-test-%1").arg(QCoreApplication::applicationPid());
    App::SingleInstance nobody(name);
    QVERIFY(!nobody.handOver(QUrl(QStringLiteral("greenroom://catalog/default/component/x"))));   // no first instance

    App::SingleInstance first(name);
    QVERIFY(first.listen());
    QSignalSpy received(&first, &App::SingleInstance::urlReceived);
    // The second launch blocks while handing over; the first answers from its event loop.
    bool handed = false;
    QThread *launcher = QThread::create([&] {
        App::SingleInstance second(name);
        handed = second.handOver(QUrl(QStringLiteral("greenroom://catalog/default/component/basket-service")));
    });
    launcher->start();
    QTRY_VERIFY(launcher->isFinished());
    delete launcher;
    QVERIFY(handed);
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().first().toUrl(), QUrl(QStringLiteral("greenroom://catalog/default/component/basket-service")));
}

void TestDesktopApp::desktopFileRegistersTheScheme()
{
    QFile file(QStringLiteral(GREENROOM_SOURCE_DIR "/packaging/greenroom.desktop"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    QVERIFY(lines.contains(QStringLiteral("MimeType=x-scheme-handler/greenroom;")));
    QVERIFY(lines.contains(QStringLiteral("Exec=greenroom %u")));   // the URL reaches the command line
    QCOMPARE(lines.first(), QStringLiteral("[Desktop Entry]"));
}

void TestDesktopApp::syncsTheDemoAndStaysBrowsableOffline()
{
    // The server on the demo organisation, as `make run` starts it.
    TestSupport::writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
                           QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                                          "catalog:\n  rules: [{allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]}]\n"
                                          "  locations: [{type: file, target: %1}]\n")
                               .arg(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml")).toUtf8());
    TestSupport::ServerProcess server;
    QVERIFY2(server.start(m_dir.path(), {QStringLiteral("serve"), QStringLiteral("--config"), m_dir.filePath(QStringLiteral("app-config.yaml"))}),
             server.output().constData());
    TestSupport::writeFile(m_dir.filePath(QStringLiteral("token")), "\n");

    const CommandLine line = CommandLine::parse({QStringLiteral("greenroom"), QStringLiteral("--server"), server.base(),
                                                 QStringLiteral("--token-file"), m_dir.filePath(QStringLiteral("token")),
                                                 QStringLiteral("--cache"), m_dir.filePath(QStringLiteral("cache.sqlite")),
                                                 QStringLiteral("greenroom://catalog/default/component/basket-service")});
    QVERIFY(line.error.isEmpty());
    App::DesktopApp app(line);
    QString error;
    QVERIFY2(app.start(&error), qPrintable(error));
    Ui::MainWindow *window = app.window();
    QCOMPARE(window->currentEntity(), QStringLiteral("component:default/basket-service"));

    // The catalog arrives and the open page fills in.
    QTRY_VERIFY_WITH_TIMEOUT(window->syncStatus()->text().startsWith(QLatin1String("Synced at")), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(window->entityPage()->findChild<QLabel *>(QStringLiteral("entityTitle"))->text(),
                              QStringLiteral("Basket service"), 5000);
    window->showPage(Ui::MainWindow::Page::Catalog);
    Ui::EntityTableModel *model = window->catalogPage()->model();
    QTRY_VERIFY(model->totalCount() >= 20);
    const qint64 components = model->totalCount();

    // The server goes away: the app says so and keeps everything browsable.
    server.stop();
    QTRY_VERIFY_WITH_TIMEOUT(window->syncStatus()->text().startsWith(QLatin1String("Offline")), 15000);
    QCOMPARE(model->totalCount(), components);
    window->openEntity(QStringLiteral("api:default/checkout-api"));
    QCOMPARE(window->entityPage()->findChild<QLabel *>(QStringLiteral("entityTitle"))->text(), QStringLiteral("Checkout API"));
    window->close();
}

void TestDesktopApp::goldenPathShowsUpInTheCatalogWithinSeconds_data()
{
    QTest::addColumn<QString>("place");
    QTest::newRow("on the server") << QStringLiteral("server");
    QTest::newRow("on this computer") << QStringLiteral("local");
}

void TestDesktopApp::goldenPathShowsUpInTheCatalogWithinSeconds()
{
    // The "done when": from the app, the golden path creates a
    // repository (on a fake GitHub speaking its REST API and git over
    // loopback) and the new component shows up in the app's own catalog,
    // brought by its sync.
    QFETCH(QString, place);
    const QString name = QStringLiteral("orders-") + place;
    const QString root = m_dir.filePath(QStringLiteral("golden-") + place);
    TestSupport::FakeGitHub github(root + QStringLiteral("/github"), QStringLiteral("ghp_golden"));
    github.setWebHost(QStringLiteral("github.com"));
    TestSupport::writeFile(root + QStringLiteral("/app-config.yaml"),
                           QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                                          "catalog:\n  rules: [{allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]}]\n"
                                          "  locations: [{type: file, target: %1}]\n"
                                          "integrations:\n  github: [{host: github.com, apiBaseUrl: '%2', token: ghp_golden}]\n")
                               .arg(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"), github.apiBaseUrl())
                               .toUtf8());
    TestSupport::ServerProcess server;
    QVERIFY2(server.start(root, {QStringLiteral("serve"), QStringLiteral("--config"), root + QStringLiteral("/app-config.yaml")}), server.output().constData());
    TestSupport::writeFile(root + QStringLiteral("/token"), "\n");
    const CommandLine line = CommandLine::parse({QStringLiteral("greenroom"), QStringLiteral("--server"), server.base(),
                                                 QStringLiteral("--token-file"), root + QStringLiteral("/token"),
                                                 QStringLiteral("--cache"), root + QStringLiteral("/cache.sqlite"),
                                                 QStringLiteral("greenroom://create/templates/default/spring-boot-microservice")});
    App::DesktopApp app(line);
    QString error;
    QVERIFY2(app.start(&error), qPrintable(error));
    Ui::MainWindow *window = app.window();
    // The link waits for the first sync to bring the template.
    QTRY_VERIFY_WITH_TIMEOUT(window->createPage()->wizard(), 30000);
    Ui::TemplateWizard *wizard = window->createPage()->wizard();
    QCOMPARE(wizard->templateRef(), QStringLiteral("template:default/spring-boot-microservice"));
    TestSupport::answerGoldenPath(wizard, name, QStringLiteral("ghp_golden"));
    QVERIFY(wizard->isReviewing());
    wizard->runPlace()->setCurrentIndex(wizard->runPlace()->findData(place));

    QSignalSpy finished(wizard, &Ui::TemplateWizard::finished);
    QElapsedTimer sinceCreate;
    sinceCreate.start();
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().first().toString() == QLatin1String("completed"), qPrintable(wizard->log()->toPlainText() + server.output()));
    const qint64 taskTime = sinceCreate.elapsed();
    QVERIFY(github.repository(QStringLiteral("acme/") + name));

    // "Open in catalog": the entity page fills in once the sync has brought the component.
    QPushButton *open = wizard->outputButtons().value(1);
    QVERIFY(open && open->text() == QLatin1String("Open in catalog"));
    QTest::mouseClick(open, Qt::LeftButton);
    QCOMPARE(window->currentEntity(), QStringLiteral("component:default/") + name);
    QTRY_COMPARE_WITH_TIMEOUT(window->entityPage()->findChild<QLabel *>(QStringLiteral("entityTitle"))->text(), name, 10000);
    qInfo().noquote() << QStringLiteral("%1: the task took %2 ms from Create; the new component was in the app's catalog %3 ms after Create")
                             .arg(place).arg(taskTime).arg(sinceCreate.elapsed());
    window->close();
}

QTEST_MAIN(TestDesktopApp)
#include "tst_desktopapp.moc"
