// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <store/docsstore.h>
#include <store/storetypes.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>

namespace Greenroom::Sync {

// One page of GET /api/sync/v1/changes as a client reads it; each upsert's
// entity as compact JSON (the server's own form, so the same bytes).
struct FeedPage
{
    QList<Store::MirroredChange> changes;
    QString cursor;
    qint64 remaining = 0;
    bool hasMore = false;

    // A clear error for anything but a well-formed page.
    static Result<FeedPage> parse(const QByteArray &body);
};

// GET /api/sync/v1/docs/<ref>: one entity's built docs site.
Result<Store::DocsSiteWrite> parseDocsBundle(const QByteArray &body);

// Servers send entities as they store them (keys in their file's order); a
// QJsonObject would sort them, and Qt's parser gives no offsets. So: the
// text of each `<arrayKey>[i]` (or `<arrayKey>[i].<memberKey>`) of an
// already-validated body, by i.
QHash<qsizetype, QByteArrayView> elementTexts(const QByteArray &body, const QByteArray &arrayKey, const QByteArray &memberKey = {});
// That text when it is `entity`'s JSON, else Qt's compact text of `entity`.
QByteArray entityText(QByteArrayView text, const QJsonObject &entity);

} // namespace Greenroom::Sync
