// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/router.h"
#include "operations/logger.h"

#include <auth/authorizer.h>

#include <search/searchrequest.h>
#include <store/catalogstore.h>

namespace Greenroom::Server {

/*
 * Backstage's search backend: GET /api/search/query over the store's search
 * index, with the router's request checks, its response shape and key
 * order ({numberOfResults, nextPageCursor, previousPageCursor, results}),
 * base64 page cursors, highlight tags made of a UUID chosen at start, and
 * results whose location is not http(s) or relative left out, as upstream
 * leaves them out. Unlike Lunr, a type with nothing indexed yet answers no
 * results, never MissingIndexError.
 */
// Results are the documents of entities the caller may read (`authorizer`).
void addSearchRoutes(Router &router, Store::CatalogStore &store, const Logger &log, const Auth::Authorizer &authorizer,
                     const Search::SearchLimits &limits = {});

} // namespace Greenroom::Server
