// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "plugins/desktopplugins.h"
#include "plugins/entitylayout.h"
#include "plugins/pluginentityview.h"

#include <QMainWindow>

#include <memory>

class QListWidget;
class QNetworkAccessManager;
class QStackedWidget;
class QSettings;

namespace Greenroom::Ui {

class CatalogCache;
class CatalogPage;
class CreatePage;
class DocsPage;
class DocsWeb;
class EntityPage;
class HomePage;
class SearchPage;
class SearchPalette;
class ServerProfiles;
class TokenVault;
class SettingsPage;
class SyncStatusWidget;
class AccountWidget;
class UserPreferences;

/*
 * The desktop window: a sidebar like Backstage's (Home, Catalog, APIs, Docs,
 * Create, Search, Settings), the pages, and the sync state in the status
 * bar. Moving between pages and entities is recorded like a browser's
 * history (Alt+Left / Alt+Right, the mouse's back and forward buttons).
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Page { Home, Catalog, Apis, Docs, Create, Search, Settings, Entity, Plugin };

    // Without `profiles` and `vault` the settings page shows no servers.
    MainWindow(CatalogCache &cache, UserPreferences &preferences, QSettings &settings, ServerProfiles *profiles = nullptr,
               TokenVault *vault = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    Page currentPage() const { return m_current.page; }
    QString currentEntity() const { return m_current.ref; }
    QString currentDocsLocation() const { return m_current.location; }
    CatalogPage *catalogPage() const { return m_catalog; }
    CatalogPage *apisPage() const { return m_apis; }
    EntityPage *entityPage() const { return m_entity; }
    DocsPage *docsPage() const { return m_docs; }
    CreatePage *createPage() const { return m_create; }
    DocsWeb &docsWeb() const { return *m_docsWeb; }
    HomePage *homePage() const { return m_home; }
    SettingsPage *settingsPage() const { return m_settingsPage; }
    SearchPalette *searchPalette() const { return m_palette; }
    SearchPage *searchPage() const { return m_search; }
    SyncStatusWidget *syncStatus() const { return m_syncStatus; }
    AccountWidget *account() const { return m_account; }
    QListWidget *sidebar() const { return m_sidebar; }
    // Tabs and cards of entity pages (built-in and plugins'), and what plugins may use.
    EntityLayout &entityLayout() { return m_layout; }
    PluginServices &pluginServices() { return m_pluginServices; }
    // After plugins are loaded: their sidebar pages, and their statuses for Settings.
    void installPlugins(const QList<PluginStatus> &statuses);
    // A plugin's sidebar page (page:<plugin>/<id>); false when there is none.
    bool openPluginPage(const QString &pageId);
    bool canGoBack() const { return !m_back.isEmpty(); }
    bool canGoForward() const { return !m_forward.isEmpty(); }

    // Restores geometry and the last page; call before show().
    void restoreState();

public Q_SLOTS:
    void showPage(Greenroom::Ui::MainWindow::Page page);
    void openEntity(const QString &ref);
    // The entity's docs in the reader, at `location` of its site ("" = home).
    void openDocs(const QString &ref, const QString &location = {});
    // greenroom://catalog/<namespace>/<kind>/<name>,
    // greenroom://docs/<namespace>/<kind>/<name>[/page/] and
    // greenroom://create[/templates/<namespace>/<name>]; false for anything else.
    bool openUrl(const QUrl &url);
    void goBack();
    void goForward();
    // Ctrl+K: the quick search; `term` on the Search page.
    void openSearch();
    void openSearchPage(const QString &term);

protected:
    void closeEvent(QCloseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    struct Place
    {
        Page page = Page::Home;
        QString ref;
        QString location;   // in a docs site
        bool operator==(const Place &other) const
        {
            return page == other.page && ref == other.ref && location == other.location;
        }
    };
    void go(const Place &place, bool record);
    void createMenus();

    CatalogCache &m_cache;
    UserPreferences &m_preferences;
    QSettings &m_settings;
    std::unique_ptr<DocsWeb> m_docsWeb;   // outlives the readers in the pages
    EntityLayout m_layout;
    QNetworkAccessManager *m_pluginNetwork;   // lent to plugins (PluginServices::network is never null)
    PluginServices m_pluginServices;
    QStackedWidget *m_pluginPages;
    QStringList m_pluginPageIds;          // by index in m_pluginPages
    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    HomePage *m_home;
    CatalogPage *m_catalog;
    CatalogPage *m_apis;
    DocsPage *m_docs;
    CreatePage *m_create;
    SettingsPage *m_settingsPage;
    EntityPage *m_entity;
    SearchPalette *m_palette;
    SearchPage *m_search;
    SyncStatusWidget *m_syncStatus;
    AccountWidget *m_account;
    Place m_current;
    QList<Place> m_back;
    QList<Place> m_forward;
};

} // namespace Greenroom::Ui
