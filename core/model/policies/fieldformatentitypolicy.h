// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "entitypolicy.h"

namespace Greenroom::Model {

// Names, namespaces, kinds, apiVersions, label and annotation keys and
// values, tags and links must have Backstage's formats (fieldformats.h).
class FieldFormatEntityPolicy final : public EntityPolicy
{
public:
    std::optional<PolicyViolation> enforce(QJsonObject &entity) const override;
};

} // namespace Greenroom::Model
