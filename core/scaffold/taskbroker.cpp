// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "taskbroker.h"

#include "directorycontents.h"
#include "templateparameters.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QMutexLocker>
#include <QUuid>

namespace Greenroom::Scaffold {

namespace {

const QString StaleMessage = QStringLiteral("The task was cancelled because the task worker lost connection to the task broker");

void warnStore(const QString &what, const Error &error)
{
    qWarning("scaffolder: %s: %s", qUtf8Printable(what), qUtf8Printable(error.message));
}

} // namespace

TaskBroker::TaskBroker(const ActionRegistry &actions, std::shared_ptr<const ScaffolderServices> services, Store::TaskStore &store,
                       QString workingDirectory, QObject *parent)
    : QObject(parent), m_actions(actions), m_services(std::move(services)), m_workingDirectory(std::move(workingDirectory)), m_store(store)
{
    // Backstage's default worker concurrency is 10; tasks mostly wait on the network.
    m_pool.setMaxThreadCount(4);
    // lastHeartbeatAt moves every second while a task runs, as upstream's worker beats.
    m_heartbeat = new QTimer(this);
    m_heartbeat->setInterval(1000);
    connect(m_heartbeat, &QTimer::timeout, this, &TaskBroker::heartbeat);
    m_heartbeat->start();
}

TaskBroker::~TaskBroker()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;   // tasks still fetching their files are cancelled once they have them
        for (const Run &run : std::as_const(m_runs)) {
            if (run.runner)
                run.runner->cancel();
        }
    }
    // Tasks may be waiting on this thread (catalog calls carried over to it).
    while (!m_pool.waitForDone(20))
        QCoreApplication::processEvents();
}

Result<QStringList> TaskBroker::closeInterruptedTasks(const QDateTime &quietSince)
{
    QMutexLocker lock(&m_mutex);
    auto ids = m_store.unfinishedTasks(quietSince);
    if (!ids)
        return ids.error();
    for (const QString &id : ids.value()) {
        if (m_runs.contains(id))
            continue;
        auto events = m_store.taskEvents(id, std::nullopt);
        if (!events)
            return events.error();
        // The step that was running fails with the task, as upstream's janitor marks it.
        QStringList running, ended;
        for (const TaskEventRecord &event : events.value()) {
            const QString stepId = event.body.value(QLatin1String("stepId")).toString();
            const QString status = event.body.value(QLatin1String("status")).toString();
            if (stepId.isEmpty() || status.isEmpty())
                continue;
            if (status == QLatin1String("processing"))
                running.append(stepId);
            else
                ended.append(stepId);
        }
        for (const QString &stepId : std::as_const(running)) {
            if (ended.contains(stepId))
                continue;
            auto failed = m_store.appendTaskEvent(id, QStringLiteral("log"),
                                                  {{QStringLiteral("message"), StaleMessage},
                                                   {QStringLiteral("stepId"), stepId},
                                                   {QStringLiteral("status"), QStringLiteral("failed")}});
            if (!failed)
                return failed.error();
        }
        auto completed = m_store.completeTask(id, QStringLiteral("failed"), {{QStringLiteral("message"), StaleMessage}});
        if (!completed)
            return completed.error();
    }
    return ids;
}

QJsonObject runDryRun(TaskRunner &runner, const QJsonObject &templateEntity, QJsonArray log)
{
    runner.setEventSink([&log](const TaskEvent &event) {
        if (event.type == TaskEvent::Type::Log)
            log.append(QJsonObject{{QStringLiteral("body"), event.body()}});
    });
    const TaskResult result = runner.run();
    const QJsonArray files = directoryContents(result.workspace, result.files);
    if (!result.workspace.isEmpty())
        QDir(result.workspace).removeRecursively();
    return QJsonObject{{QStringLiteral("log"), log},
                       {QStringLiteral("directoryContents"), files},
                       {QStringLiteral("output"), result.output},
                       {QStringLiteral("steps"), TaskBroker::namedSteps(templateEntity)}};
}

Result<QJsonObject> dryRun(const ActionRegistry &actions, const QJsonObject &templateEntity,
                           const std::function<Result<TemplateFiles>()> &files, const QJsonObject &values, const QJsonObject &secrets,
                           const QString &workingDirectory, std::shared_ptr<const ScaffolderServices> services,
                           std::function<bool(const QString &actionId, const QJsonObject &input)> actionAllowed)
{
    const Result<TemplateFiles> found = files();
    if (!found)
        return found.error();
    const std::shared_ptr<QTemporaryDir> keep = found->copy;   // the template's files, until the run ends
    TaskSpec spec{templateEntity, found->folder, resolvePages(values, parameterPages(templateEntity)).values, secrets, {}, QStringLiteral("dry-run")};
    spec.actionAllowed = std::move(actionAllowed);
    TaskOptions options;
    options.dryRun = true;
    options.keepWorkspace = true;
    options.workingDirectory = workingDirectory;
    options.services = std::move(services);
    TaskRunner runner(actions, spec, options);
    return runDryRun(runner, spec.templateEntity);
}

TaskRequest taskRequest(const QJsonObject &templateEntity, const Ingest::GitReader &git, std::shared_ptr<const ScaffolderServices> services)
{
    TaskRequest task;
    task.templateEntity = templateEntity;
    task.templateBaseUrl = templateBaseUrl(templateEntity);
    task.fetchFiles = [templateEntity, git, services]() { return templateFiles(templateEntity, git, services->github); };
    return task;
}

QJsonArray TaskBroker::namedSteps(const QJsonObject &templateEntity)
{
    QJsonArray steps;
    int index = 0;
    for (const QJsonValue &value : templateEntity.value(QLatin1String("spec"))[QLatin1String("steps")].toArray()) {
        QJsonObject step = value.toObject();
        ++index;
        if (!step.contains(QLatin1String("id")))
            step.insert(QStringLiteral("id"), QStringLiteral("step-%1").arg(index));
        if (!step.contains(QLatin1String("name")))
            step.insert(QStringLiteral("name"), step.value(QLatin1String("action")));
        steps.append(step);
    }
    return steps;
}

QJsonObject TaskBroker::taskSpec(const TaskRequest &request)
{
    const QJsonObject spec = request.templateEntity.value(QLatin1String("spec")).toObject();
    const QJsonArray steps = namedSteps(request.templateEntity);
    const QJsonObject metadata = request.templateEntity.value(QLatin1String("metadata")).toObject();
    QJsonObject templateInfo{{QStringLiteral("entityRef"), QStringLiteral("template:%1/%2").arg(metadata.value(QLatin1String("namespace")).toString(QStringLiteral("default")),
                                                                                                 metadata.value(QLatin1String("name")).toString())},
                             {QStringLiteral("entity"), QJsonObject{{QStringLiteral("metadata"), metadata}}}};
    if (!request.templateBaseUrl.isEmpty())
        templateInfo.insert(QStringLiteral("baseUrl"), request.templateBaseUrl);
    QJsonObject result{{QStringLiteral("apiVersion"), request.templateEntity.value(QLatin1String("apiVersion"))},
                       {QStringLiteral("steps"), steps},
                       {QStringLiteral("output"), spec.value(QLatin1String("output")).toObject()},
                       {QStringLiteral("parameters"), request.values},
                       {QStringLiteral("user"), request.user},
                       {QStringLiteral("templateInfo"), templateInfo}};
    if (spec.contains(QLatin1String("EXPERIMENTAL_recovery")))
        result.insert(QStringLiteral("EXPERIMENTAL_recovery"), spec.value(QLatin1String("EXPERIMENTAL_recovery")));
    return result;
}

Result<QString> TaskBroker::dispatch(const TaskRequest &request)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    TaskRecord task;
    task.id = id;
    task.status = QStringLiteral("open");
    task.createdAt = QDateTime::currentDateTimeUtc();
    task.createdBy = request.user.value(QLatin1String("ref")).toString();
    task.spec = taskSpec(request);
    {
        QMutexLocker lock(&m_mutex);
        if (Status stored = m_store.createTask(task); !stored)
            return stored.error();
    }
    start(id, request);
    return id;
}

Result<bool> TaskBroker::retry(const QString &taskId, TaskRequest request)
{
    std::optional<TaskRecord> stored = task(taskId);
    if (!stored)
        return false;
    // The stored run is what runs again: its steps, output and answers.
    QJsonObject spec = request.templateEntity.value(QLatin1String("spec")).toObject();
    spec.insert(QStringLiteral("steps"), stored->spec.value(QLatin1String("steps")));
    spec.insert(QStringLiteral("output"), stored->spec.value(QLatin1String("output")));
    request.templateEntity.insert(QStringLiteral("spec"), spec);
    request.values = stored->spec.value(QLatin1String("parameters")).toObject();
    request.user = stored->spec.value(QLatin1String("user")).toObject();
    const QString strategy = stored->spec.value(QLatin1String("EXPERIMENTAL_recovery"))[QLatin1String("EXPERIMENTAL_strategy")].toString(QStringLiteral("none"));
    {
        QMutexLocker lock(&m_mutex);
        if (m_runs.contains(taskId))
            return false;
        auto reopened = m_store.reopenTask(taskId, {{QStringLiteral("recoverStrategy"), strategy}});
        if (!reopened || !reopened.value())
            return reopened;
    }
    start(taskId, request);
    announce(taskId);
    return true;
}

void TaskBroker::start(const QString &id, const TaskRequest &request)
{
    quint64 number = 0;
    {
        QMutexLocker lock(&m_mutex);
        number = ++m_lastRun;
        m_runs.insert(id, Run{number, nullptr});
    }
    // Whether this run is still the task's: a cancel before it started, and
    // a retry after that, leave a queued run behind that must not touch it.
    auto ours = [this, id, number] {
        const auto run = m_runs.constFind(id);
        return run != m_runs.cend() && run->number == number;
    };
    m_pool.start([this, id, request, number, ours] {
        {
            QMutexLocker lock(&m_mutex);
            if (!ours())
                return;
            auto claim = m_store.claimTask(id);
            if (!claim || !claim.value()) {   // not open: cancelled before it started
                m_runs.remove(id);
                return;
            }
        }
        // Kept (a git template's copy) until the run ends.
        const Result<TemplateFiles> files = request.fetchFiles();
        if (!files) {
            TaskEvent failed;
            failed.message = files.error().toString();
            record(id, failed);
            TaskEvent completion;
            completion.type = TaskEvent::Type::Completion;
            completion.message = QStringLiteral("Run completed with status: failed");
            completion.error = files.error();
            record(id, completion);   // which lets the task go
            return;
        }
        TaskSpec spec{request.templateEntity, files->folder, request.values, request.secrets, request.user, id};
        spec.actionAllowed = request.actionAllowed;
        TaskOptions options;
        options.workingDirectory = m_workingDirectory;
        options.services = m_services;
        auto runner = std::make_shared<TaskRunner>(m_actions, spec, options);
        runner->setEventSink([this, id](const TaskEvent &event) { record(id, event); });
        {
            QMutexLocker lock(&m_mutex);
            // Cancelled while its files were fetched: it ends before its first step.
            if (m_stopping || m_store.task(id).value_or(TaskRecord()).status == QLatin1String("cancelled"))
                runner->cancel();
            m_runs.insert(id, Run{number, runner});
        }
        runner->run();
        // Its completion let the task go already (and a retry may hold it by
        // now); this only covers a run that ended without one. The runner
        // holds the secrets; they go with it.
        QMutexLocker lock(&m_mutex);
        if (ours())
            m_runs.remove(id);
    });
}

void TaskBroker::record(const QString &taskId, const TaskEvent &event)
{
    {
        QMutexLocker lock(&m_mutex);
        storeLocked(taskId, event);
    }
    announce(taskId);
}

void TaskBroker::storeLocked(const QString &taskId, const TaskEvent &event)
{
    const QJsonObject body = event.body();
    if (event.type == TaskEvent::Type::Completion) {
        // The task's state changes with its completion event, so whoever
        // saw the event sees the state too.
        if (auto stored = m_store.completeTask(taskId, event.endStatus(), body); !stored)
            warnStore(QStringLiteral("completing task ") + taskId, stored.error());
        // Whoever saw the end may retry at once; the runner (and the
        // secrets it holds) goes when its thread lets go of it.
        m_runs.remove(taskId);
    } else if (auto stored = m_store.appendTaskEvent(taskId, QStringLiteral("log"), body); !stored) {
        warnStore(QStringLiteral("logging for task ") + taskId, stored.error());
    }
}

void TaskBroker::announce(const QString &taskId)
{
    QMetaObject::invokeMethod(this, [this, taskId] { Q_EMIT eventAdded(taskId); }, Qt::QueuedConnection);
}

void TaskBroker::heartbeat()
{
    QMutexLocker lock(&m_mutex);
    for (auto it = m_runs.cbegin(); it != m_runs.cend(); ++it) {
        if (Status beat = m_store.heartbeatTask(it.key()); !beat)
            warnStore(QStringLiteral("heartbeat of task ") + it.key(), beat.error());
    }
}

std::optional<TaskRecord> TaskBroker::task(const QString &id) const
{
    QMutexLocker lock(&m_mutex);
    return m_store.task(id);
}

QList<TaskRecord> TaskBroker::list(const TaskQuery &query, int *total) const
{
    QMutexLocker lock(&m_mutex);
    auto tasks = m_store.listTasks(query, total);
    if (!tasks) {
        warnStore(QStringLiteral("listing tasks"), tasks.error());
        return {};
    }
    return tasks.value();
}

QList<TaskEventRecord> TaskBroker::events(const QString &taskId, std::optional<qint64> after) const
{
    QMutexLocker lock(&m_mutex);
    auto events = m_store.taskEvents(taskId, after);
    if (!events) {
        warnStore(QStringLiteral("reading the events of task ") + taskId, events.error());
        return {};
    }
    return events.value();
}

bool TaskBroker::cancel(const QString &taskId)
{
    std::shared_ptr<TaskRunner> runner;
    {
        QMutexLocker lock(&m_mutex);
        const std::optional<TaskRecord> stored = m_store.task(taskId);
        if (!stored)
            return false;
        if (!m_runs.contains(taskId))
            return true;   // finished already
        runner = m_runs.value(taskId).runner;
        if (stored->status == QLatin1String("open")) {
            // Not started: it ends here, under the same lock as the check,
            // so a retry cannot come between the two.
            TaskEvent event;
            event.type = TaskEvent::Type::Completion;
            event.message = QStringLiteral("Run completed with status: cancelled");
            event.status = QStringLiteral("cancelled");
            storeLocked(taskId, event);
            lock.unlock();
            announce(taskId);
            return true;
        }
        if (auto marked = m_store.markTask(taskId, QStringLiteral("cancelled")); !marked)
            warnStore(QStringLiteral("cancelling task ") + taskId, marked.error());
    }
    if (runner)
        runner->cancel();
    // Else its files are being fetched: the worker sees the status before the first step.
    return true;
}

bool TaskBroker::isFinished(const QString &taskId) const
{
    const std::optional<TaskRecord> stored = task(taskId);
    if (!stored)
        return true;
    const QString &status = stored->status;
    return status == QLatin1String("completed") || status == QLatin1String("failed") || status == QLatin1String("cancelled");
}

void TaskBroker::waitForAll()
{
    m_pool.waitForDone();
}

} // namespace Greenroom::Scaffold
