// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "longpoll.h"

namespace Greenroom::Server {

HttpResponse LongPollWaiters::wait(std::chrono::milliseconds timeout, Ready ready, Answer timedOut, const QString &key)
{
    Waiter waiter{QDeadlineTimer(timeout), key, std::make_shared<DeferredResponse>(), std::move(ready), std::move(timedOut)};
    std::shared_ptr<DeferredResponse> response = waiter.response;
    m_waiters.append(std::move(waiter));
    return HttpResponse::later(response);
}

void LongPollWaiters::check(const QString &key)
{
    for (Waiter &waiter : m_waiters) {
        if (!waiter.response->isOpen() || (!key.isEmpty() && waiter.key != key))
            continue;
        if (std::optional<HttpResponse> answer = waiter.ready())
            waiter.response->complete(*answer);
    }
    m_waiters.removeIf([](const Waiter &waiter) { return !waiter.response->isOpen(); });
}

void LongPollWaiters::tick()
{
    for (Waiter &waiter : m_waiters) {
        if (waiter.response->isOpen() && waiter.deadline.hasExpired())
            waiter.response->complete(waiter.timedOut());
    }
    m_waiters.removeIf([](const Waiter &waiter) { return !waiter.response->isOpen(); });
}

void LongPollWaiters::releaseAll()
{
    for (Waiter &waiter : m_waiters) {
        if (waiter.response->isOpen())
            waiter.response->complete(waiter.timedOut());
    }
    m_waiters.clear();
}

} // namespace Greenroom::Server
