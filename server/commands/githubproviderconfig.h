// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <config/configreader.h>
#include <ingest/githubdiscovery.h>
#include <ingest/githuborgreader.h>
#include <ingest/githubproviders.h>

namespace Greenroom::Server {

// integrations.github[].apps: {appId, privateKey, allowedInstallationOwners}
// (clientId, clientSecret and webhookSecret are read by sign-in and events, not here).
Result<QList<Ingest::GitHubApp>> gitHubApps(const Config::ConfigReader &integration);

// catalog.providers.github, as Backstage's readProviderConfigs reads it: a
// provider at the top (organization or app set there: id "default") or one per key.
Result<QList<Ingest::GitHubDiscoveryConfig>> gitHubDiscoveryConfigs(const Config::ConfigReader &config);

// catalog.providers.githubOrg: one definition or a list. `alwaysUseDefaultNamespace`
// is set when there is exactly one definition with exactly one org.
struct GitHubOrgDefinitions
{
    QList<Ingest::GitHubOrgProviderConfig> definitions;
    bool alwaysUseDefaultNamespace = false;
};
Result<GitHubOrgDefinitions> gitHubOrgConfigs(const Config::ConfigReader &config);

// schedule: {frequency, timeout, initialDelay?} as readSchedulerServiceTaskScheduleDefinitionFromConfig reads it.
Result<Ingest::ProviderSchedule> providerSchedule(const Config::ConfigReader &schedule);

// Every provider of catalog.providers.github and githubOrg, added to `providers`.
Status addGitHubProviders(const Config::ConfigReader &config, Ingest::GitHubProviders &providers);

} // namespace Greenroom::Server
