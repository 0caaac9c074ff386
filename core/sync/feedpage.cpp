// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "feedpage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::Sync {

Result<FeedPage> FeedPage::parse(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error::input(QStringLiteral("invalid JSON at offset %1: %2")
                                .arg(parseError.offset).arg(parseError.errorString()));
    }
    const QJsonObject root = document.object();
    const QJsonValue changes = root.value(QLatin1String("changes"));
    const QJsonValue cursor = root.value(QLatin1String("cursor"));
    if (!document.isObject() || !changes.isArray() || !cursor.isString())
        return Error::input(QStringLiteral("expected an object with a 'changes' array and a 'cursor' string"));

    FeedPage page;
    page.cursor = cursor.toString();
    page.remaining = root.value(QLatin1String("remaining")).toInteger();
    page.hasMore = root.value(QLatin1String("hasMore")).toBool(page.remaining > 0);
    const QJsonArray items = changes.toArray();
    page.changes.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        const QString type = item.value(QLatin1String("type")).toString();
        Store::MirroredChange change;
        change.ref = item.value(QLatin1String("entityRef")).toString();
        change.uid = item.value(QLatin1String("uid")).toString();
        change.etag = item.value(QLatin1String("etag")).toString();
        if (type == QLatin1String("delete")) {
            change.deleted = true;
        } else if (type == QLatin1String("upsert") && item.value(QLatin1String("entity")).isObject()) {
            change.entity = item.value(QLatin1String("entity")).toObject();
            change.entityJson = QJsonDocument(change.entity).toJson(QJsonDocument::Compact);
        } else {
            return Error::input(QStringLiteral("change %1 (%2) is neither a delete nor an upsert with an entity")
                                    .arg(i + 1).arg(change.ref.isEmpty() ? QStringLiteral("no entityRef") : change.ref));
        }
        if (change.ref.isEmpty() || change.uid.isEmpty())
            return Error::input(QStringLiteral("change %1 has no entityRef or no uid").arg(i + 1));
        page.changes.append(std::move(change));
    }
    return page;
}

} // namespace Greenroom::Sync
