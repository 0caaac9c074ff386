// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "sonarqubeconfig.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkAccessManager;

namespace Greenroom::Plugins::SonarQube {

/*
 * The three calls Backstage's SonarQube backend makes for a component's
 * findings (DefaultSonarqubeInfoProvider.getFindings): the component (its
 * analysis date; none there: no findings), every metric the server knows
 * (paged by 500), then the measures of the wanted metrics it knows. An
 * answer other than 200 fails the whole, as upstream's ResponseError:
 * "Request failed with <status> <reason>".
 */
class FindingsClient : public QObject
{
    Q_OBJECT

public:
    explicit FindingsClient(QNetworkAccessManager *network, QObject *parent = nullptr);
    // How long an answer may take (greenroom.plugins.requestTimeoutMs; upstream's fetch waits forever).
    void setTimeoutMs(int timeout) { m_timeoutMs = timeout; }

    // `done` gets {analysisDate, measures} or null (no such component analysed), or an error.
    void findings(const Instance &instance, const QString &componentKey, std::function<void(const QJsonValue &, const QString &error)> done);

    // The metrics upstream asks for, in its order.
    static const QStringList &wantedMetrics();

private:
    void call(const Instance &instance, const QString &path, const QList<std::pair<QString, QString>> &query,
              std::function<void(const QJsonObject &, const QString &)> done);
    void supportedMetrics(const Instance &instance, int page, QStringList found, std::function<void(const QStringList &, const QString &)> done);

    QPointer<QNetworkAccessManager> m_network;
    int m_timeoutMs = 30000;
};

} // namespace Greenroom::Plugins::SonarQube
