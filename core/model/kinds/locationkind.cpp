// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

const KindDefinition &location()
{
    static const KindDefinition definition = [] {
        auto presence = std::make_shared<JsonSchema>(*string());
        presence->enumValues = {QStringLiteral("required"), QStringLiteral("optional")};
        return KindDefinition{
            QStringLiteral("Location"),
            backstageApiVersions(),
            EntitySchemas::kind(QStringLiteral("Location"), backstageApiVersions(),
                                object({},
                                       {{QStringLiteral("type"), string(1)},
                                        {QStringLiteral("target"), string(1)},
                                        {QStringLiteral("targets"), arrayOf(string(1))},
                                        {QStringLiteral("presence"), presence}})),
            {},   // a Location's targets produce child entities, not relations
            builtinProcessor()};
    }();
    return definition;
}

} // namespace Greenroom::Model::Kinds
