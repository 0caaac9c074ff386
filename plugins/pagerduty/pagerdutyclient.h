// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace Greenroom::Plugins::PagerDuty {

struct Account
{
    QString id;
    QString apiToken;
    QString apiBaseUrl = QStringLiteral("https://api.pagerduty.com");
};

// pagerDuty.apiToken (+ apiBaseUrl), or pagerDuty.accounts[] (id, apiToken,
// isDefault, apiBaseUrl). OAuth is not read here.
struct Settings
{
    QList<Account> accounts;
    QString defaultAccount;

    static std::optional<Settings> read(const QJsonValue &pagerDuty, QString *error);
    // The account a request names (?account=), else the default one.
    const Account *account(const QString &id) const;
};

// What went wrong, as PagerDuty's backend answers it: the status and its sentence.
struct Failure
{
    int status = 500;
    QString message;
};

/*
 * The REST calls PagerDuty's Backstage backend (@pagerduty/backstage-plugin-backend
 * 0.14.0) makes, with its parameters, headers and error sentences: a
 * service by id or by integration key, a service's open incidents and its
 * last five change events, and who is on call for an escalation policy
 * (the lowest escalation level, by name, once each).
 */
class Client : public QObject
{
    Q_OBJECT

public:
    Client(QNetworkAccessManager *network, QObject *parent = nullptr);
    // How long an answer may take (greenroom.plugins.requestTimeoutMs; upstream's fetch waits forever).
    void setTimeoutMs(int timeout) { m_timeoutMs = timeout; }

    using Done = std::function<void(const QJsonValue &, const std::optional<Failure> &)>;
    void service(const Account &account, const QString &id, Done done);
    void serviceByIntegrationKey(const Account &account, const QString &key, Done done);
    void incidents(const Account &account, const QString &serviceId, Done done);
    void changeEvents(const Account &account, const QString &serviceId, Done done);
    void oncallUsers(const Account &account, const QString &escalationPolicy, Done done);

private:
    // `operation` names the call in upstream's sentences ("get service", "list oncalls", ...).
    void get(const Account &account, const QString &path, const QString &query, const QString &operation, std::function<void(const QJsonObject &)> parsed,
             Done done);

    QPointer<QNetworkAccessManager> m_network;
    int m_timeoutMs = 30000;
};

} // namespace Greenroom::Plugins::PagerDuty
