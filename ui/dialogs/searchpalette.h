// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <store/docsstore.h>
#include <store/storetypes.h>

#include <QDialog>

class QLineEdit;
class QListWidget;

namespace Greenroom::Ui {

class CatalogCache;

/*
 * Ctrl+K: the quick form of the Search page. The best results as you type,
 * from the cache's search index (the engine and ranking the server's search
 * API uses): entities, templates and docs sections mixed in rank order,
 * then a last line that opens the Search page with the same words. Arrow
 * keys move, Enter opens, Esc closes.
 */
class SearchPalette : public QDialog
{
    Q_OBJECT

public:
    explicit SearchPalette(CatalogCache &cache, QWidget *parent = nullptr);

    QLineEdit *input() const { return m_input; }
    QListWidget *results() const { return m_results; }
    // Refs of the results for `text`, best first (what the list shows).
    QStringList search(const QString &text, int limit = 30);
    // Docs hits for `text` as the list shows them: "<entity ref> <location>".
    QStringList searchDocs(const QString &text, int limit = DocsLimit);
    void popup();

Q_SIGNALS:
    void entityChosen(const QString &ref);
    void templateChosen(const QString &ref);
    void docsChosen(const QString &ref, const QString &location);
    void fullSearchRequested(const QString &term);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // The catalog hits for `text`, best first, with their entities.
    QList<Store::StoredEntity> rankedHits(const QString &text, int limit);
    QList<Store::DocsSearchHit> docsHits(const QString &text, int limit);
    void update(const QString &text);
    void choose();

    CatalogCache &m_cache;
    QLineEdit *m_input;
    QListWidget *m_results;

public:
    static constexpr int DocsLimit = 12;
    static constexpr int QuickLimit = 12;
};

} // namespace Greenroom::Ui
