// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/router.h"

#include <auth/authorizer.h>
#include <auth/usertokens.h>
#include <store/catalogstore.h>

namespace Greenroom::Server {

// The auth backend's routes under /api/auth: for now the public keys user
// tokens are signed with, GET /.well-known/jwks.json (open to anyone, as
// Backstage's is: other services verify users' tokens with it).
void addAuthRoutes(Router &router, const Auth::UserTokens &tokens);

/*
 * The permission backend: POST /api/permission/authorize decides each item
 * ({id, permission, resourceRef?}) for the calling user with `policy`, as
 * Backstage's does: a conditional decision about a catalog entity named by
 * resourceRef is evaluated on that entity (a missing one is DENY); a user
 * asking about a resource permission without a resourceRef is refused
 * (400), and so are service callers (403), whose access their tokens'
 * accessRestrictions govern.
 */
void addPermissionRoutes(Router &router, const Auth::Authorizer &authorizer, Store::CatalogStore &catalog);

// Entity `ref` (as stored) when `caller` may read it: the caller's read
// scope applied in the store's query, as the catalog's routes apply it.
// For routes of other plugins (techdocs, the desktop's docs bundles), which
// Backstage answers through the catalog with the caller's credentials.
std::optional<Store::StoredEntity> readableEntity(const Auth::Authorizer &authorizer, Store::CatalogStore &catalog,
                                                  const Auth::Principal &caller, const QString &ref);

} // namespace Greenroom::Server
