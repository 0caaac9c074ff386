// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "entitypolicy.h"

namespace Greenroom::Model {

// Sets metadata.namespace to "default" when it is absent. Never fails.
class DefaultNamespaceEntityPolicy final : public EntityPolicy
{
public:
    std::optional<PolicyViolation> enforce(QJsonObject &entity) const override;
};

} // namespace Greenroom::Model
