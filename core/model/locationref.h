// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonObject>
#include <QString>

namespace Greenroom::Model {

/*
 * A location reference `<type>:<target>` (`file:/srv/catalog-info.yaml`,
 * `url:https://...`), parsed as parseLocationRef does: split at the first
 * ':', both sides trimmed and non-empty; `http`/`https` as the type and
 * `javascript:` targets are refused.
 */
struct LocationRef
{
    QString type;
    QString target;
    // "optional" for a location an entity provider found (a missing file is
    // then no error); empty otherwise. Not part of the location's key.
    QString presence = QString();

    static Result<LocationRef> parse(const QString &ref);
    QString toString() const { return type + QLatin1Char(':') + target; }
    friend bool operator==(const LocationRef &, const LocationRef &) = default;
};

// `entity` with backstage.io/managed-by-location and
// backstage.io/managed-by-origin-location set, as the catalog sets them on
// everything it reads (and on what POST /validate-entity checks).
QJsonObject withLocationAnnotations(QJsonObject entity, const QString &location, const QString &originLocation);

// True for `javascript:` URLs, tolerating what browsers tolerate around them.
bool isJavaScriptUrl(const QString &url);

} // namespace Greenroom::Model
