// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <utility>

namespace Greenroom::PluginApi {

// A request to one of the plugin's routes (below /api/<plugin-id>).
struct PluginRequest
{
    QByteArray method;
    QString path;                          // below the mount, e.g. "/services/checkout"
    QString target;                        // below the mount with its query, as Backstage's error bodies name it
    QHash<QString, QString> params;        // the route's :parameters, decoded
    QList<std::pair<QString, QString>> query;   // decoded, in order
    QHash<QByteArray, QByteArray> headers;      // lower-case names
    QByteArray body;

    // Every value of a query parameter, in order, written `name` or `name[]` (qs's arrays).
    QStringList queryValues(const QString &name) const
    {
        QStringList values;
        for (const auto &[key, value] : query) {
            if (key == name || key == name + QStringLiteral("[]"))
                values.append(value);
        }
        return values;
    }
    // The first of them; empty when there is none.
    QString queryValue(const QString &name) const
    {
        const QStringList values = queryValues(name);
        return values.isEmpty() ? QString() : values.first();
    }
};

struct PluginResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static PluginResponse json(const QJsonValue &value, int status = 200)
    {
        PluginResponse response;
        response.status = status;
        response.headers = {{"Content-Type", "application/json; charset=utf-8"}};
        response.body = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        return response;
    }
    // Backstage's error body: {"error": {"name", "message"}, "request": {"method", "url"}, "response": {"statusCode"}}.
    static PluginResponse error(const PluginRequest &request, int status, const QString &name, const QString &message)
    {
        return json(QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("message"), message}}},
                                {QStringLiteral("request"), QJsonObject{{QStringLiteral("method"), QString::fromLatin1(request.method)},
                                                                        {QStringLiteral("url"), request.target}}},
                                {QStringLiteral("response"), QJsonObject{{QStringLiteral("statusCode"), status}}}},
                    status);
    }
};

// Answers once, from any thread; Greenroom sends the answer from its HTTP thread.
using Respond = std::function<void(PluginResponse response)>;

struct PluginRoute
{
    QByteArray method;   // GET, POST, ...
    QString path;        // below the mount, with :parameters: "/services/:serviceId"
    std::function<void(const PluginRequest &request, Respond respond)> handle;
};

// What a scaffolder action sees while it runs (Backstage's ActionContext).
class ActionRun
{
public:
    virtual ~ActionRun() = default;
    virtual QJsonObject input() const = 0;      // rendered and checked against inputSchema
    virtual QString workspace() const = 0;      // the task's folder; write only below it, never through a link out of it
    virtual bool isDryRun() const = 0;
    virtual bool isCancelled() const = 0;
    virtual void log(const QString &line) = 0;  // secrets are masked before the line is stored
    virtual void output(const QString &name, const QJsonValue &value) = 0;
};

struct ScaffolderAction
{
    QString id;                   // e.g. "acme:notify"
    QString description;
    QJsonObject inputSchema;      // JSON Schema
    QJsonObject outputSchema;
    bool supportsDryRun = false;
    // Runs on a worker thread; an empty answer is success, otherwise the error message.
    std::function<QString(ActionRun &run)> run;
};

// Runs on each entity read from a location, before it is validated (Backstage's
// CatalogProcessor.preProcessEntity). Called from several threads at once.
struct CatalogProcessor
{
    QString name;
    // The entity as it goes on, or an error message (the entity is then refused, named).
    std::function<std::pair<QJsonObject, QString>(const QJsonObject &entity, const QString &location)> preProcessEntity;
};

/*
 * Where an entity provider hands the catalog its entities (Backstage's
 * EntityProviderConnection.applyMutation). Any thread, any time after
 * connect; each call is written in one transaction, in the order made.
 * Entities are checked like a location's; one that fails is reported
 * with the provider's name and the others are kept.
 */
class EntityProviderConnection
{
public:
    virtual ~EntityProviderConnection() = default;
    // {type: 'full'}: these are all of the provider's entities now.
    virtual void applyFullMutation(const QList<QJsonObject> &entities) = 0;
    // {type: 'delta'}: add or replace `added`, remove the entities named by `removedRefs` (kind:namespace/name).
    virtual void applyDeltaMutation(const QList<QJsonObject> &added, const QStringList &removedRefs) = 0;
};

// Backstage's EntityProvider (catalogProcessingExtensionPoint.addEntityProvider).
struct EntityProvider
{
    QString name;   // getProviderName(); its entities' origin is provider:<name>
    // Called once the catalog is ready; the connection lives as long as the server.
    std::function<void(EntityProviderConnection &connection)> connect;
};

/*
 * Where a server plugin puts what it contributes, during
 * ServerPlugin::registerServer only; a contribution the manifest does not
 * list is refused (false, and Greenroom logs why). The registry itself lives
 * as long as the server, so route handlers may keep it to read config and
 * the catalog later, on the server's thread (inside a handler, not from a
 * thread of their own).
 */
class ServerRegistry
{
public:
    virtual ~ServerRegistry() = default;

    // The server's app-config value at `key` ("kubernetes.clusterLocatorMethods"), undefined when unset.
    virtual QJsonValue config(const QString &key) const = 0;
    // The stored entity (kind:namespace/name, any case), as the catalog API answers it.
    virtual std::optional<QJsonObject> entityByRef(const QString &ref) const = 0;

    virtual bool addRoute(PluginRoute route) = 0;
    virtual bool addAction(ScaffolderAction action) = 0;
    virtual bool addProcessor(CatalogProcessor processor) = 0;
    virtual bool addEntityProvider(EntityProvider provider) = 0;
};

} // namespace Greenroom::PluginApi
