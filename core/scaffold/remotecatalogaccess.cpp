// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "remotecatalogaccess.h"

#include <ingest/httprequest.h>
#include <model/entityref.h>

#include <QJsonDocument>
#include <QUrlQuery>

namespace Greenroom::Scaffold {

RemoteCatalogAccess::RemoteCatalogAccess(QUrl server, QString token) : m_server(std::move(server)), m_token(std::move(token)) {}

Result<RemoteCatalogAccess::Answer> RemoteCatalogAccess::call(const QByteArray &method, const QString &path, const QByteArray &query,
                                                              const QJsonObject &body) const
{
    Ingest::HttpCall request;
    request.method = method;
    request.url = m_server;
    request.url.setPath(m_server.path().chopped(m_server.path().endsWith(QLatin1Char('/')) ? 1 : 0) + QStringLiteral("/api/catalog") + path);
    if (!query.isEmpty())
        request.url.setQuery(QString::fromUtf8(query));
    request.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    if (!m_token.isEmpty())
        request.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + m_token.toUtf8()});
    if (method == "POST") {
        request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    const QString where = QStringLiteral("%1 %2").arg(QString::fromLatin1(method), request.url.toString(QUrl::RemoveUserInfo));
    auto answer = Ingest::sendHttpRequest(request);
    if (!answer)
        return Error(answer.error().name, QStringLiteral("The catalog at %1 cannot be reached (%2): %3").arg(m_server.toString(), where, answer.error().message));
    const QJsonDocument document = QJsonDocument::fromJson(answer->body);
    if (answer->status >= 400) {
        // Backstage's error body {error: {name, message}}; else the status says it.
        const QJsonObject error = document.object().value(QLatin1String("error")).toObject();
        if (answer->status == 404 && method == "GET")
            return Answer{404, {}};
        return Error(error.value(QLatin1String("name")).toString(QStringLiteral("Error")),
                     error.contains(QLatin1String("message"))
                         ? error.value(QLatin1String("message")).toString()
                         : QStringLiteral("%1 answered %2 %3").arg(where).arg(answer->status).arg(answer->reason));
    }
    if (document.isNull())
        return Error::internal(QStringLiteral("%1 answered something that is not JSON").arg(where));
    return Answer{answer->status, document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array())};
}

Status RemoteCatalogAccess::addLocation(const QString &type, const QString &target)
{
    auto answer = call("POST", QStringLiteral("/locations"), {}, QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("target"), target}});
    if (!answer)
        return answer.error();
    return Ok{};
}

Result<QJsonArray> RemoteCatalogAccess::previewLocation(const QString &type, const QString &target)
{
    auto answer = call("POST", QStringLiteral("/locations"), "dryRun=true",
                       QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("target"), target}});
    if (!answer)
        return answer.error();
    return answer->body[QLatin1String("entities")].toArray();
}

Result<std::optional<QJsonObject>> RemoteCatalogAccess::entityByRef(const QString &ref)
{
    auto parsed = Model::EntityRef::parse(ref);
    if (!parsed)
        return parsed.error();
    const QString path = QStringLiteral("/entities/by-name/%1/%2/%3")
                             .arg(QString::fromUtf8(QUrl::toPercentEncoding(parsed->kind())), QString::fromUtf8(QUrl::toPercentEncoding(parsed->namespaceName())),
                                  QString::fromUtf8(QUrl::toPercentEncoding(parsed->name())));
    auto answer = call("GET", path);
    if (!answer)
        return answer.error();
    if (answer->status == 404)
        return std::optional<QJsonObject>();
    return std::optional<QJsonObject>(answer->body.toObject());
}

} // namespace Greenroom::Scaffold
