// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "stitcher_p.h"

#include "storetypes.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace Greenroom::Store::Internal {

namespace {

const QLatin1StringView MetadataKey("metadata");

} // namespace

QJsonObject Stitcher::bodyOf(QJsonObject final)
{
    final.remove(QLatin1String("relations"));
    final.remove(QLatin1String("status"));
    QJsonObject metadata = final.value(MetadataKey).toObject();
    metadata.remove(QLatin1String("uid"));
    metadata.remove(QLatin1String("etag"));
    final.insert(MetadataKey, metadata);
    return final;
}

QByteArray Stitcher::bodyHash(const QJsonObject &body)
{
    return Store::bodyHash(body);
}

StitchOutput Stitcher::stitch(const StitchInput &input)
{
    StitchOutput output;
    const bool fromJson = input.body.isEmpty() && !input.bodyJson.isEmpty();
    QJsonObject final = fromJson ? QJsonDocument::fromJson(input.bodyJson).object() : input.body;
    if (fromJson && input.bodyJsonIsFinal)
        final = bodyOf(std::move(final));
    const JsonKeyOrder keyOrder = fromJson ? JsonKeyOrder::fromJson(input.bodyJson) : input.keyOrder;
    output.kind = final.value(QLatin1String("kind")).toString().toLower();
    QJsonObject metadata = final.value(MetadataKey).toObject();
    metadata.remove(QLatin1String("etag"));   // an author's etag is not ours to serve
    metadata.insert(QLatin1String("uid"), input.uid);
    final.insert(MetadataKey, metadata);

    QJsonArray relations;
    for (const auto &[type, target] : input.relations)
        relations.append(QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("targetRef"), target}});
    final.insert(QLatin1String("relations"), relations);
    if (!input.statusItems.isEmpty()) {
        final.insert(QLatin1String("status"),
                     QJsonObject{{QStringLiteral("items"), QJsonDocument::fromJson(input.statusItems).array()}});
    }

    // QJsonObject keeps keys sorted, so this is the key-sorted JSON Backstage hashes.
    const QByteArray withoutEtag = QJsonDocument(final).toJson(QJsonDocument::Compact);
    output.etag = QString::fromLatin1(QCryptographicHash::hash(withoutEtag, QCryptographicHash::Sha1).toHex());
    if (output.etag == input.oldEtag)
        return output;
    output.changed = true;
    metadata.insert(QLatin1String("etag"), output.etag);
    final.insert(MetadataKey, metadata);
    // Served with the keys as its file wrote them, as Backstage serves it;
    // what processing added follows, sorted.
    output.finalJson = keyOrder.toJson(final);
    output.index = indexOf(final, input.collator ? *input.collator : Search::CollatorOptions());
    return output;
}

EntityIndex Stitcher::indexOf(const QJsonObject &final, const Search::CollatorOptions &collator)
{
    EntityIndex index;
    auto rows = Model::EntitySearch::rows(final);
    if (!rows) {
        index.error = rows.error().message;
        return index;
    }
    index.rows = std::move(rows).value();
    index.document = Search::catalogDocument(final, collator);
    index.documented = Search::hasTechDocs(final);
    return index;
}

} // namespace Greenroom::Store::Internal
