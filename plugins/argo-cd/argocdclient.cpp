// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "argocdclient.h"

#include <upstreamurl.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <memory>

namespace Greenroom::Plugins::ArgoCd {

namespace {

// node-fetch's words when the request itself fails.
QString fetchError(QNetworkReply *reply)
{
    return QStringLiteral("request to %1 failed, reason: %2").arg(reply->url().toString(), reply->errorString());
}

} // namespace

std::optional<Settings> Settings::read(const QJsonValue &argocd, QString *error)
{
    const QJsonValue methods = argocd[QLatin1String("appLocatorMethods")];
    if (!methods.isArray()) {
        *error = QStringLiteral("Missing required config value at 'argocd.appLocatorMethods'");
        return std::nullopt;
    }
    Settings settings;
    const QJsonArray list = methods.toArray();
    for (qsizetype m = 0; m < list.size(); ++m) {
        if (list.at(m)[QLatin1String("type")].toString() != QLatin1String("config"))
            continue;
        const QJsonArray instances = list.at(m)[QLatin1String("instances")].toArray();
        for (qsizetype i = 0; i < instances.size(); ++i) {
            const QJsonObject entry = instances.at(i).toObject();
            for (const char *key : {"name", "url"}) {
                if (!entry.value(QLatin1String(key)).isString()) {
                    *error = QStringLiteral("Missing required config value at 'argocd.appLocatorMethods[%1].instances[%2].%3'")
                                 .arg(m).arg(i).arg(QLatin1String(key));
                    return std::nullopt;
                }
            }
            settings.instances.append({entry.value(QLatin1String("name")).toString(), entry.value(QLatin1String("url")).toString(),
                                       entry.value(QLatin1String("token")).toString(), entry.value(QLatin1String("username")).toString(),
                                       entry.value(QLatin1String("password")).toString()});
        }
    }
    if (argocd[QLatin1String("username")].isString())
        settings.username = argocd[QLatin1String("username")].toString();
    if (argocd[QLatin1String("password")].isString())
        settings.password = argocd[QLatin1String("password")].toString();
    return settings;
}

const Instance *Settings::instance(const QString &name) const
{
    for (const Instance &instance : instances) {
        if (instance.name == name)
            return &instance;
    }
    return nullptr;
}

Client::Client(QNetworkAccessManager *network, Settings settings, QObject *parent)
    : QObject(parent), m_network(network), m_settings(std::move(settings))
{
}

void Client::get(const QString &base, const QString &path, const QList<std::pair<QString, QString>> &query, const QString &token,
                 std::function<void(const QJsonObject &, const QString &)> done)
{
    QNetworkRequest request(Support::upstreamUrl(QUrl(base), path, query));   // buildArgoUrl
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            done({}, fetchError(reply));
            return;
        }
        if (status < 200 || status >= 300) {
            done({}, QStringLiteral("Request failed with %1 Error").arg(status));
            return;
        }
        done(QJsonDocument::fromJson(reply->readAll()).object(), {});
    });
}

void Client::token(const Instance &instance, std::function<void(const QString &, const QString &)> done)
{
    if (!instance.token.isEmpty()) {
        done(instance.token, {});
        return;
    }
    QNetworkRequest request(Support::upstreamUrl(QUrl(instance.url), QStringLiteral("/api/v1/session")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(m_timeoutMs);
    const QJsonObject body{{QStringLiteral("username"), instance.username.isEmpty() ? m_settings.username : instance.username},
                           {QStringLiteral("password"), instance.password.isEmpty() ? m_settings.password : instance.password}};
    QNetworkReply *reply = m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [reply, url = instance.url, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            done({}, fetchError(reply));
            return;
        }
        if (status == 401) {
            done({}, QStringLiteral("Getting unauthorized for Argo CD instance %1").arg(url));
            return;
        }
        done(QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("token")).toString(), {});
    });
}

void Client::appData(const Instance &instance, const QString &token, const Query &query, std::function<void(const QJsonObject &, const QString &)> done)
{
    QList<std::pair<QString, QString>> items;
    QString path = QStringLiteral("/api/v1/applications");
    if (!query.name.isEmpty())
        path += QLatin1Char('/') + Support::pathSegment(query.name);
    else
        items.append({QStringLiteral("selector"), query.selector});
    if (!query.namespaceName.isEmpty())
        items.append({QStringLiteral("appNamespace"), query.namespaceName});
    get(instance.url, path, items, token, [name = instance.name, byName = !query.name.isEmpty(), done = std::move(done)](QJsonObject data, const QString &error) {
        if (!error.isEmpty()) {
            done({}, error);
            return;
        }
        // Upstream marks where each application came from.
        if (data.value(QLatin1String("items")).isArray()) {
            QJsonArray items = data.value(QLatin1String("items")).toArray();
            for (QJsonValueRef item : items) {
                QJsonObject application = item.toObject();
                QJsonObject metadata = application.value(QLatin1String("metadata")).toObject();
                metadata.insert(QStringLiteral("instance"), QJsonObject{{QStringLiteral("name"), name}});
                application.insert(QStringLiteral("metadata"), metadata);
                item = application;
            }
            data.insert(QStringLiteral("items"), items);
        } else if (byName) {
            data.insert(QStringLiteral("instance"), name);
        }
        done(data, {});
    });
}

void Client::revision(const Instance &instance, const QString &token, const Query &query, const QString &revision,
                      std::function<void(const QJsonObject &, const QString &)> done)
{
    QList<std::pair<QString, QString>> items;
    if (!query.namespaceName.isEmpty())
        items.append({QStringLiteral("appNamespace"), query.namespaceName});
    get(instance.url, QStringLiteral("/api/v1/applications/%1/revisions/%2/metadata").arg(Support::pathSegment(query.name), Support::pathSegment(revision)), items, token, std::move(done));
}

void Client::find(const Query &query, std::function<void(const QJsonArray &)> done)
{
    // Every instance at once; the answer keeps the configured order and leaves out the ones that failed.
    struct Round
    {
        QList<std::optional<QJsonObject>> found;
        int waiting = 0;
        std::function<void(const QJsonArray &)> done;
    };
    auto round = std::make_shared<Round>();
    round->found.resize(m_settings.instances.size());
    round->waiting = int(m_settings.instances.size());
    round->done = std::move(done);
    const auto finishOne = [round] {
        if (--round->waiting > 0)
            return;
        QJsonArray answer;
        for (const auto &entry : std::as_const(round->found)) {
            if (entry)
                answer.append(*entry);
        }
        round->done(answer);
    };
    if (round->waiting == 0) {
        round->done({});
        return;
    }
    for (qsizetype i = 0; i < m_settings.instances.size(); ++i) {
        const Instance instance = m_settings.instances.at(i);
        token(instance, [this, round, i, instance, query, finishOne](const QString &token, const QString &error) {
            if (!error.isEmpty()) {
                finishOne();
                return;
            }
            appData(instance, token, query, [round, i, instance, query, finishOne](const QJsonObject &data, const QString &failed) {
                if (failed.isEmpty() && (query.selector.isEmpty() || data.value(QLatin1String("items")).isArray())) {
                    QJsonArray names;
                    if (query.selector.isEmpty()) {
                        names.append(query.name);
                    } else {
                        for (const QJsonValue &item : data.value(QLatin1String("items")).toArray())
                            names.append(item[QLatin1String("metadata")][QLatin1String("name")]);
                    }
                    round->found[i] = QJsonObject{{QStringLiteral("name"), instance.name}, {QStringLiteral("url"), instance.url},
                                                  {QStringLiteral("appName"), names}};
                }
                finishOne();
            });
        });
    }
}

} // namespace Greenroom::Plugins::ArgoCd
