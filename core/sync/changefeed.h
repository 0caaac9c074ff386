// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>
#include <store/catalogstore.h>

#include <QByteArray>
#include <QList>

namespace Greenroom::Sync {

/*
 * The sync feed over a store's change sequence. The sequence is compacted
 * (one row per entity: its latest upsert or tombstone), so a client starting
 * at 0 receives the current catalog plus retained tombstones, and one
 * resuming at its cursor receives exactly what changed since.
 *
 * A cursor is "<epoch>-<sequence>": the epoch names the database, so a cursor
 * from another one (restored, recreated) is refused rather than continued.
 * Tombstones older than the retention are pruned; a cursor from before the
 * newest pruned one might have missed a deletion. Both are refused with a
 * ResyncRequiredError: the client rebuilds from cursor 0 (a snapshot).
 *
 * A reader the permission policy limits reads it through its Scope: only
 * entities it may read arrive, the others' changes come as tombstones that
 * name only the uid (Store::FeedReader). Its cursors end in a tag naming
 * the scope ("<epoch>-<sequence>-<tag>"); when the policy or the user's
 * groups change, the tag no longer matches, and the feed is read again from
 * the start with tombstones, so that the client drops what became
 * unreadable and receives what became readable, without losing its cache.
 * Cursors of a first pass that has more pages end in "-i": until it is
 * whole, the reader holds nothing to take back, so it gets no tombstones.
 */
class ChangeFeed
{
public:
    static constexpr int DefaultLimit = 500;
    static constexpr int MaxLimit = 10000;

    struct Page
    {
        QList<Store::Change> changes;   // upserts carry the entity JSON
        QString cursor;                 // resume after this; the request's own when empty
        qint64 remaining = 0;           // changes after this page, for a progress bar (at most, for a scoped reader)
        bool hasMore() const { return remaining > 0; }
    };

    // What one reader may read: nullopt for everything; `tag` names the
    // filter (the same conditions give the same tag), in letters and digits.
    struct Scope
    {
        std::optional<Model::EntityFilter> readable;
        QString tag;
    };

    explicit ChangeFeed(Store::CatalogStore &store) : m_store(store), m_epoch(store.feedEpoch()) {}

    // Changes after `cursor` ("" or "0": from the start), at most `limit`
    // (clamped to 1..MaxLimit), as `scope`'s reader sees them.
    Result<Page> read(const QString &cursor, int limit, const Scope &scope = {});
    // Whether anything was committed after `cursor` (cheap: no rows read);
    // true for a cursor that cannot be continued, so its client hears of it.
    bool hasChangesAfter(const QString &cursor, const Scope &scope = {});

private:
    struct Position
    {
        qint64 sequence = 0;
        bool fromStart = false;   // the client holds nothing yet
        qint64 newest = 0;        // the store's last sequence, read before anything else
    };
    // Where a cursor continues, or why it cannot be continued.
    Result<Position> position(const QString &cursor, const Scope &scope);

    Store::CatalogStore &m_store;
    const qint64 m_epoch;   // fixed for the database's life: read once
};

} // namespace Greenroom::Sync
