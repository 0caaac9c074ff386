// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "router.h"

namespace Greenroom::Server {

void Router::add(const QByteArray &method, const QString &mount, const QString &pattern, Handler handler)
{
    m_routes.append({method, mount, (mount + pattern).split(QLatin1Char('/'), Qt::SkipEmptyParts), mount + pattern,
                     std::move(handler)});
}

std::optional<HttpResponse> Router::dispatch(HttpRequest &request) const
{
    for (const Route &route : m_routes) {
        // A last segment `*` matches whatever follows (Express's `/*`).
        const bool rest = !route.pattern.isEmpty() && route.pattern.last() == QLatin1String("*");
        const qsizetype fixed = rest ? route.pattern.size() - 1 : route.pattern.size();
        if (route.method != request.method || (rest ? request.segments.size() < fixed : fixed != request.segments.size()))
            continue;
        QHash<QString, QString> params;
        bool matches = true;
        for (qsizetype i = 0; i < fixed && matches; ++i) {
            const QString &part = route.pattern.at(i);
            if (part.startsWith(QLatin1Char(':')))
                params.insert(part.mid(1), request.segments.at(i));
            else
                matches = part == request.segments.at(i);
        }
        if (!matches)
            continue;
        request.params = params;
        request.mount = route.mount;
        request.route = route.name;
        return route.handler(request);
    }
    return std::nullopt;
}

} // namespace Greenroom::Server
