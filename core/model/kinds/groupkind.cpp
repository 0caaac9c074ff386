// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kindhelpers_p.h"

namespace Greenroom::Model::Kinds {

using namespace Internal;
using namespace Schema;

const KindDefinition &group()
{
    static const KindDefinition definition{
        QStringLiteral("Group"),
        backstageApiVersions(),
        EntitySchemas::kind(QStringLiteral("Group"), backstageApiVersions(),
                            object({QStringLiteral("type"), QStringLiteral("children")},
                                   {{QStringLiteral("type"), string(1)},
                                    {QStringLiteral("profile"), profileSchema()},
                                    {QStringLiteral("parent"), string(1)},
                                    {QStringLiteral("children"), arrayOf(string(1))},
                                    {QStringLiteral("members"), arrayOf(string(1))}})),
        {{QStringLiteral("parent"), QStringLiteral("Group"), RelationTypes::ChildOf, RelationTypes::ParentOf},
         {QStringLiteral("children"), QStringLiteral("Group"), RelationTypes::ParentOf, RelationTypes::ChildOf},
         {QStringLiteral("members"), QStringLiteral("User"), RelationTypes::HasMember, RelationTypes::MemberOf}},
        builtinProcessor()};
    return definition;
}

} // namespace Greenroom::Model::Kinds
