// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "syncclient.h"
#include "serveranswers.h"

#include "feedpage.h"

#include <model/entityref.h>
#include <store/sqlitecatalogstore.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

#include <algorithm>

namespace Greenroom::Sync {

Q_LOGGING_CATEGORY(lcSync, "greenroom.sync", QtInfoMsg)

namespace {

const QString CursorKey = QStringLiteral("cursor");
const QString RebuildingKey = QStringLiteral("rebuilding");
const QString SyncedAtKey = QStringLiteral("synced_at");

int httpStatus(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

// What one Backstage round has learnt so far.
struct SyncClient::BackstageRound
{
    QString nextCursor;                  // by-query paging; empty before the first page
    QHash<QString, QString> remoteEtags; // ref -> etag
    QStringList toFetch;                 // refs new or changed
    qsizetype fetched = 0;
    QList<Store::MirroredChange> deletions;
};

SyncClient::SyncClient(ServerProfile profile, QString cachePath, Options options, QObject *parent)
    : QObject(parent), m_profile(std::move(profile)), m_cachePath(std::move(cachePath)), m_options(options)
{
    qRegisterMetaType<Greenroom::Sync::SyncStatus>();
    // A child, so moveToThread takes the timer along (the app runs the client on a worker thread).
    m_retry.setParent(this);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &SyncClient::request);
}

QDateTime SyncClient::lastSynced(Store::SqliteCatalogStore &cache)
{
    return QDateTime::fromString(cache.mirrorState(SyncedAtKey), Qt::ISODateWithMs);
}

SyncClient::~SyncClient()
{
    stop();
}

void SyncClient::start()
{
    if (m_running)
        return;
    if (!m_cache) {
        auto cache = Store::SqliteCatalogStore::open(m_cachePath, Store::SqliteCatalogStore::Memory::Desktop);
        if (!cache) {
            SyncStatus failed;
            failed.state = SyncStatus::State::Failed;
            failed.error = QStringLiteral("Cannot open the cache %1: %2").arg(m_cachePath, cache.error().message);
            setStatus(failed);
            return;
        }
        m_cache = std::move(cache).value();
        m_cursor = m_cache->mirrorState(CursorKey);
        m_rebuilding = m_cache->mirrorState(RebuildingKey) == QLatin1String("1");
        m_status.lastSynced = lastSynced(*m_cache);
        m_bulk = m_cache->isBulkFilling() || (m_cursor.isEmpty() && m_cache->entityCount() == 0);
    }
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    m_running = true;
    m_retryMs = 0;
    request();
}

void SyncClient::stop()
{
    m_running = false;
    m_retry.stop();
    if (m_inFlight) {
        QNetworkReply *reply = m_inFlight;
        m_inFlight = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_round.reset();
}

void SyncClient::syncNow()
{
    if (!m_running) {
        start();
        return;
    }
    if (m_inFlight)
        return;   // a request is out; a long-poll in flight hears of the next change at once
    m_retry.stop();
    request();
}

void SyncClient::request()
{
    if (!m_running)
        return;
    if (m_profile.kind == ServerProfile::Kind::Backstage)
        requestBackstagePage();
    else
        requestFeedPage(m_status.state == SyncStatus::State::Synced);
}

QNetworkReply *SyncClient::send(const QString &path, const QByteArray &postBody)
{
    QUrl url = m_profile.url;
    const QString base = url.path().endsWith(QLatin1Char('/')) ? url.path().chopped(1) : url.path();
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    url.setPath(base + path.left(query));
    url.setQuery(query < 0 ? QString() : path.mid(query + 1), QUrl::StrictMode);
    QNetworkRequest request(url);
    if (!m_profile.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_profile.token.toUtf8());
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    // A long-poll answers within its wait; anything else within a minute.
    request.setTransferTimeout((m_options.waitSeconds + 30) * 1000);
    QNetworkReply *reply;
    if (postBody.isNull()) {
        reply = m_network->get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        reply = m_network->post(request, postBody);
    }
    m_inFlight = reply;
    return reply;
}

void SyncClient::requestFeedPage(bool wait)
{
    // Docs sites the feed announced are fetched before the next page.
    const QList<Store::PendingDocs> pending = m_cache->pendingDocs();
    if (!pending.isEmpty()) {
        requestDocs(pending.first().entityRef, wait);
        return;
    }
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("after"), m_cursor.isEmpty() ? QStringLiteral("0") : m_cursor);
    query.addQueryItem(QStringLiteral("limit"), QString::number(m_bulk ? m_options.bulkPageSize : m_options.pageSize));
    if (wait)
        query.addQueryItem(QStringLiteral("wait"), QString::number(m_options.waitSeconds));
    QNetworkReply *reply = send(QStringLiteral("/api/sync/v1/changes?") + query.toString(QUrl::FullyEncoded));
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFeedReply(reply); });
}

void SyncClient::requestDocs(const QString &entityRef, bool waitAfter)
{
    auto ref = Model::EntityRef::parse(entityRef);
    if (!ref) {
        // Not a ref this client can ask for: forget the announcement.
        (void)m_cache->removeDocsSite(entityRef);
        requestFeedPage(waitAfter);
        return;
    }
    const QString path = QStringLiteral("/api/sync/v1/docs/%1/%2/%3")
                             .arg(QString::fromLatin1(QUrl::toPercentEncoding(ref->namespaceName())),
                                  QString::fromLatin1(QUrl::toPercentEncoding(ref->kind())),
                                  QString::fromLatin1(QUrl::toPercentEncoding(ref->name())));
    QNetworkReply *reply = send(path);
    connect(reply, &QNetworkReply::finished, this, [this, reply, entityRef, waitAfter] { onDocsReply(reply, entityRef, waitAfter); });
}

void SyncClient::onDocsReply(QNetworkReply *reply, const QString &entityRef, bool waitAfter)
{
    QByteArray body;
    const int status = takeReply(reply, body, {200, 404});
    if (status == 0)
        return;
    Status stored = Ok{};
    if (status == 404) {
        // Gone since it was announced; the feed brings its deletion.
        if (auto removed = m_cache->removeDocsSite(entityRef); !removed)
            stored = removed.error();
    } else {
        auto site = parseDocsBundle(body);
        if (!site) {
            // One unusable site must not hold up the catalog: the cache keeps
            // the docs it had, and the next docs change fetches them again.
            qCWarning(lcSync).noquote() << "sync: the docs of" << entityRef << "from" << m_profile.url.toString()
                                        << "are unusable:" << site.error().message;
            stored = m_cache->forgetPendingDocs(entityRef);
        } else if (auto written = m_cache->putDocsSite(site.value()); !written) {
            stored = written.error();
        }
    }
    if (!stored) {
        qCWarning(lcSync).noquote() << "sync: cannot store the docs of" << entityRef << ":" << stored.error().message;
        retryLater(SyncStatus::State::Failed, stored.error().message);
        return;
    }
    Q_EMIT cacheChanged(m_cache->lastSequence());
    requestFeedPage(waitAfter);
}

void SyncClient::onFeedReply(QNetworkReply *reply)
{
    QByteArray body;
    const int status = takeReply(reply, body, {200, 410});
    if (status == 0)
        return;
    if (status == 410) {
        // The server cannot continue our cursor: rebuild from a snapshot.
        qCInfo(lcSync) << "sync: the server asks for a resync:" << describeHttpError(reply, body);
        Store::MirrorBatch batch;
        batch.startRebuild = true;
        batch.state = {{CursorKey, QString()}, {RebuildingKey, QStringLiteral("1")}};
        if (!apply(batch))
            return;
        m_cursor.clear();
        m_rebuilding = true;
        SyncStatus syncing = m_status;
        syncing.state = SyncStatus::State::Syncing;
        syncing.rebuilding = true;
        syncing.done = syncing.total = 0;
        setStatus(syncing);
        requestFeedPage(false);
        return;
    }
    auto page = FeedPage::parse(body);
    if (!page) {
        retryLater(SyncStatus::State::Failed,
                   QStringLiteral("The sync feed at %1 answered with something unusable: %2")
                       .arg(m_profile.url.toString(), page.error().message));
        return;
    }
    Store::MirrorBatch batch;
    batch.changes = std::move(page.value().changes);
    const QString cursor = page.value().cursor.isEmpty() ? m_cursor : page.value().cursor;
    batch.state = {{CursorKey, cursor}};
    const bool caughtUpNow = !page.value().hasMore;
    batch.bulk = m_bulk;
    batch.finishBulk = m_bulk && caughtUpNow;
    if (m_rebuilding) {
        batch.rebuilding = true;
        batch.finishRebuild = caughtUpNow;
        if (caughtUpNow)
            batch.state.append({RebuildingKey, QString()});
    }
    const qsizetype applied = batch.changes.size();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (caughtUpNow)
        batch.state.append({SyncedAtKey, now.toString(Qt::ISODateWithMs)});
    if (!apply(batch))
        return;
    m_cursor = cursor;
    m_retryMs = 0;
    if (caughtUpNow) {
        m_rebuilding = false;
        m_bulk = false;
        caughtUp(now);
        requestFeedPage(true);
        return;
    }
    SyncStatus syncing = m_status;
    if (syncing.state != SyncStatus::State::Syncing) {
        syncing.state = SyncStatus::State::Syncing;
        syncing.done = 0;
    }
    syncing.error.clear();
    syncing.rebuilding = m_rebuilding;
    syncing.done += applied;
    syncing.total = syncing.done + page.value().remaining;
    setStatus(syncing);
    requestFeedPage(false);
}

void SyncClient::caughtUp(const QDateTime &at)
{
    SyncStatus synced = m_status;
    synced.state = SyncStatus::State::Synced;
    synced.lastSynced = at;
    synced.error.clear();
    synced.rebuilding = false;
    synced.done = synced.total;
    setStatus(synced);
}

bool SyncClient::apply(const Store::MirrorBatch &batch)
{
    auto report = m_cache->applyMirror(batch);
    if (!report) {
        // Nothing of the batch was written; asking again may fare better
        // (a full disk freed), and the cache keeps serving what it had.
        qCWarning(lcSync).noquote() << "sync: cannot apply changes to" << m_cachePath << ":" << report.error().message;
        retryLater(SyncStatus::State::Failed, report.error().message);
        return false;
    }
    if (report.value().upserted || report.value().deleted)
        Q_EMIT cacheChanged(report.value().lastSequence);
    return true;
}

void SyncClient::retryLater(SyncStatus::State state, const QString &reason)
{
    SyncStatus failed = m_status;
    failed.state = state;
    failed.error = reason;
    setStatus(failed);
    m_round.reset();
    if (!m_running)
        return;
    m_retryMs = m_retryMs == 0 ? m_options.firstRetryMs : std::min(m_retryMs * 2, m_options.maxRetryMs);
    m_retry.start(m_retryMs);
}

void SyncClient::setStatus(SyncStatus status)
{
    const bool announce = status.state != m_status.state || status.done != m_status.done
                          || status.total != m_status.total || status.error != m_status.error
                          || status.lastSynced != m_status.lastSynced || status.rebuilding != m_status.rebuilding;
    m_status = std::move(status);
    if (announce)
        Q_EMIT statusChanged(m_status);
}

// ---------------------------------------------------------------------------
// Backstage backends: no feed, so every round diffs the whole catalog by etag.

int SyncClient::takeReply(QNetworkReply *reply, QByteArray &body, std::initializer_list<int> handled)
{
    reply->deleteLater();
    if (reply != m_inFlight)
        return 0;   // stopped, or a reply that was aborted
    m_inFlight = nullptr;
    body = reply->readAll();
    const int status = httpStatus(reply);
    if (status == 0) {
        retryLater(SyncStatus::State::Offline, reply->errorString());
        return 0;
    }
    if (std::find(handled.begin(), handled.end(), status) == handled.end()) {
        retryLater(SyncStatus::State::Failed, describeHttpError(reply, body));
        return 0;
    }
    return status;
}

void SyncClient::requestBackstagePage()
{
    if (!m_round)
        m_round = std::make_unique<BackstageRound>();
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1000"));
    query.addQueryItem(QStringLiteral("fields"), QStringLiteral("kind,metadata.namespace,metadata.name,metadata.etag"));
    if (!m_round->nextCursor.isEmpty())
        query.addQueryItem(QStringLiteral("cursor"), m_round->nextCursor);
    QNetworkReply *reply = send(QStringLiteral("/api/catalog/entities/by-query?") + query.toString(QUrl::FullyEncoded));
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onBackstageListReply(reply); });
}

void SyncClient::onBackstageListReply(QNetworkReply *reply)
{
    QByteArray body;
    if (takeReply(reply, body) != 200)
        return;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonValue items = document[QLatin1String("items")];
    if (!document.isObject() || !items.isArray()) {
        retryLater(SyncStatus::State::Failed,
                   QStringLiteral("The catalog API at %1 answered entities/by-query without an items array")
                       .arg(m_profile.url.toString()));
        return;
    }
    for (const QJsonValue &item : items.toArray()) {
        const QJsonObject entity = item.toObject();
        if (entity.value(QLatin1String("kind")).toString().isEmpty())
            continue;
        m_round->remoteEtags.insert(Model::EntityRef::canonical(entity),
                                    entity.value(QLatin1String("metadata"))[QLatin1String("etag")].toString());
    }
    SyncStatus syncing = m_status;
    syncing.state = SyncStatus::State::Syncing;
    syncing.error.clear();
    syncing.done = 0;
    syncing.total = document[QLatin1String("totalItems")].toInteger(m_round->remoteEtags.size());
    setStatus(syncing);
    const QString next = document[QLatin1String("pageInfo")][QLatin1String("nextCursor")].toString();
    if (!next.isEmpty()) {
        m_round->nextCursor = next;
        requestBackstagePage();
        return;
    }
    // Every ref is known: what differs from the cache is fetched, what the
    // server no longer has is deleted.
    const QHash<QString, QString> local = m_cache->etagsByRef();
    for (auto it = m_round->remoteEtags.cbegin(); it != m_round->remoteEtags.cend(); ++it) {
        if (local.value(it.key()) != it.value() || it.value().isEmpty())
            m_round->toFetch.append(it.key());
    }
    m_round->toFetch.sort();
    for (auto it = local.cbegin(); it != local.cend(); ++it) {
        if (!m_round->remoteEtags.contains(it.key())) {
            Store::MirroredChange gone;
            gone.deleted = true;
            gone.ref = it.key();
            gone.uid = m_cache->entityByRef(it.key()).value_or(Store::StoredEntity{}).uid;
            m_round->deletions.append(gone);
        }
    }
    syncing.total = m_round->toFetch.size() + m_round->deletions.size();
    setStatus(syncing);
    requestBackstageEntities();
}

void SyncClient::requestBackstageEntities()
{
    if (m_round->fetched >= m_round->toFetch.size()) {
        Store::MirrorBatch batch;
        batch.changes = std::move(m_round->deletions);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        batch.state = {{SyncedAtKey, now.toString(Qt::ISODateWithMs)}};
        m_round.reset();
        if (!apply(batch))
            return;
        m_retryMs = 0;
        caughtUp(now);
        m_retry.start(m_options.backstagePollIntervalMs);
        return;
    }
    const QStringList refs = m_round->toFetch.mid(m_round->fetched, m_options.backstageRefsPerRequest);
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("entityRefs"), QJsonArray::fromStringList(refs)}})
                                .toJson(QJsonDocument::Compact);
    QNetworkReply *reply = send(QStringLiteral("/api/catalog/entities/by-refs"), body);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onBackstageEntitiesReply(reply); });
}

void SyncClient::onBackstageEntitiesReply(QNetworkReply *reply)
{
    QByteArray body;
    if (takeReply(reply, body) != 200)
        return;
    const QJsonValue items = QJsonDocument::fromJson(body)[QLatin1String("items")];
    if (!items.isArray()) {
        retryLater(SyncStatus::State::Failed,
                   QStringLiteral("The catalog API at %1 answered entities/by-refs without an items array")
                       .arg(m_profile.url.toString()));
        return;
    }
    Store::MirrorBatch batch;
    const QJsonArray entities = items.toArray();
    // The backend's text of each entity (keys as its file wrote them, as Backstage serves them).
    const QHash<qsizetype, QByteArrayView> texts = elementTexts(body, "items");
    for (qsizetype i = 0; i < entities.size(); ++i) {
        const QJsonValue item = entities.at(i);
        if (!item.isObject())
            continue;   // deleted since it was listed: the next round drops it
        const QJsonObject entity = item.toObject();
        const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
        Store::MirroredChange change;
        change.ref = Model::EntityRef::canonical(entity);
        change.uid = metadata.value(QLatin1String("uid")).toString();
        change.etag = metadata.value(QLatin1String("etag")).toString();
        change.entityJson = entityText(texts.value(i), entity);
        change.entity = entity;
        batch.changes.append(std::move(change));
    }
    if (!apply(batch))
        return;
    m_round->fetched += m_options.backstageRefsPerRequest;
    SyncStatus syncing = m_status;
    syncing.done = std::min<qint64>(m_round->fetched, m_round->toFetch.size());
    setStatus(syncing);
    requestBackstageEntities();
}

} // namespace Greenroom::Sync
