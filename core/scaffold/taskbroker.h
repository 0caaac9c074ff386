// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "taskrunner.h"
#include "templatefiles.h"

#include <store/taskstore.h>

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <optional>

namespace Greenroom::Scaffold {

using Store::TaskEventRecord;
using Store::TaskQuery;
using Store::TaskRecord;

// What POST /v2/tasks asks for, once the template is found.
struct TaskRequest
{
    QJsonObject templateEntity;
    QString templateBaseUrl;   // templateInfo.baseUrl
    // Finds the template's files (where its relative urls point), called on
    // the task's worker thread: a git template may need a fetch. An error
    // fails the task, as upstream's worker fails when it cannot read them.
    std::function<Result<TemplateFiles>()> fetchFiles;
    QJsonObject values;
    QJsonObject secrets;
    QJsonObject user;          // {ref, entity?}
    std::function<bool(const QString &actionId, const QJsonObject &input)> actionAllowed;   // see TaskSpec
};

// Runs `runner` (made with dryRun and keepWorkspace) to its end and gives
// POST /v2/dry-run's answer {log, directoryContents, output, steps}: its log
// lines after `log`, the workspace's files (the workspace is then removed),
// the output, and the template's steps as tasks store them.
QJsonObject runDryRun(TaskRunner &runner, const QJsonObject &templateEntity, QJsonArray log = {});

// POST /v2/dry-run's whole run: the answers resolved against the pages, the
// template's files found with `files` (it may fetch: call this off the HTTP
// thread), the steps run with nothing published, runDryRun's answer.
Result<QJsonObject> dryRun(const ActionRegistry &actions, const QJsonObject &templateEntity,
                           const std::function<Result<TemplateFiles>()> &files, const QJsonObject &values, const QJsonObject &secrets,
                           const QString &workingDirectory, std::shared_ptr<const ScaffolderServices> services,
                           std::function<bool(const QString &actionId, const QJsonObject &input)> actionAllowed = nullptr);

// A task of a stored template: its entity and base URL, and how its files
// are found, on the task's worker (a git template may need a fetch, and a
// template whose files cannot be read fails its task, as upstream's worker does).
TaskRequest taskRequest(const QJsonObject &templateEntity, const Ingest::GitReader &git, std::shared_ptr<const ScaffolderServices> services);

/*
 * Backstage's task broker for this process: tasks run on a pool of worker
 * threads, each with the task runner in its own workspace; their state and
 * event log are kept in a TaskStore (the catalog's database), so the task
 * routes answer for them after a restart. Secrets live only in memory, as
 * long as the run. eventAdded() is emitted on the broker's thread.
 *
 * The store is used only under the broker's lock: give the broker a
 * connection of its own.
 */
class TaskBroker : public QObject
{
    Q_OBJECT
public:
    TaskBroker(const ActionRegistry &actions, std::shared_ptr<const ScaffolderServices> services, Store::TaskStore &store,
               QString workingDirectory = {}, QObject *parent = nullptr);
    ~TaskBroker() override;

    // Tasks a previous run of this process left open or processing can no
    // longer run: each is failed as upstream fails a stale task (its running
    // step too). Call once at start, before dispatching; returns their ids.
    // With `quietSince` (replicas sharing a database), only tasks without a
    // heartbeat since then: the others are running elsewhere. Call it then
    // now and again, to close what a replica that died left.
    Result<QStringList> closeInterruptedTasks(const QDateTime &quietSince = {});

    // The new task's id; an error when it could not be stored.
    Result<QString> dispatch(const TaskRequest &request);
    // Runs an ended task again under its id (POST /v2/tasks/:id/retry):
    // `request` carries what running needs (the template, its files,
    // secrets); the stored spec's steps, output and parameters are kept.
    // false when there is no such task or it has not ended.
    Result<bool> retry(const QString &taskId, TaskRequest request);
    std::optional<TaskRecord> task(const QString &id) const;
    QList<TaskRecord> list(const TaskQuery &query, int *total) const;
    // Without `after`, all; with it, those newer and the completion (as upstream).
    QList<TaskEventRecord> events(const QString &taskId, std::optional<qint64> after) const;
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
    void start(const QString &id, const TaskRequest &request);
    void record(const QString &taskId, const TaskEvent &event);
    // Stores `event` (a completion also ends the task's run); m_mutex held.
    void storeLocked(const QString &taskId, const TaskEvent &event);
    // eventAdded(taskId), emitted on the broker's thread.
    void announce(const QString &taskId);
    void heartbeat();

    const ActionRegistry &m_actions;
    std::shared_ptr<const ScaffolderServices> m_services;
    QString m_workingDirectory;
    QThreadPool m_pool;
    Store::TaskStore &m_store;
    // A task queued or running. A retry may start a task again as soon as
    // its completion is stored, while the old run's thread still winds
    // down; the number tells the two runs apart.
    struct Run
    {
        quint64 number = 0;
        std::shared_ptr<TaskRunner> runner;   // none yet while queued
    };
    mutable QMutex m_mutex;   // guards m_store, m_runs and m_lastRun
    QHash<QString, Run> m_runs;
    quint64 m_lastRun = 0;
    bool m_stopping = false;
    QTimer *m_heartbeat = nullptr;
};

} // namespace Greenroom::Scaffold
