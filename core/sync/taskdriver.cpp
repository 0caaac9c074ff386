// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "taskdriver.h"

#include <QJsonDocument>
#include <QNetworkReply>

namespace Greenroom::Sync {

TaskDriver::TaskDriver(QUrl server, QString token, QObject *parent) : QObject(parent), m_server(std::move(server)), m_token(std::move(token)) {}

QString TaskDriver::endStatus(const QJsonObject &completion)
{
    return completion.value(QLatin1String("status")).toString() == QLatin1String("cancelled") ? QStringLiteral("cancelled")
           : completion.contains(QLatin1String("error"))                                      ? QStringLiteral("failed")
                                                                                                : QStringLiteral("completed");
}

QString TaskDriver::endMessage(const QJsonObject &completion)
{
    const bool cancelled = endStatus(completion) == QLatin1String("cancelled");
    return completion.value(QLatin1String("error"))[QLatin1String("message")].toString(cancelled ? completion.value(QLatin1String("message")).toString()
                                                                                                 : QString());
}

QNetworkRequest TaskDriver::request(const QString &path) const
{
    QUrl url = m_server;
    const QString route = path.section(QLatin1Char('?'), 0, 0);
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + QStringLiteral("/api/scaffolder/v2") + route);
    if (path.contains(QLatin1Char('?')))
        url.setQuery(path.section(QLatin1Char('?'), 1));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    return request;
}

bool TaskDriver::failedReply(QNetworkReply *reply, const QByteArray &body)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 200 && status < 300)
        return false;
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    if (status == 0) {
        Q_EMIT requestFailed(tr("Cannot reach %1: %2").arg(m_server.toString(), reply->errorString()), {});
    } else if (answer.contains(QLatin1String("errors"))) {
        Q_EMIT requestFailed(tr("The server refused the answers"), answer.value(QLatin1String("errors")).toArray());
    } else {
        const QString message = answer.value(QLatin1String("error"))[QLatin1String("message")].toString();
        Q_EMIT requestFailed(message.isEmpty() ? tr("The server answered %1 %2").arg(status).arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString())
                                               : message,
                             {});
    }
    return true;
}

} // namespace Greenroom::Sync
