// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "httpserver.h"

#include "compression.h"

#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QUrl>

Q_LOGGING_CATEGORY(lcHttp, "greenroom.http", QtInfoMsg)

namespace Greenroom::Server {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Head: return "HEAD";
    case QHttpServerRequest::Method::Options: return "OPTIONS";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    case QHttpServerRequest::Method::Connect: return "CONNECT";
    case QHttpServerRequest::Method::Trace: return "TRACE";
    default: break;
    }
    return "UNKNOWN";
}

// Query strings decode like Express's (qs): '+' is a space, then percent-decoding.
QString decodeQueryPart(QByteArray part)
{
    part.replace('+', ' ');
    return QUrl::fromPercentEncoding(part);
}

void send(QHttpServerResponder &responder, const HttpResponse &response)
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    responder.writeBody(response.body);
}

} // namespace

HttpServer::HttpServer(QObject *parent) : QAbstractHttpServer(parent) {}

HttpRequest HttpServer::decode(const QHttpServerRequest &request)
{
    HttpRequest decoded;
    decoded.method = methodName(request.method());
    const QUrl url = request.url();
    const QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    const QByteArray query = url.query(QUrl::FullyEncoded).toUtf8();
    decoded.rawTarget = query.isEmpty() ? path : path + '?' + query;
    for (const QByteArray &segment : path.split('/')) {
        if (!segment.isEmpty())
            decoded.segments.append(QUrl::fromPercentEncoding(segment));
    }
    decoded.path = QLatin1Char('/') + decoded.segments.join(QLatin1Char('/'));
    for (const QByteArray &pair : query.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        if (equals < 0)
            decoded.query.append({decodeQueryPart(pair), QString()});
        else
            decoded.query.append({decodeQueryPart(pair.left(equals)), decodeQueryPart(pair.mid(equals + 1))});
    }
    for (const auto &[name, value] : request.headers())
        decoded.headers.insert(name.toLower(), value);
    decoded.body = request.body();
    return decoded;
}

std::optional<HttpResponse> HttpServer::refused(HttpRequest &request) const
{
    if (!m_authenticator || m_authenticator->isPolicyDisabled())
        return std::nullopt;
    // Health checks stay open, as upstream's root health routes are, and so
    // does the auth backend (upstream's allows unauthenticated requests: it
    // is where people sign in, and where others fetch the keys tokens are
    // verified with), with the app's sign-in page it sends browsers to.
    const QStringList &segments = request.segments;
    if (segments == QStringList{QStringLiteral("healthcheck")}
        || (segments.size() == 4 && segments.at(0) == QLatin1String(".backstage") && segments.at(1) == QLatin1String("health"))
        || (segments.size() >= 2 && segments.at(0) == QLatin1String("api") && segments.at(1) == QLatin1String("auth"))
        || (segments.size() == 3 && segments.at(0) == QLatin1String("oauth2") && segments.at(1) == QLatin1String("authorize")))
        return std::nullopt;
    const bool plugin = segments.size() >= 2 && segments.at(0) == QLatin1String("api");
    if (plugin)
        request.mount = QStringLiteral("/api/") + segments.at(1);
    // Without configured tokens, other credentials (a person's token for the
    // scaffolder to pass on, say) mean nothing here and are let through as
    // before; a user token must verify, so an expired one is refreshed
    // rather than quietly read as a guest.
    if (m_allowAnonymous && !Auth::TokenAuthenticator::carriesUserToken(request.headers.value("authorization")))
        return std::nullopt;
    auto principal = m_authenticator->authenticate(request.headers.value("authorization"));
    if (!principal)
        return HttpResponse::error(principal.error(), request);
    request.principal = principal.value();
    if (plugin) {
        if (Status allowed = Auth::TokenAuthenticator::checkPlugin(principal.value(), segments.at(1)); !allowed)
            return HttpResponse::error(allowed.error(), request);
    }
    return std::nullopt;
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QElapsedTimer timer;
    timer.start();
    // The responder writes the head and the body apart: with Nagle's
    // algorithm the body then waits for the client's delayed ACK, 40 ms on
    // Linux, on a keep-alive connection (1 request in 50 of the search bench).
    if (!socket->property("greenroomNoDelay").toBool()) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        socket->setProperty("greenroomNoDelay", true);
    }
    HttpRequest decoded = decode(request);
    QHttpServerResponder responder = makeResponder(request, socket);
    const auto observe = [&](const HttpResponse &response) {
        if (m_observer)
            m_observer(decoded, response.status, double(timer.nsecsElapsed()) / 1e9);
    };
    if (std::optional<HttpResponse> foreign = m_policy.refused(decoded)) {
        send(responder, *foreign);
        observe(*foreign);
        return true;
    }
    if (std::optional<HttpResponse> preflight = m_policy.preflight(decoded)) {
        send(responder, *preflight);
        observe(*preflight);
        return true;
    }
    // Every answer from here on carries the CORS headers, as Backstage's cors middleware runs first.
    const QList<std::pair<QByteArray, QByteArray>> corsHeaders = m_policy.responseHeaders(decoded);
    const auto answer = [&](HttpResponse response) {
        appendCorsHeaders(response, corsHeaders);
        compressFor(decoded, response, m_gzipMemo.get());
        send(responder, response);
        observe(response);
    };
    if (std::optional<HttpResponse> refusal = refused(decoded)) {
        answer(*refusal);
        return true;
    }
    if (decoded.body.size() > MaxBodyBytes) {
        answer(HttpResponse::error({QStringLiteral("PayloadTooLargeError"), QStringLiteral("request entity too large")}, decoded));
        return true;
    }
    std::optional<HttpResponse> response = m_router.dispatch(decoded);
    if (response && response->deferred) {
        // Held until the handler completes it; dropped if the client leaves first.
        auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
        QPointer<QTcpSocket> connection(socket);
        std::shared_ptr<DeferredResponse> deferred = response->deferred;
        deferred->setSink([held, connection, observer = m_observer, decoded, timer, corsHeaders, memo = m_gzipMemo](HttpResponse later) {
            appendCorsHeaders(later, corsHeaders);
            compressFor(decoded, later, memo.get());
            if (connection && connection->state() == QAbstractSocket::ConnectedState) {
                send(*held, later);
                connection->flush();
            }
            if (observer)
                observer(decoded, later.status, double(timer.nsecsElapsed()) / 1e9);
        });
        connect(socket, &QAbstractSocket::disconnected, this, [weak = std::weak_ptr(deferred)] {
            if (std::shared_ptr<DeferredResponse> pending = weak.lock())
                pending->cancel();
        });
        return true;
    }
    if (response && response->stream) {
        responder.writeStatusLine(QHttpServerResponder::StatusCode(response->status));
        for (const auto &[name, value] : response->headers + corsHeaders)
            responder.writeHeader(name, value);
        responder.writeBody(QByteArray());   // ends the header block
        QPointer<QTcpSocket> connection(socket);
        std::shared_ptr<ResponseStream> stream = response->stream;
        ResponseStream::Sink sink;
        sink.write = [connection](const QByteArray &bytes) {
            if (connection && connection->state() == QAbstractSocket::ConnectedState) {
                connection->write(bytes);
                connection->flush();
            }
        };
        sink.close = [connection, observer = m_observer, decoded, timer, status = response->status] {
            if (connection) {
                connection->flush();
                connection->disconnectFromHost();
            }
            if (observer)
                observer(decoded, status, double(timer.nsecsElapsed()) / 1e9);
        };
        stream->setSink(std::move(sink));
        connect(socket, &QAbstractSocket::disconnected, this, [weak = std::weak_ptr(stream)] {
            if (std::shared_ptr<ResponseStream> open = weak.lock())
                open->cancel();
        });
        return true;
    }
    // Backstage's root router answers anything unknown with an empty 404.
    answer(response.value_or(HttpResponse::empty(404)));
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    send(responder, HttpResponse::empty(404));
}

} // namespace Greenroom::Server
