// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace Greenroom::Plugins::GitHubActions {

// The repository an entity's runs come from, and the API that has them.
struct Repository
{
    QString host;    // as the source location names it ("github.com", "ghe.acme.com", "127.0.0.1:8080")
    QString owner;
    QString name;
    QUrl apiBase;    // https://api.github.com, or the integration's apiBaseUrl, or https://<host>/api/v3

    // github.com/project-slug ("owner/repo"), on the host of backstage.io/source-location
    // (else managed-by-location; only url: values count, else github.com), with the API
    // base from `integrations` (the app-config's integrations.github list). Nothing
    // without a usable slug.
    static std::optional<Repository> of(const QJsonObject &entity, const QJsonValue &githubIntegrations);
};

/*
 * The calls Backstage's GitHub Actions plugin makes to GitHub's REST API
 * (as Octokit sends them, with the person's token): workflow runs of a
 * repository (paged, optionally one branch), the jobs and steps of a run,
 * and re-running one. Answers come to the callbacks on this object's
 * thread; an error is a sentence for people.
 */
class Client : public QObject
{
    Q_OBJECT

public:
    Client(QNetworkAccessManager *network, Repository repository, QString token, QObject *parent = nullptr);

    // GET /repos/{owner}/{repo}/actions/runs?per_page=&page=[&branch=]: {total_count, workflow_runs}.
    void listRuns(int page, int perPage, const QString &branch, std::function<void(const QJsonObject &, const QString &error)> done);
    // GET /repos/{owner}/{repo}/actions/runs/{id}/jobs?per_page=100: the jobs, each with its steps.
    void listJobs(qint64 runId, std::function<void(const QJsonArray &, const QString &error)> done);
    // POST /repos/{owner}/{repo}/actions/runs/{id}/rerun (201).
    void rerun(qint64 runId, std::function<void(const QString &error)> done);

    // How long an answer may take (Backstage's default fetch has none; a desktop should say so).
    void setTimeoutMs(int timeout) { m_timeoutMs = timeout; }

private:
    QNetworkReply *send(const QByteArray &method, const QString &path, const QList<std::pair<QString, QString>> &query = {});
    // The answer's JSON, or why there is none.
    void finish(QNetworkReply *reply, int expected, std::function<void(const QJsonDocument &, const QString &)> done);

    QPointer<QNetworkAccessManager> m_network;
    Repository m_repository;
    QString m_token;
    int m_timeoutMs = 15000;
};

} // namespace Greenroom::Plugins::GitHubActions
