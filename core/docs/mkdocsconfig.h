// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "markdowndialect.h"

#include <common/result.h>

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace Greenroom::Docs {

// How a build treats mkdocs.yml: the `techdocs.generator.mkdocs` options of
// Backstage's app-config and the techdocs-cli flags that mean the same.
struct MkDocsOptions
{
    QString defaultSiteName = QStringLiteral("Documentation Site");  // used when there is no mkdocs.yml
    QStringList additionalKeys;        // dangerouslyAllowAdditionalKeys (INHERIT only through this)
    QStringList additionalPlugins;     // dangerouslyAllowAdditionalPlugins
    QStringList additionalExtensions;  // dangerouslyAllowAdditionalExtensions
    bool omitTechdocsCorePlugin = false;
    bool legacyCopyReadmeMdToIndexMd = false;
    QString repoUrl;                   // filled in when mkdocs.yml has none (from the entity's location)
    QString editUri;
    // The edit URL of the docs root (from the entity's location): edit_uri
    // becomes it plus docs_dir when neither mkdocs.yml nor editUri says.
    QString editRootUrl;
};

// A warning or informational line of a build, with the file (relative to the
// docs root) and line it is about when known.
struct BuildMessage
{
    enum class Level { Info, Warning };
    Level level = Level::Warning;
    QString message;
    QString file;
    int line = 0;

    QString toString() const;
};

// mkdocs.yml after Backstage's pre-processing (key, plugin and extension
// allowlists, techdocs-core's forced settings). Paths are absolute.
struct MkDocsConfig
{
    QString docsRoot;           // the folder holding mkdocs.yml
    QString configFile;         // empty when the default config was used
    QString siteName;
    QString siteDescription;    // empty = null
    QString siteUrl;
    QString docsDir;            // absolute
    QString repoUrl;
    QString repoName;
    QString editUri;
    QString editUriTemplate;
    QString copyright;
    bool useDirectoryUrls = true;
    bool strict = false;
    QJsonValue nav;             // Undefined when absent
    QStringList extraCss;
    QStringList excludeDocs;    // gitignore-style lines
    QStringList notInNav;
    QStringList plugins;        // after the allowlist, techdocs-core appended
    QJsonObject extra;
    QString searchIndexing = QStringLiteral("full");
    QString searchSeparator = QStringLiteral("[\\s\\-]+");
    QStringList searchLang = {QStringLiteral("en")};
    int searchMinLength = 3;
    QJsonObject redirects;      // redirects plugin: old.md -> new.md or URL
    MarkdownDialect markdown;
    QList<BuildMessage> messages;
};

// Finds and reads mkdocs.yaml / mkdocs.yml in `docsRoot` (or makes the
// default one Backstage makes when there is neither) and applies Backstage's
// rules. Errors carry the config file and line.
Result<MkDocsConfig> loadMkDocsConfig(const QString &docsRoot, const MkDocsOptions &options = {});

} // namespace Greenroom::Docs
