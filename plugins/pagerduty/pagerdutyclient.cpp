// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pagerdutyclient.h"

#include <upstreamurl.h>

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <map>

namespace Greenroom::Plugins::PagerDuty {

namespace {

// Upstream's sentence for each status it names, per call; other statuses fall through to the body.
std::optional<QString> sentence(const QString &operation, int status)
{
    const QString prefix = QStringLiteral("Failed to %1.").arg(operation);
    if (status >= 500)
        return prefix + QStringLiteral(" PagerDuty API returned a server error. Retrying with the same arguments will not work.");
    const bool incidents = operation.startsWith(QLatin1String("get incidents"));
    const bool oncalls = operation == QLatin1String("list oncalls");
    switch (status) {
    case 400:
        return prefix + QStringLiteral(" Caller provided invalid arguments.");
    case 401:
        return prefix + QStringLiteral(" Caller did not supply credentials or did not provide the correct credentials.");
    case 402:
        if (incidents)
            return prefix + QStringLiteral(" Account does not have the abilities to perform the action. Please review the response for the required abilities.");
        break;
    case 403:
        return prefix + QStringLiteral(" Caller is not authorized to view the requested resource.");
    case 404:
        if (!incidents && !oncalls)
            return prefix + QStringLiteral(" The requested resource was not found.");
        break;
    case 429:
        if (incidents)
            return prefix + QStringLiteral(" Too many requests have been made, the rate limit has been reached.");
        if (oncalls)
            return prefix + QStringLiteral(" Rate limit exceeded.");
        break;
    }
    return std::nullopt;
}

} // namespace

std::optional<Settings> Settings::read(const QJsonValue &pagerDuty, QString *error)
{
    Settings settings;
    const QJsonArray accounts = pagerDuty[QLatin1String("accounts")].toArray();
    if (!accounts.isEmpty()) {
        for (qsizetype i = 0; i < accounts.size(); ++i) {
            const QJsonObject entry = accounts.at(i).toObject();
            Account account{entry.value(QLatin1String("id")).toString(), entry.value(QLatin1String("apiToken")).toString(),
                            entry.value(QLatin1String("apiBaseUrl")).toString(QStringLiteral("https://api.pagerduty.com"))};
            if (account.id.isEmpty() || account.apiToken.isEmpty()) {
                *error = QStringLiteral("pagerDuty.accounts[%1] needs an id and an apiToken (OAuth accounts are not supported here)").arg(i);
                return std::nullopt;
            }
            if (entry.value(QLatin1String("isDefault")).toBool() && settings.defaultAccount.isEmpty())
                settings.defaultAccount = account.id;
            settings.accounts.append(account);
        }
        if (settings.accounts.size() == 1)
            settings.defaultAccount = settings.accounts.first().id;
        return settings;
    }
    if (!pagerDuty[QLatin1String("apiToken")].isString()) {
        *error = QStringLiteral("Missing required PagerDuty OAuth parameters in config file. 'clientId', 'clientSecret', and 'subDomain' are required. "
                                "'region' is optional. (Greenroom reads pagerDuty.apiToken or pagerDuty.accounts[].apiToken.)");
        return std::nullopt;
    }
    settings.accounts.append({QStringLiteral("default"), pagerDuty[QLatin1String("apiToken")].toString(),
                              pagerDuty[QLatin1String("apiBaseUrl")].toString(QStringLiteral("https://api.pagerduty.com"))});
    settings.defaultAccount = QStringLiteral("default");
    return settings;
}

const Account *Settings::account(const QString &id) const
{
    const QString wanted = id.isEmpty() ? defaultAccount : id;
    for (const Account &account : accounts) {
        if (account.id == wanted)
            return &account;
    }
    return accounts.isEmpty() ? nullptr : &accounts.first();
}

Client::Client(QNetworkAccessManager *network, QObject *parent) : QObject(parent), m_network(network) {}

void Client::get(const Account &account, const QString &path, const QString &query, const QString &operation,
                 std::function<void(const QJsonObject &)> parsed, Done done)
{
    // Upstream writes the query itself (brackets and all) and sends these headers.
    QNetworkRequest request(QUrl(account.apiBaseUrl + path + QLatin1Char('?') + query, QUrl::TolerantMode));
    request.setRawHeader("Authorization", "Token token=" + account.apiToken.toUtf8());
    request.setRawHeader("Accept", "application/vnd.pagerduty+json;version=2");
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("X-PagerDuty-Client", "\"Backstage\" <https://undefined.backstage.com>");   // upstream's, without an OAuth subdomain
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, operation, parsed = std::move(parsed), done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            done({}, Failure{500, QStringLiteral("Failed to retrieve %1: %2").arg(operation.section(QLatin1Char(' '), 1), reply->errorString())});
            return;
        }
        if (const auto failed = sentence(operation, status)) {
            done({}, Failure{status, *failed});
            return;
        }
        parsed(QJsonDocument::fromJson(reply->readAll()).object());
    });
}

void Client::service(const Account &account, const QString &id, Done done)
{
    get(account, QStringLiteral("/services/") + Support::pathSegment(id),
        QStringLiteral("time_zone=UTC&include[]=integrations&include[]=escalation_policies"), QStringLiteral("get service"),
        [done](const QJsonObject &result) { done(result.value(QLatin1String("service")), std::nullopt); }, done);
}

void Client::serviceByIntegrationKey(const Account &account, const QString &key, Done done)
{
    get(account, QStringLiteral("/services"), QStringLiteral("query=%1&time_zone=UTC&include[]=integrations&include[]=escalation_policies").arg(QString::fromLatin1(QUrl::toPercentEncoding(key))),
        QStringLiteral("get service"),
        [done](const QJsonObject &result) {
            const QJsonArray services = result.value(QLatin1String("services")).toArray();
            if (services.isEmpty()) {
                done({}, Failure{404, QStringLiteral("Failed to get service. The requested resource was not found.")});
                return;
            }
            done(services.first(), std::nullopt);
        },
        done);
}

void Client::incidents(const Account &account, const QString &serviceId, Done done)
{
    get(account, QStringLiteral("/incidents"),
        QStringLiteral("time_zone=UTC&sort_by=created_at&statuses[]=triggered&statuses[]=acknowledged&service_ids[]=%1")
            .arg(Support::pathSegment(serviceId)),
        QStringLiteral("get incidents for service"), [done](const QJsonObject &result) { done(result.value(QLatin1String("incidents")), std::nullopt); }, done);
}

void Client::changeEvents(const Account &account, const QString &serviceId, Done done)
{
    get(account, QStringLiteral("/services/%1/change_events").arg(Support::pathSegment(serviceId)),
        QStringLiteral("limit=5&time_zone=UTC&sort_by=timestamp"), QStringLiteral("get change events for service"),
        [done](const QJsonObject &result) { done(result.value(QLatin1String("change_events")), std::nullopt); }, done);
}

void Client::oncallUsers(const Account &account, const QString &escalationPolicy, Done done)
{
    get(account, QStringLiteral("/oncalls"), QStringLiteral("time_zone=UTC&include[]=users&escalation_policy_ids[]=%1").arg(QString::fromLatin1(QUrl::toPercentEncoding(escalationPolicy, ","))),
        QStringLiteral("list oncalls"),
        [done](const QJsonObject &result) {
            // The lowest escalation level only, by name, each user once.
            const QJsonArray oncalls = result.value(QLatin1String("oncalls")).toArray();
            qint64 lowest = std::numeric_limits<qint64>::max();
            for (const QJsonValue &oncall : oncalls)
                lowest = std::min(lowest, oncall[QLatin1String("escalation_level")].toInteger());
            std::multimap<QString, QJsonObject> byName;
            for (const QJsonValue &oncall : oncalls) {
                if (oncall[QLatin1String("escalation_level")].toInteger() == lowest)
                    byName.emplace(oncall[QLatin1String("user")][QLatin1String("name")].toString(), oncall[QLatin1String("user")].toObject());
            }
            QJsonArray users;
            QStringList seen;
            for (const auto &[name, user] : byName) {
                const QString id = user.value(QLatin1String("id")).toString();
                if (seen.contains(id))
                    continue;
                seen.append(id);
                users.append(user);
            }
            done(users, std::nullopt);
        },
        done);
}

} // namespace Greenroom::Plugins::PagerDuty
