// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/entityview.h>

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTreeWidget;

namespace Greenroom::Plugins::Kubernetes {

// A pod's or deployment's problems, as Backstage's frontend finds them
// (detectErrors): crash loops, image pulls, failing readiness, failed pods,
// unavailable replicas.
QStringList podProblems(const QJsonObject &pod);
QStringList deploymentProblems(const QJsonObject &deployment);

/*
 * The Kubernetes tab: per cluster, its deployments with their pods (phase,
 * containers ready, restarts, age and problems) and the errors the cluster
 * answered with; the label selector it asked with is shown, since "no pods"
 * is mostly a selector the objects lack. From the Greenroom server's
 * /api/kubernetes (Backstage's route); kept in the cache for offline use.
 */
class KubernetesTab : public QWidget
{
    Q_OBJECT

public:
    explicit KubernetesTab(PluginApi::EntityView &view, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    QLabel *status() const { return m_status; }
    void reload();

Q_SIGNALS:
    void loaded(bool fromServer);

private:
    void show(const QJsonObject &objects);

    PluginApi::EntityView &m_view;
    QLabel *m_selector;
    QLabel *m_status;
    QTreeWidget *m_tree;
};

} // namespace Greenroom::Plugins::Kubernetes
