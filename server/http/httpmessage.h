// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <auth/tokenauthenticator.h>
#include <common/error.h>

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QList>
#include <QString>
#include <QStringList>

class QObject;
class QThreadPool;

#include <functional>
#include <memory>

namespace Greenroom::Server {

// A request as route handlers see it: path segments and query values already
// percent-decoded (the query the way Express's parser decodes it: '+' is a space).
struct HttpRequest
{
    QByteArray method;                              // GET, POST, ...
    QString path;                                   // decoded, for logs
    QByteArray rawTarget;                           // path?query as received
    QStringList segments;                           // decoded path segments
    QList<std::pair<QString, QString>> query;       // in order, repeats kept
    QHash<QByteArray, QByteArray> headers;          // names lower-cased
    QByteArray body;
    QHash<QString, QString> params;                 // :name captures of the matched route
    QString mount;                                  // "/api/catalog" for plugin routes
    QString route;                                  // the matched pattern ("/api/catalog/locations/:id")
    Auth::Principal principal;                      // who sent it; None when the server checks no tokens

    bool hasQuery(const QString &name) const;
    QStringList queryValues(const QString &name) const;
    // The target relative to the plugin mount, as Backstage reports it in
    // error bodies and Link headers ("/entities?filter=...").
    QString mountRelativeTarget() const;
};

class DeferredResponse;
class ResponseStream;

struct HttpResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // Set when the handler answers later (long-poll): the server keeps the
    // connection open until the handler calls complete() on it.
    std::shared_ptr<DeferredResponse> deferred;
    // Set for a body written bit by bit (server-sent events): the status and
    // headers go at once, then whatever the handler writes, until it closes
    // the stream (the connection ends there; there is no Content-Length).
    std::shared_ptr<ResponseStream> stream;

    static HttpResponse json(const QJsonDocument &document, int status = 200);
    static HttpResponse json(const QJsonObject &object, int status = 200);
    static HttpResponse json(const QJsonArray &array, int status = 200);
    // A body already serialised as JSON.
    static HttpResponse jsonBytes(QByteArray body, int status = 200);
    static HttpResponse empty(int status);
    static HttpResponse later(std::shared_ptr<DeferredResponse> deferred);
    static HttpResponse streamed(std::shared_ptr<ResponseStream> stream, QList<std::pair<QByteArray, QByteArray>> headers);
    // Backstage's error body: {error: {name, message}, request: {method, url}, response: {statusCode}}.
    static HttpResponse error(const Error &error, const HttpRequest &request);
};

/*
 * The handler's end of a response sent later. complete() sends it (once);
 * isOpen() turns false when it was sent or the client went away, so a handler
 * can drop waiters nobody listens to any more.
 */
class DeferredResponse
{
public:
    void complete(const HttpResponse &response);
    bool isOpen() const { return !m_done; }

    // The server's end: where the response goes, and when the client left.
    void setSink(std::function<void(const HttpResponse &)> sink) { m_sink = std::move(sink); }
    void cancel();

private:
    std::function<void(const HttpResponse &)> m_sink;
    bool m_done = false;
};

/*
 * The handler's end of a streamed body. What is written before the server
 * attached its end is kept for it; after the client left, writes go nowhere
 * and isOpen() is false.
 */
class ResponseStream
{
public:
    void write(const QByteArray &bytes);
    void close();
    bool isOpen() const { return !m_closed; }

    // The server's end.
    struct Sink
    {
        std::function<void(const QByteArray &)> write;
        std::function<void()> close;
    };
    void setSink(Sink sink);
    void cancel();

private:
    Sink m_sink;
    QByteArray m_pending;
    bool m_closed = false;
    bool m_closeRequested = false;
};

// Backstage's status for an error name (InputError 400, NotFoundError 404, ...).
int statusForError(const QString &name);

/*
 * Runs `work` on `pool`, off the HTTP thread, and answers the request with
 * what it returns once it is done, other requests going on meanwhile. The
 * answer is sent from `context`'s thread; when `context` is gone by then
 * (the server stopping), nothing is sent.
 */
HttpResponse answerFromWorker(QThreadPool &pool, QObject *context, std::function<HttpResponse()> work);

} // namespace Greenroom::Server
