// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Argo CD: a real greenroom-server with the plugin, two fake Argo CD
// instances (the demo services' fake; one with a token, one signing in with
// a username and password, one refusing), Roadie's backend routes with its
// answers and errors; the desktop card from them, and offline from the cache.
#include <fakeservicehost.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testentityview.h>
#include <testfiles.h>

#include <argocdcard.h>
#include <fakeargocd.h>

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using Greenroom::DemoServices::FakeArgoCd;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::TestView;

namespace {

QJsonObject application(const QString &name, const QString &app, const QString &sync, const QString &health, const QStringList &revisions)
{
    QJsonArray history;
    for (qsizetype i = 0; i < revisions.size(); ++i)
        history.append(QJsonObject{{QStringLiteral("id"), i}, {QStringLiteral("revision"), revisions.at(i)},
                                   {QStringLiteral("deployStartedAt"), QStringLiteral("2026-12-0%1T10:00:00Z").arg(i + 1)},
                                   {QStringLiteral("deployedAt"), QStringLiteral("2026-12-0%1T10:01:00Z").arg(i + 1)}});
    return {{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), QStringLiteral("argocd")},
                                                     {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), app}}}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("sync"), QJsonObject{{QStringLiteral("status"), sync}}},
                                                   {QStringLiteral("health"), QJsonObject{{QStringLiteral("status"), health}}},
                                                   {QStringLiteral("operationState"), QJsonObject{{QStringLiteral("startedAt"), QStringLiteral("2026-12-06T08:00:00Z")},
                                                                                                  {QStringLiteral("finishedAt"), QStringLiteral("2026-12-06T08:02:00Z")}}},
                                                   {QStringLiteral("history"), history}}}};
}

} // namespace

class TestArgoCd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void findAsksEveryInstance();
    void applicationsByNameAndSelector();
    void errorsAsUpstreamAnswers();
    void requestValuesStayInTheirSegment();
    void cardShowsApplicationsAndHistory();
    void cleanup() { m_server->reportIfTestFailed(); }

private:
    Reply get(const QString &path) { return m_server->request("GET", QStringLiteral("/api/argocd") + path); }

    QTemporaryDir m_dir;
    using Argo = Greenroom::TestSupport::HostedFake<FakeArgoCd>;
    Argo m_prod{Greenroom::TestSupport::byAuthorization<FakeArgoCd>, QStringLiteral("unused"), QStringLiteral("unused"), QStringLiteral("prod-token")};
    Argo m_staging{Greenroom::TestSupport::byAuthorization<FakeArgoCd>, QStringLiteral("backstage"), QStringLiteral("s3cret"), QStringLiteral("staging-session")};
    QTcpServer m_silent;   // takes connections, never answers
    Argo m_locked{Greenroom::TestSupport::byAuthorization<FakeArgoCd>, QStringLiteral("someone"), QStringLiteral("else"), QStringLiteral("locked-token")};
    std::unique_ptr<ServerProcess> m_server;
};

void TestArgoCd::initTestCase()
{
    QVERIFY(m_silent.listen(QHostAddress::LocalHost));
    m_prod.fake.addApplication(application(QStringLiteral("checkout"), QStringLiteral("checkout"), QStringLiteral("Synced"), QStringLiteral("Healthy"),
                                           {QStringLiteral("aaaaaaa1111"), QStringLiteral("bbbbbbb2222")}));
    m_prod.fake.addRevision(QStringLiteral("bbbbbbb2222"), QJsonObject{{QStringLiteral("author"), QStringLiteral("Ada")},
                                                                       {QStringLiteral("message"), QStringLiteral("Ship it")}});
    m_staging.fake.addApplication(application(QStringLiteral("checkout"), QStringLiteral("checkout"), QStringLiteral("OutOfSync"), QStringLiteral("Degraded"),
                                              {QStringLiteral("ccccccc3333")}));
    m_staging.fake.addApplication(application(QStringLiteral("storefront-web"), QStringLiteral("storefront"), QStringLiteral("Synced"), QStringLiteral("Progressing"), {}));
    m_staging.fake.addApplication(application(QStringLiteral("storefront-api"), QStringLiteral("storefront"), QStringLiteral("Synced"), QStringLiteral("Healthy"), {}));
    m_locked.fake.addApplication(application(QStringLiteral("checkout"), QStringLiteral("checkout"), QStringLiteral("Synced"), QStringLiteral("Healthy"), {}));
    Greenroom::TestSupport::writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")),
                                      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: checkout, annotations: {argocd/app-name: checkout}}\n"
                                      "spec: {type: service, lifecycle: production, owner: team-a}\n");
    Greenroom::TestSupport::writeFile(
        m_dir.filePath(QStringLiteral("app-config.yaml")),
        QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                       "catalog:\n  rules: [{allow: [Component]}]\n  locations: [{type: file, target: ./catalog-info.yaml}]\n"
                       "argocd:\n  username: backstage\n  password: s3cret\n  appLocatorMethods:\n    - type: config\n      instances:\n"
                       "        - {name: prod, url: '%1', token: prod-token}\n        - {name: staging, url: '%2'}\n"
                       "        - {name: locked, url: '%3'}\n        - {name: silent, url: 'http://127.0.0.1:%4', token: x}\n"
                       "greenroom:\n  plugins: {requestTimeoutMs: 2000}\n")
            .arg(m_prod.url(), m_staging.url(), m_locked.url()).arg(m_silent.serverPort()).toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.path(), {QStringLiteral("serve")}, Greenroom::TestSupport::builtPluginsEnvironment()), m_server->output().constData());
    QVERIFY2(m_server->output().contains("plugin: argocd 0.1.0 loaded from"), m_server->output().constData());
}

void TestArgoCd::findAsksEveryInstance()
{
    const Reply found = get(QStringLiteral("/find/name/checkout"));
    QCOMPARE(found.status, 200);
    // The configured order; the instance that refuses the sign-in is left out.
    QCOMPARE(found.json().toArray(), (QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("prod")}, {QStringLiteral("url"), m_prod.url()},
                                                             {QStringLiteral("appName"), QJsonArray{QStringLiteral("checkout")}}},
                                                 QJsonObject{{QStringLiteral("name"), QStringLiteral("staging")}, {QStringLiteral("url"), m_staging.url()},
                                                             {QStringLiteral("appName"), QJsonArray{QStringLiteral("checkout")}}}}));
    QVERIFY(m_staging.fake.calls().contains(QStringLiteral("POST api/v1/session")));   // signed in with argocd.username/password
    QVERIFY(!m_prod.fake.calls().contains(QStringLiteral("POST api/v1/session")));     // its token instead
    QCOMPARE(get(QStringLiteral("/find/name/nope")).json().toArray(), QJsonArray());
    const Reply selected = get(QStringLiteral("/find/selector/app%3Dstorefront"));
    QCOMPARE(selected.json().toArray(), (QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("staging")}, {QStringLiteral("url"), m_staging.url()},
                                                                {QStringLiteral("appName"), QJsonArray{QStringLiteral("storefront-web"), QStringLiteral("storefront-api")}}}}));
}

void TestArgoCd::applicationsByNameAndSelector()
{
    const Reply byName = get(QStringLiteral("/argoInstance/prod/applications/name/checkout"));
    QCOMPARE(byName.status, 200);
    QCOMPARE(byName.json()[QLatin1String("instance")].toString(), QStringLiteral("prod"));
    QCOMPARE(byName.json()[QLatin1String("status")][QLatin1String("sync")][QLatin1String("status")].toString(), QStringLiteral("Synced"));
    const Reply bySelector = get(QStringLiteral("/argoInstance/staging/applications/selector/app%3Dstorefront"));
    const QJsonArray items = bySelector.json()[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items[0][QLatin1String("metadata")][QLatin1String("instance")].toObject(), (QJsonObject{{QStringLiteral("name"), QStringLiteral("staging")}}));
    const Reply revision = get(QStringLiteral("/argoInstance/prod/applications/name/checkout/revisions/bbbbbbb2222/metadata"));
    QCOMPARE(revision.json()[QLatin1String("author")].toString(), QStringLiteral("Ada"));
}

void TestArgoCd::errorsAsUpstreamAnswers()
{
    const Reply nowhere = get(QStringLiteral("/argoInstance/nowhere/applications/name/checkout"));
    QCOMPARE(nowhere.status, 500);
    QCOMPARE(nowhere.json().toObject(), (QJsonObject{{QStringLiteral("status"), QStringLiteral("failed")},
                                                     {QStringLiteral("message"), QStringLiteral("cannot find an argo instance to match this cluster")}}));
    const Reply unknown = get(QStringLiteral("/argoInstance/prod/applications/name/nope"));
    QCOMPARE(unknown.status, 500);
    QCOMPARE(unknown.errorMessage(), QStringLiteral("Request failed with 404 Error"));
    // An instance that never answers: left out of find (above), and a failed request when asked directly.
    const Reply silent = get(QStringLiteral("/argoInstance/silent/applications/name/checkout"));
    QCOMPARE(silent.status, 500);
    QVERIFY2(silent.errorMessage().startsWith(QStringLiteral("request to http://127.0.0.1:%1/api/v1/applications/checkout failed, reason: ").arg(m_silent.serverPort())),
             qPrintable(silent.errorMessage()));
    const Reply locked = get(QStringLiteral("/argoInstance/locked/applications/name/checkout"));
    QCOMPARE(locked.status, 500);
    QCOMPARE(locked.errorMessage(), QStringLiteral("Getting unauthorized for Argo CD instance %1").arg(m_locked.url()));
}

void TestArgoCd::requestValuesStayInTheirSegment()
{
    // A name or revision from the request is one segment upstream: its '/' cannot lead to another route there.
    m_prod.fake.addApplication(application(QStringLiteral("team/checkout"), QStringLiteral("checkout"), QStringLiteral("Synced"), QStringLiteral("Healthy"),
                                           {QStringLiteral("release/1.0")}));
    m_prod.fake.addRevision(QStringLiteral("release/1.0"), QJsonObject{{QStringLiteral("author"), QStringLiteral("Grace")}});
    const Reply byName = get(QStringLiteral("/argoInstance/prod/applications/name/team%2Fcheckout"));
    QCOMPARE(byName.status, 200);
    QCOMPARE(byName.json()[QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("team/checkout"));
    const Reply revision = get(QStringLiteral("/argoInstance/prod/applications/name/team%2Fcheckout/revisions/release%2F1.0/metadata"));
    QCOMPARE(revision.status, 200);
    QCOMPARE(revision.json()[QLatin1String("author")].toString(), QStringLiteral("Grace"));
    QCOMPARE(get(QStringLiteral("/argoInstance/prod/applications/name/..%2Fsession")).errorMessage(), QStringLiteral("Request failed with 404 Error"));
}

void TestArgoCd::cardShowsApplicationsAndHistory()
{
    TestView view;
    view.server = QUrl(m_server->base());
    view.entityJson = QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("annotations"),
                                                                            QJsonObject{{QStringLiteral("argocd/app-name"), QStringLiteral("checkout")}}}}}};
    {
        Plugins::ArgoCd::ArgoCdCard card(view);
        QSignalSpy loaded(&card, &Plugins::ArgoCd::ArgoCdCard::loaded);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.first().first().toBool(), true);
        QTableWidget *apps = card.applications();
        QCOMPARE(apps->rowCount(), 2);
        QStringList rows;
        for (int row = 0; row < apps->rowCount(); ++row)
            rows << QStringLiteral("%1 %2 %3 %4").arg(apps->item(row, 0)->text(), apps->item(row, 1)->text(), apps->item(row, 2)->text(), apps->item(row, 3)->text());
        rows.sort();
        QCOMPARE(rows, (QStringList{QStringLiteral("checkout prod Synced Healthy"), QStringLiteral("checkout staging OutOfSync Degraded")}));
        QCOMPARE(card.history()->rowCount(), 3);
        card.resize(700, 420);
        QDir().mkpath(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
        QVERIFY(card.grab().save(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots/argocd-card.png")));
    }
    // By selector.
    TestView selected;
    selected.server = view.server;
    selected.entityJson = QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("annotations"),
                                                                                QJsonObject{{QStringLiteral("argocd/app-selector"), QStringLiteral("app=storefront")}}}}}};
    Plugins::ArgoCd::ArgoCdCard storefront(selected);
    QSignalSpy loaded(&storefront, &Plugins::ArgoCd::ArgoCdCard::loaded);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(storefront.applications()->rowCount(), 2);
    // Offline: the last answer, with its age.
    view.server = QUrl();
    view.cache[QStringLiteral("applications")].storedAt = QDateTime::currentDateTime().addSecs(-600);
    Plugins::ArgoCd::ArgoCdCard offline(view);
    QCOMPARE(offline.applications()->rowCount(), 2);
    QCOMPARE(offline.status()->text(), QStringLiteral("Offline: Argo CD's applications come through the Greenroom server.\nShowing the applications as of 10 min ago."));
}

QTEST_MAIN(TestArgoCd)
#include "tst_argocd.moc"
