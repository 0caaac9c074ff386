// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <ingest/gitreader.h>
#include <ingest/githubintegration.h>

#include <QJsonArray>
#include <QJsonObject>

#include <memory>
#include <optional>

namespace Greenroom::Scaffold {

/*
 * How catalog:register and catalog:fetch reach the catalog: the server's
 * own location service in process, or a catalog over HTTP. Called from the
 * task's worker thread; implementations take care of their own threads.
 */
class CatalogAccess
{
public:
    virtual ~CatalogAccess() = default;
    // POST /locations {type, target}: registered and read from now on.
    virtual Status addLocation(const QString &type, const QString &target) = 0;
    // POST /locations?dryRun=true: the entities the location holds.
    virtual Result<QJsonArray> previewLocation(const QString &type, const QString &target) = 0;
    // GET /entities/by-name/...: nullopt when there is none.
    virtual Result<std::optional<QJsonObject>> entityByRef(const QString &ref) = 0;
};

// What actions need from the installation: integrations, credentials,
// defaults from app-config's scaffolder section, the catalog.
struct ScaffolderServices
{
    QList<Ingest::GitHubIntegration> github = Ingest::GitHubIntegration::withDefaults({});
    QList<Ingest::GitCredential> gitCredentials;   // publish:git without a token input
    QString defaultAuthorName;                     // scaffolder.defaultAuthor.name
    QString defaultAuthorEmail;                    // scaffolder.defaultAuthor.email
    QString defaultCommitMessage;                  // scaffolder.defaultCommitMessage
    // scaffolder.defaultEnvironment: templates read them as environment.parameters.<k>
    // and environment.secrets.<k> (the secrets only where task secrets are seen, and masked).
    QJsonObject environmentParameters;
    QJsonObject environmentSecrets;
    std::shared_ptr<CatalogAccess> catalog;        // none: catalog actions fail saying so
};

/*
 * The parts of the services a client needs to run a task as the server
 * would (Greenroom's local runs): in app-config's own shape, and only what
 * Backstage lets a frontend see. Integrations' hosts and API URLs and the
 * scaffolder's defaults go; tokens, credentials and defaultEnvironment's
 * secrets never do.
 *   {integrations: {github: [{host, apiBaseUrl, rawBaseUrl}]},
 *    scaffolder: {defaultAuthor: {name, email}, defaultCommitMessage,
 *                 defaultEnvironment: {parameters}}}
 */
QJsonObject publicServiceSettings(const ScaffolderServices &services);
// What publicServiceSettings wrote, read back (no catalog: the caller adds one).
ScaffolderServices servicesFromPublicSettings(const QJsonObject &settings);

} // namespace Greenroom::Scaffold
