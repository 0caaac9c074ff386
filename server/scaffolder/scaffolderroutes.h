// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/longpoll.h"
#include "http/router.h"

#include <auth/authorizer.h>

#include <ingest/gitreader.h>
#include <scaffold/taskbroker.h>
#include <store/catalogstore.h>

#include <QObject>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>

namespace Greenroom::Server {

/*
 * Backstage's scaffolder routes under /api/scaffolder/v2: parameter-schema,
 * actions, tasks (create, list, get, eventstream, events, cancel, retry),
 * dry-run, autocomplete and templating-extensions, in upstream's shapes;
 * and Greenroom's template files route for desktops that run tasks
 * themselves. Tasks run on the broker's worker threads; dry runs and calls
 * to other hosts on a pool of their own, answered when they end.
 */
class ScaffolderRoutes : public QObject
{
    Q_OBJECT
public:
    ScaffolderRoutes(Router &router, Store::CatalogStore &catalog, Scaffold::TaskBroker &broker, const Scaffold::ActionRegistry &actions,
                     std::shared_ptr<const Scaffold::ScaffolderServices> services, Ingest::GitReader git, QString workingDirectory,
                     QObject *parent = nullptr);
    ~ScaffolderRoutes() override;

    // Who may do what (permission.enabled): templates are found only when
    // the caller may read them; creating, retrying and dry-running tasks
    // need scaffolder.task.create (and .template.dry-run), as upstream's.
    void setAuthorizer(const Auth::Authorizer *authorizer) { m_authorizer = authorizer; }

private:
    // A template Scaffold::findTemplate found, if the caller may read it (else not found).
    Result<Store::StoredEntity> readable(const HttpRequest &request, Result<Store::StoredEntity> stored) const;
    // NotAllowedError unless the policy allows each of `permissions`.
    Status require(const HttpRequest &request, const QStringList &permissions) const;
    // `permission` (a scaffolder resource permission) decided once for the caller,
    // then applied to each resource; unset when no policy is enabled.
    std::function<bool(const QJsonObject &resource)> resourceCheck(const HttpRequest &request, const QString &permission) const;
    // scaffolder.action.execute for the caller, as the task's steps ask it (unset: no policy).
    std::function<bool(const QString &actionId, const QJsonObject &input)> actionCheck(const HttpRequest &request) const;
    // The template as the caller may use it, as upstream's authorizeTemplate
    // gives it: without the parameter pages and steps that
    // scaffolder.template.parameter.read and step.read refuse (HAS_TAG).
    QJsonObject authorizedTemplate(const HttpRequest &request, QJsonObject templateEntity) const;
    // scaffolder.task.read (and `more`) for the caller on `task` (IS_TASK_OWNER): a NotAllowedError when refused.
    Status taskPermitted(const HttpRequest &request, const Scaffold::TaskRecord &task, const QStringList &more = {}) const;
    HttpResponse parameterSchema(const HttpRequest &request);
    // GET /v2/templates/:namespace/:kind/:name/files (Greenroom): the
    // template, its files and the installation's public settings, for a
    // desktop that runs the task itself.
    HttpResponse templateFiles(const HttpRequest &request);
    // POST /v2/autocomplete/:provider/:resource, asked of the host on the pool.
    HttpResponse autocomplete(const HttpRequest &request);
    // A task request for the template, its files to be found by the worker.
    HttpResponse createTask(const HttpRequest &request);
    HttpResponse listTasks(const HttpRequest &request);
    HttpResponse eventStream(const HttpRequest &request);
    HttpResponse events(const HttpRequest &request);
    HttpResponse retryTask(const HttpRequest &request);
    HttpResponse dryRun(const HttpRequest &request);
    HttpResponse dryRunStored(const HttpRequest &request, const QJsonObject &body);
    // Runs on the dry-run pool: `files` finds the template's files there first.
    HttpResponse startDryRun(const HttpRequest &request, const QJsonObject &templateEntity,
                             std::function<Result<Scaffold::TemplateFiles>()> files, const QJsonObject &values, const QJsonObject &secrets);
    void deliver(const QString &taskId);

    struct Listener   // an eventstream
    {
        QString taskId;
        std::optional<qint64> after;                  // none: from the first event
        std::shared_ptr<ResponseStream> stream;
    };

    Store::CatalogStore &m_catalog;
    const Auth::Authorizer *m_authorizer = nullptr;
    Scaffold::TaskBroker &m_broker;
    const Scaffold::ActionRegistry &m_actions;
    std::shared_ptr<const Scaffold::ScaffolderServices> m_services;
    Ingest::GitReader m_git;
    QString m_workingDirectory;
    QList<Listener> m_listeners;
    LongPollWaiters m_polls;   // GET events: long polls, by task id
    QTimer *m_pollTimer = nullptr;
    QThreadPool m_slowWork;   // dry runs, template files and autocomplete: what may fetch or take long, off the HTTP thread
};

} // namespace Greenroom::Server
