// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/entityview.h>

#include <QJsonObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace Greenroom::Ui {

class CatalogCache;
class TokenVault;

// What the app lends plugins' tabs and cards (set by the app once it knows them).
struct PluginServices
{
    QJsonObject config;                          // the desktop's app-config
    QPointer<TokenVault> hostTokens;             // the person's repository host tokens
    QUrl server;                                 // the Greenroom server synced from; invalid offline
    QString serverToken;
    QNetworkAccessManager *network = nullptr;    // the app's (MainWindow sets one; never null there)
};

/*
 * EntityView for one plugin on one entity page: the entity from the cache,
 * the plugin's cached data under its own id, and the app's services.
 */
class PluginEntityView : public PluginApi::EntityView
{
public:
    PluginEntityView(CatalogCache &cache, const PluginServices &services, QString pluginId, QJsonObject entity, QString entityRef,
                     std::function<void(const QString &)> open);

    QJsonObject entity() const override { return m_entity; }
    QString entityRef() const override { return m_ref; }
    std::optional<PluginApi::CachedData> cachedData(const QString &key) const override;
    void storeData(const QString &key, const QJsonValue &value) override;
    QJsonValue config(const QString &key) const override;
    void hostToken(const QString &host, std::function<void(const QString &)> done) override;
    QUrl serverUrl() const override { return m_services.server; }
    void authorize(QNetworkRequest &request) const override;
    QNetworkAccessManager *network() const override { return m_services.network; }
    void open(const QString &refOrUrl) override;

private:
    CatalogCache &m_cache;
    const PluginServices &m_services;
    QString m_pluginId;
    QJsonObject m_entity;
    QString m_ref;
    std::function<void(const QString &)> m_open;
};

} // namespace Greenroom::Ui
