// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "serveranswers.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QNetworkReply>

namespace Greenroom::Sync {

QNetworkRequest serverRequest(const QUrl &server, const QString &path, const QString &token)
{
    QNetworkRequest request(QUrl(server.toString(QUrl::StripTrailingSlash) + path));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    return request;
}

QString describeHttpError(QNetworkReply *reply, const QByteArray &body)
{
    const QString message = QJsonDocument::fromJson(body)[QLatin1String("error")][QLatin1String("message")].toString();
    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    QString text = QStringLiteral("%1 %2").arg(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()).arg(reason).trimmed();
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    return text;
}

QList<EventStreamReader::Event> EventStreamReader::read(const QByteArray &more)
{
    m_pending += more;
    m_pending.replace("\r\n", "\n");
    QList<Event> events;
    for (qsizetype end = m_pending.indexOf("\n\n"); end >= 0; end = m_pending.indexOf("\n\n")) {
        const QByteArray block = m_pending.left(end);
        m_pending.remove(0, end + 2);
        Event event{"message", {}};
        bool hasData = false;
        for (const QByteArray &line : block.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray field = colon < 0 ? line : line.left(colon);
            QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
            if (value.startsWith(' '))
                value.remove(0, 1);
            if (field == "event") {
                event.name = value;
            } else if (field == "data") {
                if (hasData)
                    event.data += '\n';
                event.data += value;
                hasData = true;
            }
        }
        if (hasData)
            events.append(event);
    }
    return events;
}

} // namespace Greenroom::Sync
