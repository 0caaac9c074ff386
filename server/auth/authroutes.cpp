// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "authroutes.h"

namespace Greenroom::Server {

void addAuthRoutes(Router &router, const Auth::UserTokens &tokens)
{
    router.add("GET", QStringLiteral("/api/auth"), QStringLiteral("/.well-known/jwks.json"),
               [&tokens](const HttpRequest &) { return HttpResponse::json(tokens.jwks()); });
}

} // namespace Greenroom::Server
