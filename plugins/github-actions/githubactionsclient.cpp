// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubactionsclient.h"

#include <upstreamurl.h>

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace Greenroom::Plugins::GitHubActions {

namespace {

// Backstage's getHostnameFromEntity: the source location's host, for url: values only.
QString hostOf(const QJsonObject &annotations)
{
    for (const char *key : {"backstage.io/source-location", "backstage.io/managed-by-location"}) {
        const QString value = annotations.value(QLatin1String(key)).toString();
        if (value.isEmpty())
            continue;
        if (!value.startsWith(QLatin1String("url:")))
            return QStringLiteral("github.com");
        const QUrl url(value.mid(4));
        if (url.host().isEmpty())
            return QStringLiteral("github.com");
        return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
    }
    return QStringLiteral("github.com");
}

} // namespace

std::optional<Repository> Repository::of(const QJsonObject &entity, const QJsonValue &githubIntegrations)
{
    const QJsonObject annotations = entity.value(QLatin1String("metadata"))[QLatin1String("annotations")].toObject();
    const QStringList slug = annotations.value(QLatin1String("github.com/project-slug")).toString().split(QLatin1Char('/'));
    if (slug.size() != 2 || slug[0].isEmpty() || slug[1].isEmpty())
        return std::nullopt;
    Repository repository{hostOf(annotations), slug[0], slug[1], {}};
    for (const QJsonValue &integration : githubIntegrations.toArray()) {
        if (integration[QLatin1String("host")].toString() == repository.host && integration[QLatin1String("apiBaseUrl")].isString())
            repository.apiBase = QUrl(integration[QLatin1String("apiBaseUrl")].toString());
    }
    if (repository.apiBase.isEmpty())
        repository.apiBase = QUrl(repository.host == QLatin1String("github.com") ? QStringLiteral("https://api.github.com")
                                                                                : QStringLiteral("https://%1/api/v3").arg(repository.host));
    return repository;
}

Client::Client(QNetworkAccessManager *network, Repository repository, QString token, QObject *parent)
    : QObject(parent), m_network(network), m_repository(std::move(repository)), m_token(std::move(token))
{
}

QNetworkReply *Client::send(const QByteArray &method, const QString &path, const QList<std::pair<QString, QString>> &query)
{
    if (!m_network)
        return nullptr;
    const QUrl url = Support::upstreamUrl(m_repository.apiBase, QStringLiteral("/repos/%1/%2").arg(Support::pathSegment(m_repository.owner), Support::pathSegment(m_repository.name)) + path,
                                          query);
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/vnd.github+json");
    request.setRawHeader("X-GitHub-Api-Version", "2022-11-28");
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "token " + m_token.toUtf8());
    request.setTransferTimeout(m_timeoutMs);
    return m_network->sendCustomRequest(request, method);
}

void Client::finish(QNetworkReply *reply, int expected, std::function<void(const QJsonDocument &, const QString &)> done)
{
    if (!reply) {
        done({}, tr("No network access to reach GitHub with"));
        return;
    }
    connect(reply, &QNetworkReply::finished, this, [this, reply, expected, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        const QJsonDocument json = QJsonDocument::fromJson(body);
        if (status == expected) {
            done(json, {});
            return;
        }
        const QString api = m_repository.apiBase.toString();
        if (reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError) {
            done({}, tr("GitHub at %1 did not answer within %2 s").arg(api).arg(m_timeoutMs / 1000.0));
            return;
        }
        if (status == 0) {
            done({}, tr("Cannot reach GitHub at %1: %2").arg(api, reply->errorString()));
            return;
        }
        const QString message = json.object().value(QLatin1String("message")).toString();
        if (status == 401)
            done({}, tr("GitHub refused the token for %1: %2. Set a token for %1 in the keychain (a template's repository page asks for one).")
                         .arg(m_repository.host, message.isEmpty() ? tr("no reason given") : message));
        else
            done({}, tr("GitHub answered %1 for %2/%3: %4").arg(status).arg(m_repository.owner, m_repository.name,
                                                                         message.isEmpty() ? reply->errorString() : message));
    });
}

void Client::listRuns(int page, int perPage, const QString &branch, std::function<void(const QJsonObject &, const QString &)> done)
{
    QList<std::pair<QString, QString>> query{{QStringLiteral("per_page"), QString::number(perPage)}, {QStringLiteral("page"), QString::number(page)}};
    if (!branch.isEmpty())
        query.append({QStringLiteral("branch"), branch});
    finish(send("GET", QStringLiteral("/actions/runs"), query), 200,
           [done = std::move(done)](const QJsonDocument &json, const QString &error) { done(json.object(), error); });
}

void Client::listJobs(qint64 runId, std::function<void(const QJsonArray &, const QString &)> done)
{
    finish(send("GET", QStringLiteral("/actions/runs/%1/jobs").arg(runId), {{QStringLiteral("per_page"), QStringLiteral("100")}}), 200,
           [done = std::move(done)](const QJsonDocument &json, const QString &error) {
               done(json.object().value(QLatin1String("jobs")).toArray(), error);
           });
}

void Client::rerun(qint64 runId, std::function<void(const QString &)> done)
{
    finish(send("POST", QStringLiteral("/actions/runs/%1/rerun").arg(runId)), 201, [done = std::move(done)](const QJsonDocument &, const QString &error) {
        done(error.isEmpty() ? QString() : tr("Failed to rerun the workflow: %1").arg(error));
    });
}

} // namespace Greenroom::Plugins::GitHubActions
