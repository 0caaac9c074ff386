// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

const KindDefinition &user()
{
    static const KindDefinition definition{
        QStringLiteral("User"),
        backstageApiVersions(),
        EntitySchemas::kind(QStringLiteral("User"), backstageApiVersions(),
                            object({QStringLiteral("memberOf")},
                                   {{QStringLiteral("profile"), profileSchema()},
                                    {QStringLiteral("memberOf"), arrayOf(string(1))}})),
        {{QStringLiteral("memberOf"), QStringLiteral("Group"), RelationTypes::MemberOf, RelationTypes::HasMember}},
        builtinProcessor()};
    return definition;
}

} // namespace Greenroom::Model::Kinds
