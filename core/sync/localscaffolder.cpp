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

QString LocalScaffolder::keptCopy(const QString &templateRef) const
{
    // template:default/name → <cache>/default/template/name.json
    auto ref = Model::EntityRef::parse(templateRef, {QStringLiteral("template"), QString()});
    return ref ? QDir(m_filesCache).filePath(QStringLiteral("%1/%2/%3.json").arg(ref->namespaceName(), ref->kind(), ref->name()).toLower()) : QString();
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
    connect(reply, &QNetworkReply::finished, this, [this, reply, templateRef, values, secrets, dryRun] {
        reply->deleteLater();
        const QByteArray answer = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString kept = keptCopy(templateRef);
        QJsonObject kit;
        QString note;
        if (status == 0 && QFileInfo::exists(kept)) {
            // No answer at all: the copy from the last fetch stands in.
            QFile file(kept);
            if (file.open(QIODevice::ReadOnly))
                kit = QJsonDocument::fromJson(file.readAll()).object();
            note = tr("%1 cannot be reached (%2): running with the template's files as fetched on %3")
                       .arg(m_server.toString(), reply->errorString(), QLocale().toString(QFileInfo(kept).lastModified(), QLocale::ShortFormat));
        }
        if (kit.isEmpty()) {
            if (failedReply(reply, answer))
                return;
            kit = QJsonDocument::fromJson(answer).object();
            QDir().mkpath(QFileInfo(kept).absolutePath());
            QSaveFile copy(kept);
            if (!(copy.open(QIODevice::WriteOnly) && copy.write(answer) == answer.size() && copy.commit()))
                note = tr("The template's files could not be kept for offline runs in %1: %2").arg(kept, copy.errorString());
        }
        // The wizard checks each page as it goes; this is the whole, as the server checks a new task.
        const QList<Scaffold::ParameterPage> pages = Scaffold::parameterPages(kit.value(QLatin1String("template")).toObject());
        const QList<Scaffold::ParameterProblem> problems = Scaffold::validateParameters(values, pages);
        if (!problems.isEmpty()) {
            QJsonArray validation;
            for (const Scaffold::ParameterProblem &problem : problems)
                validation.append(QJsonObject{{QStringLiteral("stack"), problem.stack()}});
            Q_EMIT requestFailed(tr("The answers do not fit the template"), validation);
            return;
        }
        m_record = {};
        m_recordEvents = {};
        if (!dryRun) {
            const QJsonObject templateEntity = kit.value(QLatin1String("template")).toObject();
            const QJsonObject metadata = templateEntity.value(QLatin1String("metadata")).toObject();
            m_record = {{QStringLiteral("id"), m_taskId},
                        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("templateInfo"),
                                                              QJsonObject{{QStringLiteral("entityRef"), templateRef},
                                                                          {QStringLiteral("entity"), QJsonObject{{QStringLiteral("metadata"), metadata}}}}}}},
                        {QStringLiteral("status"), QStringLiteral("processing")},
                        {QStringLiteral("createdAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                        {QStringLiteral("createdBy"), m_user.value(QLatin1String("ref")).toString()}};
            Q_EMIT taskCreated(m_taskId);
        }
        m_pool.start([this, kit, values = Scaffold::resolvePages(values, pages).values, secrets, dryRun, note] { run(kit, values, secrets, dryRun, note); });
    });
}

QString LocalScaffolder::taskFile(const QString &taskId) const
{
    return QDir(m_filesCache).filePath(QStringLiteral("tasks/%1.json").arg(taskId));
}

void LocalScaffolder::deliver(const QString &type, const QJsonObject &body)
{
    const QJsonObject event = eventJson(type, body);
    if (!m_record.isEmpty()) {
        m_recordEvents.append(event);
        if (type == QLatin1String("completion")) {
            // Ended: kept with its whole log (secrets are masked in it already).
            QJsonObject record = m_record;
            record.insert(QStringLiteral("status"), endStatus(body));
            record.insert(QStringLiteral("events"), m_recordEvents);
            QDir().mkpath(QFileInfo(taskFile(m_taskId)).absolutePath());
            QSaveFile file(taskFile(m_taskId));
            const QByteArray bytes = QJsonDocument(record).toJson(QJsonDocument::Compact);
            if (!(file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit()))
                qWarning("Cannot keep the log of task %s in %s: %s", qUtf8Printable(m_taskId), qUtf8Printable(file.fileName()), qUtf8Printable(file.errorString()));
            m_record = {};
        }
    }
    Q_EMIT taskEvent(event);
}

QJsonArray LocalScaffolder::pastTasks(const QString &filesCache)
{
    QList<QJsonObject> tasks;
    const QDir folder(QDir(filesCache).filePath(QStringLiteral("tasks")));
    for (const QFileInfo &entry : folder.entryInfoList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile file(entry.filePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        QJsonObject task = QJsonDocument::fromJson(file.readAll()).object();
        if (task.value(QLatin1String("id")).toString().isEmpty())
            continue;   // not one of ours, or cut short
        task.remove(QStringLiteral("events"));
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
    QFile file(taskFile(taskId));
    const QJsonObject task = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
    m_taskId = taskId;
    // Asynchronous, as a watch of the server's event stream is.
    QMetaObject::invokeMethod(this, [this, task, taskId] {
        if (task.isEmpty()) {
            Q_EMIT requestFailed(tr("No task with id '%1' has run on this computer").arg(taskId), {});
            return;
        }
        QJsonObject end;
        for (const QJsonValue &event : task.value(QLatin1String("events")).toArray()) {
            Q_EMIT taskEvent(event.toObject());
            if (event[QLatin1String("type")].toString() == QLatin1String("completion"))
                end = event[QLatin1String("body")].toObject();
        }
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
    QJsonArray dryRunLog;
    // Every event reaches the driver's thread in order; a dry run's are gathered for its result.
    auto report = [this, dryRun, &dryRunLog](const QString &type, const QJsonObject &body) {
        if (dryRun) {
            dryRunLog.append(QJsonObject{{QStringLiteral("body"), body}});
            return;
        }
        QMetaObject::invokeMethod(this, [this, type, body] { deliver(type, body); }, Qt::QueuedConnection);
    };
    if (!note.isEmpty())
        report(QStringLiteral("log"), QJsonObject{{QStringLiteral("message"), note}});

    auto services = std::make_shared<Scaffold::ScaffolderServices>(Scaffold::servicesFromPublicSettings(kit));
    services->catalog = std::make_shared<Scaffold::RemoteCatalogAccess>(m_server, m_token);
    QTemporaryDir files(QDir::temp().filePath(QStringLiteral("greenroom-template-XXXXXX")));
    Status written = files.isValid() ? Scaffold::writeDirectoryContents(files.path(), kit.value(QLatin1String("directoryContents")).toArray())
                                     : Status(Error::internal(tr("Cannot create a folder for the template's files: %1").arg(files.errorString())));
    if (written && m_cancelled.load())
        written = Error(QStringLiteral("CancelledError"), tr("The task was cancelled before its first step"));
    if (!written) {
        const QString status = written.error().name == QLatin1String("CancelledError") ? QStringLiteral("cancelled") : QStringLiteral("failed");
        const QString message = status == QLatin1String("failed") ? tr("The template's files cannot be written: %1").arg(written.error().message)
                                                                  : written.error().message;
        QMetaObject::invokeMethod(this, [this, dryRun, status, message] {
            if (dryRun)
                Q_EMIT requestFailed(message, {});
            else
                Q_EMIT taskFinished(status, {}, message);
        }, Qt::QueuedConnection);
        return;
    }

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
    runner->setEventSink([this, dryRun, &report](const Scaffold::TaskEvent &event) {
        const bool completion = event.type == Scaffold::TaskEvent::Type::Completion;
        // A dry run's result is its log lines, as the server's dry run answers it; it ends with dryRunFinished().
        if (completion && dryRun)
            return;
        report(completion ? QStringLiteral("completion") : QStringLiteral("log"), event.body());
        if (completion) {
            QMetaObject::invokeMethod(this, [this, status = event.endStatus(), output = event.output,
                                             error = event.error ? event.error->message : QString()] {
                Q_EMIT taskFinished(status, status == QLatin1String("completed") ? output : QJsonObject(), error);
            }, Qt::QueuedConnection);
        }
    });
    {
        QMutexLocker lock(&m_mutex);
        m_runner = runner;
        if (m_cancelled.load())
            runner->cancel();
    }
    const Scaffold::TaskResult result = runner->run();
    {
        QMutexLocker lock(&m_mutex);
        m_runner.reset();
    }
    if (!dryRun)
        return;
    const QJsonObject answer{{QStringLiteral("log"), dryRunLog},
                             {QStringLiteral("directoryContents"), Scaffold::directoryContents(result.workspace, result.files)},
                             {QStringLiteral("output"), result.output},
                             {QStringLiteral("steps"), Scaffold::TaskBroker::namedSteps(templateEntity)}};
    if (!result.workspace.isEmpty())
        QDir(result.workspace).removeRecursively();
    QMetaObject::invokeMethod(this, [this, answer] { Q_EMIT dryRunFinished(answer); }, Qt::QueuedConnection);
}

} // namespace Greenroom::Sync
