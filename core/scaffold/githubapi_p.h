// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <ingest/githubintegration.h>

#include <QJsonArray>
#include <QJsonValue>

namespace Greenroom::Scaffold {

/*
 * GitHub's REST API for the scaffolder's GitHub actions and autocomplete:
 * one integration's apiBaseUrl with a token, blocking calls (they run on a
 * task's or a request's worker thread).
 */
class GitHubApi
{
public:
    GitHubApi(const Ingest::GitHubIntegration &integration, QString token) : m_integration(integration)
    {
        m_integration.token = std::move(token);
    }

    struct Answer
    {
        int status = 0;
        QJsonValue body;
        QString message;   // GitHub's message and its errors' messages, for error texts
        bool ok() const { return status >= 200 && status < 300; }
    };

    Result<Answer> call(const QByteArray &method, const QString &path, const QJsonValue &body = QJsonValue(QJsonValue::Undefined)) const;
    // Every page of a list (per_page=100, until a page comes back short), as octokit's paginate gathers them.
    Result<QJsonArray> all(const QString &path) const;

private:
    Ingest::GitHubIntegration m_integration;
};

} // namespace Greenroom::Scaffold
