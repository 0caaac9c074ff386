// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kubernetestab.h"

#include <cardparts.h>
#include <serverrequest.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Greenroom::Plugins::Kubernetes {

namespace {

// A pod's age: "2 h", "3 days".
QString age(const QDateTime &when)
{
    return Support::ago(when).chopped(4);   // without " ago"
}

QJsonArray ofType(const QJsonObject &cluster, const char *type)
{
    for (const QJsonValue &response : cluster.value(QLatin1String("resources")).toArray()) {
        if (response[QLatin1String("type")].toString() == QLatin1String(type))
            return response[QLatin1String("resources")].toArray();
    }
    return {};
}

QString ownerName(const QJsonValue &object)
{
    return object[QLatin1String("metadata")][QLatin1String("ownerReferences")][0][QLatin1String("name")].toString();
}

} // namespace

QStringList podProblems(const QJsonObject &pod)
{
    QStringList problems;
    const QJsonObject status = pod.value(QLatin1String("status")).toObject();
    if (status.value(QLatin1String("phase")).toString() == QLatin1String("Failed"))
        problems.append(QObject::tr("Pod failed: %1").arg(status.value(QLatin1String("reason")).toString(status.value(QLatin1String("message")).toString())));
    for (const QJsonValue &container : status.value(QLatin1String("containerStatuses")).toArray()) {
        const QString name = container[QLatin1String("name")].toString();
        const QString waiting = container[QLatin1String("state")][QLatin1String("waiting")][QLatin1String("reason")].toString();
        if (waiting == QLatin1String("CrashLoopBackOff"))
            problems.append(QObject::tr("%1 is crash looping (%2 restarts)").arg(name).arg(container[QLatin1String("restartCount")].toInt()));
        else if (waiting == QLatin1String("ImagePullBackOff") || waiting == QLatin1String("ErrImagePull"))
            problems.append(QObject::tr("%1 cannot pull its image: %2").arg(name, container[QLatin1String("state")][QLatin1String("waiting")][QLatin1String("message")].toString(waiting)));
        else if (container[QLatin1String("state")][QLatin1String("running")].isObject() && !container[QLatin1String("ready")].toBool())
            problems.append(QObject::tr("%1 is running but not ready (its readiness probe is failing)").arg(name));
    }
    return problems;
}

QStringList deploymentProblems(const QJsonObject &deployment)
{
    const int unavailable = deployment.value(QLatin1String("status"))[QLatin1String("unavailableReplicas")].toInt();
    return unavailable > 0 ? QStringList{QObject::tr("%n replica(s) unavailable", nullptr, unavailable)} : QStringList{};
}

KubernetesTab::KubernetesTab(PluginApi::EntityView &view, QWidget *parent) : QWidget(parent), m_view(view)
{
    m_selector = new QLabel;
    m_selector->setObjectName(QStringLiteral("kubernetesSelector"));
    m_selector->setTextFormat(Qt::PlainText);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("kubernetesStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("kubernetesTree"));
    m_tree->setHeaderLabels({tr("Name"), tr("Phase"), tr("Ready"), tr("Restarts"), tr("Age"), tr("Problems")});
    auto *reloadButton = new QPushButton(tr("Reload"));
    connect(reloadButton, &QPushButton::clicked, this, &KubernetesTab::reload);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_selector);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_status);
    layout->addWidget(reloadButton, 0, Qt::AlignLeft);
    const QJsonObject annotations = m_view.entity().value(QLatin1String("metadata"))[QLatin1String("annotations")].toObject();
    const QString custom = annotations.value(QLatin1String("backstage.io/kubernetes-label-selector")).toString();
    const QString id = annotations.value(QLatin1String("backstage.io/kubernetes-id"))
                           .toString(m_view.entity().value(QLatin1String("metadata"))[QLatin1String("name")].toString());
    const QString namespaceName = annotations.value(QLatin1String("backstage.io/kubernetes-namespace")).toString();
    m_selector->setText(tr("Label selector: %1%2").arg(custom.isEmpty() ? QStringLiteral("backstage.io/kubernetes-id=") + id : custom,
                                                       namespaceName.isEmpty() ? QString() : tr(" (namespace %1)").arg(namespaceName)));
    if (const auto cached = m_view.cachedData(QStringLiteral("objects")))
        show(cached->value.toObject());
    reload();
}

void KubernetesTab::reload()
{
    const auto cached = m_view.cachedData(QStringLiteral("objects"));
    const auto fallBack = [this, cached](const QString &why) {
        m_status->setText(Support::withCachedAge(why, cached, tr("the objects")));
        Q_EMIT loaded(false);
    };
    if (!m_view.serverUrl().isValid()) {
        fallBack(tr("Offline: Kubernetes objects come through the Greenroom server."));
        return;
    }
    const QString path = QStringLiteral("/api/kubernetes/services/")
                         + QString::fromLatin1(QUrl::toPercentEncoding(m_view.entity().value(QLatin1String("metadata"))[QLatin1String("name")].toString()));
    const QJsonObject body{{QStringLiteral("entity"), m_view.entity()}, {QStringLiteral("auth"), QJsonObject()}};
    Support::askServer(m_view, this, "POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                       [this, fallBack](const QJsonDocument &answer, const QString &error) {
                           if (!error.isEmpty()) {
                               fallBack(tr("Kubernetes objects could not be read: %1").arg(error));
                               return;
                           }
                           m_view.storeData(QStringLiteral("objects"), answer.object());
                           show(answer.object());
                           Q_EMIT loaded(true);
                       });
}

void KubernetesTab::show(const QJsonObject &objects)
{
    m_tree->clear();
    const QJsonArray clusters = objects.value(QLatin1String("items")).toArray();
    int problems = 0;
    for (const QJsonValue &clusterValue : clusters) {
        const QJsonObject cluster = clusterValue.toObject();
        const QJsonObject described = cluster.value(QLatin1String("cluster")).toObject();
        auto *clusterItem = new QTreeWidgetItem(m_tree, {described.value(QLatin1String("title")).toString(described.value(QLatin1String("name")).toString())});
        QFont bold = clusterItem->font(0);
        bold.setBold(true);
        clusterItem->setFont(0, bold);
        for (const QJsonValue &error : cluster.value(QLatin1String("errors")).toArray()) {
            const QString text = error[QLatin1String("errorType")].toString() == QLatin1String("FETCH_ERROR")
                                     ? error[QLatin1String("message")].toString()
                                     : QStringLiteral("%1 %2 %3").arg(error[QLatin1String("errorType")].toString()).arg(error[QLatin1String("statusCode")].toInt())
                                           .arg(error[QLatin1String("resourcePath")].toString());
            new QTreeWidgetItem(clusterItem, {tr("Error"), {}, {}, {}, {}, text});
            ++problems;
        }
        // Pods belong to replicasets, replicasets to deployments.
        QHash<QString, QString> deploymentOfReplicaSet;
        for (const QJsonValue &replicaSet : ofType(cluster, "replicasets"))
            deploymentOfReplicaSet.insert(replicaSet[QLatin1String("metadata")][QLatin1String("name")].toString(), ownerName(replicaSet));
        QHash<QString, QTreeWidgetItem *> deployments;
        for (const QJsonValue &deployment : ofType(cluster, "deployments")) {
            const QString name = deployment[QLatin1String("metadata")][QLatin1String("name")].toString();
            const QJsonObject status = deployment[QLatin1String("status")].toObject();
            const QStringList found = deploymentProblems(deployment.toObject());
            problems += int(found.size());
            deployments.insert(name, new QTreeWidgetItem(clusterItem, {tr("Deployment %1").arg(name), {},
                                                                       QStringLiteral("%1/%2").arg(status.value(QLatin1String("readyReplicas")).toInt())
                                                                           .arg(deployment[QLatin1String("spec")][QLatin1String("replicas")].toInt()),
                                                                       {}, {}, found.join(QStringLiteral("; "))}));
        }
        QTreeWidgetItem *others = nullptr;
        for (const QJsonValue &podValue : ofType(cluster, "pods")) {
            const QJsonObject pod = podValue.toObject();
            const QJsonObject status = pod.value(QLatin1String("status")).toObject();
            int ready = 0;
            int restarts = 0;
            const QJsonArray containers = status.value(QLatin1String("containerStatuses")).toArray();
            for (const QJsonValue &container : containers) {
                ready += container[QLatin1String("ready")].toBool() ? 1 : 0;
                restarts += container[QLatin1String("restartCount")].toInt();
            }
            QTreeWidgetItem *parent = deployments.value(deploymentOfReplicaSet.value(ownerName(pod)));
            if (!parent) {
                if (!others)
                    others = new QTreeWidgetItem(clusterItem, {tr("Other pods")});
                parent = others;
            }
            const QStringList found = podProblems(pod);
            problems += int(found.size());
            const QDateTime started = QDateTime::fromString(status.value(QLatin1String("startTime")).toString(), Qt::ISODate);
            auto *item = new QTreeWidgetItem(parent, {pod.value(QLatin1String("metadata"))[QLatin1String("name")].toString(),
                                                      status.value(QLatin1String("phase")).toString(),
                                                      QStringLiteral("%1/%2").arg(ready).arg(containers.size()), QString::number(restarts),
                                                      started.isValid() ? age(started) : QString(), found.join(QStringLiteral("; "))});
            if (!found.isEmpty())
                item->setForeground(5, QColor(0xc6, 0x28, 0x28));
        }
    }
    m_tree->expandAll();
    for (int column = 0; column < 6; ++column)
        m_tree->resizeColumnToContents(column);
    m_status->setText(clusters.isEmpty() ? tr("No cluster has objects with this label selector.")
                                         : tr("%n problem(s) found", nullptr, problems));
}

} // namespace Greenroom::Plugins::Kubernetes
