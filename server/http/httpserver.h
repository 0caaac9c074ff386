// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "compression.h"
#include "requestpolicy.h"
#include "router.h"

#include <auth/tokenauthenticator.h>

#include <QAbstractHttpServer>

namespace Greenroom::Server {

/*
 * Qt HttpServer underneath, our Router on top: every request is decoded into
 * an HttpRequest, dispatched, and answered; unknown routes get Backstage's
 * 404 with an empty body, oversized bodies a 413 in the error shape. With an
 * authenticator, every request but the health checks needs a valid token
 * (Backstage's default auth policy), checked before any route runs. Before
 * that, the RequestPolicy refuses foreign Hosts and Origins and answers CORS.
 */
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    // Express's JSON body limit (100 kB), which Backstage keeps.
    static constexpr qsizetype MaxBodyBytes = 100 * 1024;

    explicit HttpServer(QObject *parent = nullptr);
    Router &router() { return m_router; }
    // Requests are authenticated with `authenticator` (which must outlive the
    // server). With `allowAnonymous` (a server without configured tokens,
    // listening on loopback only) a request passes with no principal unless
    // it carries a user token, which must then verify.
    void setAuthenticator(const Auth::TokenAuthenticator *authenticator, bool allowAnonymous = false)
    {
        m_authenticator = authenticator;
        m_allowAnonymous = allowAnonymous;
    }
    // Hosts and origins allowed (by default loopback names and addresses only, no CORS).
    void setRequestPolicy(RequestPolicy policy) { m_policy = std::move(policy); }

    // Told of every answered request (after it was sent): its route pattern
    // (empty when none matched), status and time taken. For metrics and logs.
    using Observer = std::function<void(const HttpRequest &request, int status, double seconds)>;
    void setObserver(Observer observer) { m_observer = std::move(observer); }

    // Decodes Qt's request; exposed for tests.
    static HttpRequest decode(const QHttpServerRequest &request);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    // An error response when `request` may not pass; nullopt when it may.
    std::optional<HttpResponse> refused(HttpRequest &request) const;

    Router m_router;
    RequestPolicy m_policy;
    const Auth::TokenAuthenticator *m_authenticator = nullptr;
    bool m_allowAnonymous = false;
    Observer m_observer;
    std::shared_ptr<GzipMemo> m_gzipMemo = std::make_shared<GzipMemo>();   // shared with answers sent later
};

} // namespace Greenroom::Server
