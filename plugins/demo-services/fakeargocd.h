// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "fakeanswer.h"

#include <QHash>
#include <QJsonArray>

namespace Greenroom::DemoServices {

/*
 * Argo CD's API as Backstage's Argo CD backend (Roadie's) calls it: POST
 * /api/v1/session {username, password} -> {token} (401 otherwise), GET
 * /api/v1/applications/:name (404 with Argo's body when unknown), GET
 * /api/v1/applications?selector=k=v ({items}, null when none match, as Argo
 * CD's Go slices come out), GET applications/:name/revisions/:rev/metadata
 * ({author, date, message}). Everything but the session needs `Bearer <token>`.
 */
class FakeArgoCd
{
public:
    FakeArgoCd(QString username = {}, QString password = {}, QString token = {})
        : m_username(std::move(username)), m_password(std::move(password)), m_token(std::move(token))
    {
    }

    // An application (Argo's shape: metadata{name, namespace, labels}, status{sync, health, operationState, history}).
    void addApplication(const QJsonObject &application) { m_applications.append(application); }
    void addRevision(const QString &revision, const QJsonObject &metadata) { m_revisions.insert(revision, metadata); }
    // {"applications": [...], "revisions": {"sha": {author, date, message}}}
    void load(const QJsonObject &data);
    const QStringList &calls() const { return m_calls; }

    std::optional<FakeAnswer> answer(const FakeRequest &request, const QByteArray &authorization);

private:
    QString m_username;
    QString m_password;
    QString m_token;
    QJsonArray m_applications;
    QHash<QString, QJsonObject> m_revisions;
    QStringList m_calls;
};

} // namespace Greenroom::DemoServices
