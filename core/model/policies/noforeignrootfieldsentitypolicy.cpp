// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "noforeignrootfieldsentitypolicy.h"

namespace Greenroom::Model {

std::optional<PolicyViolation> NoForeignRootFieldsEntityPolicy::enforce(QJsonObject &entity) const
{
    static const QStringList known{QStringLiteral("apiVersion"), QStringLiteral("kind"),
                                   QStringLiteral("metadata"), QStringLiteral("spec")};
    for (auto it = entity.begin(); it != entity.end(); ++it) {
        if (!known.contains(it.key()))
            return PolicyViolation{QStringLiteral("Unknown field ") + it.key(), {it.key()}};
    }
    return std::nullopt;
}

} // namespace Greenroom::Model
