// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <config/configreader.h>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Greenroom::Auth {

class UserTokens;

// Who made a request. Service principals come from configured tokens, users
// from the user tokens this server issued.
struct Principal
{
    enum class Type { None, Service, User };
    Type type = Type::None;
    QString subject;                 // the token's configured subject; a user's entity ref
    QStringList ownershipRefs;       // a user's `ent`
    // Plugin id -> permissions allowed there (empty list: all). An empty map
    // means the token is not restricted.
    QHash<QString, QStringList> pluginRestrictions;
};

/*
 * Backstage's backend.auth for machine callers: `externalAccess` entries of
 * type `static` (a bearer token and its subject) and `legacy` (HS256 JWTs
 * signed with a shared secret, subject `backstage-server`), the deprecated
 * `keys` form, `accessRestrictions` per plugin, and
 * `dangerouslyDisableDefaultAuthPolicy`. Config problems are refused at start
 * with upstream's messages; tokens and secrets are never put in a message.
 */
class TokenAuthenticator
{
public:
    // Reads `backend.auth` of the root config.
    static Result<TokenAuthenticator> fromConfig(const Config::ConfigReader &root);

    // Whether any token is configured: without one only loopback may connect.
    bool hasTokens() const { return !m_statics.isEmpty() || !m_legacy.isEmpty(); }
    // backend.auth.dangerouslyDisableDefaultAuthPolicy: requests need no token.
    bool isPolicyDisabled() const { return m_policyDisabled; }
    // Warnings to print at start (deprecated keys), without secrets.
    QStringList warnings() const { return m_warnings; }

    // Also accept the user tokens `tokens` signed (it must outlive this).
    void setUserTokens(const UserTokens *tokens) { m_userTokens = tokens; }

    // The principal of an `Authorization` header value; an AuthenticationError
    // "Missing credentials" when there is no bearer token, "Failed user token
    // verification" for a user token that does not verify, "Illegal token"
    // when it matches nothing configured.
    Result<Principal> authenticate(const QByteArray &authorization) const;
    // The token of a `Bearer <token>` value (upstream's pattern); empty when it is not one.
    static QByteArray bearerToken(const QByteArray &authorization);
    // Whether an `Authorization` value carries what claims to be a user token.
    static bool carriesUserToken(const QByteArray &authorization);
    // NotAllowedError when a restricted token calls another plugin.
    static Status checkPlugin(const Principal &principal, const QString &pluginId);

private:
    struct StaticToken
    {
        QByteArray token;
        Principal principal;
    };
    struct LegacySecret
    {
        QByteArray key;
        Principal principal;
    };
    Status addStaticToken(const Config::ConfigReader &entry, Principal principal);
    Status addLegacySecret(const Config::ConfigReader &entry, Principal principal);
    std::optional<Principal> matchLegacy(const QByteArray &token) const;

    QList<StaticToken> m_statics;
    QList<LegacySecret> m_legacy;
    bool m_policyDisabled = false;
    QStringList m_warnings;
    const UserTokens *m_userTokens = nullptr;
};

} // namespace Greenroom::Auth
