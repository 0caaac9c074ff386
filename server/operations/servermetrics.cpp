// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "servermetrics.h"

#include <algorithm>

namespace Greenroom::Server {

namespace {

// Label values escape backslash, quote and newline.
QByteArray label(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 12);
}

} // namespace

void ServerMetrics::recordRequest(const QByteArray &method, const QString &route, int status, double seconds)
{
    const QString shown = route.isEmpty() ? QStringLiteral("unmatched") : route;
    ++m_requests[QString::fromLatin1(method) + QLatin1Char('\t') + shown + QLatin1Char('\t') + QString::number(status)];
    RouteLatency &latency = m_latency[shown];
    for (size_t i = 0; i < Buckets.size(); ++i) {
        if (seconds <= Buckets[i])
            ++latency.buckets[i];
    }
    ++latency.count;
    latency.sum += seconds;
}

void ServerMetrics::recordLocationRead(bool failed, qsizetype errors)
{
    ++m_locationReads;
    if (failed)
        ++m_failedLocationReads;
    m_ingestionErrors += quint64(errors);
}

QByteArray ServerMetrics::render(Store::CatalogStore &store) const
{
    QByteArray out;
    out += "# HELP greenroom_http_requests_total HTTP requests answered, by method, route pattern and status.\n"
           "# TYPE greenroom_http_requests_total counter\n";
    QStringList keys = m_requests.keys();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        const QStringList parts = key.split(QLatin1Char('\t'));
        out += "greenroom_http_requests_total{method=\"" + label(parts.at(0)) + "\",route=\"" + label(parts.at(1))
               + "\",status=\"" + parts.at(2).toLatin1() + "\"} " + QByteArray::number(m_requests.value(key)) + '\n';
    }
    out += "# HELP greenroom_http_request_duration_seconds Time from a request's arrival to its answer, by route pattern.\n"
           "# TYPE greenroom_http_request_duration_seconds histogram\n";
    QStringList routes = m_latency.keys();
    routes.sort();
    for (const QString &route : std::as_const(routes)) {
        const RouteLatency &l = m_latency.value(route);
        const QByteArray r = label(route);
        for (size_t i = 0; i < Buckets.size(); ++i) {
            out += "greenroom_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"" + number(Buckets[i]) + "\"} "
                   + QByteArray::number(l.buckets[i]) + '\n';
        }
        out += "greenroom_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"+Inf\"} " + QByteArray::number(l.count) + '\n';
        out += "greenroom_http_request_duration_seconds_sum{route=\"" + r + "\"} " + number(l.sum) + '\n';
        out += "greenroom_http_request_duration_seconds_count{route=\"" + r + "\"} " + QByteArray::number(l.count) + '\n';
    }
    out += "# HELP greenroom_catalog_entities Entities in the catalog, by kind.\n"
           "# TYPE greenroom_catalog_entities gauge\n";
    if (auto facets = store.facets({QStringLiteral("kind")}); facets) {
        for (const Store::FacetCount &kind : facets->value(0).second)
            out += "greenroom_catalog_entities{kind=\"" + label(kind.value) + "\"} " + QByteArray::number(kind.count) + '\n';
    }
    out += "# HELP greenroom_catalog_change_sequence The catalog's last change sequence number.\n"
           "# TYPE greenroom_catalog_change_sequence gauge\n"
           "greenroom_catalog_change_sequence " + QByteArray::number(store.lastSequence()) + '\n';
    out += "# HELP greenroom_catalog_first_pass_done 1 once every location has been read since start-up.\n"
           "# TYPE greenroom_catalog_first_pass_done gauge\n"
           "greenroom_catalog_first_pass_done " + QByteArray(m_firstPassDone ? "1" : "0") + '\n';
    out += "# HELP greenroom_ingestion_location_reads_total Location reads written to the catalog.\n"
           "# TYPE greenroom_ingestion_location_reads_total counter\n"
           "greenroom_ingestion_location_reads_total " + QByteArray::number(m_locationReads) + '\n';
    out += "# HELP greenroom_ingestion_failed_location_reads_total Location reads that reported errors or could not be written.\n"
           "# TYPE greenroom_ingestion_failed_location_reads_total counter\n"
           "greenroom_ingestion_failed_location_reads_total " + QByteArray::number(m_failedLocationReads) + '\n';
    out += "# HELP greenroom_ingestion_errors_total Processing errors (unreadable files, invalid entities, conflicts) found by location reads.\n"
           "# TYPE greenroom_ingestion_errors_total counter\n"
           "greenroom_ingestion_errors_total " + QByteArray::number(m_ingestionErrors) + '\n';
    out += "# HELP greenroom_sync_waiting_clients Sync clients holding a long-poll request for the next change.\n"
           "# TYPE greenroom_sync_waiting_clients gauge\n"
           "greenroom_sync_waiting_clients " + QByteArray::number(m_syncClients ? m_syncClients() : 0) + '\n';
    return out;
}

void addMetricsRoute(Router &router, const ServerMetrics &metrics, Store::CatalogStore &store)
{
    router.add("GET", QString(), QStringLiteral("/metrics"), [&metrics, &store](const HttpRequest &) {
        HttpResponse response;
        response.headers.append({QByteArray("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8")});
        response.body = metrics.render(store);
        return response;
    });
}

} // namespace Greenroom::Server
