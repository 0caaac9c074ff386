// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/entityview.h>

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace Greenroom::Plugins::PagerDuty {

/*
 * PagerDuty's entity card: the service (pagerduty.com/service-id or
 * integration-key, on pagerduty.com/account), who is on call now, its open
 * incidents and its recent change events, from the Greenroom server's
 * /api/pagerduty; and "Trigger incident", which sends an Events API v2
 * trigger with the integration key from the desktop, as upstream's button
 * does from the browser (pagerDuty.eventsBaseUrl in the desktop config).
 * The last answer is kept in the cache and shown offline with its age.
 */
class PagerDutyCard : public QWidget
{
    Q_OBJECT

public:
    explicit PagerDutyCard(PluginApi::EntityView &view, QWidget *parent = nullptr);

    QLabel *service() const { return m_service; }
    QLabel *onCall() const { return m_onCall; }
    QTableWidget *incidents() const { return m_incidents; }
    QTableWidget *changes() const { return m_changes; }
    QLabel *status() const { return m_status; }
    QPushButton *triggerButton() const { return m_trigger; }
    void reload();
    // Sends a trigger event; `done` gets an error sentence, empty when PagerDuty took it.
    void triggerIncident(const QString &summary, std::function<void(const QString &error)> done);

Q_SIGNALS:
    void loaded(bool fromServer);

private:
    void get(const QString &path, std::function<void(const QJsonObject &, const QString &error)> done);
    void show(const QJsonObject &card);

    PluginApi::EntityView &m_view;
    QLabel *m_service;
    QLabel *m_onCall;
    QTableWidget *m_incidents;
    QTableWidget *m_changes;
    QLabel *m_status;
    QPushButton *m_trigger;
};

} // namespace Greenroom::Plugins::PagerDuty
