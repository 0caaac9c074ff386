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

} // namespace

Result<qint64> ChangeFeed::position(const QString &cursor)
{
    if (cursor.isEmpty() || cursor == QLatin1String("0"))
        return qint64(0);
    const QStringList parts = cursor.split(QLatin1Char('-'));
    bool epochOk = false;
    bool sequenceOk = false;
    const qint64 epoch = parts.size() == 2 ? parts.at(0).toLongLong(&epochOk) : 0;
    const qint64 sequence = parts.size() == 2 ? parts.at(1).toLongLong(&sequenceOk) : 0;
    if (!epochOk || !sequenceOk || sequence < 0)
        return Error::input(QStringLiteral("Invalid cursor '%1', expected 0 or a cursor this feed returned").arg(cursor));
    if (epoch != m_epoch || sequence > m_store.lastSequence())
        return resyncRequired(QStringLiteral("Cursor '%1' comes from another database").arg(cursor));
    const qint64 horizon = m_store.syncHorizon();
    if (sequence > 0 && sequence < horizon)
        return resyncRequired(QStringLiteral("Cursor '%1' is older than the deletions this server keeps").arg(cursor));
    return sequence;
}

Result<ChangeFeed::Page> ChangeFeed::read(const QString &cursor, int limit)
{
    auto after = position(cursor);
    if (!after)
        return after.error();
    Page page;
    page.changes = m_store.changesSince(after.value(), std::clamp(limit, 1, MaxLimit), true);
    const qint64 last = page.changes.isEmpty() ? after.value() : page.changes.last().sequence;
    page.cursor = QStringLiteral("%1-%2").arg(m_epoch).arg(last);
    page.remaining = page.changes.isEmpty() ? 0 : m_store.countChangesSince(last);
    return page;
}

bool ChangeFeed::hasChangesAfter(const QString &cursor)
{
    auto after = position(cursor);
    return !after || m_store.lastSequence() > after.value();
}

} // namespace Greenroom::Sync
