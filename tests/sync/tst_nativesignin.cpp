// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The desktop's sign-in against a real greenroom-server and the fake
// GitHub: the system browser (a scripted one) goes from the URL the app
// opens to the app's own loopback listener; the app checks the state,
// exchanges the code with its PKCE verifier, reads who it is from the
// token, refreshes it and signs out; a stranger's callback to its port is
// refused; the device flow polls until a person has typed the code; a
// server that does not sign apps in is told apart from one that is down.
#include <signinbrowser.h>
#include <signinserver.h>

#include <sync/nativesignin.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::TestSupport;
using Sync::NativeSignIn;
using Sync::SignInTokens;

class TestNativeSignIn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { m_fixture.server().reportIfTestFailed(); }
    void browserSignInRefreshAndSignOut();
    void strangersCallbacksAreRefused();
    void deviceFlow();
    void serversThatDoNotSignAppsIn();

private:
    QTemporaryDir m_dir;
    SignInServer m_fixture;
};

void TestNativeSignIn::initTestCase()
{
    const QByteArray catalog = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: payments}\nspec: {type: team, children: []}\n"
                               "---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: jane}\nspec: {memberOf: [payments]}\n";
    QVERIFY2(m_fixture.start(m_dir.path(), catalog, {}), m_fixture.server().output().constData());
    m_fixture.accounts().addAccount({QStringLiteral("jane"), 7, QStringLiteral("Jane"), QStringLiteral("jane@example.com")});
}

void TestNativeSignIn::browserSignInRefreshAndSignOut()
{
    NativeSignIn signIn;
    QSignalSpy signedIn(&signIn, &NativeSignIn::signedIn);
    QSignalSpy failed(&signIn, &NativeSignIn::failed);
    // The browser: it follows everything, down to the app's own listener.
    SignInBrowser browser(m_fixture.github().host(), QStringLiteral("none:"));
    BrowserVisit visit;
    connect(&signIn, &NativeSignIn::openBrowser, this, [&](const QUrl &url) { visit = browser.open(url, QStringLiteral("jane")); });
    signIn.start(QUrl(m_fixture.base()));
    QTRY_VERIFY_WITH_TIMEOUT(!signedIn.isEmpty() || !failed.isEmpty(), 30000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QVERIFY2(visit.lastBody.contains("You are signed in to Greenroom"), visit.lastBody.constData());
    const QUrl callback = visit.visited.last();
    QCOMPARE(callback.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(callback.path(), QStringLiteral("/callback"));
    QVERIFY(QUrlQuery(callback).hasQueryItem(QStringLiteral("code")));
    const SignInTokens tokens = signedIn.first().first().value<SignInTokens>();
    QCOMPARE(tokens.userEntityRef, QStringLiteral("user:default/jane"));
    QCOMPARE(tokens.ownershipRefs, (QStringList{"user:default/jane", "group:default/payments"}));
    QVERIFY(tokens.expiresAt > QDateTime::currentDateTimeUtc());
    QVERIFY(!tokens.refreshToken.isEmpty());
    // The keychain's form keeps it all.
    const std::optional<SignInTokens> kept = SignInTokens::fromJson(tokens.toJson());
    QVERIFY(kept);
    QCOMPARE(kept->userEntityRef, tokens.userEntityRef);
    QCOMPARE(kept->refreshToken, tokens.refreshToken);
    // The listener is gone once used.
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, quint16(visit.visited.last().port()));
    QVERIFY(!late.waitForConnected(500));

    QSignalSpy refreshed(&signIn, &NativeSignIn::refreshed);
    signIn.refresh(QUrl(m_fixture.base()), tokens.refreshToken);
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 10000);
    const SignInTokens renewed = refreshed.first().first().value<SignInTokens>();
    QCOMPARE(renewed.userEntityRef, QStringLiteral("user:default/jane"));
    QVERIFY(renewed.refreshToken != tokens.refreshToken);
    // Signing out: the server forgets the refresh token.
    signIn.revoke(QUrl(m_fixture.base()), renewed.refreshToken);
    QTest::qWait(300);
    signIn.refresh(QUrl(m_fixture.base()), renewed.refreshToken);
    QTRY_VERIFY_WITH_TIMEOUT(failed.size() == 1, 10000);
    QCOMPARE(failed.first().first().toString(), QStringLiteral("The server refused the sign-in: Invalid refresh token"));
}

void TestNativeSignIn::strangersCallbacksAreRefused()
{
    NativeSignIn signIn;
    QSignalSpy signedIn(&signIn, &NativeSignIn::signedIn);
    QSignalSpy failed(&signIn, &NativeSignIn::failed);
    QUrl opened;
    connect(&signIn, &NativeSignIn::openBrowser, this, [&](const QUrl &url) { opened = url; });
    signIn.start(QUrl(m_fixture.base()));
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 10000);
    // Another page on this machine hands the listener a code of its own.
    SignInBrowser stranger(m_fixture.github().host(), QStringLiteral("none:"));
    const BrowserVisit forged = stranger.open(QUrl(QStringLiteral("http://127.0.0.1:%1/callback?code=planted&state=guess").arg(signIn.loopbackPort())), {});
    QVERIFY2(forged.lastBody.contains("does not belong to a sign-in Greenroom started"), forged.lastBody.constData());
    QTest::qWait(200);
    QVERIFY(signedIn.isEmpty());
    QVERIFY(failed.isEmpty());
    // The real sign-in still completes.
    SignInBrowser browser(m_fixture.github().host(), QStringLiteral("none:"));
    browser.open(opened, QStringLiteral("jane"));
    QTRY_VERIFY_WITH_TIMEOUT(!signedIn.isEmpty(), 30000);
}

void TestNativeSignIn::deviceFlow()
{
    NativeSignIn signIn;
    QSignalSpy signedIn(&signIn, &NativeSignIn::signedIn);
    QSignalSpy failed(&signIn, &NativeSignIn::failed);
    QString code;
    QUrl where;
    connect(&signIn, &NativeSignIn::deviceCodeReady, this, [&](const QString &userCode, const QUrl &uri) {
        code = userCode;
        where = uri;
    });
    signIn.startDevice(QUrl(m_fixture.base()));
    QTRY_VERIFY_WITH_TIMEOUT(!code.isEmpty(), 10000);
    QCOMPARE(where.toString(), m_fixture.base() + QStringLiteral("/api/auth/device"));
    // On a laptop, the person types the code and signs in.
    SignInBrowser browser(m_fixture.github().host(), QStringLiteral("none:"));
    const BrowserVisit visit = browser.open(QUrl(where.toString() + QStringLiteral("?user_code=") + code), QStringLiteral("jane"));
    QVERIFY2(visit.lastBody.contains("Signed in as user:default/jane"), visit.lastBody.constData());
    QTRY_VERIFY_WITH_TIMEOUT(!signedIn.isEmpty() || !failed.isEmpty(), 20000);
    QVERIFY(failed.isEmpty());
    QCOMPARE(signedIn.first().first().value<SignInTokens>().userEntityRef, QStringLiteral("user:default/jane"));
}

void TestNativeSignIn::serversThatDoNotSignAppsIn()
{
    NativeSignIn signIn;
    QSignalSpy failed(&signIn, &NativeSignIn::failed);
    // The fake GitHub answers 404 where the CLI client's document would be.
    signIn.start(QUrl(QStringLiteral("http://") + m_fixture.github().host()));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
    QVERIFY2(failed.first().first().toString().contains(QLatin1String("does not sign apps in")), qPrintable(failed.first().first().toString()));
    // Nothing listens at all.
    QTcpServer closed;
    closed.listen(QHostAddress::LocalHost, 0);
    const quint16 port = closed.serverPort();
    closed.close();
    signIn.start(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    QTRY_VERIFY_WITH_TIMEOUT(failed.size() == 2, 10000);
    QVERIFY2(failed.last().first().toString().startsWith(QLatin1String("Cannot reach")), qPrintable(failed.last().first().toString()));
}

QTEST_GUILESS_MAIN(TestNativeSignIn)
#include "tst_nativesignin.moc"
