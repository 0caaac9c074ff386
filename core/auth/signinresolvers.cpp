// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "signinresolvers.h"

#include <model/entityref.h>

#include <QJsonArray>
#include <QRegularExpression>

namespace Greenroom::Auth {

namespace {

const QStringList Known{QStringLiteral("usernameMatchingUserEntityName"), QStringLiteral("userIdMatchingUserEntityAnnotation"),
                        QStringLiteral("emailMatchingUserEntityProfileEmail"), QStringLiteral("emailLocalPartMatchingUserEntityName")};

Error notFound(const QString &message)
{
    return {QStringLiteral("NotFoundError"), message};
}

SignedInUser ownershipOf(const QJsonObject &user)
{
    const QString ref = Model::EntityRef::canonical(user);
    SignedInUser signedIn{ref, {ref}};
    for (const QJsonValue &relation : user.value(QLatin1String("relations")).toArray()) {
        if (relation[QLatin1String("type")].toString() == QLatin1String("memberOf")) {
            const QString group = relation[QLatin1String("targetRef")].toString();
            if (!signedIn.ownershipRefs.contains(group))
                signedIn.ownershipRefs.append(group);
        }
    }
    return signedIn;
}

// The one User whose `key` is `value` (the catalog's filter semantics).
Result<SignedInUser> userWhere(UserDirectory &users, const QString &key, const QString &value)
{
    auto found = users.usersWhere(key, value, 2);
    if (!found)
        return found.error();
    if (found->isEmpty())
        return notFound(QStringLiteral("User not found"));
    if (found->size() > 1)
        return Error(QStringLiteral("ConflictError"), QStringLiteral("User lookup resulted in multiple matches"));
    return ownershipOf(found->first());
}

// ctx.signInWithCatalogUser({entityRef: {name}}), with the fallback of
// dangerouslyAllowSignInWithoutUserInCatalog.
Result<SignedInUser> userNamed(UserDirectory &users, const QString &name, bool allowWithoutUser)
{
    const QString ref = QStringLiteral("user:default/") + name.toLower();
    if (auto user = users.user(ref))
        return ownershipOf(*user);
    if (allowWithoutUser)
        return SignedInUser{ref, {ref}};
    return notFound(QStringLiteral("User not found"));
}

} // namespace

Result<SignInResolvers> SignInResolvers::fromConfig(const Config::ConfigReader &config, const QString &where)
{
    SignInResolvers resolvers;
    auto list = config.optionalConfigArray(QStringLiteral("signIn.resolvers"));
    if (!list)
        return list.error();
    for (const Config::ConfigReader &entry : list->value_or(QList<Config::ConfigReader>())) {
        auto name = entry.string(QStringLiteral("resolver"));
        if (!name)
            return name.error();
        if (!Known.contains(name.value()))
            return Error::internal(QStringLiteral("Sign-in resolver '%1' is not available (%2)").arg(name.value(), where));
        Resolver resolver{name.value(), {}, false};
        auto domains = entry.optionalStringArray(QStringLiteral("allowedDomains"));
        auto without = entry.optionalBoolean(QStringLiteral("dangerouslyAllowSignInWithoutUserInCatalog"));
        if (!domains)
            return domains.error();
        if (!without)
            return without.error();
        resolver.allowedDomains = domains->value_or(QStringList());
        resolver.allowWithoutUser = without->value_or(false);
        resolvers.m_resolvers.append(resolver);
    }
    return resolvers;
}

Result<SignedInUser> SignInResolvers::userFromCatalog(const QString &userEntityRef, UserDirectory &users)
{
    if (auto user = users.user(userEntityRef))
        return ownershipOf(*user);
    return notFound(QStringLiteral("User entity no longer exists in the catalog"));
}

Result<SignedInUser> SignInResolvers::resolve(const SignInProfile &profile, UserDirectory &catalog) const
{
    if (m_resolvers.isEmpty())
        return Error::internal(QStringLiteral("No sign-in resolver is configured for this provider (signIn.resolvers)"));
    for (const Resolver &resolver : m_resolvers) {
        Result<SignedInUser> user = notFound(QString());
        if (resolver.name == QLatin1String("usernameMatchingUserEntityName")) {
            if (profile.username.isEmpty())
                return Error::internal(QStringLiteral("GitHub user profile does not contain a username"));
            user = userNamed(catalog, profile.username, resolver.allowWithoutUser);
        } else if (resolver.name == QLatin1String("userIdMatchingUserEntityAnnotation")) {
            if (profile.nodeId.isEmpty())
                return Error::internal(QStringLiteral("GitHub user profile does not contain a user ID"));
            user = userWhere(catalog, QStringLiteral("metadata.annotations.github.com/user-id"), profile.nodeId);
            if (!user && user.error().name == QLatin1String("NotFoundError") && resolver.allowWithoutUser && !profile.username.isEmpty())
                user = SignedInUser{QStringLiteral("user:default/") + profile.username.toLower(),
                                    {QStringLiteral("user:default/") + profile.username.toLower()}};
        } else {
            if (profile.email.isEmpty())
                return Error::internal(QStringLiteral("Login failed, user profile does not contain an email"));
            const QString localPart = profile.email.section(QLatin1Char('@'), 0, 0);
            const QString domain = profile.email.mid(localPart.size() + 1);
            if (resolver.name == QLatin1String("emailLocalPartMatchingUserEntityName")) {
                if (!resolver.allowedDomains.isEmpty() && !resolver.allowedDomains.contains(domain))
                    return Error(QStringLiteral("NotAllowedError"), QStringLiteral("Sign-in user email is not from an allowed domain"));
                user = userNamed(catalog, localPart, resolver.allowWithoutUser);
            } else {
                user = userWhere(catalog, QStringLiteral("spec.profile.email"), profile.email);
                // Retried without a +tag (jane+work@example.com).
                static const QRegularExpression tagged(QStringLiteral("^([^@+]+)(\\+[^@]+)(@.*)$"));
                const QRegularExpressionMatch match = tagged.match(profile.email);
                if (!user && user.error().name == QLatin1String("NotFoundError") && match.hasMatch()) {
                    const QString plain = match.captured(1) + match.captured(3);
                    user = userWhere(catalog, QStringLiteral("spec.profile.email"), plain);
                    if (!user && user.error().name == QLatin1String("NotFoundError") && resolver.allowWithoutUser)
                        user = SignedInUser{QStringLiteral("user:default/") + plain, {QStringLiteral("user:default/") + plain}};
                }
            }
        }
        if (user)
            return user;
        if (user.error().name != QLatin1String("NotFoundError"))
            return user.error();
    }
    return Error::internal(QStringLiteral("Failed to sign-in, unable to resolve user identity. Please verify that your catalog contains "
                                          "the expected User entities that would match your configured sign-in resolver."));
}

} // namespace Greenroom::Auth
