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
 * Ctrl+K: an instant search over the cache (SQLite FTS5 over names, titles,
 * descriptions, tags, kinds, types and owners). Results as you type, arrow
 * keys to move, Enter to open. An exact name comes first, then names that
 * start with the text, then FTS5's bm25 order. Below the entities come the
 * docs pages whose text matches, each with its matching section.
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
    void docsChosen(const QString &ref, const QString &location);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // The hits for `text`, best first, with their entities.
    QList<Store::StoredEntity> rankedHits(const QString &text, int limit);
    QList<Store::DocsSearchHit> docsHits(const QString &text, int limit);
    void update(const QString &text);
    void addDocsHits(const QString &text);
    void choose();

    CatalogCache &m_cache;
    QLineEdit *m_input;
    QListWidget *m_results;

public:
    static constexpr int DocsLimit = 12;
};

} // namespace Greenroom::Ui
