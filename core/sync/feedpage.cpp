// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "feedpage.h"

#include <common/jsonwalk.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::Sync {

QHash<qsizetype, QByteArrayView> elementTexts(const QByteArray &body, const QByteArray &arrayKey, const QByteArray &memberKey)
{
    // The walk's depth: 1 the body, 2 the array, 3 an element, 4 its member.
    const qsizetype depth = memberKey.isEmpty() ? 2 : 3;
    struct Frame
    {
        bool isObject = false;
        qsizetype index = 0;   // arrays: the element
        QByteArray key;        // objects: the member being read
    };
    struct Visitor
    {
        const QByteArray &body;
        const QByteArray &arrayKey;
        const QByteArray &memberKey;
        qsizetype depth;
        QHash<qsizetype, QByteArrayView> texts;
        QList<Frame> stack;
        qsizetype start = -1;
        qsizetype index = -1;
        void open(bool isObject, qsizetype offset)
        {
            if (start < 0 && stack.size() == depth && stack[0].key == arrayKey && !stack[1].isObject
                && (memberKey.isEmpty() || stack[2].key == memberKey)) {
                start = offset;
                index = stack[1].index;
            }
            Frame frame;
            frame.isObject = isObject;
            stack.append(frame);
        }
        void close(qsizetype end)
        {
            if (!stack.isEmpty())
                stack.removeLast();
            if (start >= 0 && stack.size() == depth) {
                texts.insert(index, QByteArrayView(body).sliced(start, end - start));
                start = -1;
            }
        }
        void key(qsizetype from, qsizetype to)
        {
            if (stack.size() <= depth)
                stack.last().key = body.mid(from, to - from);
        }
        void nextElement() { ++stack.last().index; }
    } visitor{body, arrayKey, memberKey, depth, {}, {}};
    walkJson(body, visitor);
    return visitor.texts;
}

QByteArray entityText(QByteArrayView text, const QJsonObject &entity)
{
    return !text.isEmpty() && QJsonDocument::fromJson(text.toByteArray()).object() == entity ? text.toByteArray()
                                                                                          : QJsonDocument(entity).toJson(QJsonDocument::Compact);
}

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
    const QHash<qsizetype, QByteArrayView> texts = elementTexts(body, "changes", "entity");
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        const QString type = item.value(QLatin1String("type")).toString();
        Store::MirroredChange change;
        change.ref = item.value(QLatin1String("entityRef")).toString();
        change.uid = item.value(QLatin1String("uid")).toString();
        change.etag = item.value(QLatin1String("etag")).toString();
        if (type == QLatin1String("delete")) {
            change.deleted = true;
        } else if (type == QLatin1String("docs") || type == QLatin1String("docs-delete")) {
            change.docs = true;
            change.deleted = type == QLatin1String("docs-delete");
        } else if (type == QLatin1String("upsert") && item.value(QLatin1String("entity")).isObject()) {
            change.entity = item.value(QLatin1String("entity")).toObject();
            change.entityJson = entityText(texts.value(i), change.entity);
        } else {
            return Error::input(QStringLiteral("change %1 (%2) is neither a delete, a docs change nor an upsert with an entity")
                                    .arg(i + 1).arg(change.ref.isEmpty() ? QStringLiteral("no entityRef") : change.ref));
        }
        // A tombstone may name only the uid (of an entity this reader may no longer read).
        if ((change.ref.isEmpty() && type != QLatin1String("delete")) || change.uid.isEmpty())
            return Error::input(QStringLiteral("change %1 has no entityRef or no uid").arg(i + 1));
        page.changes.append(std::move(change));
    }
    return page;
}

Result<Store::DocsSiteWrite> parseDocsBundle(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::input(QStringLiteral("invalid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    const QJsonObject root = document.object();
    Store::DocsSiteWrite site;
    site.entityRef = root.value(QLatin1String("entityRef")).toString();
    site.entityUid = root.value(QLatin1String("uid")).toString();
    site.buildTimestamp = root.value(QLatin1String("buildTimestamp")).toInteger();
    const QJsonValue files = root.value(QLatin1String("files"));
    if (site.entityRef.isEmpty() || site.entityUid.isEmpty() || !files.isArray())
        return Error::input(QStringLiteral("expected an object with 'entityRef', 'uid' and a 'files' array"));
    for (const QJsonValue &value : files.toArray()) {
        const QJsonObject file = value.toObject();
        const QString path = file.value(QLatin1String("path")).toString();
        const auto content = QByteArray::fromBase64Encoding(file.value(QLatin1String("content")).toString().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (path.isEmpty() || !content)
            return Error::input(QStringLiteral("file '%1' has no path or no base64 content").arg(path));
        site.files.append({path, *content});
    }
    return site;
}

} // namespace Greenroom::Sync
