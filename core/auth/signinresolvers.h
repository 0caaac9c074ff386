// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "authorizationserver.h"

#include <common/result.h>
#include <config/configreader.h>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Greenroom::Auth {

// What an identity provider says about who signed in.
struct SignInProfile
{
    QString username;      // GitHub: login
    QString nodeId;        // GitHub: node_id
    QString email;
    QString displayName;
};

// Where the resolvers look people up: the catalog's Users (the server
// answers from its store).
class UserDirectory
{
public:
    virtual ~UserDirectory() = default;
    // The User `ref` as stored (final JSON, with relations), or nullopt.
    virtual std::optional<QJsonObject> user(const QString &ref) = 0;
    // Users whose catalog filter key `key` equals `value`, at most `limit`.
    virtual Result<QList<QJsonObject>> usersWhere(const QString &key, const QString &value, int limit) = 0;
};

/*
 * Backstage's declarative sign-in resolvers (a provider's
 * signIn.resolvers), tried in order against the catalog: one that finds no
 * User passes to the next, any other failure ends the sign-in.
 *
 *   usernameMatchingUserEntityName        GitHub login = User name (default namespace)
 *   userIdMatchingUserEntityAnnotation    GitHub node id = annotation github.com/user-id
 *   emailMatchingUserEntityProfileEmail   email = spec.profile.email (then without a +tag)
 *   emailLocalPartMatchingUserEntityName  the part before @ = User name (allowedDomains)
 *
 * Options beside `resolver` are its options: allowedDomains and
 * dangerouslyAllowSignInWithoutUserInCatalog. The user owns through their
 * ref and the Groups they are memberOf (direct), as upstream resolves it.
 */
class SignInResolvers
{
public:
    // `config` is the provider's environment block; `where` names it in errors.
    static Result<SignInResolvers> fromConfig(const Config::ConfigReader &config, const QString &where);
    bool isEmpty() const { return m_resolvers.isEmpty(); }

    Result<SignedInUser> resolve(const SignInProfile &profile, UserDirectory &users) const;
    // A catalog User's ref and ownership (refreshes read them again); NotFoundError when gone.
    static Result<SignedInUser> userFromCatalog(const QString &userEntityRef, UserDirectory &users);

private:
    struct Resolver
    {
        QString name;
        QStringList allowedDomains;
        bool allowWithoutUser = false;
    };
    QList<Resolver> m_resolvers;
};

} // namespace Greenroom::Auth
