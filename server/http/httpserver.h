// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "router.h"

#include <QAbstractHttpServer>

namespace Greenroom::Server {

/*
 * Qt HttpServer underneath, our Router on top: every request is decoded into
 * an HttpRequest, dispatched, and answered; unknown routes get Backstage's
 * 404 with an empty body, oversized bodies a 413 in the error shape.
 */
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    // Express's JSON body limit (100 kB), which Backstage keeps.
    static constexpr qsizetype MaxBodyBytes = 100 * 1024;

    explicit HttpServer(QObject *parent = nullptr);
    Router &router() { return m_router; }

    // Decodes Qt's request; exposed for tests.
    static HttpRequest decode(const QHttpServerRequest &request);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Router m_router;
};

} // namespace Greenroom::Server
