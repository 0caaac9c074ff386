// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace Greenroom::Plugins::ArgoCd {

// argocd.appLocatorMethods[type: config].instances[]
struct Instance
{
    QString name;
    QString url;
    QString token;
    QString username;
    QString password;
};

struct Settings
{
    QList<Instance> instances;
    QString username = QStringLiteral("argocdUsername");   // argocd.username, upstream's default
    QString password = QStringLiteral("argocdPassword");

    // As Roadie's ArgoService reads it; the error names the missing key.
    static std::optional<Settings> read(const QJsonValue &argocd, QString *error);
    const Instance *instance(const QString &name) const;
};

/*
 * The calls Roadie's Argo CD backend (@roadiehq/backstage-plugin-argo-cd-node
 * 2.0.0) makes: a session token (the instance's token, else POST
 * /api/v1/session with its or argocd's username and password), an
 * application by name or the applications matching a selector (each marked
 * with its instance, as upstream marks them), a revision's metadata, and
 * findArgoApp over every instance. Errors are upstream's messages.
 */
class Client : public QObject
{
    Q_OBJECT

public:
    Client(QNetworkAccessManager *network, Settings settings, QObject *parent = nullptr);
    // How long an answer may take (greenroom.plugins.requestTimeoutMs; upstream's fetch waits forever).
    void setTimeoutMs(int timeout) { m_timeoutMs = timeout; }

    struct Query
    {
        QString name;
        QString selector;
        QString namespaceName;   // appNamespace
    };
    void token(const Instance &instance, std::function<void(const QString &token, const QString &error)> done);
    void appData(const Instance &instance, const QString &token, const Query &query, std::function<void(const QJsonObject &, const QString &error)> done);
    void revision(const Instance &instance, const QString &token, const Query &query, const QString &revision,
                  std::function<void(const QJsonObject &, const QString &error)> done);
    // [{name, url, appName: [...]}] for the instances that have the app (or apps matching the selector).
    void find(const Query &query, std::function<void(const QJsonArray &)> done);

private:
    void get(const QString &base, const QString &path, const QList<std::pair<QString, QString>> &query, const QString &token,
             std::function<void(const QJsonObject &, const QString &)> done);

    QPointer<QNetworkAccessManager> m_network;
    Settings m_settings;
    int m_timeoutMs = 30000;
};

} // namespace Greenroom::Plugins::ArgoCd
