// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "findingsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

namespace Greenroom::Plugins::SonarQube {

FindingsClient::FindingsClient(QNetworkAccessManager *network, QObject *parent) : QObject(parent), m_network(network) {}

const QStringList &FindingsClient::wantedMetrics()
{
    static const QStringList metrics{QStringLiteral("alert_status"), QStringLiteral("bugs"), QStringLiteral("reliability_rating"),
                                     QStringLiteral("vulnerabilities"), QStringLiteral("security_rating"),
                                     QStringLiteral("security_hotspots_reviewed"), QStringLiteral("security_review_rating"),
                                     QStringLiteral("code_smells"), QStringLiteral("sqale_rating"), QStringLiteral("coverage"),
                                     QStringLiteral("duplicated_lines_density")};
    return metrics;
}

void FindingsClient::call(const Instance &instance, const QString &path, const QList<std::pair<QString, QString>> &query,
                          std::function<void(const QJsonObject &, const QString &)> done)
{
    // `${baseUrl}/${path}?${new URLSearchParams(query)}`, as upstream builds it.
    QUrlQuery items;
    for (const auto &[key, value] : query)
        items.addQueryItem(QString::fromLatin1(QUrl::toPercentEncoding(key)), QString::fromLatin1(QUrl::toPercentEncoding(value)));
    QNetworkRequest request(QUrl(instance.baseUrl + QLatin1Char('/') + path + QLatin1Char('?') + items.toString(QUrl::FullyEncoded)));
    const QByteArray token = instance.authType == QLatin1String("Basic") ? QByteArray(instance.apiKey.toUtf8() + ':').toBase64()
                                                                          : instance.apiKey.toUtf8();
    request.setRawHeader("Authorization", instance.authType.toUtf8() + ' ' + token);
    request.setRawHeader("Content-Type", "application/json");
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status >= 200 && status < 300) {
            done(QJsonDocument::fromJson(body).object(), {});
            return;
        }
        if (status == 0) {   // node-fetch's FetchError: the request itself failed
            done({}, QStringLiteral("request to %1 failed, reason: %2").arg(reply->url().toString(), reply->errorString()));
            return;
        }
        done({}, QStringLiteral("Request failed with %1 %2").arg(status).arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString()));
    });
}

void FindingsClient::supportedMetrics(const Instance &instance, int page, QStringList found,
                                      std::function<void(const QStringList &, const QString &)> done)
{
    call(instance, QStringLiteral("api/metrics/search"), {{QStringLiteral("ps"), QStringLiteral("500")}, {QStringLiteral("p"), QString::number(page)}},
         [this, instance, page, found, done = std::move(done)](const QJsonObject &result, const QString &error) mutable {
             if (!error.isEmpty()) {
                 done({}, error);
                 return;
             }
             const QJsonArray metrics = result.value(QLatin1String("metrics")).toArray();
             for (const QJsonValue &metric : metrics)
                 found.append(metric[QLatin1String("key")].toString());
             // Upstream goes on while it has fewer than `total`; a page that adds nothing ends it here.
             if (found.size() < result.value(QLatin1String("total")).toInteger() && !metrics.isEmpty()) {
                 supportedMetrics(instance, page + 1, found, std::move(done));
                 return;
             }
             done(found, {});
         });
}

void FindingsClient::findings(const Instance &instance, const QString &componentKey, std::function<void(const QJsonValue &, const QString &)> done)
{
    call(instance, QStringLiteral("api/components/show"), {{QStringLiteral("component"), componentKey}},
         [this, instance, componentKey, done = std::move(done)](const QJsonObject &component, const QString &error) mutable {
             if (!error.isEmpty() || !component.value(QLatin1String("component")).isObject()) {
                 done(QJsonValue::Null, error);
                 return;
             }
             const QString analysisDate = component.value(QLatin1String("component"))[QLatin1String("analysisDate")].toString();
             supportedMetrics(instance, 1, {}, [this, instance, componentKey, analysisDate, done = std::move(done)](const QStringList &supported,
                                                                                                                 const QString &metricsError) mutable {
                 if (!metricsError.isEmpty()) {
                     done(QJsonValue::Null, metricsError);
                     return;
                 }
                 QStringList asked;
                 for (const QString &metric : wantedMetrics()) {
                     if (supported.contains(metric))
                         asked.append(metric);
                 }
                 call(instance, QStringLiteral("api/measures/component"),
                      {{QStringLiteral("component"), componentKey}, {QStringLiteral("metricKeys"), asked.join(QLatin1Char(','))}},
                      [analysisDate, done = std::move(done)](const QJsonObject &measures, const QString &measuresError) {
                          if (!measuresError.isEmpty()) {
                              done(QJsonValue::Null, measuresError);
                              return;
                          }
                          QJsonObject findings{{QStringLiteral("measures"), measures.value(QLatin1String("component"))[QLatin1String("measures")].toArray()}};
                          if (!analysisDate.isEmpty())
                              findings.insert(QStringLiteral("analysisDate"), analysisDate);
                          done(findings, {});
                      });
             });
         });
}

} // namespace Greenroom::Plugins::SonarQube
