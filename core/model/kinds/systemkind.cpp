// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

const KindDefinition &system()
{
    static const KindDefinition definition{
        QStringLiteral("System"),
        backstageApiVersions(),
        EntitySchemas::kind(QStringLiteral("System"), backstageApiVersions(),
                            object({QStringLiteral("owner")},
                                   {{QStringLiteral("owner"), string(1)},
                                    {QStringLiteral("domain"), string(1)},
                                    {QStringLiteral("type"), string(1)}})),
        {ownerField(),
         {QStringLiteral("domain"), QStringLiteral("Domain"), RelationTypes::PartOf, RelationTypes::HasPart}},
        builtinProcessor()};
    return definition;
}

} // namespace Greenroom::Model::Kinds
