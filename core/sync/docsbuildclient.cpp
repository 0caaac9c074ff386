// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docsbuildclient.h"

#include <model/entityref.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

namespace Greenroom::Sync {

namespace {

// An event's data: a JSON string (log lines, errors) or object.
QJsonValue eventValue(const QByteArray &data)
{
    // QJsonDocument takes objects and arrays only: wrap the value in one.
    const QJsonDocument document = QJsonDocument::fromJson("[" + data + "]");
    return document.isArray() ? document.array().at(0) : QJsonValue(QString::fromUtf8(data));
}

} // namespace

DocsBuildClient::DocsBuildClient(QUrl server, QString token, QObject *parent)
    : QObject(parent), m_server(std::move(server)), m_token(std::move(token))
{
}

DocsBuildClient::~DocsBuildClient()
{
    for (const Request &request : std::as_const(m_requests)) {
        if (request.reply) {
            request.reply->disconnect(this);
            request.reply->abort();
        }
    }
}

void DocsBuildClient::build(const QString &entityRef)
{
    if (m_requests.contains(entityRef))
        return;
    auto ref = Model::EntityRef::parse(entityRef);
    if (!ref) {
        Q_EMIT buildFailed(entityRef, tr("%1 is not an entity reference").arg(entityRef));
        return;
    }
    QUrl url = m_server;
    const QString base = url.path().endsWith(QLatin1Char('/')) ? url.path().chopped(1) : url.path();
    url.setPath(base + QStringLiteral("/api/techdocs/sync/%1/%2/%3").arg(ref->namespaceName(), ref->kind(), ref->name()));
    QNetworkRequest request(url);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setRawHeader("Accept", "text/event-stream");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(0);   // a build may take minutes; the server says when it is slow
    QNetworkReply *reply = m_network.get(request);
    m_requests.insert(entityRef, Request{reply, {}});
    connect(reply, &QNetworkReply::readyRead, this, [this, entityRef] { read(entityRef); });
    connect(reply, &QNetworkReply::finished, this, [this, entityRef] { end(entityRef); });
}

void DocsBuildClient::read(const QString &entityRef)
{
    auto request = m_requests.find(entityRef);
    if (request == m_requests.end() || !request->reply)
        return;
    QNetworkReply *reply = request->reply;
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return;   // an error body: read whole when it ends
    for (const EventStreamReader::Event &event : request->events.read(reply->readAll())) {
        const QJsonValue value = eventValue(event.data);
        if (event.name == "log") {
            Q_EMIT buildLog(entityRef, value.toString());
            continue;
        }
        if (event.name != "finish" && event.name != "error")
            continue;
        // Said how it ended: the request is over (before the signal, so a handler may ask again).
        reply->disconnect(this);
        reply->deleteLater();
        m_requests.erase(request);
        if (event.name == "finish")
            Q_EMIT buildFinished(entityRef, value[QLatin1String("updated")].toBool());
        else
            Q_EMIT buildFailed(entityRef, value.isString() ? value.toString() : QString::fromUtf8(event.data));
        return;
    }
}

void DocsBuildClient::end(const QString &entityRef)
{
    read(entityRef);
    auto request = m_requests.find(entityRef);
    if (request == m_requests.end())
        return;   // it said how it ended
    QNetworkReply *reply = request->reply;
    m_requests.erase(request);
    if (!reply)
        return;
    reply->deleteLater();
    if (reply->error() == QNetworkReply::OperationCanceledError)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        Q_EMIT buildFailed(entityRef, tr("Cannot reach %1: %2").arg(m_server.toString(), reply->errorString()));
    else if (status != 200)
        Q_EMIT buildFailed(entityRef, describeHttpError(reply, reply->readAll()));
    else
        Q_EMIT buildFailed(entityRef, tr("The server ended the build's event stream without saying how it ended"));
}

} // namespace Greenroom::Sync
