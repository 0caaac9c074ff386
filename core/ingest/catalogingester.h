// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "locationprocessor.h"

#include <store/catalogstore.h>

namespace Greenroom::Ingest {

// Reads a registered location and writes what it produced in one transaction.
class CatalogIngester
{
public:
    CatalogIngester(Store::CatalogStore &store, IngestOptions options = {});

    struct Outcome
    {
        Store::WriteReport report;
        QList<Store::ProcessingErrorRecord> errors;   // read and validation errors, conflicts
        int filesRead = 0;
        int documentsRead = 0;
    };
    Result<Outcome> ingest(const Model::LocationRef &location);
    // The write half alone, for a location already read (e.g. on another thread).
    // The read is moved into the store, which lets its entities go as it writes them.
    static Result<Outcome> write(Store::CatalogStore &store, LocationReadResult read);

private:
    Store::CatalogStore &m_store;
    LocationProcessor m_processor;
};

} // namespace Greenroom::Ingest
