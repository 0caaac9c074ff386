// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "schemavalidentitypolicy.h"

#include <model/entityschemas.h>

namespace Greenroom::Model {

std::optional<PolicyViolation> SchemaValidEntityPolicy::enforce(QJsonObject &entity) const
{
    const QList<SchemaError> errors = EntitySchemas::entity()->validate(entity);
    if (errors.isEmpty())
        return std::nullopt;
    const SchemaError &first = errors.first();
    return PolicyViolation{QStringLiteral("Malformed envelope, ") + first.describe(false), first.path};
}

} // namespace Greenroom::Model
