// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

namespace Greenroom::Ingest {

namespace {

constexpr qint64 SecondaryWaitSeconds = 60;

QString gitHubMessage(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(QLatin1String("message")).toString();
}

} // namespace

GitHubClient::GitHubClient(GitHubIntegration integration, Options options) : m_integration(std::move(integration)), m_options(std::move(options))
{
    if (!m_options.sleep)
        m_options.sleep = [this](std::chrono::milliseconds wait) {
            // In slices, so a run whose timeout passes stops waiting.
            for (auto left = wait; left.count() > 0 && !(m_options.cancelled && m_options.cancelled()); left -= std::chrono::milliseconds(500))
                QThread::msleep(quint64(std::min<qint64>(left.count(), 500)));
        };
    if (!m_options.now)
        m_options.now = [] { return QDateTime::currentSecsSinceEpoch(); };
}

QString GitHubClient::graphqlUrl() const
{
    QString base = m_integration.apiBaseUrl;
    if (base.endsWith(QLatin1String("/api/v3")))
        return base.chopped(3) + QStringLiteral("/graphql");
    return base + QStringLiteral("/graphql");
}

std::optional<qint64> GitHubClient::rateLimitWait(const HttpAnswer &answer, bool *secondary) const
{
    *secondary = false;
    bool limited = false;
    if (answer.status == 200) {
        // GraphQL answers 200 with a RATE_LIMITED error when the points run out.
        const QJsonArray errors = QJsonDocument::fromJson(answer.body).object().value(QLatin1String("errors")).toArray();
        for (const QJsonValue &error : errors)
            limited = limited || error.toObject().value(QLatin1String("type")).toString() == QLatin1String("RATE_LIMITED");
        if (!limited)
            return std::nullopt;
    } else if (answer.status != 403 && answer.status != 429) {
        return std::nullopt;
    }
    if (answer.header("x-ratelimit-remaining") == "0") {
        const qint64 reset = answer.header("x-ratelimit-reset").toLongLong();
        return std::max<qint64>(reset - m_options.now(), 0) + 1;
    }
    if (limited)
        return SecondaryWaitSeconds;
    const QByteArray retryAfter = answer.header("retry-after");
    if (!retryAfter.isEmpty() || answer.status == 429 || gitHubMessage(answer.body).contains(QLatin1String("secondary rate limit"), Qt::CaseInsensitive)) {
        *secondary = true;
        return retryAfter.isEmpty() ? SecondaryWaitSeconds : std::max<qint64>(retryAfter.toLongLong(), 0);
    }
    return std::nullopt;   // a 403 that is about permissions
}

Result<HttpAnswer> GitHubClient::send(HttpCall call)
{
    call.timeout = m_options.timeout;
    const QString what = QString::fromLatin1(call.method) + QLatin1Char(' ') + call.url.toString(QUrl::RemoveQuery);
    for (int attempt = 0;; ++attempt) {
        if (m_options.cancelled && m_options.cancelled())
            return Error::internal(QStringLiteral("Stopped before %1: the run's timeout passed").arg(what));
        ++m_counters.requests;
        auto answer = sendHttpRequest(call);
        if (!answer)
            return answer.error();
        bool secondary = false;
        const std::optional<qint64> wait = rateLimitWait(answer.value(), &secondary);
        if (!wait)
            return answer;
        const QString kind = secondary ? QStringLiteral("Secondary rate limit exhausted") : QStringLiteral("Request quota exhausted");
        if (attempt >= m_options.maxRetries)
            return Error::internal(QStringLiteral("%1 for request %2 (rate limit exceeded)").arg(kind, what));
        const qint64 deadline = m_options.deadline ? m_options.deadline() : 0;
        if (deadline > 0 && m_options.now() + *wait > deadline)
            return Error::internal(QStringLiteral("%1 for request %2 (rate limit exceeded): waiting %3 s would pass the run's timeout")
                                       .arg(kind, what).arg(*wait));
        if (m_options.warn)
            m_options.warn(QStringLiteral("%1 for request %2; retrying after %3 seconds").arg(kind, what).arg(*wait));
        ++m_counters.rateLimitWaits;
        m_options.sleep(std::chrono::seconds(*wait));
    }
}

Result<QJsonObject> GitHubClient::graphql(const QString &owner, const QString &query, const QJsonObject &variables)
{
    auto credentialHeaders = m_integration.apiHeadersFor(owner, "Bearer");
    if (!credentialHeaders)
        return credentialHeaders.error();
    QList<QPair<QByteArray, QByteArray>> headers = credentialHeaders.value();
    headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("query"), query}, {QStringLiteral("variables"), variables}})
                                .toJson(QJsonDocument::Compact);
    auto answer = send({QByteArrayLiteral("POST"), QUrl(graphqlUrl()), headers, body});
    if (!answer)
        return answer.error();
    const QJsonObject reply = QJsonDocument::fromJson(answer->body).object();
    if (answer->status != 200) {
        const QString message = reply.value(QLatin1String("message")).toString();
        return Error::internal(QStringLiteral("GitHub GraphQL request failed, %1 %2%3")
                                   .arg(answer->status).arg(answer->reason, message.isEmpty() ? QString() : QStringLiteral(": ") + message));
    }
    const QJsonArray errors = reply.value(QLatin1String("errors")).toArray();
    if (!errors.isEmpty()) {
        // As @octokit/graphql: the first error's message, and how many there were.
        QStringList messages;
        for (const QJsonValue &error : errors)
            messages.append(error.toObject().value(QLatin1String("message")).toString());
        return Error::internal(QStringLiteral("Request failed due to following response errors:\n - ") + messages.join(QStringLiteral("\n - ")));
    }
    return reply.value(QLatin1String("data")).toObject();
}

Result<GitHubClient::RestAnswer> GitHubClient::get(const QString &owner, const QString &pathAndQuery)
{
    auto credentialHeaders = m_integration.apiHeadersFor(owner, "Bearer");
    if (!credentialHeaders)
        return credentialHeaders.error();
    QList<QPair<QByteArray, QByteArray>> headers = credentialHeaders.value();
    const QString url = m_integration.apiBaseUrl + pathAndQuery;
    const auto kept = m_kept.constFind(url);
    if (kept != m_kept.cend())
        headers.append({QByteArrayLiteral("If-None-Match"), kept->etag});
    auto answer = send({QByteArrayLiteral("GET"), QUrl(url), headers, {}});
    if (!answer)
        return answer.error();
    if (answer->status == 304 && kept != m_kept.cend()) {
        ++m_counters.notModified;
        return RestAnswer{200, kept->body, kept->link, true};
    }
    if (answer->status == 200) {
        if (const QByteArray etag = answer->header("ETag"); !etag.isEmpty())
            m_kept.insert(url, {etag, answer->body, answer->header("Link")});
    }
    return RestAnswer{answer->status, answer->body, answer->header("Link"), false};
}

} // namespace Greenroom::Ingest
