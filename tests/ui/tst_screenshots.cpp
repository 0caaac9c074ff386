// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Screenshots of the desktop app over the demo organisation, taken on a real
// X server (xvfb-run) with the platform's own style and fonts, written into
// the build directory (screenshots/*.png) for people to look at. Each must
// be a real picture: the window's size, and more than a few colours.
#include <cachefixture.h>
#include <testconfig.h>

#include <mainwindow.h>
#include <widgets/accountwidget.h>
#include <widgets/syncstatuswidget.h>
#include <systemtheme.h>
#include <models/catalogcache.h>
#include <models/userpreferences.h>
#include <pages/catalogpage.h>
#include <pages/entitypage.h>
#include <widgets/relationgraphview.h>

#include <QApplication>
#include <QDir>
#include <QStyleFactory>
#include <QSet>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Ui;

class TestScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void catalogPage();
    void entityPage();
    void relationGraph();
    void apiDefinition();
    void signedOutAndSignedIn();
    void darkTheme();
    void cleanupTestCase();

private:
    void save(QWidget *widget, const QString &name);
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CatalogCache> m_cache;
    std::unique_ptr<UserPreferences> m_preferences;
    std::unique_ptr<MainWindow> m_window;
    QDir m_out{QStringLiteral(GREENROOM_BINARY_DIR "/screenshots")};
};

void TestScreenshots::initTestCase()
{
    QVERIFY2(qgetenv("QT_QPA_PLATFORM") != "offscreen", "run under xvfb-run with the xcb platform");
    const QString cachePath = m_dir.filePath(QStringLiteral("cache.sqlite"));
    const QString error = TestSupport::fillCacheFromCatalog(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"), cachePath);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_cache = CatalogCache::open(cachePath);
    m_preferences = std::make_unique<UserPreferences>(*m_settings, QStringLiteral("screenshots"));
    m_window = std::make_unique<MainWindow>(*m_cache, *m_preferences, *m_settings);
    m_window->resize(1400, 860);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_out.mkpath(QStringLiteral(".")));
}

void TestScreenshots::save(QWidget *widget, const QString &name)
{
    QTest::qWait(150);   // let layouts and highlighters settle
    const QImage image = widget->grab().toImage();
    QVERIFY(image.width() >= widget->width() && image.height() >= widget->height());
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() > 20, qPrintable(QStringLiteral("%1 has only %2 colours").arg(name).arg(colours.size())));
    const QString path = m_out.filePath(name);
    QVERIFY(image.save(path));
    qInfo("wrote %s", qPrintable(path));
}

void TestScreenshots::catalogPage()
{
    m_window->showPage(MainWindow::Page::Catalog);
    save(m_window.get(), QStringLiteral("catalog.png"));
}

void TestScreenshots::entityPage()
{
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    save(m_window.get(), QStringLiteral("entity.png"));
}

void TestScreenshots::relationGraph()
{
    m_window->openEntity(QStringLiteral("system:default/checkout"));
    m_window->entityPage()->tabs()->setCurrentIndex(1);
    QTest::qWait(100);
    m_window->entityPage()->graph()->fit();
    save(m_window.get(), QStringLiteral("graph.png"));
}

void TestScreenshots::apiDefinition()
{
    m_window->openEntity(QStringLiteral("api:default/checkout-api"));
    QTabWidget *tabs = m_window->entityPage()->tabs();
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->tabText(i) == QLatin1String("Definition"))
            tabs->setCurrentIndex(i);
    }
    save(m_window.get(), QStringLiteral("api-definition.png"));
}

void TestScreenshots::signedOutAndSignedIn()
{
    // The status bar says who you are on the server, or offers to sign in.
    m_window->showPage(MainWindow::Page::Catalog);
    AccountWidget *account = m_window->account();
    account->showSignedOut();
    QVERIFY(account->isVisible());
    QCOMPARE(account->buttonText(), QStringLiteral("Sign in…"));
    save(m_window.get(), QStringLiteral("signed-out.png"));
    account->showSignedIn(QStringLiteral("user:default/ines.moreau"), {QStringLiteral("user:default/ines.moreau"), QStringLiteral("group:default/team-platform")});
    QCOMPARE(account->text(), QStringLiteral("ines.moreau · team-platform"));
    QCOMPARE(account->buttonText(), QStringLiteral("Sign out"));
    save(m_window.get(), QStringLiteral("signed-in.png"));
    // The account sits in the status bar, left of the sync state.
    const QPoint at = account->mapTo(m_window.get(), QPoint(0, 0));
    QVERIFY(at.y() > m_window->height() - 60);
    QVERIFY(at.x() < m_window->syncStatus()->mapTo(m_window.get(), QPoint(0, 0)).x());
}

void TestScreenshots::darkTheme()
{
    // What the app applies when the desktop prefers dark (app/systemtheme.cpp).
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(App::SystemTheme::darkPalette());
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    save(m_window.get(), QStringLiteral("entity-dark.png"));
    m_window->showPage(MainWindow::Page::Catalog);
    save(m_window.get(), QStringLiteral("catalog-dark.png"));
    const QImage image = m_window->grab().toImage();
    QVERIFY(QColor(image.pixel(image.width() / 2, image.height() / 2)).lightness() < 128);
}

void TestScreenshots::cleanupTestCase()
{
    m_window.reset();
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
