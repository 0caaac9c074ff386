// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kubernetesfetcher.h"

#include <upstreamurl.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>

#include <memory>

namespace Greenroom::Plugins::Kubernetes {

namespace {

struct ObjectType
{
    const char *group;
    const char *apiVersion;
    const char *plural;
};

// DEFAULT_OBJECTS, in upstream's order.
constexpr ObjectType DefaultObjects[] = {
    {"", "v1", "pods"}, {"", "v1", "services"}, {"", "v1", "configmaps"}, {"", "v1", "limitranges"}, {"", "v1", "resourcequotas"},
    {"apps", "v1", "deployments"}, {"apps", "v1", "replicasets"}, {"autoscaling", "v2", "horizontalpodautoscalers"},
    {"batch", "v1", "jobs"}, {"batch", "v1", "cronjobs"}, {"networking.k8s.io", "v1", "ingresses"},
    {"apps", "v1", "statefulsets"}, {"apps", "v1", "daemonsets"}};

// buildResourcePath, every part URI-encoded.
QString resourcePath(const ObjectType &type, const QString &namespaceName)
{
    const auto encode = Support::pathSegment;
    QString path = QString::fromLatin1(type.group).isEmpty()
                       ? QStringLiteral("/api/%1").arg(encode(QString::fromLatin1(type.apiVersion)))
                       : QStringLiteral("/apis/%1/%2").arg(encode(QString::fromLatin1(type.group)), encode(QString::fromLatin1(type.apiVersion)));
    if (!namespaceName.isEmpty())
        path += QStringLiteral("/namespaces/") + encode(namespaceName);
    return path + QLatin1Char('/') + encode(QString::fromLatin1(type.plural));
}

QString errorTypeOf(int status)
{
    switch (status) {
    case 400: return QStringLiteral("BAD_REQUEST");
    case 401: return QStringLiteral("UNAUTHORIZED_ERROR");
    case 404: return QStringLiteral("NOT_FOUND");
    case 500: return QStringLiteral("SYSTEM_ERROR");
    default: return QStringLiteral("UNKNOWN_ERROR");
    }
}

} // namespace

std::optional<Settings> Settings::read(const QJsonValue &kubernetes, QString *error)
{
    const QJsonValue methods = kubernetes[QLatin1String("clusterLocatorMethods")];
    if (!methods.isArray()) {
        *error = QStringLiteral("Missing required config value at 'kubernetes.clusterLocatorMethods'");
        return std::nullopt;
    }
    Settings settings;
    const QJsonArray list = methods.toArray();
    for (qsizetype m = 0; m < list.size(); ++m) {
        const QString type = list.at(m)[QLatin1String("type")].toString();
        if (type != QLatin1String("config")) {
            *error = QStringLiteral("Greenroom's Kubernetes plugin locates clusters from config only; kubernetes.clusterLocatorMethods[%1] is of type '%2'")
                         .arg(m).arg(type);
            return std::nullopt;
        }
        const QJsonArray clusters = list.at(m)[QLatin1String("clusters")].toArray();
        for (qsizetype i = 0; i < clusters.size(); ++i) {
            const QJsonObject entry = clusters.at(i).toObject();
            for (const char *key : {"name", "url", "authProvider"}) {
                if (!entry.value(QLatin1String(key)).isString()) {
                    *error = QStringLiteral("Missing required config value at 'kubernetes.clusterLocatorMethods[%1].clusters[%2].%3'")
                                 .arg(m).arg(i).arg(QLatin1String(key));
                    return std::nullopt;
                }
            }
            const QString name = entry.value(QLatin1String("name")).toString();
            if (std::any_of(settings.clusters.cbegin(), settings.clusters.cend(), [&](const Cluster &c) { return c.name == name; })) {
                *error = QStringLiteral("Duplicate cluster name '%1'").arg(name);
                return std::nullopt;
            }
            settings.clusters.append({name, entry.value(QLatin1String("url")).toString(), entry.value(QLatin1String("authProvider")).toString(),
                                      entry.value(QLatin1String("serviceAccountToken")).toString(), entry.value(QLatin1String("title")).toString(),
                                      entry.value(QLatin1String("dashboardUrl")).toString(), entry.value(QLatin1String("skipTLSVerify")).toBool()});
        }
    }
    return settings;
}

Fetcher::Fetcher(QNetworkAccessManager *network, Settings settings, QObject *parent)
    : QObject(parent), m_network(network), m_settings(std::move(settings))
{
}

void Fetcher::objectsByEntity(const QJsonObject &entity, std::function<void(const QJsonObject &)> done)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    const QString id = annotations.value(QLatin1String("backstage.io/kubernetes-id")).toString(metadata.value(QLatin1String("name")).toString());
    const QString custom = annotations.value(QLatin1String("backstage.io/kubernetes-label-selector")).toString();
    const QString selector = custom.isEmpty() ? QStringLiteral("backstage.io/kubernetes-id=") + id : custom;
    const QString namespaceName = annotations.value(QLatin1String("backstage.io/kubernetes-namespace")).toString();

    struct ClusterRound
    {
        QList<std::optional<QJsonObject>> responses;   // by object type
        QList<std::optional<QJsonObject>> errors;      // by object type: upstream keeps that order too
        QString fetchError;
        int waiting = 0;
    };
    struct Round
    {
        QList<QJsonObject> clusters;
        int waiting = 0;
        std::function<void(const QJsonObject &)> done;
    };
    auto round = std::make_shared<Round>();
    round->clusters.resize(m_settings.clusters.size());
    round->waiting = int(m_settings.clusters.size());
    round->done = std::move(done);
    const auto clusterDone = [round] {
        if (--round->waiting > 0)
            return;
        QJsonArray items;
        for (const QJsonObject &cluster : std::as_const(round->clusters)) {
            const bool hasErrors = !cluster.value(QLatin1String("errors")).toArray().isEmpty();
            bool hasObjects = false;
            for (const QJsonValue &response : cluster.value(QLatin1String("resources")).toArray())
                hasObjects = hasObjects || !response[QLatin1String("resources")].toArray().isEmpty();
            if (hasErrors || hasObjects)
                items.append(cluster);
        }
        round->done(QJsonObject{{QStringLiteral("items"), items}});
    };
    if (round->waiting == 0) {
        round->done(QJsonObject{{QStringLiteral("items"), QJsonArray()}});
        return;
    }
    for (qsizetype c = 0; c < m_settings.clusters.size(); ++c) {
        const Cluster cluster = m_settings.clusters.at(c);
        auto state = std::make_shared<ClusterRound>();
        state->responses.resize(std::size(DefaultObjects));
        state->errors.resize(std::size(DefaultObjects));
        state->waiting = int(std::size(DefaultObjects));
        const auto finishCluster = [round, state, cluster, c, clusterDone] {
            QJsonObject described{{QStringLiteral("name"), cluster.name}};
            if (!cluster.title.isEmpty())
                described.insert(QStringLiteral("title"), cluster.title);
            if (!cluster.dashboardUrl.isEmpty())
                described.insert(QStringLiteral("dashboardUrl"), cluster.dashboardUrl);
            QJsonArray resources;
            QJsonArray errors;
            for (const auto &error : std::as_const(state->errors)) {
                if (error)
                    errors.append(*error);
            }
            if (!state->fetchError.isEmpty()) {
                // A connection that fails fails the cluster's whole fetch, as node-fetch's FetchError does upstream.
                errors = QJsonArray{QJsonObject{{QStringLiteral("errorType"), QStringLiteral("FETCH_ERROR")}, {QStringLiteral("message"), state->fetchError}}};
            } else {
                for (const auto &response : std::as_const(state->responses)) {
                    if (response)
                        resources.append(*response);
                }
            }
            round->clusters[c] = QJsonObject{{QStringLiteral("cluster"), described}, {QStringLiteral("podMetrics"), QJsonArray()},
                                            {QStringLiteral("resources"), resources}, {QStringLiteral("errors"), errors}};
            clusterDone();
        };
        for (qsizetype t = 0; t < qsizetype(std::size(DefaultObjects)); ++t) {
            const ObjectType type = DefaultObjects[t];
            const QString path = resourcePath(type, namespaceName);
            QUrl url(cluster.url);
            url.setPath(url.path() == QLatin1String("/") || url.path().isEmpty() ? path : url.path() + path, QUrl::TolerantMode);
            url.setQuery(QStringLiteral("labelSelector=") + QString::fromLatin1(QUrl::toPercentEncoding(selector)), QUrl::TolerantMode);
            QNetworkRequest request(url);
            request.setRawHeader("Accept", "application/json");
            if (!cluster.serviceAccountToken.isEmpty())
                request.setRawHeader("Authorization", "Bearer " + cluster.serviceAccountToken.toUtf8());
            request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);   // redirect: manual
            request.setTransferTimeout(m_timeoutMs);
            if (cluster.skipTLSVerify) {
                QSslConfiguration ssl = request.sslConfiguration();
                ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
                request.setSslConfiguration(ssl);
            }
            QNetworkReply *reply = m_network->get(request);
            connect(reply, &QNetworkReply::finished, this, [reply, state, t, type, path, finishCluster] {
                reply->deleteLater();
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status == 0) {
                    state->fetchError = QStringLiteral("request to %1 failed, reason: %2").arg(reply->url().toString(), reply->errorString());
                } else if (status >= 200 && status < 300) {
                    const QJsonObject list = QJsonDocument::fromJson(reply->readAll()).object();
                    state->responses[t] = QJsonObject{{QStringLiteral("type"), QString::fromLatin1(type.plural)},
                                                      {QStringLiteral("resources"), list.value(QLatin1String("items")).toArray()}};
                } else {
                    state->errors[t] = QJsonObject{{QStringLiteral("errorType"), errorTypeOf(status)}, {QStringLiteral("statusCode"), status},
                                                   {QStringLiteral("resourcePath"), reply->url().path()}};
                }
                if (--state->waiting == 0)
                    finishCluster();
            });
        }
    }
}

} // namespace Greenroom::Plugins::Kubernetes
