// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <store/sqlitecatalogstore.h>

#include <QObject>
#include <QTimer>

#include <memory>

namespace Greenroom::Ui {

/*
 * The desktop's view of its local cache: a read connection of its own to
 * the SQLite file the sync client writes (WAL lets both run at once). Every
 * page reads through it, on the GUI thread: the reads are index walks of one
 * page at a time. `changed` tells the views to re-read.
 */
class CatalogCache : public QObject
{
    Q_OBJECT

public:
    static std::unique_ptr<CatalogCache> open(const QString &path, QString *error = nullptr);

    Store::SqliteCatalogStore &store() { return *m_store; }
    QString path() const { return m_path; }
    // The entity as a JSON object; empty when the cache does not hold it.
    QJsonObject entity(const QString &ref);

public Q_SLOTS:
    // Connected to SyncClient::cacheChanged. Views hear of it at most every
    // ChangeCoalesceMs: an initial sync writes a page every few hundred ms.
    void notifyChanged(qint64 cacheSequence);

Q_SIGNALS:
    void changed();

private:
    CatalogCache(std::unique_ptr<Store::SqliteCatalogStore> store, QString path);
    std::unique_ptr<Store::SqliteCatalogStore> m_store;
    QString m_path;
    qint64 m_seen = -1;
    QTimer m_coalesce;

public:
    static constexpr int ChangeCoalesceMs = 250;
};

} // namespace Greenroom::Ui
