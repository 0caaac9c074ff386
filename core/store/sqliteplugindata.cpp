// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Desktop plugins' data per entity in the cache (plugin_data), so a plugin's
// last answer shows offline.
#include "sqlitecatalogstore.h"
#include "sqlitecatalogstore_p.h"

#include <QDateTime>

namespace Greenroom::Store {

using namespace Internal;

std::optional<PluginData> SqliteCatalogStore::pluginData(const QString &entityRef, const QString &plugin, const QString &key)
{
    auto stmt = d->prepare(QStringLiteral("SELECT value, stored_at FROM plugin_data WHERE entity_ref = ? AND plugin = ? AND key = ?"));
    if (!stmt)
        return std::nullopt;
    Statement &s = *stmt.value();
    s.bind(1, entityRef).bind(2, plugin).bind(3, key);
    std::optional<PluginData> data;
    if (s.next())
        data = PluginData{s.blob(0), s.integer(1)};
    s.reset();
    return data;
}

Status SqliteCatalogStore::putPluginData(const QString &entityRef, const QString &plugin, const QString &key, const QByteArray &json)
{
    auto stmt = d->prepare(QStringLiteral("INSERT INTO plugin_data(entity_ref, plugin, key, value, stored_at) VALUES (?,?,?,?,?) "
                                          "ON CONFLICT(entity_ref, plugin, key) DO UPDATE SET value = excluded.value, stored_at = excluded.stored_at"));
    if (!stmt)
        return stmt.error();
    Statement &s = *stmt.value();
    s.bind(1, entityRef).bind(2, plugin).bind(3, key).bind(4, json).bind(5, QDateTime::currentMSecsSinceEpoch());
    if (!s.run())
        return Error::internal(QStringLiteral("Cannot store %1's data for %2: %3").arg(plugin, entityRef, d->db.lastError()));
    return Ok{};
}

} // namespace Greenroom::Store
