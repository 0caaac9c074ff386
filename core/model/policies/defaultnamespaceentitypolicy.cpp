// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "defaultnamespaceentitypolicy.h"

#include <model/entityref.h>

namespace Greenroom::Model {

std::optional<PolicyViolation> DefaultNamespaceEntityPolicy::enforce(QJsonObject &entity) const
{
    const QLatin1StringView metadataKey("metadata");
    QJsonObject metadata = entity.value(metadataKey).toObject();
    const QJsonValue ns = metadata.value(QLatin1String("namespace"));
    // JavaScript's falsiness: absent, null, "" (the schema policy already refused "").
    if (ns.isUndefined() || ns.isNull() || (ns.isString() && ns.toString().isEmpty())) {
        metadata.insert(QLatin1String("namespace"), DefaultNamespace);
        entity.insert(metadataKey, metadata);
    }
    return std::nullopt;
}

} // namespace Greenroom::Model
