// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;
class QWebEngineView;

namespace Greenroom::Ui {

class DocsWeb;

/*
 * Reads one entity's TechDocs from the cache, as Backstage's reader does:
 * the site's nav as a tree on the left, the page in the middle, the page's
 * table of contents on the right, an "edit this page" button and a light/
 * dark switch. Links inside the docs stay in the reader (another entity's
 * docs included); everything else opens in the system browser, and
 * greenroom://catalog/... links open the entity. Mermaid diagrams are drawn
 * when the app has mermaid.js; without it they stay readable code blocks.
 *
 * The web view is made on the first open(), so a window that never shows
 * docs never starts QtWebEngine.
 */
class DocsReader : public QWidget
{
    Q_OBJECT

public:
    explicit DocsReader(DocsWeb &web, QWidget *parent = nullptr);
    ~DocsReader() override;

    // Shows `location` ("" = home, "setup/", "setup/#install") of the
    // entity's site; false (and a message) when the cache has no site for
    // it. A documented entity's site not built yet is asked for (DocsWeb)
    // and shown once it has synced.
    bool open(const QString &entityRef, const QString &location = {});
    // Re-reads the site when the cache holds a newer build of it, or shows
    // the site open() asked for once it has arrived.
    void refresh();

    QString entityRef() const { return m_ref; }
    // The page shown, site-relative, without its #fragment ("" = home).
    QString location() const { return m_location; }
    QString pageTitle() const;
    QString editUrl() const;

    QTreeWidget *navTree() const { return m_nav; }
    QTreeWidget *tocTree() const { return m_toc; }
    QWebEngineView *view() const { return m_view; }
    QToolButton *editButton() const { return m_edit; }
    QToolButton *darkButton() const { return m_dark; }
    QLabel *siteTitle() const { return m_title; }

Q_SIGNALS:
    // A page finished loading (ok = it drew); location as location().
    void pageLoaded(const QString &entityRef, const QString &location, bool ok);
    // Diagrams of the page are drawn (count may be 0); for tests and timing.
    void diagramsDrawn(int drawn, int found);
    void entityLinkActivated(const QString &entityRef);
    void siteChanged(const QString &entityRef);

protected:
    void changeEvent(QEvent *event) override;

private:
    class Page;
    enum class SiteLoad { Missing, Same, Loaded };
    // Why a site is not in the cache, as the message says it.
    enum class BuildState { Undocumented, NoServer, Building, Built, Failed };
    void showMissing(const QString &entityRef, BuildState state, const QString &detail = {});
    void ensureView();
    SiteLoad loadSite(const QString &entityRef);
    // Shows another page of the loaded site in the loaded document; false
    // when it cannot (the page is not stored, or is not a built page).
    bool swapPage(const QString &target);
    void fillNav(const QJsonArray &items, QTreeWidgetItem *parent);
    void showPageChrome();
    void onUrlChanged(const QUrl &url);
    void onLoadFinished(bool ok);
    void drawDiagrams();
    QJsonObject outlinePage(const QString &location) const;

    DocsWeb &m_web;
    QLabel *m_title;
    QLabel *m_description;
    QToolButton *m_edit;
    QToolButton *m_dark;
    QTreeWidget *m_nav;
    QTreeWidget *m_toc;
    QStackedWidget *m_centre;
    QLabel *m_message;
    QWebEngineView *m_view = nullptr;
    QString m_ref;
    QString m_etag;
    QString m_location;
    QUrl m_shownUrl;
    std::pair<QString, QString> m_awaited;   // ref and location asked for before the cache had them   // the page whose content the view shows (empty while loading)
    QJsonObject m_outline;
    QHash<QString, QJsonObject> m_pages;   // outline pages by url
};

} // namespace Greenroom::Ui
