// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace Greenroom::Auth {

// Who a user token says the caller is.
struct UserIdentity
{
    QString userEntityRef;          // sub
    QStringList ownershipRefs;      // ent
    qint64 expiresAt = 0;           // exp, seconds since the epoch
};

/*
 * Backstage's user tokens (auth-backend's TokenFactory): ES256 JWTs with
 * header {typ: "vnd.backstage.user", alg: "ES256", kid} and claims iss,
 * sub, ent, aud "backstage", iat, exp, and uip (the signature a limited
 * token of {sub, iat, exp} would carry). A new P-256 key signs once the
 * current one is a token lifetime old; public keys stay in the JWKS
 * (GET /api/auth/.well-known/jwks.json) for three lifetimes, so every token
 * issued can be verified until it expires. The lifetime is clamped to
 * 10 minutes .. 24 hours, as upstream clamps it.
 *
 * Private keys live in this process only. Public keys may be kept
 * elsewhere (the server's database, as Backstage's DatabaseKeyStore keeps
 * them): publishKey is told of each new one, and addPublishedKey brings
 * back those of earlier runs, so a restart signs with a new key while
 * tokens from before it still verify until they expire.
 */
class UserTokens
{
public:
    struct Options
    {
        QString issuer;                       // <backend.baseUrl>/api/auth
        qint64 lifetimeSeconds = 3600;        // auth.backstageTokenExpiration
        std::function<qint64()> now;          // seconds since the epoch; the clock when null
        std::function<void(const QJsonObject &jwk, qint64 createdAt)> publishKey;   // may be null
        // A published key this process has not seen, by kid: another
        // replica's (they share the database). May be null.
        std::function<std::optional<std::pair<QJsonObject, qint64>>(const QString &kid)> lookUpKey;
    };
    explicit UserTokens(Options options);
    ~UserTokens();
    UserTokens(const UserTokens &) = delete;
    UserTokens &operator=(const UserTokens &) = delete;

    qint64 lifetimeSeconds() const;
    // How long a public key is kept: tokens it signed may live that long.
    qint64 keyLifetimeSeconds() const;
    // A public key of an earlier run (verifies, never signs); ignored when too old or malformed.
    void addPublishedKey(const QJsonObject &jwk, qint64 createdAt);
    Result<QString> issue(const QString &userEntityRef, const QStringList &ownershipRefs);
    // {"keys": [{kty, crv, x, y, kid, alg, use}]}: every key a live token may have been signed with.
    QJsonObject jwks() const;
    // Whether `token` claims to be a user token (its header's typ, or no typ
    // and the audience "backstage"), whoever signed it: such a token is
    // verified as one, never tried as anything else.
    static bool isUserToken(const QString &token);
    // The identity of a token this issuer signed, checked against the JWKS's
    // keys as any plugin checks it; AuthenticationError otherwise.
    Result<UserIdentity> verify(const QString &token) const;

private:
    struct Key;
    qint64 now() const;
    Key &currentKey();
    void dropOldKeys();
    // The public key `kid` names: this process's, or one looked up.
    std::optional<QJsonObject> publicJwk(const QString &kid) const;
    Options m_options;
    std::vector<std::unique_ptr<Key>> m_keys;   // newest last
    // Keys looked up (lookUpKey) while verifying, by kid; lookups are
    // limited per second, so a flood of made-up kids cannot flood the database.
    mutable std::mutex m_lookedUpMutex;
    mutable QHash<QString, std::pair<QJsonObject, qint64>> m_lookedUp;
    mutable qint64 m_lookupSecond = 0;
    mutable int m_lookupsThisSecond = 0;
};

} // namespace Greenroom::Auth
