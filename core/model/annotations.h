// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>

// Well-known annotations the catalog itself sets or reads.
namespace Greenroom::Model::Annotations {
inline constexpr QLatin1StringView ManagedByLocation("backstage.io/managed-by-location");
inline constexpr QLatin1StringView ManagedByOriginLocation("backstage.io/managed-by-origin-location");
inline constexpr QLatin1StringView SourceLocation("backstage.io/source-location");
inline constexpr QLatin1StringView ViewUrl("backstage.io/view-url");
inline constexpr QLatin1StringView EditUrl("backstage.io/edit-url");
inline constexpr QLatin1StringView Orphan("backstage.io/orphan");
inline constexpr QLatin1StringView TechDocsRef("backstage.io/techdocs-ref");
inline constexpr QLatin1StringView TechDocsEntity("backstage.io/techdocs-entity");
inline constexpr QLatin1StringView TechDocsEntityPath("backstage.io/techdocs-entity-path");
} // namespace Greenroom::Model::Annotations

namespace Greenroom::Model {
// The value of annotation `key` on an entity's JSON; empty when it has none.
inline QString annotation(const QJsonObject &entity, QLatin1StringView key)
{
    return entity.value(QLatin1String("metadata")).toObject().value(QLatin1String("annotations")).toObject().value(key).toString();
}
} // namespace Greenroom::Model
