// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QStandardItemModel;
class QTableView;

namespace Greenroom::Ui {

class CatalogCache;
class DocsReader;
class DocsWeb;

/*
 * Backstage's /docs: every entity the cache holds docs for, in a table
 * (name, owner, kind, type, description) filtered by owner, kind and text;
 * choosing one opens the reader. Listing and reader read the cache only.
 */
class DocsPage : public QWidget
{
    Q_OBJECT

public:
    DocsPage(CatalogCache &cache, DocsWeb &web, QWidget *parent = nullptr);

    void showListing();
    // The reader at `location` of the entity's site; false when the cache has none.
    bool showSite(const QString &entityRef, const QString &location = {});
    bool readingSite() const;

    QTableView *table() const { return m_table; }
    QSortFilterProxyModel *listing() const { return m_filtered; }
    QLineEdit *textFilter() const { return m_text; }
    QComboBox *ownerFilter() const { return m_owner; }
    QComboBox *kindFilter() const { return m_kind; }
    DocsReader *reader() const { return m_reader; }

Q_SIGNALS:
    void siteActivated(const QString &entityRef);
    void entityActivated(const QString &entityRef);

private:
    void reload();
    void applyFilters();

    CatalogCache &m_cache;
    QStackedWidget *m_stack;
    QLabel *m_count;
    QLineEdit *m_text;
    QComboBox *m_owner;
    QComboBox *m_kind;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_filtered;
    QTableView *m_table;
    DocsReader *m_reader;
    bool m_stale = true;
};

} // namespace Greenroom::Ui
