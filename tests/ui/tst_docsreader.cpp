// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The desktop docs reader on a real X server (xvfb-run) with QtWebEngine:
// the demo organisation's docs and a test handbook, built by the docs
// builder and stored in a desktop cache as the sync client stores them.
// Pages come from the cache through the greenroom-docs: scheme; a local TCP
// server stands in for "the network" and must never be reached. Screenshots
// of the reader, light and dark, go to build/screenshots/.
#include <cachefixture.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <dialogs/searchpalette.h>
#include <mainwindow.h>
#include <models/catalogcache.h>
#include <models/userpreferences.h>
#include <pages/docspage.h>
#include <pages/entitypage.h>
#include <widgets/docsreader.h>
#include <widgets/docsweb.h>
#include <sync/feedpage.h>

#include <QApplication>
#include <QComboBox>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QWebEnginePage>
#include <QWebEngineScript>
#include <QWebEngineView>

using namespace Greenroom;
using namespace Greenroom::Ui;

namespace {

const QString Checkout = QStringLiteral("component:default/checkout-service");
const QString Portal = QStringLiteral("component:default/developer-portal");
const QString Handbook = QStringLiteral("component:default/basket-service");   // the test handbook's entity

} // namespace

// Receives what the reader hands to the system browser.
class BrowserRecorder : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened.append(url); }
};

class TestDocsReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void docsPageListsDocumentedEntities();
    void readerShowsNavPageAndContents();
    void internalLinksStayExternalLinksGoToTheBrowser();
    void pagesTouchNoNetworkAndRunNoScript();
    void diagramsAreDrawnOrStayCode();
    void lightAndDarkScreenshots();
    void entityPageHasADocsTab();
    void searchFindsDocsSections();
    void newBuildsReplaceTheShownSite();
    void missingDocsSayWhy();
    void docsNotBuiltYetAreBuiltWhenOpened();
    void cleanupTestCase();

private:
    // Opens through the window and waits for the page.
    DocsReader *openDocs(const QString &ref, const QString &location = {});
    static bool waitForPage(DocsReader *reader, int timeout = 20000);
    static QVariant js(DocsReader *reader, const QString &script);
    static void click(DocsReader *reader, const QString &selector);
    void writeHandbook(const QString &extra = {});
    void save(QWidget *widget, const QString &name);
    // Upserts `entity` into the window's cache, as a feed page would.
    void mirror(const QJsonObject &entity);

    QTemporaryDir m_dir;
    QString m_handbookRoot;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<CatalogCache> m_cache;
    std::unique_ptr<UserPreferences> m_preferences;
    std::unique_ptr<MainWindow> m_window;
    QTcpServer m_network;   // "the internet": no page may connect to it
    int m_connections = 0;
    BrowserRecorder m_browser;
};

void TestDocsReader::writeHandbook(const QString &extra)
{
    m_handbookRoot = m_dir.filePath(QStringLiteral("handbook"));
    const QString port = QString::number(m_network.serverPort());
    TestSupport::writeFile(m_handbookRoot + QStringLiteral("/mkdocs.yml"),
                           "site_name: Basket handbook\n"
                           "site_description: How the basket service is run\n"
                           "repo_url: https://git.example.com/northwind/basket\n"
                           "edit_uri: edit/main/docs/\n"
                           "nav:\n"
                           "  - Home: index.md\n"
                           "  - Guides:\n"
                           "      - Setup: guides/setup.md\n"
                           "  - Backstage: https://backstage.io/docs/\n"
                           "markdown_extensions:\n"
                           "  - admonition\n"
                           "  - toc:\n"
                           "      permalink: true\n"
                           "  - pymdownx.superfences:\n"
                           "      custom_fences:\n"
                           "        - name: mermaid\n"
                           "          class: mermaid\n"
                           "          format: !!python/name:pymdownx.superfences.fence_code_format\n");
    TestSupport::writeFile(m_handbookRoot + QStringLiteral("/docs/index.md"),
                           ("# Basket handbook\n\n"
                            "Start with [the setup guide](guides/setup.md#install-it), or read "
                            "[Backstage's docs](https://backstage.io/docs/overview/what-is-backstage).\n\n"
                            "![remote badge](http://127.0.0.1:" + port + "/badge.png)\n\n"
                            "## Flow\n\n"
                            "```mermaid\ngraph LR\n  Basket --> Pricing\n  Pricing --> Checkout\n```\n\n"
                            "## Quokka corner\n\nThe zephyrine procedure lives in this section.\n" + extra).toUtf8());
    TestSupport::writeFile(m_handbookRoot + QStringLiteral("/docs/guides/setup.md"),
                           "# Setup\n\n## Install it\n\nRun the installer.\n\n### Check it\n\nLook at the log.\n\n"
                           "## Configure it\n\nSet the region.\n\n[Back home](../index.md)\n");
}

void TestDocsReader::initTestCase()
{
    QVERIFY2(qgetenv("QT_QPA_PLATFORM") != "offscreen", "run under xvfb-run with the xcb platform");
    QVERIFY(m_network.listen(QHostAddress::LocalHost));
    connect(&m_network, &QTcpServer::newConnection, this, [this] {
        ++m_connections;
        delete m_network.nextPendingConnection();
    });
    QDesktopServices::setUrlHandler(QStringLiteral("https"), &m_browser, "open");
    QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_browser, "open");

    const QString cachePath = m_dir.filePath(QStringLiteral("cache.sqlite"));
    const QString error = TestSupport::fillCacheFromCatalog(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"), cachePath);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_cache = CatalogCache::open(cachePath);
    QVERIFY(m_cache);
    // The handbook documents the demo's basket service (which has no docs of its own).
    QJsonObject basket = m_cache->entity(Handbook);
    QJsonObject metadata = basket.value(QLatin1String("metadata")).toObject();
    QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    annotations.insert(QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:./handbook"));
    metadata.insert(QStringLiteral("annotations"), annotations);
    basket.insert(QStringLiteral("metadata"), metadata);
    mirror(basket);
    const QString demo = QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/components/");
    for (const auto &[ref, root] : {std::pair{Checkout, demo + QStringLiteral("checkout-service")},
                                    std::pair{Portal, demo + QStringLiteral("developer-portal")}}) {
        const QString built = TestSupport::storeBuiltDocs(m_cache->store(), ref, root);
        QVERIFY2(built.isEmpty(), qPrintable(built));
    }
    writeHandbook();
    const QString built = TestSupport::storeBuiltDocs(m_cache->store(), Handbook, m_handbookRoot);
    QVERIFY2(built.isEmpty(), qPrintable(built));

    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_preferences = std::make_unique<UserPreferences>(*m_settings, QStringLiteral("docs"));
    m_window = std::make_unique<MainWindow>(*m_cache, *m_preferences, *m_settings);
    m_window->docsWeb().setDark(false);
    m_window->resize(1400, 860);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

bool TestDocsReader::waitForPage(DocsReader *reader, int timeout)
{
    QSignalSpy loaded(reader, &DocsReader::pageLoaded);
    if (!loaded.wait(timeout))
        return false;
    return loaded.last().at(2).toBool();
}

DocsReader *TestDocsReader::openDocs(const QString &ref, const QString &location)
{
    DocsReader *reader = m_window->docsPage()->reader();
    QSignalSpy loaded(reader, &DocsReader::pageLoaded);
    m_window->openDocs(ref, location);
    if (!loaded.wait(20000) || !loaded.last().at(2).toBool())
        return nullptr;
    return reader;
}

QVariant TestDocsReader::js(DocsReader *reader, const QString &script)
{
    QVariant result;
    bool done = false;
    reader->view()->page()->runJavaScript(script, QWebEngineScript::ApplicationWorld, [&](const QVariant &value) {
        result = value;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        qWarning("no answer from the page to: %s", qPrintable(script));
    return result;
}

// A real mouse click on the element's centre, as a reader would click.
void TestDocsReader::click(DocsReader *reader, const QString &selector)
{
    const QVariantList centre = js(reader, QStringLiteral("(() => { const e = document.querySelector('%1'); e.scrollIntoView({block: 'center'});"
                                                          " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
                                               .arg(selector))
                                    .toList();
    QCOMPARE(centre.size(), 2);
    QWidget *input = reader->view()->focusProxy();
    QVERIFY(input);
    const QPoint at(qRound(centre.at(0).toDouble()), qRound(centre.at(1).toDouble()));
    QTest::mouseMove(input, at);
    QTest::mouseClick(input, Qt::LeftButton, {}, at);
}

void TestDocsReader::save(QWidget *widget, const QString &name)
{
    QTest::qWait(200);
    const QImage image = widget->grab().toImage();
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 5) {
        for (int x = 0; x < image.width(); x += 5)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() > 20, qPrintable(QStringLiteral("%1 has only %2 colours").arg(name).arg(colours.size())));
    QDir out(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
    QVERIFY(out.mkpath(QStringLiteral(".")));
    QVERIFY(image.save(out.filePath(name)));
    qInfo("wrote %s", qPrintable(out.filePath(name)));
}

void TestDocsReader::mirror(const QJsonObject &entity)
{
    Store::MirroredChange change;
    change.ref = QStringLiteral("%1:%2/%3").arg(entity.value(QLatin1String("kind")).toString().toLower(),
                                                entity[QLatin1String("metadata")][QLatin1String("namespace")].toString(QStringLiteral("default")),
                                                entity[QLatin1String("metadata")][QLatin1String("name")].toString());
    change.uid = entity[QLatin1String("metadata")][QLatin1String("uid")].toString();
    change.entityJson = QJsonDocument(entity).toJson(QJsonDocument::Compact);
    change.etag = QString::fromLatin1(QCryptographicHash::hash(change.entityJson, QCryptographicHash::Sha1).toHex());
    Store::MirrorBatch batch;
    batch.changes.append(change);
    QVERIFY(m_cache->store().applyMirror(batch));
    m_cache->notifyChanged(m_cache->store().lastSequence());
}

void TestDocsReader::docsPageListsDocumentedEntities()
{
    m_window->showPage(MainWindow::Page::Docs);
    DocsPage *page = m_window->docsPage();
    QVERIFY(!page->readingSite());
    QSortFilterProxyModel *rows = page->listing();
    QCOMPARE(rows->rowCount(), 3);
    QStringList names;
    for (int row = 0; row < rows->rowCount(); ++row)
        names.append(rows->index(row, 0).data().toString());
    QCOMPARE(names, (QStringList{QStringLiteral("Basket service"), QStringLiteral("Checkout service"), QStringLiteral("Developer portal")}));
    save(m_window.get(), QStringLiteral("docs-listing.png"));

    // Owner: the catalog's owners of documented entities only.
    QComboBox *owner = page->ownerFilter();
    const int checkoutTeam = owner->findData(QStringLiteral("team-checkout"));
    QVERIFY2(checkoutTeam > 0, qPrintable(QStringLiteral("owners: %1").arg(owner->count())));
    owner->setCurrentIndex(checkoutTeam);
    QCOMPARE(rows->rowCount(), 2);   // basket and checkout; the portal is team-platform's
    for (int row = 0; row < rows->rowCount(); ++row)
        QCOMPARE(rows->index(row, 1).data().toString(), QStringLiteral("team-checkout"));
    owner->setCurrentIndex(0);
    QCOMPARE(rows->rowCount(), 3);

    QComboBox *kind = page->kindFilter();
    QCOMPARE(kind->findData(QStringLiteral("Component")) > 0, true);
    kind->setCurrentIndex(kind->findData(QStringLiteral("Component")));
    QCOMPARE(rows->rowCount(), 3);
    kind->setCurrentIndex(0);

    page->textFilter()->setText(QStringLiteral("portal"));
    QCOMPARE(rows->rowCount(), 1);
    QCOMPARE(rows->index(0, 0).data().toString(), QStringLiteral("Developer portal"));
    page->textFilter()->clear();

    // Enter on a row opens the reader.
    page->table()->setFocus();
    page->table()->setCurrentIndex(rows->index(1, 0));
    QSignalSpy loaded(page->reader(), &DocsReader::pageLoaded);
    QTest::keyClick(page->table(), Qt::Key_Return);
    QVERIFY(loaded.wait(20000));
    QVERIFY(page->readingSite());
    QCOMPARE(page->reader()->entityRef(), Checkout);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Docs);
    QCOMPARE(m_window->currentEntity(), Checkout);
    m_window->goBack();
    QVERIFY(!page->readingSite());
}

void TestDocsReader::readerShowsNavPageAndContents()
{
    DocsReader *reader = openDocs(Checkout);
    QVERIFY(reader);
    QCOMPARE(reader->siteTitle()->text(), QStringLiteral("Checkout service"));
    QTreeWidget *nav = reader->navTree();
    QCOMPARE(nav->topLevelItemCount(), 3);
    QCOMPARE(nav->topLevelItem(1)->text(0), QStringLiteral("Architecture"));
    QCOMPARE(nav->currentItem()->text(0), QStringLiteral("Overview"));
    QCOMPARE(reader->location(), QString());

    // The nav opens pages in place; the table of contents follows the page.
    QSignalSpy loaded(reader, &DocsReader::pageLoaded);
    QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(nav->topLevelItem(2)).center());
    QVERIFY(loaded.wait(20000));
    QCOMPARE(reader->location(), QStringLiteral("runbook/"));
    QCOMPARE(reader->pageTitle(), QStringLiteral("Runbook"));
    QCOMPARE(nav->currentItem()->text(0), QStringLiteral("Runbook"));
    QTreeWidget *toc = reader->tocTree();
    QVERIFY(toc->topLevelItemCount() >= 2);
    QCOMPARE(toc->topLevelItem(0)->text(0), QStringLiteral("Orders stuck in placed"));
    QCOMPARE(js(reader, QStringLiteral("document.querySelector('article h1').firstChild.textContent")).toString(), QStringLiteral("Runbook"));

    // The reader draws header, nav and contents itself: the page's own are hidden.
    QCOMPARE(js(reader, QStringLiteral("getComputedStyle(document.querySelector('.md-header')).display")).toString(), QStringLiteral("none"));
    QCOMPARE(js(reader, QStringLiteral("document.querySelectorAll('.md-sidebar').length")).toInt(), 0);
    // The theme's stylesheet came from the cache too.
    QCOMPARE(js(reader, QStringLiteral("getComputedStyle(document.querySelector('.md-typeset h1')).fontWeight")).toString(),
             QStringLiteral("300"));

    // A click in the table of contents scrolls to the section.
    QTest::mouseClick(toc->viewport(), Qt::LeftButton, {}, toc->visualItemRect(toc->topLevelItem(1)).center());
    QTRY_COMPARE_WITH_TIMEOUT(reader->view()->url().fragment(), QStringLiteral("kafka-lag-on-checkoutorder-paidv2"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(js(reader, QStringLiteral("document.querySelector(':target') && document.querySelector(':target').id")).toString(),
                              QStringLiteral("kafka-lag-on-checkoutorder-paidv2"), 10000);
}

void TestDocsReader::internalLinksStayExternalLinksGoToTheBrowser()
{
    DocsReader *reader = openDocs(Handbook);
    QVERIFY(reader);
    QCOMPARE(reader->siteTitle()->text(), QStringLiteral("Basket handbook"));
    // Nested nav sections and external entries.
    QTreeWidget *nav = reader->navTree();
    QCOMPARE(nav->topLevelItemCount(), 3);
    QCOMPARE(nav->topLevelItem(1)->text(0), QStringLiteral("Guides"));
    QCOMPARE(nav->topLevelItem(1)->child(0)->text(0), QStringLiteral("Setup"));
    QVERIFY(nav->topLevelItem(2)->text(0).startsWith(QLatin1String("Backstage")));

    // An internal link: the reader follows it, to the section it names.
    m_browser.opened.clear();
    QSignalSpy loaded(reader, &DocsReader::pageLoaded);
    click(reader, QStringLiteral("article a[href^=\"guides/setup/\"]"));
    QVERIFY(loaded.wait(20000));
    QCOMPARE(reader->location(), QStringLiteral("guides/setup/"));
    QTRY_COMPARE_WITH_TIMEOUT(reader->view()->url().fragment(), QStringLiteral("install-it"), 10000);
    QCOMPARE(nav->currentItem()->text(0), QStringLiteral("Setup"));
    QCOMPARE(reader->tocTree()->topLevelItemCount(), 2);   // Install it (with Check it), Configure it
    QCOMPARE(reader->tocTree()->topLevelItem(0)->child(0)->text(0), QStringLiteral("Check it"));
    QVERIFY(m_browser.opened.isEmpty());

    // Edit this page: the repository's edit URL of this page's source.
    QVERIFY(reader->editButton()->isEnabled());
    QCOMPARE(reader->editUrl(), QStringLiteral("https://git.example.com/northwind/basket/edit/main/docs/guides/setup.md"));
    reader->editButton()->click();
    QCOMPARE(m_browser.opened.value(0), QUrl(reader->editUrl()));

    // Back home by a relative link, then out to the web: the system browser gets it, the reader stays.
    click(reader, QStringLiteral("article a[href=\"../../\"]"));
    QVERIFY(loaded.wait(20000));
    QCOMPARE(reader->location(), QString());
    const QUrl before = reader->view()->url();
    m_browser.opened.clear();
    click(reader, QStringLiteral("article a[href^=\"https://backstage.io\"]"));
    QTRY_COMPARE_WITH_TIMEOUT(m_browser.opened.size(), 1, 10000);
    QCOMPARE(m_browser.opened.first(), QUrl(QStringLiteral("https://backstage.io/docs/overview/what-is-backstage")));
    QTest::qWait(300);
    QCOMPARE(reader->view()->url(), before);
    // External nav entries go to the browser as well.
    QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(nav->topLevelItem(2)).center());
    QCOMPARE(m_browser.opened.last(), QUrl(QStringLiteral("https://backstage.io/docs/")));
}

void TestDocsReader::pagesTouchNoNetworkAndRunNoScript()
{
    const int blockedBefore = m_window->docsWeb().blockedRequests();
    DocsReader *reader = openDocs(Handbook);
    QVERIFY(reader);
    QTest::qWait(500);
    QCOMPARE(m_connections, 0);
    QVERIFY(m_window->docsWeb().blockedRequests() > blockedBefore);
    QCOMPARE(js(reader, QStringLiteral("document.querySelector('img[alt=\"remote badge\"]').naturalWidth")).toInt(), 0);

    // A site that slipped past the sanitiser (a hostile server, say) still runs nothing.
    Store::DocsSiteWrite hostile;
    hostile.entityRef = QStringLiteral("component:default/identity-service");
    hostile.entityUid = QStringLiteral("hostile");
    hostile.files = {{QStringLiteral("index.html"),
                      "<!doctype html><html><head><title>x</title></head><body>"
                      "<script>document.title = 'script ran'</script>"
                      "<img src=\"nothing.png\" onerror=\"document.title = 'handler ran'\">"
                      "<iframe src=\"http://127.0.0.1:" + QByteArray::number(m_network.serverPort()) + "/frame\"></iframe>"
                      "<p id=\"still\">still readable</p></body></html>"},
                     {QStringLiteral("techdocs_metadata.json"), R"({"site_name":"Hostile","files":["index.html"]})"}};
    QVERIFY(m_cache->store().putDocsSite(hostile));
    reader = openDocs(hostile.entityRef);
    QVERIFY(reader);
    QTest::qWait(500);
    QCOMPARE(reader->view()->page()->title(), QStringLiteral("x"));
    QCOMPARE(js(reader, QStringLiteral("document.getElementById('still').textContent")).toString(), QStringLiteral("still readable"));
    QCOMPARE(m_connections, 0);
    QVERIFY(m_cache->store().removeDocsSite(hostile.entityRef));
}

void TestDocsReader::diagramsAreDrawnOrStayCode()
{
    DocsReader *reader = m_window->docsPage()->reader();
    // The demo's architecture page: a ```mermaid block without superfences' custom fence.
    QSignalSpy drawn(reader, &DocsReader::diagramsDrawn);
    QVERIFY(openDocs(Checkout, QStringLiteral("architecture/")));
    QVERIFY(drawn.wait(30000));
#ifdef GREENROOM_HAVE_MERMAID
    QCOMPARE(drawn.last().at(0).toInt(), 1);
    QCOMPARE(drawn.last().at(1).toInt(), 1);
    QCOMPARE(js(reader, QStringLiteral("document.querySelectorAll('.mermaid-diagram svg').length")).toInt(), 1);
    QVERIFY(js(reader, QStringLiteral("document.querySelector('.mermaid-diagram svg').textContent")).toString().contains(QLatin1String("Payments")));
    // The handbook's superfences fence (<pre class="mermaid">) too.
    drawn.clear();
    QVERIFY(openDocs(Handbook));
    QVERIFY(drawn.wait(30000));
    QCOMPARE(drawn.last().at(0).toInt(), 1);
    QVERIFY(js(reader, QStringLiteral("document.querySelector('.mermaid-diagram svg').textContent")).toString().contains(QLatin1String("Pricing")));
#else
    QCOMPARE(drawn.last().at(0).toInt(), 0);
    QCOMPARE(drawn.last().at(1).toInt(), 1);
#endif
    // Without mermaid.js the diagram stays a readable code block.
    m_window->docsWeb().setDiagramsEnabled(false);
    drawn.clear();
    QVERIFY(openDocs(Checkout, QStringLiteral("architecture/")));
    QVERIFY(drawn.wait(30000));
    QCOMPARE(drawn.last().at(0).toInt(), 0);
    QCOMPARE(drawn.last().at(1).toInt(), 1);
    QCOMPARE(js(reader, QStringLiteral("document.querySelectorAll('svg').length")).toInt(), 0);
    QVERIFY(js(reader, QStringLiteral("document.querySelector('.highlight td.code code').textContent")).toString().startsWith(
        QLatin1String("sequenceDiagram")));
    m_window->docsWeb().setDiagramsEnabled(true);
}

void TestDocsReader::lightAndDarkScreenshots()
{
    m_window->docsWeb().setDark(false);
    DocsReader *reader = openDocs(Checkout, QStringLiteral("architecture/"));
    QVERIFY(reader);
    QSignalSpy drawn(reader, &DocsReader::diagramsDrawn);
    drawn.wait(30000);
    QCOMPARE(js(reader, QStringLiteral("getComputedStyle(document.body).backgroundColor")).toString(), QStringLiteral("rgb(255, 255, 255)"));
    save(m_window.get(), QStringLiteral("docs-reader.png"));
    const QImage light = reader->view()->grab().toImage();

    QSignalSpy loaded(reader, &DocsReader::pageLoaded);
    reader->darkButton()->click();
    QVERIFY(m_window->docsWeb().dark());
    QVERIFY(loaded.wait(20000));
    drawn.wait(30000);
    QCOMPARE(js(reader, QStringLiteral("document.documentElement.getAttribute('data-md-color-scheme')")).toString(), QStringLiteral("slate"));
    QCOMPARE(js(reader, QStringLiteral("getComputedStyle(document.body).backgroundColor")).toString(), QStringLiteral("rgb(30, 33, 41)"));
    save(m_window.get(), QStringLiteral("docs-reader-dark.png"));
    const QImage dark = reader->view()->grab().toImage();
    QVERIFY(QColor(light.pixel(light.width() * 3 / 4, 8)).lightness() > 200);   // the page background
    QVERIFY(QColor(dark.pixel(dark.width() * 3 / 4, 8)).lightness() < 60);
    reader->darkButton()->click();
    QVERIFY(!m_window->docsWeb().dark());
    QVERIFY(waitForPage(reader));
}

void TestDocsReader::entityPageHasADocsTab()
{
    m_window->openEntity(Checkout);
    EntityPage *entity = m_window->entityPage();
    const int tab = entity->docsTab();
    QVERIFY(tab > 0);
    QCOMPARE(entity->tabs()->tabText(tab), QStringLiteral("Docs"));
    QSignalSpy loaded(entity->docsReader(), &DocsReader::pageLoaded);
    entity->tabs()->setCurrentIndex(tab);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(entity->docsReader()->entityRef(), Checkout);
    QCOMPARE(entity->docsReader()->navTree()->topLevelItemCount(), 3);
    save(m_window.get(), QStringLiteral("entity-docs-tab.png"));

    // An entity without docs has no Docs tab.
    m_window->openEntity(QStringLiteral("component:default/identity-service"));
    QCOMPARE(entity->docsTab(), -1);
}

void TestDocsReader::searchFindsDocsSections()
{
    SearchPalette *palette = m_window->searchPalette();
    // A word only the handbook's "Quokka corner" section has.
    const QStringList hits = palette->searchDocs(QStringLiteral("zephyrine"));
    QCOMPARE(hits, QStringList{Handbook + QStringLiteral(" #quokka-corner")});
    m_window->openSearch();
    palette->input()->setText(QStringLiteral("zephyrine"));
    QListWidget *results = palette->results();
    QCOMPARE(results->count(), 2);   // the section (not its page too), and the line to the Search page
    QVERIFY2(results->item(0)->text().contains(QLatin1String("Quokka corner")), qPrintable(results->item(0)->text()));
    QVERIFY(results->item(1)->text().contains(QLatin1String("Search page")));
    QVERIFY(results->item(0)->toolTip().contains(QLatin1String("zephyrine")));
    DocsReader *reader = m_window->docsPage()->reader();
    QSignalSpy loaded(reader, &DocsReader::pageLoaded);
    QTest::keyClick(palette->input(), Qt::Key_Return);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Docs);
    QCOMPARE(reader->entityRef(), Handbook);
    QCOMPARE(reader->view()->url().fragment(), QStringLiteral("quokka-corner"));
    // Entities and docs in one ranking: the exact name first, docs sections among the rest.
    palette->input()->setText(QStringLiteral("checkout"));
    QVERIFY(results->count() > 2);
    QVERIFY(!results->item(0)->text().startsWith(QLatin1String("Docs:")));
    bool docs = false;
    for (int row = 1; row < results->count() - 1; ++row)
        docs = docs || results->item(row)->text().startsWith(QLatin1String("Docs:"));
    QVERIFY(docs);
    palette->hide();
}

void TestDocsReader::newBuildsReplaceTheShownSite()
{
    DocsReader *reader = openDocs(Handbook);
    QVERIFY(reader);
    // The sync client stores a new build; the cache tells the views.
    writeHandbook(QStringLiteral("\n## Added later\n\nA section from the next build.\n"));
    const QString built = TestSupport::storeBuiltDocs(m_cache->store(), Handbook, m_handbookRoot);
    QVERIFY2(built.isEmpty(), qPrintable(built));
    QSignalSpy loaded(reader, &DocsReader::pageLoaded);
    m_cache->notifyChanged(m_cache->store().docsSite(Handbook)->sequence);
    QVERIFY(loaded.wait(20000));
    QVERIFY(js(reader, QStringLiteral("document.body.textContent")).toString().contains(QLatin1String("A section from the next build.")));
    QTreeWidget *toc = reader->tocTree();
    QCOMPARE(toc->topLevelItem(toc->topLevelItemCount() - 1)->text(0), QStringLiteral("Added later"));
}

void TestDocsReader::missingDocsSayWhy()
{
    DocsPage *page = m_window->docsPage();
    QVERIFY(!page->showSite(QStringLiteral("component:default/no-such-thing"), QStringLiteral("later/")));
    QLabel *message = page->reader()->findChild<QLabel *>(QStringLiteral("docsMessage"));
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().startsWith(QLatin1String("The cache holds no documentation for component:no-such-thing.")), qPrintable(message->text()));
    // When that site arrives (the first sync), the reader shows it.
    Store::DocsSiteWrite late;
    late.entityRef = QStringLiteral("component:default/no-such-thing");
    late.entityUid = QStringLiteral("late");
    late.files = {{QStringLiteral("index.html"), "<!doctype html><html><head><title>Late</title></head><body><p>home</p></body></html>"},
                  {QStringLiteral("later/index.html"), "<!doctype html><html><head><title>Later</title></head><body><p>arrived</p></body></html>"},
                  {QStringLiteral("techdocs_metadata.json"), R"({"site_name":"Late","files":["index.html"]})"}};
    QVERIFY(m_cache->store().putDocsSite(late));
    QSignalSpy loaded(page->reader(), &DocsReader::pageLoaded);
    m_cache->notifyChanged(m_cache->store().docsSite(late.entityRef)->sequence);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(page->reader()->entityRef(), late.entityRef);
    QCOMPARE(page->reader()->location(), QStringLiteral("later/"));   // the page asked for, not the home page
    QCOMPARE(page->reader()->view()->page()->title(), QStringLiteral("Later"));
    QVERIFY(!message->isVisible());
    QVERIFY(m_cache->store().removeDocsSite(late.entityRef));

    // A page the site does not have: the reader says so instead of a browser error.
    DocsReader *reader = openDocs(Checkout, QStringLiteral("no-such-page/"));
    QVERIFY(reader);
    QVERIFY(js(reader, QStringLiteral("document.body.textContent")).toString().contains(QLatin1String("no page")));
}

void TestDocsReader::docsNotBuiltYetAreBuiltWhenOpened()
{
    // A real server on a catalog whose docs nobody has asked for: none are built.
    QTemporaryDir folder;
    const auto component = [](const QString &name) {
        return QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: %1\n"
                              "  annotations: {backstage.io/techdocs-ref: 'dir:./%1'}\n"
                              "spec: {type: service, lifecycle: production, owner: team-checkout}\n").arg(name).toUtf8();
    };
    TestSupport::writeFile(folder.filePath(QStringLiteral("catalog-info.yaml")), component(QStringLiteral("lazy-guide")) + component(QStringLiteral("bad-guide")));
    TestSupport::writeFile(folder.filePath(QStringLiteral("lazy-guide/mkdocs.yml")), "site_name: Lazy guide\n");
    TestSupport::writeFile(folder.filePath(QStringLiteral("lazy-guide/docs/index.md")), "# Lazy guide\n\nBuilt on first sight.\n");
    TestSupport::writeFile(folder.filePath(QStringLiteral("bad-guide/mkdocs.yml")), "nav: [index.md]\n");
    TestSupport::writeFile(folder.filePath(QStringLiteral("app-config.yaml")),
                           QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                                          "catalog:\n  rules: [{allow: [Component]}]\n  locations: [{type: file, target: ./catalog-info.yaml}]\n").toUtf8());
    TestSupport::ServerProcess server;
    QVERIFY2(server.start(folder.path()), server.output().constData());
    const QString lazy = QStringLiteral("component:default/lazy-guide");
    const QString bad = QStringLiteral("component:default/bad-guide");
    for (const QString &name : {QStringLiteral("lazy-guide"), QStringLiteral("bad-guide")})
        mirror(server.request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/") + name).json().toObject());
    QCOMPARE(server.request("GET", QStringLiteral("/api/sync/v1/docs/default/component/lazy-guide")).status, 404);

    // Listed and tabbed as documented before any site exists.
    m_window->showPage(MainWindow::Page::Docs);
    DocsPage *page = m_window->docsPage();
    QCOMPARE(page->listing()->rowCount(), 5);
    m_window->openEntity(lazy);
    QVERIFY(m_window->entityPage()->docsTab() > 0);

    // Offline (no server to ask): the reader says the docs are not built yet.
    QVERIFY(!page->showSite(lazy));
    QLabel *message = page->reader()->findChild<QLabel *>(QStringLiteral("docsMessage"));
    QVERIFY2(message->text().startsWith(QLatin1String("The docs of lazy-guide have not been built yet.")), qPrintable(message->text()));

    // Connected: opening them asks the server, which builds them, with its log on show.
    m_window->docsWeb().setServer(QUrl(server.base()), {});
    QSignalSpy logged(&m_window->docsWeb(), &DocsWeb::buildLog);
    QVERIFY(!page->showSite(lazy));
    QVERIFY2(message->text().startsWith(QStringLiteral("Building the docs of lazy-guide on the server…")), qPrintable(message->text()));
    QTRY_VERIFY_WITH_TIMEOUT(message->text().startsWith(QLatin1String("The server has built the docs of lazy-guide")), 30000);
    QVERIFY(logged.contains({lazy, QStringLiteral("info: Step 2 of 3: Generating docs for entity component:default/lazy-guide")}));
    // The sync feed brings the site (as SyncClient stores it), and the reader shows it.
    const TestSupport::Reply bundle = server.request("GET", QStringLiteral("/api/sync/v1/docs/default/component/lazy-guide"));
    QCOMPARE(bundle.status, 200);
    auto site = Sync::parseDocsBundle(bundle.body);
    QVERIFY(site);
    QVERIFY(m_cache->store().putDocsSite(site.value()));
    QSignalSpy loaded(page->reader(), &DocsReader::pageLoaded);
    m_cache->notifyChanged(m_cache->store().docsSite(lazy)->sequence);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(page->reader()->entityRef(), lazy);
    QVERIFY(js(page->reader(), QStringLiteral("document.body.textContent")).toString().contains(QLatin1String("Built on first sight.")));

    // A build that fails says why.
    m_window->openDocs(bad);   // from the window, as a click on a docs link does
    QTRY_VERIFY_WITH_TIMEOUT(message->text().startsWith(QLatin1String("The server could not build the docs of bad-guide.")), 30000);
    QVERIFY2(message->text().contains(QLatin1String("Config value 'site_name': Required configuration not provided.")), qPrintable(message->text()));
    // The server's words and the author's names are shown as text, never as markup.
    QCOMPARE(message->textFormat(), Qt::PlainText);
    QCOMPARE(page->reader()->siteTitle()->textFormat(), Qt::PlainText);
    save(m_window.get(), QStringLiteral("docs-build-failed.png"));
    m_window->docsWeb().setServer({}, {});
}

void TestDocsReader::cleanupTestCase()
{
    m_window.reset();
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
}

int main(int argc, char *argv[])
{
    // As the app's main(): the scheme and GL sharing before the application.
    Greenroom::Ui::DocsUrl::registerScheme();
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    TestDocsReader test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_docsreader.moc"
