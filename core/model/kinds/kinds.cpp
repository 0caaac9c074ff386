// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "kinddefinition.h"

namespace Greenroom::Model::Kinds {

const QList<const KindDefinition *> &all()
{
    // BuiltinKindsEntityProcessor's order, then the scaffolder's Template.
    static const QList<const KindDefinition *> kinds{&api(), &component(), &resource(), &group(),
                                                     &location(), &user(), &system(), &domain(),
                                                     &templateV1beta3()};
    return kinds;
}

const KindDefinition *find(const QString &kind)
{
    for (const KindDefinition *definition : all()) {
        if (definition->kind == kind)
            return definition;
    }
    return nullptr;
}

} // namespace Greenroom::Model::Kinds
