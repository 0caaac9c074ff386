// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The entity page made of registered tabs and cards: the built-ins' default
// order, fixture plugins loaded (and the broken ones skipped) into it, a tab
// only where its filter matches, made when first shown, cards framed on the
// Overview, the layout changed by app.extensions, Settings listing the
// plugins and switching one off, and a plugin's data kept in the cache.
#include <demowindowfixture.h>
#include <testconfig.h>

#include <mainwindow.h>
#include <models/catalogcache.h>
#include <models/userpreferences.h>
#include <pages/entitypage.h>
#include <pages/settingspage.h>
#include <plugins/desktopplugins.h>
#include <plugins/entitylayout.h>
#include <plugins/pluginentityview.h>
#include <widgets/docsreader.h>

#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QNetworkRequest>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Greenroom;
using namespace Greenroom::Ui;

class TestEntityLayout : public QObject, TestSupport::DemoWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void builtInTabsInBackstagesOrder();
    void pluginsAreLoadedOrSkipped();
    void pluginTabsFollowTheirFilterAndAreMadeWhenShown();
    void pluginCardsAreFramedOnTheOverview();
    void appExtensionsReorderHideAndOverride();
    void settingsListsPluginsAndSwitchesThemOff();
    void pluginPagesJoinTheSidebar();
    void pluginDataIsKeptInTheCache();
    void serverTokenGoesOnlyToTheServer();
    void builtPluginsWorkInAWindowOfTheirOwn();

private:
    QStringList visibleTabs();
    QList<PluginStatus> loadFixtures(const QSet<QString> &disabled = {});
};

void TestEntityLayout::initTestCase()
{
    const QString error = fillDemoCache();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestEntityLayout::init()
{
    QVERIFY(openWindow());
    QVERIFY(mirrorEntity(QStringLiteral("Component"), QStringLiteral("piped"), {{QStringLiteral("fixture.dev/pipeline"), QStringLiteral("main")}}));
}

void TestEntityLayout::cleanup()
{
    closeWindow();
}

QStringList TestEntityLayout::visibleTabs()
{
    QTabWidget *tabs = m_window->entityPage()->tabs();
    QStringList titles;
    for (int i = 0; i < tabs->count(); ++i)
        titles << tabs->tabText(i);
    return titles;
}

QList<PluginStatus> TestEntityLayout::loadFixtures(const QSet<QString> &disabled)
{
    return DesktopPlugins::load({{QStringLiteral(GREENROOM_FIXTURE_PLUGIN_DIR), QStringLiteral("GREENROOM_PLUGIN_PATH")}}, disabled,
                                m_window->entityLayout());
}

void TestEntityLayout::builtInTabsInBackstagesOrder()
{
    // First an entity without docs: the reader, in no tab yet, stays out of sight (not drawn over the page).
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    QVERIFY(m_window->entityPage()->isVisible());
    QVERIFY(!m_window->entityPage()->docsReader()->isVisible());
    QVERIFY(!m_window->entityPage()->findChild<QWidget *>(QStringLiteral("definition"))->isVisible());
    m_window->openEntity(QStringLiteral("component:default/checkout-service"));
    QCOMPARE(visibleTabs(), (QStringList{QStringLiteral("Overview"), QStringLiteral("Relations"), QStringLiteral("Docs"),
                                         QStringLiteral("YAML"), QStringLiteral("Problems")}));
    m_window->openEntity(QStringLiteral("api:default/checkout-api"));
    QCOMPARE(visibleTabs(), (QStringList{QStringLiteral("Overview"), QStringLiteral("Relations"), QStringLiteral("Definition"),
                                         QStringLiteral("YAML"), QStringLiteral("Problems")}));

    QCOMPARE(m_window->entityPage()->tabOf(QStringLiteral("entity-content:api-docs/definition")), 2);
    // The Overview's cards are registered ones too: About and the relation lists.
    QVERIFY(m_window->entityPage()->findChild<QWidget *>(QStringLiteral("aboutCard")));
    QVERIFY(m_window->entityPage()->findChild<QWidget *>(QStringLiteral("relationCards")));
}

void TestEntityLayout::pluginsAreLoadedOrSkipped()
{
    const QList<PluginStatus> statuses = loadFixtures();
    QHash<QString, PluginStatus> byFile;
    for (const PluginStatus &status : statuses)
        byFile.insert(QFileInfo(status.file).fileName(), status);
    QCOMPARE(byFile.size(), 4);
    const PluginStatus good = byFile.value(QStringLiteral("libfixture_good.so"));
    QCOMPARE(good.state, PluginStatus::State::Loaded);
    QCOMPARE(good.id, QStringLiteral("fixture"));
    QCOMPARE(good.version, QStringLiteral("1.2.3"));
    // The card its manifest does not list is refused, and said so.
    QCOMPARE(good.message, QStringLiteral("Plugin fixture: entity-card:fixture/undeclared is not listed in the manifest's contributes.entityCards; left out"));
    for (const char *file : {"libfixture_wrongapi.so", "libfixture_badmanifest.so", "libfixture_missingsymbol.so"}) {
        QCOMPARE(byFile.value(QLatin1String(file)).state, PluginStatus::State::Skipped);
        QVERIFY2(byFile.value(QLatin1String(file)).message.contains(QLatin1String(file)), file);
    }
    QVERIFY(m_window->entityLayout().content(QStringLiteral("entity-content:fixture/pipelines")));
    // The app goes on: an entity page opens.
    m_window->openEntity(QStringLiteral("component:default/piped"));
    QVERIFY(visibleTabs().contains(QStringLiteral("Pipelines")));
}

void TestEntityLayout::pluginTabsFollowTheirFilterAndAreMadeWhenShown()
{
    loadFixtures();
    EntityPage *page = m_window->entityPage();
    m_window->openEntity(QStringLiteral("component:default/piped"));
    // A plugin's tab sits after the built-ins Backstage shows first, before YAML and Problems.
    QCOMPARE(visibleTabs(), (QStringList{QStringLiteral("Overview"), QStringLiteral("Relations"), QStringLiteral("Pipelines"),
                                         QStringLiteral("YAML"), QStringLiteral("Problems")}));
    QVERIFY(!page->findChild<QLabel *>(QStringLiteral("fixturePipelines")));   // not made until shown
    page->tabs()->setCurrentIndex(page->tabOf(QStringLiteral("entity-content:fixture/pipelines")));
    auto *made = page->findChild<QLabel *>(QStringLiteral("fixturePipelines"));
    QVERIFY(made);
    QCOMPARE(made->text(), QStringLiteral("Pipeline of component:default/piped"));
    // Another entity without the annotation: no tab, and the widget went with its entity.
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    QVERIFY(!visibleTabs().contains(QStringLiteral("Pipelines")));
    QVERIFY(!page->findChild<QLabel *>(QStringLiteral("fixturePipelines")));
    // Back: made again, for this entity, on the tab it was on.
    m_window->openEntity(QStringLiteral("component:default/piped"));
    page->tabs()->setCurrentIndex(page->tabOf(QStringLiteral("entity-content:fixture/pipelines")));
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("fixturePipelines")));
}

void TestEntityLayout::pluginCardsAreFramedOnTheOverview()
{
    loadFixtures();
    EntityPage *page = m_window->entityPage();
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    auto *card = page->findChild<QGroupBox *>(QStringLiteral("card-entity-card:fixture/status"));
    QVERIFY(card);
    QCOMPARE(card->title(), QStringLiteral("Fixture status"));
    QCOMPARE(card->findChild<QLabel *>(QStringLiteral("fixtureStatus"))->text(), QStringLiteral("Status of component:default/basket-service"));
    // Its filter says components only.
    m_window->openEntity(QStringLiteral("api:default/checkout-api"));
    QVERIFY(!page->findChild<QGroupBox *>(QStringLiteral("card-entity-card:fixture/status")));
}

void TestEntityLayout::appExtensionsReorderHideAndOverride()
{
    loadFixtures();
    const QJsonArray extensions = QJsonDocument::fromJson(R"([
        "entity-content:catalog/yaml",
        {"entity-content:fixture/pipelines": {"config": {"title": "CI", "filter": {"kind": "api"}}}},
        {"entity-card:catalog/relations": false},
        {"entity-content:catalog-graph/relations": {"disabled": true}},
        {"entity-content:nobody/nothing": true},
        {"entity-card:fixture/status": {"config": {"filter": {"$nope": 1}}}},
        42
    ])").array();
    const QStringList problems = m_window->entityLayout().configure(extensions);
    QCOMPARE(problems, (QStringList{
                           QStringLiteral("app.extensions[4]: there is no extension entity-content:nobody/nothing"),
                           QStringLiteral("app.extensions[5]: entity-card:fixture/status's filter: Invalid filter predicate at '$nope': unknown operator"),
                           QStringLiteral("app.extensions[6]: expected an extension id, or one id with its settings")}));
    EntityPage *page = m_window->entityPage();
    m_window->openEntity(QStringLiteral("component:default/piped"));
    // YAML first as listed; the graph hidden; the fixture's tab only on APIs now.
    QCOMPARE(visibleTabs(), (QStringList{QStringLiteral("YAML"), QStringLiteral("Overview"), QStringLiteral("Problems")}));
    QVERIFY(!page->findChild<QWidget *>(QStringLiteral("relationCards")));
    m_window->openEntity(QStringLiteral("api:default/checkout-api"));
    QCOMPARE(visibleTabs(), (QStringList{QStringLiteral("YAML"), QStringLiteral("CI"), QStringLiteral("Overview"), QStringLiteral("Definition"),
                                         QStringLiteral("Problems")}));
}

void TestEntityLayout::settingsListsPluginsAndSwitchesThemOff()
{
    m_window->installPlugins(loadFixtures({QStringLiteral("fixture")}));
    QTreeWidget *list = m_window->settingsPage()->pluginList();
    QCOMPARE(list->topLevelItemCount(), 4);
    QTreeWidgetItem *fixture = nullptr;
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        if (list->topLevelItem(i)->text(0) == QLatin1String("Fixture (fixture)"))
            fixture = list->topLevelItem(i);
    }
    QVERIFY(fixture);
    QCOMPARE(fixture->text(1), QStringLiteral("1.2.3"));
    QCOMPARE(fixture->text(2), QStringLiteral("GREENROOM_PLUGIN_PATH"));
    QCOMPARE(fixture->text(3), QStringLiteral("Disabled"));
    QCOMPARE(fixture->checkState(0), Qt::Unchecked);
    QVERIFY(!m_window->entityLayout().content(QStringLiteral("entity-content:fixture/pipelines")));   // not loaded
    fixture->setCheckState(0, Qt::Checked);
    QVERIFY(m_preferences->disabledPlugins().isEmpty());
    fixture->setCheckState(0, Qt::Unchecked);
    QCOMPARE(m_preferences->disabledPlugins(), QStringList{QStringLiteral("fixture")});
    // Skipped ones say why, and cannot be switched on.
    int skipped = 0;
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = list->topLevelItem(i);
        if (item->text(3) == QLatin1String("Skipped")) {
            ++skipped;
            QVERIFY(!item->toolTip(3).isEmpty());
            QVERIFY(item->data(0, Qt::CheckStateRole).isNull());
        }
    }
    QCOMPARE(skipped, 3);
}

void TestEntityLayout::pluginPagesJoinTheSidebar()
{
    const int before = m_window->sidebar()->count();
    m_window->installPlugins(loadFixtures());
    QCOMPARE(m_window->sidebar()->count(), before + 1);
    QCOMPARE(m_window->sidebar()->item(before)->text(), QStringLiteral("Fixture board"));
    m_window->sidebar()->setCurrentRow(before);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Plugin);
    auto *board = m_window->findChild<QLabel *>(QStringLiteral("fixtureBoard"));
    QVERIFY(board && board->isVisible());
    m_window->goBack();
    QVERIFY(m_window->currentPage() != MainWindow::Page::Plugin);
    QVERIFY(m_window->openPluginPage(QStringLiteral("page:fixture/board")));
    QVERIFY(board->isVisible());
    QVERIFY(!m_window->openPluginPage(QStringLiteral("page:fixture/nope")));
}

void TestEntityLayout::pluginDataIsKeptInTheCache()
{
    PluginServices services;
    services.config = QJsonDocument::fromJson(R"({"githubActions": {"apiBaseUrl": "http://127.0.0.1:1/api"}})").object();
    const QString ref = QStringLiteral("component:default/piped");
    PluginEntityView view(*m_cache, services, QStringLiteral("fixture"), m_cache->entity(ref), ref, {});
    QVERIFY(!view.cachedData(QStringLiteral("runs")));
    view.storeData(QStringLiteral("runs"), QJsonArray{1, 2});
    view.storeData(QStringLiteral("note"), QStringLiteral("plain text"));
    const auto runs = view.cachedData(QStringLiteral("runs"));
    QVERIFY(runs);
    QCOMPARE(runs->value, QJsonValue(QJsonArray{1, 2}));
    QVERIFY(runs->storedAt.secsTo(QDateTime::currentDateTime()) < 60);
    QCOMPARE(view.cachedData(QStringLiteral("note"))->value, QJsonValue(QStringLiteral("plain text")));
    // Another plugin does not see it.
    PluginEntityView other(*m_cache, services, QStringLiteral("other"), m_cache->entity(ref), ref, {});
    QVERIFY(!other.cachedData(QStringLiteral("runs")));
    QCOMPARE(view.config(QStringLiteral("githubActions.apiBaseUrl")), QJsonValue(QStringLiteral("http://127.0.0.1:1/api")));
    QVERIFY(view.config(QStringLiteral("githubActions.nope")).isUndefined());
}

void TestEntityLayout::serverTokenGoesOnlyToTheServer()
{
    PluginServices services;
    services.server = QUrl(QStringLiteral("http://127.0.0.1:7007"));
    services.serverToken = QStringLiteral("server-token");
    const QString ref = QStringLiteral("component:default/piped");
    PluginEntityView view(*m_cache, services, QStringLiteral("fixture"), m_cache->entity(ref), ref, {});
    const auto authorization = [&](const QString &url) {
        QNetworkRequest request{QUrl(url)};
        view.authorize(request);
        return request.rawHeader("Authorization");
    };
    QCOMPARE(authorization(QStringLiteral("http://127.0.0.1:7007/api/fixture/x")), QByteArray("Bearer server-token"));
    QVERIFY(authorization(QStringLiteral("http://127.0.0.1:7008/api/fixture/x")).isEmpty());
    QVERIFY(authorization(QStringLiteral("http://evil.example/api/fixture/x")).isEmpty());
    QVERIFY(authorization(QStringLiteral("https://127.0.0.1:7007/api/fixture/x")).isEmpty());
}

void TestEntityLayout::builtPluginsWorkInAWindowOfTheirOwn()
{
    // The real plugins in a window nobody set services on (as bench_desktop
    // makes one): the window lends its own network, and the cards ask with it.
    const QList<PluginStatus> statuses = DesktopPlugins::load({{QStringLiteral(GREENROOM_BINARY_DIR "/plugins"), QStringLiteral("installed")}}, {},
                                                               m_window->entityLayout());
    QVERIFY(std::any_of(statuses.cbegin(), statuses.cend(), [](const PluginStatus &s) { return s.id == QLatin1String("github-actions"); }));
    QVERIFY(m_window->pluginServices().network);
    m_window->pluginServices().config = QJsonDocument::fromJson(
        R"({"integrations": {"github": [{"host": "github.com", "apiBaseUrl": "http://127.0.0.1:9/api/v3"}]}})").object();
    m_window->openEntity(QStringLiteral("component:default/basket-service"));   // github.com/project-slug: northwind/basket-service
    QVERIFY(visibleTabs().contains(QStringLiteral("GitHub Actions")));
    auto *status = m_window->entityPage()->findChild<QLabel *>(QStringLiteral("githubActionsStatus"));
    QVERIFY(status);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Cannot reach GitHub at http://127.0.0.1:9/api/v3")), 10000);
}

QTEST_MAIN(TestEntityLayout)
#include "tst_entitylayout.moc"
