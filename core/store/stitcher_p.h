// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/jsonkeyorder.h>
#include <model/entitysearch.h>
#include <search/searchdocuments.h>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Greenroom::Store::Internal {

// What stitching one entity needs, gathered from the transaction and the database.
struct StitchInput
{
    qint64 id = 0;
    QString ref;
    QString uid;
    QJsonObject body;                          // as its location produced it
    JsonKeyOrder keyOrder;                     // the order its file wrote its keys in (may be empty)
    QByteArray bodyJson;                       // or both as compact JSON in that order, parsed when stitched
    bool bodyJsonIsFinal = false;              // bodyJson is the stored final entity (its body is taken out)
    QByteArray statusItems;                    // JSON array, or empty
    QString oldEtag;
    bool isNew = false;                        // no final written yet
    QList<std::pair<QString, QString>> relations;   // (type, targetRef), sorted, distinct
    const Search::CollatorOptions *collator = nullptr;   // the store's; defaults when null
};

// What the indexes hold for one final entity: its search rows (filters,
// order, facets) and its software-catalog search document.
struct EntityIndex
{
    QList<Model::SearchRow> rows;
    Search::IndexedDocument document;
    bool documented = false;                   // has backstage.io/techdocs-ref: its docs are searchable
    QString error;                             // set when the entity cannot be indexed
};

struct StitchOutput
{
    bool changed = false;
    QString kind;                              // lower case
    QByteArray finalJson;
    QString etag;
    EntityIndex index;                         // filled when changed
};

/*
 * Builds an entity's final form (Backstage's "stitching"): body + uid +
 * relations + status, its etag (SHA-1 of the key-sorted JSON without etag),
 * and, when the etag changed, its search rows and full-text columns. Pure and
 * thread-safe, so a large write stitches on every core.
 */
class Stitcher
{
public:
    static StitchOutput stitch(const StitchInput &input);
    // The body back from a final entity: without uid, etag, relations and status.
    static QJsonObject bodyOf(QJsonObject final);
    static QByteArray bodyHash(const QJsonObject &body);
    // The index rows of a final entity (also of one mirrored from a server).
    static EntityIndex indexOf(const QJsonObject &final, const Search::CollatorOptions &collator);
};

} // namespace Greenroom::Store::Internal
