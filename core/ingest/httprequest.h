// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <chrono>

namespace Greenroom::Ingest {

struct HttpCall
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    std::chrono::milliseconds timeout = std::chrono::seconds(60);
    qint64 maxBytes = 64 * 1024 * 1024;
};

struct HttpAnswer
{
    int status = 0;
    QString reason;
    QByteArray body;
    QByteArray location;   // the Location header, for redirects
    QList<QPair<QByteArray, QByteArray>> headers;   // every header, names as sent

    // A header's value (names compared without case); empty when absent.
    QByteArray header(const QByteArray &name) const;
};

/*
 * One HTTP request with QtNetwork, redirects not followed. Blocks the
 * calling thread (it runs its own event loop), so it may be called from any
 * thread. An error only when no HTTP answer came (refused, timed out,
 * bigger than maxBytes); every status is an answer.
 */
Result<HttpAnswer> sendHttpRequest(const HttpCall &call);

} // namespace Greenroom::Ingest
