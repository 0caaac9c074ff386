// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>

class QNetworkReply;

namespace Greenroom::Sync {

/*
 * Where a template's task runs, as the desktop's wizard drives it: on the
 * server (ScaffolderClient) or on this computer (LocalScaffolder). Both
 * report in the server's shapes: task events as the event stream carries
 * them, dry-run results as POST /v2/dry-run answers. Asynchronous, on the
 * thread the driver lives on; one task at a time.
 */
class TaskDriver : public QObject
{
    Q_OBJECT

public:
    TaskDriver(QUrl server, QString token, QObject *parent = nullptr);

    QUrl server() const { return m_server; }
    QString taskId() const { return m_taskId; }
    // Where tasks run, for the person: the server's URL or "this computer".
    virtual QString where() const = 0;

    virtual void create(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets = {}) = 0;
    virtual void dryRun(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets = {}) = 0;
    virtual void cancel() = 0;

Q_SIGNALS:
    void taskCreated(const QString &taskId);
    void taskEvent(const QJsonObject &event);   // {id, type, body{message, stepId?, status?}, createdAt}
    // status: completed, failed or cancelled; error: the failure's message.
    void taskFinished(const QString &status, const QJsonObject &output, const QString &error);
    // {log, directoryContents, output, steps} as the server answers a dry run.
    void dryRunFinished(const QJsonObject &result);
    // The request could not be made or was refused; `validation` holds
    // schema errors ({stack, ...}) for answers that do not fit.
    void requestFailed(const QString &message, const QJsonArray &validation);

protected:
    // How a task ended, read from its completion event's body: completed,
    // failed or cancelled; and the message that goes with a failure or cancel.
    static QString endStatus(const QJsonObject &completion);
    static QString endMessage(const QJsonObject &completion);
    // A request to the server's /api/scaffolder/v2`path` (path may carry a ?query).
    QNetworkRequest request(const QString &path) const;
    // false for a 2xx answer; else requestFailed() is emitted saying why.
    bool failedReply(QNetworkReply *reply, const QByteArray &body);

    QUrl m_server;
    QString m_token;
    QString m_taskId;
};

} // namespace Greenroom::Sync
