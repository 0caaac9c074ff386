// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "taskbroker.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QMutexLocker>
#include <QUuid>

namespace Greenroom::Scaffold {

namespace {

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

QJsonObject TaskRecord::toJson() const
{
    QJsonObject json{{QStringLiteral("id"), id},
                     {QStringLiteral("spec"), spec},
                     {QStringLiteral("status"), status},
                     {QStringLiteral("createdAt"), isoTime(createdAt)},
                     {QStringLiteral("lastHeartbeatAt"), lastHeartbeatAt.isValid() ? QJsonValue(isoTime(lastHeartbeatAt)) : QJsonValue()}};
    if (!createdBy.isEmpty())
        json.insert(QStringLiteral("createdBy"), createdBy);
    return json;
}

QJsonObject TaskEventRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("taskId"), taskId},
            {QStringLiteral("body"), body},
            {QStringLiteral("type"), type},
            {QStringLiteral("createdAt"), isoTime(createdAt)}};
}

TaskBroker::TaskBroker(const ActionRegistry &actions, std::shared_ptr<const ScaffolderServices> services, QString workingDirectory, QObject *parent)
    : QObject(parent), m_actions(actions), m_services(std::move(services)), m_workingDirectory(std::move(workingDirectory))
{
    // Backstage's default worker concurrency is 10; tasks mostly wait on the network.
    m_pool.setMaxThreadCount(4);
}

TaskBroker::~TaskBroker()
{
    {
        QMutexLocker lock(&m_mutex);
        for (Entry &entry : m_tasks) {
            if (entry.runner)
                entry.runner->cancel();
        }
    }
    // Tasks may be waiting on this thread (catalog calls carried over to it).
    while (!m_pool.waitForDone(20))
        QCoreApplication::processEvents();
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

QString TaskBroker::dispatch(const TaskRequest &request)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    TaskSpec spec{request.templateEntity, request.templateDir, request.values, request.secrets, request.user, id};
    TaskOptions options;
    options.workingDirectory = m_workingDirectory;
    options.services = m_services;
    auto runner = std::make_shared<TaskRunner>(m_actions, spec, options);
    runner->setEventSink([this, id](const TaskEvent &event) { record(id, event); });
    {
        QMutexLocker lock(&m_mutex);
        Entry entry;
        entry.record.id = id;
        entry.record.status = QStringLiteral("open");
        entry.record.createdAt = QDateTime::currentDateTimeUtc();
        entry.record.createdBy = request.user.value(QLatin1String("ref")).toString();
        entry.record.spec = taskSpec(request);
        entry.runner = runner;
        m_tasks.insert(id, entry);
    }
    m_pool.start([this, id, runner, folder = request.templateFolderCopy] {
        {
            QMutexLocker lock(&m_mutex);
            Entry &entry = m_tasks[id];
            if (entry.record.status != QLatin1String("open"))
                return;   // cancelled before it started
            entry.record.status = QStringLiteral("processing");
            entry.record.lastHeartbeatAt = QDateTime::currentDateTimeUtc();
        }
        const TaskResult result = runner->run();
        setStatus(id, result.status);
    });
    return id;
}

void TaskBroker::record(const QString &taskId, const TaskEvent &event)
{
    TaskEventRecord record;
    record.taskId = taskId;
    record.createdAt = event.createdAt.isValid() ? event.createdAt : QDateTime::currentDateTimeUtc();
    record.type = event.type == TaskEvent::Type::Completion ? QStringLiteral("completion") : QStringLiteral("log");
    record.body.insert(QStringLiteral("message"), event.message);
    if (!event.stepId.isEmpty())
        record.body.insert(QStringLiteral("stepId"), event.stepId);
    if (!event.status.isEmpty())
        record.body.insert(QStringLiteral("status"), event.status);
    if (event.type == TaskEvent::Type::Completion) {
        if (event.error && event.status.isEmpty())
            record.body.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("name"), event.error->name},
                                                                    {QStringLiteral("message"), event.error->message}});
        else if (!event.error)
            record.body.insert(QStringLiteral("output"), event.output);
    }
    {
        QMutexLocker lock(&m_mutex);
        record.id = m_nextEventId++;
        auto found = m_tasks.find(taskId);
        if (found == m_tasks.end())
            return;
        found->events.append(record);
        found->record.lastHeartbeatAt = record.createdAt;
        // The task's state changes with its completion event, so whoever
        // saw the event sees the state too.
        if (event.type == TaskEvent::Type::Completion)
            found->record.status = event.status == QLatin1String("cancelled") ? event.status
                                   : event.error                             ? QStringLiteral("failed")
                                                                             : QStringLiteral("completed");
    }
    QMetaObject::invokeMethod(this, [this, taskId] { Q_EMIT eventAdded(taskId); }, Qt::QueuedConnection);
}

void TaskBroker::setStatus(const QString &taskId, const QString &status)
{
    {
        QMutexLocker lock(&m_mutex);
        auto found = m_tasks.find(taskId);
        if (found == m_tasks.end())
            return;
        found->record.status = status;
        // The runner holds the secrets; they go with it.
        found->runner.reset();
    }
    QMetaObject::invokeMethod(this, [this, taskId] { Q_EMIT eventAdded(taskId); }, Qt::QueuedConnection);
}

std::optional<TaskRecord> TaskBroker::task(const QString &id) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_tasks.constFind(id);
    if (found == m_tasks.cend())
        return std::nullopt;
    return found->record;
}

QList<TaskRecord> TaskBroker::list(const TaskQuery &query, int *total) const
{
    QList<TaskRecord> matching;
    {
        QMutexLocker lock(&m_mutex);
        for (const Entry &entry : m_tasks) {
            if (!query.createdBy.isEmpty() && !query.createdBy.contains(entry.record.createdBy))
                continue;
            if (!query.status.isEmpty() && !query.status.contains(entry.record.status))
                continue;
            matching.append(entry.record);
        }
    }
    const auto key = [&](const TaskRecord &r) {
        return query.orderField == QLatin1String("status")       ? r.status
               : query.orderField == QLatin1String("created_by") ? r.createdBy
                                                                  : r.createdAt.toString(Qt::ISODateWithMs);
    };
    std::stable_sort(matching.begin(), matching.end(), [&](const TaskRecord &a, const TaskRecord &b) {
        const QString ka = key(a), kb = key(b);
        if (ka != kb)
            return query.descending ? ka > kb : ka < kb;
        return a.createdAt < b.createdAt;
    });
    if (total)
        *total = int(matching.size());
    matching = matching.mid(query.offset, query.limit < 0 ? -1 : query.limit);
    return matching;
}

QList<TaskEventRecord> TaskBroker::events(const QString &taskId, qint64 after) const
{
    QMutexLocker lock(&m_mutex);
    QList<TaskEventRecord> list;
    const auto found = m_tasks.constFind(taskId);
    if (found == m_tasks.cend())
        return list;
    for (const TaskEventRecord &event : found->events) {
        if (event.id > after)
            list.append(event);
    }
    return list;
}

bool TaskBroker::cancel(const QString &taskId)
{
    std::shared_ptr<TaskRunner> runner;
    bool notStarted = false;
    {
        QMutexLocker lock(&m_mutex);
        auto found = m_tasks.find(taskId);
        if (found == m_tasks.end())
            return false;
        runner = found->runner;
        if (!runner)
            return true;   // finished already
        notStarted = found->record.status == QLatin1String("open");
        found->record.status = QStringLiteral("cancelled");
        if (notStarted)
            found->runner.reset();
    }
    if (notStarted) {
        TaskEvent event;
        event.type = TaskEvent::Type::Completion;
        event.message = QStringLiteral("Run completed with status: cancelled");
        event.status = QStringLiteral("cancelled");
        record(taskId, event);
    } else if (runner) {
        runner->cancel();
    }
    return true;
}

bool TaskBroker::isFinished(const QString &taskId) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_tasks.constFind(taskId);
    if (found == m_tasks.cend())
        return true;
    const QString &status = found->record.status;
    return status == QLatin1String("completed") || status == QLatin1String("failed") || status == QLatin1String("cancelled");
}

void TaskBroker::waitForAll()
{
    m_pool.waitForDone();
}

} // namespace Greenroom::Scaffold
