// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "scaffolderservices.h"

#include <QUrl>

namespace Greenroom::Scaffold {

/*
 * catalog:register and catalog:fetch for a task that runs away from the
 * catalog (on a desktop): the calls Backstage's CatalogClient makes, over
 * HTTP to a server's /api/catalog, with the person's server token. The
 * server reads a registered location at once; the desktop sees the new
 * entities through its sync. Blocking: it is called on the task's worker.
 */
class RemoteCatalogAccess : public CatalogAccess
{
public:
    RemoteCatalogAccess(QUrl server, QString token);

    Status addLocation(const QString &type, const QString &target) override;
    Result<QJsonArray> previewLocation(const QString &type, const QString &target) override;
    Result<std::optional<QJsonObject>> entityByRef(const QString &ref) override;

private:
    struct Answer
    {
        int status = 0;
        QJsonValue body;
    };
    Result<Answer> call(const QByteArray &method, const QString &path, const QByteArray &query = {}, const QJsonObject &body = {}) const;

    QUrl m_server;
    QString m_token;
};

} // namespace Greenroom::Scaffold
