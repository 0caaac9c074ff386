// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/router.h"

#include <auth/authorizer.h>
#include <ingest/locationservice.h>
#include <ingest/processingloop.h>
#include <store/catalogstore.h>

namespace Greenroom::Server {

class ReaderPool;

// Backstage's catalog REST API under /api/catalog, answered from `store`
// (which must outlive the router). Request parsing and response shapes live
// here; every decision about entities is the store's or the model's, and
// what each caller may do is `authorizer`'s, applied as upstream's
// Authorized* services do (a denied read is an empty answer, conditions
// become part of the store's query). Entity lists and by-query pages are
// read on `readers` when there is a pool (which must outlive the router).
void addCatalogRoutes(Router &router, Store::CatalogStore &store, const Auth::Authorizer &authorizer, ReaderPool *readers = nullptr);
// The part of it that pages by cursor: GET/POST /entities/by-query, POST /entity-facets.
void addEntityQueryRoutes(Router &router, Store::CatalogStore &store, const Auth::Authorizer &authorizer, ReaderPool *readers = nullptr);
// POST /validate-entity (needs no store).
void addValidationRoutes(Router &router, const Auth::Authorizer &authorizer);
// POST /refresh, answered by queueing the entity's location in `loop`.
void addRefreshRoute(Router &router, Ingest::ProcessingLoop &loop, Store::CatalogStore &store, const Auth::Authorizer &authorizer);

// /locations (list, get, add with dryRun, update, delete, by-entity,
// by-query) and /analyze-location. Dry runs read with `processor` on a worker
// thread; their completion is delivered through `context`'s thread.
void addLocationRoutes(Router &router, Ingest::LocationService &locations, const Ingest::LocationProcessor &processor,
                       QObject *context, const Auth::Authorizer &authorizer);

// The root health routes: /healthcheck and /.backstage/health/v1/{liveness,readiness};
// readiness answers 503 once `shuttingDown` is set.
void addHealthRoutes(Router &router, Store::CatalogStore &store, const bool &shuttingDown);

} // namespace Greenroom::Server
