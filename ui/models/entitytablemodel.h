// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <store/storetypes.h>

#include <QAbstractTableModel>
#include <QFuture>
#include <QHash>

#include <vector>

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

    // Which rows (kind, facets, starred, owned); re-reads from the first
    // page. Until the first call the model is empty.
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
    bool isTextSearchReady() const { return m_searchTextReady || (m_textLoadStarted && m_textLoad.isFinished()); }

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
    // Every row's search text laid end to end (row i is
    // blob[starts[i], starts[i + 1]), entity ids[i]): a keystroke reads it
    // front to back and marks the ids that match.
    struct SearchText
    {
        QByteArray blob;
        QList<qsizetype> starts;
        QList<qint64> ids;
    };
    static SearchText readSearchText(const QString &cachePath);
    void requery(int keepRows);
    // `rowsStillValid`: the cache has not changed since the rows were read.
    void applyText(bool narrowing, int keepRows, bool rowsStillValid = false);
    void loadRows(int keepRows, bool rowsStillValid = false);
    const SearchText &searchText();

    CatalogCache &m_cache;
    Store::ListingFilter m_filter;
    bool m_filtered = false;   // lists nothing until it has a filter (setFilter)
    QString m_text;
    int m_sortColumn = Name;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QList<qint64> m_order;     // ids the filter matches, sorted
    QList<qint64> m_visible;   // of those, the ones the text matches
    QList<Store::ListingRow> m_rows;   // the loaded prefix of m_visible
    QFuture<SearchText> m_textLoad;
    SearchText m_searchText;
    bool m_searchTextReady = false;
    bool m_textLoadStarted = false;   // m_textLoad runs or holds a result not yet taken
    QList<qsizetype> m_matchedRows;   // rows of m_searchText the current text matches
    std::vector<bool> m_matchedIds;   // by entity id
    QString m_error;
};

} // namespace Greenroom::Ui
