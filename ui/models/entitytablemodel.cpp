// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitytablemodel.h"

#include "catalogcache.h"

#include <store/sqlitecatalogstore.h>

#include <QtConcurrent/QtConcurrentRun>

#include <cstring>

namespace Greenroom::Ui {

namespace {

const char *const SortColumns[] = {"name", "system", "owner", "type", "lifecycle", "description", "tags"};

} // namespace

EntityTableModel::SearchText EntityTableModel::readSearchText(const QString &cachePath)
{
    // Through a connection of its own: this runs on a worker thread.
    SearchText text;
    auto store = Store::SqliteCatalogStore::open(cachePath, Store::SqliteCatalogStore::Memory::Desktop);
    if (!store)
        return text;
    const Status read = store.value()->forEachListingSearchText([&text](qint64 id, const QByteArray &haystack) {
        text.ids.append(id);
        text.starts.append(text.blob.size());
        text.blob += haystack;
        text.blob += '\n';   // a match never spans two rows
    });
    if (!read)
        return {};
    text.starts.append(text.blob.size());
    return text;
}

EntityTableModel::EntityTableModel(CatalogCache &cache, QObject *parent) : QAbstractTableModel(parent), m_cache(cache)
{
}

EntityTableModel::~EntityTableModel()
{
    m_textLoad.waitForFinished();
}

void EntityTableModel::setFilter(const Store::ListingFilter &filter)
{
    m_filter = filter;
    m_filtered = true;
    requery(0);
}

void EntityTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    if (m_filtered)   // before the first filter a view is only being set up: nothing to read yet
        requery(0);
}

void EntityTableModel::refresh()
{
    if (!m_filtered)
        return;
    // The rows' text may have changed too.
    const bool wasLoaded = m_searchTextReady || m_textLoadStarted;
    m_textLoad.waitForFinished();   // a load in flight read the old text
    m_searchTextReady = false;
    m_textLoadStarted = false;
    m_searchText = {};
    m_matchedRows.clear();
    if (!m_text.isEmpty() || wasLoaded)
        prepareTextSearch();
    requery(int(m_rows.size()));
}

void EntityTableModel::prepareTextSearch()
{
    if (m_searchTextReady || m_textLoadStarted)
        return;
    m_textLoadStarted = true;
    m_textLoad = QtConcurrent::run(&EntityTableModel::readSearchText, m_cache.path());
}

const EntityTableModel::SearchText &EntityTableModel::searchText()
{
    if (!m_searchTextReady) {
        prepareTextSearch();
        m_searchText = m_textLoad.result();
        m_searchTextReady = true;
        m_textLoadStarted = false;
    }
    return m_searchText;
}

void EntityTableModel::setTextFilter(const QString &text)
{
    if (text == m_text)
        return;
    // Typing on narrows what matched before; anything else starts over.
    const bool narrowing = !m_text.isEmpty() && text.contains(m_text, Qt::CaseInsensitive);
    m_text = text;
    const qint64 before = m_visible.size();
    applyText(narrowing, 0, true);
    if (m_visible.size() != before)
        Q_EMIT totalCountChanged(m_visible.size());
}

void EntityTableModel::requery(int keepRows)
{
    const qint64 before = m_visible.size();
    auto order = m_cache.store().listingOrder(m_filter, QString::fromLatin1(SortColumns[m_sortColumn]),
                                              m_sortOrder == Qt::DescendingOrder);
    if (order) {
        m_error.clear();
        m_order = std::move(order).value();
    } else {
        m_error = order.error().message;
        m_order.clear();
    }

    applyText(false, keepRows);
    if (m_visible.size() != before)
        Q_EMIT totalCountChanged(m_visible.size());
}

void EntityTableModel::applyText(bool narrowing, int keepRows, bool rowsStillValid)
{
    const QByteArray needle = m_text.trimmed().toLower().toUtf8();
    if (needle.isEmpty()) {
        m_visible = m_order;
        m_matchedRows.clear();
        loadRows(keepRows, rowsStillValid);
        return;
    }
    const SearchText &text = searchText();
    // Which rows' text holds the needle: all rows, or those that held the
    // shorter text typed before.
    const char *base = text.blob.constData();
    QList<qsizetype> matched;
    const auto test = [&](qsizetype row) {
        const qsizetype start = text.starts.at(row);
        if (memmem(base + start, size_t(text.starts.at(row + 1) - start), needle.constData(), size_t(needle.size())))
            matched.append(row);
    };
    if (narrowing && !m_matchedRows.isEmpty()) {
        for (const qsizetype row : std::as_const(m_matchedRows))
            test(row);
    } else if (!narrowing || m_visible.size() > 0) {
        for (qsizetype row = 0; row < text.ids.size(); ++row)
            test(row);
    }
    std::fill(m_matchedIds.begin(), m_matchedIds.end(), false);
    for (const qsizetype row : std::as_const(matched)) {
        const qint64 id = text.ids.at(row);
        if (id >= qint64(m_matchedIds.size()))
            m_matchedIds.resize(size_t(id) + 1 + 1024, false);
        m_matchedIds[size_t(id)] = true;
    }
    m_matchedRows = std::move(matched);
    // The table's order, kept: its ids that matched.
    QList<qint64> visible;
    for (const qint64 id : std::as_const(m_order)) {
        if (id < qint64(m_matchedIds.size()) && m_matchedIds[size_t(id)])
            visible.append(id);
    }
    m_visible = std::move(visible);
    loadRows(keepRows, rowsStillValid);
}

void EntityTableModel::loadRows(int keepRows, bool rowsStillValid)
{
    const qsizetype wanted = std::min<qsizetype>(std::max(keepRows, PageSize), m_visible.size());
    if (rowsStillValid && m_rows.size() == wanted) {
        // Typing on often leaves the first page as it was: nothing to re-read or repaint.
        bool same = true;
        for (qsizetype i = 0; i < wanted && same; ++i)
            same = m_rows.at(i).id == m_visible.at(i);
        if (same)
            return;
    }
    beginResetModel();
    auto rows = m_cache.store().listingRows(m_visible.mid(0, std::max(keepRows, PageSize)));
    if (rows) {
        m_rows = std::move(rows).value();
    } else {
        m_error = rows.error().message;
        m_rows.clear();
    }
    endResetModel();
}

QString EntityTableModel::refAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).ref : QString();
}

int EntityTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EntityTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EntityTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Store::ListingRow &row = m_rows.at(index.row());
    if (role == RefRole)
        return row.ref;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (role == Qt::ToolTipRole && index.column() != Description && index.column() != Tags)
        return row.ref;
    switch (index.column()) {
    case Name: return row.title;
    case System: return row.system;
    case Owner: return row.owner;
    case Type: return row.type;
    case Lifecycle: return row.lifecycle;
    case Description: return row.description;
    case Tags: return row.tags;
    default: return {};
    }
}

QVariant EntityTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case System: return tr("System");
    case Owner: return tr("Owner");
    case Type: return tr("Type");
    case Lifecycle: return tr("Lifecycle");
    case Description: return tr("Description");
    case Tags: return tr("Tags");
    default: return {};
    }
}

bool EntityTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_rows.size() < m_visible.size();
}

void EntityTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    auto more = m_cache.store().listingRows(m_visible.mid(m_rows.size(), PageSize));
    if (!more || more.value().isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + more.value().size() - 1));
    m_rows += more.value();
    endInsertRows();
}

} // namespace Greenroom::Ui
