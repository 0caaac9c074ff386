// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/router.h"

#include <auth/authorizer.h>
#include <ingest/docsbuildloop.h>
#include <store/catalogstore.h>
#include <store/docsstore.h>

namespace Greenroom::Server {

struct TechDocsRouteOptions
{
    // techdocs.legacyUseCaseSensitiveTripletPaths: no redirect of mixed-case
    // triplets to lower case (sites are found either way).
    bool legacyCaseSensitiveTriplets = false;
};

/*
 * Backstage's techdocs backend routes under /api/techdocs: the stored
 * techdocs_metadata.json, the entity with its docs location, the /sync
 * event stream that checks (and builds) an entity's docs, and the built
 * files under /static/docs/<namespace>/<kind>/<name>/, served like the
 * local publisher serves them (HTML and other active types as text/plain).
 * An entity the caller may not read is not found, as upstream's routes,
 * which ask the catalog with the caller's credentials, find none.
 */
void addTechDocsRoutes(Router &router, Store::CatalogStore &catalog, Store::DocsStore &docs, Ingest::DocsBuildLoop &builds,
                       const Auth::Authorizer &authorizer, TechDocsRouteOptions options = {});

// GET /api/sync/v1/docs/<namespace>/<kind>/<name>: an entity's whole site
// for a desktop cache, {entityRef, uid, etag, buildTimestamp, files: [{path,
// content (base64)}]}; the sync feed says when it changed.
void addDocsBundleRoute(Router &router, Store::CatalogStore &catalog, Store::DocsStore &docs, const Auth::Authorizer &authorizer);

} // namespace Greenroom::Server
