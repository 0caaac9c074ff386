// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "scaffolderservices.h"

#include <common/result.h>
#include <ingest/gitreader.h>
#include <ingest/githubintegration.h>
#include <store/catalogstore.h>

#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

namespace Greenroom::Scaffold {

// A template's own folder, where its steps' relative `url`s point.
struct TemplateFiles
{
    QString folder;                        // local; a copy for git templates
    QString baseUrl;                       // templateInfo.baseUrl: file:///…/template.yaml or the location URL
    std::shared_ptr<QTemporaryDir> copy;   // keeps a git copy alive
};

/*
 * Where a stored Template's files are, from its source-location (else
 * location) annotation as Backstage's getEntityBaseUrl reads it: a `file`
 * location's folder as it is; a `git` location's folder exported with
 * libgit2 at the commit the catalog read; a `url` location on a host with a
 * GitHub integration read through GitHub's API (UrlReader::readTree). Other
 * `url` hosts cannot be read as folders (an InputError says so).
 */
Result<TemplateFiles> templateFiles(const QJsonObject &templateEntity, const Ingest::GitReader &git,
                                    const QList<Ingest::GitHubIntegration> &github = {}, qint64 maxBytes = 256 * 1024 * 1024);

/*
 * What a desktop needs to run a stored template itself (the answer of
 * Greenroom's GET /v2/templates/:ns/:kind/:name/files): {template, baseUrl,
 * directoryContents} (the template's own folder, read as above) and the
 * installation's public settings (publicServiceSettings: never a token).
 */
Result<QJsonObject> templateKit(const QJsonObject &templateEntity, const Ingest::GitReader &git, const ScaffolderServices &services);

// templateInfo.baseUrl without fetching anything (empty without a location).
QString templateBaseUrl(const QJsonObject &templateEntity);

// The stored Template of `kind:namespace/name`, checked as upstream's
// findTemplate and authorizeTemplate check it (kind Template, apiVersion
// scaffolder.backstage.io/v1beta3), with its stored JSON text.
Result<Store::StoredEntity> findTemplate(Store::CatalogStore &catalog, const QString &kind, const QString &ns, const QString &name);
// The same for a ref as a task or request names it ("template:default/x",
// or "x", whose kind defaults to Template); a ref that does not parse is an InputError.
Result<Store::StoredEntity> findTemplate(Store::CatalogStore &catalog, const QString &ref);

} // namespace Greenroom::Scaffold
