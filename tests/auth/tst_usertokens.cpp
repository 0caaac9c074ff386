// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Backstage's user tokens: ES256 JWTs in its header and claims, checked
// against the JWKS's keys, refused when tampered with, signed by another
// issuer or expired; keys rotated every lifetime and kept for three.
#include <auth/tokenauthenticator.h>
#include <auth/usertokens.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Auth;

namespace {

QJsonObject part(const QString &token, int index)
{
    const QByteArray encoded = token.toLatin1().split('.').value(index);
    return QJsonDocument::fromJson(QByteArray::fromBase64(encoded, QByteArray::Base64UrlEncoding)).object();
}

QString withPart(const QString &token, int index, const QJsonObject &json)
{
    QList<QByteArray> parts = token.toLatin1().split('.');
    parts[index] = QJsonDocument(json).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return QString::fromLatin1(parts.join('.'));
}

} // namespace

class TestUserTokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokensAreBackstages();
    void onlyUntamperedLiveTokensOfThisIssuerVerify();
    void keysRotateAndStayForThreeLifetimes();
    void lifetimeIsClamped();
    void publishedKeysOutliveTheProcess();
    void replicasVerifyEachOthersTokens();
    void nodeVerifiesThemAsJoseWould();
    void theServersAuthenticatorAcceptsThem();

private:
    qint64 m_now = 1'800'000'000;
    UserTokens::Options options(qint64 lifetime = 3600)
    {
        return {QStringLiteral("http://localhost:7007/api/auth"), lifetime, [this] { return m_now; }};
    }
};

void TestUserTokens::tokensAreBackstages()
{
    UserTokens tokens(options());
    auto token = tokens.issue(QStringLiteral("user:default/jane"), {QStringLiteral("user:default/jane"), QStringLiteral("group:default/payments")});
    QVERIFY(token);
    QCOMPARE(token->count(QLatin1Char('.')), 2);
    const QJsonObject header = part(*token, 0);
    QCOMPARE(header.value(QLatin1String("typ")).toString(), QStringLiteral("vnd.backstage.user"));
    QCOMPARE(header.value(QLatin1String("alg")).toString(), QStringLiteral("ES256"));
    // Written in upstream's key order.
    QVERIFY(QByteArray::fromBase64(token->toLatin1().split('.').first(), QByteArray::Base64UrlEncoding).startsWith("{\"typ\":\"vnd.backstage.user\",\"alg\""));
    const QJsonObject claims = part(*token, 1);
    QCOMPARE(claims.value(QLatin1String("iss")).toString(), QStringLiteral("http://localhost:7007/api/auth"));
    QCOMPARE(claims.value(QLatin1String("sub")).toString(), QStringLiteral("user:default/jane"));
    QCOMPARE(claims.value(QLatin1String("ent")).toArray(), (QJsonArray{QStringLiteral("user:default/jane"), QStringLiteral("group:default/payments")}));
    QCOMPARE(claims.value(QLatin1String("aud")).toString(), QStringLiteral("backstage"));
    QCOMPARE(qint64(claims.value(QLatin1String("iat")).toDouble()), m_now);
    QCOMPARE(qint64(claims.value(QLatin1String("exp")).toDouble()), m_now + 3600);
    QCOMPARE(claims.value(QLatin1String("uip")).toString().size(), 86);   // an ES256 signature, base64url

    // The JWKS has the key, as a verifier elsewhere needs it.
    const QJsonArray keys = tokens.jwks().value(QLatin1String("keys")).toArray();
    QCOMPARE(keys.size(), 1);
    const QJsonObject jwk = keys.first().toObject();
    QCOMPARE(jwk.value(QLatin1String("kid")), header.value(QLatin1String("kid")));
    QCOMPARE(jwk.value(QLatin1String("kty")).toString(), QStringLiteral("EC"));
    QCOMPARE(jwk.value(QLatin1String("crv")).toString(), QStringLiteral("P-256"));
    QCOMPARE(jwk.value(QLatin1String("alg")).toString(), QStringLiteral("ES256"));
    QCOMPARE(jwk.value(QLatin1String("x")).toString().size(), 43);
    QCOMPARE(jwk.value(QLatin1String("y")).toString().size(), 43);

    auto identity = tokens.verify(*token);
    QVERIFY2(identity, qPrintable(identity ? QString() : identity.error().message));
    QCOMPARE(identity->userEntityRef, QStringLiteral("user:default/jane"));
    QCOMPARE(identity->ownershipRefs, (QStringList{QStringLiteral("user:default/jane"), QStringLiteral("group:default/payments")}));
    // Without refs of its own, a user owns as itself.
    QCOMPARE(tokens.verify(*tokens.issue(QStringLiteral("user:default/pat"), {}))->ownershipRefs, QStringList{QStringLiteral("user:default/pat")});
    QVERIFY(!tokens.issue(QStringLiteral("not a ref:/"), {}));
}

void TestUserTokens::onlyUntamperedLiveTokensOfThisIssuerVerify()
{
    UserTokens tokens(options());
    const QString token = *tokens.issue(QStringLiteral("user:default/jane"), {});
    QJsonObject claims = part(token, 1);
    claims.insert(QStringLiteral("ent"), QJsonArray{QStringLiteral("group:default/admins")});
    const auto tampered = tokens.verify(withPart(token, 1, claims));
    QVERIFY(!tampered);
    QCOMPARE(tampered.error().name, QStringLiteral("AuthenticationError"));
    QCOMPARE(tampered.error().message, QStringLiteral("Failed user token verification"));
    QJsonObject header = part(token, 0);
    header.insert(QStringLiteral("alg"), QStringLiteral("none"));
    QVERIFY(!tokens.verify(withPart(token, 0, header)));
    QVERIFY(!tokens.verify(token.chopped(4) + QStringLiteral("AAAA")));
    QVERIFY(!tokens.verify(QStringLiteral("a.b")));
    QVERIFY(!tokens.verify(QString()));
    // Another issuer's keys: not ours.
    UserTokens other(options());
    QVERIFY(!tokens.verify(*other.issue(QStringLiteral("user:default/jane"), {})));
    // Expired.
    m_now += 3600;
    QVERIFY(!tokens.verify(token));
    m_now -= 3600;
    QVERIFY(tokens.verify(token));
}

void TestUserTokens::keysRotateAndStayForThreeLifetimes()
{
    UserTokens tokens(options(600));
    const QString first = *tokens.issue(QStringLiteral("user:default/jane"), {});
    const QString firstKid = part(first, 0).value(QLatin1String("kid")).toString();
    m_now += 300;
    QCOMPARE(part(*tokens.issue(QStringLiteral("user:default/jane"), {}), 0).value(QLatin1String("kid")).toString(), firstKid);
    m_now += 300;   // a lifetime after the key was made: a new one signs
    const QString second = *tokens.issue(QStringLiteral("user:default/jane"), {});
    QVERIFY(part(second, 0).value(QLatin1String("kid")).toString() != firstKid);
    QCOMPARE(tokens.jwks().value(QLatin1String("keys")).toArray().size(), 2);
    QVERIFY(tokens.verify(second));
    // Three lifetimes on, the first key is gone from the JWKS.
    m_now += 3 * 600;
    (void)tokens.issue(QStringLiteral("user:default/jane"), {});
    QStringList kids;
    for (const QJsonValue &key : tokens.jwks().value(QLatin1String("keys")).toArray())
        kids.append(key[QLatin1String("kid")].toString());
    QVERIFY(!kids.contains(firstKid));
}

void TestUserTokens::publishedKeysOutliveTheProcess()
{
    // The first run publishes its key as it signs.
    QList<std::pair<QJsonObject, qint64>> published;
    UserTokens::Options first = options(600);
    first.publishKey = [&](const QJsonObject &jwk, qint64 createdAt) { published.append({jwk, createdAt}); };
    std::optional<QString> token;
    {
        UserTokens tokens(first);
        token = tokens.issue(QStringLiteral("user:default/jane"), {}).value();
        QCOMPARE(published.size(), 1);
        QVERIFY(!published.first().first.contains(QLatin1String("d")));   // public only
    }
    // The next run: given the published key, it verifies the old token and signs with a new key.
    UserTokens next(options(600));
    QVERIFY(!next.verify(*token));
    next.addPublishedKey(published.first().first, published.first().second);
    QVERIFY(next.verify(*token));
    const QString fresh = next.issue(QStringLiteral("user:default/jane"), {}).value();
    const QString kid = QJsonDocument::fromJson(QByteArray::fromBase64(fresh.section(QLatin1Char('.'), 0, 0).toLatin1(), QByteArray::Base64UrlEncoding))
                            .object().value(QLatin1String("kid")).toString();
    QVERIFY(kid != published.first().first.value(QLatin1String("kid")).toString());
    QCOMPARE(next.jwks().value(QLatin1String("keys")).toArray().size(), 2);
    // A key older than three lifetimes is not taken back.
    UserTokens later(options(600));
    later.addPublishedKey(published.first().first, published.first().second - 3 * 600 - 1);
    QVERIFY(!later.verify(*token));
}

void TestUserTokens::replicasVerifyEachOthersTokens()
{
    // Two replicas publish to one database (a hash here) and sign with keys of their own.
    QHash<QString, std::pair<QJsonObject, qint64>> database;
    int lookups = 0;
    UserTokens::Options shared = options(600);
    shared.publishKey = [&](const QJsonObject &jwk, qint64 createdAt) { database.insert(jwk.value(QLatin1String("kid")).toString(), {jwk, createdAt}); };
    shared.lookUpKey = [&](const QString &kid) -> std::optional<std::pair<QJsonObject, qint64>> {
        ++lookups;
        const auto found = database.constFind(kid);
        return found == database.cend() ? std::nullopt : std::optional(*found);
    };
    UserTokens first(shared), second(shared);
    const QString token = first.issue(QStringLiteral("user:default/jane"), {}).value();
    auto identity = second.verify(token);
    QVERIFY(identity);
    QCOMPARE(identity->userEntityRef, QStringLiteral("user:default/jane"));
    QCOMPARE(lookups, 1);
    QVERIFY(second.verify(token));
    QCOMPARE(lookups, 1);   // kept once found
    QCOMPARE(second.jwks().value(QLatin1String("keys")).toArray().size(), 1);   // first's key; second has signed nothing yet

    // A forged kid is looked up and refused; a flood of them is cut off at 20 a second.
    const auto withKid = [&](const QString &kid) {
        QJsonObject head = QJsonDocument::fromJson(QByteArray::fromBase64(token.section(QLatin1Char('.'), 0, 0).toLatin1(),
                                                                          QByteArray::Base64UrlEncoding)).object();
        head.insert(QStringLiteral("kid"), kid);
        return QString::fromLatin1(QJsonDocument(head).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
               + QLatin1Char('.') + token.section(QLatin1Char('.'), 1);
    };
    lookups = 0;
    for (int i = 0; i < 100; ++i)
        QVERIFY(!second.verify(withKid(QStringLiteral("made-up-%1").arg(i))));
    QVERIFY2(lookups <= 20, qPrintable(QString::number(lookups)));
}

void TestUserTokens::lifetimeIsClamped()
{
    QCOMPARE(UserTokens(options(60)).lifetimeSeconds(), 600);
    QCOMPARE(UserTokens(options(7 * 86400)).lifetimeSeconds(), 86400);
    QCOMPARE(UserTokens(options(7200)).lifetimeSeconds(), 7200);
}

void TestUserTokens::nodeVerifiesThemAsJoseWould()
{
    // An independent verifier: Node's crypto, with the JWKS's key as JWK and
    // JWS's r||s signatures, checks the token and its uip (the signature of
    // the limited token {sub, iat, exp} under {typ: limited-user, alg, kid}).
    UserTokens tokens(options());
    const QString token = *tokens.issue(QStringLiteral("user:default/jane"), {QStringLiteral("group:default/payments")});
    const QByteArray script = R"js(
const crypto = require('crypto');
const [token, jwks] = process.argv.slice(1);
const [h, p, s] = token.split('.');
const header = JSON.parse(Buffer.from(h, 'base64url'));
const claims = JSON.parse(Buffer.from(p, 'base64url'));
const key = crypto.createPublicKey({ key: JSON.parse(jwks).keys.find((k) => k.kid === header.kid), format: 'jwk' });
const check = (data, signature) => crypto.verify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
const encode = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const limited = encode({ typ: 'vnd.backstage.limited-user', alg: 'ES256', kid: header.kid }) + '.' + encode({ sub: claims.sub, iat: claims.iat, exp: claims.exp });
console.log(JSON.stringify({ token: check(h + '.' + p, s), uip: check(limited, claims.uip) }));
)js";
    QProcess node;
    node.start(QStringLiteral("node"), {QStringLiteral("-e"), QString::fromUtf8(script), token,
                                        QString::fromUtf8(QJsonDocument(tokens.jwks()).toJson(QJsonDocument::Compact))});
    QVERIFY2(node.waitForFinished(30000), "node did not run (make test installs it)");
    QCOMPARE(node.exitCode(), 0);
    QCOMPARE(QJsonDocument::fromJson(node.readAllStandardOutput()).object(),
             (QJsonObject{{QStringLiteral("token"), true}, {QStringLiteral("uip"), true}}));
}

void TestUserTokens::theServersAuthenticatorAcceptsThem()
{
    const QJsonObject config{{QStringLiteral("backend"), QJsonObject{{QStringLiteral("auth"), QJsonObject{{QStringLiteral("externalAccess"), QJsonArray{
        QJsonObject{{QStringLiteral("type"), QStringLiteral("static")},
                    {QStringLiteral("options"), QJsonObject{{QStringLiteral("token"), QStringLiteral("ci-token-of-enough-length")},
                                                            {QStringLiteral("subject"), QStringLiteral("ci")}}}}}}}}}}};
    auto authenticator = TokenAuthenticator::fromConfig(Config::ConfigReader::fromLayers({{config, QStringLiteral("test")}}));
    QVERIFY2(authenticator, qPrintable(authenticator ? QString() : authenticator.error().message));
    UserTokens tokens(options());
    authenticator.value().setUserTokens(&tokens);
    const QString token = *tokens.issue(QStringLiteral("user:default/jane"), {QStringLiteral("group:default/payments")});
    auto user = authenticator->authenticate("Bearer " + token.toLatin1());
    QVERIFY2(user, qPrintable(user ? QString() : user.error().message));
    QCOMPARE(user->type, Principal::Type::User);
    QCOMPARE(user->subject, QStringLiteral("user:default/jane"));
    QCOMPARE(user->ownershipRefs, QStringList{QStringLiteral("group:default/payments")});
    QCOMPARE(authenticator->authenticate("Bearer ci-token-of-enough-length")->type, Principal::Type::Service);
    UserTokens other(options());
    const auto foreign = authenticator->authenticate("Bearer " + other.issue(QStringLiteral("user:default/jane"), {})->toLatin1());
    QVERIFY(!foreign);
    QCOMPARE(foreign.error().message, QStringLiteral("Failed user token verification"));
    QCOMPARE(authenticator->authenticate("Bearer something-else").error().message, QStringLiteral("Illegal token"));
}

QTEST_GUILESS_MAIN(TestUserTokens)
#include "tst_usertokens.moc"
