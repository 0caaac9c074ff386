// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "tokenauthenticator.h"

#include "usertokens.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>

namespace Greenroom::Auth {

namespace {

constexpr int MinimumStaticTokenLength = 8;
const QString LegacySubject = QStringLiteral("backstage-server");

Error authenticationError(const QString &message)
{
    return {QStringLiteral("AuthenticationError"), message};
}

// Compares without stopping at the first difference, so timing does not
// tell an attacker how much of a guessed token was right.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

// A string, a list of strings, or one string of comma- or space-separated items.
Result<QStringList> stringOrList(const Config::ConfigReader &config, const QString &key)
{
    auto value = config.optional(key);
    if (!value)
        return value.error();
    QStringList items;
    if (!value->has_value())
        return items;
    const QJsonValue raw = **value;
    if (raw.isString()) {
        static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
        items = raw.toString().split(separators, Qt::SkipEmptyParts);
    } else {
        auto list = config.stringArray(key);
        if (!list)
            return list.error();
        items = list.value();
    }
    return items;
}

Result<QHash<QString, QStringList>> readAccessRestrictions(const Config::ConfigReader &entry)
{
    QHash<QString, QStringList> restrictions;
    auto list = entry.optionalConfigArray(QStringLiteral("accessRestrictions"));
    if (!list)
        return list.error();
    for (const Config::ConfigReader &restriction : list->value_or(QList<Config::ConfigReader>())) {
        for (const QString &key : restriction.keys()) {
            if (key != QLatin1String("plugin") && key != QLatin1String("permission") && key != QLatin1String("permissionAttribute"))
                return Error::input(QStringLiteral("Invalid key '%1' in 'accessRestrictions' config, expected one of 'plugin', "
                                                   "'permission', 'permissionAttribute'").arg(key));
        }
        auto plugin = restriction.string(QStringLiteral("plugin"));
        if (!plugin)
            return plugin.error();
        if (restrictions.contains(plugin.value()))
            return Error::input(QStringLiteral("Attempted to declare 'accessRestrictions' twice for plugin '%1', which is not "
                                               "permitted").arg(plugin.value()));
        auto permissions = stringOrList(restriction, QStringLiteral("permission"));
        if (!permissions)
            return permissions.error();
        auto actions = stringOrList(restriction, QStringLiteral("permissionAttribute.action"));
        if (!actions)
            return actions.error();
        for (const QString &action : actions.value()) {
            static const QStringList known{QStringLiteral("create"), QStringLiteral("read"), QStringLiteral("update"),
                                           QStringLiteral("delete")};
            if (!known.contains(action))
                return Error::input(QStringLiteral("Invalid value '%1' at 'action' in 'permissionAttribute' config, valid values "
                                                   "are %2").arg(action, known.join(QStringLiteral(", "))));
        }
        restrictions.insert(plugin.value(), permissions.value());
    }
    return restrictions;
}

// A legacy secret as configured (base64 or base64url) to the key bytes.
QByteArray legacyKey(const QString &secret)
{
    QByteArray normalised = secret.toLatin1();
    normalised.replace('-', '+').replace('_', '/');
    return QByteArray::fromBase64(normalised);
}

QByteArray base64UrlDecode(const QByteArray &text, bool *ok)
{
    const QByteArray::FromBase64Result decoded =
        QByteArray::fromBase64Encoding(text, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    *ok = bool(decoded);
    return decoded ? *decoded : QByteArray();
}

} // namespace

Result<TokenAuthenticator> TokenAuthenticator::fromConfig(const Config::ConfigReader &root)
{
    TokenAuthenticator auth;
    auto disabled = root.optionalBoolean(QStringLiteral("backend.auth.dangerouslyDisableDefaultAuthPolicy"));
    if (!disabled)
        return disabled.error();
    auth.m_policyDisabled = disabled->value_or(false);

    auto entries = root.optionalConfigArray(QStringLiteral("backend.auth.externalAccess"));
    if (!entries)
        return entries.error();
    for (const Config::ConfigReader &entry : entries->value_or(QList<Config::ConfigReader>())) {
        auto type = entry.string(QStringLiteral("type"));
        if (!type)
            return type.error();
        auto restrictions = readAccessRestrictions(entry);
        if (!restrictions)
            return restrictions.error();
        Principal principal;
        principal.type = Principal::Type::Service;
        principal.pluginRestrictions = restrictions.value();
        if (type.value() == QLatin1String("static")) {
            if (Status added = auth.addStaticToken(entry, principal); !added)
                return added.error();
        } else if (type.value() == QLatin1String("legacy")) {
            if (Status added = auth.addLegacySecret(entry, principal); !added)
                return added.error();
        } else if (type.value() == QLatin1String("jwks")) {
            return Error(QStringLiteral("NotImplementedError"),
                         QStringLiteral("%1: externalAccess type 'jwks' is not supported by Greenroom yet; use 'static' or 'legacy'")
                             .arg(entry.fullKey(QStringLiteral("type"))));
        } else {
            return Error::input(QStringLiteral("Unknown type '%1' in backend.auth.externalAccess, expected one of 'static', "
                                               "'legacy', 'jwks'").arg(type.value()));
        }
    }

    auto keys = root.optionalConfigArray(QStringLiteral("backend.auth.keys"));
    if (!keys)
        return keys.error();
    if (keys->has_value() && !(*keys)->isEmpty()) {
        auth.m_warnings.append(QStringLiteral("DEPRECATION WARNING: The backend.auth.keys config has been replaced by "
                                              "backend.auth.externalAccess, see https://backstage.io/docs/auth/service-to-service-auth"));
        for (const Config::ConfigReader &key : **keys) {
            auto secret = key.string(QStringLiteral("secret"));
            if (!secret)
                return secret.error();
            Principal principal;
            principal.type = Principal::Type::Service;
            principal.subject = QStringLiteral("external:backstage-plugin");
            auth.m_legacy.append({legacyKey(secret.value()), principal});
        }
    }
    return auth;
}

// type: static; options {token, subject}.
Status TokenAuthenticator::addStaticToken(const Config::ConfigReader &entry, Principal principal)
{
    auto token = entry.string(QStringLiteral("options.token"));
    if (!token)
        return token.error();
    auto subject = entry.string(QStringLiteral("options.subject"));
    if (!subject)
        return subject.error();
    static const QRegularExpression nonSpace(QStringLiteral("^\\S+$"));
    if (!nonSpace.match(token.value()).hasMatch())
        return Error::input(QStringLiteral("Illegal token, must be a set of non-space characters"));
    if (token->size() < MinimumStaticTokenLength)
        return Error::input(QStringLiteral("Illegal token, must be at least 8 characters length"));
    if (!nonSpace.match(subject.value()).hasMatch())
        return Error::input(QStringLiteral("Illegal subject, must be a set of non-space characters"));
    const QByteArray bytes = token->toUtf8();
    for (const StaticToken &existing : std::as_const(m_statics)) {
        if (existing.token == bytes)
            return Error::input(QStringLiteral("Static externalAccess token was declared more than once"));
    }
    principal.subject = subject.value();
    m_statics.append({bytes, principal});
    return Ok{};
}

// type: legacy; options {secret (base64), subject}.
Status TokenAuthenticator::addLegacySecret(const Config::ConfigReader &entry, Principal principal)
{
    auto secret = entry.string(QStringLiteral("options.secret"));
    if (!secret)
        return secret.error();
    auto subject = entry.string(QStringLiteral("options.subject"));
    if (!subject)
        return subject.error();
    static const QRegularExpression base64(QStringLiteral("^[A-Za-z0-9+/_-]+=*$"));
    if (!base64.match(secret.value()).hasMatch())
        return Error::input(QStringLiteral("Illegal secret, must be a valid base64 string"));
    principal.subject = subject.value();
    m_legacy.append({legacyKey(secret.value()), principal});
    return Ok{};
}

std::optional<Principal> TokenAuthenticator::matchLegacy(const QByteArray &token) const
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3 || m_legacy.isEmpty())
        return std::nullopt;
    bool headerOk = false;
    bool payloadOk = false;
    bool signatureOk = false;
    const QJsonObject header = QJsonDocument::fromJson(base64UrlDecode(parts.at(0), &headerOk)).object();
    const QJsonObject payload = QJsonDocument::fromJson(base64UrlDecode(parts.at(1), &payloadOk)).object();
    const QByteArray signature = base64UrlDecode(parts.at(2), &signatureOk);
    if (!headerOk || !payloadOk || !signatureOk || header.value(QLatin1String("alg")).toString() != QLatin1String("HS256"))
        return std::nullopt;
    if (payload.value(QLatin1String("sub")).toString() != LegacySubject || payload.contains(QLatin1String("aud")))
        return std::nullopt;
    const QJsonValue expires = payload.value(QLatin1String("exp"));
    if (!expires.isUndefined() && (!expires.isDouble() || expires.toDouble() * 1000 < double(QDateTime::currentMSecsSinceEpoch())))
        return std::nullopt;
    const QByteArray signedPart = parts.at(0) + '.' + parts.at(1);
    for (const LegacySecret &secret : m_legacy) {
        if (sameBytes(QMessageAuthenticationCode::hash(signedPart, secret.key, QCryptographicHash::Sha256), signature))
            return secret.principal;
    }
    return std::nullopt;
}

QByteArray TokenAuthenticator::bearerToken(const QByteArray &authorization)
{
    static const QRegularExpression bearer(QStringLiteral("^Bearer[ ]+(\\S+)$"), QRegularExpression::CaseInsensitiveOption);
    return bearer.match(QString::fromLatin1(authorization)).captured(1).toLatin1();
}

bool TokenAuthenticator::carriesUserToken(const QByteArray &authorization)
{
    const QByteArray token = bearerToken(authorization);
    return !token.isEmpty() && UserTokens::isUserToken(QString::fromLatin1(token));
}

Result<Principal> TokenAuthenticator::authenticate(const QByteArray &authorization) const
{
    const QByteArray token = bearerToken(authorization);
    if (token.isEmpty())
        return authenticationError(QStringLiteral("Missing credentials"));
    for (const StaticToken &candidate : m_statics) {
        if (sameBytes(candidate.token, token))
            return candidate.principal;
    }
    if (std::optional<Principal> legacy = matchLegacy(token))
        return *legacy;
    if (m_userTokens && UserTokens::isUserToken(QString::fromLatin1(token))) {
        auto identity = m_userTokens->verify(QString::fromLatin1(token));
        if (!identity)
            return identity.error();
        Principal user;
        user.type = Principal::Type::User;
        user.subject = identity->userEntityRef;
        user.ownershipRefs = identity->ownershipRefs;
        return user;
    }
    return authenticationError(QStringLiteral("Illegal token"));
}

Status TokenAuthenticator::checkPlugin(const Principal &principal, const QString &pluginId)
{
    if (principal.pluginRestrictions.isEmpty() || principal.pluginRestrictions.contains(pluginId))
        return Ok{};
    QStringList plugins = principal.pluginRestrictions.keys();
    plugins.sort();
    for (QString &plugin : plugins)
        plugin = QLatin1Char('\'') + plugin + QLatin1Char('\'');
    return Error(QStringLiteral("NotAllowedError"),
                 QStringLiteral("This token's access is restricted to plugin(s) %1").arg(plugins.join(QStringLiteral(", "))));
}

} // namespace Greenroom::Auth
