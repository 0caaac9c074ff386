// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <model/entityfilter.h>

#include <QAbstractTableModel>
#include <QStringList>

namespace Greenroom::Ui {

class CatalogCache;

/*
 * Entities of the cache as a table with the columns of Backstage's catalog
 * table. Rows are read from SQLite a page at a time (canFetchMore/fetchMore)
 * in the order asked for, so a view over 100,000 entities costs what its
 * visible pages cost; sorting and filtering re-query rather than sort rows
 * in memory.
 */
class EntityTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, System, Owner, Type, Lifecycle, Description, Tags, ColumnCount };
    enum Role { RefRole = Qt::UserRole + 1 };
    static constexpr int PageSize = 200;

    explicit EntityTableModel(CatalogCache &cache, QObject *parent = nullptr);

    // What to list: filter conditions (kind=component, spec.owner=...) and a
    // text matched as a substring of names, titles, descriptions, tags,
    // types, lifecycles and owners. Each call re-reads from the first page.
    void setFilter(const Model::EntityFilter &filter);
    void setTextFilter(const QString &text);
    Model::EntityFilter filter() const { return m_filter; }
    QString textFilter() const { return m_text; }
    // How many entities match (all pages).
    qint64 totalCount() const { return m_total; }
    QString refAt(int row) const;
    // The last query's error, for people; empty when it worked.
    QString error() const { return m_error; }

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
    struct Row
    {
        QString ref;
        QString cells[ColumnCount];
    };
    // Rows from `offset`, at most `limit`.
    QList<Row> read(qint64 offset, qint64 limit, bool countTotal);
    void reload(int keepRows);

    CatalogCache &m_cache;
    Model::EntityFilter m_filter;
    QString m_text;
    int m_sortColumn = Name;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QList<Row> m_rows;
    bool m_hasMore = false;
    qint64 m_total = 0;
    QString m_error;
};

} // namespace Greenroom::Ui
