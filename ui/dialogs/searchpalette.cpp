// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "searchpalette.h"

#include "models/catalogcache.h"
#include "models/entitypresentation.h"

#include <model/entityref.h>

#include <QKeyEvent>
#include <QSet>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace Greenroom::Ui {

namespace {

// Set on docs hits only: where in the site the matching section is.
constexpr int LocationRole = Qt::UserRole + 1;

} // namespace

SearchPalette::SearchPalette(CatalogCache &cache, QWidget *parent) : QDialog(parent), m_cache(cache)
{
    setWindowTitle(tr("Search the catalog"));
    setObjectName(QStringLiteral("searchPalette"));
    m_input = new QLineEdit;
    m_input->setObjectName(QStringLiteral("searchInput"));
    m_input->setPlaceholderText(tr("Search entities by name, title, description, tag or owner, and their docs"));
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
    const QString needle = text.trimmed().toLower();
    if (needle.isEmpty())
        return {};
    auto hits = m_cache.store().search(needle, limit * 2);
    if (!hits)
        return {};
    struct Ranked
    {
        int tier;
        double rank;
        const Store::StoredEntity *entity;
    };
    QList<Ranked> ranked;
    for (const Store::SearchHit &hit : hits.value()) {
        const QJsonObject metadata = hit.entity.entity.value(QLatin1String("metadata")).toObject();
        const QString name = metadata.value(QLatin1String("name")).toString().toLower();
        const QString title = metadata.value(QLatin1String("title")).toString().toLower();
        // Exact name, exact title, a name or title starting with the text, the rest.
        const int tier = name == needle ? 0 : title == needle ? 1 : (name.startsWith(needle) || title.startsWith(needle)) ? 2 : 3;
        ranked.append({tier, hit.rank, &hit.entity});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
        return a.tier != b.tier ? a.tier < b.tier : a.rank < b.rank;
    });
    QList<Store::StoredEntity> entities;
    for (const Ranked &r : std::as_const(ranked)) {
        if (entities.size() == limit)
            break;
        entities.append(*r.entity);
    }
    return entities;
}

void SearchPalette::update(const QString &text)
{
    m_results->clear();
    // The hits carry their entities: nothing is read twice.
    for (const Store::StoredEntity &hit : rankedHits(text, 30)) {
        const QString description = hit.entity.value(QLatin1String("metadata"))[QLatin1String("description")].toString();
        auto *item = new QListWidgetItem(QStringLiteral("%1   ·   %2%3")
                                             .arg(EntityPresentation::displayName(hit.entity), Model::EntityRef::humanize(hit.ref),
                                                  description.isEmpty() ? QString() : QStringLiteral("   ·   ") + description));
        item->setData(Qt::UserRole, hit.ref);
        item->setToolTip(description);
        m_results->addItem(item);
    }
    addDocsHits(text);
    if (m_results->count() > 0)
        m_results->setCurrentRow(0);
}

void SearchPalette::addDocsHits(const QString &text)
{
    for (const Store::DocsSearchHit &hit : docsHits(text, DocsLimit)) {
        // The section that matched, its page, and whose docs they are.
        QString snippet = hit.snippet;
        snippet.remove(QChar(1)).remove(QChar(2));
        const QString where = hit.title == hit.pageTitle || hit.pageTitle.isEmpty()
                                  ? hit.title
                                  : QStringLiteral("%1 — %2").arg(hit.title, hit.pageTitle);
        auto *item = new QListWidgetItem(tr("Docs: %1   ·   %2").arg(where, Model::EntityRef::humanize(hit.entityRef)));
        item->setData(Qt::UserRole, hit.entityRef);
        item->setData(LocationRole, hit.location);
        item->setToolTip(snippet);
        m_results->addItem(item);
    }
}

void SearchPalette::choose()
{
    QListWidgetItem *item = m_results->currentItem();
    if (!item)
        return;
    hide();
    if (item->data(LocationRole).isValid())
        Q_EMIT docsChosen(item->data(Qt::UserRole).toString(), item->data(LocationRole).toString());
    else
        Q_EMIT entityChosen(item->data(Qt::UserRole).toString());
}

bool SearchPalette::eventFilter(QObject *watched, QEvent *event)
{
    // Typing stays in the input while arrows move the selection in the list.
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const int row = m_results->currentRow();
        switch (key->key()) {
        case Qt::Key_Down:
            m_results->setCurrentRow(std::min(row + 1, m_results->count() - 1));
            return true;
        case Qt::Key_Up:
            m_results->setCurrentRow(std::max(row - 1, 0));
            return true;
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
