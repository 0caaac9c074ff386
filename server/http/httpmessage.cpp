// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "httpmessage.h"

#include <QFutureWatcher>
#include <QJsonArray>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <QJsonObject>

namespace Greenroom::Server {

bool HttpRequest::hasQuery(const QString &name) const
{
    for (const auto &[key, value] : query) {
        if (key == name)
            return true;
    }
    return false;
}

QStringList HttpRequest::queryValues(const QString &name) const
{
    QStringList values;
    for (const auto &[key, value] : query) {
        if (key == name)
            values.append(value);
    }
    return values;
}

QString HttpRequest::mountRelativeTarget() const
{
    const QString target = QString::fromUtf8(rawTarget);
    if (!mount.isEmpty() && target.startsWith(mount))
        return target.mid(mount.size());
    return target;
}

int statusForError(const QString &name)
{
    static const QHash<QString, int> statuses{
        {QStringLiteral("NotModifiedError"), 304},     {QStringLiteral("InputError"), 400},
        {QStringLiteral("AuthenticationError"), 401},  {QStringLiteral("NotAllowedError"), 403},
        {QStringLiteral("NotFoundError"), 404},        {QStringLiteral("ConflictError"), 409},
        {QStringLiteral("PayloadTooLargeError"), 413}, {QStringLiteral("NotImplementedError"), 501},
        {QStringLiteral("ServiceUnavailableError"), 503},
        {QStringLiteral("ResyncRequiredError"), 410},   // Greenroom's sync feed
    };
    return statuses.value(name, 500);
}

HttpResponse HttpResponse::json(const QJsonDocument &document, int status)
{
    return jsonBytes(document.toJson(QJsonDocument::Compact), status);
}

HttpResponse HttpResponse::jsonBytes(QByteArray body, int status)
{
    HttpResponse response;
    response.status = status;
    response.headers.append(std::pair(QByteArray("Content-Type"), QByteArray("application/json; charset=utf-8")));
    response.body = std::move(body);
    return response;
}

HttpResponse HttpResponse::json(const QJsonObject &object, int status)
{
    return json(QJsonDocument(object), status);
}

HttpResponse HttpResponse::json(const QJsonArray &array, int status)
{
    return json(QJsonDocument(array), status);
}

HttpResponse HttpResponse::empty(int status)
{
    HttpResponse response;
    response.status = status;
    return response;
}

HttpResponse answerFromWorker(QThreadPool &pool, QObject *context, std::function<HttpResponse()> work)
{
    auto deferred = std::make_shared<DeferredResponse>();
    // A watcher owned by `context`: if that goes first, so does the answer.
    auto *watcher = new QFutureWatcher<HttpResponse>(context);
    QObject::connect(watcher, &QFutureWatcher<HttpResponse>::finished, context, [watcher, deferred] {
        deferred->complete(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(&pool, std::move(work)));
    return HttpResponse::later(deferred);
}

HttpResponse HttpResponse::later(std::shared_ptr<DeferredResponse> deferred)
{
    HttpResponse response;
    response.deferred = std::move(deferred);
    return response;
}

HttpResponse HttpResponse::streamed(std::shared_ptr<ResponseStream> stream, QList<std::pair<QByteArray, QByteArray>> headers)
{
    HttpResponse response;
    response.stream = std::move(stream);
    response.headers = std::move(headers);
    return response;
}

void ResponseStream::write(const QByteArray &bytes)
{
    if (m_closed || m_closeRequested)
        return;
    if (m_sink.write)
        m_sink.write(bytes);
    else
        m_pending += bytes;
}

void ResponseStream::close()
{
    if (m_closed)
        return;
    if (!m_sink.close) {
        m_closeRequested = true;
        return;
    }
    m_closed = true;
    std::exchange(m_sink, {}).close();
}

void ResponseStream::setSink(Sink sink)
{
    m_sink = std::move(sink);
    if (!m_pending.isEmpty())
        m_sink.write(std::exchange(m_pending, {}));
    if (m_closeRequested)
        close();
}

void ResponseStream::cancel()
{
    m_closed = true;
    m_sink = {};
}

void DeferredResponse::complete(const HttpResponse &response)
{
    if (m_done)
        return;
    m_done = true;
    if (m_sink)
        std::exchange(m_sink, {})(response);
}

void DeferredResponse::cancel()
{
    m_done = true;
    m_sink = {};
}

HttpResponse HttpResponse::error(const Error &error, const HttpRequest &request)
{
    const int status = statusForError(error.name);
    // Internal errors are logged by the server; clients get no details of them.
    const bool internal = status == 500;
    const QJsonObject body{
        {QStringLiteral("error"),
         QJsonObject{{QStringLiteral("name"), internal ? QStringLiteral("Error") : error.name},
                     {QStringLiteral("message"), internal ? QStringLiteral("An internal error occurred") : error.message}}},
        {QStringLiteral("request"),
         QJsonObject{{QStringLiteral("method"), QString::fromLatin1(request.method)},
                     {QStringLiteral("url"), request.mountRelativeTarget()}}},
        {QStringLiteral("response"), QJsonObject{{QStringLiteral("statusCode"), status}}},
    };
    return json(body, status);
}

} // namespace Greenroom::Server
