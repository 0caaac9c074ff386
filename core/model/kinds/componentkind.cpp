// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

const KindDefinition &component()
{
    static const KindDefinition definition{
        QStringLiteral("Component"),
        backstageApiVersions(),
        EntitySchemas::kind(QStringLiteral("Component"), backstageApiVersions(),
                            object({QStringLiteral("type"), QStringLiteral("lifecycle"), QStringLiteral("owner")},
                                   {{QStringLiteral("type"), string(1)},
                                    {QStringLiteral("lifecycle"), string(1)},
                                    {QStringLiteral("owner"), string(1)},
                                    {QStringLiteral("system"), string(1)},
                                    {QStringLiteral("subcomponentOf"), string(1)},
                                    {QStringLiteral("providesApis"), arrayOf(string(1))},
                                    {QStringLiteral("consumesApis"), arrayOf(string(1))},
                                    {QStringLiteral("dependsOn"), arrayOf(string(1))}})),
        {ownerField(),
         systemField(),
         {QStringLiteral("subcomponentOf"), QStringLiteral("Component"), RelationTypes::PartOf, RelationTypes::HasPart},
         {QStringLiteral("providesApis"), QStringLiteral("API"), RelationTypes::ProvidesApi, RelationTypes::ApiProvidedBy},
         {QStringLiteral("consumesApis"), QStringLiteral("API"), RelationTypes::ConsumesApi, RelationTypes::ApiConsumedBy},
         dependsOnField(),
         dependencyOfField()},
        builtinProcessor()};
    return definition;
}

} // namespace Greenroom::Model::Kinds
