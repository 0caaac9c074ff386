// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// ES256 with OpenSSL's libcrypto (Debian's libssl-dev): neither Qt nor
// libsodium signs with P-256 ECDSA, which Backstage's user tokens use.
#include "usertokens.h"

#include <common/base64url.h>
#include <common/jsonstringify.h>
#include <model/entityref.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>

namespace Greenroom::Auth {

namespace {

constexpr qint64 MinLifetime = 10 * 60;
constexpr qint64 MaxLifetime = 24 * 60 * 60;
constexpr qsizetype MaxTokenLength = 32768;
constexpr int KeptLifetimes = 3;
const QByteArray UserType = QByteArrayLiteral("vnd.backstage.user");
const QByteArray LimitedUserType = QByteArrayLiteral("vnd.backstage.limited-user");

struct PkeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::optional<QByteArray> fromBase64Url(const QByteArray &text)
{
    auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return std::nullopt;
    return decoded.decoded;
}

Error failed()
{
    return {QStringLiteral("AuthenticationError"), QStringLiteral("Failed user token verification")};
}

// JSON with the keys in the order given (a JWT's header and claims are written so).
QByteArray orderedJson(const QList<std::pair<const char *, QJsonValue>> &members)
{
    QByteArray json = "{";
    for (qsizetype i = 0; i < members.size(); ++i)
        json += (i ? "," : "") + QByteArray("\"") + members.at(i).first + "\":" + jsonStringify(members.at(i).second).toUtf8();
    return json + '}';
}

QByteArray coordinate(const EVP_PKEY *key, const char *name)
{
    BIGNUM *number = nullptr;
    QByteArray bytes(32, '\0');
    if (EVP_PKEY_get_bn_param(key, name, &number) == 1)
        BN_bn2binpad(number, reinterpret_cast<unsigned char *>(bytes.data()), 32);
    BN_free(number);
    return bytes;
}

// The JWS signature (r || s, 32 bytes each) of `data`.
QByteArray sign(EVP_PKEY *key, const QByteArray &data)
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t length = 0;
    QByteArray der;
    if (EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key) == 1
        && EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size())) == 1) {
        der.resize(qsizetype(length));
        if (EVP_DigestSign(context, reinterpret_cast<unsigned char *>(der.data()), &length,
                           reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size())) != 1)
            der.clear();
        der.resize(qsizetype(length));
    }
    EVP_MD_CTX_free(context);
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    ECDSA_SIG *signature = d2i_ECDSA_SIG(nullptr, &cursor, long(der.size()));
    QByteArray raw(64, '\0');
    if (signature) {
        const BIGNUM *r = nullptr;
        const BIGNUM *s = nullptr;
        ECDSA_SIG_get0(signature, &r, &s);
        BN_bn2binpad(r, reinterpret_cast<unsigned char *>(raw.data()), 32);
        BN_bn2binpad(s, reinterpret_cast<unsigned char *>(raw.data()) + 32, 32);
        ECDSA_SIG_free(signature);
    }
    return raw;
}

// A public key from a JWK's coordinates, as a verifier that has only the JWKS makes it.
Pkey publicKey(const QByteArray &x, const QByteArray &y)
{
    QByteArray point = QByteArray(1, '\x04') + x + y;
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
    OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point.data(), size_t(point.size()));
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(builder);
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY *key = nullptr;
    if (context && EVP_PKEY_fromdata_init(context) == 1)
        EVP_PKEY_fromdata(context, &key, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(context);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(builder);
    return Pkey(key);
}

bool verifySignature(EVP_PKEY *key, const QByteArray &data, const QByteArray &raw)
{
    if (raw.size() != 64)
        return false;
    ECDSA_SIG *signature = ECDSA_SIG_new();
    ECDSA_SIG_set0(signature, BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()), 32, nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()) + 32, 32, nullptr));
    unsigned char *der = nullptr;
    const int derLength = i2d_ECDSA_SIG(signature, &der);
    ECDSA_SIG_free(signature);
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    const bool valid = derLength > 0 && EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key) == 1
                       && EVP_DigestVerify(context, der, size_t(derLength), reinterpret_cast<const unsigned char *>(data.constData()),
                                           size_t(data.size())) == 1;
    EVP_MD_CTX_free(context);
    OPENSSL_free(der);
    return valid;
}

} // namespace

struct UserTokens::Key
{
    QString kid;
    qint64 createdAt = 0;
    Pkey pair;
    QJsonObject jwk;
};

UserTokens::UserTokens(Options options) : m_options(std::move(options))
{
    m_options.lifetimeSeconds = std::clamp(m_options.lifetimeSeconds, MinLifetime, MaxLifetime);
}

UserTokens::~UserTokens() = default;

qint64 UserTokens::lifetimeSeconds() const
{
    return m_options.lifetimeSeconds;
}

qint64 UserTokens::keyLifetimeSeconds() const
{
    return KeptLifetimes * m_options.lifetimeSeconds;
}

void UserTokens::addPublishedKey(const QJsonObject &jwk, qint64 createdAt)
{
    const QString kid = jwk.value(QLatin1String("kid")).toString();
    if (kid.isEmpty() || jwk.value(QLatin1String("crv")).toString() != QLatin1String("P-256") || createdAt < now() - keyLifetimeSeconds())
        return;
    for (const auto &key : m_keys) {
        if (key->kid == kid)
            return;
    }
    auto key = std::make_unique<Key>();
    key->kid = kid;
    key->createdAt = createdAt;
    key->jwk = jwk;   // no private key: it verifies only
    m_keys.insert(m_keys.begin(), std::move(key));
}

qint64 UserTokens::now() const
{
    return m_options.now ? m_options.now() : QDateTime::currentSecsSinceEpoch();
}

UserTokens::Key &UserTokens::currentKey()
{
    if (m_keys.empty() || !m_keys.back()->pair || now() - m_keys.back()->createdAt >= m_options.lifetimeSeconds) {
        auto key = std::make_unique<Key>();
        key->kid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        key->createdAt = now();
        key->pair = Pkey(EVP_EC_gen("P-256"));
        key->jwk = QJsonObject{{QStringLiteral("kty"), QStringLiteral("EC")},
                               {QStringLiteral("crv"), QStringLiteral("P-256")},
                               {QStringLiteral("x"), QString::fromLatin1(base64Url(coordinate(key->pair.get(), OSSL_PKEY_PARAM_EC_PUB_X)))},
                               {QStringLiteral("y"), QString::fromLatin1(base64Url(coordinate(key->pair.get(), OSSL_PKEY_PARAM_EC_PUB_Y)))},
                               {QStringLiteral("kid"), key->kid},
                               {QStringLiteral("alg"), QStringLiteral("ES256")},
                               {QStringLiteral("use"), QStringLiteral("sig")}};
        if (m_options.publishKey)
            m_options.publishKey(key->jwk, key->createdAt);
        m_keys.push_back(std::move(key));
        dropOldKeys();
    }
    return *m_keys.back();
}

void UserTokens::dropOldKeys()
{
    const qint64 oldest = now() - KeptLifetimes * m_options.lifetimeSeconds;
    m_keys.erase(std::remove_if(m_keys.begin(), m_keys.end() - 1, [&](const std::unique_ptr<Key> &key) { return key->createdAt < oldest; }),
                 m_keys.end() - 1);
}

Result<QString> UserTokens::issue(const QString &userEntityRef, const QStringList &ownershipRefs)
{
    auto ref = Model::EntityRef::parse(userEntityRef);
    if (!ref)
        return Error::input(QStringLiteral("'%1' is not an entity ref").arg(userEntityRef));
    Key &key = currentKey();
    if (!key.pair)
        return Error::internal(QStringLiteral("could not make a signing key"));
    const qint64 issuedAt = now();
    const qint64 expires = issuedAt + m_options.lifetimeSeconds;
    const QStringList ent = ownershipRefs.isEmpty() ? QStringList{userEntityRef} : ownershipRefs;

    // The signature a limited token of the same user and times would carry.
    const QByteArray limitedSigned = base64Url(orderedJson({{"typ", QString::fromLatin1(LimitedUserType)}, {"alg", QStringLiteral("ES256")},
                                                            {"kid", key.kid}}))
                                     + '.' + base64Url(orderedJson({{"sub", userEntityRef}, {"iat", issuedAt}, {"exp", expires}}));
    const QByteArray uip = base64Url(sign(key.pair.get(), limitedSigned));

    const QByteArray header = orderedJson({{"typ", QString::fromLatin1(UserType)}, {"alg", QStringLiteral("ES256")}, {"kid", key.kid}});
    const QByteArray claims = orderedJson({{"iss", m_options.issuer}, {"sub", userEntityRef}, {"ent", QJsonArray::fromStringList(ent)},
                                           {"aud", QStringLiteral("backstage")}, {"iat", issuedAt}, {"exp", expires},
                                           {"uip", QString::fromLatin1(uip)}});
    const QByteArray signedPart = base64Url(header) + '.' + base64Url(claims);
    const QByteArray token = signedPart + '.' + base64Url(sign(key.pair.get(), signedPart));
    if (token.size() > MaxTokenLength)
        return Error::input(QStringLiteral("The token of %1 would be over %2 characters: too many ownership refs")
                                .arg(userEntityRef).arg(MaxTokenLength));
    return QString::fromLatin1(token);
}

QJsonObject UserTokens::jwks() const
{
    QJsonArray keys;
    const qint64 oldest = now() - KeptLifetimes * m_options.lifetimeSeconds;
    for (const auto &key : m_keys) {
        if (key->createdAt >= oldest || key.get() == m_keys.back().get())
            keys.append(key->jwk);
    }
    // Other replicas' keys this one has met too.
    std::lock_guard lock(m_lookedUpMutex);
    for (const auto &[jwk, createdAt] : std::as_const(m_lookedUp)) {
        if (createdAt >= oldest)
            keys.append(jwk);
    }
    return {{QStringLiteral("keys"), keys}};
}

std::optional<QJsonObject> UserTokens::publicJwk(const QString &kid) const
{
    if (kid.isEmpty())
        return std::nullopt;
    for (const QJsonValue &key : jwks().value(QLatin1String("keys")).toArray()) {
        if (key[QLatin1String("kid")].toString() == kid)
            return key.toObject();
    }
    if (!m_options.lookUpKey)
        return std::nullopt;
    constexpr int LookupsPerSecond = 20;
    std::lock_guard lock(m_lookedUpMutex);
    const qint64 oldest = now() - keyLifetimeSeconds();
    if (const auto seen = m_lookedUp.constFind(kid); seen != m_lookedUp.cend())
        return seen->second >= oldest ? std::optional<QJsonObject>(seen->first) : std::nullopt;
    if (std::exchange(m_lookupSecond, now()) != now())
        m_lookupsThisSecond = 0;
    if (++m_lookupsThisSecond > LookupsPerSecond)
        return std::nullopt;
    const auto found = m_options.lookUpKey(kid);
    if (!found || found->second < oldest || found->first.value(QLatin1String("crv")).toString() != QLatin1String("P-256"))
        return std::nullopt;
    m_lookedUp.insert(kid, *found);
    return found->first;
}

bool UserTokens::isUserToken(const QString &token)
{
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3)
        return false;
    const auto header = fromBase64Url(parts.at(0));
    const auto payload = fromBase64Url(parts.at(1));
    if (!header || !payload)
        return false;
    const QJsonObject head = QJsonDocument::fromJson(*header).object();
    if (head.contains(QLatin1String("typ")))
        return head.value(QLatin1String("typ")).toString() == QLatin1String(UserType);
    return QJsonDocument::fromJson(*payload).object().value(QLatin1String("aud")) == QLatin1String("backstage");
}

Result<UserIdentity> UserTokens::verify(const QString &token) const
{
    const QByteArray text = token.toLatin1();
    const QList<QByteArray> parts = text.split('.');
    if (text.size() > MaxTokenLength || parts.size() != 3)
        return failed();
    const auto header = fromBase64Url(parts.at(0));
    const auto payload = fromBase64Url(parts.at(1));
    const auto signature = fromBase64Url(parts.at(2));
    if (!header || !payload || !signature)
        return failed();
    const QJsonObject head = QJsonDocument::fromJson(*header).object();
    const QJsonObject claims = QJsonDocument::fromJson(*payload).object();
    const QString type = head.value(QLatin1String("typ")).toString();
    // A user token: its type says so, or (older issuers) no type and the audience "backstage".
    if (!(type == QLatin1String(UserType) || (!head.contains(QLatin1String("typ")) && claims.value(QLatin1String("aud")) == QLatin1String("backstage"))))
        return failed();
    if (head.value(QLatin1String("alg")).toString() != QLatin1String("ES256"))
        return failed();
    const std::optional<QJsonObject> jwk = publicJwk(head.value(QLatin1String("kid")).toString());
    if (!jwk)
        return failed();
    const auto x = fromBase64Url(jwk->value(QLatin1String("x")).toString().toLatin1());
    const auto y = fromBase64Url(jwk->value(QLatin1String("y")).toString().toLatin1());
    const Pkey key = x && y ? publicKey(*x, *y) : Pkey();
    if (!key || !verifySignature(key.get(), parts.at(0) + '.' + parts.at(1), *signature))
        return failed();
    const qint64 expires = qint64(claims.value(QLatin1String("exp")).toDouble());
    const QString subject = claims.value(QLatin1String("sub")).toString();
    if (!claims.contains(QLatin1String("iat")) || expires <= now() || !Model::EntityRef::parse(subject))
        return failed();
    UserIdentity identity{subject, {}, expires};
    for (const QJsonValue &ref : claims.value(QLatin1String("ent")).toArray())
        identity.ownershipRefs.append(ref.toString());
    if (!claims.contains(QLatin1String("ent")))
        identity.ownershipRefs.append(subject);
    return identity;
}

} // namespace Greenroom::Auth
