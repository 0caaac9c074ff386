// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// What make run shows, on a real X server: greenroom-demo-services and a
// greenroom-server on the embedded demo config (its ports moved aside), the
// desktop window with the built plugins and the demo's desktop config, and
// the five plugins on the demo's payment-gateway, each asserted and written
// to screenshots/ for people to look at.
#include <cachefixture.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <config/configloader.h>
#include <mainwindow.h>
#include <models/catalogcache.h>
#include <models/userpreferences.h>
#include <pages/entitypage.h>
#include <plugins/desktopplugins.h>

#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QProcess>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Greenroom;
using namespace Greenroom::Ui;

class TestPluginScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void overviewCards();
    void githubActionsTab();
    void kubernetesTab();
    void cleanupTestCase();

private:
    QString demoFile(const QString &path);   // a demo config with the services' port moved
    void save(const QString &name);

    QTemporaryDir m_dir;
    QProcess m_services;
    quint16 m_port = 0;
    TestSupport::ServerProcess m_server;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CatalogCache> m_cache;
    std::unique_ptr<UserPreferences> m_preferences;
    std::unique_ptr<MainWindow> m_window;
};

QString TestPluginScreenshots::demoFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = file.readAll();
    text.replace("127.0.0.1:7010", QByteArray("127.0.0.1:") + QByteArray::number(m_port));
    text.replace("port: 7007", "port: 0");
    const QString copy = m_dir.filePath(QFileInfo(path).fileName());
    TestSupport::writeFile(copy, text);
    return copy;
}

void TestPluginScreenshots::initTestCase()
{
    QVERIFY2(qgetenv("QT_QPA_PLATFORM") != "offscreen", "run under xvfb-run with the xcb platform");
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    m_port = probe.serverPort();
    probe.close();
    m_services.setProcessChannelMode(QProcess::MergedChannels);
    m_services.start(QStringLiteral(GREENROOM_DEMO_SERVICES_BINARY), {QStringLiteral("--port"), QString::number(m_port)});
    QVERIFY(m_services.waitForReadyRead(10000));
    QVERIFY2(m_services.readAll().contains("DEMO DATA"), "greenroom-demo-services did not start");

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GREENROOM_PLUGIN_PATH"), QStringLiteral(GREENROOM_BINARY_DIR "/plugins"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
    const QString serverConfig = demoFile(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/config/app-config.default.yaml"));
    QVERIFY(!serverConfig.isEmpty());
    QVERIFY2(m_server.start(m_dir.path(), {QStringLiteral("serve"), QStringLiteral("--config"), serverConfig}, env), m_server.output().constData());
    for (const char *plugin : {"sonarqube", "argocd", "pagerduty", "kubernetes"})
        QVERIFY2(m_server.output().contains(QByteArray("plugin: ") + plugin), m_server.output().constData());

    const QString cachePath = m_dir.filePath(QStringLiteral("cache.sqlite"));
    const QString error = TestSupport::fillCacheFromCatalog(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"), cachePath);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_cache = CatalogCache::open(cachePath);
    m_preferences = std::make_unique<UserPreferences>(*m_settings, QStringLiteral("plugins"));
    m_window = std::make_unique<MainWindow>(*m_cache, *m_preferences, *m_settings);
    auto desktopConfig = Config::ConfigLoader::readFile(demoFile(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/desktop-config.yaml")), {});
    QVERIFY(desktopConfig && desktopConfig.value());
    m_window->pluginServices().config = desktopConfig.value()->data;
    m_window->pluginServices().server = QUrl(m_server.base());
    const QList<PluginStatus> statuses = DesktopPlugins::load({{QStringLiteral(GREENROOM_BINARY_DIR "/plugins"), QStringLiteral("installed")}}, {},
                                                               m_window->entityLayout());
    int loaded = 0;
    for (const PluginStatus &status : statuses)
        loaded += status.state == PluginStatus::State::Loaded ? 1 : 0;
    QCOMPARE(loaded, 5);
    m_window->resize(1500, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->openEntity(QStringLiteral("component:default/payment-gateway"));
}

void TestPluginScreenshots::save(const QString &name)
{
    QTest::qWait(200);
    const QDir out(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
    QVERIFY(out.mkpath(QStringLiteral(".")));
    QVERIFY(m_window->grab().save(out.filePath(name)));
    qInfo("wrote %s", qPrintable(out.filePath(name)));
}

void TestPluginScreenshots::overviewCards()
{
    EntityPage *page = m_window->entityPage();
    // SonarQube, Argo CD and PagerDuty cards, each with the demo's made-up data.
    QTRY_COMPARE_WITH_TIMEOUT(page->findChild<QLabel *>(QStringLiteral("sonarqubeGate"))->text(), QStringLiteral("Quality gate: failed"), 15000);
    auto *argo = page->findChild<QTableWidget *>(QStringLiteral("argocdApplications"));
    QTRY_COMPARE_WITH_TIMEOUT(argo->rowCount(), 1, 15000);
    QCOMPARE(argo->item(0, 2)->text(), QStringLiteral("OutOfSync"));
    QCOMPARE(argo->item(0, 3)->text(), QStringLiteral("Degraded"));
    QTRY_VERIFY_WITH_TIMEOUT(page->findChild<QLabel *>(QStringLiteral("pagerdutyOnCall"))->text().startsWith(QLatin1String("On call now: ")), 15000);
    auto *incidents = page->findChild<QTableWidget *>(QStringLiteral("pagerdutyIncidents"));
    QCOMPARE(incidents->rowCount(), 1);
    QCOMPARE(incidents->item(0, 0)->text(), QStringLiteral("Payment authorisations timing out"));
    QTRY_COMPARE_WITH_TIMEOUT(page->findChild<QTableWidget *>(QStringLiteral("githubActionsRuns"))->rowCount(), 5, 15000);   // the card: five latest
    save(QStringLiteral("plugins-overview.png"));
}

void TestPluginScreenshots::githubActionsTab()
{
    EntityPage *page = m_window->entityPage();
    page->tabs()->setCurrentIndex(page->tabOf(QStringLiteral("entity-content:github-actions/github-actions")));
    QTableWidget *runs = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((runs = page->tabs()->currentWidget()->findChild<QTableWidget *>(QStringLiteral("githubActionsRuns"))) && runs->rowCount() == 6, 15000);
    QCOMPARE(runs->columnCount(), 7);
    runs->selectRow(1);
    QTRY_VERIFY_WITH_TIMEOUT(page->tabs()->currentWidget()->findChild<QTreeWidget *>(QStringLiteral("githubActionsJobs"))->topLevelItemCount() == 1, 15000);
    save(QStringLiteral("plugin-github-actions.png"));
}

void TestPluginScreenshots::kubernetesTab()
{
    EntityPage *page = m_window->entityPage();
    page->tabs()->setCurrentIndex(page->tabOf(QStringLiteral("entity-content:kubernetes/kubernetes")));
    QTreeWidget *tree = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((tree = page->tabs()->currentWidget()->findChild<QTreeWidget *>(QStringLiteral("kubernetesTree"))) && tree->topLevelItemCount() == 1, 15000);
    QTreeWidgetItem *deployment = tree->topLevelItem(0)->child(0);
    QCOMPARE(deployment->text(0), QStringLiteral("Deployment payment-gateway"));
    QStringList problems;
    for (int i = 0; i < deployment->childCount(); ++i)
        problems << deployment->child(i)->text(5);
    QVERIFY2(problems.join(QLatin1Char('|')).contains(QLatin1String("crash looping")), qPrintable(problems.join(QLatin1Char('|'))));
    save(QStringLiteral("plugin-kubernetes.png"));
}

void TestPluginScreenshots::cleanupTestCase()
{
    m_window.reset();
    m_server.stop();
    m_services.terminate();
    m_services.waitForFinished(5000);
}

QTEST_MAIN(TestPluginScreenshots)
#include "tst_pluginscreenshots.moc"
