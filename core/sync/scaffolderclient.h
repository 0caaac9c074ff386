// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "serveranswers.h"
#include "taskdriver.h"

#include <QNetworkAccessManager>
#include <QPointer>

#include <functional>

class QNetworkReply;

namespace Greenroom::Sync {

/*
 * The desktop's side of the server's scaffolder (Backstage's
 * /api/scaffolder/v2): starts a task and follows its event stream, cancels
 * it, lists past tasks and replays one, or asks for a dry run of a stored
 * template. Everything is
 * asynchronous on the thread the client lives on; one task at a time.
 */
class ScaffolderClient : public TaskDriver
{
    Q_OBJECT

public:
    explicit ScaffolderClient(QUrl server, QString token = {}, QObject *parent = nullptr);
    ~ScaffolderClient() override;

    QString where() const override;
    void create(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets = {}) override;
    // POST /v2/dry-run naming a stored template (Greenroom: the server reads
    // its files; Backstage's clients send them instead).
    void dryRun(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets = {}) override;
    void cancel() override;
    // Follows a task that exists already: its whole log, then what comes.
    void watch(const QString &taskId);
    // GET /v2/tasks, newest first: tasksListed() or requestFailed().
    void listTasks(int limit = 100);
    // POST /v2/autocomplete/:provider/:resource {token, context}: `done`
    // gets the results' ids, or nothing when the server cannot say.
    void autocomplete(const QString &provider, const QString &resource, const QString &token, const QJsonObject &context,
                      std::function<void(const QStringList &)> done);

Q_SIGNALS:
    void tasksListed(const QJsonArray &tasks);

private:
    // {templateRef, values, secrets?}: what POST /v2/tasks and Greenroom's stored dry run take.
    static QByteArray taskBody(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets);
    void follow();
    void readStream();

    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_stream;
    EventStreamReader m_events;
    qint64 m_lastEvent = 0;
    bool m_finished = false;
    int m_reconnects = 0;
};

} // namespace Greenroom::Sync
