// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "localscaffolder.h"

#include <model/entityref.h>
#include <scaffold/directorycontents.h>
#include <scaffold/remotecatalogaccess.h>
#include <scaffold/taskbroker.h>
#include <scaffold/templateparameters.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>
#include <QMutexLocker>
#include <QNetworkReply>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QUuid>

namespace Greenroom::Sync {

LocalScaffolder::LocalScaffolder(QUrl server, QString token, QString filesCache, QObject *parent)
    : TaskDriver(std::move(server), std::move(token), parent), m_filesCache(std::move(filesCache))
{
    m_pool.setMaxThreadCount(1);
}

LocalScaffolder::~LocalScaffolder()
{
    cancel();
    m_pool.waitForDone();
}

QString LocalScaffolder::where() const
{
    return tr("this computer");
}

void LocalScaffolder::create(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets)
{
    start(templateRef, values, secrets, false);
}

void LocalScaffolder::dryRun(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets)
{
    start(templateRef, values, secrets, true);
}

void LocalScaffolder::cancel()
{
    m_cancelled.store(true);
    QMutexLocker lock(&m_mutex);
    if (m_runner)
        m_runner->cancel();
}

QString LocalScaffolder::keptCopy(const Model::EntityRef &ref) const
{
    // template:default/name → <cache>/default/template/name.json
    return QDir(m_filesCache).filePath(QStringLiteral("%1/%2/%3.json").arg(ref.namespaceName(), ref.kind(), ref.name()).toLower());
}

void LocalScaffolder::start(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets, bool dryRun)
{
    auto ref = Model::EntityRef::parse(templateRef, {QStringLiteral("template"), QString()});
    if (!ref) {
        Q_EMIT requestFailed(ref.error().message, {});
        return;
    }
    m_cancelled.store(false);
    m_taskId = dryRun ? QString() : QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_eventId = 0;
    QNetworkReply *reply = m_network.get(request(QStringLiteral("/templates/%1/%2/%3/files").arg(ref->namespaceName(), ref->kind(), ref->name())));
    connect(reply, &QNetworkReply::finished, this, [this, reply, templateRef, kept = keptCopy(ref.value()), values, secrets, dryRun] {
        reply->deleteLater();
        const QByteArray answer = reply->readAll();
        // No answer at all: the copy from the last fetch stands in, if there is one.
        const bool unreachable = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 0;
        if (!(unreachable && QFileInfo::exists(kept)) && failedReply(reply, answer))
            return;
        const QString note = unreachable ? tr("%1 cannot be reached (%2): running with the template's files as fetched on %3")
                                               .arg(m_server.toString(), reply->errorString(),
                                                    QLocale().toString(QFileInfo(kept).lastModified(), QLocale::ShortFormat))
                                         : QString();
        // Parsing, keeping and checking (a template may be megabytes) happen on the worker.
        m_pool.start([this, answer, unreachable, kept, note, templateRef, values, secrets, dryRun] {
            prepare(unreachable ? std::optional<QByteArray>() : answer, kept, note, templateRef, values, secrets, dryRun);
        });
    });
}

void LocalScaffolder::prepare(const std::optional<QByteArray> &answer, const QString &kept, QString note, const QString &templateRef, const QJsonObject &values,
                              const QJsonObject &secrets, bool dryRun)
{
    QJsonObject kit;
    if (!answer) {
        QFile file(kept);
        if (file.open(QIODevice::ReadOnly))
            kit = QJsonDocument::fromJson(file.readAll()).object();
    } else {
        kit = QJsonDocument::fromJson(*answer).object();
        QDir().mkpath(QFileInfo(kept).absolutePath());
        QSaveFile copy(kept);
        if (!(copy.open(QIODevice::WriteOnly) && copy.write(*answer) == answer->size() && copy.commit()))
            note = tr("The template's files could not be kept for offline runs in %1: %2").arg(kept, copy.errorString());
    }
    // The wizard checks each page as it goes; this is the whole, as the server checks a new task.
    const QJsonObject templateEntity = kit.value(QLatin1String("template")).toObject();
    const QList<Scaffold::ParameterPage> pages = Scaffold::parameterPages(templateEntity);
    const QList<Scaffold::ParameterProblem> problems = Scaffold::validateParameters(values, pages);
    if (!problems.isEmpty()) {
        QJsonArray validation;
        for (const Scaffold::ParameterProblem &problem : problems)
            validation.append(QJsonObject{{QStringLiteral("stack"), problem.stack()}});
        QMetaObject::invokeMethod(this, [this, validation] { Q_EMIT requestFailed(tr("The answers do not fit the template"), validation); },
                                  Qt::QueuedConnection);
        return;
    }
    if (!dryRun) {
        // The task exists from here: its record (kept when it ends) is started on the driver's thread, ahead of its events.
        const QJsonObject metadata = templateEntity.value(QLatin1String("metadata")).toObject();
        QMetaObject::invokeMethod(this, [this, templateRef, metadata] {
            m_recordEvents = {};
            m_record = {{QStringLiteral("id"), m_taskId},
                        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("templateInfo"),
                                                              QJsonObject{{QStringLiteral("entityRef"), templateRef},
                                                                          {QStringLiteral("entity"), QJsonObject{{QStringLiteral("metadata"), metadata}}}}}}},
                        {QStringLiteral("status"), QStringLiteral("processing")},
                        {QStringLiteral("createdAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                        {QStringLiteral("createdBy"), m_user.value(QLatin1String("ref")).toString()}};
            Q_EMIT taskCreated(m_taskId);
        }, Qt::QueuedConnection);
    }
    run(kit, Scaffold::resolvePages(values, pages).values, secrets, dryRun, note);
}

QString LocalScaffolder::taskFile(const QString &taskId, const char *suffix) const
{
    return QDir(m_filesCache).filePath(QStringLiteral("tasks/%1%2").arg(taskId, QLatin1String(suffix)));
}

void LocalScaffolder::deliver(const QString &type, const QJsonObject &body)
{
    const QJsonObject event = eventJson(type, body);
    if (!m_record.isEmpty()) {
        m_recordEvents.append(event);
        if (type == QLatin1String("completion")) {
            // Ended: its log (masked already), then the summary the Tasks list reads, so a summary always has its log.
            QJsonObject summary = m_record;
            summary.insert(QStringLiteral("status"), endStatus(body));
            QDir().mkpath(QFileInfo(taskFile(m_taskId, TaskSuffix)).absolutePath());
            for (const auto &[suffix, bytes] : {std::pair{EventsSuffix, QJsonDocument(m_recordEvents).toJson(QJsonDocument::Compact)},
                                                std::pair{TaskSuffix, QJsonDocument(summary).toJson(QJsonDocument::Compact)}}) {
                QSaveFile file(taskFile(m_taskId, suffix));
                if (!(file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())) {
                    qWarning("Cannot keep task %s in %s: %s", qUtf8Printable(m_taskId), qUtf8Printable(file.fileName()), qUtf8Printable(file.errorString()));
                    break;
                }
            }
            m_record = {};
            m_recordEvents = {};
        }
    }
    Q_EMIT taskEvent(event);
}

QJsonArray LocalScaffolder::pastTasks(const QString &filesCache, int limit)
{
    // The summaries only (a task's log is apart), and only the newest
    // `limit` of them: a summary is written when its task ends, so the
    // files' times pick them. Listed newest first by createdAt (ISO UTC, so
    // text order is time order).
    QList<QJsonObject> tasks;
    const QDir folder(QDir(filesCache).filePath(QStringLiteral("tasks")));
    for (const QFileInfo &entry : folder.entryInfoList({QLatin1String("*") + QLatin1String(TaskSuffix)}, QDir::Files, QDir::Time)) {
        if (tasks.size() >= limit)
            break;
        if (entry.fileName().endsWith(QLatin1String(EventsSuffix)))
            continue;
        QFile file(entry.filePath());
        const QJsonObject task = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
        if (!task.value(QLatin1String("id")).toString().isEmpty())
            tasks.append(task);
    }
    std::sort(tasks.begin(), tasks.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QLatin1String("createdAt")).toString() > b.value(QLatin1String("createdAt")).toString();
    });
    QJsonArray list;
    for (const QJsonObject &task : std::as_const(tasks))
        list.append(task);
    return list;
}

void LocalScaffolder::replay(const QString &taskId)
{
    QFile file(taskFile(taskId, EventsSuffix));
    const QJsonArray events = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).array() : QJsonArray();
    m_taskId = taskId;
    // Asynchronous, as a watch of the server's event stream is.
    QMetaObject::invokeMethod(this, [this, events, taskId] {
        if (events.isEmpty()) {
            Q_EMIT requestFailed(tr("No task with id '%1' has run on this computer").arg(taskId), {});
            return;
        }
        for (const QJsonValue &event : events)
            Q_EMIT taskEvent(event.toObject());
        const QJsonObject end = events.last()[QLatin1String("body")].toObject();   // the completion
        Q_EMIT taskFinished(endStatus(end), end.value(QLatin1String("output")).toObject(), endMessage(end));
    }, Qt::QueuedConnection);
}

QJsonObject LocalScaffolder::eventJson(const QString &type, const QJsonObject &body)
{
    return QJsonObject{{QStringLiteral("id"), ++m_eventId},
                       {QStringLiteral("taskId"), m_taskId},
                       {QStringLiteral("type"), type},
                       {QStringLiteral("body"), body},
                       {QStringLiteral("createdAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
}

void LocalScaffolder::run(const QJsonObject &kit, const QJsonObject &values, const QJsonObject &secrets, bool dryRun, const QString &note)
{
    static const Scaffold::ActionRegistry actions = Scaffold::ActionRegistry::builtin();
    const QJsonObject templateEntity = kit.value(QLatin1String("template")).toObject();
    const QJsonObject noteBody{{QStringLiteral("message"), note}};
    // Before the first step: the run ends here, saying why.
    const auto endEarly = [this, dryRun](const QString &status, const QString &message) {
        QMetaObject::invokeMethod(this, [this, dryRun, status, message] {
            if (dryRun)
                Q_EMIT requestFailed(message, {});
            else
                Q_EMIT taskFinished(status, {}, message);
        }, Qt::QueuedConnection);
    };
    QTemporaryDir files(QDir::temp().filePath(QStringLiteral("greenroom-template-XXXXXX")));
    if (!files.isValid())
        return endEarly(QStringLiteral("failed"), tr("Cannot create a folder for the template's files: %1").arg(files.errorString()));
    if (Status written = Scaffold::writeDirectoryContents(files.path(), kit.value(QLatin1String("directoryContents")).toArray()); !written)
        return endEarly(QStringLiteral("failed"), tr("The template's files cannot be written: %1").arg(written.error().message));
    if (m_cancelled.load())
        return endEarly(QStringLiteral("cancelled"), tr("The task was cancelled before its first step"));

    auto services = std::make_shared<Scaffold::ScaffolderServices>(Scaffold::servicesFromPublicSettings(kit));
    services->catalog = std::make_shared<Scaffold::RemoteCatalogAccess>(m_server, m_token);
    // As the server does, the person's own server token goes along as secrets.backstageToken.
    QJsonObject taskSecrets = secrets;
    if (!m_token.isEmpty())
        taskSecrets.insert(QStringLiteral("backstageToken"), m_token);
    Scaffold::TaskSpec spec{templateEntity, files.path(), values, taskSecrets, m_user, m_taskId.isEmpty() ? QStringLiteral("dry-run") : m_taskId};
    Scaffold::TaskOptions options;
    options.dryRun = dryRun;
    options.keepWorkspace = dryRun;
    options.services = services;
    auto runner = std::make_shared<Scaffold::TaskRunner>(actions, spec, options);
    {
        QMutexLocker lock(&m_mutex);
        m_runner = runner;
        if (m_cancelled.load())
            runner->cancel();
    }
    if (dryRun) {
        // The server's dry-run answer, with the note (if any) ahead of the log.
        const QJsonObject answer = Scaffold::runDryRun(*runner, templateEntity, note.isEmpty() ? QJsonArray() : QJsonArray{QJsonObject{{QStringLiteral("body"), noteBody}}});
        QMetaObject::invokeMethod(this, [this, answer] { Q_EMIT dryRunFinished(answer); }, Qt::QueuedConnection);
    } else {
        // Every event reaches the driver's thread in order (deliver), and the completion ends the run there.
        const auto deliverQueued = [this](const QString &type, const QJsonObject &body) {
            QMetaObject::invokeMethod(this, [this, type, body] { deliver(type, body); }, Qt::QueuedConnection);
        };
        if (!note.isEmpty())
            deliverQueued(QStringLiteral("log"), noteBody);
        runner->setEventSink([this, deliverQueued](const Scaffold::TaskEvent &event) {
            const bool completion = event.type == Scaffold::TaskEvent::Type::Completion;
            deliverQueued(completion ? QStringLiteral("completion") : QStringLiteral("log"), event.body());
            if (completion) {
                QMetaObject::invokeMethod(this, [this, status = event.endStatus(), output = event.output,
                                                 error = event.error ? event.error->message : QString()] {
                    Q_EMIT taskFinished(status, status == QLatin1String("completed") ? output : QJsonObject(), error);
                }, Qt::QueuedConnection);
            }
        });
        runner->run();
    }
    QMutexLocker lock(&m_mutex);
    m_runner.reset();
}

} // namespace Greenroom::Sync
