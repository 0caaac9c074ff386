// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Greenroom::Ingest {

/*
 * The SCM hosts Backstage's ScmIntegrations knows (integrations.github,
 * gitlab, gitea, bitbucketServer, bitbucketCloud, plus the defaults it
 * adds: github.com, gitlab.com, bitbucket.org when no Bitbucket Cloud is
 * configured, and dev.azure.com), and what AnnotateLocationEntityProcessor
 * derives from a location's URL with them: the view, edit and source URLs
 * an entity read from there is annotated with.
 *
 * Written here rather than taken from a library because the answers must be
 * Backstage's byte for byte, including what WHATWG URL and URLSearchParams
 * do to the text; tests/ingest/golden holds Backstage's own answers.
 * Gerrit is left out: Backstage needs its gitilesBaseUrl, which Greenroom's
 * config does not read.
 */
class ScmIntegrations
{
public:
    enum class Provider { Azure, BitbucketCloud, BitbucketServer, GitHub, GitLab, Gitea };
    struct Integration
    {
        Provider provider;
        QString host;      // host[:port], lower case, as byUrl compares it
        QString baseUrl;   // Gitea's web address (https://<host> unless configured)
    };

    // The configured hosts per provider, Backstage's defaults added.
    static ScmIntegrations withDefaults(QList<Integration> configured);
    // From app-config's `integrations` (github, gitlab, gitea, bitbucketServer,
    // bitbucketCloud entries; a host Backstage requires but is missing is skipped).
    static ScmIntegrations fromConfig(const QJsonObject &integrations);

    // The integration whose host is the URL's (in Backstage's provider order); null when none.
    const Integration *byUrl(const QString &url) const;

    // backstage.io/view-url, edit-url and source-location for an entity read
    // from a `url` location at `target` (what AnnotateLocationEntityProcessor adds).
    QJsonObject locationAnnotations(const QString &target) const;

private:
    QList<Integration> m_integrations;   // in Backstage's byUrl order
};

// The annotations added to `entity` (a location's document) where its author did not set them.
QJsonObject withScmAnnotations(QJsonObject entity, const QJsonObject &annotations);

} // namespace Greenroom::Ingest
