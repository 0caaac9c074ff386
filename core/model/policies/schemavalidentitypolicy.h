// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "entitypolicy.h"

namespace Greenroom::Model {

// The entity matches Entity.schema.json: "Malformed envelope, <path> <problem>".
class SchemaValidEntityPolicy final : public EntityPolicy
{
public:
    std::optional<PolicyViolation> enforce(QJsonObject &entity) const override;
};

} // namespace Greenroom::Model
