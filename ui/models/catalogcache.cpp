// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogcache.h"

namespace Greenroom::Ui {

CatalogCache::CatalogCache(std::unique_ptr<Store::SqliteCatalogStore> store, QString path)
    : m_store(std::move(store)), m_path(std::move(path))
{
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(ChangeCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &CatalogCache::changed);
}

std::unique_ptr<CatalogCache> CatalogCache::open(const QString &path, QString *error)
{
    auto store = Store::SqliteCatalogStore::open(path, Store::SqliteCatalogStore::Memory::Desktop);
    if (!store) {
        if (error)
            *error = store.error().message;
        return nullptr;
    }
    return std::unique_ptr<CatalogCache>(new CatalogCache(std::move(store).value(), path));
}

QJsonObject CatalogCache::entity(const QString &ref)
{
    const auto stored = m_store->entityByRef(ref);
    return stored ? stored->entity : QJsonObject();
}

void CatalogCache::notifyChanged(qint64 cacheSequence)
{
    if (cacheSequence == m_seen)
        return;
    m_seen = cacheSequence;
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

} // namespace Greenroom::Ui
