// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Greenroom::Model {

// One (key, value) pair of the flattened entity that filters, ordering and
// facets work on. `value` is lower-cased; a null value (null in the entity,
// or longer than 200 characters) still makes the key exist.
struct SearchRow
{
    QString key;
    QString value;          // lower case; isNull() for a null value
    QString originalValue;  // as written; isNull() when value is
};

/*
 * Flattens a final (stitched) entity the way Backstage's buildEntitySearch
 * does: leaf paths only, arrays add no path segment, string array items also
 * appear as `<path>.<item>` = "true", relations as `relations.<type>` =
 * target ref, name/namespace/uid always present, status and attachments left
 * out, keys and values over 200 characters dropped or nulled, duplicates
 * removed. Keys that differ only in case are an InputError, as in Backstage.
 */
class EntitySearch
{
public:
    static Result<QList<SearchRow>> rows(const QJsonObject &entity);
    // JavaScript's String(x) for the scalars JSON can hold.
    static QString scalarText(const QJsonValue &value);
};

} // namespace Greenroom::Model
