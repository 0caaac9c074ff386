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

// Reads every row's search text through a connection of its own (a worker thread's).
QHash<qint64, QByteArray> readSearchText(const QString &path)
{
    auto store = Store::SqliteCatalogStore::open(path);
    if (!store)
        return {};
    auto text = store.value()->listingSearchText();
    return text ? std::move(text).value() : QHash<qint64, QByteArray>{};
}

} // namespace

EntityTableModel::EntityTableModel(CatalogCache &cache, QObject *parent) : QAbstractTableModel(parent), m_cache(cache)
{
    requery(0);
}

EntityTableModel::~EntityTableModel()
{
    m_textLoad.waitForFinished();
}

void EntityTableModel::setFilter(const Store::ListingFilter &filter)
{
    m_filter = filter;
    requery(0);
}

void EntityTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    requery(0);
}

void EntityTableModel::refresh()
{
    // The rows' text may have changed too.
    m_searchTextReady = false;
    m_orderText.clear();
    m_orderStarts.clear();
    m_visibleRows.clear();
    m_searchText.clear();
    if (!m_text.isEmpty() || m_textLoad.isStarted())
        prepareTextSearch();
    requery(int(m_rows.size()));
}

void EntityTableModel::prepareTextSearch()
{
    if (m_searchTextReady || (m_textLoad.isStarted() && !m_textLoad.isFinished()))
        return;
    m_textLoad = QtConcurrent::run(readSearchText, m_cache.path());
}

const QHash<qint64, QByteArray> &EntityTableModel::searchText()
{
    if (!m_searchTextReady) {
        prepareTextSearch();
        m_searchText = m_textLoad.result();
        m_searchTextReady = true;
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
    applyText(narrowing, 0);
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
    m_orderText.clear();
    m_orderStarts.clear();
    m_visibleRows.clear();
    applyText(false, keepRows);
    if (m_visible.size() != before)
        Q_EMIT totalCountChanged(m_visible.size());
}

void EntityTableModel::applyText(bool narrowing, int keepRows)
{
    const QByteArray needle = m_text.trimmed().toLower().toUtf8();
    if (needle.isEmpty()) {
        m_visible = m_order;
        m_visibleRows.clear();
        loadRows(keepRows);
        return;
    }
    if (m_orderStarts.size() != m_order.size() + 1) {
        const QHash<qint64, QByteArray> &text = searchText();
        m_orderText.clear();
        m_orderStarts.clear();
        m_orderStarts.reserve(m_order.size() + 1);
        for (const qint64 id : std::as_const(m_order)) {
            m_orderStarts.append(m_orderText.size());
            m_orderText += text.value(id);
            m_orderText += '\n';   // a match never spans two rows
        }
        m_orderStarts.append(m_orderText.size());
        narrowing = false;
    }
    const char *base = m_orderText.constData();
    QList<qsizetype> matched;
    const auto test = [&](qsizetype row) {
        const qsizetype start = m_orderStarts.at(row);
        if (memmem(base + start, size_t(m_orderStarts.at(row + 1) - start), needle.constData(), size_t(needle.size())))
            matched.append(row);
    };
    if (narrowing && m_visibleRows.size() == m_visible.size()) {
        for (const qsizetype row : std::as_const(m_visibleRows))
            test(row);
    } else {
        for (qsizetype row = 0; row < m_order.size(); ++row)
            test(row);
    }
    m_visible.resize(matched.size());
    for (qsizetype i = 0; i < matched.size(); ++i)
        m_visible[i] = m_order.at(matched.at(i));
    m_visibleRows = std::move(matched);
    loadRows(keepRows);
}

void EntityTableModel::loadRows(int keepRows)
{
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
