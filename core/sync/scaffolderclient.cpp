// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "scaffolderclient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

namespace Greenroom::Sync {

namespace {

// A dropped stream is picked up again after the last event it gave.
constexpr int MaxReconnects = 5;

} // namespace

ScaffolderClient::ScaffolderClient(QUrl server, QString token, QObject *parent) : TaskDriver(std::move(server), std::move(token), parent) {}

QString ScaffolderClient::where() const
{
    return m_server.toString();
}

ScaffolderClient::~ScaffolderClient()
{
    if (m_stream)
        m_stream->abort();
}

QByteArray ScaffolderClient::taskBody(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets)
{
    QJsonObject body{{QStringLiteral("templateRef"), templateRef}, {QStringLiteral("values"), values}};
    if (!secrets.isEmpty())
        body.insert(QStringLiteral("secrets"), secrets);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

void ScaffolderClient::create(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets)
{
    m_taskId.clear();
    m_finished = false;
    m_lastEvent = 0;
    m_reconnects = 0;
    QNetworkReply *reply = m_network.post(request(QStringLiteral("/tasks")), taskBody(templateRef, values, secrets));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const QByteArray answer = reply->readAll();
        if (failedReply(reply, answer))
            return;
        m_taskId = QJsonDocument::fromJson(answer).object().value(QLatin1String("id")).toString();
        Q_EMIT taskCreated(m_taskId);
        follow();
    });
}

void ScaffolderClient::follow()
{
    QNetworkRequest streamRequest = request(QStringLiteral("/tasks/%1/eventstream?after=%2").arg(m_taskId).arg(m_lastEvent));
    streamRequest.setRawHeader("Accept", "text/event-stream");
    streamRequest.setTransferTimeout(0);
    m_events = {};   // a new stream: nothing half-read carries over
    m_stream = m_network.get(streamRequest);
    connect(m_stream, &QNetworkReply::readyRead, this, &ScaffolderClient::readStream);
    connect(m_stream, &QNetworkReply::finished, this, [this, reply = m_stream.data()] {
        reply->deleteLater();
        readStream();
        if (m_finished)
            return;
        if (reply->error() == QNetworkReply::OperationCanceledError)
            return;
        if (++m_reconnects > MaxReconnects) {
            Q_EMIT requestFailed(tr("Lost the task's event stream: %1").arg(reply->errorString()), {});
            return;
        }
        QTimer::singleShot(500 * m_reconnects, this, &ScaffolderClient::follow);
    });
}

void ScaffolderClient::readStream()
{
    if (!m_stream)
        return;
    for (const EventStreamReader::Event &block : m_events.read(m_stream->readAll())) {
        const QJsonObject event = QJsonDocument::fromJson(block.data).object();
        if (event.isEmpty())
            continue;
        m_lastEvent = event.value(QLatin1String("id")).toInteger(m_lastEvent);
        Q_EMIT taskEvent(event);
        if (event.value(QLatin1String("type")).toString() == QLatin1String("completion")) {
            m_finished = true;
            const QJsonObject body = event.value(QLatin1String("body")).toObject();
            Q_EMIT taskFinished(endStatus(body), body.value(QLatin1String("output")).toObject(), endMessage(body));
        }
    }
}

void ScaffolderClient::dryRun(const QString &templateRef, const QJsonObject &values, const QJsonObject &secrets)
{
    QNetworkReply *reply = m_network.post(request(QStringLiteral("/dry-run")), taskBody(templateRef, values, secrets));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const QByteArray answer = reply->readAll();
        if (failedReply(reply, answer))
            return;
        Q_EMIT dryRunFinished(QJsonDocument::fromJson(answer).object());
    });
}

void ScaffolderClient::watch(const QString &taskId)
{
    if (m_stream)
        m_stream->abort();
    m_taskId = taskId;
    m_finished = false;
    m_lastEvent = 0;
    m_reconnects = 0;
    follow();
}

void ScaffolderClient::listTasks(int limit)
{
    QNetworkReply *reply = m_network.get(request(QStringLiteral("/tasks?order=desc:created_at&limit=%1").arg(limit)));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const QByteArray answer = reply->readAll();
        if (failedReply(reply, answer))
            return;
        Q_EMIT tasksListed(QJsonDocument::fromJson(answer).object().value(QLatin1String("tasks")).toArray());
    });
}

void ScaffolderClient::autocomplete(const QString &provider, const QString &resource, const QString &token, const QJsonObject &context,
                                    std::function<void(const QStringList &)> done)
{
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("token"), token}, {QStringLiteral("context"), context}}).toJson(QJsonDocument::Compact);
    QNetworkReply *reply = m_network.post(request(QStringLiteral("/autocomplete/%1/%2").arg(provider, resource)), body);
    connect(reply, &QNetworkReply::finished, this, [reply, done] {
        reply->deleteLater();
        QStringList ids;
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200) {
            for (const QJsonValue &result : QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("results")).toArray())
                ids.append(result[QLatin1String("id")].toString());
        }
        done(ids);
    });
}

void ScaffolderClient::cancel()
{
    if (m_taskId.isEmpty() || m_finished)
        return;
    QNetworkReply *reply = m_network.post(request(QStringLiteral("/tasks/%1/cancel").arg(m_taskId)), QByteArray("{}"));
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

} // namespace Greenroom::Sync
