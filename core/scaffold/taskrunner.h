// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "scaffolderservices.h"

#include <common/result.h>

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace Greenroom::Scaffold {

// One entry of a task's event log, in the shape of Backstage's task events.
struct TaskEvent
{
    enum class Type { Log, Completion };
    Type type = Type::Log;
    QString message;
    QString stepId;
    QString status;          // processing, completed, failed, skipped, cancelled (step transitions); "" for plain lines
    QJsonObject output;      // completion: the rendered template output
    std::optional<Error> error;
    QDateTime createdAt;

    // Its body as Backstage's task events carry it: {message, stepId?,
    // status?}; a completion adds {error: {name, message}} when the task
    // failed, else {output}.
    QJsonObject body() const;
    // A completion's end: completed, failed or cancelled.
    QString endStatus() const;
};

// What an action sees while it runs.
class ActionContext
{
public:
    QString workspace;       // the task's private folder; every path stays inside it
    QString templateDir;     // the folder of template.yaml: relative `url`s resolve here
    QString templateRef;     // template:default/name
    QString actionId;        // the step's action, for messages
    QJsonObject input;       // rendered and validated
    bool dryRun = false;
    QString eachKey;         // set inside `each`
    const ScaffolderServices *services = nullptr;   // never null while an action runs

    std::function<void(const QString &)> log;
    void output(const QString &name, const QJsonValue &value) { outputs.insert(name, value); }
    bool isCancelled() const { return cancelled && cancelled->load(); }

    QJsonObject outputs;
    const std::atomic_bool *cancelled = nullptr;
};

struct ActionInfo
{
    QString id;
    QString description;
    QJsonObject inputSchema;     // JSON Schema; inputs are checked against it after templating
    QJsonObject outputSchema;    // dry-run fakes outputs from it
    bool supportsDryRun = false;
    std::function<Status(ActionContext &)> handler;
};

class ActionRegistry
{
public:
    void add(ActionInfo action);
    const ActionInfo *find(const QString &id) const;
    QList<ActionInfo> all() const;   // sorted by id

    // fetch:plain, fetch:plain:file, fetch:template, fetch:template:file,
    // workspace:template, workspace:template:file, fs:readdir, fs:rename,
    // fs:delete, debug:log, debug:wait, catalog:write, catalog:register,
    // catalog:fetch, publish:git, publish:github, github:repo:create,
    // github:repo:push, publish:github:pull-request.
    static ActionRegistry builtin();

private:
    QHash<QString, ActionInfo> m_actions;
};

struct TaskSpec
{
    QJsonObject templateEntity;   // the Template entity (spec.steps, spec.output)
    QString templateDir;          // where its relative urls point (a local folder)
    QJsonObject parameters;       // the answers, defaults filled in
    QJsonObject secrets;
    QJsonObject user;             // {ref, entity}
    QString taskId;
    // scaffolder.action.execute for the task's initiator: whether a step may
    // run `actionId` with `input` (rendered and valid). Unset: every action may.
    std::function<bool(const QString &actionId, const QJsonObject &input)> actionAllowed = nullptr;
};

struct TaskOptions
{
    bool dryRun = false;
    QString workingDirectory;     // workspaces are made in it (default: the system's temp folder)
    bool keepWorkspace = false;   // leave the workspace for the caller (CLI --output, dry-run results)
    std::shared_ptr<const ScaffolderServices> services;   // default: github.com only, no catalog
};

struct TaskResult
{
    QString status;               // completed, failed, cancelled
    QJsonObject output;
    std::optional<Error> error;
    QString workspace;            // kept only with keepWorkspace
    QStringList files;            // workspace files at the end, relative, sorted
};

/*
 * Runs a template's steps as Backstage's workflow runner does: each step's
 * `if` and `each`, its input rendered (section 3.4 of the reference) and
 * checked against the action's schema, the action in a private workspace;
 * outputs as steps.<id>.output (arrays for `each` steps); the first
 * failure ends the task; the template's output rendered at the end. Every
 * event goes to the sink with the secrets' values masked as "***".
 * Synchronous: call run() on a worker thread; cancel() from any thread.
 */
class TaskRunner
{
public:
    TaskRunner(const ActionRegistry &actions, TaskSpec spec, TaskOptions options = {});

    void setEventSink(std::function<void(const TaskEvent &)> sink) { m_sink = std::move(sink); }
    void cancel() { m_cancelled.store(true); }
    TaskResult run();

    // The secrets' values (and what inputs derived from them) in `text` replaced by "***".
    QString mask(const QString &text) const;

private:
    void addRedactions(const QStringList &values);
    void emitEvent(TaskEvent event);
    const ActionRegistry &m_actions;
    TaskSpec m_spec;
    TaskOptions m_options;
    std::function<void(const TaskEvent &)> m_sink;
    std::atomic_bool m_cancelled{false};
    QStringList m_redactions;   // masked in every event: the secrets, and what inputs derived from them
};

// Backstage's falsiness for a step's `if`: false, undefined, null, "", 0, NaN and [].
bool stepConditionHolds(const QJsonValue &value);

} // namespace Greenroom::Scaffold
