// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "fakeanswer.h"

#include <QJsonArray>

namespace Greenroom::DemoServices {

/*
 * PagerDuty's REST API as PagerDuty's Backstage backend calls it, and its
 * Events API v2 as the card's "trigger incident" does: GET /services?query=
 * (an integration key), GET /services/:id, GET /incidents?service_ids[]=
 * &statuses[]=..., GET /services/:id/change_events, GET
 * /oncalls?escalation_policy_ids[]=, and POST /v2/enqueue (202). The REST
 * calls need `Token token=<token>` and PagerDuty's v2 Accept header.
 */
class FakePagerDuty
{
public:
    explicit FakePagerDuty(QString token = {}) : m_token(std::move(token)) {}

    // {"services": [...with integrations[].integration_key], "incidents": [...], "change_events": [...], "oncalls": [...]}
    void load(const QJsonObject &data) { m_data = data; }
    const QStringList &calls() const { return m_calls; }
    const QJsonArray &events() const { return m_events; }   // what /v2/enqueue was sent

    std::optional<FakeAnswer> answer(const FakeRequest &request, const QByteArray &authorization, const QByteArray &accept);

private:
    QString m_token;
    QJsonObject m_data;
    QStringList m_calls;
    QJsonArray m_events;
};

} // namespace Greenroom::DemoServices
