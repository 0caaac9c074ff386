// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "localcatalogaccess.h"

#include <QMetaObject>
#include <QObject>
#include <QThread>

namespace Greenroom::Scaffold {

LocalCatalogAccess::LocalCatalogAccess(Store::CatalogStore &store, Ingest::ProcessingLoop &loop, bool readonly, QObject *home)
    : m_store(store), m_loop(loop), m_locations(store, loop, {QStringLiteral("url"), QStringLiteral("git")}, readonly), m_home(home)
{
}

template<typename F>
auto LocalCatalogAccess::onHome(F work) -> decltype(work())
{
    if (QThread::currentThread() == m_home->thread())
        return work();
    std::optional<decltype(work())> result;
    QMetaObject::invokeMethod(m_home, [&] { result.emplace(work()); }, Qt::BlockingQueuedConnection);
    return std::move(*result);
}

Status LocalCatalogAccess::addLocation(const QString &type, const QString &target)
{
    return onHome([&]() -> Status {
        auto created = m_locations.create({type, target, QString()}, QString());
        if (!created)
            return created.error();
        return Ok{};
    });
}

Result<QJsonArray> LocalCatalogAccess::previewLocation(const QString &type, const QString &target)
{
    if (const Status allowed = m_locations.checkAllowedType(type); !allowed)
        return allowed.error();
    // A copy of the processor, taken on its thread, reads here (as POST /locations?dryRun does).
    const Ingest::LocationProcessor processor = onHome([this] { return m_loop.processor(); });
    auto preview = Ingest::LocationService::dryRun(processor, {type, target, QString()}, false);
    if (!preview)
        return preview.error();
    return preview->value(QLatin1String("entities")).toArray();
}

Result<std::optional<QJsonObject>> LocalCatalogAccess::entityByRef(const QString &ref)
{
    return onHome([&]() -> Result<std::optional<QJsonObject>> {
        const std::optional<Store::StoredEntity> stored = m_store.entityByRef(ref);
        if (!stored)
            return std::optional<QJsonObject>();
        return std::optional<QJsonObject>(stored->entity);
    });
}

} // namespace Greenroom::Scaffold
