// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <store/storetypes.h>

#include <QAbstractTableModel>
#include <QFuture>
#include <QHash>

namespace Greenroom::Ui {

class CatalogCache;

/*
 * Entities of the cache as a table with the columns of Backstage's catalog
 * table, read from the cache's catalog table (Store::ListingRow).
 *
 * Sorting and filtering ask SQLite for the matching ids in order (an index
 * walk); the rows themselves are read a page at a time as the view scrolls
 * (canFetchMore/fetchMore). The filter box searches each row's text in
 * memory, loaded once in the background (about 15 MB for 100,000 entities),
 * so a keystroke costs a scan of memory and one page, not a query over
 * every row.
 */
class EntityTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, System, Owner, Type, Lifecycle, Description, Tags, ColumnCount };
    enum Role { RefRole = Qt::UserRole + 1 };
    static constexpr int PageSize = 200;

    explicit EntityTableModel(CatalogCache &cache, QObject *parent = nullptr);
    ~EntityTableModel() override;

    // Which rows (kind, facets, starred, owned); re-reads from the first page.
    void setFilter(const Store::ListingFilter &filter);
    Store::ListingFilter filter() const { return m_filter; }
    // Rows whose text contains `text` (any case): names, titles, systems,
    // owners, types, lifecycles, descriptions, tags.
    void setTextFilter(const QString &text);
    QString textFilter() const { return m_text; }
    qint64 totalCount() const { return m_visible.size(); }
    QString refAt(int row) const;
    // The last query's error, for people; empty when it worked.
    QString error() const { return m_error; }
    // Starts loading the rows' search text in the background, so the first
    // keystroke in the filter box does not wait for it.
    void prepareTextSearch();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

public Q_SLOTS:
    // Re-reads as many rows as are loaded (the cache changed).
    void refresh();

Q_SIGNALS:
    void totalCountChanged(qint64 total);

private:
    void requery(int keepRows);
    void applyText(bool narrowing, int keepRows);
    void loadRows(int keepRows);
    const QHash<qint64, QByteArray> &searchText();

    CatalogCache &m_cache;
    Store::ListingFilter m_filter;
    QString m_text;
    int m_sortColumn = Name;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QList<qint64> m_order;     // ids the filter matches, sorted
    QList<qint64> m_visible;   // of those, the ones the text matches
    // The search text of m_order's rows laid end to end in that order (row i
    // is m_orderText[m_orderStarts[i], m_orderStarts[i + 1])), built on the
    // first keystroke after a re-query: a keystroke then reads memory
    // front to back instead of chasing 100,000 pointers.
    QByteArray m_orderText;
    QList<qsizetype> m_orderStarts;
    QList<qsizetype> m_visibleRows;   // indexes into m_order of m_visible, while a text filters
    QList<Store::ListingRow> m_rows;   // the loaded prefix of m_visible
    QFuture<QHash<qint64, QByteArray>> m_textLoad;
    QHash<qint64, QByteArray> m_searchText;
    bool m_searchTextReady = false;
    QString m_error;
};

} // namespace Greenroom::Ui
