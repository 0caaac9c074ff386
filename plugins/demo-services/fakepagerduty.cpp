// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fakepagerduty.h"

namespace Greenroom::DemoServices {

namespace {

FakeAnswer error(int status, int code, const QString &message)
{
    return FakeAnswer::json(status, QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), message}, {QStringLiteral("code"), code}}}});
}

} // namespace

std::optional<FakeAnswer> FakePagerDuty::answer(const FakeRequest &request, const QByteArray &authorization, const QByteArray &accept)
{
    const QStringList &parts = request.parts;
    m_calls.append(request.method + ' ' + parts.join(QLatin1Char('/')) + (request.query.isEmpty() ? QString() : QLatin1Char('?') + request.query.toString(QUrl::FullyDecoded)));
    if (request.method == "POST" && parts == QStringList{QStringLiteral("v2"), QStringLiteral("enqueue")}) {
        const QJsonObject event = QJsonDocument::fromJson(request.body).object();
        if (event.value(QLatin1String("routing_key")).toString().isEmpty() || event.value(QLatin1String("event_action")).toString().isEmpty())
            return FakeAnswer::json(400, QJsonObject{{QStringLiteral("status"), QStringLiteral("invalid event")},
                                                     {QStringLiteral("message"), QStringLiteral("Event object is invalid")}});
        m_events.append(event);
        return FakeAnswer::json(202, QJsonObject{{QStringLiteral("status"), QStringLiteral("success")},
                                                 {QStringLiteral("message"), QStringLiteral("Event processed")},
                                                 {QStringLiteral("dedup_key"), QStringLiteral("demo-%1").arg(m_events.size())}});
    }
    if (authorization != "Token token=" + m_token.toUtf8())
        return error(401, 2006, QStringLiteral("Authentication failed"));
    if (accept != "application/vnd.pagerduty+json;version=2")
        return error(406, 2001, QStringLiteral("Not Acceptable"));
    const auto item = [&](const QString &name) { return request.query.queryItemValue(name, QUrl::FullyDecoded); };
    const QJsonArray services = m_data.value(QLatin1String("services")).toArray();
    if (request.method == "GET" && parts == QStringList{QStringLiteral("services")}) {
        QJsonArray found;
        for (const QJsonValue &service : services) {
            for (const QJsonValue &integration : service[QLatin1String("integrations")].toArray()) {
                if (integration[QLatin1String("integration_key")].toString() == item(QStringLiteral("query")))
                    found.append(service);
            }
        }
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("services"), found}, {QStringLiteral("more"), false}});
    }
    if (request.method == "GET" && parts.size() >= 2 && parts[0] == QLatin1String("services")) {
        const auto service = std::find_if(services.begin(), services.end(), [&](const QJsonValue &s) { return s[QLatin1String("id")].toString() == parts[1]; });
        if (service == services.end())
            return error(404, 2100, QStringLiteral("Not Found"));
        if (parts.size() == 2)
            return FakeAnswer::json(200, QJsonObject{{QStringLiteral("service"), *service}});
        if (parts.size() == 3 && parts[2] == QLatin1String("change_events")) {
            QJsonArray events;
            for (const QJsonValue &event : m_data.value(QLatin1String("change_events")).toArray()) {
                if (event[QLatin1String("service")][QLatin1String("id")].toString() == parts[1] && events.size() < item(QStringLiteral("limit")).toInt())
                    events.append(event);
            }
            return FakeAnswer::json(200, QJsonObject{{QStringLiteral("change_events"), events}});
        }
    }
    if (request.method == "GET" && parts == QStringList{QStringLiteral("incidents")}) {
        const QStringList statuses = request.query.allQueryItemValues(QStringLiteral("statuses[]"), QUrl::FullyDecoded);
        const QStringList serviceIds = request.query.allQueryItemValues(QStringLiteral("service_ids[]"), QUrl::FullyDecoded);
        QJsonArray incidents;
        for (const QJsonValue &incident : m_data.value(QLatin1String("incidents")).toArray()) {
            if ((statuses.isEmpty() || statuses.contains(incident[QLatin1String("status")].toString()))
                && (serviceIds.isEmpty() || serviceIds.contains(incident[QLatin1String("service")][QLatin1String("id")].toString())))
                incidents.append(incident);
        }
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("incidents"), incidents}, {QStringLiteral("more"), false}});
    }
    if (request.method == "GET" && parts == QStringList{QStringLiteral("oncalls")}) {
        const QStringList policies = request.query.allQueryItemValues(QStringLiteral("escalation_policy_ids[]"), QUrl::FullyDecoded);
        QJsonArray oncalls;
        for (const QJsonValue &oncall : m_data.value(QLatin1String("oncalls")).toArray()) {
            if (policies.contains(oncall[QLatin1String("escalation_policy")][QLatin1String("id")].toString()))
                oncalls.append(oncall);
        }
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("oncalls"), oncalls}, {QStringLiteral("more"), false}});
    }
    return error(404, 2100, QStringLiteral("Not Found"));
}

} // namespace Greenroom::DemoServices
