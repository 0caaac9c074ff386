// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "serveranswers.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkReply;

namespace Greenroom::Sync {

/*
 * Asks a server to build an entity's TechDocs, as Backstage's reader does
 * when it opens a site: GET /api/techdocs/sync/:namespace/:kind/:name, an
 * event stream of `log` lines ending in `finish` ({"updated": bool}) or
 * `error`. A site nobody has asked for is not built (Backstage's way, and
 * Greenroom's without prebuild); once built, the sync feed brings it into
 * the cache. One request per entity at a time; lives on its thread.
 */
class DocsBuildClient : public QObject
{
    Q_OBJECT

public:
    DocsBuildClient(QUrl server, QString token, QObject *parent = nullptr);
    ~DocsBuildClient() override;

    // Starts a build request for `entityRef` (kind:namespace/name), unless one is under way.
    void build(const QString &entityRef);
    bool building(const QString &entityRef) const { return m_requests.contains(entityRef); }

Q_SIGNALS:
    void buildLog(const QString &entityRef, const QString &line);
    // The server has the site (`updated`: it built a new one just now).
    void buildFinished(const QString &entityRef, bool updated);
    void buildFailed(const QString &entityRef, const QString &message);

private:
    struct Request
    {
        QPointer<QNetworkReply> reply;
        EventStreamReader events;
    };
    void read(const QString &entityRef);
    void end(const QString &entityRef);

    QUrl m_server;
    QString m_token;
    QNetworkAccessManager m_network;
    QHash<QString, Request> m_requests;
};

} // namespace Greenroom::Sync
