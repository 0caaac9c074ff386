// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <store/docsstore.h>
#include <store/storetypes.h>

#include <QByteArray>

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

} // namespace Greenroom::Sync
