// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "taskrunner.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QTemporaryDir>
#include <QThreadPool>

#include <memory>
#include <optional>

namespace Greenroom::Scaffold {

// A task as GET /v2/tasks/:id shows it.
struct TaskRecord
{
    QString id;
    QString status;            // open, processing, completed, failed, cancelled
    QDateTime createdAt;
    QDateTime lastHeartbeatAt;
    QString createdBy;         // user entity ref; "" when anonymous
    QJsonObject spec;          // apiVersion, parameters, steps (unrendered, ids and names filled), output, user, templateInfo
    QJsonObject toJson() const;
};

// One event of a task's log, as the events routes show it.
struct TaskEventRecord
{
    qint64 id = 0;             // increasing over all tasks of this broker
    QString taskId;
    QString type;              // log, completion, cancelled
    QJsonObject body;
    QDateTime createdAt;
    QJsonObject toJson() const;
};

// What POST /v2/tasks asks for, once the template is found.
struct TaskRequest
{
    QJsonObject templateEntity;
    QString templateDir;       // where its relative urls point
    QString templateBaseUrl;   // templateInfo.baseUrl
    std::shared_ptr<QTemporaryDir> templateFolderCopy;   // kept until the task ends
    QJsonObject values;
    QJsonObject secrets;
    QJsonObject user;          // {ref, entity?}
};

struct TaskQuery
{
    QStringList createdBy;
    QStringList status;
    int limit = -1;
    int offset = 0;
    QString orderField = QStringLiteral("created_at");   // created_at, status, created_by
    bool descending = true;
};

/*
 * Backstage's task broker for this process: tasks run on a pool of worker
 * threads, each with the task runner in its own workspace; their state and
 * event log stay here for the task routes and the desktop. Secrets live
 * only as long as the run. eventAdded() is emitted on the broker's thread.
 *
 * Tasks are kept in memory: a restart forgets them (Backstage keeps them in
 * its database).
 */
class TaskBroker : public QObject
{
    Q_OBJECT
public:
    TaskBroker(const ActionRegistry &actions, std::shared_ptr<const ScaffolderServices> services, QString workingDirectory = {},
               QObject *parent = nullptr);
    ~TaskBroker() override;

    QString dispatch(const TaskRequest &request);
    std::optional<TaskRecord> task(const QString &id) const;
    QList<TaskRecord> list(const TaskQuery &query, int *total) const;
    QList<TaskEventRecord> events(const QString &taskId, qint64 after) const;
    // false when there is no such task; a finished task stays as it ended.
    bool cancel(const QString &taskId);
    bool isFinished(const QString &taskId) const;
    // Blocks until every running task has ended (for shutdown and tests).
    void waitForAll();

    static QJsonObject taskSpec(const TaskRequest &request);
    // spec.steps with `id` (step-<n>) and `name` (the action) filled in, as tasks store them.
    static QJsonArray namedSteps(const QJsonObject &templateEntity);

Q_SIGNALS:
    void eventAdded(const QString &taskId);

private:
    struct Entry
    {
        TaskRecord record;
        QList<TaskEventRecord> events;
        std::shared_ptr<TaskRunner> runner;
    };
    void record(const QString &taskId, const TaskEvent &event);
    void setStatus(const QString &taskId, const QString &status);

    const ActionRegistry &m_actions;
    std::shared_ptr<const ScaffolderServices> m_services;
    QString m_workingDirectory;
    QThreadPool m_pool;
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_tasks;
    qint64 m_nextEventId = 1;
};

} // namespace Greenroom::Scaffold
