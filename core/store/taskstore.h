// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Greenroom::Store {

// A scaffolder task as GET /v2/tasks/:id shows it.
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
    qint64 id = 0;             // increasing over all tasks of the store, never reused
    QString taskId;
    QString type;              // log, completion, cancelled, recovered
    QJsonObject body;
    QDateTime createdAt;
    QJsonObject toJson() const;
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
 * Scaffolder tasks and their event logs in the catalog's database, as
 * Backstage's DatabaseTaskStore keeps them, so a task's record outlives the
 * process that ran it. Only what may be shown is stored: never secrets.
 * Each call is one transaction.
 */
class TaskStore
{
public:
    virtual ~TaskStore() = default;

    // A new task, `open`.
    virtual Status createTask(const TaskRecord &task) = 0;
    // open → processing with a fresh heartbeat; false when the task was not open.
    virtual Result<bool> claimTask(const QString &id) = 0;
    virtual Status heartbeatTask(const QString &id) = 0;
    // Sets the status of an unfinished task (a cancel before the worker
    // sees it); false when it had ended.
    virtual Result<bool> markTask(const QString &id, const QString &status) = 0;
    virtual Result<TaskEventRecord> appendTaskEvent(const QString &taskId, const QString &type, const QJsonObject &body) = 0;
    // The completion event and the final status, together: whoever sees the
    // event sees the status. A task that ended already keeps its status.
    virtual Result<TaskEventRecord> completeTask(const QString &taskId, const QString &status, const QJsonObject &body) = 0;
    virtual std::optional<TaskRecord> task(const QString &id) = 0;
    virtual Result<QList<TaskRecord>> listTasks(const TaskQuery &query, int *total) = 0;
    // Events in id order; with `after`, those newer plus the completion
    // (upstream's listEvents answers so). When the last `recovered` event
    // says startOver, only it and what follows (none when it is the last),
    // as upstream trims them.
    virtual Result<QList<TaskEventRecord>> taskEvents(const QString &taskId, std::optional<qint64> after) = 0;
    // Ids of tasks still open or processing, oldest first. With
    // `quietSince`, only those with no heartbeat (or, never claimed, no
    // creation) since then: on a database several replicas share, the
    // tasks a replica that died left behind, not those others still run.
    virtual Result<QStringList> unfinishedTasks(const QDateTime &quietSince = {}) = 0;
    // An ended task made open again for a retry: its completion and
    // cancelled events go, a `recovered` event with `body` is added.
    // false when the task had not ended.
    virtual Result<bool> reopenTask(const QString &id, const QJsonObject &body) = 0;
};

} // namespace Greenroom::Store
