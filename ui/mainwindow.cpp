// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "mainwindow.h"

#include "dialogs/searchpalette.h"
#include "pages/searchpage.h"
#include "widgets/docsweb.h"
#include "models/catalogcache.h"
#include "models/userpreferences.h"
#include "pages/catalogpage.h"
#include "pages/createpage.h"
#include "pages/docspage.h"
#include "pages/entitypage.h"
#include "pages/homepage.h"
#include "pages/settingspage.h"
#include "widgets/docsreader.h"
#include "widgets/heading.h"
#include "widgets/accountwidget.h"
#include "widgets/syncstatuswidget.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QNetworkAccessManager>
#include <QMessageBox>
#include <QMouseEvent>
#include <QSettings>
#include <QStackedWidget>
#include <QUrlQuery>
#include <QStatusBar>
#include <QUrl>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

struct SidebarEntry
{
    MainWindow::Page page;
    const char *label;
    const char *shortcut;
};

const QList<SidebarEntry> &sidebarEntries()
{
    static const QList<SidebarEntry> entries{
        {MainWindow::Page::Home, QT_TRANSLATE_NOOP("MainWindow", "Home"), "Ctrl+1"},
        {MainWindow::Page::Catalog, QT_TRANSLATE_NOOP("MainWindow", "Catalog"), "Ctrl+2"},
        {MainWindow::Page::Apis, QT_TRANSLATE_NOOP("MainWindow", "APIs"), "Ctrl+3"},
        {MainWindow::Page::Docs, QT_TRANSLATE_NOOP("MainWindow", "Docs"), "Ctrl+4"},
        {MainWindow::Page::Create, QT_TRANSLATE_NOOP("MainWindow", "Create"), "Ctrl+5"},
        {MainWindow::Page::Search, QT_TRANSLATE_NOOP("MainWindow", "Search"), "Ctrl+K"},
        {MainWindow::Page::Settings, QT_TRANSLATE_NOOP("MainWindow", "Settings"), "Ctrl+,"},
    };
    return entries;
}

// The platform's keys for a standard action, plus `alternative` unless it is one of them already.
QList<QKeySequence> withAlternative(QKeySequence::StandardKey key, const QKeySequence &alternative)
{
    QList<QKeySequence> keys = QKeySequence::keyBindings(key);
    if (!keys.contains(alternative))
        keys.append(alternative);
    return keys;
}

} // namespace

MainWindow::MainWindow(CatalogCache &cache, UserPreferences &preferences, QSettings &settings, ServerProfiles *profiles,
                       TokenVault *vault, QWidget *parent)
    : QMainWindow(parent), m_cache(cache), m_preferences(preferences), m_settings(settings),
      m_docsWeb(std::make_unique<DocsWeb>(cache))
{
    m_docsWeb->setDark(palette().color(QPalette::Window).lightness() < 128);
    setWindowTitle(QStringLiteral("Greenroom"));
    m_sidebar = new QListWidget;
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setFixedWidth(160);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    for (const SidebarEntry &entry : sidebarEntries())
        m_sidebar->addItem(tr(entry.label));
    QFont sidebarFont = m_sidebar->font();
    sidebarFont.setPointSizeF(sidebarFont.pointSizeF() * 1.1);
    m_sidebar->setFont(sidebarFont);
    m_sidebar->setStyleSheet(QStringLiteral("QListWidget#sidebar { background: #171717; color: #e0e0e0; padding-top: 12px; }"
                                            "QListWidget#sidebar::item { padding: 9px 14px; }"
                                            "QListWidget#sidebar::item:selected { background: #2b2b2b; color: #9cf09c; "
                                            "border-left: 3px solid #9cf09c; }"));

    m_home = new HomePage(cache, preferences);
    m_catalog = new CatalogPage(cache, preferences);
    m_catalog->setObjectName(QStringLiteral("catalogPage"));
    m_apis = new CatalogPage(cache, preferences, QStringLiteral("API"));
    m_apis->setObjectName(QStringLiteral("apisPage"));
    m_docs = new DocsPage(cache, *m_docsWeb);
    m_docs->setObjectName(QStringLiteral("docsPage"));
    m_create = new CreatePage(cache, preferences);
    m_create->setObjectName(QStringLiteral("createPage"));
    m_settingsPage = new SettingsPage(cache, preferences, profiles, vault);
    m_search = new SearchPage(cache);
    m_pluginNetwork = new QNetworkAccessManager(this);
    m_pluginServices.network = m_pluginNetwork;
    m_entity = new EntityPage(cache, preferences, m_layout, m_pluginServices, m_docsWeb.get());
    m_entity->setObjectName(QStringLiteral("entityPage"));
    m_pages = new QStackedWidget;
    for (QWidget *page : {static_cast<QWidget *>(m_home), static_cast<QWidget *>(m_catalog), static_cast<QWidget *>(m_apis),
                          static_cast<QWidget *>(m_docs), static_cast<QWidget *>(m_create), static_cast<QWidget *>(m_search), static_cast<QWidget *>(m_settingsPage),
                          static_cast<QWidget *>(m_entity)}) {
        m_pages->addWidget(page);
    }
    m_pluginPages = new QStackedWidget;
    m_pages->addWidget(m_pluginPages);   // Page::Plugin

    auto *central = new QWidget;
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sidebar);
    auto *pageFrame = new QWidget;
    auto *pageLayout = new QVBoxLayout(pageFrame);
    pageLayout->setContentsMargins(16, 12, 16, 8);
    pageLayout->addWidget(m_pages);
    layout->addWidget(pageFrame, 1);
    setCentralWidget(central);

    m_syncStatus = new SyncStatusWidget;
    m_account = new AccountWidget;
    statusBar()->addPermanentWidget(m_account);
    statusBar()->addPermanentWidget(m_syncStatus);
    m_palette = new SearchPalette(cache, this);

    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= sidebarEntries().size() && row - sidebarEntries().size() < m_pluginPageIds.size()) {
            openPluginPage(m_pluginPageIds.at(row - sidebarEntries().size()));
            return;
        }
        if (row < 0 || row >= sidebarEntries().size())
            return;
        const Page page = sidebarEntries().at(row).page;
        if (page != m_current.page)
            showPage(page);
        if (page == Page::Search)
            m_search->focusInput();
    });
    for (CatalogPage *page : {m_catalog, m_apis})
        connect(page, &CatalogPage::entityActivated, this, &MainWindow::openEntity);
    connect(m_home, &HomePage::entityActivated, this, &MainWindow::openEntity);
    connect(m_entity, &EntityPage::entityActivated, this, &MainWindow::openEntity);
    connect(m_create, &CreatePage::entityActivated, this, &MainWindow::openEntity);
    const auto launchTemplate = [this](const QString &ref) {
        showPage(Page::Create);
        m_create->chooseTemplate(ref);
    };
    connect(m_entity, &EntityPage::templateLaunched, this, launchTemplate);
    connect(m_entity, &EntityPage::statusMessage, this, [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_palette, &SearchPalette::entityChosen, this, &MainWindow::openEntity);
    connect(m_palette, &SearchPalette::docsChosen, this, &MainWindow::openDocs);
    connect(m_palette, &SearchPalette::templateChosen, this, launchTemplate);
    connect(m_palette, &SearchPalette::fullSearchRequested, this, &MainWindow::openSearchPage);
    connect(m_search, &SearchPage::entityActivated, this, &MainWindow::openEntity);
    connect(m_search, &SearchPage::docsActivated, this, &MainWindow::openDocs);
    connect(m_search, &SearchPage::templateActivated, this, launchTemplate);
    connect(m_docs, &DocsPage::siteActivated, this, [this](const QString &ref) { openDocs(ref); });
    connect(m_docs, &DocsPage::entityActivated, this, &MainWindow::openEntity);
    createMenus();
    go({Page::Home, {}, {}}, false);
}

MainWindow::~MainWindow()
{
    // The pages' web views go before the docs profile they were made from.
    delete takeCentralWidget();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    QAction *back = go->addAction(tr("&Back"), this, &MainWindow::goBack);
    back->setShortcuts(withAlternative(QKeySequence::Back, QKeySequence(Qt::ALT | Qt::Key_Left)));
    QAction *forward = go->addAction(tr("&Forward"), this, &MainWindow::goForward);
    forward->setShortcuts(withAlternative(QKeySequence::Forward, QKeySequence(Qt::ALT | Qt::Key_Right)));
    go->addSeparator();
    for (const SidebarEntry &entry : sidebarEntries()) {
        const Page page = entry.page;
        QAction *action = go->addAction(tr(entry.label), this, [this, page] {
            if (page == Page::Search)
                openSearch();
            else
                showPage(page);
        });
        action->setShortcut(QKeySequence(QString::fromLatin1(entry.shortcut)));
    }
    QAction *filter = go->addAction(tr("Filter the table"), this, [this] {
        CatalogPage *page = m_current.page == Page::Apis ? m_apis : m_catalog;
        if (m_current.page != Page::Apis)
            showPage(Page::Catalog);
        page->textFilter()->setFocus();
        page->textFilter()->selectAll();
    });
    filter->setShortcut(QKeySequence::Find);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Greenroom"), this, [this] {
        QMessageBox::about(this, tr("About Greenroom"),
                           tr("<b>Greenroom</b> %1<br>A native developer portal: Backstage's catalog, docs and templates, "
                              "from a local cache.<br>Cache: %2").arg(QApplication::applicationVersion(), m_cache.path().toHtmlEscaped()));
    });
}

void MainWindow::restoreState()
{
    if (!restoreGeometry(m_settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);   // first run
    const Page page = Page(m_settings.value(QStringLiteral("window/page"), int(Page::Home)).toInt());
    const QString ref = m_settings.value(QStringLiteral("window/entity")).toString();
    if ((page == Page::Entity || page == Page::Docs) && !ref.isEmpty())
        go({page, ref, m_settings.value(QStringLiteral("window/docsLocation")).toString()}, false);
    else if (page >= Page::Home && page <= Page::Settings)
        go({page, {}, {}}, false);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings.setValue(QStringLiteral("window/page"), int(m_current.page));
    m_settings.setValue(QStringLiteral("window/entity"), m_current.ref);
    m_settings.setValue(QStringLiteral("window/docsLocation"), m_current.page == Page::Docs ? m_docs->reader()->location() : QString());
    QMainWindow::closeEvent(event);
}

void MainWindow::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::BackButton)
        goBack();
    else if (event->button() == Qt::ForwardButton)
        goForward();
    else
        QMainWindow::mouseReleaseEvent(event);
}

void MainWindow::showPage(Page page)
{
    go({page, {}, {}}, true);
}

void MainWindow::openEntity(const QString &ref)
{
    if (ref.isEmpty())
        return;
    go({Page::Entity, ref.toLower(), {}}, true);
}

void MainWindow::openDocs(const QString &ref, const QString &location)
{
    if (ref.isEmpty())
        return;
    if (m_current.page == Page::Docs && m_current.ref == ref.toLower()) {
        // Another page of the site on show: the reader moves, history does not.
        m_current.location = location;
        m_docs->showSite(m_current.ref, location);
        return;
    }
    go({Page::Docs, ref.toLower(), location}, true);
}

bool MainWindow::openUrl(const QUrl &url)
{
    // greenroom://catalog/<namespace>/<kind>/<name>, as Backstage's /catalog/:namespace/:kind/:name,
    // and greenroom://docs/<namespace>/<kind>/<name>/<page>, as its /docs/:namespace/:kind/:name/*.
    const QStringList parts = url.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    // greenroom://create and greenroom://create/templates/<namespace>/<name>, as Backstage's /create routes.
    if (url.scheme() == QLatin1String("greenroom") && url.host() == QLatin1String("create")) {
        if (!parts.isEmpty() && (parts.size() != 3 || parts.at(0) != QLatin1String("templates")))
            return false;
        showPage(Page::Create);
        if (parts.size() == 3)
            m_create->chooseTemplate(QStringLiteral("template:%1/%2").arg(parts.at(1), parts.at(2)));
        return true;
    }
    // greenroom://search?query=<words>, as Backstage's /search?query=.
    if (url.scheme() == QLatin1String("greenroom") && url.host() == QLatin1String("search")) {
        openSearchPage(QUrlQuery(url).queryItemValue(QStringLiteral("query"), QUrl::FullyDecoded));
        return true;
    }
    if (url.scheme() != QLatin1String("greenroom") || parts.size() < 3)
        return false;
    const QString ref = QStringLiteral("%1:%2/%3").arg(parts.at(1), parts.at(0), parts.at(2));
    if (url.host() == QLatin1String("catalog") && parts.size() == 3) {
        openEntity(ref);
        return true;
    }
    if (url.host() == QLatin1String("docs")) {
        QString location = parts.mid(3).join(QLatin1Char('/'));
        if (!location.isEmpty())
            location += QLatin1Char('/');
        if (url.hasFragment())
            location += QLatin1Char('#') + url.fragment();
        openDocs(ref, location);
        return true;
    }
    return false;
}

void MainWindow::go(const Place &place, bool record)
{
    if (record && place == m_current)
        return;
    if (record) {
        m_back.append(m_current);
        m_forward.clear();
    }
    m_current = place;
    if (place.page == Page::Entity) {
        m_entity->showEntity(place.ref);
        m_preferences.visited(place.ref);
        setWindowTitle(QStringLiteral("%1 — Greenroom").arg(place.ref));
    } else if (place.page == Page::Docs && !place.ref.isEmpty()) {
        m_docs->showSite(place.ref, place.location);
        setWindowTitle(tr("Docs of %1 — Greenroom").arg(place.ref));
    } else if (place.page == Page::Docs) {
        m_docs->showListing();
        setWindowTitle(QStringLiteral("Greenroom"));
    } else if (place.page == Page::Plugin) {
        m_pluginPages->setCurrentIndex(int(m_pluginPageIds.indexOf(place.ref)));
        setWindowTitle(QStringLiteral("Greenroom"));
    } else {
        setWindowTitle(QStringLiteral("Greenroom"));
    }
    m_pages->setCurrentIndex(int(place.page));
    // The sidebar shows where the page belongs (an entity: the catalog).
    const Page section = place.page == Page::Entity ? (place.ref.startsWith(QLatin1String("api:")) ? Page::Apis : Page::Catalog)
                                                    : place.page;
    m_sidebar->blockSignals(true);
    for (int i = 0; i < sidebarEntries().size(); ++i) {
        if (sidebarEntries().at(i).page == section)
            m_sidebar->setCurrentRow(i);
    }
    if (section == Page::Plugin)
        m_sidebar->setCurrentRow(int(sidebarEntries().size() + m_pluginPageIds.indexOf(place.ref)));
    m_sidebar->blockSignals(false);
}

void MainWindow::installPlugins(const QList<PluginStatus> &statuses)
{
    for (const EntityLayout::Page *page : m_layout.pages()) {
        if (m_pluginPageIds.contains(page->id))
            continue;
        QWidget *widget = page->page.create ? page->page.create() : nullptr;
        if (!widget)
            continue;
        if (widget->objectName().isEmpty())
            widget->setObjectName(page->id);
        m_pluginPages->addWidget(widget);
        m_pluginPageIds.append(page->id);
        m_sidebar->addItem(page->page.title);
    }
    m_settingsPage->showPlugins(statuses);
}

bool MainWindow::openPluginPage(const QString &pageId)
{
    if (!m_pluginPageIds.contains(pageId))
        return false;
    go({Page::Plugin, pageId, {}}, true);
    return true;
}

void MainWindow::goBack()
{
    if (m_back.isEmpty())
        return;
    m_forward.append(m_current);
    go(m_back.takeLast(), false);
}

void MainWindow::goForward()
{
    if (m_forward.isEmpty())
        return;
    m_back.append(m_current);
    go(m_forward.takeLast(), false);
}

void MainWindow::openSearch()
{
    m_palette->popup();
}

void MainWindow::openSearchPage(const QString &term)
{
    showPage(Page::Search);
    m_search->search(term);
}

} // namespace Greenroom::Ui
