// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "urlreader.h"

#include "httprequest.h"

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
    if (const GitHubIntegration *github = GitHubIntegration::forUrl(m_github, url))
        return readFromGitHub(*github, url);
    if (!m_allow.isAllowed(url))
        return Error(QStringLiteral("NotAllowedError"), notAllowedMessage(url));
    QUrl current = url;
    for (int redirects = 0; redirects < MaxRedirects; ++redirects) {
        if (!m_allow.isAllowed(current))
            return Error::internal(QStringLiteral("URL not allowed by backend.reading.allow configuration: %1")
                                       .arg(current.toString()));
        auto answer = sendHttpRequest({QByteArrayLiteral("GET"), current, {}, {}, m_timeout, m_maxBytes});
        if (!answer)
            return answer.error();
        const int status = answer->status;
        if (status >= 200 && status < 300)
            return answer->body;
        const bool redirect = status == 301 || status == 302 || status == 307 || status == 308;
        if (!redirect || answer->location.isEmpty()) {
            const QString message = QStringLiteral("could not read %1, %2 %3").arg(current.toString()).arg(status).arg(answer->reason);
            return Error(status == 404 ? QStringLiteral("NotFoundError") : QStringLiteral("Error"), message);
        }
        current = current.resolved(QUrl::fromEncoded(answer->location));
    }
    return Error::internal(QStringLiteral("Too many redirects (max %1) when reading %2").arg(MaxRedirects).arg(url.toString()));
}

Result<QByteArray> UrlReader::readFromGitHub(const GitHubIntegration &github, const QUrl &url) const
{
    auto fetchUrl = github.fileFetchUrl(url);
    if (!fetchUrl)
        return fetchUrl.error();
    HttpCall call{QByteArrayLiteral("GET"), fetchUrl.value(), github.apiHeaders(), {}, m_timeout, m_maxBytes};
    // The contents API answers with the file itself when asked for raw.
    call.headers[0].second = QByteArrayLiteral("application/vnd.github.v3.raw");
    auto answer = sendHttpRequest(call);
    if (!answer)
        return answer.error();
    if (answer->status >= 200 && answer->status < 300)
        return answer->body;
    const QString message = QStringLiteral("%1 could not be read as %2, %3 %4")
                                .arg(url.toString(), fetchUrl->toString(QUrl::RemoveQuery))
                                .arg(answer->status)
                                .arg(answer->reason);
    return Error(answer->status == 404 ? QStringLiteral("NotFoundError") : QStringLiteral("Error"), message);
}

} // namespace Greenroom::Ingest
