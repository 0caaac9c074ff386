// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "githubapps.h"

#include <common/result.h>

#include <QList>
#include <QUrl>

#include <memory>
#include <optional>

namespace Greenroom::Ingest {

/*
 * One entry of integrations.github: a GitHub or GitHub Enterprise host,
 * where its REST API lives and the token used there. As in Backstage,
 * github.com is always known (api.github.com, raw.githubusercontent.com);
 * other hosts need apiBaseUrl or rawBaseUrl to be read.
 */
// https://<host>/<owner>/<repo>/<blob|tree|raw>/<ref>/<path...>, taken apart.
struct GitHubUrl
{
    QString owner;
    QString repo;
    QString kind;   // blob, tree or raw
    QString ref;    // a ref with a slash cannot be told from its path, as upstream's parser cannot either
    QString path;   // inside the repository, no leading slash
    // An InputError naming the URL when it names no file or folder of a repository.
    static Result<GitHubUrl> parse(const QUrl &url);
};

struct GitHubIntegration
{
    QString host;         // github.com, ghe.example.com or 127.0.0.1:8080
    QString apiBaseUrl;   // https://api.github.com, https://ghe.example.com/api/v3
    QString rawBaseUrl;
    QString token;        // never printed
    QList<GitHubApp> apps = {};
    std::shared_ptr<GitHubAppTokens> appTokens = nullptr;   // set by withDefaults when there are apps; shared by the copies

    // The credential for requests about `owner`'s repositories, as
    // Backstage's SingleInstanceGithubCredentialsProvider picks it: an App
    // installation's token where one is installed, else the token. `type` is
    // "app" or "token"; an empty token means anonymous.
    struct Credential
    {
        QString token;
        QString type;
    };
    Result<Credential> credentialFor(const QString &owner) const;

    // The configured entries plus github.com when it is not among them.
    static QList<GitHubIntegration> withDefaults(QList<GitHubIntegration> configured);
    static const GitHubIntegration *forHost(const QList<GitHubIntegration> &integrations, const QString &host);
    static const GitHubIntegration *forUrl(const QList<GitHubIntegration> &integrations, const QUrl &url);

    // Backstage's getGithubFileFetchUrl: https://<host>/o/r/blob/<ref>/<path>
    // (or tree/raw) as a contents-API URL (with a token or no raw base) or a
    // raw URL. An InputError for a URL that names no file of a repository.
    Result<QUrl> fileFetchUrl(const QUrl &url) const;
    // The headers that go with a request to apiBaseUrl.
    QList<QPair<QByteArray, QByteArray>> apiHeaders() const;
    // The same for a request about `owner`'s repositories, with credentialFor's
    // token after `scheme` (the URL reader's "token"; Octokit's "Bearer").
    Result<QList<QPair<QByteArray, QByteArray>>> apiHeadersFor(const QString &owner, const QByteArray &scheme = "token") const;
};

// host[:port] of a URL, lower case, as integrations are keyed.
QString integrationHost(const QUrl &url);

} // namespace Greenroom::Ingest
