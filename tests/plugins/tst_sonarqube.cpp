// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// SonarQube: a real greenroom-server with the plugin from the build's plugin
// folder, asking the fake SonarQube (the demo services' one) on loopback the
// calls upstream's backend makes, answering Backstage's routes with their
// shapes and errors; a partial config leaves the plugin out; the desktop's
// Code Quality card from the server's answer, and offline from the cache.
#include <fakeservicehost.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testentityview.h>
#include <testfiles.h>

#include <codequalitycard.h>
#include <fakesonarqube.h>

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QLabel>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using Greenroom::DemoServices::FakeSonarQube;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::TestView;

namespace {

QByteArray component(const QString &name, const QString &projectKey)
{
    const QString annotations = projectKey.isEmpty() ? QString() : QStringLiteral(", annotations: {sonarqube.org/project-key: '%1'}").arg(projectKey);
    return QStringLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: %1%2}\n"
                          "spec: {type: service, lifecycle: production, owner: team-a}\n").arg(name, annotations).toUtf8();
}

} // namespace

class TestSonarQube : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void summaryAsBackstageAnswersIt();
    void errorsInBackstagesShapes();
    void deprecatedRoutes();
    void partialConfigLeavesThePluginOut();
    void cardShowsTheFindingsAndKeepsThemOffline();
    void cleanup() { m_server->reportIfTestFailed(); }

private:
    Reply get(const QString &path) { return m_server->request("GET", path); }
    static QProcessEnvironment environment() { return Greenroom::TestSupport::builtPluginsEnvironment(); }

    QTemporaryDir m_dir;
    QTcpServer m_silent;   // takes connections, never answers
    Greenroom::TestSupport::HostedFake<FakeSonarQube> m_sonar{Greenroom::TestSupport::byAuthorization<FakeSonarQube>, QStringLiteral("sonar-token")};
    std::unique_ptr<ServerProcess> m_server;
};

void TestSonarQube::initTestCase()
{
    QVERIFY(m_silent.listen(QHostAddress::LocalHost));
    m_sonar.fake.setMaxPageSize(7);   // 20 metrics: upstream's loop asks for three pages
    m_sonar.fake.addProject(QStringLiteral("acme:checkout"), QStringLiteral("Checkout"), QStringLiteral("2026-12-01T09:30:00+0000"),
                            QJsonObject{{QStringLiteral("alert_status"), QStringLiteral("ERROR")}, {QStringLiteral("bugs"), QStringLiteral("3")},
                                        {QStringLiteral("reliability_rating"), QStringLiteral("3.0")}, {QStringLiteral("vulnerabilities"), QStringLiteral("0")},
                                        {QStringLiteral("security_rating"), QStringLiteral("1.0")}, {QStringLiteral("code_smells"), QStringLiteral("42")},
                                        {QStringLiteral("sqale_rating"), QStringLiteral("1.0")}, {QStringLiteral("coverage"), QStringLiteral("81.3")},
                                        {QStringLiteral("duplicated_lines_density"), QStringLiteral("2.1")},
                                        {QStringLiteral("security_hotspots_reviewed"), QStringLiteral("100.0")}, {QStringLiteral("ncloc"), QStringLiteral("5000")}});
    m_sonar.fake.addProject(QStringLiteral("ledger-key"), QStringLiteral("Ledger"), QStringLiteral("2026-11-30T10:00:00+0000"),
                            QJsonObject{{QStringLiteral("alert_status"), QStringLiteral("OK")}, {QStringLiteral("bugs"), QStringLiteral("0")}});
    Greenroom::TestSupport::writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")),
                                      component(QStringLiteral("checkout"), QStringLiteral("acme:checkout")) + component(QStringLiteral("ledger"), QStringLiteral("finance/ledger-key"))
                                          + component(QStringLiteral("unanalysed"), QStringLiteral("nobody")) + component(QStringLiteral("plain"), {})
                                          + component(QStringLiteral("elsewhere"), QStringLiteral("nowhere/x"))
                                          + component(QStringLiteral("refused"), QStringLiteral("wrongkey/acme:checkout"))
                                          + component(QStringLiteral("slow"), QStringLiteral("silent/acme:checkout")));
    Greenroom::TestSupport::writeFile(
        m_dir.filePath(QStringLiteral("app-config.yaml")),
        QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                       "catalog:\n  rules: [{allow: [Component]}]\n  locations: [{type: file, target: ./catalog-info.yaml}]\n"
                       "sonarqube:\n  baseUrl: %1\n  apiKey: sonar-token\n  externalBaseUrl: https://sonar.acme.test\n"
                       "  instances: [{name: finance, baseUrl: %1, apiKey: sonar-token, authType: Bearer}, {name: wrongkey, baseUrl: %1, apiKey: nope},\n"
                       "              {name: silent, baseUrl: 'http://127.0.0.1:%2', apiKey: x}]\n"
                       "greenroom:\n  plugins: {requestTimeoutMs: 2000}\n")
            .arg(m_sonar.url()).arg(m_silent.serverPort()).toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.path(), {QStringLiteral("serve")}, environment()), m_server->output().constData());
    QVERIFY2(m_server->output().contains("plugin: sonarqube 0.1.0 loaded from"), m_server->output().constData());
}

void TestSonarQube::summaryAsBackstageAnswersIt()
{
    const Reply summary = get(QStringLiteral("/api/sonarqube/entities/component/default/checkout/summary"));
    QCOMPARE(summary.status, 200);
    const QJsonObject body = summary.json().toObject();
    QCOMPARE(body.keys(), (QStringList{QStringLiteral("componentKey"), QStringLiteral("findings"), QStringLiteral("instanceUrl")}));
    QCOMPARE(body.value(QLatin1String("componentKey")).toString(), QStringLiteral("acme:checkout"));
    QCOMPARE(body.value(QLatin1String("instanceUrl")).toString(), QStringLiteral("https://sonar.acme.test"));   // externalBaseUrl first
    QCOMPARE(body.value(QLatin1String("findings"))[QLatin1String("analysisDate")].toString(), QStringLiteral("2026-12-01T09:30:00+0000"));
    QStringList metrics;
    for (const QJsonValue &measure : body.value(QLatin1String("findings"))[QLatin1String("measures")].toArray())
        metrics << measure[QLatin1String("metric")].toString() + QLatin1Char('=') + measure[QLatin1String("value")].toString();
    QCOMPARE(metrics, (QStringList{QStringLiteral("alert_status=ERROR"), QStringLiteral("bugs=3"), QStringLiteral("reliability_rating=3.0"),
                                   QStringLiteral("vulnerabilities=0"), QStringLiteral("security_rating=1.0"),
                                   QStringLiteral("security_hotspots_reviewed=100.0"), QStringLiteral("code_smells=42"),
                                   QStringLiteral("sqale_rating=1.0"), QStringLiteral("coverage=81.3"), QStringLiteral("duplicated_lines_density=2.1")}));
    // Upstream's three calls, in its order and with its parameters.
    const QStringList calls = m_sonar.fake.calls().mid(m_sonar.fake.calls().size() - 5);
    QCOMPARE(calls, (QStringList{QStringLiteral("api/components/show?component=acme:checkout"), QStringLiteral("api/metrics/search?ps=500&p=1"),
                                 QStringLiteral("api/metrics/search?ps=500&p=2"), QStringLiteral("api/metrics/search?ps=500&p=3"),
                                 QStringLiteral("api/measures/component?component=acme:checkout&metricKeys=alert_status,bugs,reliability_rating,"
                                                "vulnerabilities,security_rating,security_hotspots_reviewed,security_review_rating,code_smells,"
                                                "sqale_rating,coverage,duplicated_lines_density")}));
    // A named instance ("finance/"), asked with a bearer token; its URL is its baseUrl.
    const Reply ledger = get(QStringLiteral("/api/sonarqube/entities/component/default/ledger/summary"));
    QCOMPARE(ledger.status, 200);
    QCOMPARE(ledger.json()[QLatin1String("componentKey")].toString(), QStringLiteral("ledger-key"));
    QCOMPARE(ledger.json()[QLatin1String("instanceUrl")].toString(), m_sonar.url());
}

void TestSonarQube::errorsInBackstagesShapes()
{
    const Reply missing = get(QStringLiteral("/api/sonarqube/entities/component/default/nope/summary"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.errorMessage(), QStringLiteral("Entity component:default/nope not found"));
    QCOMPARE(missing.json()[QLatin1String("request")][QLatin1String("url")].toString(), QStringLiteral("/entities/component/default/nope/summary"));
    const Reply plain = get(QStringLiteral("/api/sonarqube/entities/component/default/plain/summary"));
    QCOMPARE(plain.status, 400);
    QCOMPARE(plain.errorMessage(), QStringLiteral("Entity component:default/plain is missing the sonarqube.org/project-key annotation"));
    // SonarQube does not know the key: upstream's ResponseError, a 500.
    const Reply unknown = get(QStringLiteral("/api/sonarqube/entities/component/default/unanalysed/summary"));
    QCOMPARE(unknown.status, 500);
    QCOMPARE(unknown.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("ResponseError"));
    QCOMPARE(unknown.errorMessage(), QStringLiteral("Request failed with 404 Not Found"));
    // A token SonarQube refuses: upstream's ResponseError names the status.
    const Reply refused = get(QStringLiteral("/api/sonarqube/entities/component/default/refused/summary"));
    QCOMPARE(refused.status, 500);
    QCOMPARE(refused.errorMessage(), QStringLiteral("Request failed with 401 Unauthorized"));
    // A SonarQube that never answers: given up after greenroom.plugins.requestTimeoutMs, as a failed request.
    const Reply slow = get(QStringLiteral("/api/sonarqube/entities/component/default/slow/summary"));
    QCOMPARE(slow.status, 500);
    QVERIFY2(slow.errorMessage().startsWith(QStringLiteral("request to http://127.0.0.1:%1/api/components/show?component=acme%3Acheckout failed, reason: ")
                                                .arg(m_silent.serverPort())),
             qPrintable(slow.errorMessage()));
    QVERIFY2(slow.elapsedMs < 10000, qPrintable(QString::number(slow.elapsedMs)));
    const Reply elsewhere = get(QStringLiteral("/api/sonarqube/entities/component/default/elsewhere/summary"));
    QCOMPARE(elsewhere.status, 500);
    QCOMPARE(elsewhere.errorMessage(), QStringLiteral("Couldn't find a sonarqube instance in the config with name nowhere"));
}

void TestSonarQube::deprecatedRoutes()
{
    const Reply findings = get(QStringLiteral("/api/sonarqube/findings?componentKey=ledger-key"));
    QCOMPARE(findings.status, 200);
    QCOMPARE(findings.headers.value("deprecation"), QByteArray("true"));
    QCOMPARE(findings.json()[QLatin1String("measures")].toArray().size(), 2);
    QCOMPARE(get(QStringLiteral("/api/sonarqube/findings")).errorMessage(), QStringLiteral("ComponentKey must be provided as a single string."));
    const Reply url = get(QStringLiteral("/api/sonarqube/instanceUrl?instanceKey=finance"));
    QCOMPARE(url.json()[QLatin1String("instanceUrl")].toString(), m_sonar.url());
    QCOMPARE(url.headers.value("deprecation"), QByteArray("true"));
}

void TestSonarQube::partialConfigLeavesThePluginOut()
{
    QTemporaryDir folder;
    Greenroom::TestSupport::writeFile(folder.filePath(QStringLiteral("app-config.yaml")),
                                      "backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                                      "catalog:\n  locations: []\nsonarqube:\n  baseUrl: http://127.0.0.1:1\n");
    ServerProcess server;
    QVERIFY2(server.start(folder.path(), {QStringLiteral("serve")}, environment()), server.output().constData());
    QVERIFY2(server.output().contains("is skipped: Found partial default sonarqube config. All (or none) of baseUrl and apiKey must be provided."),
             server.output().constData());
    QCOMPARE(server.request("GET", QStringLiteral("/api/sonarqube/instanceUrl")).status, 404);
}

void TestSonarQube::cardShowsTheFindingsAndKeepsThemOffline()
{
    TestView view;
    view.server = QUrl(m_server->base());
    view.entityJson = QJsonObject{{QStringLiteral("kind"), QStringLiteral("Component")}};
    {
        Plugins::SonarQube::CodeQualityCard card(view);
        QSignalSpy loaded(&card, &Plugins::SonarQube::CodeQualityCard::loaded);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.first().first().toBool(), true);
        QCOMPARE(card.gate()->text(), QStringLiteral("Quality gate: failed"));
        QCOMPARE(card.tile(QStringLiteral("Bugs")), QStringLiteral("3 (C)"));
        QCOMPARE(card.tile(QStringLiteral("Vulnerabilities")), QStringLiteral("0 (A)"));
        QCOMPARE(card.tile(QStringLiteral("Coverage")), QStringLiteral("81.3 %"));
        QCOMPARE(card.tile(QStringLiteral("Duplications")), QStringLiteral("2.1 %"));
        QVERIFY(card.status()->text().startsWith(QLatin1String("Last analysis 2026-12-01")));
        auto *link = card.findChild<QLabel *>(QStringLiteral("sonarqubeLink"));
        QVERIFY(link->text().contains(QLatin1String("https://sonar.acme.test/dashboard?id=acme:checkout")));
        card.resize(420, 260);
        QDir().mkpath(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
        QVERIFY(card.grab().save(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots/sonarqube-card.png")));
    }
    // Offline: the cached findings at once, with their age.
    view.server = QUrl();
    view.cache[QStringLiteral("summary")].storedAt = QDateTime::currentDateTime().addSecs(-3 * 3600);
    Plugins::SonarQube::CodeQualityCard offline(view);
    QCOMPARE(offline.tile(QStringLiteral("Bugs")), QStringLiteral("3 (C)"));
    QCOMPARE(offline.status()->text(), QStringLiteral("Offline: SonarQube's findings come through the Greenroom server.\nShowing the findings as of 3 h ago."));
}

QTEST_MAIN(TestSonarQube)
#include "tst_sonarqube.moc"
