// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogstore.h"

#include <QCryptographicHash>
#include <QJsonDocument>

namespace Greenroom::Store {

QByteArray bodyHash(const QJsonObject &body)
{
    return QCryptographicHash::hash(QJsonDocument(body).toJson(QJsonDocument::Compact), QCryptographicHash::Sha1).toHex();
}

QJsonObject EntityWrite::object() const
{
    return json.isEmpty() ? entity : QJsonDocument::fromJson(json).object();
}

QList<StoredEntity> CatalogStore::ancestry(const QString &ref)
{
    // Every entity has at most one emitting parent, so the depth-first walk of
    // upstream is a walk up one chain; a cycle ends it.
    QList<StoredEntity> chain;
    QSet<QString> seen;
    std::optional<StoredEntity> entity = entityByRef(ref);
    while (entity && !seen.contains(entity->ref)) {
        seen.insert(entity->ref);
        chain.append(*entity);
        entity = entity->parentRef.isEmpty() ? std::nullopt : entityByRef(entity->parentRef);
    }
    return chain;
}

} // namespace Greenroom::Store
