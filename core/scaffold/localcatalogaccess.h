// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "scaffolderservices.h"

#include <ingest/locationservice.h>

class QObject;

namespace Greenroom::Scaffold {

/*
 * The catalog of this process for catalog:register and catalog:fetch: the
 * server's location service registers (from tasks, `url` and `git`
 * locations may be registered; the location is read at once by the
 * processing loop) and its store answers lookups. Tasks run on worker
 * threads, so every call is carried over to the thread of `home` (where the
 * store and the loop live) and waits there; the dry-run read runs on the
 * caller's thread with its own copy of the processor.
 */
class LocalCatalogAccess : public CatalogAccess
{
public:
    LocalCatalogAccess(Store::CatalogStore &store, Ingest::ProcessingLoop &loop, bool readonly, QObject *home);

    Status addLocation(const QString &type, const QString &target) override;
    Result<QJsonArray> previewLocation(const QString &type, const QString &target) override;
    Result<std::optional<QJsonObject>> entityByRef(const QString &ref) override;

private:
    template<typename F>
    auto onHome(F work) -> decltype(work());

    Store::CatalogStore &m_store;
    Ingest::ProcessingLoop &m_loop;
    Ingest::LocationService m_locations;
    QObject *m_home;
};

} // namespace Greenroom::Scaffold
