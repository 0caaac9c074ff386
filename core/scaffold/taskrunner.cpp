// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "taskrunner.h"

#include "inputrenderer.h"
#include "templatelanguage.h"
#include "templateparameters.h"

#include <common/jsonstringify.h>

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QTemporaryDir>


namespace Greenroom::Scaffold {

void ActionRegistry::add(ActionInfo action)
{
    m_actions.insert(action.id, std::move(action));
}

const ActionInfo *ActionRegistry::find(const QString &id) const
{
    const auto found = m_actions.constFind(id);
    return found == m_actions.cend() ? nullptr : &*found;
}

QList<ActionInfo> ActionRegistry::all() const
{
    QList<ActionInfo> list = m_actions.values();
    std::sort(list.begin(), list.end(), [](const ActionInfo &a, const ActionInfo &b) { return a.id < b.id; });
    return list;
}

QJsonObject TaskEvent::body() const
{
    QJsonObject body{{QStringLiteral("message"), message}};
    if (!stepId.isEmpty())
        body.insert(QStringLiteral("stepId"), stepId);
    if (!status.isEmpty())
        body.insert(QStringLiteral("status"), status);
    if (type == Type::Completion) {
        if (error && status.isEmpty())
            body.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("name"), error->name}, {QStringLiteral("message"), error->message}});
        else if (!error)
            body.insert(QStringLiteral("output"), output);
    }
    return body;
}

QString TaskEvent::endStatus() const
{
    return status == QLatin1String("cancelled") ? status : error ? QStringLiteral("failed") : QStringLiteral("completed");
}

bool stepConditionHolds(const QJsonValue &value)
{
    // JavaScript's truthiness, plus Backstage's rule that [] is false.
    return value.isArray() ? !value.toArray().isEmpty() : templateTruthy(value);
}

namespace {

// A value faked from an output schema for actions skipped in a dry run.
QJsonValue fakeOutput(const QJsonObject &schema)
{
    const QJsonArray examples = schema.value(QLatin1String("examples")).toArray();
    if (!examples.isEmpty())
        return examples.first();
    const QString type = schema.value(QLatin1String("type")).toString();
    if (type == QLatin1String("number") || type == QLatin1String("integer"))
        return 0;
    if (type == QLatin1String("boolean"))
        return false;
    if (type == QLatin1String("array"))
        return QJsonArray();
    if (type == QLatin1String("object"))
        return QJsonObject();
    return QStringLiteral("<example>");
}

QStringList workspaceFiles(const QString &workspace)
{
    QStringList files;
    const QDir root(workspace);
    QDirIterator it(workspace, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(root.relativeFilePath(it.next()));
    files.sort();
    return files;
}

// spec.output's links and text lose the items whose `if` is falsy, and their `if` keys (Backstage 4.x).
QJsonObject filterOutputItems(QJsonObject output)
{
    for (const char *key : {"links", "text"}) {
        if (!output.value(QLatin1String(key)).isArray())
            continue;
        QJsonArray kept;
        for (const QJsonValue &item : output.value(QLatin1String(key)).toArray()) {
            QJsonObject object = item.toObject();
            if (object.contains(QLatin1String("if"))) {
                if (!stepConditionHolds(object.value(QLatin1String("if"))))
                    continue;
                object.remove(QStringLiteral("if"));
            }
            kept.append(object);
        }
        output.insert(QLatin1String(key), kept);
    }
    return output;
}

// The strings of a value, and for an object its keys too (4.3's extractStringValues).
QStringList stringValues(const QJsonValue &value)
{
    QStringList out;
    if (value.isString()) {
        out.append(value.toString());
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            out += stringValues(item);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            out += QStringList{it.key()} + stringValues(it.value());
    }
    return out;
}

// What a value rendered with secrets holds that it does not without them
// (4.3's collectSecretRedactions): differing strings, and for a key the
// render without secrets lacks, the key and everything below it.
QStringList secretRedactions(const QJsonValue &withSecrets, const QJsonValue &withoutSecrets)
{
    if (withSecrets.isString())
        return withoutSecrets.isString() && withoutSecrets.toString() == withSecrets.toString() ? QStringList() : QStringList{withSecrets.toString()};
    QStringList out;
    if (withSecrets.isArray()) {
        const QJsonArray with = withSecrets.toArray();
        const QJsonArray without = withoutSecrets.toArray();
        for (qsizetype i = 0; i < with.size(); ++i)
            out += secretRedactions(with.at(i), i < without.size() ? without.at(i) : QJsonValue(QJsonValue::Undefined));
    } else if (withSecrets.isObject()) {
        const QJsonObject with = withSecrets.toObject();
        const QJsonObject without = withoutSecrets.toObject();
        for (auto it = with.begin(); it != with.end(); ++it)
            out += without.contains(it.key()) ? secretRedactions(it.value(), without.value(it.key())) : QStringList{it.key()} + stringValues(it.value());
    }
    return out;
}

} // namespace

TaskRunner::TaskRunner(const ActionRegistry &actions, TaskSpec spec, TaskOptions options)
    : m_actions(actions), m_spec(std::move(spec)), m_options(std::move(options))
{
    if (!m_options.services)
        m_options.services = std::make_shared<ScaffolderServices>();
    QStringList values;
    for (const QJsonObject &secrets : {m_spec.secrets, m_options.services->environmentSecrets}) {
        for (auto it = secrets.begin(); it != secrets.end(); ++it)
            values.append(it.value().isString() ? it.value().toString() : jsonStringify(it.value()));
    }
    addRedactions(values);
}

void TaskRunner::addRedactions(const QStringList &values)
{
    // As 4.3's task logger: trimmed, and nothing of one character or less.
    for (const QString &value : values) {
        const QString redaction = value.trimmed();
        if (redaction.size() > 1 && !m_redactions.contains(redaction))
            m_redactions.append(redaction);
    }
}

QString TaskRunner::mask(const QString &text) const
{
    // Every occurrence of every redaction, overlapping ones merged into one
    // "***", as 4.3's redacter does with its lookahead pattern.
    QList<std::pair<qsizetype, qsizetype>> ranges;   // start, end: every occurrence, overlapping ones too
    for (const QString &secret : std::as_const(m_redactions)) {
        for (qsizetype at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1))
            ranges.append({at, at + secret.size()});
    }
    std::sort(ranges.begin(), ranges.end());
    if (ranges.isEmpty())
        return text;
    QString masked;
    qsizetype cursor = 0;
    for (qsizetype i = 0; i < ranges.size();) {
        const qsizetype start = ranges.at(i).first;
        qsizetype end = ranges.at(i).second;
        for (++i; i < ranges.size() && ranges.at(i).first < end; ++i)
            end = std::max(end, ranges.at(i).second);
        masked += QStringView(text).mid(cursor, start - cursor);
        masked += QStringLiteral("***");
        cursor = end;
    }
    masked += QStringView(text).mid(cursor);
    return masked;
}

void TaskRunner::emitEvent(TaskEvent event)
{
    event.message = mask(event.message);
    if (event.error)
        event.error->message = mask(event.error->message);
    event.createdAt = QDateTime::currentDateTimeUtc();
    if (m_sink)
        m_sink(event);
}

TaskResult TaskRunner::run()
{
    TaskResult result;
    QString workspace;
    auto log = [this](const QString &message, const QString &stepId = {}, const QString &status = {}) {
        TaskEvent event;
        event.message = message;
        event.stepId = stepId;
        event.status = status;
        emitEvent(event);
    };
    auto finish = [&](const QString &status, std::optional<Error> error, const QJsonObject &output, const QString &stepId = {}) {
        result.status = status;
        result.error = error;
        result.output = output;
        if (!workspace.isEmpty())
            result.files = workspaceFiles(workspace);
        TaskEvent completion;
        completion.type = TaskEvent::Type::Completion;
        completion.stepId = stepId;
        completion.message = status == QLatin1String("cancelled") && error ? error->message
                                                                             : QStringLiteral("Run completed with status: %1").arg(status);
        completion.status = status == QLatin1String("cancelled") ? status : QString();
        completion.error = error;
        completion.output = output;
        emitEvent(completion);
        return result;
    };

    // The workspace: private to this task, gone when it ends (unless kept).
    const QString base = m_options.workingDirectory.isEmpty() ? QDir::tempPath() : m_options.workingDirectory;
    QDir().mkpath(base);
    QTemporaryDir workspaceDir(base + QStringLiteral("/greenroom-task-XXXXXX"));
    if (!workspaceDir.isValid())
        return finish(QStringLiteral("failed"), Error::internal(QStringLiteral("Cannot create a workspace in %1").arg(base)), {});
    workspaceDir.setAutoRemove(!m_options.keepWorkspace);
    workspace = workspaceDir.path();
    if (m_options.keepWorkspace)
        result.workspace = workspace;

    const QJsonObject spec = m_spec.templateEntity.value(QLatin1String("spec")).toObject();
    const QJsonArray steps = spec.value(QLatin1String("steps")).toArray();
    const QJsonObject metadata = m_spec.templateEntity.value(QLatin1String("metadata")).toObject();
    const QString templateRef = QStringLiteral("template:%1/%2")
                                    .arg(metadata.value(QLatin1String("namespace")).toString(QStringLiteral("default")),
                                         metadata.value(QLatin1String("name")).toString());
    QJsonObject stepOutputs;
    auto contextWith = [&](bool withSecrets, const QJsonValue &each = QJsonValue(QJsonValue::Undefined)) {
        QJsonObject context{{QStringLiteral("parameters"), m_spec.parameters},
                            {QStringLiteral("steps"), stepOutputs},
                            {QStringLiteral("user"), m_spec.user},
                            {QStringLiteral("context"), QJsonObject{{QStringLiteral("task"), QJsonObject{{QStringLiteral("id"), m_spec.taskId}}}}}};
        QJsonObject environment{{QStringLiteral("parameters"), m_options.services->environmentParameters}};
        if (withSecrets) {
            context.insert(QStringLiteral("secrets"), m_spec.secrets);
            environment.insert(QStringLiteral("secrets"), m_options.services->environmentSecrets);
        }
        context.insert(QStringLiteral("environment"), environment);
        if (!each.isUndefined())
            context.insert(QStringLiteral("each"), each);
        return context;
    };
    auto reportProblems = [&](const QList<RenderProblem> &problems, const QString &stepId) {
        for (const RenderProblem &problem : problems)
            log(QStringLiteral("Failed to parse template string at %1: %2").arg(problem.where, problem.error.toString()), stepId);
    };

    // Backstage 4.x: after a failure later steps are skipped, unless their
    // `if` asks for the task's state with always() or failure() (cleanup
    // steps); the task then fails with the first error.
    bool statusChecked = false;
    std::optional<Error> firstError;   // set: the task has failed
    QString firstErrorStep;
    TemplateEnvironment environment;
    environment.globals.insert(QStringLiteral("always"), [&statusChecked](const QJsonArray &) -> Result<QJsonValue> {
        statusChecked = true;
        return QJsonValue(true);
    });
    environment.globals.insert(QStringLiteral("failure"), [&statusChecked, &firstError](const QJsonArray &) -> Result<QJsonValue> {
        statusChecked = true;
        return QJsonValue(firstError.has_value());
    });
    auto stepFailed = [&](const Error &error, const QString &stepId, const QString &logged) {
        log(logged, stepId, QStringLiteral("failed"));
        if (firstError)
            log(QStringLiteral("Additional error occurred: %1").arg(error.toString()), stepId, QStringLiteral("failed"));
        else
            firstError = error, firstErrorStep = stepId;
    };

    // 4.3 masks, besides the secrets themselves, whatever an input (or
    // `each`) renders to with secrets that it does not render to without.
    const bool hasSecrets = !m_spec.secrets.isEmpty() || !m_options.services->environmentSecrets.isEmpty();
    auto redactDerived = [&](const QJsonValue &template_, const QJsonValue &withSecrets, const QJsonValue &eachWithout) {
        QList<RenderProblem> ignored;
        addRedactions(secretRedactions(withSecrets, renderTemplatedValue(template_, contextWith(false, eachWithout), environment, QString(), &ignored)));
    };

    // A dry run logs each step's input with the secrets' names kept and their values as ***.
    auto masked = [](const QJsonObject &secrets) {
        QJsonObject out;
        for (auto it = secrets.begin(); it != secrets.end(); ++it)
            out.insert(it.key(), QStringLiteral("***"));
        return out;
    };
    const QJsonObject maskedSecrets = masked(m_spec.secrets);
    const QJsonObject maskedEnvironment{{QStringLiteral("parameters"), m_options.services->environmentParameters},
                                        {QStringLiteral("secrets"), masked(m_options.services->environmentSecrets)}};

    log(QStringLiteral("Starting up task with %1 steps").arg(steps.size()));
    for (qsizetype index = 0; index < steps.size(); ++index) {
        const QJsonObject step = steps.at(index).toObject();
        const QString actionId = step.value(QLatin1String("action")).toString();
        const QString id = step.value(QLatin1String("id")).toString(QStringLiteral("step-%1").arg(index + 1));
        const QString name = step.value(QLatin1String("name")).toString(actionId);
        const QString where = QStringLiteral("steps[%1]").arg(id);
        if (m_cancelled.load()) {
            log(QStringLiteral("Step %1 has been cancelled.").arg(id), id, QStringLiteral("cancelled"));
            return finish(QStringLiteral("cancelled"),
                          Error(QStringLiteral("Error"), QStringLiteral("Step %1 (%2) of task %3 has been cancelled.").arg(id, name, m_spec.taskId)), {}, id);
        }
        QList<RenderProblem> problems;
        // `if`: rendered once, without secrets. A looping step's is judged per
        // item; after a failure it is rendered here too, to see whether it
        // asks for the task's state.
        const bool loops = step.contains(QLatin1String("each"));
        statusChecked = false;
        const QJsonValue condition = step.contains(QLatin1String("if")) && (!loops || firstError)
                                         ? renderTemplatedValue(step.value(QLatin1String("if")), contextWith(false), environment,
                                                                where + QStringLiteral(".if"), &problems)
                                         : QJsonValue(QJsonValue::Undefined);
        if (loops)
            problems.clear();   // reported when judged per item
        if (firstError && !(step.value(QLatin1String("if")).isString() && statusChecked)) {
            log(QStringLiteral("Skipping step %1 because a previous step failed").arg(id), id, QStringLiteral("skipped"));
            continue;
        }
        // Upstream begins every step it does not skip for an earlier failure,
        // before judging its `if` and its input.
        log(QStringLiteral("Beginning step %1").arg(name), id, QStringLiteral("processing"));
        if (step.contains(QLatin1String("if")) && !loops) {
            reportProblems(problems, id);
            if (!stepConditionHolds(condition)) {
                log(QStringLiteral("Skipping step %1 because its if condition was false").arg(id), id, QStringLiteral("skipped"));
                continue;
            }
        }
        const ActionInfo *action = m_actions.find(actionId);
        if (!action) {
            const Error error(QStringLiteral("NotFoundError"), QStringLiteral("Template action with ID '%1' is not registered.").arg(actionId));
            stepFailed(error, id, error.message);
            continue;
        }
        if (m_options.dryRun) {
            // What the step would be given, every secret shown as ***.
            QJsonObject redacted = contextWith(false);
            redacted.insert(QStringLiteral("secrets"), maskedSecrets);
            redacted.insert(QStringLiteral("environment"), maskedEnvironment);
            QList<RenderProblem> ignored;   // upstream leaves a string it cannot render as it is
            const QJsonValue input = step.contains(QLatin1String("input"))
                                         ? renderTemplatedValue(step.value(QLatin1String("input")), redacted, environment, QString(), &ignored)
                                         : QJsonValue(QJsonObject());
            log(QStringLiteral("Running %1 in dry-run mode with inputs (secrets redacted): %2").arg(actionId, jsonStringify(input, QStringLiteral("  "))), id);
        }
        if (m_options.dryRun && !action->supportsDryRun) {
            log(QStringLiteral("Skipping because %1 does not support dry-run").arg(actionId), id, QStringLiteral("skipped"));
            QJsonObject faked;
            const QJsonObject properties = action->outputSchema.value(QLatin1String("properties")).toObject();
            for (auto it = properties.begin(); it != properties.end(); ++it)
                faked.insert(it.key(), fakeOutput(it.value().toObject()));
            stepOutputs.insert(id, QJsonObject{{QStringLiteral("output"), faked}});
            continue;
        }

        // The iterations: one, or one per `each` entry; all rendered and checked before the first runs.
        struct Iteration
        {
            QString key;
            QJsonObject input;
        };
        QList<Iteration> iterations;
        if (loops) {
            const QJsonValue each = renderTemplatedValue(step.value(QLatin1String("each")), contextWith(true), environment, where + QStringLiteral(".each"), &problems);
            if (!each.isArray() && !each.isObject()) {
                const Error error = Error::input(each.isUndefined()
                                                     ? QStringLiteral("Invalid value on action %1.each parameter, \"%2\" cannot be resolved to a value")
                                                           .arg(actionId, step.value(QLatin1String("each")).toString())
                                                     : QStringLiteral("Invalid value on action %1.each parameter, must resolve to an array or object").arg(actionId));
                stepFailed(error, id, error.message);
                continue;
            }
            QJsonValue eachWithout;
            if (hasSecrets) {
                QList<RenderProblem> ignored;
                eachWithout = renderTemplatedValue(step.value(QLatin1String("each")), contextWith(false), environment, QString(), &ignored);
                addRedactions(secretRedactions(each, eachWithout));
            }
            QList<std::pair<QString, QJsonValue>> entries;
            if (each.isArray()) {
                const QJsonArray array = each.toArray();
                for (qsizetype i = 0; i < array.size(); ++i)
                    entries.append({QString::number(i), array.at(i)});
            } else {
                const QJsonObject object = each.toObject();
                for (auto it = object.begin(); it != object.end(); ++it)
                    entries.append({it.key(), it.value()});
            }
            for (const auto &[key, value] : entries) {
                const QJsonObject eachValue{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}};
                if (step.contains(QLatin1String("if"))
                    && !stepConditionHolds(renderTemplatedValue(step.value(QLatin1String("if")), contextWith(true, eachValue), environment, where + QStringLiteral(".if"), &problems)))
                    continue;
                iterations.append({key, renderTemplatedValue(step.value(QLatin1String("input")).toObject(), contextWith(true, eachValue), environment,
                                                             where + QStringLiteral(".input"), &problems).toObject()});
                if (hasSecrets && step.contains(QLatin1String("input"))) {
                    const QJsonValue withoutValue = eachWithout.isArray() ? eachWithout.toArray().at(key.toLongLong()) : eachWithout.toObject().value(key);
                    redactDerived(step.value(QLatin1String("input")).toObject(), iterations.last().input,
                                  QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), withoutValue}});
                }
            }
        } else {
            iterations.append({QString(), renderTemplatedValue(step.value(QLatin1String("input")).toObject(), contextWith(true), environment,
                                                               where + QStringLiteral(".input"), &problems).toObject()});
            if (hasSecrets && step.contains(QLatin1String("input")))
                redactDerived(step.value(QLatin1String("input")).toObject(), iterations.last().input, QJsonValue(QJsonValue::Undefined));
        }
        reportProblems(problems, id);
        std::optional<Error> invalidInput;
        for (const Iteration &iteration : std::as_const(iterations)) {
            ParameterPage schema;
            schema.title = actionId;
            schema.schema = action->inputSchema;
            QList<ParameterProblem> invalid = validatePage(iteration.input, schema);
            // jsonschema checks `required` before `properties`.
            std::stable_partition(invalid.begin(), invalid.end(), [](const ParameterProblem &p) { return p.keyword == QLatin1String("required"); });
            if (!invalid.isEmpty()) {
                QStringList parts;
                for (const ParameterProblem &problem : invalid)
                    parts.append(problem.stack());
                const Error error = Error::input(QStringLiteral("Invalid input passed to action %1%2, %3")
                                                     .arg(actionId, iteration.key.isEmpty() && !loops ? QString() : QStringLiteral("[%1]").arg(iteration.key),
                                                          parts.join(QStringLiteral(", "))));
                invalidInput = error;
                break;
            }
        }
        if (invalidInput) {
            stepFailed(*invalidInput, id, invalidInput->message);
            continue;
        }
        // The permission policy, on each iteration's input, as upstream's runner asks it.
        const bool allowed = !m_spec.actionAllowed || std::all_of(iterations.cbegin(), iterations.cend(), [&](const Iteration &iteration) {
            return m_spec.actionAllowed(actionId, iteration.input);
        });
        if (!allowed) {
            const Error refused(QStringLiteral("NotAllowedError"), QStringLiteral("Unauthorized action: %1. The action is not allowed.").arg(actionId));
            stepFailed(refused, id, refused.message);
            continue;
        }

        QJsonObject outputs;
        std::optional<Error> actionError;
        for (const Iteration &iteration : std::as_const(iterations)) {
            ActionContext context;
            context.workspace = workspace;
            context.templateDir = m_spec.templateDir;
            context.templateRef = templateRef;
            context.actionId = actionId;
            context.input = iteration.input;
            context.dryRun = m_options.dryRun;
            context.eachKey = iteration.key;
            context.cancelled = &m_cancelled;
            context.services = m_options.services.get();
            context.log = [&log, id](const QString &line) { log(line, id); };
            const Status status = action->handler(context);
            if (!status) {
                actionError = status.error();
                break;
            }
            for (auto it = context.outputs.begin(); it != context.outputs.end(); ++it) {
                if (loops) {
                    QJsonArray list = outputs.value(it.key()).toArray();
                    list.append(it.value());
                    outputs.insert(it.key(), list);
                } else {
                    outputs.insert(it.key(), it.value());
                }
            }
            if (m_cancelled.load())
                break;
        }
        if (m_cancelled.load()) {
            log(QStringLiteral("Step %1 has been cancelled.").arg(id), id, QStringLiteral("cancelled"));
            return finish(QStringLiteral("cancelled"),
                          Error(QStringLiteral("Error"), QStringLiteral("Step %1 (%2) of task %3 has been cancelled.").arg(id, name, m_spec.taskId)), {}, id);
        }
        if (actionError) {
            stepFailed(*actionError, id, actionError->toString());
            continue;
        }
        stepOutputs.insert(id, QJsonObject{{QStringLiteral("output"), outputs}});
        log(QStringLiteral("Finished step %1").arg(name), id, QStringLiteral("completed"));
    }
    if (firstError)
        return finish(QStringLiteral("failed"), firstError, {}, firstErrorStep);

    QList<RenderProblem> problems;
    const QJsonObject output = filterOutputItems(
        renderTemplatedValue(spec.value(QLatin1String("output")).toObject(), contextWith(false), environment, QStringLiteral("output"), &problems).toObject());
    reportProblems(problems, {});
    return finish(QStringLiteral("completed"), std::nullopt, output);
}

} // namespace Greenroom::Scaffold
