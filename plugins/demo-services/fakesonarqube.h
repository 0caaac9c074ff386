// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "fakeanswer.h"

#include <QHash>
#include <QJsonArray>

namespace Greenroom::DemoServices {

/*
 * SonarQube's Web API as Backstage's SonarQube backend calls it, in
 * SonarQube's shapes: GET api/components/show?component= ({component:
 * {key, name, analysisDate}}; 404 {errors: [{msg}]} for an unknown key),
 * GET api/metrics/search?ps=&p= (paged {metrics: [{key}], total, p, ps}),
 * GET api/measures/component?component=&metricKeys= ({component: {key,
 * measures: [{metric, value}]}}, only the metrics asked for). Every call
 * needs the token, as HTTP Basic user (SonarQube's way) or Bearer.
 */
class FakeSonarQube
{
public:
    explicit FakeSonarQube(QString token = {}) : m_token(std::move(token)) {}

    // A project: its key, name, analysis date and measures ({"bugs": "3", ...}).
    void addProject(const QString &key, const QString &name, const QString &analysisDate, const QJsonObject &measures);
    // {"projects": [{"key", "name", "analysisDate", "measures": {...}}]}
    void load(const QJsonObject &data);
    // The largest page of metrics it answers (SonarQube's is 500); smaller makes a client page.
    void setMaxPageSize(int size) { m_maxPageSize = size; }
    // Calls seen, as "path?query", for tests.
    const QStringList &calls() const { return m_calls; }

    // `authorization` is the request's Authorization header.
    std::optional<FakeAnswer> answer(const FakeRequest &request, const QByteArray &authorization);

private:
    QString m_token;
    QHash<QString, QJsonObject> m_projects;   // by key
    QStringList m_calls;
    int m_maxPageSize = 500;
};

} // namespace Greenroom::DemoServices
