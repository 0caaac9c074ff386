// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkReply;

namespace Greenroom::Sync {

/*
 * The desktop's side of the server's scaffolder (Backstage's
 * /api/scaffolder/v2): starts a task and follows its event stream, cancels
 * it, lists past tasks and replays one, or asks for a dry run of a stored
 * template. Everything is
 * asynchronous on the thread the client lives on; one task at a time.
 */
class ScaffolderClient : public QObject
{
    Q_OBJECT

public:
    explicit ScaffolderClient(QUrl server, QString token = {}, QObject *parent = nullptr);
    ~ScaffolderClient() override;

    QUrl server() const { return m_server; }
    QString taskId() const { return m_taskId; }

    void create(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets = {});
    // POST /v2/dry-run naming a stored template (Greenroom: the server reads
    // its files; Backstage's clients send them instead).
    void dryRun(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets = {});
    void cancel();
    // Follows a task that exists already: its whole log, then what comes.
    void watch(const QString &taskId);
    // GET /v2/tasks, newest first: tasksListed() or requestFailed().
    void listTasks(int limit = 100);

Q_SIGNALS:
    void taskCreated(const QString &taskId);
    void taskEvent(const QJsonObject &event);   // {id, type, body{message, stepId?, status?}, createdAt}
    // status: completed, failed or cancelled; error: the failure's message.
    void taskFinished(const QString &status, const QJsonObject &output, const QString &error);
    // {log, directoryContents, output, steps} as the server answers it.
    void dryRunFinished(const QJsonObject &result);
    // The request could not be made or was refused; `validation` holds the
    // server's schema errors for a 400 about the answers.
    void requestFailed(const QString &message, const QJsonArray &validation);
    void tasksListed(const QJsonArray &tasks);

private:
    QNetworkRequest request(const QString &path) const;
    // {templateRef, values, secrets?}: what POST /v2/tasks and Greenroom's stored dry run take.
    static QByteArray taskBody(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets);
    void follow();
    void readStream();
    bool failedReply(QNetworkReply *reply, const QByteArray &body);

    QUrl m_server;
    QString m_token;
    QNetworkAccessManager m_network;
    QString m_taskId;
    QPointer<QNetworkReply> m_stream;
    QByteArray m_pending;
    qint64 m_lastEvent = 0;
    bool m_finished = false;
    int m_reconnects = 0;
};

} // namespace Greenroom::Sync
