// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "locationref.h"

#include "annotations.h"

namespace Greenroom::Model {

bool isJavaScriptUrl(const QString &url)
{
    // Leading C0 controls and spaces are skipped, tabs and newlines inside are
    // ignored, and the scheme is matched case-insensitively.
    QString cleaned;
    cleaned.reserve(url.size());
    bool leading = true;
    for (QChar c : url) {
        const char16_t u = c.unicode();
        if (leading && u <= 0x20)
            continue;
        leading = false;
        if (u == '\t' || u == '\n' || u == '\r')
            continue;
        cleaned += c;
    }
    return cleaned.startsWith(QLatin1String("javascript:"), Qt::CaseInsensitive);
}

Result<LocationRef> LocationRef::parse(const QString &ref)
{
    const qsizetype colon = ref.indexOf(QLatin1Char(':'));
    const QString type = colon < 0 ? QString() : ref.left(colon).trimmed();
    const QString target = colon < 0 ? QString() : ref.mid(colon + 1).trimmed();
    if (type.isEmpty() || target.isEmpty()) {
        return Error{QStringLiteral("TypeError"),
                     QStringLiteral("Unable to parse location ref '%1', expected '<type>:<target>', e.g. 'url:https://host/path'").arg(ref)};
    }
    if (type == QLatin1String("http") || type == QLatin1String("https")) {
        return Error{QStringLiteral("TypeError"),
                     QStringLiteral("Invalid location ref '%1', please prefix it with 'url:', e.g. 'url:%1'").arg(ref)};
    }
    if (isJavaScriptUrl(target)) {
        return Error{QStringLiteral("TypeError"),
                     QStringLiteral("Invalid location ref '%1', target is a javascript: URL").arg(ref)};
    }
    return LocationRef{type, target};
}

QJsonObject withLocationAnnotations(QJsonObject entity, const QString &location, const QString &originLocation)
{
    QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    annotations.insert(Annotations::ManagedByLocation, location);
    annotations.insert(Annotations::ManagedByOriginLocation, originLocation);
    metadata.insert(QLatin1String("annotations"), annotations);
    entity.insert(QLatin1String("metadata"), metadata);
    return entity;
}

} // namespace Greenroom::Model
