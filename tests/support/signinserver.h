// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// A real greenroom-server that people sign in to with GitHub (the fake
// GitHub's OAuth app flow), with a catalog and a permission policy, for
// tests of sign-in and of what signed-in users may do (header-only; users
// link what fakegithub.h needs).

#include "fakegithub.h"
#include "serverprocess.h"
#include "testfiles.h"

#include <QDir>
#include <QTcpServer>

namespace Greenroom::TestSupport {

class SignInServer
{
public:
    static constexpr const char *ClientId = "greenroom-test-app";
    static constexpr const char *ClientSecret = "s3cret-of-the-oauth-app";

    // Writes catalog-info.yaml, permissions.yaml (when `policy` is given)
    // and app-config.yaml (with `extraConfig` appended) into `dir`, and
    // starts the fake GitHub and the server. The OAuth app's secret reaches
    // the config through ${GITHUB_CLIENT_SECRET}.
    bool start(const QString &dir, const QByteArray &catalog, const QByteArray &policy, const QByteArray &extraConfig = {})
    {
        m_github = std::make_unique<FakeGitHub>(QDir(dir).filePath(QStringLiteral("github")), QStringLiteral("api-token"));
        m_github->enableOAuth(QLatin1String(ClientId), QLatin1String(ClientSecret));
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const int port = probe.serverPort();
        probe.close();
        writeFile(QDir(dir).filePath(QStringLiteral("catalog-info.yaml")), catalog);
        QByteArray permission;
        if (!policy.isEmpty()) {
            writeFile(QDir(dir).filePath(QStringLiteral("permissions.yaml")), policy);
            permission = "permission: {enabled: true, policyFile: permissions.yaml}\n";
        }
        writeFile(QDir(dir).filePath(QStringLiteral("app-config.yaml")),
                  QStringLiteral("backend:\n  baseUrl: http://127.0.0.1:%1\n  listen: {port: %1}\n"
                                 "  database: {client: better-sqlite3, connection: {directory: '%2'}}\n"
                                 "catalog:\n  processingInterval: {seconds: 1}\n  rules: [{allow: [Component, Group, User, Template]}]\n"
                                 "  locations: [{type: file, target: catalog-info.yaml}]\n"
                                 "auth:\n  clientIdMetadataDocuments: {enabled: true}\n  experimentalRefreshToken: {enabled: true}\n"
                                 "  providers:\n    github:\n      development:\n        clientId: %3\n"
                                 "        clientSecret: ${GITHUB_CLIENT_SECRET}\n        enterpriseInstanceUrl: http://%4\n"
                                 "        signIn:\n          resolvers:\n            - resolver: usernameMatchingUserEntityName\n"
                                 "            - resolver: emailMatchingUserEntityProfileEmail\n")
                          .arg(port).arg(QDir(dir).filePath(QStringLiteral("db")), QLatin1String(ClientId), m_github->host())
                          .toUtf8()
                      + permission + extraConfig);
        m_dir = dir;
        return restart();
    }

    // Stops the server if it runs and starts it again on the same database.
    bool restart()
    {
        m_server.stop();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("GITHUB_CLIENT_SECRET"), QLatin1String(ClientSecret));
        return m_server.start(m_dir, {QStringLiteral("serve")}, environment);
    }

    FakeGitHub &github() { return *m_github; }
    DemoServices::FakeGitHubOAuth &accounts() { return m_github->oauth(); }
    ServerProcess &server() { return m_server; }
    QString base() const { return m_server.base(); }
    QString cliClientId() const { return m_server.base() + QStringLiteral("/api/auth/.well-known/oauth-client/cli.json"); }

private:
    QString m_dir;
    std::unique_ptr<FakeGitHub> m_github;
    ServerProcess m_server;
};

} // namespace Greenroom::TestSupport
