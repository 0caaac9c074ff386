// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "models/searchpresentation.h"

#include <search/searchrequest.h>

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QTimer;

namespace Greenroom::Ui {

class CatalogCache;

/*
 * Backstage's /search, from the local cache: results as you type, from the
 * same engine and ranking as the server; a tab per document type with its
 * count (what Backstage's page asks pageLimit=0 for); filters by kind,
 * lifecycle, owner and tag; highlighted snippets; pages of 25. Docs results
 * open the reader at their section, templates their wizard, entities their
 * page. Keyboard: arrows move through results, Enter opens, Page Up/Down
 * turn pages, Esc clears the words.
 */
class SearchPage : public QWidget
{
    Q_OBJECT

public:
    static constexpr int PageSize = 25;
    explicit SearchPage(CatalogCache &cache, QWidget *parent = nullptr);

    // Shows the results for `term` (first page), the input focused.
    void search(const QString &term);
    void focusInput();

    QLineEdit *input() const { return m_input; }
    QListWidget *types() const { return m_types; }
    QListWidget *results() const { return m_results; }
    QComboBox *kindFilter() const { return m_kind; }
    QComboBox *ownerFilter() const { return m_owner; }
    QComboBox *tagFilter() const { return m_tag; }
    const QList<QCheckBox *> &lifecycleFilters() const { return m_lifecycles; }
    QPushButton *previousPage() const { return m_previous; }
    QPushButton *nextPage() const { return m_next; }
    QLabel *summary() const { return m_summary; }
    // The type tabs' counts, for the words and filters shown: done just
    // after the results are painted (a count per type), or now.
    void updateTypeCounts();
    // What each shown result opens, in order.
    QList<SearchTarget> shownTargets() const;
    qint64 total() const { return m_total; }

Q_SIGNALS:
    void entityActivated(const QString &entityRef);
    void templateActivated(const QString &templateRef);
    void docsActivated(const QString &entityRef, const QString &location);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    // The request for the page's words and filters, of `type` ("" for all).
    Search::SearchRequest request(const QString &type) const;
    void refresh();
    void reloadFilterValues();
    // Filter values and results read now if the cache changed since they
    // were (or they never were): a hidden page reads nothing.
    void loadIfStale();
    void turnPage(int delta);
    void sizeResults();
    void activate(QListWidgetItem *item);

    CatalogCache &m_cache;
    QLineEdit *m_input;
    QListWidget *m_types;
    QComboBox *m_kind;
    QList<QCheckBox *> m_lifecycles;
    QWidget *m_lifecycleBox;
    QComboBox *m_owner;
    QComboBox *m_tag;
    QLabel *m_summary;
    QLabel *m_corrections;
    QListWidget *m_results = nullptr;
    QPushButton *m_previous;
    QPushButton *m_next;
    int m_page = 0;
    qint64 m_total = 0;
    bool m_filling = false;   // filter widgets being refilled: their signals are not the user's
    bool m_stale = true;      // the cache changed while the page was hidden
    QTimer *m_counting;
};

} // namespace Greenroom::Ui
