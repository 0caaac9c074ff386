// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/pluginloader.h>
#include <config/configreader.h>
#include <ingest/locationprocessor.h>
#include <pluginapi/serverregistry.h>
#include <scaffold/taskrunner.h>

#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace Greenroom::Store {
class CatalogStore;
}

namespace Greenroom::Server {

class Router;

// One server plugin file, as the log reports it.
struct ServerPluginStatus
{
    QString id;
    QString version;
    QString file;
    bool loaded = false;
    QString message;   // why it was skipped, or what it registered that was refused
};

/*
 * Loads greenroom-server's plugins (Backstage's backend plugins and modules
 * with their extension points) and holds what they register until the
 * server is put together: routes mounted under /api/<plugin-id>/ (behind
 * the same authentication and request policy as every route), scaffolder
 * actions next to the built-in ones, catalog processors before validation.
 * A plugin that fails to load, or whose registerServer() fails, is left
 * out with a message; the server starts without it.
 */
class ServerPlugins : public QObject
{
    Q_OBJECT

public:
    ServerPlugins(const Config::ConfigReader &config, Store::CatalogStore &catalog, QObject *parent = nullptr);
    ~ServerPlugins() override;

    QList<ServerPluginStatus> load(const QList<PluginFolder> &folders);

    QList<Ingest::EntityPreProcessor> processors() const { return m_processors; }
    void addActionsTo(Scaffold::ActionRegistry &actions) const;
    void addRoutesTo(Router &router);
    // Connects the entity providers to `store` (this thread's connection);
    // `written` is told after each of their writes.
    void connectProviders(Store::CatalogStore &store, std::function<void(const QString &line, bool failed)> log, std::function<void()> written);

private:
    class Registry;
    struct Route
    {
        QString pluginId;
        PluginApi::PluginRoute route;
    };

    const Config::ConfigReader &m_config;
    Store::CatalogStore &m_catalog;
    QList<Route> m_routes;
    QList<Scaffold::ActionInfo> m_actions;
    QList<Ingest::EntityPreProcessor> m_processors;
    QList<PluginApi::EntityProvider> m_providers;
    class ProviderConnection;
    std::vector<std::unique_ptr<ProviderConnection>> m_connections;
    std::vector<std::unique_ptr<Registry>> m_registries;   // one per plugin, for the server's life
};

} // namespace Greenroom::Server
