// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "githubintegration.h"
#include "gitreader.h"
#include "readingallowlist.h"

#include <common/result.h>

#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <optional>

namespace Greenroom::Ingest {

/*
 * Where an entity's TechDocs come from: its backstage.io/techdocs-ref
 * resolved the way Backstage's getLocationForEntity does. `dir:` is relative
 * to the entity's source location (backstage.io/source-location, else
 * managed-by-location): inside the catalog file's folder for `file`
 * locations, a folder of the same repository and ref for `git` and `url`
 * ones. `url:` names a folder of a repository as a tree URL
 * (`https://host/org/repo/tree/<ref>/<path>`), which is read with git.
 */
struct DocsSource
{
    QString locationType;     // "dir" or "url": Backstage's locationMetadata
    QString locationTarget;
    QString folder;           // read from this local folder...
    std::optional<GitTarget> git;   // ...or from this folder of a repository

    static Result<DocsSource> forEntity(const QJsonObject &entity);
    QJsonObject locationMetadata() const
    {
        return {{QStringLiteral("type"), locationType}, {QStringLiteral("target"), locationTarget}};
    }
    // The repository web URL of the docs root and its edit URL, for
    // repo_url/edit_uri when mkdocs.yml has none (GitHub- and GitLab-style
    // hosts only); empty otherwise.
    QString repositoryUrl() const;
    QString editUrl() const;
};

// A docs source made readable as a local folder.
struct PreparedDocs
{
    QString root;                          // the folder holding mkdocs.yml
    std::shared_ptr<QTemporaryDir> copy;   // a repository's files, removed when done
};

struct DocsReadOptions
{
    GitReader gitReader;
    ReadingAllowList allow;   // hosts `url` sources may be read from
    QList<GitHubIntegration> github;   // ... and these integrations' hosts
    qint64 maxBytes = 256 * 1024 * 1024;
};

// What the source holds now, without copying it: a fingerprint of the
// folder's files (paths, sizes, modification times) or the repository
// folder's tree id.
Result<QString> docsContentKey(const DocsSource &source, GitReader::Session &git, const DocsReadOptions &options);
// The source as a local folder: a local one as it is, a repository folder
// copied out (from the commit docsContentKey looked at, in the same session).
Result<PreparedDocs> prepareDocs(const DocsSource &source, GitReader::Session &git, const DocsReadOptions &options);

} // namespace Greenroom::Ingest
