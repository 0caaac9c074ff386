// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

const KindDefinition &api()
{
    static const KindDefinition definition{
        QStringLiteral("API"),
        backstageApiVersions(),
        EntitySchemas::kind(QStringLiteral("API"), backstageApiVersions(),
                            object({QStringLiteral("type"), QStringLiteral("lifecycle"), QStringLiteral("owner"),
                                    QStringLiteral("definition")},
                                   {{QStringLiteral("type"), string(1)},
                                    {QStringLiteral("lifecycle"), string(1)},
                                    {QStringLiteral("owner"), string(1)},
                                    {QStringLiteral("system"), string(1)},
                                    {QStringLiteral("definition"), string(1)}})),
        {ownerField(), systemField()},
        builtinProcessor()};
    return definition;
}

} // namespace Greenroom::Model::Kinds
