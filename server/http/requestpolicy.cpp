// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "requestpolicy.h"

#include <common/glob.h>

#include <QHostAddress>
#include <QUrl>

namespace Greenroom::Server {

namespace {

// The host name of a Host header ("name:port", "[::1]:port"), lower case, without port or final dot.
QString hostName(const QByteArray &header)
{
    QString host = QString::fromLatin1(header).trimmed().toLower();
    if (host.startsWith(QLatin1Char('['))) {
        const qsizetype end = host.indexOf(QLatin1Char(']'));
        return end < 0 ? host : host.mid(1, end - 1);
    }
    if (host.count(QLatin1Char(':')) == 1)
        host.truncate(host.indexOf(QLatin1Char(':')));
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    return host;
}

bool changesState(const QByteArray &method)
{
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

HttpResponse notAllowed(const QString &message, const HttpRequest &request)
{
    return HttpResponse::error({QStringLiteral("NotAllowedError"), message}, request);
}

} // namespace

QRegularExpression CorsOptions::originPattern(const QString &pattern)
{
    // minimatch with noglobstar: `**` is no more than `*`.
    QString glob = pattern;
    while (glob.contains(QLatin1String("**")))
        glob.replace(QLatin1String("**"), QLatin1String("*"));
    return Glob::globToRegularExpression(glob, Qt::CaseInsensitive);
}

void RequestPolicy::setAllowedHosts(const QStringList &hosts)
{
    m_hosts.clear();
    for (const QString &host : hosts)
        m_hosts.append(hostName(host.toLatin1()));
}

bool RequestPolicy::hostAllowed(const QString &host) const
{
    if (host.isEmpty() || host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return true;
    if (!QHostAddress(host).isNull())
        return true;   // an address, not a name: DNS rebinding needs a name
    return m_hosts.contains(host);
}

bool RequestPolicy::originAllowed(const QByteArray &origin) const
{
    if (!m_cors)
        return false;
    if (!m_cors->origins)
        return true;   // backend.cors without origin: cors' default "*"
    const QString text = QString::fromLatin1(origin);
    for (const QRegularExpression &pattern : *m_cors->origins) {
        if (pattern.match(text).hasMatch())
            return true;
    }
    return false;
}

std::optional<HttpResponse> RequestPolicy::refused(const HttpRequest &request) const
{
    const QByteArray host = request.headers.value("host");
    if (!hostAllowed(hostName(host)))
        return notAllowed(QStringLiteral("Host '%1' is not allowed: it names neither this server's baseUrl nor loopback")
                              .arg(QString::fromLatin1(host)), request);
    const auto origin = request.headers.constFind("origin");
    if (origin == request.headers.cend() || !changesState(request.method))
        return std::nullopt;
    // The server's own pages (same origin as the Host asked for) may change things.
    const QUrl url(QString::fromLatin1(origin.value()));
    const bool sameOrigin = url.isValid() && !url.host().isEmpty()
                            && url.authority().compare(QString::fromLatin1(host).trimmed(), Qt::CaseInsensitive) == 0;
    if (sameOrigin || originAllowed(origin.value()))
        return std::nullopt;
    return notAllowed(QStringLiteral("Origin '%1' is not allowed to change anything here; list it in backend.cors.origin")
                          .arg(QString::fromLatin1(origin.value())), request);
}

std::optional<HttpResponse> RequestPolicy::preflight(const HttpRequest &request) const
{
    if (request.method != "OPTIONS" || !m_cors)
        return std::nullopt;
    // cors only steps in when the origin is allowed (with no patterns: always).
    if (m_cors->origins && !originAllowed(request.headers.value("origin")))
        return std::nullopt;
    HttpResponse response = HttpResponse::empty(m_cors->optionsSuccessStatus);
    response.headers = responseHeaders(request);
    return response;
}

QList<std::pair<QByteArray, QByteArray>> RequestPolicy::responseHeaders(const HttpRequest &request) const
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    const auto add = [&headers](const QByteArray &name, const QByteArray &value) { headers.append({name, value}); };
    if (!m_cors)
        return headers;
    const QByteArray origin = request.headers.value("origin");
    if (m_cors->origins && !originAllowed(origin))
        return headers;
    QByteArrayList vary;
    if (m_cors->origins) {
        add("Access-Control-Allow-Origin", origin);
        vary.append("Origin");
    } else {
        add("Access-Control-Allow-Origin", "*");
    }
    if (m_cors->credentials)
        add("Access-Control-Allow-Credentials", "true");
    if (request.method == "OPTIONS") {
        add("Access-Control-Allow-Methods", m_cors->methods);
        if (!m_cors->allowedHeaders) {
            const QByteArray asked = request.headers.value("access-control-request-headers");
            vary.append("Access-Control-Request-Headers");
            if (!asked.isEmpty())
                add("Access-Control-Allow-Headers", asked);
        } else if (!m_cors->allowedHeaders->isEmpty()) {
            add("Access-Control-Allow-Headers", *m_cors->allowedHeaders);
        }
        if (m_cors->maxAge)
            add("Access-Control-Max-Age", *m_cors->maxAge);
    }
    if (m_cors->exposedHeaders && !m_cors->exposedHeaders->isEmpty())
        add("Access-Control-Expose-Headers", *m_cors->exposedHeaders);
    if (!vary.isEmpty())
        add("Vary", vary.join(", "));
    return headers;
}

} // namespace Greenroom::Server
