// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "changefeed.h"

#include <QStringList>
#include <algorithm>

namespace Greenroom::Sync {

namespace {

Error resyncRequired(const QString &why)
{
    return {QStringLiteral("ResyncRequiredError"),
            QStringLiteral("%1; resync from a snapshot: read the feed again from cursor 0").arg(why)};
}

// The last part of a scoped cursor issued within a reader's first pass.
const QString InitialPass = QStringLiteral("i");

} // namespace

Result<ChangeFeed::Position> ChangeFeed::position(const QString &cursor, const Scope &scope)
{
    // Read once, first: a thousand waiting desktops each ask hasChangesAfter.
    const qint64 newest = m_store.lastSequence();
    if (cursor.isEmpty() || cursor == QLatin1String("0"))
        return Position{0, true, newest};
    const QStringList parts = cursor.split(QLatin1Char('-'));
    bool epochOk = false;
    bool sequenceOk = false;
    const bool shaped = parts.size() >= 2 && parts.size() <= 4 && (parts.size() < 4 || parts.at(3) == InitialPass);
    const qint64 epoch = shaped ? parts.at(0).toLongLong(&epochOk) : 0;
    const qint64 sequence = shaped ? parts.at(1).toLongLong(&sequenceOk) : 0;
    if (!epochOk || !sequenceOk || sequence < 0)
        return Error::input(QStringLiteral("Invalid cursor '%1', expected 0 or a cursor this feed returned").arg(cursor));
    if (epoch != m_epoch || sequence > newest)
        return resyncRequired(QStringLiteral("Cursor '%1' comes from another database").arg(cursor));
    // Read under other permissions: everything again, with tombstones, so
    // the client's copy comes to match what it may read now.
    if (parts.value(2) != scope.tag)
        return Position{0, false, newest};
    const qint64 horizon = m_store.syncHorizon();
    if (sequence > 0 && sequence < horizon)
        return resyncRequired(QStringLiteral("Cursor '%1' is older than the deletions this server keeps").arg(cursor));
    // Still in the first pass, whose reader held nothing when it began.
    return Position{sequence, parts.size() == 4, newest};
}

Result<ChangeFeed::Page> ChangeFeed::read(const QString &cursor, int limit, const Scope &scope)
{
    auto after = position(cursor, scope);
    if (!after)
        return after.error();
    const Store::FeedReader reader{scope.readable, after->fromStart};
    const int pageSize = std::clamp(limit, 1, MaxLimit);
    // The sequence was read before the rows: those a scoped reader is not
    // sent up to it are passed, so its cursor moves past them even when it
    // receives nothing.
    const qint64 newest = after->newest;
    Page page;
    if (!scope.readable) {
        page.changes = m_store.changesSince(after->sequence, pageSize, true);
        const qint64 last = page.changes.isEmpty() ? after->sequence : page.changes.last().sequence;
        page.remaining = page.changes.isEmpty() ? 0 : m_store.countChangesSince(last);
        page.cursor = QStringLiteral("%1-%2").arg(m_epoch).arg(last);
        return page;
    }
    // A scoped reader: one row more tells whether another page follows;
    // counting what it may see of the rest would read every row after this
    // page, so `remaining` counts them all (at most that many follow).
    auto changes = m_store.changesSince(after->sequence, pageSize + 1, reader);
    if (!changes)
        return changes.error();
    page.changes = std::move(changes).value();
    const bool more = page.changes.size() > pageSize;
    if (more)
        page.changes.removeLast();
    qint64 last = page.changes.isEmpty() ? after->sequence : page.changes.last().sequence;
    if (!more)
        last = std::max(last, newest);
    page.remaining = more ? std::max<qint64>(1, m_store.countChangesSince(last)) : 0;
    page.cursor = QStringLiteral("%1-%2-%3").arg(m_epoch).arg(last).arg(scope.tag);
    // A first pass paged on stays one (nothing to take back) until it is whole.
    if (after->fromStart && page.hasMore())
        page.cursor += QLatin1Char('-') + InitialPass;
    return page;
}

bool ChangeFeed::hasChangesAfter(const QString &cursor, const Scope &scope)
{
    auto after = position(cursor, scope);
    return !after || after->newest > after->sequence;
}

} // namespace Greenroom::Sync
