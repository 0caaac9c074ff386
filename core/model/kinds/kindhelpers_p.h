// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "kinddefinition.h"

#include <model/entityschemas.h>
#include <model/relationtypes.h>

namespace Greenroom::Model::Internal {

inline QStringList backstageApiVersions()
{
    return {QStringLiteral("backstage.io/v1alpha1"), QStringLiteral("backstage.io/v1beta1")};
}

inline QString builtinProcessor() { return QStringLiteral("BuiltinKindsEntityProcessor"); }

inline RelationField ownerField()
{
    return {QStringLiteral("owner"), QStringLiteral("Group"), RelationTypes::OwnedBy, RelationTypes::OwnerOf};
}

inline RelationField systemField()
{
    return {QStringLiteral("system"), QStringLiteral("System"), RelationTypes::PartOf, RelationTypes::HasPart};
}

inline RelationField dependsOnField()
{
    return {QStringLiteral("dependsOn"), QString(), RelationTypes::DependsOn, RelationTypes::DependencyOf};
}

inline RelationField dependencyOfField()
{
    return {QStringLiteral("dependencyOf"), QString(), RelationTypes::DependencyOf, RelationTypes::DependsOn};
}

inline JsonSchema::Ptr profileSchema()
{
    using namespace Schema;
    return object({}, {{QStringLiteral("displayName"), string(1)},
                       {QStringLiteral("email"), string(1)},
                       {QStringLiteral("picture"), string(1)}});
}

} // namespace Greenroom::Model::Internal
