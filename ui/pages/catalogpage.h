// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <store/storetypes.h>

#include <QFuture>
#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace Greenroom::Ui {

class CatalogCache;
class EntityTableModel;
class UserPreferences;

/*
 * Backstage's catalog index page: a filter panel (kind, type, owner,
 * lifecycle, tags, namespace, starred, owned by me), a text filter and the
 * entity table. With a fixed kind it is the API explorer.
 */
class CatalogPage : public QWidget
{
    Q_OBJECT

public:
    CatalogPage(CatalogCache &cache, UserPreferences &preferences, const QString &fixedKind = {},
                QWidget *parent = nullptr);

    EntityTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *textFilter() const { return m_text; }
    QComboBox *kindBox() const { return m_kind; }
    // The filter combo of a facet: type, owner, lifecycle, tag, namespace.
    QComboBox *facetBox(const QString &key) const { return m_facets.value(key); }
    QCheckBox *starredBox() const { return m_starred; }
    QCheckBox *ownedBox() const { return m_owned; }
    void setKind(const QString &kind);

Q_SIGNALS:
    void entityActivated(const QString &ref);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Counts the filter panel's values in the background; applyFacets shows them.
    void reloadFacets();
    void applyFacets(const QList<Store::FacetCount> &kinds, const QHash<QString, QList<Store::FacetCount>> &byKey,
                     const QString &forKind);
    void applyFilters();
    void updateTitle();
    QString currentKind() const;   // lower case

    CatalogCache &m_cache;
    UserPreferences &m_preferences;
    QString m_fixedKind;
    EntityTableModel *m_model;
    QTableView *m_table;
    QLineEdit *m_text;
    QLabel *m_title;
    QComboBox *m_kind;
    QHash<QString, QComboBox *> m_facets;
    QCheckBox *m_starred;
    QCheckBox *m_owned;
    bool m_updating = false;
    bool m_painted = false;
    QFuture<void> m_facetsLoading;
    bool m_facetsAgain = false;
};

} // namespace Greenroom::Ui
