// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The desktop's session with a real greenroom-server: "Sign in" opens the
// system browser (here a scripted one, through QDesktopServices' handler),
// the session lands in the OS keychain (a private GNOME Keyring), the
// status bar's account widget says who you are, the next start restores
// it without a browser, and signing out forgets it on both sides.
#include <accountsession.h>
#include <signinbrowser.h>
#include <signinserver.h>

#include <mainwindow.h>
#include <models/catalogcache.h>
#include <models/tokenvault.h>
#include <models/userpreferences.h>
#include <pages/entitypage.h>
#include <pages/settingspage.h>
#include <widgets/accountwidget.h>
#include <widgets/templatewizard.h>

#include <QAction>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QMenu>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardItemModel>
#include <QTreeWidget>
#include <QDesktopServices>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::TestSupport;

class TestAccountSession : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    // QDesktopServices hands http(s) URLs here instead of to a browser.
    void openInBrowser(const QUrl &url)
    {
        SignInBrowser browser(m_fixture.github().host(), QStringLiteral("none:"));
        m_lastVisit = browser.open(url, QStringLiteral("ines"));
    }

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { QDesktopServices::unsetUrlHandler(QStringLiteral("http")); }
    void signInKeepRestoreAndSignOut();
    void windowShowsWhatThePolicyAllows();
    void signInWithACodeOnAnotherDevice();

private:
    QString readVault(Ui::TokenVault &vault, const QString &key)
    {
        QString value;
        bool done = false;
        vault.read(key, [&](const QString &stored, const QString &) {
            value = stored;
            done = true;
        });
        QDeadlineTimer deadline(10000);
        while (!done && !deadline.hasExpired())
            QTest::qWait(20);
        return done ? value : QStringLiteral("(the keychain did not answer)");
    }
    QTemporaryDir m_dir;
    SignInServer m_fixture;
    BrowserVisit m_lastVisit;
};

void TestAccountSession::initTestCase()
{
    const QByteArray catalog = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-platform}\nspec: {type: team, children: []}\n"
                               "---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: ines}\nspec: {memberOf: [team-platform]}\n"
                               "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: ledger}\n"
                               "spec: {type: service, lifecycle: production, owner: team-platform}\n";
    // Only team-platform deletes; nobody registers locations.
    const QByteArray policy = "defaultDecision: allow\nrules:\n"
                              "  - match: {permission: [catalog.entity.delete, scaffolder.task.create]}\n    if: {groups: [group:default/team-platform]}\n    decision: allow\n"
                              "  - match: {permission: [catalog.entity.delete, catalog.location.create, scaffolder.task.create]}\n    decision: deny\n";
    QVERIFY2(m_fixture.start(m_dir.path(), catalog, policy), m_fixture.server().output().constData());
    m_fixture.accounts().addAccount({QStringLiteral("ines"), 9, QStringLiteral("Ines"), QStringLiteral("ines@example.com")});
    QDesktopServices::setUrlHandler(QStringLiteral("http"), this, "openInBrowser");
}

void TestAccountSession::signInKeepRestoreAndSignOut()
{
    Ui::TokenVault vault(QStringLiteral("greenroom-test-sessions"));
    const QUrl server(m_fixture.base());
    Ui::AccountWidget account;
    {
        App::AccountSession session(server, QStringLiteral("demo"), vault);
        connect(&session, &App::AccountSession::signedIn, &account, &Ui::AccountWidget::showSignedIn);
        connect(&account, &Ui::AccountWidget::signInRequested, &session, &App::AccountSession::signIn);
        QSignalSpy token(&session, &App::AccountSession::tokenChanged);
        QString restored = QStringLiteral("unset");
        session.restore([&](const QString &accessToken) { restored = accessToken; });
        QTRY_COMPARE_WITH_TIMEOUT(restored, QString(), 10000);   // nothing kept yet
        QCOMPARE(account.buttonText(), QStringLiteral("Sign in…"));
        // The person clicks "Sign in…"; the browser does the rest.
        QMetaObject::invokeMethod(account.findChild<QWidget *>(QStringLiteral("accountButton")), "click");
        QTRY_VERIFY_WITH_TIMEOUT(!token.isEmpty(), 30000);
        QVERIFY(m_lastVisit.lastBody.contains("You are signed in to Greenroom"));
        QCOMPARE(account.text(), QStringLiteral("ines · team-platform"));
        // The server knows the token.
        const Reply me = m_fixture.server().request("GET", QStringLiteral("/api/auth/v1/userinfo"), {}, "application/json",
                                                    {{"Authorization", "Bearer " + token.first().first().toString().toLatin1()}});
        QCOMPARE(me.json()[QLatin1String("claims")][QLatin1String("sub")].toString(), QStringLiteral("user:default/ines"));
        // Kept in the keychain, not anywhere else.
        QTRY_VERIFY_WITH_TIMEOUT(readVault(vault, QStringLiteral("demo#session")).contains(token.first().first().toString()), 10000);
    }
    // The next start: restored from the keychain, no browser.
    m_lastVisit = {};
    App::AccountSession next(server, QStringLiteral("demo"), vault);
    QSignalSpy signedIn(&next, &App::AccountSession::signedIn);
    QString restored;
    next.restore([&](const QString &accessToken) { restored = accessToken; });
    QTRY_VERIFY_WITH_TIMEOUT(!restored.isEmpty(), 10000);
    QVERIFY(m_lastVisit.visited.isEmpty());
    QCOMPARE(signedIn.first().first().toString(), QStringLiteral("user:default/ines"));
    const QString refresh = QJsonDocument::fromJson(readVault(vault, QStringLiteral("demo#session")).toUtf8())[QLatin1String("refreshToken")].toString();
    QVERIFY(!refresh.isEmpty());
    // Signing out: the keychain entry goes, and the server forgets the refresh token.
    QSignalSpy token(&next, &App::AccountSession::tokenChanged);
    next.signOut();
    QCOMPARE(token.first().first().toString(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(readVault(vault, QStringLiteral("demo#session")), QString(), 10000);
    QNetworkAccessManager network;
    QTRY_COMPARE_WITH_TIMEOUT(postJson(network, QUrl(m_fixture.base() + QStringLiteral("/api/auth/v1/token")),
                                       {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")}, {QStringLiteral("refresh_token"), refresh}})
                                  .first,
                              400, 10000);
}

void TestAccountSession::windowShowsWhatThePolicyAllows()
{
    // The window over a cache with the component, connected to the server.
    const QString cachePath = m_dir.filePath(QStringLiteral("window-cache.sqlite"));
    auto cache = Ui::CatalogCache::open(cachePath);
    QVERIFY(cache);
    const Reply ledger = m_fixture.server().request("GET", QStringLiteral("/api/catalog/entities/by-name/component/default/ledger"));
    QCOMPARE(ledger.status, 200);
    Store::MirrorBatch batch;
    batch.changes.append({false, QStringLiteral("component:default/ledger"), ledger.json()[QLatin1String("metadata")][QLatin1String("uid")].toString(),
                          QStringLiteral("e1"), ledger.body, {}});
    QVERIFY(cache->store().applyMirror(batch));
    QSettings settings(m_dir.filePath(QStringLiteral("window.ini")), QSettings::IniFormat);
    Ui::UserPreferences preferences(settings, QStringLiteral("test"));
    Ui::MainWindow window(*cache, preferences, settings);
    window.pluginServices().server = QUrl(m_fixture.base());

    // Signed out (a guest): Delete is there but disabled, and says why.
    window.openEntity(QStringLiteral("component:default/ledger"));
    auto *remove = window.entityPage()->findChild<QPushButton *>(QStringLiteral("deleteEntity"));
    auto *refresh = window.entityPage()->findChild<QPushButton *>(QStringLiteral("refreshEntity"));
    QVERIFY(remove && refresh);
    QTRY_VERIFY_WITH_TIMEOUT(!remove->isEnabled(), 10000);
    QVERIFY2(remove->toolTip().contains(QLatin1String("catalog.entity.delete")), qPrintable(remove->toolTip()));
    QVERIFY(refresh->isEnabled());

    // Signed in as ines of team-platform: Delete is allowed.
    const QJsonObject tokens = signInAs(m_fixture.base(), m_fixture.github().host(), QStringLiteral("ines"));
    const QString token = tokens[QLatin1String("access_token")].toString();
    QVERIFY(!token.isEmpty());
    window.pluginServices().serverToken = token;
    window.entityPage()->askPermissions();   // what the app does when the token changes
    QTRY_VERIFY_WITH_TIMEOUT(remove->isEnabled(), 10000);
    QTest::qWait(300);   // the answer for this entity has come
    QVERIFY(remove->isEnabled());
    // Refresh goes to the server, and the status bar says so.
    QSignalSpy message(window.entityPage(), &Ui::EntityPage::statusMessage);
    refresh->click();
    QTRY_VERIFY_WITH_TIMEOUT(!message.isEmpty(), 10000);
    QCOMPARE(message.first().first().toString(), QStringLiteral("Refresh of component:default/ledger requested"));

    // Settings: who, their groups, and the server's decisions.
    Ui::SettingsPage *page = window.settingsPage();
    page->showAccount(QStringLiteral("user:default/ines"), {QStringLiteral("user:default/ines"), QStringLiteral("group:default/team-platform")},
                      QUrl(m_fixture.base()), token, window.pluginServices().network);
    QCOMPARE(page->accountLabel()->text(), QStringLiteral("Signed in as user:default/ines. Groups: group:default/team-platform."));
    const auto decision = [page](const QString &permission) {
        const QList<QTreeWidgetItem *> found = page->decisionList()->findItems(permission, Qt::MatchExactly);
        return found.isEmpty() ? QString() : found.first()->text(1);
    };
    QTRY_COMPARE_WITH_TIMEOUT(decision(QStringLiteral("catalog.location.create")), QStringLiteral("denied"), 10000);
    QCOMPARE(decision(QStringLiteral("catalog.entity.create")), QStringLiteral("allowed"));
    QCOMPARE(decision(QStringLiteral("scaffolder.task.create")), QStringLiteral("allowed"));

    // A template: running it on the server is offered to ines, and to a guest
    // only greyed out with the reason (running it here stays possible).
    const QJsonObject templateEntity = QJsonDocument::fromJson(
        R"({"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"t","namespace":"default"},
            "spec":{"type":"service","parameters":[],"steps":[]}})").object();
    const auto serverItemEnabled = [](Ui::TemplateWizard &wizard) {
        return qobject_cast<QStandardItemModel *>(wizard.runPlace()->model())->item(0)->isEnabled();
    };
    Ui::TemplateWizard guest(templateEntity, *cache, {}, QUrl(m_fixture.base()), QString(), nullptr, {});
    QTRY_COMPARE_WITH_TIMEOUT(guest.runPlace()->currentData().toString(), QStringLiteral("local"), 10000);
    QVERIFY(!serverItemEnabled(guest));
    QVERIFY(guest.runPlace()->itemData(0, Qt::ToolTipRole).toString().contains(QLatin1String("scaffolder.task.create")));
    Ui::TemplateWizard member(templateEntity, *cache, {}, QUrl(m_fixture.base()), token, nullptr, {});
    QTest::qWait(500);   // its answer has come
    QVERIFY(serverItemEnabled(member));
    QCOMPARE(member.runPlace()->currentData().toString(), QStringLiteral("server"));
}

void TestAccountSession::signInWithACodeOnAnotherDevice()
{
    Ui::TokenVault vault(QStringLiteral("greenroom-test-device"));
    App::AccountSession session(QUrl(m_fixture.base()), QStringLiteral("headless"), vault);
    Ui::AccountWidget account;
    connect(&session, &App::AccountSession::progress, &account, &Ui::AccountWidget::showSigningIn);
    connect(&session, &App::AccountSession::signedIn, &account, &Ui::AccountWidget::showSignedIn);
    connect(&account, &Ui::AccountWidget::deviceSignInRequested, &session, &App::AccountSession::signInWithDeviceCode);
    QSignalSpy token(&session, &App::AccountSession::tokenChanged);
    // The person picks "Sign in with a code" from the button's menu; the status bar shows the code.
    QAction *withCode = account.signInMenu()->findChild<QAction *>(QStringLiteral("deviceSignIn"));
    QVERIFY(withCode);
    withCode->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(account.text().startsWith(QLatin1String("Enter the code ")), 10000);
    const QString code = account.text().section(QLatin1Char(' '), 3, 3);
    // On a phone or laptop, they enter it and sign in with GitHub.
    SignInBrowser phone(m_fixture.github().host(), QStringLiteral("none:"));
    const BrowserVisit visit = phone.open(QUrl(m_fixture.base() + QStringLiteral("/api/auth/device?user_code=") + code), QStringLiteral("ines"));
    QVERIFY2(visit.lastBody.contains("Signed in as user:default/ines"), visit.lastBody.constData());
    QTRY_VERIFY_WITH_TIMEOUT(!token.isEmpty(), 20000);
    QCOMPARE(account.text(), QStringLiteral("ines · team-platform"));
    QVERIFY(!account.signInMenu()->isEmpty());
}

QTEST_MAIN(TestAccountSession)
#include "tst_accountsession.moc"
