// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The desktop window over the demo organisation's cache, driven as a person
// would (offscreen): the sidebar and history, the catalog's filters and
// keyboard, the entity page's tabs and relation lists, the graph, stars on
// Home, the Ctrl+K palette, greenroom:// URLs and restored state.
#include <demowindowfixture.h>
#include <testconfig.h>

#include <mainwindow.h>
#include <pages/createpage.h>
#include <widgets/templatewizard.h>
#include <dialogs/searchpalette.h>
#include <models/catalogcache.h>
#include <models/entitytablemodel.h>
#include <models/userpreferences.h>
#include <pages/catalogpage.h>
#include <pages/entitypage.h>
#include <pages/homepage.h>
#include <widgets/relationgraphview.h>
#include <widgets/syncstatuswidget.h>

#include <QCheckBox>
#include <QPushButton>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QTabWidget>
#include <QTextBlock>
#include <QTextLayout>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Greenroom;
using namespace Greenroom::Ui;
using Page = MainWindow::Page;

class TestMainWindow : public QObject, TestSupport::DemoWindowFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void sidebarAndHistory();
    void catalogFiltersAndKeyboard();
    void entityPageTabsAndRelations();
    void graphShowsNeighboursAndNavigates();
    void starredAndRecentOnHome();
    void searchPaletteKeyboardFlow();
    void greenroomUrlsOpenEntities();
    void syncStatusInTheStatusBar();
    void stateIsRestored();
    void problemsTabShowsProcessingErrors();
    void aboutCardLinksToSourceAndEdit();
    void keyboardReachesEveryPage();
};

void TestMainWindow::initTestCase()
{
    const QString error = fillDemoCache();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestMainWindow::init()
{
    QVERIFY(openWindow());
}

void TestMainWindow::cleanup()
{
    closeWindow();
}

void TestMainWindow::sidebarAndHistory()
{
    QCOMPARE(m_window->currentPage(), Page::Home);
    m_window->sidebar()->setCurrentRow(1);
    QCOMPARE(m_window->currentPage(), Page::Catalog);
    m_window->sidebar()->setCurrentRow(2);
    QCOMPARE(m_window->currentPage(), Page::Apis);
    m_window->openEntity(QStringLiteral("api:default/checkout-api"));
    QCOMPARE(m_window->currentPage(), Page::Entity);
    QCOMPARE(m_window->sidebar()->currentRow(), 2);   // an API belongs under APIs

    QTest::keyClick(m_window.get(), Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(m_window->currentPage(), Page::Apis);
    QTest::keyClick(m_window.get(), Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(m_window->currentPage(), Page::Catalog);
    QTest::keyClick(m_window.get(), Qt::Key_Right, Qt::AltModifier);
    QTest::keyClick(m_window.get(), Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(m_window->currentPage(), Page::Entity);
    QCOMPARE(m_window->currentEntity(), QStringLiteral("api:default/checkout-api"));
    QVERIFY(!m_window->canGoForward());
    // Shortcuts reach every page.
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(m_window->currentPage(), Page::Home);
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(m_window->currentPage(), Page::Catalog);
}

void TestMainWindow::catalogFiltersAndKeyboard()
{
    m_window->showPage(Page::Catalog);
    CatalogPage *catalog = m_window->catalogPage();
    EntityTableModel *model = catalog->model();
    QCOMPARE(catalog->kindBox()->currentText(), QStringLiteral("Component"));
    const qint64 components = model->totalCount();
    QVERIFY(components >= 10);
    QCOMPARE(model->rowCount(), int(components));
    QCOMPARE(catalog->findChild<QLabel *>(QStringLiteral("pageTitle"))->text(),
             QStringLiteral("All components (%1)").arg(components));
    // Sorted by name, as Backstage's table starts.
    QStringList names;
    for (int row = 0; row < model->rowCount(); ++row)
        names.append(model->refAt(row));
    QStringList sorted = names;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(names, sorted);

    // Owner facet: only team-checkout's components remain.
    QComboBox *owner = catalog->facetBox(QStringLiteral("owner"));
    QTRY_VERIFY(owner->count() > 1);   // the panel fills in after the first paint
    const int teamCheckout = owner->findData(QStringLiteral("team-checkout"));
    QVERIFY(teamCheckout > 0);
    owner->setCurrentIndex(teamCheckout);
    QVERIFY(model->rowCount() > 0 && model->rowCount() < components);
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(model->index(row, EntityTableModel::Owner).data().toString(), QStringLiteral("team-checkout"));
    owner->setCurrentIndex(0);
    QCOMPARE(model->totalCount(), components);

    // Text filter, typed.
    QTest::keyClicks(catalog->textFilter(), QStringLiteral("basket"));
    QVERIFY(model->rowCount() >= 1);   // names, descriptions, tags...: every row mentions it somewhere
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY(m_cache->entity(model->refAt(row)).value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString().contains(QLatin1String("basket"))
                || model->index(row, EntityTableModel::Description).data().toString().contains(QLatin1String("basket"), Qt::CaseInsensitive));
    QTest::keyClicks(catalog->textFilter(), QStringLiteral("-serv"));
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->refAt(0), QStringLiteral("component:default/basket-service"));
    QCOMPARE(model->index(0, EntityTableModel::System).data().toString(), QStringLiteral("checkout"));
    QCOMPARE(model->index(0, EntityTableModel::Tags).data().toString(), QStringLiteral("java, spring-boot"));

    // Keyboard: into the table, Enter opens the row.
    catalog->table()->setFocus();
    catalog->table()->setCurrentIndex(model->index(0, 0));
    QTest::keyClick(catalog->table(), Qt::Key_Return);
    QCOMPARE(m_window->currentPage(), Page::Entity);
    QCOMPARE(m_window->currentEntity(), QStringLiteral("component:default/basket-service"));

    // Kind: the table follows, and so does its title.
    m_window->showPage(Page::Catalog);
    catalog->textFilter()->clear();
    catalog->setKind(QStringLiteral("Group"));
    QVERIFY(model->totalCount() > 0);
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY(model->refAt(row).startsWith(QLatin1String("group:")));
    QVERIFY(catalog->findChild<QLabel *>(QStringLiteral("pageTitle"))->text().startsWith(QLatin1String("All groups (")));

    // Sorting by a column re-reads in that order.
    catalog->setKind(QStringLiteral("Component"));
    catalog->table()->sortByColumn(EntityTableModel::Owner, Qt::DescendingOrder);
    QStringList owners;
    for (int row = 0; row < model->rowCount(); ++row)
        owners.append(model->index(row, EntityTableModel::Owner).data().toString());
    QStringList descending = owners;
    std::sort(descending.begin(), descending.end(), std::greater<>());
    QCOMPARE(owners, descending);

    // APIs page: kind API only.
    EntityTableModel *apis = m_window->apisPage()->model();
    QVERIFY(apis->rowCount() >= 5);
    for (int row = 0; row < apis->rowCount(); ++row)
        QVERIFY(apis->refAt(row).startsWith(QLatin1String("api:")));
}

void TestMainWindow::entityPageTabsAndRelations()
{
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    EntityPage *page = m_window->entityPage();
    QCOMPARE(page->findChild<QLabel *>(QStringLiteral("entityTitle"))->text(), QStringLiteral("Basket service"));
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("entityKind"))->text().contains(QLatin1String("service")));
    QTabWidget *tabs = page->tabs();
    QStringList visible;
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->isTabVisible(i))
            visible.append(tabs->tabText(i));
    }
    QCOMPARE(visible, (QStringList{QStringLiteral("Overview"), QStringLiteral("Relations"), QStringLiteral("YAML"),
                                   QStringLiteral("Problems")}));
    // About card: owner, system, domain (through the system), links.
    auto *about = page->findChild<QWidget *>(QStringLiteral("aboutCard"));
    QVERIFY(about);
    QStringList aboutText;
    for (QLabel *label : about->findChildren<QLabel *>())
        aboutText.append(label->text());
    const QString joined = aboutText.join(QLatin1Char('\n'));
    QVERIFY2(joined.contains(QLatin1String("group:default/team-checkout")), qPrintable(joined));
    QVERIFY(joined.contains(QLatin1String("system:default/checkout")));
    QVERIFY(joined.contains(QLatin1String("domain:default/")));
    QVERIFY(joined.contains(QLatin1String("https://github.com/northwind/basket-service")));

    // The consumed API is listed and opens on activation.
    QListWidget *consumed = page->relationList(QStringLiteral("Consumed APIs"));
    QVERIFY(consumed);
    QCOMPARE(consumed->count(), 1);
    QCOMPARE(consumed->item(0)->data(Qt::UserRole).toString(), QStringLiteral("api:default/product-catalog-api"));
    consumed->setCurrentRow(0);
    QTest::keyClick(consumed, Qt::Key_Return);
    QCOMPARE(m_window->currentEntity(), QStringLiteral("api:default/product-catalog-api"));

    // An API has its definition, highlighted, and its providers.
    const int definitionTab = [&] {
        for (int i = 0; i < tabs->count(); ++i) {
            if (tabs->tabText(i) == QLatin1String("Definition"))
                return i;
        }
        return -1;
    }();
    QVERIFY(tabs->isTabVisible(definitionTab));
    auto *definition = page->findChild<QPlainTextEdit *>(QStringLiteral("definition"));
    QVERIFY(definition->toPlainText().contains(QLatin1String("openapi")));
    QTRY_VERIFY(!definition->document()->firstBlock().layout()->formats().isEmpty());   // highlighted
    QVERIFY(page->relationList(QStringLiteral("Consumers")));

    // YAML of the entity as stored, and no problems.
    auto *yaml = page->findChild<QPlainTextEdit *>(QStringLiteral("yaml"));
    QVERIFY(yaml->toPlainText().contains(QLatin1String("name: product-catalog-api")));
    QVERIFY(yaml->toPlainText().contains(QLatin1String("relations:")));
    auto *problems = page->findChild<QListWidget *>(QStringLiteral("problems"));
    QCOMPARE(problems->count(), 1);
    QVERIFY(problems->item(0)->text().startsWith(QLatin1String("No problems")));

    // An unknown ref says so.
    QVERIFY(!page->showEntity(QStringLiteral("component:default/nope")));
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("entitySubtitle"))->text().contains(QLatin1String("not in the catalog")));
}

void TestMainWindow::graphShowsNeighboursAndNavigates()
{
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    RelationGraphView *graph = m_window->entityPage()->graph();
    const QStringList nodes = graph->nodeRefs();
    QVERIFY(nodes.contains(QStringLiteral("component:default/basket-service")));
    QVERIFY(nodes.contains(QStringLiteral("group:default/team-checkout")));
    QVERIFY(nodes.contains(QStringLiteral("api:default/product-catalog-api")));
    QVERIFY(nodes.contains(QStringLiteral("system:default/checkout")));
    const QStringList edges = graph->edgeDescriptions();
    // A relation and its inverse are one edge, named by the forward relation.
    QVERIFY(edges.contains(QStringLiteral("group:default/team-checkout -ownerOf-> component:default/basket-service")));
    QVERIFY(edges.contains(QStringLiteral("component:default/basket-service -consumesApi-> api:default/product-catalog-api")));
    QCOMPARE(edges.filter(QStringLiteral("ownedBy")).size(), 0);

    // Deeper shows more; a relation filter shows fewer.
    graph->setMaxDepth(2);
    QVERIFY(graph->nodeRefs().size() > nodes.size());
    graph->setRelationFilter({QStringLiteral("ownerOf")});
    for (const QString &edge : graph->edgeDescriptions())
        QVERIFY2(edge.contains(QLatin1String("-ownerOf->")), qPrintable(edge));
    graph->setRelationFilter({});
    graph->setMaxDepth(1);

    // Exports.
    const QString png = m_dir.filePath(QStringLiteral("graph.png"));
    const QString svg = m_dir.filePath(QStringLiteral("graph.svg"));
    QVERIFY(graph->exportTo(png));
    QVERIFY(graph->exportTo(svg));
    QVERIFY(QImage(png).width() > 400);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.contains("<svg") && svgText.contains("basket"));

    // Clicking a node opens its entity.
    m_window->entityPage()->tabs()->setCurrentIndex(1);
    QTest::qWait(50);
    graph->fit();
    const QPoint team = graph->mapFromScene(graph->scene()->items().isEmpty() ? QPointF() : [&] {
        for (QGraphicsItem *item : graph->scene()->items()) {
            if (item->data(0).toString() == QLatin1String("group:default/team-checkout"))
                return item->sceneBoundingRect().center();
        }
        return QPointF();
    }());
    QTest::mouseClick(graph->viewport(), Qt::LeftButton, {}, team);
    QCOMPARE(m_window->currentEntity(), QStringLiteral("group:default/team-checkout"));
}

void TestMainWindow::starredAndRecentOnHome()
{
    m_window->openEntity(QStringLiteral("component:default/payment-gateway"));
    QToolButton *star = m_window->entityPage()->starButton();
    QVERIFY(!star->isChecked());
    QTest::mouseClick(star, Qt::LeftButton);
    QVERIFY(m_preferences->isStarred(QStringLiteral("component:default/payment-gateway")));
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    m_window->showPage(Page::Home);
    QListWidget *starred = m_window->homePage()->starredList();
    QCOMPARE(starred->count(), 1);
    QCOMPARE(starred->item(0)->data(Qt::UserRole).toString(), QStringLiteral("component:default/payment-gateway"));
    QListWidget *recent = m_window->homePage()->recentList();
    QCOMPARE(recent->item(0)->data(Qt::UserRole).toString(), QStringLiteral("component:default/basket-service"));
    QCOMPARE(recent->item(1)->data(Qt::UserRole).toString(), QStringLiteral("component:default/payment-gateway"));

    // "Starred" in the catalog's filters.
    m_window->showPage(Page::Catalog);
    m_window->catalogPage()->starredBox()->setChecked(true);
    QCOMPARE(m_window->catalogPage()->model()->rowCount(), 1);
    QCOMPARE(m_window->catalogPage()->model()->refAt(0), QStringLiteral("component:default/payment-gateway"));
    m_window->catalogPage()->starredBox()->setChecked(false);

    // "Owned by me": the identity's groups own things.
    m_preferences->setIdentity(QStringLiteral("user:default/amelia.hart"));
    m_window->catalogPage()->ownedBox()->setChecked(true);
    EntityTableModel *model = m_window->catalogPage()->model();
    QVERIFY(model->rowCount() > 0);
    const QJsonObject amelia = m_cache->entity(QStringLiteral("user:default/amelia.hart"));
    QStringList groups;
    for (const QJsonValue &relation : amelia.value(QLatin1String("relations")).toArray()) {
        if (relation[QLatin1String("type")].toString() == QLatin1String("memberOf"))
            groups.append(relation[QLatin1String("targetRef")].toString());
    }
    QVERIFY(!groups.isEmpty());
    for (int row = 0; row < model->rowCount(); ++row) {
        const QJsonObject entity = m_cache->entity(model->refAt(row));
        bool owned = false;
        for (const QJsonValue &relation : entity.value(QLatin1String("relations")).toArray()) {
            if (relation[QLatin1String("type")].toString() == QLatin1String("ownedBy"))
                owned = owned || groups.contains(relation[QLatin1String("targetRef")].toString());
        }
        QVERIFY2(owned, qPrintable(model->refAt(row)));
    }
}

void TestMainWindow::searchPaletteKeyboardFlow()
{
    m_window->showPage(Page::Catalog);
    QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
    SearchPalette *palette = m_window->searchPalette();
    QTRY_VERIFY(palette->isVisible());
    QTest::keyClicks(palette->input(), QStringLiteral("checkout"));
    QListWidget *results = palette->results();
    QVERIFY(results->count() >= 3);
    // The exact name first: the system "checkout", then the group titled "Checkout", then the rest.
    QCOMPARE(results->item(0)->data(Qt::UserRole).toString(), QStringLiteral("system:default/checkout"));
    QCOMPARE(results->item(1)->data(Qt::UserRole).toString(), QStringLiteral("group:default/team-checkout"));
    QCOMPARE(results->currentRow(), 0);
    QTest::keyClick(palette->input(), Qt::Key_Down);
    QCOMPARE(results->currentRow(), 1);
    const QString second = results->item(1)->data(Qt::UserRole).toString();
    QTest::keyClick(palette->input(), Qt::Key_Return);
    QVERIFY(!palette->isVisible());
    QCOMPARE(m_window->currentPage(), Page::Entity);
    QCOMPARE(m_window->currentEntity(), second);

    // Escape closes without going anywhere.
    m_window->openSearch();
    QTest::keyClick(palette->input(), Qt::Key_Escape);
    QVERIFY(!palette->isVisible());
    QCOMPARE(m_window->currentEntity(), second);
    // Searching by a tag and an owner finds entities too.
    QVERIFY(palette->search(QStringLiteral("spring-boot")).contains(QStringLiteral("component:default/basket-service")));
    QVERIFY(!palette->search(QStringLiteral("team-checkout")).isEmpty());
    QVERIFY(palette->search(QStringLiteral("\"; DROP TABLE entities; --")).isEmpty());
}

void TestMainWindow::greenroomUrlsOpenEntities()
{
    QVERIFY(m_window->openUrl(QUrl(QStringLiteral("greenroom://catalog/default/component/basket-service"))));
    QCOMPARE(m_window->currentEntity(), QStringLiteral("component:default/basket-service"));
    QVERIFY(m_window->openUrl(QUrl(QStringLiteral("greenroom://catalog/default/API/checkout-api"))));
    QCOMPARE(m_window->currentEntity(), QStringLiteral("api:default/checkout-api"));
    QVERIFY(!m_window->openUrl(QUrl(QStringLiteral("greenroom://templates/default/component/basket-service"))));
    QVERIFY(!m_window->openUrl(QUrl(QStringLiteral("https://catalog/default/component/x"))));
    QVERIFY(!m_window->openUrl(QUrl(QStringLiteral("greenroom://catalog/default/component"))));

    // The Create page, and a template's wizard, as Backstage's /create/templates/:namespace/:name.
    QVERIFY(m_window->openUrl(QUrl(QStringLiteral("greenroom://create"))));
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Create);
    QVERIFY(!m_window->createPage()->wizard());
    QVERIFY(m_window->openUrl(QUrl(QStringLiteral("greenroom://create/templates/default/spring-boot-microservice"))));
    QVERIFY(m_window->createPage()->wizard());
    QCOMPARE(m_window->createPage()->wizard()->templateRef(), QStringLiteral("template:default/spring-boot-microservice"));
    QVERIFY(!m_window->openUrl(QUrl(QStringLiteral("greenroom://create/default/spring-boot-microservice"))));

    // A Template's entity page launches it; other kinds have no such button.
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    auto *launch = m_window->entityPage()->findChild<QPushButton *>(QStringLiteral("launchTemplate"));
    QVERIFY(launch && launch->isHidden());
    m_window->openEntity(QStringLiteral("template:default/documentation-site"));
    QVERIFY(!launch->isHidden());
    QTest::mouseClick(launch, Qt::LeftButton);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Create);
    QCOMPARE(m_window->createPage()->wizard()->templateRef(), QStringLiteral("template:default/documentation-site"));
}

void TestMainWindow::syncStatusInTheStatusBar()
{
    SyncStatusWidget *status = m_window->syncStatus();
    Sync::SyncStatus syncing;
    syncing.state = Sync::SyncStatus::State::Syncing;
    syncing.done = 300;
    syncing.total = 1200;
    status->showStatus(syncing);
    QCOMPARE(status->text(), QStringLiteral("Syncing"));
    QVERIFY(status->progressBar()->isVisible());
    QCOMPARE(status->progressBar()->value(), 300);
    QCOMPARE(status->progressBar()->maximum(), 1200);

    Sync::SyncStatus synced;
    synced.state = Sync::SyncStatus::State::Synced;
    synced.lastSynced = QDateTime(QDate(2026, 11, 30), QTime(14, 5), Qt::LocalTime);
    status->showStatus(synced);
    QCOMPARE(status->text(), QStringLiteral("Synced at 14:05"));
    QVERIFY(!status->progressBar()->isVisible());

    Sync::SyncStatus offline;
    offline.state = Sync::SyncStatus::State::Offline;
    offline.lastSynced = QDateTime::currentDateTime().addSecs(-3 * 3600 - 60);
    offline.error = QStringLiteral("Connection refused");
    status->showStatus(offline);
    QCOMPARE(status->text(), QStringLiteral("Offline — cache from 3 h ago"));

    Sync::SyncStatus failed;
    failed.state = Sync::SyncStatus::State::Failed;
    failed.error = QStringLiteral("401 Unauthorized: Missing credentials");
    status->showStatus(failed);
    QCOMPARE(status->text(), QStringLiteral("Sync error: 401 Unauthorized: Missing credentials"));
}

void TestMainWindow::stateIsRestored()
{
    m_window->openEntity(QStringLiteral("component:default/basket-service"));
    m_window->resize(1000, 700);
    m_window->close();
    m_window = std::make_unique<MainWindow>(*m_cache, *m_preferences, *m_settings);
    m_window->restoreState();
    QCOMPARE(m_window->currentPage(), Page::Entity);
    QCOMPARE(m_window->currentEntity(), QStringLiteral("component:default/basket-service"));
    QCOMPARE(m_window->size(), QSize(1000, 700));
}

void TestMainWindow::problemsTabShowsProcessingErrors()
{
    // An entity whose last processing failed: the server kept its last good
    // version with the problem in status.items, as Backstage does.
    const QJsonObject entity{
        {QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")}, {QStringLiteral("kind"), QStringLiteral("Component")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("troubled")}, {QStringLiteral("namespace"), QStringLiteral("default")},
                                                 {QStringLiteral("uid"), QStringLiteral("uid-troubled")}, {QStringLiteral("etag"), QStringLiteral("e1")}}},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("service")}, {QStringLiteral("owner"), QStringLiteral("team-a")},
                                             {QStringLiteral("lifecycle"), QStringLiteral("production")}}},
        {QStringLiteral("relations"), QJsonArray{}},
        {QStringLiteral("status"), QJsonObject{{QStringLiteral("items"), QJsonArray{QJsonObject{
            {QStringLiteral("type"), QStringLiteral("backstage.io/catalog-processing")}, {QStringLiteral("level"), QStringLiteral("error")},
            {QStringLiteral("message"), QStringLiteral("InputError: Policy check failed")},
            {QStringLiteral("error"), QJsonObject{{QStringLiteral("name"), QStringLiteral("InputError")},
                                                  {QStringLiteral("message"), QStringLiteral("Policy check failed for component:default/troubled; caused by Error: \"spec.type\" must be a string")}}}}}}}}};
    Store::MirrorBatch batch;
    batch.changes.append({false, QStringLiteral("component:default/troubled"), QStringLiteral("uid-troubled"), QStringLiteral("e1"),
                          QJsonDocument(entity).toJson(QJsonDocument::Compact), {}});
    QVERIFY(m_cache->store().applyMirror(batch));
    m_window->openEntity(QStringLiteral("component:default/troubled"));
    QTabWidget *tabs = m_window->entityPage()->tabs();
    QCOMPARE(tabs->tabText(tabs->count() - 1), QStringLiteral("Problems (1)"));
    auto *problems = m_window->entityPage()->findChild<QListWidget *>(QStringLiteral("problems"));
    QCOMPARE(problems->count(), 1);
    QVERIFY2(problems->item(0)->text().startsWith(QStringLiteral("error — InputError: Policy check failed for component:default/troubled")),
             qPrintable(problems->item(0)->text()));
    batch.changes.first().deleted = true;
    QVERIFY(m_cache->store().applyMirror(batch));
}

void TestMainWindow::aboutCardLinksToSourceAndEdit()
{
    // An entity the catalog read from GitHub: its About card links to the source and the edit page;
    // a link that is not a web address is not offered.
    const auto mirror = [&](const QString &name, const QJsonObject &annotations, bool deleted = false) {
        return mirrorEntity(QStringLiteral("Component"), name, annotations, deleted);
    };
    QVERIFY(mirror(QStringLiteral("sourced"),
                   {{QStringLiteral("backstage.io/source-location"), QStringLiteral("url:https://github.com/acme/sourced/tree/main/")},
                    {QStringLiteral("backstage.io/edit-url"), QStringLiteral("https://github.com/acme/sourced/edit/main/catalog-info.yaml")},
                    {QStringLiteral("backstage.io/view-url"), QStringLiteral("https://github.com/acme/sourced/blob/main/catalog-info.yaml")}}));
    m_window->openEntity(QStringLiteral("component:default/sourced"));
    auto *about = m_window->entityPage()->findChild<QWidget *>(QStringLiteral("aboutCard"));
    auto *view = about->findChild<QLabel *>(QStringLiteral("viewSourceLink"));
    auto *edit = about->findChild<QLabel *>(QStringLiteral("editLink"));
    QVERIFY(view && edit);
    QVERIFY(view->text().contains(QLatin1String("href=\"https://github.com/acme/sourced/tree/main/\"")));
    QVERIFY(view->text().contains(QLatin1String(">View source<")));
    QVERIFY(edit->text().contains(QLatin1String("href=\"https://github.com/acme/sourced/edit/main/catalog-info.yaml\"")));
    QVERIFY(view->openExternalLinks() && edit->openExternalLinks());

    QVERIFY(mirror(QStringLiteral("hostile"), {{QStringLiteral("backstage.io/source-location"), QStringLiteral("url:javascript:alert(1)")},
                                               {QStringLiteral("backstage.io/edit-url"), QStringLiteral("file:///etc/passwd")}}));
    m_window->openEntity(QStringLiteral("component:default/hostile"));
    about = m_window->entityPage()->findChild<QWidget *>(QStringLiteral("aboutCard"));
    QVERIFY(!about->findChild<QLabel *>(QStringLiteral("viewSourceLink")));
    QVERIFY(!about->findChild<QLabel *>(QStringLiteral("editLink")));
    QVERIFY(mirror(QStringLiteral("sourced"), {}, true));
    QVERIFY(mirror(QStringLiteral("hostile"), {}, true));
}

void TestMainWindow::keyboardReachesEveryPage()
{
    // The sidebar: arrows move between pages.
    m_window->sidebar()->setFocus();
    m_window->sidebar()->setCurrentRow(0);
    QTest::keyClick(m_window->sidebar(), Qt::Key_Down);
    QCOMPARE(m_window->currentPage(), Page::Catalog);
    QTest::keyClick(m_window->sidebar(), Qt::Key_Down);
    QCOMPARE(m_window->currentPage(), Page::Apis);
    // Ctrl+F: into the catalog's filter box; Tab: on to the table; Enter opens.
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    CatalogPage *catalog = m_window->catalogPage();
    QTRY_VERIFY(catalog->textFilter()->hasFocus() || m_window->apisPage()->textFilter()->hasFocus());
    m_window->showPage(Page::Catalog);
    catalog->textFilter()->setFocus();
    QTest::keyClicks(catalog->textFilter(), QStringLiteral("payment-gateway"));
    QTest::keyClick(catalog->textFilter(), Qt::Key_Tab);
    QVERIFY(catalog->table()->hasFocus());
    catalog->table()->setCurrentIndex(catalog->model()->index(0, 0));
    QTest::keyClick(catalog->table(), Qt::Key_Enter);
    QCOMPARE(m_window->currentEntity(), QStringLiteral("component:default/payment-gateway"));
    // The entity page's tabs: Ctrl+Tab walks them.
    QTabWidget *tabs = m_window->entityPage()->tabs();
    tabs->setFocus();
    const int before = tabs->currentIndex();
    QTest::keyClick(tabs, Qt::Key_Tab, Qt::ControlModifier);
    QCOMPARE(tabs->currentIndex(), before + 1);
    // Home's lists open entities with Enter too.
    m_window->showPage(Page::Home);
    QListWidget *recent = m_window->homePage()->recentList();
    recent->setFocus();
    recent->setCurrentRow(0);
    QTest::keyClick(recent, Qt::Key_Return);
    QCOMPARE(m_window->currentPage(), Page::Entity);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
