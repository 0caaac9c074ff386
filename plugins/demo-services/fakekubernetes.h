// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "fakeanswer.h"

#include <QJsonArray>

namespace Greenroom::DemoServices {

/*
 * A Kubernetes API server's list calls, as Backstage's Kubernetes backend
 * makes them: GET /api/v1[/namespaces/:ns]/:plural and
 * /apis/:group/:version[/namespaces/:ns]/:plural with ?labelSelector=
 * (k=v and bare keys, comma-separated), answering {kind: <Kind>List,
 * apiVersion, items}; a Kubernetes Status body for what it does not serve
 * (404) and for a missing or wrong bearer token (401). Objects are kept
 * with their plural and group/version.
 */
class FakeKubernetes
{
public:
    explicit FakeKubernetes(QString token = {}) : m_token(std::move(token)) {}

    // `object` has apiVersion ("v1", "apps/v1", ...), kind, metadata{name, namespace, labels}.
    void addObject(const QString &plural, const QJsonObject &object);
    // {"objects": {"pods": [...], "deployments": [...]}}
    void load(const QJsonObject &data);
    // Paths that answer 403, as an RBAC rule would.
    void forbid(const QString &path) { m_forbidden.append(path); }
    const QStringList &calls() const { return m_calls; }

    std::optional<FakeAnswer> answer(const FakeRequest &request, const QByteArray &authorization);

private:
    QString m_token;
    QHash<QString, QJsonArray> m_objects;   // by "group/version/plural" ("/v1/pods" for core)
    QStringList m_forbidden;
    QStringList m_calls;
};

} // namespace Greenroom::DemoServices
