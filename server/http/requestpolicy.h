// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "httpmessage.h"

#include <QRegularExpression>

#include <optional>

namespace Greenroom::Server {

/*
 * Who may talk to the server from a browser, checked before any token.
 *
 * - Host: a web page can reach a loopback server through DNS rebinding (its
 *   own name made to resolve to 127.0.0.1), so a request is answered only
 *   when its Host names the server: the configured baseUrl's or listen
 *   host, a loopback name, or an IP address (rebinding needs a name).
 * - Origin: a state-changing request (POST, PUT, PATCH, DELETE) that a
 *   browser sent from a page of another origin is refused unless
 *   backend.cors allows that origin. Requests without Origin (curl, the
 *   desktop app, other backends) pass; browsers always send it on these.
 * - CORS: with backend.cors set, answers preflights and adds the response
 *   headers the way Backstage's `cors` middleware does (expressjs/cors with
 *   the options readCorsOptions makes); without it no CORS header is sent.
 */
struct CorsOptions
{
    // backend.cors.origin as minimatch patterns (nocase, noglobstar);
    // nullopt when unset, which cors answers as "*" (any origin).
    std::optional<QList<QRegularExpression>> origins;
    QByteArray methods = "GET,HEAD,PUT,PATCH,POST,DELETE";
    std::optional<QByteArray> allowedHeaders;   // unset: the preflight's request headers are reflected
    std::optional<QByteArray> exposedHeaders;
    bool credentials = false;
    std::optional<QByteArray> maxAge;
    int optionsSuccessStatus = 204;

    static QRegularExpression originPattern(const QString &pattern);
};

class RequestPolicy
{
public:
    // Host names (lower case, no port) the server answers to besides loopback names and IP addresses.
    void setAllowedHosts(const QStringList &hosts);
    void setCors(std::optional<CorsOptions> cors) { m_cors = std::move(cors); }

    // The refusal for a request that may not pass (a 403 in Backstage's error shape), or nullopt.
    std::optional<HttpResponse> refused(const HttpRequest &request) const;
    // A CORS preflight answered here (backend.cors allows its origin), or nullopt.
    std::optional<HttpResponse> preflight(const HttpRequest &request) const;
    // The CORS headers every answer to `request` carries.
    QList<std::pair<QByteArray, QByteArray>> responseHeaders(const HttpRequest &request) const;

private:
    bool hostAllowed(const QString &host) const;
    bool originAllowed(const QByteArray &origin) const;

    QStringList m_hosts;
    std::optional<CorsOptions> m_cors;
};

} // namespace Greenroom::Server
