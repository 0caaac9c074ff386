// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/router.h"

#include <auth/usertokens.h>

namespace Greenroom::Server {

// The auth backend's routes under /api/auth: for now the public keys user
// tokens are signed with, GET /.well-known/jwks.json (open to anyone, as
// Backstage's is: other services verify users' tokens with it).
void addAuthRoutes(Router &router, const Auth::UserTokens &tokens);

} // namespace Greenroom::Server
