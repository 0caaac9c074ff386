// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "mkdocsconfig.h"
#include "sitebuilder.h"

#include <QJsonArray>
#include <QList>
#include <QPair>
#include <QString>

namespace Greenroom::Docs {

/*
 * The page shell in Material for MkDocs' DOM shape (.md-header, .md-sidebar
 * --primary/--secondary, .md-content > article.md-typeset, .md-footer):
 * Backstage's reader restyles exactly those classes, and Greenroom's own
 * stylesheet (resources/docs-theme) draws them. The site nav is rendered
 * once and instantiated per page with the page's root prefix.
 */
class PageTemplate
{
public:
    PageTemplate(const MkDocsConfig &config, const QJsonArray &nav);

    QString render(const BuiltPage &page, const QString &body, const BuiltPage *previous, const BuiltPage *next) const;
    QString renderNotFound() const;
    static QString renderRedirect(const QString &target);
    // The theme's files, by site path (assets/stylesheets/...).
    static QList<QPair<QString, QByteArray>> themeFiles();

private:
    QString shell(const QString &url, const QString &title, const QString &article, const QString &toc,
                  const QString &footer) const;
    QString instantiateNav(const QString &rootPrefix, const QString &currentUrl) const;

    const MkDocsConfig &m_config;
    QString m_navTemplate;
};

} // namespace Greenroom::Docs
