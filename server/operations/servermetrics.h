// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/router.h"

#include <store/catalogstore.h>

#include <QHash>
#include <array>
#include <functional>

namespace Greenroom::Server {

/*
 * The server's numbers in Prometheus' text format (GET /metrics): requests by
 * route pattern (never the raw path, so the label set stays small), method and
 * status; a request latency histogram per route; entities by kind; location
 * reads and the errors they produced; waiting sync clients. Counters live on
 * the server's thread, as every request and write does.
 */
class ServerMetrics
{
public:
    void recordRequest(const QByteArray &method, const QString &route, int status, double seconds);
    void recordLocationRead(bool failed, qsizetype errors);
    void setFirstPassDone() { m_firstPassDone = true; }
    // Sampled when scraped (e.g. the sync routes' waiting clients).
    void setSyncClients(std::function<int()> waitingClients) { m_syncClients = std::move(waitingClients); }

    QByteArray render(Store::CatalogStore &store) const;

    // Upper bounds of the latency buckets, in seconds.
    static constexpr std::array<double, 11> Buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

private:
    struct RouteLatency
    {
        std::array<quint64, Buckets.size()> buckets{};
        quint64 count = 0;
        double sum = 0;
    };
    QHash<QString, quint64> m_requests;          // "method\troute\tstatus"
    QHash<QString, RouteLatency> m_latency;       // by route
    quint64 m_locationReads = 0;
    quint64 m_failedLocationReads = 0;
    quint64 m_ingestionErrors = 0;
    bool m_firstPassDone = false;
    std::function<int()> m_syncClients;
};

// GET /metrics.
void addMetricsRoute(Router &router, const ServerMetrics &metrics, Store::CatalogStore &store);

} // namespace Greenroom::Server
