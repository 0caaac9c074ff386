// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/entityview.h>

#include <QJsonArray>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace Greenroom::Plugins::ArgoCd {

/*
 * Roadie's Argo CD overview and history cards in one: the entity's
 * applications (argocd/app-name, or argocd/app-selector; argocd/app-namespace)
 * on every instance that has them, with sync status, health and when they
 * last synced, and each application's deploy history (revision, when).
 * Asked of the Greenroom server's /api/argocd as upstream's frontend asks
 * (find, then each instance); kept in the cache for offline use.
 */
class ArgoCdCard : public QWidget
{
    Q_OBJECT

public:
    explicit ArgoCdCard(PluginApi::EntityView &view, QWidget *parent = nullptr);

    QTableWidget *applications() const { return m_applications; }
    QTableWidget *history() const { return m_history; }
    QLabel *status() const { return m_status; }
    void reload();

Q_SIGNALS:
    void loaded(bool fromServer);

private:
    void get(const QString &path, std::function<void(const QJsonValue &, const QString &error)> done);
    void show(const QJsonArray &applications);

    PluginApi::EntityView &m_view;
    QLabel *m_status;
    QTableWidget *m_applications;
    QTableWidget *m_history;
};

} // namespace Greenroom::Plugins::ArgoCd
