// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "authorizationserver.h"

#include <common/result.h>
#include <config/configreader.h>
#include <store/catalogstore.h>

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

    Result<SignedInUser> resolve(const SignInProfile &profile, Store::CatalogStore &catalog) const;
    // A catalog User's ref and ownership (refreshes read them again); NotFoundError when gone.
    static Result<SignedInUser> userFromCatalog(const QString &userEntityRef, Store::CatalogStore &catalog);

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
