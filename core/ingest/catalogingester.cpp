// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogingester.h"

namespace Greenroom::Ingest {

CatalogIngester::CatalogIngester(Store::CatalogStore &store, IngestOptions options)
    : m_store(store), m_processor(std::move(options))
{
}

Result<CatalogIngester::Outcome> CatalogIngester::ingest(const Model::LocationRef &location)
{
    return write(m_store, m_processor.read(location));
}

Result<CatalogIngester::Outcome> CatalogIngester::write(Store::CatalogStore &store, LocationReadResult read)
{
    const QList<Store::ProcessingErrorRecord> errors = read.write.errors;
    auto report = store.applyLocation(std::move(read.write));
    if (!report)
        return report.error();
    Outcome outcome;
    outcome.report = report.value();
    outcome.errors = errors + report->conflicts;
    outcome.filesRead = read.filesRead;
    outcome.documentsRead = read.documentsRead;
    return outcome;
}

} // namespace Greenroom::Ingest
