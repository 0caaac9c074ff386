// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "jsonschema.h"

namespace Greenroom::Model::EntitySchemas {

// Backstage's EntityEnvelope.schema.json: just enough to name the entity.
JsonSchema::Ptr envelope();
// Backstage's Entity.schema.json with EntityMeta and the shared definitions.
JsonSchema::Ptr entity();
// A kind schema: Entity AND {spec required, apiVersion in `apiVersions`,
// kind == `kind`, spec matches `spec`}.
JsonSchema::Ptr kind(const QString &kind, const QStringList &apiVersions, JsonSchema::Ptr spec);
// The kind-specific half of such a schema (what it adds to Entity).
JsonSchema::Ptr kindSpecificPart(const JsonSchema::Ptr &kindSchema);

} // namespace Greenroom::Model::EntitySchemas
