// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "taskdriver.h"

#include <QMutex>
#include <QNetworkAccessManager>
#include <QThreadPool>

#include <atomic>
#include <optional>
#include <memory>

namespace Greenroom::Model {
class EntityRef;
}

namespace Greenroom::Scaffold {
class TaskRunner;
}

namespace Greenroom::Sync {

/*
 * Runs a template's task on this computer, as the "locally in the
 * desktop app": the server hands out the template, its files and its
 * public settings (GET /v2/templates/.../files); the steps run here in a
 * private workspace with the person's own credentials (the keychain's
 * tokens reach them as task secrets), publish from here, and register
 * through the server's catalog API. The files are kept after each fetch,
 * so a template fetched once still runs (a dry run, a publish to a host
 * that answers) while the server cannot be reached. Each task that ends
 * is kept there too (a summary, and its whole log apart), for the Tasks list.
 */
class LocalScaffolder : public TaskDriver
{
    Q_OBJECT

public:
    // `filesCache`: the folder where fetched templates are kept.
    LocalScaffolder(QUrl server, QString token, QString filesCache, QObject *parent = nullptr);
    ~LocalScaffolder() override;   // cancels a running task and waits for it

    // The person the task runs for ({ref, entity}): the templates' `user`.
    void setUser(const QJsonObject &user) { m_user = user; }

    QString where() const override;
    void create(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets = {}) override;
    void dryRun(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets = {}) override;
    void cancel() override;

    // The tasks run here that have ended (the `limit` that ended last; only
    // their summaries are read), newest first, in the shape of the server's
    // GET /v2/tasks items ({id, spec.templateInfo, status, createdAt, createdBy}).
    static QJsonArray pastTasks(const QString &filesCache, int limit = 100);
    // Replays a past task's log (taskEvent for each event, then
    // taskFinished), as ScaffolderClient::watch does; requestFailed when
    // there is no such task.
    void replay(const QString &taskId);

private:
    void start(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets, bool dryRun);
    // On the worker: the files route's answer (none: the kept copy) parsed,
    // kept and the answers checked; then run().
    void prepare(const std::optional<QByteArray> &answer, const QString &kept, QString note, const QString &templateRef, const QJsonObject &values,
                 const QJsonObject &secrets, bool dryRun);
    // On the worker: the task from `kit` (what the files route answered).
    void run(const QJsonObject &kit, const QJsonObject &values, const QJsonObject &secrets, bool dryRun, const QString &note);
    QString keptCopy(const Model::EntityRef &ref) const;
    // tasks/<id>.json: the summary the list shows; tasks/<id>.events.json: the log.
    static constexpr const char *TaskSuffix = ".json";
    static constexpr const char *EventsSuffix = ".events.json";
    QString taskFile(const QString &taskId, const char *suffix) const;
    QJsonObject eventJson(const QString &type, const QJsonObject &body);
    // On the driver's thread: the event goes to the listeners and the task's record.
    void deliver(const QString &type, const QJsonObject &body);

    QString m_filesCache;
    QJsonObject m_user;
    QNetworkAccessManager m_network;
    QThreadPool m_pool;
    QMutex m_mutex;                                   // guards m_runner
    std::shared_ptr<Scaffold::TaskRunner> m_runner;   // while one runs
    std::atomic_bool m_cancelled{false};
    qint64 m_eventId = 0;
    QJsonObject m_record;   // the running task, as it will be kept; empty for a dry run
    QJsonArray m_recordEvents;
};

} // namespace Greenroom::Sync
