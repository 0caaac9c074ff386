// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "urlreader.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace Greenroom::Ingest {

namespace {

constexpr int MaxRedirects = 5;

} // namespace

UrlReader::UrlReader(ReadingAllowList allow, std::chrono::milliseconds timeout, qint64 maxBytes)
    : m_allow(std::move(allow)), m_timeout(timeout), m_maxBytes(maxBytes)
{
}

QString UrlReader::notAllowedMessage(const QUrl &url)
{
    return QStringLiteral("Reading from '%1' is not allowed. You may need to configure an integration for the target "
                          "host, or add it to the configured list of allowed hosts at 'backend.reading.allow'")
        .arg(url.toString());
}

Result<QByteArray> UrlReader::read(const QUrl &url) const
{
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return Error::input(QStringLiteral("Invalid URL %1, only http and https URLs can be read").arg(url.toString()));
    if (!m_allow.isAllowed(url))
        return Error(QStringLiteral("NotAllowedError"), notAllowedMessage(url));

    QNetworkAccessManager network;
    network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    QUrl current = url;
    for (int redirects = 0; redirects < MaxRedirects; ++redirects) {
        if (!m_allow.isAllowed(current))
            return Error::internal(QStringLiteral("URL not allowed by backend.reading.allow configuration: %1")
                                       .arg(current.toString()));
        QNetworkRequest request(current);
        request.setTransferTimeout(int(m_timeout.count()));
        QNetworkReply *reply = network.get(request);
        QByteArray body;
        bool tooLarge = false;
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
            body += reply->readAll();
            if (body.size() > m_maxBytes) {
                tooLarge = true;
                reply->abort();
            }
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        body += reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        const QNetworkReply::NetworkError networkError = reply->error();
        const QString errorText = reply->errorString();
        const QByteArray location = reply->rawHeader("Location");
        reply->deleteLater();
        if (tooLarge)
            return Error::input(QStringLiteral("could not read %1, the response is larger than %2 bytes")
                                    .arg(current.toString()).arg(m_maxBytes));
        if (status == 0)
            return Error::internal(QStringLiteral("Unable to read %1, %2").arg(current.toString(), errorText));
        if (status >= 200 && status < 300 && networkError == QNetworkReply::NoError)
            return body;
        const bool redirect = status == 301 || status == 302 || status == 307 || status == 308;
        if (!redirect || location.isEmpty()) {
            const QString message = QStringLiteral("could not read %1, %2 %3").arg(current.toString()).arg(status).arg(reason);
            return Error(status == 404 ? QStringLiteral("NotFoundError") : QStringLiteral("Error"), message);
        }
        current = current.resolved(QUrl::fromEncoded(location));
    }
    return Error::internal(QStringLiteral("Too many redirects (max %1) when reading %2").arg(MaxRedirects).arg(url.toString()));
}

} // namespace Greenroom::Ingest
