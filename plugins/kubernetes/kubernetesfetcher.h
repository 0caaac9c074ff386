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

namespace Greenroom::Plugins::Kubernetes {

// kubernetes.clusterLocatorMethods[type: config].clusters[]
struct Cluster
{
    QString name;
    QString url;
    QString authProvider;
    QString serviceAccountToken;
    QString title;
    QString dashboardUrl;
    bool skipTLSVerify = false;
};

struct Settings
{
    QList<Cluster> clusters;
    // As the Kubernetes backend reads kubernetes.clusterLocatorMethods; the error names the key.
    static std::optional<Settings> read(const QJsonValue &kubernetes, QString *error);
};

/*
 * Backstage's KubernetesFanOutHandler (kubernetes-backend 0.21.11, release
 * 1.55) for the multiTenant service locator: every cluster is asked for the
 * default object types (pods, services, configmaps, limitranges,
 * resourcequotas, deployments, replicasets, horizontalpodautoscalers, jobs,
 * cronjobs, ingresses, statefulsets, daemonsets, in that order) by the
 * entity's label selector (backstage.io/kubernetes-label-selector, else
 * backstage.io/kubernetes-id=<id or name>), in backstage.io/kubernetes-namespace
 * when it says one; unsuccessful answers become {errorType, statusCode,
 * resourcePath}, a failed connection one FETCH_ERROR for the cluster, and
 * clusters with neither objects nor errors are left out. Pod metrics are
 * not looked up (podMetrics is empty, as with skipMetricsLookup).
 */
class Fetcher : public QObject
{
    Q_OBJECT

public:
    Fetcher(QNetworkAccessManager *network, Settings settings, QObject *parent = nullptr);
    // How long an answer may take (greenroom.plugins.requestTimeoutMs; upstream's fetch waits forever).
    void setTimeoutMs(int timeout) { m_timeoutMs = timeout; }

    // ObjectsByEntityResponse: {items: [{cluster, podMetrics, resources, errors}]}.
    void objectsByEntity(const QJsonObject &entity, std::function<void(const QJsonObject &)> done);

private:
    QPointer<QNetworkAccessManager> m_network;
    Settings m_settings;
    int m_timeoutMs = 30000;
};

} // namespace Greenroom::Plugins::Kubernetes
