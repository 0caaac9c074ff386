// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pluginentityview.h"

#include "models/catalogcache.h"
#include "models/tokenvault.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>

namespace Greenroom::Ui {

PluginEntityView::PluginEntityView(CatalogCache &cache, const PluginServices &services, QString pluginId, QJsonObject entity,
                                   QString entityRef, std::function<void(const QString &)> open)
    : m_cache(cache), m_services(services), m_pluginId(std::move(pluginId)), m_entity(std::move(entity)), m_ref(std::move(entityRef)),
      m_open(std::move(open))
{
}

std::optional<PluginApi::CachedData> PluginEntityView::cachedData(const QString &key) const
{
    const std::optional<Store::PluginData> data = m_cache.store().pluginData(m_ref, m_pluginId, key);
    if (!data)
        return std::nullopt;
    // Stored wrapped in an array, so any JSON value (a string, a number) round-trips.
    const QJsonArray wrapped = QJsonDocument::fromJson(data->json).array();
    return PluginApi::CachedData{wrapped.isEmpty() ? QJsonValue() : wrapped.first(), QDateTime::fromMSecsSinceEpoch(data->storedAt)};
}

void PluginEntityView::storeData(const QString &key, const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    if (Status stored = m_cache.store().putPluginData(m_ref, m_pluginId, key, json); !stored)
        qWarning("greenroom: plugin %s: %s", qPrintable(m_pluginId), qPrintable(stored.error().message));
}

QJsonValue PluginEntityView::config(const QString &key) const
{
    QJsonValue value = m_services.config;
    for (const QString &part : key.split(QLatin1Char('.'))) {
        if (!value.isObject())
            return QJsonValue::Undefined;
        value = value.toObject().value(part);
    }
    return value;
}

void PluginEntityView::hostToken(const QString &host, std::function<void(const QString &)> done)
{
    if (!m_services.hostTokens) {
        done({});
        return;
    }
    m_services.hostTokens->read(host, [done = std::move(done)](const QString &token, const QString &) { done(token); });
}

void PluginEntityView::authorize(QNetworkRequest &request) const
{
    // Only towards the server itself: a URL a plugin built from an entity's annotations never gets the token.
    const QUrl url = request.url();
    const QUrl &server = m_services.server;
    if (m_services.serverToken.isEmpty() || url.scheme() != server.scheme() || url.host() != server.host() || url.port(0) != server.port(0))
        return;
    request.setRawHeader("Authorization", "Bearer " + m_services.serverToken.toUtf8());
}

void PluginEntityView::open(const QString &refOrUrl)
{
    if (m_open)
        m_open(refOrUrl);
}

} // namespace Greenroom::Ui
