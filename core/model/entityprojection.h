// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonObject>
#include <QStringList>

namespace Greenroom::Model {

/*
 * Backstage's `fields=` projection: keep only the listed dotted paths (whole
 * subtrees), case-sensitively; a segment that is not a key at its level is
 * joined with the next one so keys with dots (annotations) work; missing
 * paths are silently left out; array paths are refused.
 */
class EntityProjection
{
public:
    // Merges repeated/comma-separated parameters, trims, drops empties and duplicates.
    static Result<QStringList> parseFields(const QStringList &parameters);
    static QJsonObject project(const QJsonObject &entity, const QStringList &fields);
};

} // namespace Greenroom::Model
