// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QLatin1StringView>

// Backstage's relation type names (RELATION_* in @backstage/catalog-model).
namespace Greenroom::Model::RelationTypes {
inline constexpr QLatin1StringView OwnedBy("ownedBy");
inline constexpr QLatin1StringView OwnerOf("ownerOf");
inline constexpr QLatin1StringView ConsumesApi("consumesApi");
inline constexpr QLatin1StringView ApiConsumedBy("apiConsumedBy");
inline constexpr QLatin1StringView ProvidesApi("providesApi");
inline constexpr QLatin1StringView ApiProvidedBy("apiProvidedBy");
inline constexpr QLatin1StringView DependsOn("dependsOn");
inline constexpr QLatin1StringView DependencyOf("dependencyOf");
inline constexpr QLatin1StringView ParentOf("parentOf");
inline constexpr QLatin1StringView ChildOf("childOf");
inline constexpr QLatin1StringView MemberOf("memberOf");
inline constexpr QLatin1StringView HasMember("hasMember");
inline constexpr QLatin1StringView PartOf("partOf");
inline constexpr QLatin1StringView HasPart("hasPart");
} // namespace Greenroom::Model::RelationTypes
