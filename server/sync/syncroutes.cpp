// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "syncroutes.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/sync");

// The page as JSON, written by hand so that each entity's stored JSON is
// copied into the body as it is rather than parsed and serialised again.
QByteArray pageJson(const Sync::ChangeFeed::Page &page)
{
    QByteArray body = "{\"changes\":[";
    for (qsizetype i = 0; i < page.changes.size(); ++i) {
        const Store::Change &change = page.changes.at(i);
        const bool upsert = change.type == Store::Change::Type::Upsert;
        // Docs changes name the entity whose site changed; the site itself
        // is fetched from /v1/docs/<ref>.
        const QString type = change.docs ? (upsert ? QStringLiteral("docs") : QStringLiteral("docs-delete"))
                                         : (upsert ? QStringLiteral("upsert") : QStringLiteral("delete"));
        QJsonObject meta{{QStringLiteral("sequence"), change.sequence},
                         {QStringLiteral("type"), type},
                         {QStringLiteral("uid"), change.uid}};
        if (!change.uidOnly)
            meta.insert(QStringLiteral("entityRef"), change.ref);
        if (upsert)
            meta.insert(QStringLiteral("etag"), change.etag);
        QByteArray item = QJsonDocument(meta).toJson(QJsonDocument::Compact);
        if (upsert && !change.docs && !change.entityJson.isEmpty()) {
            item.chop(1);
            item += ",\"entity\":" + change.entityJson + '}';
        }
        if (i)
            body += ',';
        body += item;
    }
    body += "],";
    const QJsonObject tail{{QStringLiteral("cursor"), page.cursor},
                           {QStringLiteral("remaining"), page.remaining},
                           {QStringLiteral("hasMore"), page.hasMore()}};
    body += QJsonDocument(tail).toJson(QJsonDocument::Compact).mid(1);
    return body;
}

Result<int> boundedInteger(const HttpRequest &request, const QString &name, int fallback, int min, int max)
{
    const QStringList values = request.queryValues(name);
    if (values.isEmpty())
        return fallback;
    bool ok = false;
    const int value = values.last().toInt(&ok);
    if (!ok || value < min || value > max)
        return Error::input(QStringLiteral("Invalid %1 '%2', expected an integer from %3 to %4").arg(name, values.last()).arg(min).arg(max));
    return value;
}

} // namespace

SyncRoutes::SyncRoutes(Store::CatalogStore &store, Router &router, const Auth::Authorizer &authorizer, QObject *parent)
    : QObject(parent), m_store(store), m_authorizer(authorizer), m_feed(store)
{
    m_poll.setInterval(PollIntervalMs);
    m_poll.setTimerType(Qt::PreciseTimer);
    connect(&m_poll, &QTimer::timeout, this, &SyncRoutes::poll);
    router.add("GET", Mount, QStringLiteral("/v1/changes"), [this](const HttpRequest &request) { return changes(request); });
}

Sync::ChangeFeed::Scope SyncRoutes::scopeOf(const Auth::Authorizer &authorizer, const Auth::Principal &caller)
{
    const Auth::PolicyDecision decision = authorizer.decide(caller, QStringLiteral("catalog.entity.read"));
    Sync::ChangeFeed::Scope scope;
    if (decision.result == Auth::PolicyDecision::Result::Allow)
        return scope;
    scope.readable = authorizer.entityScope(caller, QStringLiteral("catalog.entity.read"));
    // The same decision (result and conditions, which hold the user's refs
    // when the policy names them) gives the same tag.
    const QByteArray decided = QJsonDocument(decision.toJson()).toJson(QJsonDocument::Compact);
    scope.tag = QString::fromLatin1(QCryptographicHash::hash(decided, QCryptographicHash::Sha256).toHex().left(16));
    return scope;
}

HttpResponse SyncRoutes::pageResponse(const HttpRequest &request, const QString &cursor, int limit, const Sync::ChangeFeed::Scope &scope)
{
    auto page = m_feed.read(cursor, limit, scope);
    if (!page)
        return HttpResponse::error(page.error(), request);
    return HttpResponse::jsonBytes(pageJson(page.value()));
}

HttpResponse SyncRoutes::changes(const HttpRequest &request)
{
    auto limit = boundedInteger(request, QStringLiteral("limit"), Sync::ChangeFeed::DefaultLimit, 1, Sync::ChangeFeed::MaxLimit);
    if (!limit)
        return HttpResponse::error(limit.error(), request);
    auto wait = boundedInteger(request, QStringLiteral("wait"), 0, 0, MaxWaitSeconds);
    if (!wait)
        return HttpResponse::error(wait.error(), request);
    const QString cursor = request.queryValues(QStringLiteral("after")).value(0);
    const Sync::ChangeFeed::Scope scope = scopeOf(m_authorizer, request.principal);
    if (wait.value() == 0 || m_feed.hasChangesAfter(cursor, scope))
        return pageResponse(request, cursor, limit.value(), scope);

    const auto page = [this, request, cursor, limit = limit.value(), scope] { return pageResponse(request, cursor, limit, scope); };
    HttpResponse later = m_waiters.wait(std::chrono::seconds(wait.value()),
                                        [this, request, cursor, limit = limit.value(), scope] {
                                            return readyPage(request, cursor, limit, scope);
                                        },
                                        page);
    if (!m_poll.isActive()) {
        m_lastSeen = m_store.lastSequence();
        m_poll.start();
    }
    return later;
}

std::optional<HttpResponse> SyncRoutes::readyPage(const HttpRequest &request, const QString &cursor, int limit,
                                                   const Sync::ChangeFeed::Scope &scope)
{
    const auto read = [&]() -> std::optional<HttpResponse> {
        if (!m_feed.hasChangesAfter(cursor, scope))
            return std::nullopt;
        return pageResponse(request, cursor, limit, scope);
    };
    if (!m_checking)
        return read();
    // The tag names the scope's decision, so equal tags read the same feed.
    const QString key = cursor + QLatin1Char('\n') + QString::number(limit) + QLatin1Char('\n') + scope.tag;
    if (const auto shared = m_sharedPages.constFind(key); shared != m_sharedPages.cend())
        return shared.value();
    std::optional<HttpResponse> answer = read();
    if (!answer || answer->status == 200)   // errors name their request: not shared
        m_sharedPages.insert(key, answer);
    return answer;
}

void SyncRoutes::notifyChanged()
{
    if (!m_waiters.isEmpty())
        poll();
}

void SyncRoutes::releaseWaiters()
{
    m_waiters.releaseAll();
    m_poll.stop();
}

void SyncRoutes::poll()
{
    const qint64 last = m_store.lastSequence();
    if (std::exchange(m_lastSeen, last) != last) {
        m_checking = true;
        m_waiters.check();
        m_checking = false;
        m_sharedPages.clear();
    }
    m_waiters.tick();
    if (m_waiters.isEmpty())
        m_poll.stop();
}

} // namespace Greenroom::Server
