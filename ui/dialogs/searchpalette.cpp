// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "searchpalette.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"
#include "models/searchpresentation.h"
#include "widgets/resultlistkeys.h"

#include <model/entityref.h>

#include <QKeyEvent>
#include <QSet>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

// Where in the site a docs hit's section is, and what a line opens.
constexpr int LocationRole = Qt::UserRole + 1;
constexpr int TargetKindRole = Qt::UserRole + 2;
constexpr int FullSearch = -1;   // the last line: the Search page

} // namespace

SearchPalette::SearchPalette(CatalogCache &cache, QWidget *parent) : QDialog(parent), m_cache(cache)
{
    setWindowTitle(tr("Search the catalog"));
    setObjectName(QStringLiteral("searchPalette"));
    m_input = new QLineEdit;
    m_input->setObjectName(QStringLiteral("searchInput"));
    m_input->setPlaceholderText(tr("Search entities, templates and docs"));
    m_input->installEventFilter(this);
    m_results = new QListWidget;
    m_results->setObjectName(QStringLiteral("searchResults"));
    m_results->setUniformItemSizes(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_input);
    layout->addWidget(m_results);
    resize(640, 420);
    connect(m_input, &QLineEdit::textChanged, this, &SearchPalette::update);
    connect(m_results, &QListWidget::itemActivated, this, &SearchPalette::choose);
}

void SearchPalette::popup()
{
    m_input->selectAll();
    m_input->setFocus();
    update(m_input->text());
    if (parentWidget()) {
        const QRect area = parentWidget()->geometry();
        move(area.center().x() - width() / 2, area.top() + area.height() / 6);
    }
    show();
    raise();
    activateWindow();
}

QStringList SearchPalette::search(const QString &text, int limit)
{
    QStringList refs;
    for (const Store::StoredEntity &entity : rankedHits(text, limit))
        refs.append(entity.ref);
    return refs;
}

QStringList SearchPalette::searchDocs(const QString &text, int limit)
{
    QStringList hits;
    for (const Store::DocsSearchHit &hit : docsHits(text, limit))
        hits.append(hit.entityRef + QLatin1Char(' ') + hit.location);
    return hits;
}

QList<Store::DocsSearchHit> SearchPalette::docsHits(const QString &text, int limit)
{
    const QString needle = text.trimmed();
    if (needle.isEmpty())
        return {};
    auto found = m_cache.store().searchDocs(needle, limit * 2);
    if (!found)
        return {};
    // The index has whole pages and their sections: a page is left out when
    // one of its sections matched too, which says better where to look.
    QSet<QString> pagesWithSections;
    for (const Store::DocsSearchHit &hit : found.value()) {
        if (hit.location.contains(QLatin1Char('#')))
            pagesWithSections.insert(hit.entityRef + QLatin1Char(' ') + hit.location.section(QLatin1Char('#'), 0, 0));
    }
    QList<Store::DocsSearchHit> hits;
    for (const Store::DocsSearchHit &hit : found.value()) {
        if (hits.size() == limit)
            break;
        if (!hit.location.contains(QLatin1Char('#')) && pagesWithSections.contains(hit.entityRef + QLatin1Char(' ') + hit.location))
            continue;
        hits.append(hit);
    }
    return hits;
}

QList<Store::StoredEntity> SearchPalette::rankedHits(const QString &text, int limit)
{
    auto hits = m_cache.store().search(text, limit);
    QList<Store::StoredEntity> entities;
    if (hits) {
        for (const Store::SearchHit &hit : hits.value())
            entities.append(hit.entity);
    }
    return entities;
}

void SearchPalette::update(const QString &text)
{
    m_results->clear();
    if (text.trimmed().isEmpty())
        return;
    Search::SearchRequest request;
    request.term = text;
    request.limit = QuickLimit;
    request.preTag = HighlightStart;
    request.postTag = HighlightEnd;
    auto found = m_cache.store().searchDocuments(request);
    if (!found)
        return;
    // A docs page is left out when one of its sections is listed too: the section says better where to look.
    QList<SearchResultView> views;
    QSet<QString> pagesWithSections;
    for (const Search::SearchHit &hit : found->hits) {
        views.append(presentSearchHit(hit));
        const SearchTarget &target = views.last().target;
        if (target.kind == SearchTarget::Kind::Docs && target.docsLocation.contains(QLatin1Char('#')))
            pagesWithSections.insert(target.entityRef + QLatin1Char(' ') + target.docsLocation.section(QLatin1Char('#'), 0, 0));
    }
    for (const SearchResultView &view : std::as_const(views)) {
        const SearchTarget &target = view.target;
        if (target.kind == SearchTarget::Kind::Docs && !target.docsLocation.contains(QLatin1Char('#'))
            && pagesWithSections.contains(target.entityRef + QLatin1Char(' ') + target.docsLocation))
            continue;
        auto *item = new QListWidgetItem(view.oneLine);
        item->setData(Qt::UserRole, view.target.entityRef);
        item->setData(TargetKindRole, int(view.target.kind));
        item->setData(LocationRole, view.target.docsLocation);
        item->setToolTip(view.snippet.isEmpty() ? view.oneLine : view.snippet);
        m_results->addItem(item);
    }
    auto *all = new QListWidgetItem(found->total == 0 ? tr("No results: open the Search page") 
                                                       : tr("See all %n result(s) on the Search page", nullptr, int(found->total)));
    all->setData(TargetKindRole, FullSearch);
    QFont font = all->font();
    font.setItalic(true);
    all->setFont(font);
    m_results->addItem(all);
    m_results->setCurrentRow(0);
}

void SearchPalette::choose()
{
    QListWidgetItem *item = m_results->currentItem();
    const QString term = m_input->text();
    if (!item && term.trimmed().isEmpty())
        return;
    hide();
    if (!item || item->data(TargetKindRole).toInt() == FullSearch) {
        Q_EMIT fullSearchRequested(term);
        return;
    }
    const QString ref = item->data(Qt::UserRole).toString();
    switch (SearchTarget::Kind(item->data(TargetKindRole).toInt())) {
    case SearchTarget::Kind::Docs:
        Q_EMIT docsChosen(ref, item->data(LocationRole).toString());
        break;
    case SearchTarget::Kind::Template:
        Q_EMIT templateChosen(ref);
        break;
    case SearchTarget::Kind::Entity:
        Q_EMIT entityChosen(ref);
        break;
    }
}

bool SearchPalette::eventFilter(QObject *watched, QEvent *event)
{
    // Typing stays in the input while arrows move the selection in the list.
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (moveThroughResults(m_results, key->key()))
            return true;
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            choose();
            return true;
        case Qt::Key_Escape:
            hide();
            return true;
        default:
            break;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace Greenroom::Ui
