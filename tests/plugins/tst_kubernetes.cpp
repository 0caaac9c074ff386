// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Kubernetes: a real greenroom-server with the plugin and fake clusters (the
// demo services' fake API server): one answering, one forbidding a type, one
// out of reach. The route answers Backstage's ObjectsByEntityResponse with
// the calls upstream makes; the desktop tab groups pods under deployments
// and names their problems; offline it shows the last answer.
#include <fakeservicehost.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testentityview.h>
#include <testfiles.h>

#include <fakekubernetes.h>
#include <kubernetestab.h>

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QLabel>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Greenroom;
using Greenroom::DemoServices::FakeKubernetes;
using Greenroom::TestSupport::Reply;
using Greenroom::TestSupport::ServerProcess;
using Greenroom::TestSupport::TestView;

namespace {

QJsonObject meta(const QString &name, const QString &namespaceName, const QJsonObject &labels, const QString &owner = {})
{
    QJsonObject metadata{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), namespaceName}, {QStringLiteral("labels"), labels}};
    if (!owner.isEmpty())
        metadata.insert(QStringLiteral("ownerReferences"), QJsonArray{QJsonObject{{QStringLiteral("name"), owner}}});
    return metadata;
}

QJsonObject pod(const QString &name, const QJsonObject &labels, const QString &owner, const QJsonObject &state, bool ready, int restarts,
                const QString &namespaceName = QStringLiteral("checkout"))
{
    return {{QStringLiteral("apiVersion"), QStringLiteral("v1")}, {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), meta(name, namespaceName, labels, owner)},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")},
                                                   {QStringLiteral("startTime"), QDateTime::currentDateTimeUtc().addSecs(-7200).toString(Qt::ISODate)},
                                                   {QStringLiteral("containerStatuses"), QJsonArray{QJsonObject{
                                                       {QStringLiteral("name"), QStringLiteral("app")}, {QStringLiteral("ready"), ready},
                                                       {QStringLiteral("restartCount"), restarts}, {QStringLiteral("state"), state}}}}}}};
}

} // namespace

class TestKubernetes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void objectsByEntityAsBackstage();
    void namespaceSelectorAndUnknownEntities();
    void problemsAreDetected();
    void tabGroupsPodsUnderDeployments();
    void cleanup() { m_server->reportIfTestFailed(); }

private:
    Reply services(const QString &name, const QJsonObject &entity)
    {
        return m_server->request("POST", QStringLiteral("/api/kubernetes/services/") + name,
                                 QJsonDocument(QJsonObject{{QStringLiteral("entity"), entity}, {QStringLiteral("auth"), QJsonObject()}}).toJson());
    }
    static QJsonObject component(const QString &name)
    {
        return {{QStringLiteral("kind"), QStringLiteral("Component")}, {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}}};
    }

    QTemporaryDir m_dir;
    Greenroom::TestSupport::HostedFake<FakeKubernetes> m_prod{Greenroom::TestSupport::byAuthorization<FakeKubernetes>, QStringLiteral("prod-token")};
    Greenroom::TestSupport::HostedFake<FakeKubernetes> m_locked{Greenroom::TestSupport::byAuthorization<FakeKubernetes>, QStringLiteral("locked-token")};
    quint16 m_closedPort = 0;
    QTcpServer m_silent;   // takes connections, never answers
    std::unique_ptr<ServerProcess> m_server;
};

void TestKubernetes::initTestCase()
{
    const QJsonObject id{{QStringLiteral("backstage.io/kubernetes-id"), QStringLiteral("checkout")}};
    m_prod.fake.addObject(QStringLiteral("deployments"), {{QStringLiteral("apiVersion"), QStringLiteral("apps/v1")}, {QStringLiteral("kind"), QStringLiteral("Deployment")},
                                                          {QStringLiteral("metadata"), meta(QStringLiteral("checkout"), QStringLiteral("checkout"), id)},
                                                          {QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), 3}}},
                                                          {QStringLiteral("status"), QJsonObject{{QStringLiteral("readyReplicas"), 1}, {QStringLiteral("unavailableReplicas"), 2}}}});
    m_prod.fake.addObject(QStringLiteral("replicasets"), {{QStringLiteral("apiVersion"), QStringLiteral("apps/v1")}, {QStringLiteral("kind"), QStringLiteral("ReplicaSet")},
                                                          {QStringLiteral("metadata"), meta(QStringLiteral("checkout-7d9f"), QStringLiteral("checkout"), id, QStringLiteral("checkout"))}});
    m_prod.fake.addObject(QStringLiteral("pods"), pod(QStringLiteral("checkout-7d9f-a"), id, QStringLiteral("checkout-7d9f"),
                                                      QJsonObject{{QStringLiteral("running"), QJsonObject()}}, true, 0));
    m_prod.fake.addObject(QStringLiteral("pods"), pod(QStringLiteral("checkout-7d9f-b"), id, QStringLiteral("checkout-7d9f"),
                                                      QJsonObject{{QStringLiteral("waiting"), QJsonObject{{QStringLiteral("reason"), QStringLiteral("CrashLoopBackOff")}}}}, false, 7));
    m_prod.fake.addObject(QStringLiteral("pods"), pod(QStringLiteral("checkout-7d9f-c"), id, QStringLiteral("checkout-7d9f"),
                                                      QJsonObject{{QStringLiteral("running"), QJsonObject()}}, false, 0));
    m_prod.fake.addObject(QStringLiteral("pods"), pod(QStringLiteral("web-1"), {{QStringLiteral("app"), QStringLiteral("web")}}, {},
                                                      QJsonObject{{QStringLiteral("running"), QJsonObject()}}, true, 0, QStringLiteral("shop")));
    m_prod.fake.addObject(QStringLiteral("pods"), pod(QStringLiteral("web-elsewhere"), {{QStringLiteral("app"), QStringLiteral("web")}}, {},
                                                      QJsonObject{{QStringLiteral("running"), QJsonObject()}}, true, 0, QStringLiteral("other")));
    m_locked.fake.forbid(QStringLiteral("/apis/apps/v1/deployments"));
    QVERIFY(m_silent.listen(QHostAddress::LocalHost));
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    m_closedPort = closed.serverPort();
    closed.close();
    Greenroom::TestSupport::writeFile(m_dir.filePath(QStringLiteral("catalog-info.yaml")),
                                      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: checkout, annotations: {backstage.io/kubernetes-id: checkout}}\n"
                                      "spec: {type: service, lifecycle: production, owner: team-a}\n---\n"
                                      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n  annotations:\n"
                                      "    backstage.io/kubernetes-label-selector: app=web\n    backstage.io/kubernetes-namespace: shop\n"
                                      "spec: {type: website, lifecycle: production, owner: team-a}\n");
    Greenroom::TestSupport::writeFile(
        m_dir.filePath(QStringLiteral("app-config.yaml")),
        QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: ':memory:'}\n"
                       "catalog:\n  rules: [{allow: [Component]}]\n  locations: [{type: file, target: ./catalog-info.yaml}]\n"
                       "kubernetes:\n  serviceLocatorMethod: {type: multiTenant}\n  clusterLocatorMethods:\n    - type: config\n      clusters:\n"
                       "        - {name: prod, title: Production, url: '%1', authProvider: serviceAccount, serviceAccountToken: prod-token, dashboardUrl: 'https://k8s.acme.test'}\n"
                       "        - {name: locked, url: '%2', authProvider: serviceAccount, serviceAccountToken: locked-token}\n"
                       "        - {name: gone, url: 'http://127.0.0.1:%3', authProvider: serviceAccount, serviceAccountToken: x}\n"
                       "        - {name: stale, url: '%1', authProvider: serviceAccount, serviceAccountToken: expired}\n"
                       "        - {name: silent, url: 'http://127.0.0.1:%4', authProvider: serviceAccount, serviceAccountToken: x}\n"
                       "greenroom:\n  plugins: {requestTimeoutMs: 2000}\n")
            .arg(m_prod.url(), m_locked.url()).arg(m_closedPort).arg(m_silent.serverPort()).toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.path(), {QStringLiteral("serve")}, Greenroom::TestSupport::builtPluginsEnvironment()), m_server->output().constData());
    QVERIFY2(m_server->output().contains("plugin: kubernetes 0.1.0 loaded from"), m_server->output().constData());
}

void TestKubernetes::objectsByEntityAsBackstage()
{
    const Reply reply = services(QStringLiteral("checkout"), component(QStringLiteral("checkout")));
    QCOMPARE(reply.status, 200);
    const QJsonArray items = reply.json()[QLatin1String("items")].toArray();
    QCOMPARE(items.size(), 5);   // prod with objects; locked, gone, stale and silent with errors
    const QJsonObject prod = items[0].toObject();
    QCOMPARE(prod.value(QLatin1String("cluster")).toObject(),
             (QJsonObject{{QStringLiteral("name"), QStringLiteral("prod")}, {QStringLiteral("title"), QStringLiteral("Production")},
                          {QStringLiteral("dashboardUrl"), QStringLiteral("https://k8s.acme.test")}}));
    QStringList types;
    for (const QJsonValue &response : prod.value(QLatin1String("resources")).toArray())
        types << response[QLatin1String("type")].toString() + QLatin1Char('=') + QString::number(response[QLatin1String("resources")].toArray().size());
    QCOMPARE(types, (QStringList{QStringLiteral("pods=3"), QStringLiteral("services=0"), QStringLiteral("configmaps=0"), QStringLiteral("limitranges=0"),
                                 QStringLiteral("resourcequotas=0"), QStringLiteral("deployments=1"), QStringLiteral("replicasets=1"),
                                 QStringLiteral("horizontalpodautoscalers=0"), QStringLiteral("jobs=0"), QStringLiteral("cronjobs=0"),
                                 QStringLiteral("ingresses=0"), QStringLiteral("statefulsets=0"), QStringLiteral("daemonsets=0")}));
    QCOMPARE(prod.value(QLatin1String("errors")).toArray(), QJsonArray());
    QCOMPARE(prod.value(QLatin1String("podMetrics")).toArray(), QJsonArray());
    QVERIFY(m_prod.fake.calls().contains(QStringLiteral("/api/v1/pods?labelSelector=backstage.io/kubernetes-id=checkout")));
    QVERIFY(m_prod.fake.calls().contains(QStringLiteral("/apis/autoscaling/v2/horizontalpodautoscalers?labelSelector=backstage.io/kubernetes-id=checkout")));
    // A 403 on one type is that type's UNKNOWN_ERROR; a cluster out of reach is one FETCH_ERROR.
    QCOMPARE(items[1][QLatin1String("errors")].toArray(),
             (QJsonArray{QJsonObject{{QStringLiteral("errorType"), QStringLiteral("UNKNOWN_ERROR")}, {QStringLiteral("statusCode"), 403},
                                     {QStringLiteral("resourcePath"), QStringLiteral("/apis/apps/v1/deployments")}}}));
    const QJsonArray gone = items[2][QLatin1String("errors")].toArray();
    QCOMPARE(gone.size(), 1);
    QCOMPARE(gone[0][QLatin1String("errorType")].toString(), QStringLiteral("FETCH_ERROR"));
    QVERIFY(gone[0][QLatin1String("message")].toString().startsWith(QStringLiteral("request to http://127.0.0.1:%1/").arg(m_closedPort)));
    QCOMPARE(items[2][QLatin1String("resources")].toArray(), QJsonArray());
    // A token the cluster refuses: every type's UNAUTHORIZED_ERROR, in upstream's order.
    const QJsonArray stale = items[3][QLatin1String("errors")].toArray();
    QCOMPARE(stale.size(), 13);
    QCOMPARE(stale[0].toObject(), (QJsonObject{{QStringLiteral("errorType"), QStringLiteral("UNAUTHORIZED_ERROR")}, {QStringLiteral("statusCode"), 401},
                                              {QStringLiteral("resourcePath"), QStringLiteral("/api/v1/pods")}}));
    QCOMPARE(stale[12][QLatin1String("resourcePath")].toString(), QStringLiteral("/apis/apps/v1/daemonsets"));
    // A cluster that never answers: given up after greenroom.plugins.requestTimeoutMs, one FETCH_ERROR.
    const QJsonArray silent = items[4][QLatin1String("errors")].toArray();
    QCOMPARE(silent.size(), 1);
    QCOMPARE(silent[0][QLatin1String("errorType")].toString(), QStringLiteral("FETCH_ERROR"));
    QVERIFY(reply.elapsedMs < 15000);

    const Reply clusters = m_server->request("GET", QStringLiteral("/api/kubernetes/clusters"));
    QCOMPARE(clusters.json()[QLatin1String("items")].toArray().size(), 5);
    QCOMPARE(clusters.json()[QLatin1String("items")][0][QLatin1String("authProvider")].toString(), QStringLiteral("serviceAccount"));
}

void TestKubernetes::namespaceSelectorAndUnknownEntities()
{
    // The catalog's entity, not the body's: its selector and namespace.
    const Reply web = services(QStringLiteral("web"), component(QStringLiteral("web")));
    QCOMPARE(web.status, 200);
    QVERIFY(m_prod.fake.calls().contains(QStringLiteral("/api/v1/namespaces/shop/pods?labelSelector=app=web")));
    const QJsonArray pods = web.json()[QLatin1String("items")][0][QLatin1String("resources")][0][QLatin1String("resources")].toArray();
    QCOMPARE(pods.size(), 1);
    QCOMPARE(pods[0][QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("web-1"));
    const Reply unknown = services(QStringLiteral("nope"), component(QStringLiteral("nope")));
    QCOMPARE(unknown.status, 403);
    QCOMPARE(unknown.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("NotAllowedError"));
    QCOMPARE(unknown.errorMessage(), QStringLiteral("Entity not found, component:default/nope"));
}

void TestKubernetes::problemsAreDetected()
{
    const auto problems = [](const QJsonObject &state, bool ready) {
        return Plugins::Kubernetes::podProblems(pod(QStringLiteral("p"), {}, {}, state, ready, 4)).join(QLatin1Char('|'));
    };
    QCOMPARE(problems({{QStringLiteral("running"), QJsonObject()}}, true), QString());
    QCOMPARE(problems({{QStringLiteral("waiting"), QJsonObject{{QStringLiteral("reason"), QStringLiteral("CrashLoopBackOff")}}}}, false),
             QStringLiteral("app is crash looping (4 restarts)"));
    QCOMPARE(problems({{QStringLiteral("waiting"), QJsonObject{{QStringLiteral("reason"), QStringLiteral("ImagePullBackOff")},
                                                               {QStringLiteral("message"), QStringLiteral("manifest unknown")}}}}, false),
             QStringLiteral("app cannot pull its image: manifest unknown"));
    QCOMPARE(problems({{QStringLiteral("running"), QJsonObject()}}, false), QStringLiteral("app is running but not ready (its readiness probe is failing)"));
}

void TestKubernetes::tabGroupsPodsUnderDeployments()
{
    TestView view;
    view.server = QUrl(m_server->base());
    view.entityJson = component(QStringLiteral("checkout"));
    view.entityJson.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("checkout")},
                                                                   {QStringLiteral("annotations"), QJsonObject{{QStringLiteral("backstage.io/kubernetes-id"), QStringLiteral("checkout")}}}});
    {
        Plugins::Kubernetes::KubernetesTab tab(view);
        QSignalSpy loaded(&tab, &Plugins::Kubernetes::KubernetesTab::loaded);
        QVERIFY(loaded.wait(15000));
        QCOMPARE(loaded.first().first().toBool(), true);
        QCOMPARE(tab.findChild<QLabel *>(QStringLiteral("kubernetesSelector"))->text(), QStringLiteral("Label selector: backstage.io/kubernetes-id=checkout"));
        QTreeWidget *tree = tab.tree();
        QCOMPARE(tree->topLevelItemCount(), 5);
        QTreeWidgetItem *prod = tree->topLevelItem(0);
        QCOMPARE(prod->text(0), QStringLiteral("Production"));
        QTreeWidgetItem *deployment = prod->child(0);
        QCOMPARE(deployment->text(0), QStringLiteral("Deployment checkout"));
        QCOMPARE(deployment->text(2), QStringLiteral("1/3"));
        QCOMPARE(deployment->text(5), QStringLiteral("2 replica(s) unavailable"));
        QCOMPARE(deployment->childCount(), 3);
        QCOMPARE(deployment->child(1)->text(3), QStringLiteral("7"));
        QCOMPARE(deployment->child(1)->text(5), QStringLiteral("app is crash looping (7 restarts)"));
        QCOMPARE(tree->topLevelItem(1)->child(0)->text(5), QStringLiteral("UNKNOWN_ERROR 403 /apis/apps/v1/deployments"));
        QCOMPARE(tab.status()->text(), QStringLiteral("19 problem(s) found"));
        tab.resize(900, 500);
        QDir().mkpath(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
        QVERIFY(tab.grab().save(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots/kubernetes-tab.png")));
    }
    view.server = QUrl();
    view.cache[QStringLiteral("objects")].storedAt = QDateTime::currentDateTime().addSecs(-1800);
    Plugins::Kubernetes::KubernetesTab offline(view);
    QCOMPARE(offline.tree()->topLevelItemCount(), 5);
    QCOMPARE(offline.status()->text(), QStringLiteral("Offline: Kubernetes objects come through the Greenroom server.\nShowing the objects as of 30 min ago."));
}

QTEST_MAIN(TestKubernetes)
#include "tst_kubernetes.moc"
