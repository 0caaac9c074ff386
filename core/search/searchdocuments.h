// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/jsonkeyorder.h>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Greenroom::Search {

// The document types Backstage's default collators register.
QString catalogType();    // "software-catalog"
QString techDocsType();   // "techdocs"
QStringList documentTypes();
// The fields documents of `type` have, in the order the collator writes them.
QStringList documentFields(const QString &type);
// The fields filters may name for `type`: its document's, and Greenroom's
// own `tags` (the entity's tags, which Backstage's documents leave out).
QStringList filterFields(const QString &type);

// search.collators.*.locationTemplate and the techdocs triplet casing.
struct CollatorOptions
{
    QString catalogLocationTemplate = QStringLiteral("/catalog/:namespace/:kind/:name");
    QString techDocsLocationTemplate = QStringLiteral("/docs/:namespace/:kind/:name/:path");
    bool legacyCaseSensitiveTriplets = false;

    // Changes whenever the documents these options make would change.
    QString fingerprint() const;
};

// One docs[] entry of a built site's search/search_index.json.
struct DocsIndexEntry
{
    QString location;   // "getting-started/#install"; "" for the home page
    QString title;
    QString text;
};

/*
 * A document ready for the index: its JSON as the search API answers it,
 * and what the index keeps beside it to find, rank and filter it.
 */
struct IndexedDocument
{
    QString type;
    QString entityRef;     // authorization.resourceRef: which entity it comes from
    QByteArray json;       // compact, keys in the collator's order, without authorization

    // Full-text columns, by weight: title > name > keywords > text.
    QString title;
    QString name;          // the entity's name (docs sections: their page's title)
    QString keywords;      // tags, owner, kind, type, lifecycle (docs sections: their entity's names, owner, kind)
    QString text;
    // Word keys (wordKey) that make a query an exact match: a catalog
    // entity's name, then its title when it differs. Docs sections have none.
    QStringList exactKeys;

    // Folded values of the fields filters use most, null where the document
    // has no such field; other fields are filtered from `json`.
    QString kind, documentType, lifecycle, owner, namespaceName, entityName;
    QString tags;          // the entity's folded tags, each between '|': "|java|payments|" or empty
    QString sortKey;       // folded title: the order of a search without words
};

/*
 * The software-catalog document of a final entity, as Backstage's
 * DefaultCatalogCollatorFactory with defaultCatalogCollatorEntityTransformer
 * makes it.
 */
IndexedDocument catalogDocument(const QJsonObject &entity, const CollatorOptions &options);

/*
 * The techdocs documents of an entity whose site has these index entries,
 * as DefaultTechDocsCollatorFactory makes them: one per entry. `order` is
 * the entity's key order (its annotations keep theirs in the document).
 */
QList<IndexedDocument> techDocsDocuments(const QJsonObject &entity, const JsonKeyOrder &order,
                                         const QList<DocsIndexEntry> &entries, const CollatorOptions &options);

// Whether the techdocs collator reads the entity's site (it has backstage.io/techdocs-ref).
bool hasTechDocs(const QJsonObject &entity);

// lodash's unescape: &amp; &lt; &gt; &quot; &#39; back to characters.
QString unescapeHtml(const QString &text);

} // namespace Greenroom::Search
