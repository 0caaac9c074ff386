// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "docsstore.h"

// What both stores make of a built TechDocs site before storing it.
namespace Greenroom::Store::Internal {

inline const QString DocsMetadataPath = QStringLiteral("techdocs_metadata.json");

// Hash of every file's path and content: equal etags, equal sites.
QString siteEtag(QList<DocsFile> files);

struct DocsSection
{
    QString location;
    QString title;
    QString pageTitle;
    QString text;
};
// The entries of the site's MkDocs search index (pages, then each page's
// sections; Material's format has the same fields). Unreadable: none.
QList<DocsSection> sectionsOf(const QList<DocsFile> &files);

} // namespace Greenroom::Store::Internal
