// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pagerdutycard.h"

#include <cardparts.h>
#include <serverrequest.h>

#include <QDateTime>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <memory>

namespace Greenroom::Plugins::PagerDuty {

namespace {

QString annotation(const QJsonObject &entity, const char *key)
{
    return entity.value(QLatin1String("metadata"))[QLatin1String("annotations")][QLatin1String(key)].toString();
}

} // namespace

PagerDutyCard::PagerDutyCard(PluginApi::EntityView &view, QWidget *parent) : QWidget(parent), m_view(view)
{
    m_service = new QLabel;
    m_service->setObjectName(QStringLiteral("pagerdutyService"));
    m_service->setTextFormat(Qt::PlainText);
    QFont bold = m_service->font();
    bold.setBold(true);
    m_service->setFont(bold);
    m_onCall = new QLabel;
    m_onCall->setObjectName(QStringLiteral("pagerdutyOnCall"));
    m_onCall->setTextFormat(Qt::PlainText);
    m_onCall->setWordWrap(true);
    m_incidents = Support::makeTable({tr("Incident"), tr("Status"), tr("Urgency"), tr("Created")}, QStringLiteral("pagerdutyIncidents"), 160);
    m_changes = Support::makeTable({tr("Change"), tr("Source"), tr("When")}, QStringLiteral("pagerdutyChanges"), 160);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("pagerdutyStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_trigger = new QPushButton(tr("Trigger incident"));
    m_trigger->setEnabled(!annotation(m_view.entity(), "pagerduty.com/integration-key").isEmpty());
    m_trigger->setToolTip(m_trigger->isEnabled() ? tr("Page whoever is on call") : tr("Needs the pagerduty.com/integration-key annotation"));
    connect(m_trigger, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString summary = QInputDialog::getText(this, tr("Trigger incident"), tr("What is wrong?"), QLineEdit::Normal, {}, &ok);
        if (!ok || summary.trimmed().isEmpty())
            return;
        triggerIncident(summary, [this](const QString &error) { m_status->setText(error.isEmpty() ? tr("Incident triggered.") : error); });
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_service);
    layout->addWidget(m_onCall);
    layout->addWidget(new QLabel(tr("Open incidents")));
    layout->addWidget(m_incidents);
    layout->addWidget(new QLabel(tr("Recent changes")));
    layout->addWidget(m_changes);
    layout->addWidget(m_status);
    layout->addWidget(m_trigger, 0, Qt::AlignLeft);
    if (const auto cached = m_view.cachedData(QStringLiteral("card")))
        show(cached->value.toObject());
    reload();
}

void PagerDutyCard::get(const QString &path, std::function<void(const QJsonObject &, const QString &)> done)
{
    Support::askServer(m_view, this, "GET", QStringLiteral("/api/pagerduty") + path, {},
                       [done = std::move(done)](const QJsonDocument &answer, const QString &error) { done(answer.object(), error); });
}

void PagerDutyCard::reload()
{
    const QJsonObject entity = m_view.entity();
    const QString serviceId = annotation(entity, "pagerduty.com/service-id");
    const QString key = annotation(entity, "pagerduty.com/integration-key");
    const QString account = annotation(entity, "pagerduty.com/account");
    const auto cached = m_view.cachedData(QStringLiteral("card"));
    const auto fallBack = [this, cached](const QString &why) {
        m_status->setText(Support::withCachedAge(why, cached, QStringLiteral("PagerDuty")));
        Q_EMIT loaded(false);
    };
    if (serviceId.isEmpty() && key.isEmpty()) {
        fallBack(tr("This entity has neither pagerduty.com/service-id nor pagerduty.com/integration-key."));
        return;
    }
    if (!m_view.serverUrl().isValid()) {
        fallBack(tr("Offline: PagerDuty comes through the Greenroom server."));
        return;
    }
    const QString accountQuery = account.isEmpty() ? QString() : QStringLiteral("account=") + QString::fromLatin1(QUrl::toPercentEncoding(account));
    const QString first = serviceId.isEmpty()
                              ? QStringLiteral("/services?integration_key=") + QString::fromLatin1(QUrl::toPercentEncoding(key)) + (accountQuery.isEmpty() ? QString() : QLatin1Char('&') + accountQuery)
                              : QStringLiteral("/services/") + QString::fromLatin1(QUrl::toPercentEncoding(serviceId)) + (accountQuery.isEmpty() ? QString() : QLatin1Char('?') + accountQuery);
    get(first, [this, accountQuery, fallBack](const QJsonObject &answer, const QString &error) {
        if (!error.isEmpty()) {
            fallBack(error);
            return;
        }
        // Then its incidents, changes and who is on call, all at once.
        auto card = std::make_shared<QJsonObject>(QJsonObject{{QStringLiteral("service"), answer.value(QLatin1String("service"))}});
        auto waiting = std::make_shared<int>(3);
        auto problem = std::make_shared<QString>();
        const QJsonObject service = answer.value(QLatin1String("service")).toObject();
        const QString id = QString::fromLatin1(QUrl::toPercentEncoding(service.value(QLatin1String("id")).toString()));
        const QString suffix = accountQuery.isEmpty() ? QString() : QLatin1Char('?') + accountQuery;
        const auto collect = [this, card, waiting, problem](const QString &key) {
            return [this, card, waiting, problem, key](const QJsonObject &part, const QString &failed) {
                if (!failed.isEmpty())
                    *problem = failed;
                else
                    card->insert(key, part.value(key));
                if (--*waiting > 0)
                    return;
                m_view.storeData(QStringLiteral("card"), *card);
                show(*card);
                m_status->setText(*problem);
                Q_EMIT loaded(true);
            };
        };
        get(QStringLiteral("/services/%1/incidents%2").arg(id, suffix), collect(QStringLiteral("incidents")));
        get(QStringLiteral("/services/%1/change-events%2").arg(id, suffix), collect(QStringLiteral("change_events")));
        get(QStringLiteral("/oncall-users?escalation_policy_ids[]=%1%2")
                .arg(QString::fromLatin1(QUrl::toPercentEncoding(service.value(QLatin1String("escalation_policy"))[QLatin1String("id")].toString())),
                     accountQuery.isEmpty() ? QString() : QLatin1Char('&') + accountQuery),
            collect(QStringLiteral("users")));
    });
}

void PagerDutyCard::show(const QJsonObject &card)
{
    const QJsonObject service = card.value(QLatin1String("service")).toObject();
    m_service->setText(service.value(QLatin1String("name")).toString());
    QStringList people;
    for (const QJsonValue &user : card.value(QLatin1String("users")).toArray())
        people.append(user[QLatin1String("name")].toString());
    m_onCall->setText(people.isEmpty() ? tr("Nobody is on call.") : tr("On call now: %1").arg(people.join(QStringLiteral(", "))));
    m_incidents->setRowCount(0);
    for (const QJsonValue &incident : card.value(QLatin1String("incidents")).toArray())
        Support::appendRow(m_incidents, {incident[QLatin1String("title")].toString(), incident[QLatin1String("status")].toString(),
                                         incident[QLatin1String("urgency")].toString(), Support::localTime(incident[QLatin1String("created_at")])});
    m_changes->setRowCount(0);
    for (const QJsonValue &change : card.value(QLatin1String("change_events")).toArray())
        Support::appendRow(m_changes, {change[QLatin1String("summary")].toString(), change[QLatin1String("source")].toString(),
                                       Support::localTime(change[QLatin1String("timestamp")])});
    m_incidents->resizeColumnsToContents();
    m_changes->resizeColumnsToContents();
}

void PagerDutyCard::triggerIncident(const QString &summary, std::function<void(const QString &)> done)
{
    const QJsonObject entity = m_view.entity();
    const QString key = annotation(entity, "pagerduty.com/integration-key");
    if (key.isEmpty()) {
        done(tr("Needs the pagerduty.com/integration-key annotation"));
        return;
    }
    const QJsonValue configured = m_view.config(QStringLiteral("pagerDuty.eventsBaseUrl"));
    const QString base = configured.isString() ? configured.toString() : QStringLiteral("https://events.pagerduty.com/v2");
    // Upstream's trigger event.
    const QJsonObject event{
        {QStringLiteral("event_action"), QStringLiteral("trigger")},
        {QStringLiteral("routing_key"), key},
        {QStringLiteral("client"), QStringLiteral("Backstage")},
        {QStringLiteral("client_url"), QStringLiteral("greenroom://catalog/") + m_view.entityRef().section(QLatin1Char(':'), 1).section(QLatin1Char('/'), 0, 0)
                                           + QLatin1Char('/') + m_view.entityRef().section(QLatin1Char(':'), 0, 0) + QLatin1Char('/')
                                           + m_view.entityRef().section(QLatin1Char('/'), 1)},
        {QStringLiteral("payload"), QJsonObject{{QStringLiteral("summary"), summary},
                                                {QStringLiteral("source"), m_view.entityRef()},
                                                {QStringLiteral("severity"), QStringLiteral("error")},
                                                {QStringLiteral("class"), QStringLiteral("manual trigger")},
                                                {QStringLiteral("custom_details"), QJsonObject{{QStringLiteral("user"), qEnvironmentVariable("USER")}}}}}};
    QNetworkRequest request(QUrl(base + QStringLiteral("/enqueue")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(30000);
    QNetworkReply *reply = m_view.network()->post(request, QJsonDocument(event).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 202) {
            done({});
            return;
        }
        const QString message = QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("message")).toString();
        done(tr("PagerDuty did not take the incident: %1").arg(status == 0 ? reply->errorString() : (message.isEmpty() ? QString::number(status) : message)));
    });
}

} // namespace Greenroom::Plugins::PagerDuty
