// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "httpmessage.h"

#include <functional>
#include <optional>

namespace Greenroom::Server {

/*
 * Method + path routing with Express's rules: patterns are segments, `:name`
 * captures one (percent-decoded) segment, a last `*` matches any rest, routes are tried in the order they
 * were added, so literal routes go before the parameter routes they overlap
 * (`/locations/by-query` before `/locations/:id`). Written here rather than
 * using QHttpServerRouter because Qt 6.4's router matches on the undecoded
 * URL and cannot tell "no such route" from "no such method".
 */
class Router
{
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    // `mount` is the plugin's base ("/api/catalog"); error bodies report paths below it.
    void add(const QByteArray &method, const QString &mount, const QString &pattern, Handler handler);
    // The response of the first matching route; nullopt when none matches.
    std::optional<HttpResponse> dispatch(HttpRequest &request) const;

private:
    struct Route
    {
        QByteArray method;
        QString mount;
        QStringList pattern;   // segments of mount + pattern
        QString name;          // mount + pattern as written
        Handler handler;
    };
    QList<Route> m_routes;
};

} // namespace Greenroom::Server
