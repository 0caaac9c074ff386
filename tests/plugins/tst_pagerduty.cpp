// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// PagerDuty: a real greenroom-server with the plugin and the fake PagerDuty
// (the demo services' one) on loopback: the backend routes with upstream's
// calls, answers and error sentences; the desktop card from them, its
// trigger sent to the fake Events API, and offline from the cache.
#include <fakeservicehost.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testentityview.h>
#include <testfiles.h>

#include <fakepagerduty.h>
#include <pagerdutycard.h>

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using Greenroom::DemoServices::FakePagerDuty;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::TestView;

namespace {

QJsonObject user(const QString &id, const QString &name)
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("name"), name}, {QStringLiteral("email"), name.toLower() + QStringLiteral("@acme.test")}};
}

QJsonObject oncall(int level, const QJsonObject &who)
{
    return {{QStringLiteral("escalation_level"), level}, {QStringLiteral("user"), who},
            {QStringLiteral("escalation_policy"), QJsonObject{{QStringLiteral("id"), QStringLiteral("PEP1")}}}};
}

} // namespace

class TestPagerDuty : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void routesAnswerAsUpstream();
    void errorsAreUpstreamsSentences();
    void cardShowsOnCallIncidentsAndChangesAndTriggers();
    void cleanup() { m_server->reportIfTestFailed(); }

private:
    Reply get(const QString &path) { return m_server->request("GET", QStringLiteral("/api/pagerduty") + path); }

    QTemporaryDir m_dir;
    Greenroom::TestSupport::HostedFake<FakePagerDuty> m_pagerduty{
        [](FakePagerDuty &fake, const DemoServices::FakeRequest &request, const QHttpServerRequest &raw) {
            return fake.answer(request, raw.value("authorization"), raw.value("accept"));
        },
        QStringLiteral("pd-token")};
    std::unique_ptr<ServerProcess> m_server;
};

void TestPagerDuty::initTestCase()
{
    QJsonArray incidents;
    for (const auto &[id, status] : {std::pair{"Q1", "triggered"}, std::pair{"Q2", "acknowledged"}, std::pair{"Q3", "resolved"}})
        incidents.append(QJsonObject{{QStringLiteral("id"), QLatin1String(id)}, {QStringLiteral("title"), QStringLiteral("Checkout errors %1").arg(QLatin1String(id))},
                                     {QStringLiteral("status"), QLatin1String(status)}, {QStringLiteral("urgency"), QStringLiteral("high")},
                                     {QStringLiteral("created_at"), QStringLiteral("2026-12-07T01:00:00Z")},
                                     {QStringLiteral("service"), QJsonObject{{QStringLiteral("id"), QStringLiteral("PSVC001")}}}});
    QJsonArray changes;
    for (int i = 0; i < 7; ++i)
        changes.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("C%1").arg(i)}, {QStringLiteral("summary"), QStringLiteral("Deploy %1").arg(i)},
                                   {QStringLiteral("source"), QStringLiteral("argocd")}, {QStringLiteral("timestamp"), QStringLiteral("2026-12-06T12:00:00Z")},
                                   {QStringLiteral("service"), QJsonObject{{QStringLiteral("id"), QStringLiteral("PSVC001")}}}});
    m_pagerduty.fake.load(QJsonObject{
        {QStringLiteral("services"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("PSVC001")}, {QStringLiteral("name"), QStringLiteral("Checkout")},
                                                            {QStringLiteral("html_url"), QStringLiteral("https://acme.pagerduty.com/services/PSVC001")},
                                                            {QStringLiteral("escalation_policy"), QJsonObject{{QStringLiteral("id"), QStringLiteral("PEP1")}}},
                                                            {QStringLiteral("integrations"), QJsonArray{QJsonObject{{QStringLiteral("integration_key"), QStringLiteral("KEY123")}}}}}}},
        {QStringLiteral("incidents"), incidents},
        {QStringLiteral("change_events"), changes},
        {QStringLiteral("oncalls"), QJsonArray{oncall(1, user(QStringLiteral("U2"), QStringLiteral("Bob"))), oncall(1, user(QStringLiteral("U1"), QStringLiteral("Alice"))),
                                               oncall(1, user(QStringLiteral("U1"), QStringLiteral("Alice"))), oncall(2, user(QStringLiteral("U3"), QStringLiteral("Carol")))}}});
    Greenroom::TestSupport::writeFile(m_dir.filePath(QStringLiteral("app-config.yaml")),
                                      QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                                                     "catalog:\n  locations: []\npagerDuty:\n  apiToken: pd-token\n  apiBaseUrl: %1\n")
                                          .arg(m_pagerduty.url()).toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.path(), {QStringLiteral("serve")}, Greenroom::TestSupport::builtPluginsEnvironment()), m_server->output().constData());
    QVERIFY2(m_server->output().contains("plugin: pagerduty 0.1.0 loaded from"), m_server->output().constData());
}

void TestPagerDuty::routesAnswerAsUpstream()
{
    const Reply service = get(QStringLiteral("/services/PSVC001"));
    QCOMPARE(service.status, 200);
    QCOMPARE(service.json()[QLatin1String("service")][QLatin1String("name")].toString(), QStringLiteral("Checkout"));
    QCOMPARE(m_pagerduty.fake.calls().last(), QStringLiteral("GET services/PSVC001?time_zone=UTC&include[]=integrations&include[]=escalation_policies"));
    QCOMPARE(get(QStringLiteral("/services?integration_key=KEY123")).json()[QLatin1String("service")][QLatin1String("id")].toString(), QStringLiteral("PSVC001"));
    QCOMPARE(m_pagerduty.fake.calls().last(), QStringLiteral("GET services?query=KEY123&time_zone=UTC&include[]=integrations&include[]=escalation_policies"));
    const QJsonArray incidents = get(QStringLiteral("/services/PSVC001/incidents")).json()[QLatin1String("incidents")].toArray();
    QCOMPARE(incidents.size(), 2);   // triggered and acknowledged only
    QCOMPARE(m_pagerduty.fake.calls().last(),
             QStringLiteral("GET incidents?time_zone=UTC&sort_by=created_at&statuses[]=triggered&statuses[]=acknowledged&service_ids[]=PSVC001"));
    QCOMPARE(get(QStringLiteral("/services/PSVC001/change-events")).json()[QLatin1String("change_events")].toArray().size(), 5);
    // The lowest escalation level, by name, once each.
    const QJsonArray users = get(QStringLiteral("/oncall-users?escalation_policy_ids[]=PEP1")).json()[QLatin1String("users")].toArray();
    QStringList names;
    for (const QJsonValue &user : users)
        names << user[QLatin1String("name")].toString();
    QCOMPARE(names, (QStringList{QStringLiteral("Alice"), QStringLiteral("Bob")}));
}

void TestPagerDuty::errorsAreUpstreamsSentences()
{
    const Reply unknownKey = get(QStringLiteral("/services?integration_key=NOPE"));
    QCOMPARE(unknownKey.status, 404);
    QCOMPARE(unknownKey.json().toObject(), (QJsonObject{{QStringLiteral("errors"), QJsonArray{QStringLiteral("Failed to get service. The requested resource was not found.")}}}));
    QCOMPARE(get(QStringLiteral("/services/NOPE")).json()[QLatin1String("errors")][0].toString(),
             QStringLiteral("Failed to get service. The requested resource was not found."));
    const Reply noPolicy = get(QStringLiteral("/oncall-users"));
    QCOMPARE(noPolicy.status, 400);
    QCOMPARE(noPolicy.body, QByteArray("\"Bad Request: 'escalation_policy_ids[]' is required\""));

    // A token PagerDuty refuses, on a named account: PagerDuty's 401 and upstream's sentence for each call.
    QTemporaryDir folder;
    QTcpServer silent;   // takes connections, never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    Greenroom::TestSupport::writeFile(folder.filePath(QStringLiteral("app-config.yaml")),
                                      QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                                                     "catalog:\n  locations: []\npagerDuty:\n  accounts:\n"
                                                     "    - {id: main, apiToken: pd-token, apiBaseUrl: '%1', isDefault: true}\n"
                                                     "    - {id: stale, apiToken: expired, apiBaseUrl: '%1'}\n"
                                                     "    - {id: slow, apiToken: pd-token, apiBaseUrl: 'http://127.0.0.1:%2'}\n"
                                                     "greenroom:\n  plugins: {requestTimeoutMs: 2000}\n")
                                          .arg(m_pagerduty.url()).arg(silent.serverPort()).toUtf8());
    ServerProcess accounts;
    QVERIFY2(accounts.start(folder.path(), {QStringLiteral("serve")}, Greenroom::TestSupport::builtPluginsEnvironment()), accounts.output().constData());
    QCOMPARE(accounts.request("GET", QStringLiteral("/api/pagerduty/services/PSVC001")).status, 200);   // the default account
    const Reply stale = accounts.request("GET", QStringLiteral("/api/pagerduty/services/PSVC001/incidents?account=stale"));
    QCOMPARE(stale.status, 401);
    QCOMPARE(stale.json()[QLatin1String("errors")][0].toString(),
             QStringLiteral("Failed to get incidents for service. Caller did not supply credentials or did not provide the correct credentials."));
    // An account whose API never answers: a 500 with the reason, where upstream's route would never answer at all.
    const Reply slow = accounts.request("GET", QStringLiteral("/api/pagerduty/services/PSVC001/incidents?account=slow"));
    QCOMPARE(slow.status, 500);
    QVERIFY2(slow.json()[QLatin1String("errors")][0].toString().startsWith(QStringLiteral("Failed to retrieve incidents for service: ")),
             slow.body.constData());
}

void TestPagerDuty::cardShowsOnCallIncidentsAndChangesAndTriggers()
{
    TestView view;
    view.server = QUrl(m_server->base());
    view.entityJson = QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("annotations"), QJsonObject{
                                                                                 {QStringLiteral("pagerduty.com/service-id"), QStringLiteral("PSVC001")},
                                                                                 {QStringLiteral("pagerduty.com/integration-key"), QStringLiteral("KEY123")}}}}}};
    view.configJson = QJsonObject{{QStringLiteral("pagerDuty"), QJsonObject{{QStringLiteral("eventsBaseUrl"), m_pagerduty.url() + QStringLiteral("/v2")}}}};
    {
        Plugins::PagerDuty::PagerDutyCard card(view);
        QSignalSpy loaded(&card, &Plugins::PagerDuty::PagerDutyCard::loaded);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.first().first().toBool(), true);
        QCOMPARE(card.service()->text(), QStringLiteral("Checkout"));
        QCOMPARE(card.onCall()->text(), QStringLiteral("On call now: Alice, Bob"));
        QCOMPARE(card.incidents()->rowCount(), 2);
        QCOMPARE(card.changes()->rowCount(), 5);
        QVERIFY(card.triggerButton()->isEnabled());
        QString error = QStringLiteral("(no answer)");
        card.triggerIncident(QStringLiteral("Checkout is down"), [&](const QString &e) { error = e; });
        QTRY_VERIFY(error != QLatin1String("(no answer)"));
        QCOMPARE(error, QString());
        const QJsonObject event = m_pagerduty.fake.events().last().toObject();
        QCOMPARE(event.value(QLatin1String("routing_key")).toString(), QStringLiteral("KEY123"));
        QCOMPARE(event.value(QLatin1String("event_action")).toString(), QStringLiteral("trigger"));
        QCOMPARE(event.value(QLatin1String("payload"))[QLatin1String("summary")].toString(), QStringLiteral("Checkout is down"));
        QCOMPARE(event.value(QLatin1String("payload"))[QLatin1String("severity")].toString(), QStringLiteral("error"));
        card.resize(460, 520);
        QDir().mkpath(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
        QVERIFY(card.grab().save(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots/pagerduty-card.png")));
    }
    // Offline: the last answer with its age; without an integration key there is nothing to trigger with.
    view.server = QUrl();
    view.cache[QStringLiteral("card")].storedAt = QDateTime::currentDateTime().addSecs(-7200);
    Plugins::PagerDuty::PagerDutyCard offline(view);
    QCOMPARE(offline.onCall()->text(), QStringLiteral("On call now: Alice, Bob"));
    QCOMPARE(offline.status()->text(), QStringLiteral("Offline: PagerDuty comes through the Greenroom server.\nShowing PagerDuty as of 2 h ago."));
    TestView keyless;
    keyless.entityJson = QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("annotations"), QJsonObject{
                                                                                    {QStringLiteral("pagerduty.com/service-id"), QStringLiteral("PSVC001")}}}}}};
    Plugins::PagerDuty::PagerDutyCard noKey(keyless);
    QVERIFY(!noKey.triggerButton()->isEnabled());
}

QTEST_MAIN(TestPagerDuty)
#include "tst_pagerduty.moc"
