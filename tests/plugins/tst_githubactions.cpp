// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The GitHub Actions plugin against the fake GitHub on loopback: the
// repository an entity names, runs paged and by branch, jobs and steps,
// re-run, refusals and timeouts as sentences; the tab and card, offline
// with the last runs and their age; and the plugin loaded from the build's
// plugin folder with upstream's filter.
#include <fakegithub.h>
#include <testentityview.h>
#include <testconfig.h>

#include <githubactionsclient.h>
#include <workflowrunsview.h>

#include <common/pluginloader.h>
#include <plugins/desktopplugins.h>
#include <plugins/entitylayout.h>

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Greenroom;
using namespace Greenroom::Plugins::GitHubActions;
using Greenroom::TestSupport::FakeGitHub;
using Greenroom::TestSupport::TestView;

namespace {

QJsonObject run(qint64 id, const QString &branch, const QString &conclusion, const QString &message)
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("name"), QStringLiteral("CI")},
            {QStringLiteral("status"), conclusion.isEmpty() ? QStringLiteral("in_progress") : QStringLiteral("completed")},
            {QStringLiteral("conclusion"), conclusion.isEmpty() ? QJsonValue() : QJsonValue(conclusion)},
            {QStringLiteral("head_branch"), branch},
            {QStringLiteral("head_commit"), QJsonObject{{QStringLiteral("id"), QStringLiteral("abc1234def%1").arg(id)},
                                                        {QStringLiteral("message"), message + QStringLiteral("\n\nmore words")},
                                                        {QStringLiteral("author"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Jane")}}}}},
            {QStringLiteral("run_started_at"), QDateTime::currentDateTimeUtc().addSecs(-3600 - id).toString(Qt::ISODate)},
            {QStringLiteral("updated_at"), QDateTime::currentDateTimeUtc().addSecs(-3600 - id + 95).toString(Qt::ISODate)},
            {QStringLiteral("html_url"), QStringLiteral("https://github.com/acme/checkout/actions/runs/%1").arg(id)}};
}

} // namespace

class TestGitHubActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void repositoryFromAnnotations();
    void clientPagesJobsRerunAndErrors();
    void tabShowsRunsJobsAndReruns();
    void offlineShowsTheLastRunsWithTheirAge();
    void pluginRegistersUpstreamsTabAndCard();

private:
    void prepare(TestView &view, const QString &apiBase);

    QTemporaryDir m_dir;
    std::unique_ptr<FakeGitHub> m_github;
};

void TestGitHubActions::initTestCase()
{
    m_github = std::make_unique<FakeGitHub>(m_dir.path(), QStringLiteral("gh-token"));
    for (qint64 id = 1; id <= 7; ++id) {
        const QJsonArray jobs{QJsonObject{{QStringLiteral("id"), id * 10}, {QStringLiteral("name"), QStringLiteral("build")},
                                          {QStringLiteral("status"), QStringLiteral("completed")}, {QStringLiteral("conclusion"), QStringLiteral("success")},
                                          {QStringLiteral("started_at"), QStringLiteral("2026-12-01T10:00:00Z")},
                                          {QStringLiteral("completed_at"), QStringLiteral("2026-12-01T10:02:05Z")},
                                          {QStringLiteral("steps"), QJsonArray{
                                              QJsonObject{{QStringLiteral("number"), 1}, {QStringLiteral("name"), QStringLiteral("Checkout")},
                                                          {QStringLiteral("status"), QStringLiteral("completed")}, {QStringLiteral("conclusion"), QStringLiteral("success")}},
                                              QJsonObject{{QStringLiteral("number"), 2}, {QStringLiteral("name"), QStringLiteral("Test")},
                                                          {QStringLiteral("status"), QStringLiteral("completed")}, {QStringLiteral("conclusion"), QStringLiteral("failure")}}}}}};
        m_github->addWorkflowRun(QStringLiteral("acme/checkout"),
                                 run(id, id % 2 ? QStringLiteral("main") : QStringLiteral("feature"), id == 1 ? QString() : (id == 3 ? QStringLiteral("failure") : QStringLiteral("success")),
                                     QStringLiteral("Change %1").arg(id)),
                                 jobs);
    }
}

void TestGitHubActions::prepare(TestView &view, const QString &apiBase)
{
    view.entityJson = QJsonObject{{QStringLiteral("kind"), QStringLiteral("Component")},
                                  {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("checkout")},
                                                                           {QStringLiteral("annotations"), QJsonObject{
                                                                               {QStringLiteral("github.com/project-slug"), QStringLiteral("acme/checkout")},
                                                                               {QStringLiteral("backstage.io/source-location"), QStringLiteral("url:https://ghe.acme.test/acme/checkout/tree/main/")}}}}}};
    view.configJson = QJsonObject{{QStringLiteral("integrations"), QJsonObject{{QStringLiteral("github"), QJsonArray{
        QJsonObject{{QStringLiteral("host"), QStringLiteral("ghe.acme.test")}, {QStringLiteral("apiBaseUrl"), apiBase}}}}}}};
    view.token = QStringLiteral("gh-token");
}

void TestGitHubActions::repositoryFromAnnotations()
{
    const auto of = [](const QJsonObject &annotations, const QJsonArray &integrations = {}) {
        const QJsonObject entity{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("annotations"), annotations}}}};
        const auto repository = Repository::of(entity, integrations);
        return repository ? QStringLiteral("%1 %2/%3 %4").arg(repository->host, repository->owner, repository->name, repository->apiBase.toString())
                          : QStringLiteral("none");
    };
    const QString slug = QStringLiteral("github.com/project-slug");
    QCOMPARE(of({{slug, QStringLiteral("acme/checkout")}}), QStringLiteral("github.com acme/checkout https://api.github.com"));
    QCOMPARE(of({{slug, QStringLiteral("acme/checkout")}, {QStringLiteral("backstage.io/source-location"), QStringLiteral("url:https://ghe.acme.test/a/b/tree/main/")}}),
             QStringLiteral("ghe.acme.test acme/checkout https://ghe.acme.test/api/v3"));
    QCOMPARE(of({{slug, QStringLiteral("acme/checkout")}, {QStringLiteral("backstage.io/managed-by-location"), QStringLiteral("url:http://127.0.0.1:8080/a/b/blob/main/c.yaml")}},
                {QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1:8080")}, {QStringLiteral("apiBaseUrl"), QStringLiteral("http://127.0.0.1:8080/api/v3")}}}),
             QStringLiteral("127.0.0.1:8080 acme/checkout http://127.0.0.1:8080/api/v3"));
    // Only url: locations name a host.
    QCOMPARE(of({{slug, QStringLiteral("acme/checkout")}, {QStringLiteral("backstage.io/source-location"), QStringLiteral("file:/srv/x/")}}),
             QStringLiteral("github.com acme/checkout https://api.github.com"));
    for (const QString &bad : {QStringLiteral("acme"), QStringLiteral("acme/"), QStringLiteral("a/b/c")})
        QCOMPARE(of({{slug, bad}}), QStringLiteral("none"));
    QCOMPARE(of({}), QStringLiteral("none"));
}

void TestGitHubActions::clientPagesJobsRerunAndErrors()
{
    QNetworkAccessManager network;
    Repository repository{m_github->host(), QStringLiteral("acme"), QStringLiteral("checkout"), QUrl(m_github->apiBaseUrl())};
    Client client(&network, repository, QStringLiteral("gh-token"));
    QJsonObject page;
    QString error;
    bool done = false;
    const auto collect = [&](const QJsonObject &p, const QString &e) { page = p; error = e; done = true; };
    client.listRuns(2, 3, {}, collect);
    QTRY_VERIFY(done);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(page.value(QLatin1String("total_count")).toInt(), 7);
    QCOMPARE(page.value(QLatin1String("workflow_runs")).toArray().size(), 3);
    QCOMPARE(page.value(QLatin1String("workflow_runs"))[0][QLatin1String("id")].toInt(), 4);   // the second page of three
    const Greenroom::TestSupport::FakeGitHub::Call call = m_github->calls().last();
    QCOMPARE(call.path, QStringLiteral("/api/v3/repos/acme/checkout/actions/runs"));
    done = false;
    client.listRuns(1, 10, QStringLiteral("feature"), collect);
    QTRY_VERIFY(done);
    QCOMPARE(page.value(QLatin1String("total_count")).toInt(), 3);

    QJsonArray jobs;
    done = false;
    client.listJobs(3, [&](const QJsonArray &j, const QString &e) { jobs = j; error = e; done = true; });
    QTRY_VERIFY(done);
    QCOMPARE(jobs.size(), 1);
    QCOMPARE(jobs[0][QLatin1String("steps")].toArray().size(), 2);

    done = false;
    client.rerun(6, [&](const QString &e) { error = e; done = true; });
    QTRY_VERIFY(done);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(m_github->callsTo(QStringLiteral("/runs/6/rerun")).size(), 1);
    done = false;
    client.rerun(999, [&](const QString &e) { error = e; done = true; });
    QTRY_VERIFY(done);
    QCOMPARE(error, QStringLiteral("Failed to rerun the workflow: GitHub answered 404 for acme/checkout: Not Found"));

    // A wrong token, an unknown repository, nobody listening, nobody answering.
    Client refused(&network, repository, QStringLiteral("wrong"));
    done = false;
    refused.listRuns(1, 5, {}, collect);
    QTRY_VERIFY(done);
    QVERIFY2(error.startsWith(QStringLiteral("GitHub refused the token for %1: Bad credentials.").arg(m_github->host())), qPrintable(error));
    Client unknown(&network, {m_github->host(), QStringLiteral("acme"), QStringLiteral("nope"), QUrl(m_github->apiBaseUrl())}, QStringLiteral("gh-token"));
    done = false;
    unknown.listRuns(1, 5, {}, collect);
    QTRY_VERIFY(done);
    QCOMPARE(error, QStringLiteral("GitHub answered 404 for acme/nope: Not Found"));
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    const QUrl silentUrl(QStringLiteral("http://127.0.0.1:%1/api/v3").arg(silent.serverPort()));
    Client slow(&network, {QStringLiteral("x"), QStringLiteral("acme"), QStringLiteral("checkout"), silentUrl}, QStringLiteral("gh-token"));
    slow.setTimeoutMs(300);
    done = false;
    slow.listRuns(1, 5, {}, collect);
    QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
    QCOMPARE(error, QStringLiteral("GitHub at %1 did not answer within 0.3 s").arg(silentUrl.toString()));
    const quint16 closedPort = silent.serverPort();
    silent.close();
    Client gone(&network, {QStringLiteral("x"), QStringLiteral("acme"), QStringLiteral("checkout"),
                           QUrl(QStringLiteral("http://127.0.0.1:%1/api/v3").arg(closedPort))}, QStringLiteral("gh-token"));
    done = false;
    gone.listRuns(1, 5, {}, collect);
    QTRY_VERIFY(done);
    QVERIFY2(error.startsWith(QStringLiteral("Cannot reach GitHub at http://127.0.0.1:%1/api/v3: ").arg(closedPort)), qPrintable(error));
}

void TestGitHubActions::tabShowsRunsJobsAndReruns()
{
    TestView view;
    prepare(view, m_github->apiBaseUrl());
    WorkflowRunsView tab(view, false);
    QSignalSpy loaded(&tab, &WorkflowRunsView::loaded);
    QVERIFY(loaded.wait(5000));
    QCOMPARE(loaded.first().first().toBool(), true);
    QTableWidget *runs = tab.runs();
    QCOMPARE(runs->rowCount(), 7);
    QCOMPARE(tab.status()->text(), QStringLiteral("7 run(s) of acme/checkout"));
    QCOMPARE(runs->item(0, 0)->text(), QStringLiteral("1"));
    QCOMPARE(runs->item(0, 1)->text(), QStringLiteral("Change 1"));   // the first line of the message
    QCOMPARE(runs->item(0, 4)->text(), QStringLiteral("in_progress"));
    QCOMPARE(runs->item(2, 2)->text(), QStringLiteral("main @ abc1234"));
    QCOMPARE(runs->item(2, 4)->text(), QStringLiteral("failure"));
    QCOMPARE(runs->item(2, 5)->text(), QStringLiteral("1 h ago"));
    QCOMPARE(runs->item(2, 6)->text(), QStringLiteral("1 min 35 s"));
    QVERIFY(view.cachedData(QStringLiteral("runs/")));
    QVERIFY(tab.branches()->findData(QStringLiteral("feature")) > 0);

    // A run's jobs and steps.
    QSignalSpy jobsShown(&tab, &WorkflowRunsView::jobsShown);
    runs->selectRow(2);
    QVERIFY(jobsShown.wait(5000));
    QCOMPARE(tab.jobs()->topLevelItemCount(), 1);
    QTreeWidgetItem *job = tab.jobs()->topLevelItem(0);
    QCOMPARE(job->text(0), QStringLiteral("build"));
    QCOMPARE(job->text(2), QStringLiteral("2 min 5 s"));
    QCOMPARE(job->child(1)->text(0), QStringLiteral("2. Test"));
    QCOMPARE(job->child(1)->text(1), QStringLiteral("failure"));
    tab.resize(1000, 600);
    QDir().mkpath(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
    QVERIFY(tab.grab().save(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots/github-actions-tab.png")));

    // Re-run: GitHub queues it, and the table says so after its reload.
    QSignalSpy rerun(&tab, &WorkflowRunsView::rerunRequested);
    loaded.clear();
    tab.rerunButton()->click();
    QVERIFY(rerun.wait(5000));
    QCOMPARE(rerun.first(), (QList<QVariant>{qint64(3), QString()}));
    QVERIFY(loaded.wait(5000));
    QCOMPARE(runs->item(2, 4)->text(), QStringLiteral("queued"));

    // One branch.
    loaded.clear();
    tab.branches()->setCurrentIndex(tab.branches()->findData(QStringLiteral("feature")));
    Q_EMIT tab.branches()->activated(tab.branches()->currentIndex());
    QVERIFY(loaded.wait(5000));
    QCOMPARE(runs->rowCount(), 3);

    // The card: the five latest, four columns.
    WorkflowRunsView card(view, true);
    QSignalSpy cardLoaded(&card, &WorkflowRunsView::loaded);
    QVERIFY(cardLoaded.wait(5000));
    QCOMPARE(card.runs()->rowCount(), 5);
    QCOMPARE(card.runs()->columnCount(), 4);
    QVERIFY(!card.jobs());
}

void TestGitHubActions::offlineShowsTheLastRunsWithTheirAge()
{
    TestView view;
    prepare(view, m_github->apiBaseUrl());
    {
        WorkflowRunsView online(view, false);
        QSignalSpy loaded(&online, &WorkflowRunsView::loaded);
        QVERIFY(loaded.wait(5000));
    }
    // GitHub is out of reach now (the integration points at a closed port).
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    prepare(view, QStringLiteral("http://127.0.0.1:%1/api/v3").arg(port));
    view.cache[QStringLiteral("runs/")].storedAt = QDateTime::currentDateTime().addSecs(-7200);
    WorkflowRunsView offline(view, false);
    QCOMPARE(offline.runs()->rowCount(), 7);   // at once, from the cache
    QSignalSpy loaded(&offline, &WorkflowRunsView::loaded);
    QVERIFY(loaded.wait(5000));
    QCOMPARE(loaded.first().first().toBool(), false);
    QCOMPARE(offline.runs()->rowCount(), 7);
    QVERIFY2(offline.status()->text().startsWith(QStringLiteral("Cannot reach GitHub at http://127.0.0.1:%1/api/v3").arg(port)),
             qPrintable(offline.status()->text()));
    QVERIFY2(offline.status()->text().endsWith(QStringLiteral("Showing the runs as of 2 h ago.")), qPrintable(offline.status()->text()));

    // Without the annotation: it says what is missing.
    TestView bare;
    bare.entityJson = QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}}}};
    WorkflowRunsView missing(bare, false);
    QVERIFY(missing.status()->text().contains(QLatin1String("github.com/project-slug")));
}

void TestGitHubActions::pluginRegistersUpstreamsTabAndCard()
{
    Ui::EntityLayout layout;
    const QList<Ui::PluginStatus> statuses = Ui::DesktopPlugins::load({{QStringLiteral(GREENROOM_BINARY_DIR "/plugins"), QStringLiteral("installed")}}, {}, layout);
    const auto github = std::find_if(statuses.cbegin(), statuses.cend(), [](const Ui::PluginStatus &s) { return s.id == QLatin1String("github-actions"); });
    QVERIFY(github != statuses.cend());
    QCOMPARE(github->state, Ui::PluginStatus::State::Loaded);
    QVERIFY2(github->message.isEmpty(), qPrintable(github->message));
    TestView view;
    prepare(view, m_github->apiBaseUrl());
    const auto tabs = layout.contentsFor(view.entityJson);
    QCOMPARE(tabs.size(), 1);
    QCOMPARE(tabs.first()->id, QStringLiteral("entity-content:github-actions/github-actions"));
    QCOMPARE(tabs.first()->content.title, QStringLiteral("GitHub Actions"));
    QCOMPARE(layout.cardsFor(view.entityJson).first()->id, QStringLiteral("entity-card:github-actions/recent-workflow-runs"));
    QVERIFY(layout.contentsFor({{QStringLiteral("kind"), QStringLiteral("Component")}}).isEmpty());   // no slug, no tab
}

QTEST_MAIN(TestGitHubActions)
#include "tst_githubactions.moc"
