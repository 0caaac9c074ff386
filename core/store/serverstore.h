// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "authstatestore.h"
#include "catalogstore.h"
#include "docsstore.h"
#include "taskstore.h"

#include <search/searchdocuments.h>

namespace Greenroom::Store {

/*
 * Everything a sync server keeps in its database: the catalog, built docs
 * sites, scaffolder tasks and the auth backend's state. The embedded SQLite
 * store and the PostgreSQL one are both this, so `serve` runs on either.
 */
class ServerStore : public CatalogStore, public DocsStore, public TaskStore, public AuthStateStore
{
public:
    // The options search documents are made with (search.collators.*),
    // kept in the database; a change makes every document again.
    virtual Status setSearchOptions(const Search::CollatorOptions &options) = 0;
};

} // namespace Greenroom::Store
