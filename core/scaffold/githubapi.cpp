// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubapi_p.h"

#include <ingest/httprequest.h>

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace Greenroom::Scaffold {

Result<GitHubApi::Answer> GitHubApi::call(const QByteArray &method, const QString &path, const QJsonValue &body) const
{
    Ingest::HttpCall request{method, QUrl(m_integration.apiBaseUrl + path), m_integration.apiHeaders(), {}};
    request.maxBytes = 16 * 1024 * 1024;
    if (!body.isUndefined()) {
        request.body = body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                       : QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
        request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    }
    auto answer = Ingest::sendHttpRequest(request);
    if (!answer)
        return answer.error();
    Answer result;
    result.status = answer->status;
    const QJsonDocument document = QJsonDocument::fromJson(answer->body);
    result.body = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    if (!result.ok()) {
        const QJsonObject error = document.object();
        QStringList parts{error.value(QLatin1String("message")).toString(answer->reason)};
        for (const QJsonValue &detail : error.value(QLatin1String("errors")).toArray()) {
            const QString text = detail.isObject() ? detail[QLatin1String("message")].toString(detail[QLatin1String("code")].toString())
                                                   : detail.toString();
            if (!text.isEmpty())
                parts.append(text);
        }
        result.message = QStringLiteral("%1 (HTTP %2)").arg(parts.join(QStringLiteral(": "))).arg(result.status);
    }
    return result;
}

Result<QJsonArray> GitHubApi::all(const QString &path) const
{
    QJsonArray items;
    const QChar joiner = path.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?');
    for (int page = 1; page < 1000; ++page) {
        auto answer = call("GET", path + joiner + QStringLiteral("per_page=100&page=%1").arg(page));
        if (!answer)
            return answer.error();
        if (!answer->ok()) {
            // GitHub's status goes on, as Backstage's error handler passes an octokit error's status on.
            static const QHash<int, QString> names{{401, QStringLiteral("AuthenticationError")}, {403, QStringLiteral("NotAllowedError")},
                                                   {404, QStringLiteral("NotFoundError")}};
            return Error(names.value(answer->status, QStringLiteral("Error")), answer->message);
        }
        const QJsonArray chunk = answer->body.toArray();
        for (const QJsonValue &item : chunk)
            items.append(item);
        if (chunk.size() < 100)
            break;
    }
    return items;
}

} // namespace Greenroom::Scaffold
