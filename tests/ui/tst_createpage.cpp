// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The Create page driven with QTest (offscreen): the demo's templates as
// cards and their filters, the golden path's wizard generated from its
// parameters (validation at the field as you type, pickers filled from the
// cache, defaults, review), a dry run on a real greenroom-server, then the
// real run: the live log and progress, a repository on a fake GitHub API,
// the new component in the server's catalog and the output links.
#include <cachefixture.h>
#include <fakegithub.h>
#include <goldenpath.h>
#include <serverprocess.h>
#include <testconfig.h>
#include <testfiles.h>

#include <models/catalogcache.h>
#include <models/tokenvault.h>
#include <models/userpreferences.h>
#include <pages/createpage.h>
#include <widgets/parameterform.h>
#include <widgets/templatewizard.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QEventLoop>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QCompleter>
#include <QStringListModel>
#include <QTemporaryDir>
#include <QSettings>
#include <QTest>
#include <QTreeWidget>
#include <QUrl>

using namespace Greenroom;
using TestSupport::FakeGitHub;
using TestSupport::ServerProcess;

class TestCreatePage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cardsAndFilters();
    void wizardValidatesAsYouType();
    void dryRunShowsFilesAndTouchesNothing();
    void keychainTokenGoesWithTheTask();
    void createPublishesRegistersAndLinks();
    void repositoryPickerSuggestsFromTheHost();
    void pastTasksAreListedAndReplayed();
    void localRunPublishesFromThisComputer();
    void templateAskedForEarlyOpensWhenItArrives();
    void localDryRunWhileTheServerIsAway();
    void cleanup()
    {
        if (m_server)
            m_server->reportIfTestFailed();
    }
    void cleanupTestCase()
    {
        m_page.reset();
        m_preferences.reset();
        m_cache.reset();
        m_server.reset();
    }

private:
    void fillGoldenAnswers(const QString &name);
    // Back to the gallery, then its Tasks list (filled as the server answers).
    QTreeWidget *openTaskList()
    {
        m_page->showGallery();
        QTest::mouseClick(m_page->tasksButton(), Qt::LeftButton);
        return m_page->taskList();
    }
    void screenshot(QWidget *widget, const QString &name)
    {
        QDir out(QStringLiteral(GREENROOM_BINARY_DIR "/screenshots"));
        out.mkpath(QStringLiteral("."));
        QCoreApplication::processEvents();   // widgets added to a shown layout appear on the next turn
        QVERIFY(widget->grab().save(out.filePath(name)));
    }

    QTemporaryDir m_dir;
    std::unique_ptr<FakeGitHub> m_github;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<Ui::CatalogCache> m_cache;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Ui::UserPreferences> m_preferences;
    std::unique_ptr<Ui::TokenVault> m_hostTokens;
    std::unique_ptr<Ui::CreatePage> m_page;
};

namespace {

QString keychainToken(Ui::TokenVault &vault, const QString &host)
{
    QString token = QStringLiteral("(no answer)");
    QEventLoop loop;
    vault.read(host, [&](const QString &found, const QString &error) {
        token = error.isEmpty() ? found : QStringLiteral("error: ") + error;
        loop.quit();
    });
    loop.exec();
    return token;
}

} // namespace

void TestCreatePage::initTestCase()
{
    // github.com's integration points at the fake, so the demo template (allowedHosts: github.com) runs as written.
    m_github = std::make_unique<FakeGitHub>(m_dir.filePath(QStringLiteral("github")), QStringLiteral("ghp_wizard"));
    m_github->setWebHost(QStringLiteral("github.com"));
    TestSupport::writeFile(m_dir.filePath(QStringLiteral("server/app-config.yaml")),
                           QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                                          "catalog:\n  processingInterval: false\n"
                                          "  rules: [{allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]}]\n"
                                          "  locations: [{type: file, target: %2}]\n"
                                          "integrations:\n  github: [{host: github.com, apiBaseUrl: '%3', token: ghp_wizard}]\n")
                               .arg(m_dir.filePath(QStringLiteral("server/db")), QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"),
                                    m_github->apiBaseUrl())
                               .toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.filePath(QStringLiteral("server"))), m_server->output().constData());

    const QString cachePath = m_dir.filePath(QStringLiteral("cache.sqlite"));
    const QString filled = TestSupport::fillCacheFromCatalog(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml"), cachePath);
    QVERIFY2(filled.isEmpty(), qPrintable(filled));
    m_cache = Ui::CatalogCache::open(cachePath);
    QVERIFY(m_cache);
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_preferences = std::make_unique<Ui::UserPreferences>(*m_settings, QStringLiteral("test"));
    m_page = std::make_unique<Ui::CreatePage>(*m_cache, *m_preferences);
    // The person's own github.com token, in a real keychain (tests/ui/with-keyring.sh): an old one.
    m_hostTokens = std::make_unique<Ui::TokenVault>(QStringLiteral("greenroom-repository-hosts-test"));
    QEventLoop stored;
    m_hostTokens->write(QStringLiteral("github.com"), QStringLiteral("ghp_stale"), [&](const QString &error) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        stored.quit();
    });
    stored.exec();
    m_page->setHostTokens(m_hostTokens.get());
    // A template asked for before the cache has it opens when it arrives.
    m_page->chooseTemplate(QStringLiteral("template:default/not-yet"));
    QVERIFY(!m_page->wizard());
    m_page->setServer(QUrl(m_server->base()), QString());
    m_page->resize(1100, 760);
    m_page->show();
}

void TestCreatePage::cardsAndFilters()
{
    QCOMPARE(m_page->visibleCards().size(), 2);
    QCOMPARE(m_page->countLabel()->text(), QStringLiteral("2 of 2 templates"));
    QWidget *spring = m_page->findChild<QWidget *>(QStringLiteral("card-spring-boot-microservice"));
    QVERIFY(spring);
    QStringList texts;
    for (QLabel *label : spring->findChildren<QLabel *>())
        texts.append(label->text());
    QVERIFY2(texts.contains(QStringLiteral("Spring Boot Microservice")), qPrintable(texts.join(QLatin1Char('|'))));
    QVERIFY(texts.contains(QStringLiteral("SERVICE")));
    QVERIFY(texts.contains(QStringLiteral("Owner: team-platform")));
    QVERIFY(texts.contains(QStringLiteral("java  ·  spring-boot  ·  recommended")));
    screenshot(m_page.get(), QStringLiteral("create-templates.png"));

    QTest::keyClicks(m_page->textFilter(), QStringLiteral("spring"));
    QCOMPARE(m_page->visibleCards().size(), 1);
    m_page->textFilter()->clear();
    m_page->typeFilter()->setCurrentText(QStringLiteral("documentation"));
    QCOMPARE(m_page->visibleCards().size(), 1);
    QVERIFY(m_page->visibleCards().first() != spring);
    m_page->typeFilter()->setCurrentIndex(0);
    m_page->tagFilter()->setCurrentText(QStringLiteral("java"));
    QCOMPARE(m_page->visibleCards().size(), 1);
    QCOMPARE(m_page->visibleCards().first(), spring);
    m_page->tagFilter()->setCurrentIndex(0);
    QCOMPARE(m_page->visibleCards().size(), 2);

    QTest::mouseClick(spring->findChild<QPushButton *>(QStringLiteral("choose")), Qt::LeftButton);
    QVERIFY(m_page->wizard());
    QCOMPARE(m_page->wizard()->templateRef(), QStringLiteral("template:default/spring-boot-microservice"));
    QCOMPARE(m_page->wizard()->pageCount(), 3);
}

void TestCreatePage::wizardValidatesAsYouType()
{
    Ui::TemplateWizard *wizard = m_page->wizard();
    QVERIFY(wizard);
    Ui::ParameterForm *about = wizard->form(0);
    QCOMPARE(about->properties().mid(0, 3), (QStringList{QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("owner")}));
    QVERIFY(!about->isValid());   // required fields are empty
    QCOMPARE(about->message(QStringLiteral("name")), QString());   // but nothing is shouted before typing

    auto *name = qobject_cast<QLineEdit *>(about->editor(QStringLiteral("name")));
    QVERIFY(name);
    QTest::keyClicks(name, QStringLiteral("Orders"));
    QCOMPARE(about->message(QStringLiteral("name")), QStringLiteral("does not match pattern \"^[a-z][a-z0-9-]{2,40}$\""));
    name->clear();
    QTest::keyClicks(name, QStringLiteral("orders-api"));
    QCOMPARE(about->message(QStringLiteral("name")), QString());

    // Next with a required field empty names it there.
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);
    QCOMPARE(wizard->currentPage(), 0);
    QCOMPARE(about->message(QStringLiteral("description")), QStringLiteral("is a required property"));
    QTest::keyClicks(qobject_cast<QLineEdit *>(about->editor(QStringLiteral("description"))), QStringLiteral("Keeps the orders"));

    // The owner picker lists the cache's groups only (catalogFilter kind: Group); the system picker its systems.
    auto *owner = qobject_cast<QComboBox *>(about->editor(QStringLiteral("owner")));
    QVERIFY(owner);
    // Values are refs as upstream's pickers store them: the default namespace left out.
    QStringList owners;
    for (int i = 1; i < owner->count(); ++i)
        owners.append(owner->itemData(i).toString());
    QVERIFY2(owners.contains(QStringLiteral("group:team-checkout")), qPrintable(owners.join(QLatin1Char(','))));
    for (const QString &ref : std::as_const(owners))
        QVERIFY2(ref.startsWith(QLatin1String("group:")), qPrintable(ref));
    owner->setCurrentIndex(owner->findData(QStringLiteral("group:team-checkout")));
    QCOMPARE(owner->currentText(), QStringLiteral("group:team-checkout (Checkout)"));
    auto *system = qobject_cast<QComboBox *>(about->editor(QStringLiteral("system")));
    QVERIFY(system && system->findData(QStringLiteral("system:checkout")) > 0);
    system->setCurrentIndex(system->findData(QStringLiteral("system:checkout")));
    QVERIFY(about->isValid());
    screenshot(wizard, QStringLiteral("create-wizard.png"));
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);
    QCOMPARE(wizard->currentPage(), 1);

    // Defaults are filled; enums are combo boxes with their enumNames.
    auto *java = qobject_cast<QComboBox *>(wizard->form(1)->editor(QStringLiteral("javaVersion")));
    QVERIFY(java);
    QCOMPARE(java->currentText(), QStringLiteral("21"));
    auto *database = qobject_cast<QComboBox *>(wizard->form(1)->editor(QStringLiteral("database")));
    QCOMPARE(database->currentText(), QStringLiteral("No database"));
    database->setCurrentText(QStringLiteral("PostgreSQL"));
    QVERIFY(wizard->form(1)->isValid());
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);

    // The repository picker offers only the allowed host.
    QCOMPARE(wizard->currentPage(), 2);
    QCOMPARE(wizard->nextButton()->text(), QStringLiteral("Review"));
    Ui::ParameterForm *repository = wizard->form(2);
    auto *host = repository->findChild<QComboBox *>(QStringLiteral("repoHost"));
    QCOMPARE(host->count(), 1);
    QCOMPARE(host->currentText(), QStringLiteral("github.com"));
    // requestUserCredentials: the person's token for the host comes from the keychain.
    auto *token = repository->findChild<QLineEdit *>(QStringLiteral("repoToken"));
    QVERIFY(token);
    QCOMPARE(token->echoMode(), QLineEdit::Password);
    QTRY_COMPARE(token->text(), QStringLiteral("ghp_stale"));
    QCOMPARE(repository->findChild<QLabel *>(QStringLiteral("repoTokenNote"))->text(), QStringLiteral("Using your github.com token from the keychain."));
    screenshot(wizard, QStringLiteral("create-repository.png"));
    QTest::keyClicks(repository->findChild<QComboBox *>(QStringLiteral("repoOwner"))->lineEdit(), QStringLiteral("acme"));
    QCOMPARE(repository->message(QStringLiteral("repoUrl")), QStringLiteral("Name the repository"));
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);
    QCOMPARE(wizard->currentPage(), 2);
    QTest::keyClicks(repository->findChild<QLineEdit *>(QStringLiteral("repoName")), QStringLiteral("orders-api"));
    QVERIFY(repository->isValid());
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);

    QVERIFY(wizard->isReviewing());
    const QString review = wizard->reviewLabel()->text();
    for (const char *shown : {"orders-api", "Keeps the orders", "group:team-checkout", "PostgreSQL", "github.com?owner=acme&amp;repo=orders-api"})
        QVERIFY2(review.contains(QLatin1String(shown)), shown);
    QCOMPARE(wizard->values().value(QLatin1String("repoUrl")).toString(), QStringLiteral("github.com?owner=acme&repo=orders-api"));
    // The token goes to the task's secrets under secretsKey, never to its parameters or the review.
    QCOMPARE(wizard->secrets(), (QJsonObject{{QStringLiteral("USER_OAUTH_TOKEN"), QStringLiteral("ghp_stale")}}));
    QVERIFY(!wizard->values().contains(QLatin1String("USER_OAUTH_TOKEN")));
    QVERIFY(!review.contains(QLatin1String("ghp_stale")));
    QVERIFY(wizard->createButton()->isVisible());
    QVERIFY(wizard->tryButton()->isVisible());
}

void TestCreatePage::dryRunShowsFilesAndTouchesNothing()
{
    Ui::TemplateWizard *wizard = m_page->wizard();
    QSignalSpy shown(wizard, &Ui::TemplateWizard::dryRunShown);
    QTest::mouseClick(wizard->tryButton(), Qt::LeftButton);
    QVERIFY2(shown.wait(20000), qPrintable(wizard->status()->text()));
    QStringList files;
    for (int i = 0; i < wizard->files()->count(); ++i)
        files.append(wizard->files()->item(i)->text());
    QVERIFY2(files.contains(QStringLiteral("pom.xml")) && files.contains(QStringLiteral("catalog-info.yaml")), qPrintable(files.join(QLatin1Char(','))));
    QVERIFY(wizard->log()->toPlainText().contains(QStringLiteral("Skipping because publish:github does not support dry-run")));
    QVERIFY(wizard->status()->text().contains(QStringLiteral("Nothing was published or registered")));
    wizard->files()->setCurrentRow(int(files.indexOf(QStringLiteral("pom.xml"))));
    QVERIFY(wizard->fileView()->toPlainText().contains(QStringLiteral("<artifactId>orders-api</artifactId>")));
    for (const FakeGitHub::Call &call : m_github->calls())   // the picker's suggestions read; nothing is written
        QVERIFY2(call.method == "GET", qPrintable(call.path));
    QCOMPARE(wizard->outputButtons().size(), 2);
    QVERIFY(!wizard->outputButtons().at(1)->isEnabled());   // "Open in catalog" of a dry run leads nowhere
    screenshot(wizard, QStringLiteral("create-dry-run.png"));
    QTest::mouseClick(wizard->backButton(), Qt::LeftButton);
    QVERIFY(wizard->isReviewing());
}

void TestCreatePage::keychainTokenGoesWithTheTask()
{
    // The keychain's token is the one publish:github uses, ahead of the
    // server's own (which the fake would accept): the stale one is refused.
    Ui::TemplateWizard *wizard = m_page->wizard();
    QSignalSpy finished(wizard, &Ui::TemplateWizard::finished);
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toString(), QStringLiteral("failed"));
    QVERIFY2(wizard->log()->toPlainText().contains(QStringLiteral("Bad credentials")), qPrintable(wizard->log()->toPlainText()));
    QVERIFY(!wizard->log()->toPlainText().contains(QStringLiteral("ghp_stale")));   // secrets are masked in the log
    QVERIFY(m_github->callsTo(QStringLiteral("/api/v3/orgs/acme/repos")).isEmpty());

    // Typed instead, and remembered when the task is created.
    QTest::mouseClick(wizard->backButton(), Qt::LeftButton);
    QVERIFY(wizard->isReviewing());
    QTest::mouseClick(wizard->backButton(), Qt::LeftButton);
    QCOMPARE(wizard->currentPage(), 2);
    auto *token = wizard->form(2)->findChild<QLineEdit *>(QStringLiteral("repoToken"));
    QVERIFY(wizard->form(2)->findChild<QCheckBox *>(QStringLiteral("rememberToken"))->isChecked());
    token->clear();
    QTest::keyClicks(token, QStringLiteral("ghp_wizard"));
    QTest::mouseClick(wizard->nextButton(), Qt::LeftButton);
    QVERIFY(wizard->isReviewing());
    QCOMPARE(keychainToken(*m_hostTokens, QStringLiteral("github.com")), QStringLiteral("ghp_stale"));   // not before Create
}

void TestCreatePage::createPublishesRegistersAndLinks()
{
    Ui::TemplateWizard *wizard = m_page->wizard();
    QSignalSpy finished(wizard, &Ui::TemplateWizard::finished);
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QVERIFY(wizard->isRunning());
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().first().toString() == QLatin1String("completed"), qPrintable(wizard->log()->toPlainText()));
    QCOMPARE(wizard->progress()->value(), wizard->progress()->maximum());
    const QString log = wizard->log()->toPlainText();
    for (const char *line : {"[fetch] Beginning step Render the skeleton", "[publish] Finished step Publish to GitHub",
                             "[register] Finished step Register in the catalog"})
        QVERIFY2(log.contains(QLatin1String(line)), qPrintable(log));
    for (int i = 0; i < wizard->steps()->count(); ++i)
        QVERIFY2(wizard->steps()->item(i)->text().startsWith(QStringLiteral("✔")), qPrintable(wizard->steps()->item(i)->text()));
    screenshot(wizard, QStringLiteral("create-done.png"));

    // Published and registered.
    FakeGitHub::Call create = m_github->callsTo(QStringLiteral("/orgs/acme/repos")).value(0);
    QCOMPARE(create.body.value(QLatin1String("name")).toString(), QStringLiteral("orders-api"));
    QVERIFY(m_github->repository(QStringLiteral("acme/orders-api"))->snapshot().files.value(QStringLiteral("catalog-info.yaml")).contains("owner: group:team-checkout"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/orders-api")).status, 200, 15000);

    // The output: the repository link and the catalog link.
    const QList<QPushButton *> outputs = wizard->outputButtons();
    QCOMPARE(outputs.size(), 2);
    QCOMPARE(outputs[0]->text(), QStringLiteral("Repository"));
    QCOMPARE(outputs[1]->text(), QStringLiteral("Open in catalog"));
    QSignalSpy opened(m_page.get(), &Ui::CreatePage::entityActivated);
    QTest::mouseClick(outputs[1], Qt::LeftButton);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().first().toString(), QStringLiteral("component:default/orders-api"));
    QCOMPARE(keychainToken(*m_hostTokens, QStringLiteral("github.com")), QStringLiteral("ghp_wizard"));
}

void TestCreatePage::repositoryPickerSuggestsFromTheHost()
{
    // With the keychain's token, the host is asked (through the server's
    // autocomplete) for the person's organisations and repositories.
    m_page->showGallery();
    m_page->chooseTemplate(QStringLiteral("template:default/spring-boot-microservice"));
    Ui::ParameterForm *repository = m_page->wizard()->form(2);
    QTRY_COMPARE(repository->findChild<QLineEdit *>(QStringLiteral("repoToken"))->text(), QStringLiteral("ghp_wizard"));
    auto *owner = repository->findChild<QComboBox *>(QStringLiteral("repoOwner"));
    QTRY_VERIFY_WITH_TIMEOUT(owner->findText(QStringLiteral("acme")) >= 0, 10000);
    QCOMPARE(owner->currentText(), QString());   // offered, not chosen
    QVERIFY(!m_github->callsTo(QStringLiteral("/api/v3/user/orgs")).isEmpty());
    owner->setEditText(QStringLiteral("acme"));
    auto *repo = repository->findChild<QLineEdit *>(QStringLiteral("repoName"));
    QVERIFY(repo->completer());
    QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QStringListModel *>(repo->completer()->model())->stringList().contains(QStringLiteral("orders-api")), 10000);
}

void TestCreatePage::pastTasksAreListedAndReplayed()
{
    // The server keeps its tasks: the list shows both runs, newest first.
    QTreeWidget *list = openTaskList();
    QTRY_COMPARE(list->topLevelItemCount(), 2);
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("Spring Boot Microservice"));
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("completed"));
    QCOMPARE(list->topLevelItem(1)->text(1), QStringLiteral("failed"));   // the stale keychain token's run
    screenshot(m_page.get(), QStringLiteral("create-tasks.png"));

    // Opening one replays its whole log in its template's wizard, and shows how it ended.
    list->setCurrentItem(list->topLevelItem(0));
    Q_EMIT list->itemActivated(list->topLevelItem(0), 0);
    Ui::TemplateWizard *wizard = m_page->wizard();
    QVERIFY(wizard->isRunning());
    QSignalSpy finished(wizard, &Ui::TemplateWizard::finished);
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.first().first().toString(), QStringLiteral("completed"));
    const QString log = wizard->log()->toPlainText();
    QVERIFY2(log.contains(QStringLiteral("[publish] Finished step Publish to GitHub")), qPrintable(log));
    QCOMPARE(log.count(QStringLiteral("Finished step Register in the catalog")), 1);
    QCOMPARE(wizard->progress()->value(), wizard->progress()->maximum());
    QCOMPARE(wizard->outputButtons().size(), 2);
}

void TestCreatePage::fillGoldenAnswers(const QString &name)
{
    m_page->chooseTemplate(QStringLiteral("template:default/spring-boot-microservice"));
    Ui::TemplateWizard *wizard = m_page->wizard();
    // By now the keychain holds the token typed earlier.
    QTRY_COMPARE(wizard->form(2)->findChild<QLineEdit *>(QStringLiteral("repoToken"))->text(), QStringLiteral("ghp_wizard"));
    TestSupport::answerGoldenPath(wizard, name);
    QVERIFY2(wizard->isReviewing(), qPrintable(QStringLiteral("stuck on page %1").arg(wizard->currentPage())));
}

void TestCreatePage::localRunPublishesFromThisComputer()
{
    // The issue's "locally in the desktop app": the steps run in this
    // process, with the keychain's token, against the same fake GitHub; the
    // new component is registered through the server's catalog API.
    fillGoldenAnswers(QStringLiteral("orders-local"));
    Ui::TemplateWizard *wizard = m_page->wizard();
    QVERIFY(wizard->runPlace()->isVisible());
    wizard->runPlace()->setCurrentIndex(wizard->runPlace()->findData(QStringLiteral("local")));
    const int githubCalls = int(m_github->calls().size());
    QSignalSpy finished(wizard, &Ui::TemplateWizard::finished);
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QVERIFY(wizard->isRunning());
    QVERIFY(!wizard->runPlace()->isVisible());
    QVERIFY(finished.wait(30000));
    const QString log = wizard->log()->toPlainText();
    QVERIFY2(finished.first().first().toString() == QLatin1String("completed"), qPrintable(log + wizard->status()->text()));
    for (const char *line : {"[fetch] Beginning step Render the skeleton", "[publish] Finished step Publish to GitHub",
                             "[register] Finished step Register in the catalog"})
        QVERIFY2(log.contains(QLatin1String(line)), qPrintable(log));
    QVERIFY(!log.contains(QStringLiteral("ghp_wizard")));
    QCOMPARE(wizard->progress()->value(), wizard->progress()->maximum());
    QVERIFY2(wizard->status()->text().contains(QStringLiteral("completed")), qPrintable(wizard->status()->text()));
    screenshot(wizard, QStringLiteral("create-local-done.png"));

    // Published from here: the repository is on the fake GitHub with the rendered skeleton.
    QVERIFY(m_github->calls().size() > githubCalls);
    QCOMPARE(m_github->callsTo(QStringLiteral("/orgs/acme/repos")).last().body.value(QLatin1String("name")).toString(), QStringLiteral("orders-local"));
    QVERIFY(m_github->repository(QStringLiteral("acme/orders-local"))->snapshot().files.value(QStringLiteral("pom.xml")).contains("<artifactId>orders-local</artifactId>"));
    // Registered through the server, which reads it at once; it ran here, so the server has no task for it.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/orders-local")).status, 200, 15000);
    QCOMPARE(m_server->request("GET", QStringLiteral("/api/scaffolder/v2/tasks")).json()[QLatin1String("totalTasks")].toInt(), 2);
    QCOMPARE(wizard->outputButtons().size(), 2);
    QCOMPARE(wizard->outputButtons().at(1)->property("entityRef").toString(), QStringLiteral("component:default/orders-local"));
    // The template's files are kept for runs while the server is away.
    QVERIFY(QFile::exists(m_cache->path() + QStringLiteral(".templates/default/template/spring-boot-microservice.json")));

    // The run is kept here and listed beside the server's, newest first; opening it replays its log.
    QTreeWidget *list = openTaskList();
    QTRY_COMPARE(list->topLevelItemCount(), 3);
    QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("completed"));
    QCOMPARE(list->topLevelItem(0)->text(4), QStringLiteral("this computer"));
    QCOMPARE(list->topLevelItem(1)->text(4), QUrl(m_server->base()).host());
    screenshot(m_page.get(), QStringLiteral("create-tasks-with-local.png"));
    Q_EMIT list->itemActivated(list->topLevelItem(0), 0);
    Ui::TemplateWizard *replayed = m_page->wizard();
    QSignalSpy ended(replayed, &Ui::TemplateWizard::finished);
    QVERIFY(ended.wait(10000));
    QCOMPARE(ended.first().first().toString(), QStringLiteral("completed"));
    QVERIFY2(replayed->log()->toPlainText().contains(QStringLiteral("[publish] Finished step Publish to GitHub")), qPrintable(replayed->log()->toPlainText()));
    QVERIFY(!replayed->log()->toPlainText().contains(QStringLiteral("ghp_wizard")));
    QCOMPARE(replayed->progress()->value(), replayed->progress()->maximum());
    QCOMPARE(replayed->outputButtons().size(), 2);
}

void TestCreatePage::localDryRunWhileTheServerIsAway()
{
    m_server->stop();
    const qsizetype githubCalls = m_github->calls().size();
    fillGoldenAnswers(QStringLiteral("orders-offline"));
    Ui::TemplateWizard *wizard = m_page->wizard();
    // The place chosen for the last run is remembered.
    QCOMPARE(wizard->runPlace()->currentData().toString(), QStringLiteral("local"));
    QCOMPARE(m_preferences->taskPlace(), QStringLiteral("local"));
    // On the server: nothing to talk to, and it says so.
    wizard->runPlace()->setCurrentIndex(wizard->runPlace()->findData(QStringLiteral("server")));
    QSignalSpy finished(wizard, &Ui::TemplateWizard::finished);
    QTest::mouseClick(wizard->tryButton(), Qt::LeftButton);
    QVERIFY(finished.wait(20000));
    QVERIFY2(wizard->status()->text().startsWith(QStringLiteral("Cannot reach")), qPrintable(wizard->status()->text()));

    // Here: the kept files stand in, and the log says whose they are.
    QTest::mouseClick(wizard->backButton(), Qt::LeftButton);
    QVERIFY(wizard->isReviewing());
    wizard->runPlace()->setCurrentIndex(wizard->runPlace()->findData(QStringLiteral("local")));
    QSignalSpy shown(wizard, &Ui::TemplateWizard::dryRunShown);
    QTest::mouseClick(wizard->tryButton(), Qt::LeftButton);
    QVERIFY2(shown.wait(20000), qPrintable(wizard->status()->text()));
    QVERIFY2(wizard->log()->toPlainText().contains(QStringLiteral("running with the template's files as fetched on")), qPrintable(wizard->log()->toPlainText()));
    QStringList files;
    for (int i = 0; i < wizard->files()->count(); ++i)
        files.append(wizard->files()->item(i)->text());
    QVERIFY2(files.contains(QStringLiteral("pom.xml")), qPrintable(files.join(QLatin1Char(','))));
    wizard->files()->setCurrentRow(int(files.indexOf(QStringLiteral("pom.xml"))));
    QVERIFY(wizard->fileView()->toPlainText().contains(QStringLiteral("<artifactId>orders-offline</artifactId>")));
    QCOMPARE(wizard->outputButtons().size(), 2);   // shown once, as stand-ins
    QVERIFY(!wizard->outputButtons().at(0)->isEnabled());
    QVERIFY(!wizard->log()->toPlainText().contains(QStringLiteral("Run completed")));
    QCOMPARE(m_github->calls().size(), githubCalls);   // a dry run publishes nothing
    screenshot(wizard, QStringLiteral("create-local-offline-dry-run.png"));
}

void TestCreatePage::templateAskedForEarlyOpensWhenItArrives()
{
    // As greenroom://create/templates/default/late on a first start: the cache has no such template yet.
    m_page->chooseTemplate(QStringLiteral("template:default/late"));
    QCOMPARE(m_page->wizard()->templateRef(), QStringLiteral("template:default/spring-boot-microservice"));
    auto writer = Store::SqliteCatalogStore::open(m_cache->path());
    QVERIFY(writer);
    const QByteArray late = R"({"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"late","title":"Late template"},)"
                            R"("spec":{"type":"website","steps":[],"parameters":{"properties":{"site":{"type":"string"},"audience":{"type":"string"}}}}})";
    Store::MirrorBatch batch;
    batch.changes.append({false, QStringLiteral("template:default/late"), QStringLiteral("uid-late"), QStringLiteral("etag-late"), late, {}});
    QVERIFY(writer.value()->applyMirror(batch));
    m_cache->notifyChanged(987654);
    QTRY_COMPARE(m_page->wizard()->templateRef(), QStringLiteral("template:default/late"));
    // Fields come in the order the template's JSON lists them, not sorted.
    QCOMPARE(m_page->wizard()->form(0)->properties(), (QStringList{QStringLiteral("site"), QStringLiteral("audience")}));
    QCOMPARE(m_page->visibleCards().size(), 3);
}

QTEST_MAIN(TestCreatePage)
#include "tst_createpage.moc"
