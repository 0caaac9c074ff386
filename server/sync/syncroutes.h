// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "http/longpoll.h"
#include "http/router.h"

#include <auth/authorizer.h>
#include <store/catalogstore.h>
#include <sync/changefeed.h>

#include <QObject>
#include <QHash>
#include <QTimer>

namespace Greenroom::Server {

/*
 * GET /api/sync/v1/changes?after=CURSOR&limit=N[&wait=SECONDS]: the sync
 * feed desktop clients live on. With `wait`, a request that finds nothing new
 * is held (long-poll) and answered as soon as a change is committed, or empty
 * when the wait ends. Commits are noticed by watching the store's sequence
 * every few milliseconds while anyone waits, which also catches writes made by
 * other processes on the same database; notifyChanged() answers at once after
 * a write made here.
 *
 * Each caller reads the feed through its catalog.entity.read decision: a
 * desktop receives only the entities its user may read (ChangeFeed::Scope).
 */
class SyncRoutes : public QObject
{
    Q_OBJECT

public:
    static constexpr int PollIntervalMs = 20;
    static constexpr int MaxWaitSeconds = 60;

    SyncRoutes(Store::CatalogStore &store, Router &router, const Auth::Authorizer &authorizer, QObject *parent = nullptr);

    // When every commit to the database is announced (PostgreSQL's
    // NOTIFY, each replica calling notifyChanged), watching the sequence is
    // only a safety net: it can be slow.
    void setPollInterval(int milliseconds) { m_poll.setInterval(milliseconds); }

    // The feed's scope for a caller: its read decision, tagged.
    static Sync::ChangeFeed::Scope scopeOf(const Auth::Authorizer &authorizer, const Auth::Principal &caller);

    int waitingClients() const { return int(m_waiters.size()); }
    void notifyChanged();
    // Answers every waiting client now with what it has (shutdown).
    void releaseWaiters();

private:
    HttpResponse changes(const HttpRequest &request);
    HttpResponse pageResponse(const HttpRequest &request, const QString &cursor, int limit, const Sync::ChangeFeed::Scope &scope);
    // A waiter's answer once the feed moved past `cursor`, or nullopt. While
    // the waiters are checked after a commit, waiters with the same cursor,
    // limit and scope (typically every desktop, all up to date) share one read
    // and one body.
    std::optional<HttpResponse> readyPage(const HttpRequest &request, const QString &cursor, int limit,
                                          const Sync::ChangeFeed::Scope &scope);
    void poll();

    Store::CatalogStore &m_store;
    const Auth::Authorizer &m_authorizer;
    Sync::ChangeFeed m_feed;
    LongPollWaiters m_waiters;
    QTimer m_poll;
    qint64 m_lastSeen = -1;
    bool m_checking = false;
    QHash<QString, std::optional<HttpResponse>> m_sharedPages;   // during a check, by cursor, limit and scope tag
};

} // namespace Greenroom::Server
