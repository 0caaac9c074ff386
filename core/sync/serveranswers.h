// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

class QNetworkReply;

namespace Greenroom::Sync {

// "401 Unauthorized: <the server's message>" from a Backstage-style error
// body ({"error": {"message": ...}}); the status alone without one.
QString describeHttpError(QNetworkReply *reply, const QByteArray &body);

// A request to `path` below the server's base URL ("/api/catalog/refresh"),
// with the user's token as a Bearer credential when there is one.
QNetworkRequest serverRequest(const QUrl &server, const QString &path, const QString &token);

/*
 * Splits a text/event-stream (server-sent events) as it arrives: the
 * scaffolder's task events and TechDocs' build log come this way. Blocks
 * end at a blank line; `event:` names one, `data:` lines carry its text
 * (joined with newlines, as browsers' EventSource joins them).
 */
class EventStreamReader
{
public:
    struct Event
    {
        QByteArray name;   // "message" when the block names none
        QByteArray data;
    };
    // The events `more` completes; a partial block waits for the next call.
    QList<Event> read(const QByteArray &more);

private:
    QByteArray m_pending;
};

} // namespace Greenroom::Sync
