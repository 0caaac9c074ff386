// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "scaffolderroutes.h"

#include "auth/authroutes.h"

#include <model/entityref.h>

#include "catalog/routesupport.h"

#include <scaffold/autocomplete.h>
#include <scaffold/directorycontents.h>
#include <scaffold/templatefiles.h>
#include <scaffold/templatelanguage.h>
#include <scaffold/templateparameters.h>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/scaffolder");
constexpr auto LongPoll = std::chrono::seconds(30);

Error taskNotFound(const QString &id)
{
    return notFound(QStringLiteral("No task with id '%1' found").arg(id));
}

// ["tags", 1] for "tags[1]", ["nested", "port"] for "nested.port".
QJsonArray problemPath(const QString &field)
{
    QJsonArray path;
    static const QRegularExpression part(QStringLiteral("([^.\\[\\]]+)|\\[(\\d+)\\]"));
    for (auto it = part.globalMatch(field); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedLength(2) > 0)
            path.append(match.captured(2).toInt());
        else
            path.append(match.captured(1));
    }
    return path;
}

// jsonschema's ValidationError as upstream's 400 bodies list them.
QJsonArray problemsJson(const QList<Scaffold::ParameterProblem> &problems)
{
    QJsonArray errors;
    for (const Scaffold::ParameterProblem &problem : problems) {
        // A missing property is the object's problem (its parent), as jsonschema reports it.
        const QString where = problem.keyword == QLatin1String("required")
                                  ? (problem.field.contains(QLatin1Char('.')) ? problem.field.section(QLatin1Char('.'), 0, -2) : QString())
                                  : problem.field;
        errors.append(QJsonObject{{QStringLiteral("path"), problemPath(where)},
                                  {QStringLiteral("property"), where.isEmpty() ? QStringLiteral("instance")
                                                               : where.startsWith(QLatin1Char('[')) ? QStringLiteral("instance") + where
                                                                                                    : QStringLiteral("instance.") + where},
                                  {QStringLiteral("message"), problem.keyword == QLatin1String("required")
                                                                  ? QStringLiteral("requires property \"%1\"").arg(problem.field.section(QLatin1Char('.'), -1))
                                                                  : problem.message},
                                  {QStringLiteral("name"), problem.keyword},
                                  {QStringLiteral("stack"), problem.stack()}});
    }
    return errors;
}

QByteArray serverSentEvent(const Scaffold::TaskEventRecord &event)
{
    return "event: " + event.type.toUtf8() + "\ndata: " + QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact) + "\n\n";
}

// `after` as upstream reads it: absent, every event; else a number.
std::optional<qint64> afterParameter(const HttpRequest &request)
{
    const QStringList values = request.queryValues(QStringLiteral("after"));
    if (values.isEmpty())
        return std::nullopt;
    return values.first().toLongLong();
}

QJsonArray eventsJson(const QList<Scaffold::TaskEventRecord> &events)
{
    QJsonArray list;
    for (const Scaffold::TaskEventRecord &event : events)
        list.append(event.toJson());
    return list;
}

// The secrets checked against spec.secrets.schema; the 400 answer when they fail.
std::optional<HttpResponse> checkSecrets(const QJsonObject &templateEntity, const QJsonObject &secrets)
{
    const QJsonObject secretsSchema = templateEntity.value(QLatin1String("spec"))[QLatin1String("secrets")][QLatin1String("schema")].toObject();
    if (!secretsSchema.isEmpty()) {
        Scaffold::ParameterPage page;
        page.schema = secretsSchema;
        const QList<Scaffold::ParameterProblem> secretProblems = Scaffold::validatePage(secrets, page);
        if (!secretProblems.isEmpty())
            return HttpResponse::json(QJsonObject{{QStringLiteral("errors"), problemsJson(secretProblems)}}, 400);
    }
    return std::nullopt;
}

// The secrets a task runs with: the request's, and the caller's own token
// as `backstageToken`, as upstream adds it (templates call back into the
// catalog with it). It is a secret like the others: masked in every log.
QJsonObject taskSecrets(QJsonObject secrets, const HttpRequest &request)
{
    const QByteArray authorization = request.headers.value("authorization").trimmed();
    if (authorization.size() > 7 && authorization.left(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        secrets.insert(QStringLiteral("backstageToken"), QString::fromUtf8(authorization.mid(7).trimmed()));
    return secrets;
}

// The values checked against the pages, then the secrets; the 400 answer when either fails.
std::optional<HttpResponse> checkAnswers(const QJsonObject &templateEntity, const QJsonObject &values, const QJsonObject &secrets)
{
    const QList<Scaffold::ParameterProblem> problems = Scaffold::validateParameters(values, Scaffold::parameterPages(templateEntity));
    if (!problems.isEmpty())
        return HttpResponse::json(QJsonObject{{QStringLiteral("errors"), problemsJson(problems)}}, 400);
    return checkSecrets(templateEntity, secrets);
}

} // namespace

ScaffolderRoutes::ScaffolderRoutes(Router &router, Store::CatalogStore &catalog, Scaffold::TaskBroker &broker,
                                   const Scaffold::ActionRegistry &actions, std::shared_ptr<const Scaffold::ScaffolderServices> services,
                                   Ingest::GitReader git, QString workingDirectory, QObject *parent)
    : QObject(parent), m_catalog(catalog), m_broker(broker), m_actions(actions), m_services(std::move(services)), m_git(std::move(git)),
      m_workingDirectory(std::move(workingDirectory))
{
    m_slowWork.setMaxThreadCount(2);
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(1000);
    connect(m_pollTimer, &QTimer::timeout, this, [this] {
        // Long polls that waited 30 s get [], as upstream answers them.
        m_polls.tick();
        m_listeners.removeIf([](const Listener &listener) { return !listener.stream->isOpen(); });
        if (m_listeners.isEmpty() && m_polls.isEmpty())
            m_pollTimer->stop();
    });
    connect(&m_broker, &Scaffold::TaskBroker::eventAdded, this, &ScaffolderRoutes::deliver);

    router.add("GET", Mount, QStringLiteral("/v2/templates/:namespace/:kind/:name/parameter-schema"),
               [this](const HttpRequest &request) { return parameterSchema(request); });
    router.add("GET", Mount, QStringLiteral("/v2/templates/:namespace/:kind/:name/files"), [this](const HttpRequest &request) { return templateFiles(request); });
    router.add("GET", Mount, QStringLiteral("/v2/actions"), [this](const HttpRequest &) {
        QJsonArray list;
        for (const Scaffold::ActionInfo &action : m_actions.all()) {
            QJsonObject schema{{QStringLiteral("input"), action.inputSchema}};
            if (!action.outputSchema.isEmpty())
                schema.insert(QStringLiteral("output"), action.outputSchema);
            list.append(QJsonObject{{QStringLiteral("id"), action.id},
                                    {QStringLiteral("description"), action.description},
                                    {QStringLiteral("schema"), schema}});
        }
        return HttpResponse::json(list);
    });
    router.add("POST", Mount, QStringLiteral("/v2/tasks"), [this](const HttpRequest &request) { return createTask(request); });
    router.add("GET", Mount, QStringLiteral("/v2/tasks"), [this](const HttpRequest &request) { return listTasks(request); });
    router.add("GET", Mount, QStringLiteral("/v2/tasks/:taskId"), [this](const HttpRequest &request) {
        const std::optional<Scaffold::TaskRecord> task = m_broker.task(request.params.value(QStringLiteral("taskId")));
        if (!task)
            return HttpResponse::error(taskNotFound(request.params.value(QStringLiteral("taskId"))), request);
        if (Status permitted = taskPermitted(request, *task); !permitted)
            return HttpResponse::error(permitted.error(), request);
        return HttpResponse::json(task->toJson());
    });
    router.add("GET", Mount, QStringLiteral("/v2/tasks/:taskId/eventstream"), [this](const HttpRequest &request) { return eventStream(request); });
    router.add("GET", Mount, QStringLiteral("/v2/tasks/:taskId/events"), [this](const HttpRequest &request) { return events(request); });
    router.add("POST", Mount, QStringLiteral("/v2/tasks/:taskId/cancel"), [this](const HttpRequest &request) {
        const QString id = request.params.value(QStringLiteral("taskId"));
        const std::optional<Scaffold::TaskRecord> task = m_broker.task(id);
        if (!task)
            return HttpResponse::error(taskNotFound(id), request);
        if (Status permitted = taskPermitted(request, *task, {QStringLiteral("scaffolder.task.cancel")}); !permitted)
            return HttpResponse::error(permitted.error(), request);
        if (!m_broker.cancel(id))
            return HttpResponse::error(taskNotFound(id), request);
        return HttpResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("cancelled")}});
    });
    router.add("POST", Mount, QStringLiteral("/v2/tasks/:taskId/retry"), [this](const HttpRequest &request) { return retryTask(request); });
    router.add("POST", Mount, QStringLiteral("/v2/dry-run"), [this](const HttpRequest &request) { return dryRun(request); });
    router.add("POST", Mount, QStringLiteral("/v2/autocomplete/:provider/:resource"), [this](const HttpRequest &request) { return autocomplete(request); });
    router.add("GET", Mount, QStringLiteral("/v2/templating-extensions"),
               [](const HttpRequest &) { return HttpResponse::jsonBytes(Scaffold::templatingExtensionsJson()); });
}

ScaffolderRoutes::~ScaffolderRoutes()
{
    m_slowWork.waitForDone();
}

Result<Store::StoredEntity> ScaffolderRoutes::readable(const HttpRequest &request, Result<Store::StoredEntity> stored) const
{
    // A template the caller may not read is not found, as upstream's
    // catalog lookup with the caller's credentials finds none.
    if (stored && m_authorizer && m_authorizer->isEnabled() && !readableEntity(*m_authorizer, m_catalog, request.principal, stored->ref))
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("Template %1 not found").arg(stored->ref));
    return stored;
}

Status ScaffolderRoutes::require(const HttpRequest &request, const QStringList &permissions) const
{
    for (const QString &permission : permissions) {
        if (m_authorizer) {
            if (Status allowed = m_authorizer->require(request.principal, permission); !allowed)
                return allowed;
        }
    }
    return Ok{};
}

std::function<bool(const QJsonObject &)> ScaffolderRoutes::resourceCheck(const HttpRequest &request, const QString &permission) const
{
    if (!m_authorizer || !m_authorizer->isEnabled())
        return nullptr;
    const Auth::PolicyDecision decision = m_authorizer->decide(request.principal, permission);
    return [decision](const QJsonObject &resource) {
        if (decision.result != Auth::PolicyDecision::Result::Conditional)
            return decision.result == Auth::PolicyDecision::Result::Allow;
        return Auth::PermissionCriteria::matches(decision.conditions, resource);
    };
}

std::function<bool(const QString &, const QJsonObject &)> ScaffolderRoutes::actionCheck(const HttpRequest &request) const
{
    const auto allowed = resourceCheck(request, QStringLiteral("scaffolder.action.execute"));
    if (!allowed)
        return nullptr;
    return [allowed](const QString &actionId, const QJsonObject &input) {
        return allowed(QJsonObject{{QStringLiteral("action"), actionId}, {QStringLiteral("input"), input}});
    };
}

Status ScaffolderRoutes::taskPermitted(const HttpRequest &request, const Scaffold::TaskRecord &task, const QStringList &more) const
{
    for (const QString &permission : more + QStringList{QStringLiteral("scaffolder.task.read")}) {
        const auto allowed = resourceCheck(request, permission);
        if (allowed && !allowed(QJsonObject{{QStringLiteral("createdBy"), task.createdBy}}))
            return Error(QStringLiteral("NotAllowedError"), QString());
    }
    return Ok{};
}

QJsonObject ScaffolderRoutes::authorizedTemplate(const HttpRequest &request, QJsonObject templateEntity) const
{
    const auto pageAllowed = resourceCheck(request, QStringLiteral("scaffolder.template.parameter.read"));
    const auto stepAllowed = resourceCheck(request, QStringLiteral("scaffolder.template.step.read"));
    if (!pageAllowed || !stepAllowed)
        return templateEntity;
    QJsonObject spec = templateEntity.value(QLatin1String("spec")).toObject();
    const auto kept = [](const QJsonArray &items, const std::function<bool(const QJsonObject &)> &allowed) {
        QJsonArray out;
        for (const QJsonValue &item : items) {
            if (allowed(item.toObject()))
                out.append(item);
        }
        return out;
    };
    const QJsonValue parameters = spec.value(QLatin1String("parameters"));
    if (parameters.isArray())
        spec.insert(QStringLiteral("parameters"), kept(parameters.toArray(), pageAllowed));
    else if (parameters.isObject() && !pageAllowed(parameters.toObject()))
        spec.remove(QStringLiteral("parameters"));
    if (spec.value(QLatin1String("steps")).isArray())
        spec.insert(QStringLiteral("steps"), kept(spec.value(QLatin1String("steps")).toArray(), stepAllowed));
    templateEntity.insert(QStringLiteral("spec"), spec);
    return templateEntity;
}

HttpResponse ScaffolderRoutes::parameterSchema(const HttpRequest &request)
{
    auto stored = readable(request, Scaffold::findTemplate(m_catalog, request.params.value(QStringLiteral("kind")), request.params.value(QStringLiteral("namespace")),
                               request.params.value(QStringLiteral("name"))));
    if (!stored)
        return HttpResponse::error(stored.error(), request);
    const QJsonObject &entity = stored->entity;
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QJsonObject spec = entity.value(QLatin1String("spec")).toObject();
    // Keys in upstream's order, and the template's own objects (the pages'
    // schemas above all: a form lists its fields in their order) as written.
    const JsonKeyOrder written = JsonKeyOrder::fromJson(stored->json);
    const QString decoratorsKey = spec.contains(QLatin1String("formDecorators")) ? QStringLiteral("formDecorators")
                                                                                  : QStringLiteral("EXPERIMENTAL_formDecorators");
    JsonKeyOrder order;
    for (const char *key : {"title", "presentation", "description", "ui:options", "steps", "formDecorators"})
        order.append(QString(), QString::fromLatin1(key));
    order.insertBelow(JsonKeyOrder::path({QStringLiteral("presentation")}), written.below(JsonKeyOrder::path({QStringLiteral("spec"), QStringLiteral("presentation")})));
    order.insertBelow(JsonKeyOrder::path({QStringLiteral("ui:options")}), written.below(JsonKeyOrder::path({QStringLiteral("metadata"), QStringLiteral("ui:options")})));
    order.insertBelow(JsonKeyOrder::path({QStringLiteral("formDecorators")}), written.below(JsonKeyOrder::path({QStringLiteral("spec"), decoratorsKey})));
    QJsonObject body{{QStringLiteral("title"), metadata.value(QLatin1String("title")).toString(metadata.value(QLatin1String("name")).toString())}};
    if (spec.contains(QLatin1String("presentation")))
        body.insert(QStringLiteral("presentation"), spec.value(QLatin1String("presentation")));
    if (metadata.contains(QLatin1String("description")))
        body.insert(QStringLiteral("description"), metadata.value(QLatin1String("description")));
    if (metadata.contains(QLatin1String("ui:options")))
        body.insert(QStringLiteral("ui:options"), metadata.value(QLatin1String("ui:options")));
    QJsonArray steps;
    // Pages the caller may not read (HAS_TAG) are left out; the others keep their written key order.
    const auto pageAllowed = resourceCheck(request, QStringLiteral("scaffolder.template.parameter.read"));
    for (const Scaffold::ParameterPage &page : Scaffold::parameterPages(entity, written)) {
        if (pageAllowed && !pageAllowed(page.schema))
            continue;
        const QString stepPath = JsonKeyOrder::path({QStringLiteral("steps"), QString::number(steps.size())});
        for (const char *key : {"title", "description", "when", "schema"})
            order.append(stepPath, QString::fromLatin1(key));
        order.insertBelow(JsonKeyOrder::childPath(stepPath, QStringLiteral("schema")), page.keyOrder);
        QJsonObject step{{QStringLiteral("title"), page.title}, {QStringLiteral("schema"), page.schema}};
        if (page.schema.contains(QLatin1String("description")))
            step.insert(QStringLiteral("description"), page.schema.value(QLatin1String("description")));
        if (page.when.isString() || page.when.isBool())
            step.insert(QStringLiteral("when"), page.when);
        steps.append(step);
    }
    body.insert(QStringLiteral("steps"), steps);
    const QJsonValue decorators = spec.value(decoratorsKey);
    if (!decorators.isUndefined())
        body.insert(QStringLiteral("formDecorators"), decorators);
    return HttpResponse::jsonBytes(order.toJson(body));
}

HttpResponse ScaffolderRoutes::templateFiles(const HttpRequest &request)
{
    auto stored = readable(request, Scaffold::findTemplate(m_catalog, request.params.value(QStringLiteral("kind")), request.params.value(QStringLiteral("namespace")),
                               request.params.value(QStringLiteral("name"))));
    if (!stored)
        return HttpResponse::error(stored.error(), request);
    // Greenroom's addition, for desktops that run a task themselves; read
    // off the HTTP thread (a git template may need a fetch).
    return answerFromWorker(m_slowWork, this, [request, entity = stored->entity, git = m_git, services = m_services] {
        const Result<QJsonObject> kit = Scaffold::templateKit(entity, git, *services);
        return kit ? HttpResponse::json(kit.value()) : HttpResponse::error(kit.error(), request);
    });
}

HttpResponse ScaffolderRoutes::autocomplete(const HttpRequest &request)
{
    auto body = jsonObjectBody(request);
    if (!body)
        return HttpResponse::error(body.error(), request);
    // The host is asked off the HTTP thread.
    return answerFromWorker(m_slowWork, this, [request, body = body.value(), services = m_services] {
        const Result<QJsonArray> results =
            Scaffold::autocomplete(*services, request.params.value(QStringLiteral("provider")), request.params.value(QStringLiteral("resource")),
                                   body.value(QLatin1String("token")).toString(), body.value(QLatin1String("context")).toObject());
        return results ? HttpResponse::json(QJsonObject{{QStringLiteral("results"), results.value()}})
                       : HttpResponse::error(results.error(), request);
    });
}

HttpResponse ScaffolderRoutes::createTask(const HttpRequest &request)
{
    auto body = jsonObjectBody(request);
    if (!body)
        return HttpResponse::error(body.error(), request);
    const QJsonValue templateRef = body->value(QLatin1String("templateRef"));
    if (!templateRef.isString())
        return HttpResponse::error(Error::input(QStringLiteral("Entity reference must be a string")), request);
    if (Status allowed = require(request, {QStringLiteral("scaffolder.task.create")}); !allowed)
        return HttpResponse::error(allowed.error(), request);
    auto stored = readable(request, Scaffold::findTemplate(m_catalog, templateRef.toString()));
    if (!stored)
        return HttpResponse::error(stored.error(), request);
    const QJsonObject entity = authorizedTemplate(request, stored->entity);
    const QJsonObject values = body->value(QLatin1String("values")).toObject();
    const QJsonObject secrets = body->value(QLatin1String("secrets")).toObject();
    if (std::optional<HttpResponse> refused = checkAnswers(entity, values, secrets))
        return *refused;
    Scaffold::TaskRequest task = Scaffold::taskRequest(entity, m_git, m_services);
    // What hidden pages (`when`) alone ask for is not passed on, as upstream filters it.
    task.values = Scaffold::resolvePages(values, Scaffold::parameterPages(entity)).values;
    task.secrets = taskSecrets(secrets, request);
    task.actionAllowed = actionCheck(request);
    // A signed-in caller is the task's user (its createdBy), with their entity, as upstream records them.
    if (request.principal.type == Auth::Principal::Type::User) {
        QJsonObject user{{QStringLiteral("ref"), request.principal.subject}};
        if (const std::optional<Store::StoredEntity> entity = m_catalog.entityByRef(request.principal.subject)) {
            const QJsonObject json = entity->entity.isEmpty() ? QJsonDocument::fromJson(entity->json).object() : entity->entity;
            user.insert(QStringLiteral("entity"), json);
        }
        task.user = user;
    }
    auto id = m_broker.dispatch(task);
    if (!id)
        return HttpResponse::error(id.error(), request);
    return HttpResponse::json(QJsonObject{{QStringLiteral("id"), id.value()}}, 201);
}

HttpResponse ScaffolderRoutes::retryTask(const HttpRequest &request)
{
    const QString id = request.params.value(QStringLiteral("taskId"));
    const std::optional<Scaffold::TaskRecord> task = m_broker.task(id);
    if (!task)
        return HttpResponse::error(taskNotFound(id), request);
    if (Status permitted = taskPermitted(request, *task); !permitted)
        return HttpResponse::error(permitted.error(), request);
    if (Status allowed = require(request, {QStringLiteral("scaffolder.task.create")}); !allowed)
        return HttpResponse::error(allowed.error(), request);
    auto body = jsonObjectBody(request, true);   // {secrets?}, and may be empty
    if (!body)
        return HttpResponse::error(body.error(), request);
    const QJsonObject secrets = body->value(QLatin1String("secrets")).toObject();
    // The template is found again, as upstream's retry authorizes it, and
    // its files are where the steps' relative urls point.
    const QString templateRef = task->spec.value(QLatin1String("templateInfo"))[QLatin1String("entityRef")].toString();
    auto stored = readable(request, Scaffold::findTemplate(m_catalog, templateRef));
    if (!stored)
        return HttpResponse::error(stored.error(), request);
    const QJsonObject templateEntity = authorizedTemplate(request, stored->entity);
    if (std::optional<HttpResponse> refused = checkSecrets(templateEntity, secrets))
        return *refused;
    Scaffold::TaskRequest run = Scaffold::taskRequest(templateEntity, m_git, m_services);
    run.secrets = taskSecrets(secrets, request);
    run.actionAllowed = actionCheck(request);
    auto retried = m_broker.retry(id, run);
    if (!retried)
        return HttpResponse::error(retried.error(), request);
    if (!retried.value())
        return HttpResponse::error(Error(QStringLiteral("ConflictError"), QStringLiteral("Task with taskId %1 cannot be retried").arg(id)), request);
    return HttpResponse::json(QJsonObject{{QStringLiteral("id"), id}}, 201);
}

HttpResponse ScaffolderRoutes::listTasks(const HttpRequest &request)
{
    Scaffold::TaskQuery query;
    query.createdBy = request.queryValues(QStringLiteral("createdBy"));
    query.status = request.queryValues(QStringLiteral("status"));
    for (const QString &order : request.queryValues(QStringLiteral("order"))) {
        static const QRegularExpression form(QStringLiteral("^(asc|desc):(.+)$"));
        const QRegularExpressionMatch match = form.match(order);
        if (!match.hasMatch())
            return HttpResponse::error(Error::input(QStringLiteral("Invalid order parameter \"%1\", expected \"<asc or desc>:<field name>\"").arg(order)), request);
        if (!QStringList{QStringLiteral("created_at"), QStringLiteral("status"), QStringLiteral("created_by")}.contains(match.captured(2)))
            return HttpResponse::error(Error::input(QStringLiteral("Invalid order field \"%1\"").arg(match.captured(2))), request);
        query.orderField = match.captured(2);
        query.descending = match.captured(1) == QLatin1String("desc");
    }
    for (const auto &[name, target] : {std::pair{"limit", &query.limit}, std::pair{"offset", &query.offset}}) {
        auto value = integerParameter(request, QString::fromLatin1(name));
        if (!value)
            return HttpResponse::error(value.error(), request);
        if (value->has_value())
            *target = int(std::clamp<qint64>(**value, 0, std::numeric_limits<int>::max()));
    }
    int total = 0;
    QJsonArray tasks;
    // scaffolder.task.read: refused, 403; conditional (IS_TASK_OWNER), only
    // the tasks it allows, paged and counted after filtering.
    const std::optional<Auth::PolicyDecision> decision = m_authorizer && m_authorizer->isEnabled()
                                                             ? std::optional(m_authorizer->decide(request.principal, QStringLiteral("scaffolder.task.read")))
                                                             : std::nullopt;
    if (decision && decision->result == Auth::PolicyDecision::Result::Deny)
        return HttpResponse::error(Error(QStringLiteral("NotAllowedError"), QString()), request);
    if (decision && decision->result == Auth::PolicyDecision::Result::Conditional) {
        Scaffold::TaskQuery all = query;
        all.limit = -1;
        all.offset = 0;
        QList<Scaffold::TaskRecord> allowed;
        for (const Scaffold::TaskRecord &task : m_broker.list(all, &total)) {
            if (Auth::PermissionCriteria::matches(decision->conditions, QJsonObject{{QStringLiteral("createdBy"), task.createdBy}}))
                allowed.append(task);
        }
        total = int(allowed.size());
        const qsizetype end = query.limit < 0 ? allowed.size() : std::min<qsizetype>(allowed.size(), qsizetype(query.offset) + query.limit);
        for (qsizetype i = query.offset; i < end; ++i)
            tasks.append(allowed.at(i).toJson());
        return HttpResponse::json(QJsonObject{{QStringLiteral("tasks"), tasks}, {QStringLiteral("totalTasks"), total}});
    }
    for (const Scaffold::TaskRecord &task : m_broker.list(query, &total))
        tasks.append(task.toJson());
    return HttpResponse::json(QJsonObject{{QStringLiteral("tasks"), tasks}, {QStringLiteral("totalTasks"), total}});
}

HttpResponse ScaffolderRoutes::eventStream(const HttpRequest &request)
{
    const QString id = request.params.value(QStringLiteral("taskId"));
    const std::optional<Scaffold::TaskRecord> task = m_broker.task(id);
    if (!task)
        return HttpResponse::error(taskNotFound(id), request);
    if (Status permitted = taskPermitted(request, *task); !permitted)
        return HttpResponse::error(permitted.error(), request);
    Listener listener;
    listener.taskId = id;
    listener.after = afterParameter(request);
    listener.stream = std::make_shared<ResponseStream>();
    const std::shared_ptr<ResponseStream> stream = listener.stream;
    m_listeners.append(listener);
    if (!m_pollTimer->isActive())
        m_pollTimer->start();
    // What happened already goes out as soon as the headers have.
    QTimer::singleShot(0, this, [this, id] { deliver(id); });
    return HttpResponse::streamed(stream, {{"Connection", "keep-alive"}, {"Cache-Control", "no-cache"}, {"Content-Type", "text/event-stream"}});
}

HttpResponse ScaffolderRoutes::events(const HttpRequest &request)
{
    const QString id = request.params.value(QStringLiteral("taskId"));
    const std::optional<Scaffold::TaskRecord> task = m_broker.task(id);
    if (!task)
        return HttpResponse::error(taskNotFound(id), request);
    if (Status permitted = taskPermitted(request, *task); !permitted)
        return HttpResponse::error(permitted.error(), request);
    const std::optional<qint64> after = afterParameter(request);
    const QList<Scaffold::TaskEventRecord> ready = m_broker.events(id, after);
    if (!ready.isEmpty())
        return HttpResponse::json(eventsJson(ready));
    HttpResponse later = m_polls.wait(
        LongPoll,
        [this, id, after]() -> std::optional<HttpResponse> {
            const QList<Scaffold::TaskEventRecord> fresh = m_broker.events(id, after);
            if (fresh.isEmpty())
                return std::nullopt;
            return HttpResponse::json(eventsJson(fresh));
        },
        [] { return HttpResponse::json(QJsonArray()); }, id);
    if (!m_pollTimer->isActive())
        m_pollTimer->start();
    return later;
}

void ScaffolderRoutes::deliver(const QString &taskId)
{
    m_polls.check(taskId);
    for (auto it = m_listeners.begin(); it != m_listeners.end();) {
        Listener &listener = *it;
        bool done = !listener.stream->isOpen();
        const QList<Scaffold::TaskEventRecord> fresh =
            done || listener.taskId != taskId ? QList<Scaffold::TaskEventRecord>() : m_broker.events(taskId, listener.after);
        if (!fresh.isEmpty()) {
            // The stream ends after the completion, as upstream's does.
            for (const Scaffold::TaskEventRecord &event : fresh) {
                listener.stream->write(serverSentEvent(event));
                listener.after = event.id;
                done = done || event.type == QLatin1String("completion");
            }
            if (done)
                listener.stream->close();
        }
        it = done ? m_listeners.erase(it) : it + 1;
    }
}

HttpResponse ScaffolderRoutes::dryRun(const HttpRequest &request)
{
    auto body = jsonObjectBody(request);
    if (!body)
        return HttpResponse::error(body.error(), request);
    if (Status allowed = require(request, {QStringLiteral("scaffolder.task.create"), QStringLiteral("scaffolder.template.dry-run")}); !allowed)
        return HttpResponse::error(allowed.error(), request);
    // Greenroom's addition: {templateRef, values} tries a stored template
    // with its own files (the desktop has no copy of them to send).
    if (body->contains(QLatin1String("templateRef")) && !body->contains(QLatin1String("template")))
        return dryRunStored(request, body.value());
    const QJsonObject templateEntity = body->value(QLatin1String("template")).toObject();
    const QJsonValue directoryContents = body->value(QLatin1String("directoryContents"));
    if (!body->value(QLatin1String("values")).isObject() || !directoryContents.isArray())
        return HttpResponse::error(Error::input(QStringLiteral("Malformed request: values must be an object and directoryContents an array")), request);
    if (templateEntity.value(QLatin1String("apiVersion")).toString() != QLatin1String("scaffolder.backstage.io/v1beta3")
        || templateEntity.value(QLatin1String("kind")).toString() != QLatin1String("Template")
        || !templateEntity.value(QLatin1String("spec"))[QLatin1String("steps")].isArray())
        return HttpResponse::error(Error::input(QStringLiteral("Input template is not a template")), request);
    const QJsonObject values = body->value(QLatin1String("values")).toObject();
    const QJsonObject secrets = body->value(QLatin1String("secrets")).toObject();
    if (std::optional<HttpResponse> refused = checkAnswers(templateEntity, values, secrets))
        return *refused;

    // The template's own files, as the client sent them, in a folder of their
    // own (backend.workingDirectory may not exist before the first task makes it).
    const QString working = m_workingDirectory.isEmpty() ? QDir::tempPath() : m_workingDirectory;
    QDir().mkpath(working);
    auto contents = std::make_shared<QTemporaryDir>(QDir(working).filePath(QStringLiteral("dry-run-content-XXXXXX")));
    if (!contents->isValid())
        return HttpResponse::error(Error::internal(QStringLiteral("Cannot create a folder for the dry run")), request);
    if (Status written = Scaffold::writeDirectoryContents(contents->path(), directoryContents.toArray()); !written)
        return HttpResponse::error(written.error(), request);
    return startDryRun(request, templateEntity, [contents] { return Result<Scaffold::TemplateFiles>(Scaffold::TemplateFiles{contents->path(), {}, contents}); },
                       values, secrets);
}

HttpResponse ScaffolderRoutes::dryRunStored(const HttpRequest &request, const QJsonObject &body)
{
    auto stored = readable(request, Scaffold::findTemplate(m_catalog, body.value(QLatin1String("templateRef")).toString()));
    if (!stored)
        return HttpResponse::error(stored.error(), request);
    const QJsonObject &entity = stored->entity;
    const QJsonObject values = body.value(QLatin1String("values")).toObject();
    const QJsonObject secrets = body.value(QLatin1String("secrets")).toObject();
    if (std::optional<HttpResponse> refused = checkAnswers(entity, values, secrets))
        return *refused;
    // Its files are found off the HTTP thread (a git template may need a fetch).
    return startDryRun(request, entity, [entity, git = m_git, services = m_services] { return Scaffold::templateFiles(entity, git, services->github); }, values,
                       secrets);
}

HttpResponse ScaffolderRoutes::startDryRun(const HttpRequest &request, const QJsonObject &templateEntity,
                                           std::function<Result<Scaffold::TemplateFiles>()> files, const QJsonObject &values,
                                           const QJsonObject &secrets)
{
    return answerFromWorker(m_slowWork, this,
                            [&actions = m_actions, templateEntity, files, values, secrets = taskSecrets(secrets, request), request,
                             workingDirectory = m_workingDirectory, services = m_services, allowed = actionCheck(request)] {
                                const Result<QJsonObject> answer =
                                    Scaffold::dryRun(actions, templateEntity, files, values, secrets, workingDirectory, services, allowed);
                                return answer ? HttpResponse::json(answer.value()) : HttpResponse::error(answer.error(), request);
                            });
}

} // namespace Greenroom::Server
