// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "serverplugins.h"

#include "http/router.h"

#include <model/entityref.h>
#include <pluginapi/serverplugin.h>
#include <ingest/providedentities.h>
#include <store/catalogstore.h>

#include <QMetaObject>
#include <QPointer>

#include <atomic>

namespace Greenroom::Server {

namespace {

// What a plugin action sees, over the runner's context.
class PluginActionRun : public PluginApi::ActionRun
{
public:
    explicit PluginActionRun(Scaffold::ActionContext &context) : m_context(context) {}
    QJsonObject input() const override { return m_context.input; }
    QString workspace() const override { return m_context.workspace; }
    bool isDryRun() const override { return m_context.dryRun; }
    bool isCancelled() const override { return m_context.isCancelled(); }
    void log(const QString &line) override
    {
        if (m_context.log)
            m_context.log(line);
    }
    void output(const QString &name, const QJsonValue &value) override { m_context.output(name, value); }

private:
    Scaffold::ActionContext &m_context;
};

} // namespace

class ServerPlugins::Registry : public PluginApi::ServerRegistry
{
public:
    Registry(ServerPlugins &host, PluginManifest manifest) : m_host(host), m_manifest(std::move(manifest)) {}

    // After registerServer(): config and the catalog stay readable, nothing more is added.
    void seal() { m_sealed = true; }
    QStringList problems() const { return m_problems; }

    QJsonValue config(const QString &key) const override
    {
        auto value = m_host.m_config.optional(key);
        return value && value->has_value() ? **value : QJsonValue(QJsonValue::Undefined);
    }

    std::optional<QJsonObject> entityByRef(const QString &ref) const override
    {
        auto parsed = Model::EntityRef::parse(ref);
        if (!parsed)
            return std::nullopt;
        const auto stored = m_host.m_catalog.entityByRef(Model::EntityRef::canonical(parsed->kind(), parsed->namespaceName(), parsed->name()));
        return stored ? std::optional<QJsonObject>(stored->entity) : std::nullopt;
    }

    bool addRoute(PluginApi::PluginRoute route) override
    {
        if (!allowed(QStringLiteral("routes"), {}, QStringLiteral("route %1 %2").arg(QString::fromLatin1(route.method), route.path)))
            return false;
        if (!route.handle || !route.path.startsWith(QLatin1Char('/')))
            return refuse(QStringLiteral("route %1 needs a path starting with '/' and a handler").arg(route.path));
        m_host.m_routes.append({m_manifest.id, std::move(route)});
        return true;
    }

    bool addAction(PluginApi::ScaffolderAction action) override
    {
        if (!allowed(QStringLiteral("actions"), action.id, QStringLiteral("action ") + action.id))
            return false;
        if (!action.run)
            return refuse(QStringLiteral("action %1 has nothing to run").arg(action.id));
        Scaffold::ActionInfo info;
        info.id = action.id;
        info.description = action.description;
        info.inputSchema = action.inputSchema;
        info.outputSchema = action.outputSchema;
        info.supportsDryRun = action.supportsDryRun;
        info.handler = [run = std::move(action.run), id = action.id](Scaffold::ActionContext &context) -> Status {
            PluginActionRun adapter(context);
            const QString error = run(adapter);
            if (!error.isEmpty())
                return Error(QStringLiteral("Error"), error);
            return Ok{};
        };
        m_host.m_actions.append(std::move(info));
        return true;
    }

    bool addEntityProvider(PluginApi::EntityProvider provider) override
    {
        if (!allowed(QStringLiteral("providers"), provider.name, QStringLiteral("entity provider ") + provider.name))
            return false;
        if (!provider.connect)
            return refuse(QStringLiteral("entity provider %1 has nothing to connect").arg(provider.name));
        m_host.m_providers.append(std::move(provider));
        return true;
    }

    bool addProcessor(PluginApi::CatalogProcessor processor) override
    {
        if (!allowed(QStringLiteral("processors"), processor.name, QStringLiteral("processor ") + processor.name))
            return false;
        if (!processor.preProcessEntity)
            return refuse(QStringLiteral("processor %1 has nothing to run").arg(processor.name));
        m_host.m_processors.append({processor.name, std::move(processor.preProcessEntity)});
        return true;
    }

private:
    bool allowed(const QString &list, const QString &id, const QString &what)
    {
        if (m_sealed)
            return refuse(QStringLiteral("%1 was added after the plugin started").arg(what));
        if (m_manifest.declares(list, id))
            return true;
        return refuse(QStringLiteral("%1 is not listed in the manifest's contributes.%2").arg(what, list));
    }
    bool refuse(const QString &why)
    {
        m_problems.append(QStringLiteral("Plugin %1: %2; left out").arg(m_manifest.id, why));
        return false;
    }

    ServerPlugins &m_host;
    const PluginManifest m_manifest;
    QStringList m_problems;
    bool m_sealed = false;
};

// An entity provider's connection: its calls come from any thread and are
// written here, in order, one transaction each.
class ServerPlugins::ProviderConnection : public QObject, public PluginApi::EntityProviderConnection
{
public:
    ProviderConnection(QString name, QList<Ingest::EntityPreProcessor> processors, Store::CatalogStore &store,
                       std::function<void(const QString &, bool)> log, std::function<void()> written)
        : m_entities(name, std::move(processors)), m_name(std::move(name)), m_store(store), m_log(std::move(log)), m_written(std::move(written))
    {
    }

    void applyFullMutation(const QList<QJsonObject> &entities) override
    {
        QMetaObject::invokeMethod(this, [this, entities] {
            m_entities.applyFull(entities);
            store();
        }, Qt::QueuedConnection);
    }
    void applyDeltaMutation(const QList<QJsonObject> &added, const QStringList &removedRefs) override
    {
        QMetaObject::invokeMethod(this, [this, added, removedRefs] {
            m_entities.applyDelta(added, removedRefs);
            store();
        }, Qt::QueuedConnection);
    }

private:
    void store()
    {
        const Store::LocationWrite write = m_entities.write();
        for (const Store::ProcessingErrorRecord &error : write.errors)
            m_log(QStringLiteral("provider %1: %2: %3: %4").arg(m_name, error.entityRef, error.name, error.message), true);
        auto report = m_store.applyLocation(write);
        if (!report) {
            m_log(QStringLiteral("provider %1: %2").arg(m_name, report.error().message), true);
            return;
        }
        if (report->inserted + report->updated + report->deleted > 0)
            m_log(QStringLiteral("provider %1: %2 added, %3 updated, %4 unchanged, %5 deleted")
                      .arg(m_name).arg(report->inserted).arg(report->updated).arg(report->unchanged).arg(report->deleted),
                  false);
        m_written();
    }

    Ingest::ProvidedEntities m_entities;
    QString m_name;
    Store::CatalogStore &m_store;
    std::function<void(const QString &, bool)> m_log;
    std::function<void()> m_written;
};

void ServerPlugins::connectProviders(Store::CatalogStore &store, std::function<void(const QString &, bool)> log, std::function<void()> written)
{
    for (const PluginApi::EntityProvider &provider : std::as_const(m_providers)) {
        m_connections.push_back(std::make_unique<ProviderConnection>(provider.name, m_processors, store, log, written));
        provider.connect(*m_connections.back());
    }
}

ServerPlugins::ServerPlugins(const Config::ConfigReader &config, Store::CatalogStore &catalog, QObject *parent)
    : QObject(parent), m_config(config), m_catalog(catalog)
{
}

ServerPlugins::~ServerPlugins() = default;

QList<ServerPluginStatus> ServerPlugins::load(const QList<PluginFolder> &folders)
{
    const QString iid = QStringLiteral(GreenroomServerPlugin_iid);
    const PluginLoader loader(iid.section(QLatin1Char('/'), 0, 0), PluginApi::ApiVersion);
    QList<ServerPluginStatus> statuses;
    for (const FoundPlugin &found : loader.find(folders)) {
        ServerPluginStatus status;
        status.file = found.file;
        if (found.manifest) {
            status.id = found.manifest->id;
            status.version = found.manifest->version;
        }
        auto instance = loader.load(found);
        if (!instance) {
            status.message = instance.error().message;
        } else if (auto *plugin = qobject_cast<PluginApi::ServerPlugin *>(instance.value()); !plugin) {
            status.message = QStringLiteral("Plugin %1 (%2) is skipped: it does not implement %3").arg(status.id, status.file, iid);
        } else {
            // What it registers is kept only when registerServer() succeeds.
            const auto routes = m_routes.size();
            const auto actions = m_actions.size();
            const auto processors = m_processors.size();
            const auto providers = m_providers.size();
            // The registry lives as long as the server: handlers may keep it to read config and the catalog.
            auto registry = std::make_unique<Registry>(*this, *found.manifest);
            QString error;
            const bool started = plugin->registerServer(*registry, &error);
            registry->seal();
            if (!started) {
                m_routes.resize(routes);
                m_actions.resize(actions);
                m_processors.resize(processors);
                m_providers.resize(providers);
                status.message = QStringLiteral("Plugin %1 (%2) is skipped: %3").arg(status.id, status.file,
                                                                                    error.isEmpty() ? QStringLiteral("it did not start") : error);
            } else {
                status.loaded = true;
                status.message = registry->problems().join(QLatin1Char('\n'));
            }
            m_registries.push_back(std::move(registry));
        }
        statuses.append(status);
    }
    return statuses;
}

void ServerPlugins::addActionsTo(Scaffold::ActionRegistry &actions) const
{
    for (const Scaffold::ActionInfo &action : m_actions)
        actions.add(action);
}

void ServerPlugins::addRoutesTo(Router &router)
{
    for (const Route &entry : std::as_const(m_routes)) {
        const QString mount = QStringLiteral("/api/") + entry.pluginId;
        router.add(entry.route.method, mount, entry.route.path, [this, handle = entry.route.handle](const HttpRequest &request) {
            PluginApi::PluginRequest asked;
            asked.method = request.method;
            asked.path = request.path.mid(request.mount.size());
            asked.target = request.mountRelativeTarget();
            asked.params = request.params;
            asked.query = request.query;
            asked.headers = request.headers;
            asked.body = request.body;
            auto deferred = std::make_shared<DeferredResponse>();
            auto answered = std::make_shared<std::atomic_bool>(false);
            // The plugin answers once, from any thread; the answer goes out from this one.
            handle(asked, [self = QPointer<ServerPlugins>(this), deferred, answered](PluginApi::PluginResponse response) {
                if (answered->exchange(true) || !self)
                    return;
                QMetaObject::invokeMethod(self.data(), [deferred, response = std::move(response)] {
                    if (!deferred->isOpen())
                        return;
                    HttpResponse out;
                    out.status = response.status;
                    out.headers = response.headers;
                    out.body = response.body;
                    deferred->complete(out);
                }, Qt::QueuedConnection);
            });
            return HttpResponse::later(deferred);
        });
    }
}

} // namespace Greenroom::Server
