// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

const KindDefinition &resource()
{
    static const KindDefinition definition{
        QStringLiteral("Resource"),
        backstageApiVersions(),
        EntitySchemas::kind(QStringLiteral("Resource"), backstageApiVersions(),
                            object({QStringLiteral("type"), QStringLiteral("owner")},
                                   {{QStringLiteral("type"), string(1)},
                                    {QStringLiteral("owner"), string(1)},
                                    {QStringLiteral("dependsOn"), arrayOf(string(1))},
                                    {QStringLiteral("system"), string(1)}})),
        {ownerField(), dependsOnField(), dependencyOfField(), systemField()},
        builtinProcessor()};
    return definition;
}

} // namespace Greenroom::Model::Kinds
