// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docsreader.h"

#include "widgets/docsweb.h"
#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "widgets/heading.h"

#include <docs/sitebuilder.h>
#include <model/annotations.h>
#include <model/entityref.h>

#include <QDesktopServices>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPointer>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineView>

namespace Greenroom::Ui {

namespace {

constexpr int UrlRole = Qt::UserRole;
constexpr int ExternalRole = Qt::UserRole + 1;

// Finds the page's diagrams: superfences' mermaid blocks (pre/div.mermaid),
// and, as Backstage's mermaid add-on does, plain code blocks whose text
// starts with a diagram keyword (```mermaid without the custom fence).
const char kFindDiagrams[] = R"JS(
function greenroomDiagrams() {
  const keyword = /^\s*(graph|flowchart|sequenceDiagram|classDiagram|stateDiagram(-v2)?|erDiagram|journey|gantt|pie|gitGraph|mindmap|timeline|quadrantChart|requirementDiagram|sankey-beta|xychart-beta|block-beta|packet-beta|architecture-beta|kanban|radar-beta|C4Context|C4Container|C4Component|C4Dynamic|C4Deployment)\b/;
  const found = [];
  for (const element of document.querySelectorAll('pre.mermaid, div.mermaid'))
    found.push({element, text: element.textContent});
  for (const element of document.querySelectorAll('.highlight.language-mermaid, .highlight.language-text')) {
    const code = element.querySelector('td.code code') || element.querySelector('code');
    if (code && (element.classList.contains('language-mermaid') || keyword.test(code.textContent)))
      found.push({element, text: code.textContent});
  }
  return found;
}
)JS";

// Draws them (mermaid is loaded in the same isolated world just before) and
// records "drawn/found" on <html data-greenroom-diagrams>, which the reader polls.
const char kDrawDiagrams[] = R"JS(
(async () => {
  const found = greenroomDiagrams();
  const dark = document.documentElement.getAttribute('data-md-color-scheme') === 'slate';
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default'});
  let drawn = 0;
  for (let i = 0; i < found.length; ++i) {
    const {element, text} = found[i];
    try {
      const {svg} = await mermaid.render('greenroom-diagram-' + i, text);
      const figure = document.createElement('div');
      figure.className = 'mermaid-diagram';
      figure.innerHTML = svg;
      element.replaceWith(figure);
      ++drawn;
    } catch (error) {
      const note = document.createElement('div');
      note.className = 'mermaid-error';
      note.textContent = 'This diagram could not be drawn: ' + (error && error.message ? error.message : error);
      element.after(note);
      const leftover = document.getElementById('dgreenroom-diagram-' + i);
      if (leftover) leftover.remove();
    }
  }
  document.documentElement.dataset.greenroomDiagrams = drawn + '/' + found.length;
})();
)JS";

// Replaces the shown article and footer with another page's (see
// DocsReader::swapPage); false when this document has no place for them.
const char kSwapPage[] = R"JS(
function greenroomSwap([article, footer, title, url, fragment]) {
  const shownArticle = document.querySelector('article.md-content__inner');
  const shownFooter = document.querySelector('footer.md-footer');
  if (!shownArticle || !shownFooter)
    return false;
  history.pushState(null, '', url);   // first: relative links and images resolve against the new page
  shownArticle.outerHTML = article;
  shownFooter.outerHTML = footer;
  const text = document.createElement('textarea');
  text.innerHTML = title;
  document.title = text.value;
  delete document.documentElement.dataset.greenroomDiagrams;
  const target = fragment ? document.getElementById(fragment) : null;
  if (target)
    target.scrollIntoView();
  else
    window.scrollTo(0, 0);
  return true;
}
)JS";

// A page's location as the outline names it: "setup/index.html" is "setup/".
QString pageLocation(QString path)
{
    if (path == QLatin1String("index.html") || path.endsWith(QLatin1String("/index.html")))
        path.chop(int(qstrlen("index.html")));
    return path;
}

bool paletteIsDark(const QWidget *widget)
{
    return widget->palette().color(QPalette::Window).lightness() < 128;
}

QTreeWidget *sideTree(const QString &objectName, const QString &header)
{
    auto *tree = new QTreeWidget;
    tree->setObjectName(objectName);
    tree->setHeaderLabel(header);
    tree->setRootIsDecorated(true);
    tree->setIndentation(14);
    tree->setFrameShape(QFrame::NoFrame);
    tree->setUniformRowHeights(true);
    tree->header()->setSectionResizeMode(QHeaderView::Stretch);
    return tree;
}

} // namespace

// Keeps navigation inside the docs; hands everything else to the desktop.
class DocsReader::Page : public QWebEnginePage
{
public:
    Page(QWebEngineProfile *profile, DocsReader *reader) : QWebEnginePage(profile, reader), m_reader(reader) {}

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame) override
    {
        if (url.scheme() == DocsUrl::Scheme) {
            // A click to another page of the shown site: swapped in, not loaded.
            const std::optional<DocsUrl::Address> address = DocsUrl::parse(url);
            if (type == NavigationTypeLinkClicked && isMainFrame && address && address->entityRef == m_reader->m_ref
                && !m_reader->m_shownUrl.isEmpty() && pageLocation(address->path) != m_reader->m_location) {
                QString location = pageLocation(address->path);
                if (url.hasFragment())
                    location += QLatin1Char('#') + url.fragment();
                QTimer::singleShot(0, m_reader, [reader = m_reader, ref = address->entityRef, location] { reader->open(ref, location); });
                return false;
            }
            return true;
        }
        if (url.scheme() == QLatin1String("greenroom") && url.host() == QLatin1String("catalog")) {
            const QStringList parts = url.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
            if (parts.size() == 3)
                Q_EMIT m_reader->entityLinkActivated(QStringLiteral("%1:%2/%3").arg(parts.at(1), parts.at(0), parts.at(2)).toLower());
            return false;
        }
        static const QStringList external{QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("mailto")};
        if (isMainFrame && type == NavigationTypeLinkClicked && external.contains(url.scheme()))
            QDesktopServices::openUrl(url);
        return false;
    }

    // target="_blank": the same rules, in this page.
    QWebEnginePage *createWindow(WebWindowType) override { return this; }

private:
    DocsReader *m_reader;
};

DocsReader::DocsReader(DocsWeb &web, QWidget *parent) : QWidget(parent), m_web(web)
{
    m_title = makeHeading({}, 1.35);
    m_title->setObjectName(QStringLiteral("docsSiteTitle"));
    m_title->setTextFormat(Qt::PlainText);   // site and entity names are the author's text
    m_description = new QLabel;
    m_description->setTextFormat(Qt::PlainText);
    m_description->setObjectName(QStringLiteral("docsSiteDescription"));
    m_description->setEnabled(false);   // the palette's muted text
    m_edit = new QToolButton;
    m_edit->setObjectName(QStringLiteral("docsEditButton"));
    m_edit->setText(tr("Edit this page"));
    m_edit->setToolTip(tr("Open this page's source in the repository"));
    m_edit->setEnabled(false);
    connect(m_edit, &QToolButton::clicked, this, [this] {
        const QString url = editUrl();
        if (!url.isEmpty())
            QDesktopServices::openUrl(QUrl(url));
    });
    m_dark = new QToolButton;
    m_dark->setObjectName(QStringLiteral("docsDarkButton"));
    m_dark->setText(tr("Dark"));
    m_dark->setToolTip(tr("Read the docs in Material's dark (slate) scheme"));
    m_dark->setCheckable(true);
    m_dark->setChecked(m_web.dark());
    connect(m_dark, &QToolButton::toggled, &m_web, &DocsWeb::setDark);
    connect(&m_web, &DocsWeb::darkChanged, this, [this](bool dark) {
        m_dark->setChecked(dark);
        if (m_view && !m_ref.isEmpty())
            m_view->reload();   // the scheme handler serves the page in the new scheme
    });

    // Docs not built yet: the server builds them when asked; its log shows here until they arrive.
    connect(&m_web, &DocsWeb::buildLog, this, [this](const QString &ref, const QString &line) {
        if (ref == m_awaited.first)
            showMissing(ref, BuildState::Building, line);
    });
    connect(&m_web, &DocsWeb::buildFinished, this, [this](const QString &ref) {
        if (ref == m_awaited.first && !m_web.cache().store().docsSite(ref))
            showMissing(ref, BuildState::Built);
    });
    connect(&m_web, &DocsWeb::buildFailed, this, [this](const QString &ref, const QString &message) {
        if (ref == m_awaited.first)
            showMissing(ref, BuildState::Failed, message);
    });

    auto *header = new QHBoxLayout;
    auto *titles = new QVBoxLayout;
    titles->setSpacing(0);
    titles->addWidget(m_title);
    titles->addWidget(m_description);
    header->addLayout(titles, 1);
    header->addWidget(m_edit, 0, Qt::AlignBottom);
    header->addWidget(m_dark, 0, Qt::AlignBottom);

    m_nav = sideTree(QStringLiteral("docsNav"), tr("Pages"));
    m_toc = sideTree(QStringLiteral("docsToc"), tr("Table of contents"));
    m_toc->setRootIsDecorated(false);
    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("docsMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);   // build logs and errors come from the server: never markup
    m_centre = new QStackedWidget;
    m_centre->addWidget(m_message);

    auto *splitter = new QSplitter;
    splitter->addWidget(m_nav);
    splitter->addWidget(m_centre);
    splitter->addWidget(m_toc);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 800, 220});
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(splitter, 1);

    connect(m_nav, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        const QString url = item->data(0, UrlRole).toString();
        if (item->data(0, ExternalRole).toBool()) {
            QDesktopServices::openUrl(QUrl(url));
        } else if (item->childCount() > 0) {
            item->setExpanded(!item->isExpanded());
        } else if (m_view) {
            m_view->setUrl(DocsUrl::forSite(m_ref, url));
        }
    });
    connect(m_toc, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        if (m_view)
            m_view->setUrl(DocsUrl::forSite(m_ref, m_location + QLatin1Char('#') + item->data(0, UrlRole).toString()));
    });
}

DocsReader::~DocsReader() = default;

void DocsReader::ensureView()
{
    if (m_view)
        return;
    QWebEngineProfile *profile = m_web.profile();   // first: it picks the scene graph the view is drawn with
    m_view = new QWebEngineView;
    m_view->setObjectName(QStringLiteral("docsView"));
    m_view->setPage(new Page(profile, this));
    m_view->setContextMenuPolicy(Qt::NoContextMenu);
    m_centre->addWidget(m_view);
    connect(m_view, &QWebEngineView::urlChanged, this, &DocsReader::onUrlChanged);
    connect(m_view, &QWebEngineView::loadFinished, this, &DocsReader::onLoadFinished);
}

bool DocsReader::open(const QString &entityRef, const QString &location)
{
    const QString ref = entityRef.toLower();
    const SiteLoad site = loadSite(ref);
    m_awaited = {};
    if (site == SiteLoad::Missing) {
        m_awaited = {ref, location};
        return false;
    }
    ensureView();
    m_centre->setCurrentWidget(m_view);
    QString target = location;
    if (target.startsWith(QLatin1Char('/')))
        target.remove(0, 1);
    const QString page = target.section(QLatin1Char('#'), 0, 0);
    const bool otherPage = page != m_location;
    // The chrome now, not when the page has loaded (a reload of the same URL reports no change).
    m_location = page;
    showPageChrome();
    if (site == SiteLoad::Same && otherPage && !m_shownUrl.isEmpty() && swapPage(target))
        return true;
    m_shownUrl.clear();
    m_view->setUrl(DocsUrl::forSite(ref, target));
    return true;
}

bool DocsReader::swapPage(const QString &target)
{
    // Material's instant navigation, done from the reader: the next page's
    // article and footer replace the shown ones in the loaded document, so
    // moving between pages of a site costs no new document in Chromium (a
    // new document alone takes ~80 ms on a 2-core machine; this ~10).
    const QString page = target.section(QLatin1Char('#'), 0, 0);
    const QString path = page.isEmpty() || page.endsWith(QLatin1Char('/')) ? page + QStringLiteral("index.html") : page;
    const std::optional<QByteArray> stored = m_web.cache().store().docsFile(m_ref, path);
    if (!stored)
        return false;
    const QString html = QString::fromUtf8(*stored);
    auto cut = [&html](const QString &open, const QString &close) {
        const qsizetype from = html.indexOf(open);
        const qsizetype to = from < 0 ? -1 : html.indexOf(close, from);
        return to < 0 ? QString() : html.mid(from, to + close.size() - from);
    };
    const QString article = cut(QStringLiteral("<article class=\"md-content__inner"), QStringLiteral("</article>"));
    const QString footer = cut(QStringLiteral("<footer class=\"md-footer\">"), QStringLiteral("</footer>"));
    const QString title = cut(QStringLiteral("<title>"), QStringLiteral("</title>"));
    if (article.isEmpty() || footer.isEmpty())
        return false;
    const QUrl url = DocsUrl::forSite(m_ref, target);
    const QJsonArray parts{article, footer, title.mid(7, title.size() - 15), url.toString(), url.fragment()};
    const QString script = QStringLiteral("greenroomSwap(%1)").arg(QString::fromUtf8(QJsonDocument(parts).toJson(QJsonDocument::Compact)));
    m_shownUrl = url.adjusted(QUrl::RemoveFragment);
    QPointer<DocsReader> self(this);
    m_view->page()->runJavaScript(QString::fromLatin1(kSwapPage) + script, QWebEngineScript::ApplicationWorld,
                                  [self, url, target](const QVariant &swapped) {
                                      if (!self || self->m_shownUrl != url.adjusted(QUrl::RemoveFragment))
                                          return;   // another page was asked for meanwhile
                                      if (!swapped.toBool()) {
                                          self->m_shownUrl.clear();
                                          self->m_view->setUrl(url);
                                          return;
                                      }
                                      Q_EMIT self->pageLoaded(self->m_ref, self->m_location, true);
                                      self->drawDiagrams();
                                  });
    return true;
}

DocsReader::SiteLoad DocsReader::loadSite(const QString &entityRef)
{
    const std::optional<Store::DocsSiteInfo> site = m_web.cache().store().docsSite(entityRef);
    if (!site) {
        m_ref.clear();
        m_etag.clear();
        m_outline = {};
        m_pages.clear();
        m_nav->clear();
        m_toc->clear();
        m_description->clear();
        m_edit->setEnabled(false);
        m_shownUrl.clear();
        // A documented entity's site is built on its first request, as in Backstage: ask for it.
        const bool documented = !Model::annotation(m_web.cache().entity(entityRef), Model::Annotations::TechDocsRef).isEmpty();
        if (!documented)
            showMissing(entityRef, BuildState::Undocumented);
        else
            showMissing(entityRef, m_web.requestBuild(entityRef) ? BuildState::Building : BuildState::NoServer);
        return SiteLoad::Missing;
    }
    if (entityRef == m_ref && site->etag == m_etag)
        return SiteLoad::Same;
    m_ref = entityRef;
    m_etag = site->etag;
    const std::optional<QByteArray> outline = m_web.cache().store().docsFile(entityRef, Docs::ReaderOutlinePath);
    m_outline = outline ? QJsonDocument::fromJson(*outline).object() : QJsonObject();
    m_pages.clear();
    for (const QJsonValue &page : m_outline.value(QLatin1String("pages")).toArray())
        m_pages.insert(page[QLatin1String("url")].toString(), page.toObject());
    QString name = m_outline.value(QLatin1String("site_name")).toString();
    if (name.isEmpty())
        name = QJsonDocument::fromJson(site->metadata).object().value(QLatin1String("site_name")).toString();
    m_title->setText(name.isEmpty() ? entityRef : name);
    const QString description = m_outline.value(QLatin1String("site_description")).toString();
    m_description->setText(description);
    m_description->setVisible(!description.isEmpty());
    m_nav->clear();
    fillNav(m_outline.value(QLatin1String("nav")).toArray(), nullptr);
    m_nav->expandAll();
    return SiteLoad::Loaded;
}

void DocsReader::showMissing(const QString &entityRef, BuildState state, const QString &detail)
{
    const QJsonObject entity = m_web.cache().entity(entityRef);
    const QString name = entity.isEmpty() ? Model::EntityRef::humanize(entityRef) : EntityPresentation::displayName(entity);
    QString text;
    switch (state) {
    case BuildState::Undocumented:
        text = tr("The cache holds no documentation for %1. Docs arrive with the next sync once the server has built them.").arg(name);
        break;
    case BuildState::NoServer:
        text = tr("The docs of %1 have not been built yet. The server builds them the first time someone opens them "
                  "while connected to it.").arg(name);
        break;
    case BuildState::Building:
        text = tr("Building the docs of %1 on the server…").arg(name);
        break;
    case BuildState::Built:
        text = tr("The server has built the docs of %1; they arrive with the next sync.").arg(name);
        break;
    case BuildState::Failed:
        text = tr("The server could not build the docs of %1.").arg(name);
        break;
    }
    if (!detail.isEmpty())
        text += QStringLiteral("\n\n") + detail;
    m_title->setText(name);
    m_message->setText(text);
    m_centre->setCurrentWidget(m_message);
}

void DocsReader::fillNav(const QJsonArray &items, QTreeWidgetItem *parent)
{
    for (const QJsonValue &value : items) {
        const QJsonObject entry = value.toObject();
        auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_nav);
        const QString title = entry.value(QLatin1String("title")).toString();
        item->setText(0, title);
        item->setToolTip(0, title);
        if (entry.contains(QLatin1String("children"))) {
            QFont bold = item->font(0);
            bold.setBold(true);
            item->setFont(0, bold);
            fillNav(entry.value(QLatin1String("children")).toArray(), item);
            continue;
        }
        const QString url = entry.value(QLatin1String("url")).toString();
        item->setData(0, UrlRole, url);
        const bool external = entry.value(QLatin1String("external")).toBool() || !QUrl(url).isRelative();
        item->setData(0, ExternalRole, external);
        if (external)
            item->setText(0, title + QStringLiteral(" ↗"));
    }
}

void DocsReader::refresh()
{
    if (m_ref.isEmpty() && !m_awaited.first.isEmpty()) {
        // Asked for before its docs had synced: show them once they have.
        if (m_web.cache().store().docsSite(m_awaited.first)) {
            const auto [ref, location] = m_awaited;   // a copy: open() resets m_awaited
            open(ref, location);
        }
        return;
    }
    if (m_ref.isEmpty() || !m_view)
        return;
    const std::optional<Store::DocsSiteInfo> site = m_web.cache().store().docsSite(m_ref);
    if (site && site->etag == m_etag)
        return;
    const QString ref = m_ref;
    const QString location = m_location;
    m_etag.clear();   // reload it
    open(ref, location);
}

QJsonObject DocsReader::outlinePage(const QString &location) const
{
    return m_pages.value(location);
}

QString DocsReader::pageTitle() const
{
    return outlinePage(m_location).value(QLatin1String("title")).toString();
}

QString DocsReader::editUrl() const
{
    return outlinePage(m_location).value(QLatin1String("edit_url")).toString();
}

void DocsReader::onUrlChanged(const QUrl &url)
{
    const std::optional<DocsUrl::Address> address = DocsUrl::parse(url);
    if (!address)
        return;
    if (!m_shownUrl.isEmpty() && url.adjusted(QUrl::RemoveFragment) != m_shownUrl) {
        // The view's own history moved over swapped pages: load what the URL names.
        m_shownUrl.clear();
        m_view->setUrl(url);
    }
    if (address->entityRef != m_ref) {
        // A link into another entity's docs.
        if (loadSite(address->entityRef) == SiteLoad::Missing)
            return;
        Q_EMIT siteChanged(m_ref);
    }
    m_location = pageLocation(address->path);
    showPageChrome();
}

void DocsReader::showPageChrome()
{
    // The nav: the page's entry selected.
    m_nav->blockSignals(true);
    m_nav->clearSelection();
    for (QTreeWidgetItemIterator it(m_nav); *it; ++it) {
        if (!(*it)->data(0, ExternalRole).toBool() && (*it)->childCount() == 0
            && (*it)->data(0, UrlRole).toString() == m_location) {
            m_nav->setCurrentItem(*it);
            break;
        }
    }
    m_nav->blockSignals(false);

    // The table of contents: headings below the page title, nested by level.
    m_toc->clear();
    QList<std::pair<int, QTreeWidgetItem *>> open;   // level, item
    for (const QJsonValue &value : outlinePage(m_location).value(QLatin1String("toc")).toArray()) {
        const int level = value[QLatin1String("level")].toInt();
        if (level <= 1)
            continue;
        while (!open.isEmpty() && open.last().first >= level)
            open.removeLast();
        auto *item = open.isEmpty() ? new QTreeWidgetItem(m_toc) : new QTreeWidgetItem(open.last().second);
        item->setText(0, value[QLatin1String("title")].toString());
        item->setToolTip(0, item->text(0));
        item->setData(0, UrlRole, value[QLatin1String("id")].toString());
        open.append({level, item});
    }
    m_toc->expandAll();
    m_toc->setVisible(m_toc->topLevelItemCount() > 0);   // as Material: no sections, no contents column
    m_edit->setEnabled(!editUrl().isEmpty());
    m_edit->setToolTip(editUrl().isEmpty() ? tr("This site has no repo_url and edit_uri") : editUrl());
}

void DocsReader::onLoadFinished(bool ok)
{
    m_shownUrl = ok ? m_view->url().adjusted(QUrl::RemoveFragment) : QUrl();
    Q_EMIT pageLoaded(m_ref, m_location, ok);
    if (ok)
        drawDiagrams();
}

void DocsReader::drawDiagrams()
{
    QWebEnginePage *page = m_view->page();
    const QUrl loaded = page->url();
    // How many diagrams, and whether this document has mermaid already (pages swapped in keep it).
    const QString count = QString::fromLatin1(kFindDiagrams)
                          + QStringLiteral("\n[greenroomDiagrams().length, typeof mermaid !== 'undefined']");
    QPointer<DocsReader> self(this);
    page->runJavaScript(count, QWebEngineScript::ApplicationWorld, [self, loaded](const QVariant &result) {
        if (!self || !self->m_view || self->m_view->page()->url() != loaded)
            return;
        const int found = result.toList().value(0).toInt();
        const bool haveMermaid = result.toList().value(1).toBool();
        if (found == 0 || !self->m_web.diagramsEnabled()) {
            Q_EMIT self->diagramsDrawn(0, found);
            return;
        }
        QWebEnginePage *page = self->m_view->page();
        const QString library = haveMermaid ? QString() : self->m_web.diagramScript() + QStringLiteral(";\n");
        page->runJavaScript(library + QString::fromLatin1(kDrawDiagrams), QWebEngineScript::ApplicationWorld);
        // mermaid.render is asynchronous: wait for the mark it leaves (up to 15 s).
        QPointer<QTimer> poll = new QTimer(self);
        poll->setInterval(40);
        auto tries = std::make_shared<int>(0);
        QObject::connect(poll, &QTimer::timeout, self, [self, poll, tries, loaded, found] {
            if (!self->m_view || self->m_view->page()->url() != loaded || ++*tries > 375) {
                poll->deleteLater();
                return;
            }
            self->m_view->page()->runJavaScript(
                QStringLiteral("(document.documentElement && document.documentElement.dataset.greenroomDiagrams) || ''"), QWebEngineScript::ApplicationWorld,
                [self, poll, found](const QVariant &mark) {
                    if (!self || !poll || mark.toString().isEmpty() || !poll->isActive())
                        return;
                    poll->stop();
                    poll->deleteLater();
                    Q_EMIT self->diagramsDrawn(mark.toString().section(QLatin1Char('/'), 0, 0).toInt(), found);
                });
        });
        poll->start();
    });
}

void DocsReader::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_web.setDark(paletteIsDark(this));
    QWidget::changeEvent(event);
}

} // namespace Greenroom::Ui
