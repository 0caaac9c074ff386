// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <config/configreader.h>
#include <ingest/docsbuildloop.h>
#include <ingest/locationprocessor.h>
#include <scaffold/scaffolderservices.h>
#include <search/searchdocuments.h>
#include <search/searchrequest.h>

#include <chrono>
#include <optional>

namespace Greenroom::Server {

// What the `catalog`, `backend.reading` and `integrations` config says about
// reading the catalog.
struct CatalogSettings
{
    QList<Model::LocationRef> locations;   // catalog.locations (file targets made absolute)
    Ingest::IngestOptions ingest;          // rules, reading allow list, git cache and credentials, orphans
    // catalog.processingInterval; nullopt for `false` (never again).
    std::optional<std::chrono::milliseconds> interval = std::chrono::seconds(120);
    bool readonly = false;                 // catalog.readonly
    Ingest::ReadingAllowList readingAllow; // backend.reading.allow (also in ingest.urlReader)
    QList<Ingest::GitHubIntegration> github; // integrations.github, with github.com (also in ingest.urlReader)
    QList<Ingest::GitCredential> gitCredentials; // integrations.*[].token per host (also in ingest.gitReader)
};

// `gitCacheDir` is where git locations' repositories are mirrored.
Result<CatalogSettings> catalogSettings(const Config::ConfigReader &config, const QString &gitCacheDir);

// What the `techdocs` config says: techdocs.builder, the
// generator.mkdocs options, legacyUseCaseSensitiveTripletPaths. Docs are
// read with the catalog's git reader and allow list.
struct TechDocsSettings
{
    Ingest::DocsBuildOptions build;
    bool legacyCaseSensitiveTriplets = false;
};
Result<TechDocsSettings> techDocsSettings(const Config::ConfigReader &config, const CatalogSettings &catalog);

// What the `search` config says: search.maxPageLimit, search.maxTermLength,
// search.collators.{catalog,techdocs}.locationTemplate (with the techdocs
// triplet casing).
struct SearchSettings
{
    Search::SearchLimits limits;
    Search::CollatorOptions collator;
};
Result<SearchSettings> searchSettings(const Config::ConfigReader &config);

// What templates' actions get from config: the integrations and credentials
// of the catalog, scaffolder.defaultAuthor.{name,email} and
// scaffolder.defaultCommitMessage. The catalog is set by the caller.
Result<std::shared_ptr<Scaffold::ScaffolderServices>> scaffolderServices(const Config::ConfigReader &config, const CatalogSettings &catalog);

} // namespace Greenroom::Server
