// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "httpmessage.h"

#include <QDeadlineTimer>

#include <chrono>
#include <functional>
#include <optional>

namespace Greenroom::Server {

/*
 * Requests held open until their answer is ready or their time is up: the
 * long polls of the sync feed (`wait=`) and of a task's events. Whoever
 * owns them says when something may have changed (check()) and keeps a
 * clock going while any wait (tick()); a waiter whose client left is
 * forgotten.
 */
class LongPollWaiters
{
public:
    using Ready = std::function<std::optional<HttpResponse>()>;
    using Answer = std::function<HttpResponse()>;

    // The deferred answer: `ready`'s as soon as it has one (asked at each
    // check() of its `key`, or of every key), else `timedOut`'s once
    // `timeout` has passed (at a tick()).
    HttpResponse wait(std::chrono::milliseconds timeout, Ready ready, Answer timedOut, const QString &key = {});
    // Asks the waiters of `key` (all of them when it is empty) whether their answer is ready.
    void check(const QString &key = {});
    void tick();
    // Every waiter answered now with its timedOut answer (shutdown).
    void releaseAll();
    qsizetype size() const { return m_waiters.size(); }
    bool isEmpty() const { return m_waiters.isEmpty(); }

private:
    struct Waiter
    {
        QDeadlineTimer deadline;
        QString key;
        std::shared_ptr<DeferredResponse> response;
        Ready ready;
        Answer timedOut;
    };
    QList<Waiter> m_waiters;
};

} // namespace Greenroom::Server
