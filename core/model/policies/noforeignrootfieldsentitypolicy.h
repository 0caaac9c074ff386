// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "entitypolicy.h"

namespace Greenroom::Model {

// Only apiVersion, kind, metadata and spec may be written by authors;
// relations and status are the catalog's to compute.
class NoForeignRootFieldsEntityPolicy final : public EntityPolicy
{
public:
    std::optional<PolicyViolation> enforce(QJsonObject &entity) const override;
};

} // namespace Greenroom::Model
