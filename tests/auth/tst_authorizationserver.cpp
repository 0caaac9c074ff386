// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The authorization server on a clock of its own: codes and sessions that
// expire, the device flow's pending / slow_down / expired answers, refresh
// tokens that work once and carry the user's current groups, a forged
// refresh token that leaves the real one alone, and sign-ins in progress
// bounded, since anyone may start one.
#include <auth/authorizationserver.h>

#include <QCryptographicHash>
#include <QTest>
#include <QUrlQuery>

using namespace Greenroom;
using namespace Greenroom::Auth;

namespace {

const QString Issuer = QStringLiteral("http://127.0.0.1:7007/api/auth");
const QString Redirect = QStringLiteral("http://127.0.0.1:40000/callback");

QString challengeOf(const QString &verifier)
{
    return QString::fromLatin1(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

class TestAuthorizationServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void codesExpireAndWorkOnce();
    void deviceFlowAnswers();
    void refreshTokensRotateWithCurrentGroups();
    void pendingSignInsAreBounded();
    void userCodesCannotBeGuessed();

private:
    // A session approved for jane; the code from the redirect.
    QString approvedCode(AuthorizationServer &server, const QString &verifier);

    qint64 m_now = 1'800'000'000;
    QStringList m_groups{QStringLiteral("group:default/payments")};
    std::unique_ptr<UserTokens> m_tokens;
    std::unique_ptr<AuthorizationServer> m_server;
};

void TestAuthorizationServer::init()
{
    m_now = 1'800'000'000;
    m_tokens = std::make_unique<UserTokens>(UserTokens::Options{Issuer, 3600, [this] { return m_now; }, {}});
    AuthorizationServer::Options options;
    options.issuer = Issuer;
    options.verificationUri = Issuer + QStringLiteral("/device");
    options.now = [this] { return m_now; };
    options.currentUser = [this](const QString &ref) -> Result<SignedInUser> {
        if (ref == QLatin1String("user:default/gone"))
            return Error(QStringLiteral("NotFoundError"), QStringLiteral("gone"));
        return SignedInUser{ref, QStringList{ref} + m_groups};
    };
    m_server = std::make_unique<AuthorizationServer>(*m_tokens, options);
}

QString TestAuthorizationServer::approvedCode(AuthorizationServer &server, const QString &verifier)
{
    auto session = server.createSession({server.cliClientId(), Redirect, QStringLiteral("code"), QStringLiteral("openid offline_access"),
                                         QStringLiteral("s"), {}, challengeOf(verifier), QStringLiteral("S256")});
    if (!session)
        return {};
    auto back = server.approve(session.value(), {QStringLiteral("user:default/jane"), {QStringLiteral("user:default/jane")}});
    return back ? QUrlQuery(QUrl(back.value())).queryItemValue(QStringLiteral("code")) : QString();
}

void TestAuthorizationServer::codesExpireAndWorkOnce()
{
    const QString verifier = QStringLiteral("a-verifier-long-enough-for-pkce-0123456789");
    QString code = approvedCode(*m_server, verifier);
    QVERIFY(!code.isEmpty());
    m_now += 601;   // codes last ten minutes
    auto late = m_server->exchangeCode(code, Redirect, verifier);
    QCOMPARE(std::get<OAuthError>(late).description, QStringLiteral("Invalid authorization code"));
    code = approvedCode(*m_server, verifier);
    QVERIFY(std::holds_alternative<AuthorizationServer::Tokens>(m_server->exchangeCode(code, Redirect, verifier)));
    QCOMPARE(std::get<OAuthError>(m_server->exchangeCode(code, Redirect, verifier)).description, QStringLiteral("Authorization code already used"));
    // A session nobody finished is gone after an hour.
    auto session = m_server->createSession({m_server->cliClientId(), Redirect, QStringLiteral("code"), {}, {}, {}, challengeOf(verifier),
                                            QStringLiteral("S256")});
    QVERIFY(session && m_server->isPending(session.value()));
    m_now += 3601;
    QVERIFY(!m_server->isPending(session.value()));
    QVERIFY(!m_server->approve(session.value(), {QStringLiteral("user:default/jane"), {}}));
}

void TestAuthorizationServer::deviceFlowAnswers()
{
    auto started = m_server->startDevice(m_server->cliClientId(), QStringLiteral("openid"));
    const auto grant = std::get<AuthorizationServer::DeviceGrant>(started);
    QCOMPARE(std::get<OAuthError>(m_server->pollDevice(grant.deviceCode)).error, QStringLiteral("authorization_pending"));
    m_now += 1;
    QCOMPARE(std::get<OAuthError>(m_server->pollDevice(grant.deviceCode)).error, QStringLiteral("slow_down"));
    auto session = m_server->sessionForUserCode(grant.userCode.toLower());
    QVERIFY(session);
    QVERIFY(m_server->approve(session.value(), {QStringLiteral("user:default/jane"), {QStringLiteral("user:default/jane")}}));
    m_now += 10;   // the interval grew to ten seconds
    QVERIFY(std::holds_alternative<AuthorizationServer::Tokens>(m_server->pollDevice(grant.deviceCode)));
    QCOMPARE(std::get<OAuthError>(m_server->pollDevice(grant.deviceCode)).error, QStringLiteral("expired_token"));
    QVERIFY(!m_server->sessionForUserCode(grant.userCode));
    // A code nobody uses expires with its device code.
    const auto unused = std::get<AuthorizationServer::DeviceGrant>(m_server->startDevice(m_server->cliClientId(), {}));
    m_now += 901;
    QCOMPARE(std::get<OAuthError>(m_server->pollDevice(unused.deviceCode)).error, QStringLiteral("expired_token"));
    QCOMPARE(std::get<OAuthError>(m_server->startDevice(QStringLiteral("https://elsewhere.example/client.json"), {})).error,
             QStringLiteral("invalid_client"));
}

void TestAuthorizationServer::refreshTokensRotateWithCurrentGroups()
{
    const QString verifier = QStringLiteral("another-verifier-long-enough-0123456789abcd");
    auto tokens = std::get<AuthorizationServer::Tokens>(m_server->exchangeCode(approvedCode(*m_server, verifier), Redirect, verifier));
    QVERIFY(!tokens.refreshToken.isEmpty());
    // A forged secret with the real id is refused, and leaves the real token working.
    const QString forged = tokens.refreshToken.section(QLatin1Char('.'), 0, 0) + QStringLiteral(".forged");
    QCOMPARE(std::get<OAuthError>(m_server->refresh(forged)).description, QStringLiteral("Invalid refresh token"));
    m_groups = {QStringLiteral("group:default/platform-team")};   // jane moved
    auto renewed = m_server->refresh(tokens.refreshToken);
    QVERIFY(std::holds_alternative<AuthorizationServer::Tokens>(renewed));
    const auto identity = m_tokens->verify(std::get<AuthorizationServer::Tokens>(renewed).accessToken);
    QVERIFY(identity);
    QCOMPARE(identity->ownershipRefs, (QStringList{"user:default/jane", "group:default/platform-team"}));
    QCOMPARE(std::get<OAuthError>(m_server->refresh(tokens.refreshToken)).description, QStringLiteral("Invalid refresh token"));
    // Refresh sessions expire (thirty days).
    const QString current = std::get<AuthorizationServer::Tokens>(renewed).refreshToken;
    m_now += 30 * 24 * 3600 + 1;
    QCOMPARE(std::get<OAuthError>(m_server->refresh(current)).description, QStringLiteral("Invalid refresh token"));
    QCOMPARE(std::get<OAuthError>(m_server->refresh(QStringLiteral("no-dot"))).description, QStringLiteral("Invalid refresh token format"));
}

void TestAuthorizationServer::pendingSignInsAreBounded()
{
    const QString challenge = challengeOf(QStringLiteral("v"));
    const AuthorizationServer::AuthorizeRequest request{m_server->cliClientId(), Redirect, QStringLiteral("code"), {}, {}, {}, challenge,
                                                        QStringLiteral("S256")};
    int started = 0;
    Error refusal;
    for (int i = 0; i < 10001; ++i) {
        auto session = m_server->createSession(request);
        if (!session) {
            refusal = session.error();
            break;
        }
        ++started;
    }
    QCOMPARE(started, 10000);
    QCOMPARE(refusal.name, QStringLiteral("ServiceUnavailableError"));
    QCOMPARE(std::get<OAuthError>(m_server->startDevice(m_server->cliClientId(), {})).status, 503);
    // They expire, and room comes back.
    m_now += 3601;
    QVERIFY(m_server->createSession(request));
}

void TestAuthorizationServer::userCodesCannotBeGuessed()
{
    const auto grant = std::get<AuthorizationServer::DeviceGrant>(m_server->startDevice(m_server->cliClientId(), {}));
    for (int i = 0; i < 30; ++i) {
        auto guess = m_server->sessionForUserCode(QStringLiteral("BCDF-%1").arg(i, 4, 10, QLatin1Char('0')));
        QVERIFY(!guess);
        QCOMPARE(guess.error().name, QStringLiteral("InputError"));
    }
    // Thirty misses in a minute: even the right code waits.
    auto refused = m_server->sessionForUserCode(grant.userCode);
    QVERIFY(!refused);
    QCOMPARE(refused.error().name, QStringLiteral("TooManyRequestsError"));
    m_now += 61;
    QVERIFY(m_server->sessionForUserCode(grant.userCode));
}

QTEST_GUILESS_MAIN(TestAuthorizationServer)
#include "tst_authorizationserver.moc"
