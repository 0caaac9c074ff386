// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

const KindDefinition &domain()
{
    static const KindDefinition definition{
        QStringLiteral("Domain"),
        backstageApiVersions(),
        EntitySchemas::kind(QStringLiteral("Domain"), backstageApiVersions(),
                            object({QStringLiteral("owner")},
                                   {{QStringLiteral("owner"), string(1)},
                                    {QStringLiteral("subdomainOf"), string(1)},
                                    {QStringLiteral("type"), string(1)}})),
        {ownerField(),
         {QStringLiteral("subdomainOf"), QStringLiteral("Domain"), RelationTypes::PartOf, RelationTypes::HasPart}},
        builtinProcessor()};
    return definition;
}

} // namespace Greenroom::Model::Kinds
