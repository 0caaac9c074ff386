// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Mirroring the server's feed into the desktop cache (applyMirror), with
// its bulk fill and the state it keeps between batches.
#include "sqlitecatalogstore.h"

#include "sqlitecatalogstore_p.h"
#include "listing_p.h"
#include "stitcher_p.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentMap>

namespace Greenroom::Store {

using namespace Internal;

namespace {

// What a mirror's bulk fill drops and builds again at its end. Their
// definitions are read from sqlite_master when dropped and kept in
// mirror_state under BulkStateKey until they are built again.
const char *const MirrorDeferredIndexes[] = {"search_key_value", "relations_source", "listing_by_system", "listing_by_owner",
                                             "listing_by_type", "listing_by_lifecycle", "listing_tags_by_id"};
const QString BulkStateKey = QStringLiteral("bulk_fill_indexes");

// A mirrored upsert parsed and indexed (on the pool: this is most of the cost).
struct MirrorInput
{
    QJsonObject entity;
    EntityIndex index;
    ListingValues listing;
    QString error;
};

MirrorInput prepareMirrored(const MirroredChange &change, const Search::CollatorOptions &collator)
{
    MirrorInput input;
    // A tombstone may name only the uid: the server does not tell a reader
    // the ref of an entity it may not (or no longer) read.
    const bool uidOnlyTombstone = change.deleted && !change.docs && change.ref.isEmpty();
    if ((change.ref.isEmpty() && !uidOnlyTombstone) || change.uid.isEmpty()) {
        input.error = QStringLiteral("a change needs an entityRef and a uid");
        return input;
    }
    if (change.deleted || change.docs)
        return input;
    if (!change.entity.isEmpty()) {
        input.entity = change.entity;
    } else {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(change.entityJson, &parseError);
        if (!document.isObject()) {
            input.error = parseError.error != QJsonParseError::NoError
                              ? QStringLiteral("invalid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString())
                              : QStringLiteral("the entity is not a JSON object");
            return input;
        }
        input.entity = document.object();
    }
    const QJsonObject metadata = input.entity.value(QLatin1String("metadata")).toObject();
    if (input.entity.value(QLatin1String("kind")).toString().isEmpty()
        || metadata.value(QLatin1String("name")).toString().isEmpty()) {
        input.error = QStringLiteral("the entity has no kind or no metadata.name");
        return input;
    }
    input.index = Stitcher::indexOf(input.entity, collator);
    input.listing = listingOf(input.entity);
    input.error = input.index.error;
    return input;
}

} // namespace

Result<MirrorReport> SqliteCatalogStore::applyMirror(const MirrorBatch &batch)
{
    const QList<MirrorInput> inputs = QtConcurrent::blockingMapped(
        batch.changes, [collator = d->collator](const MirroredChange &change) { return prepareMirrored(change, collator); });
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        if (!inputs.at(i).error.isEmpty()) {
            return Error::input(QStringLiteral("Sync feed: entity %1: %2")
                                    .arg(batch.changes.at(i).ref.isEmpty() ? QStringLiteral("#%1").arg(i + 1)
                                                                           : batch.changes.at(i).ref,
                                         inputs.at(i).error));
        }
    }

    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    KeyCacheGuard keyCacheGuard{d.get()};
    SqliteCatalogStorePrivate::WriteState state;
    state.now = QDateTime::currentMSecsSinceEpoch();
    MirrorReport report;

    if (batch.startRebuild) {
        if (Status s = d->db.exec(QStringLiteral("DELETE FROM mirror_seen")); !s)
            return s.error();
    }
    QStringList deferredIndexes;   // CREATE INDEX statements of the indexes a bulk fill dropped
    const QString deferred = mirrorState(BulkStateKey);
    if (!deferred.isNull()) {
        deferredIndexes = QJsonDocument::fromJson(deferred.toUtf8()).toVariant().toStringList();
    } else if (batch.bulk) {
        auto definition = d->prepare(QStringLiteral("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?"));
        if (!definition)
            return definition.error();
        for (const char *name : MirrorDeferredIndexes) {
            Statement &q = *definition.value();
            q.bind(1, QString::fromLatin1(name));
            const bool present = q.next();
            const QString sql = present ? q.text(0) : QString();
            q.reset();
            if (!present)
                continue;
            deferredIndexes.append(sql);
            if (Status s = d->db.exec(QStringLiteral("DROP INDEX %1").arg(QLatin1String(name))); !s)
                return s.error();
        }
        auto record = d->prepare(QStringLiteral("INSERT OR REPLACE INTO mirror_state(key, value) VALUES (?, ?)"));
        if (!record || !record.value()->bind(1, BulkStateKey)
                            .bind(2, QJsonDocument(QJsonArray::fromStringList(deferredIndexes)).toJson(QJsonDocument::Compact))
                            .run())
            return Error::internal(d->db.lastError());
    }
    auto maxId = d->queryInteger(QStringLiteral("SELECT coalesce(max(id), 0) FROM entities"));
    if (!maxId)
        return maxId.error();
    qint64 nextId = maxId.value();
    auto byRef = d->prepare(QStringLiteral("SELECT id, uid, etag FROM entities WHERE ref = ?"));
    auto byUid = d->prepare(QStringLiteral("SELECT id, ref FROM entities WHERE uid = ? AND ref <> ?"));
    auto seen = d->prepare(QStringLiteral("INSERT OR IGNORE INTO mirror_seen(ref) VALUES (?)"));
    auto insert = d->prepare(QStringLiteral(
        "INSERT INTO entities(id, ref, uid, kind, name, etag, body_hash, final, sequence) VALUES (?,?,?,?,?,?,'',?,0)"));
    auto update = d->prepare(QStringLiteral("UPDATE entities SET uid = ?, kind = ?, name = ?, etag = ?, final = ? WHERE id = ?"));
    auto setSequence = d->prepare(QStringLiteral("UPDATE entities SET sequence = ? WHERE id = ?"));
    auto listRow = d->prepare(QStringLiteral(
        "INSERT OR REPLACE INTO listing(id, kind, namespace, name, title, system, owner, owner_refs, type, "
        "lifecycle, description, tags, haystack) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    auto clearTags = d->prepare(QStringLiteral("DELETE FROM listing_tags WHERE id = ?"));
    auto addTag = d->prepare(QStringLiteral("INSERT OR IGNORE INTO listing_tags(tag, id) VALUES (?,?)"));
    if (!byRef || !byUid || !seen || !insert || !update || !setSequence || !listRow || !clearTags || !addTag)
        return Error::internal(d->db.lastError());

    auto refOfUid = d->prepare(QStringLiteral("SELECT ref FROM entities WHERE uid = ?"));
    if (!refOfUid)
        return refOfUid.error();
    for (qsizetype i = 0; i < batch.changes.size(); ++i) {
        const MirrorInput &input = inputs.at(i);
        MirroredChange named;
        if (batch.changes.at(i).ref.isEmpty()) {
            // A tombstone by uid: of an entity held here, or of nothing.
            named = batch.changes.at(i);
            Statement &u = *refOfUid.value();
            u.bind(1, named.uid);
            const bool held = u.next();
            named.ref = held ? u.text(0) : QString();
            u.reset();
            if (!held)
                continue;
        }
        const MirroredChange &change = named.ref.isEmpty() ? batch.changes.at(i) : named;
        if (batch.rebuilding && !seen.value()->bind(1, change.docs ? DocsChangePrefix + change.ref : change.ref).run())
            return Error::internal(d->db.lastError());
        if (change.docs) {
            if (Status s = d->mirrorDocsChange(change, state); !s)
                return s.error();
            continue;
        }
        Statement &r = *byRef.value();
        r.bind(1, change.ref);
        const bool exists = r.next();
        const qint64 existingId = exists ? r.integer(0) : 0;
        const QString existingUid = exists ? r.text(1) : QString();
        const QString existingEtag = exists ? r.text(2) : QString();
        r.reset();
        if (change.deleted) {
            if (exists) {
                if (Status s = d->deleteEntityRow(existingId, change.ref, existingUid, state, report.deleted); !s)
                    return s.error();
                // What plugins kept for it goes with it.
                auto forget = d->prepare(QStringLiteral("DELETE FROM plugin_data WHERE entity_ref = ?"));
                if (!forget || !forget.value()->bind(1, change.ref).run())
                    return Error::internal(d->db.lastError());
            }
            continue;
        }
        if (exists && existingUid == change.uid && existingEtag == change.etag) {
            ++report.unchanged;
            continue;
        }
        // The uid held by another ref: that entity is gone on the server, and
        // its tombstone may come later in the feed than this upsert.
        Statement &u = *byUid.value();
        u.bind(1, change.uid).bind(2, change.ref);
        if (u.next()) {
            const qint64 otherId = u.integer(0);
            const QString otherRef = u.text(1);
            u.reset();
            if (Status s = d->deleteEntityRow(otherId, otherRef, change.uid, state, report.deleted); !s)
                return s.error();
        } else {
            u.reset();
        }
        const QString &kind = input.listing.kind;
        const QString &name = input.listing.name;
        qint64 id = existingId;
        if (exists) {
            if (Status s = d->deleteSearchRows(id, state); !s)
                return s.error();
            if (!update.value()->bind(1, change.uid).bind(2, kind).bind(3, name).bind(4, change.etag)
                     .bind(5, change.entityJson).bind(6, id).run())
                return Error::internal(d->db.lastError());
        } else {
            id = ++nextId;
            if (!insert.value()->bind(1, id).bind(2, change.ref).bind(3, change.uid).bind(4, kind).bind(5, name)
                     .bind(6, change.etag).bind(7, change.entityJson).run())
                return Error::internal(d->db.lastError());
        }
        // No relations rows: they exist for stitching, which a mirror never does
        // (the server's JSON carries each entity's relations).
        if (Status s = d->insertIndex(id, kind, input.index, state); !s)
            return s.error();
        const ListingValues &l = input.listing;
        if (!listRow.value()->bind(1, id).bind(2, l.kind).bind(3, l.namespaceName).bind(4, l.name).bind(5, l.title)
                 .bind(6, l.system).bind(7, l.owner).bind(8, l.ownerRefs).bind(9, l.type)
                 .bind(10, l.lifecycle).bind(11, l.description).bind(12, l.tags).bind(13, l.haystack).run()
            || (exists && !clearTags.value()->bind(1, id).run()))
            return Error::internal(d->db.lastError());
        for (const QString &tag : l.tagList) {
            if (!addTag.value()->bind(1, tag).bind(2, id).run())
                return Error::internal(d->db.lastError());
        }
        auto sequence = d->appendChange(change.ref, change.uid, false, change.etag, state);
        if (!sequence)
            return sequence.error();
        if (!setSequence.value()->bind(1, sequence.value()).bind(2, id).run())
            return Error::internal(d->db.lastError());
        ++report.upserted;
    }

    if (batch.finishRebuild) {
        struct Gone
        {
            qint64 id;
            QString ref;
            QString uid;
        };
        QList<Gone> gone;
        auto unseen = d->prepare(QStringLiteral("SELECT id, ref, uid FROM entities WHERE ref NOT IN (SELECT ref FROM mirror_seen)"));
        if (!unseen)
            return unseen.error();
        while (unseen.value()->next())
            gone.append({unseen.value()->integer(0), unseen.value()->text(1), unseen.value()->text(2)});
        unseen.value()->reset();
        for (const Gone &g : std::as_const(gone)) {
            if (Status s = d->deleteEntityRow(g.id, g.ref, g.uid, state, report.deleted); !s)
                return s.error();
        }
        if (Status s = d->forgetUnseenDocs(state); !s)
            return s.error();
        if (Status s = d->db.exec(QStringLiteral("DELETE FROM mirror_seen")); !s)
            return s.error();
    }
    if (Status s = d->flushFacetDeltas(state); !s)
        return s.error();
    if (batch.finishBulk && (!deferred.isNull() || batch.bulk)) {
        for (const QString &create : std::as_const(deferredIndexes)) {
            if (Status s = d->db.exec(create); !s)
                return s.error();
        }
        if (Status s = d->db.exec(QStringLiteral("DELETE FROM mirror_state WHERE key = '%1'").arg(BulkStateKey)); !s)
            return s.error();
    }

    auto setState = d->prepare(QStringLiteral("INSERT INTO mirror_state(key, value) VALUES (?,?) "
                                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    auto clearState = d->prepare(QStringLiteral("DELETE FROM mirror_state WHERE key = ?"));
    if (!setState || !clearState)
        return Error::internal(d->db.lastError());
    for (const auto &[key, value] : batch.state) {
        const bool ok = value.isNull() ? clearState.value()->bind(1, key).run()
                                       : setState.value()->bind(1, key).bind(2, value).run();
        if (!ok)
            return Error::internal(d->db.lastError());
    }
    if (Status s = d->flushSearch(state); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    keyCacheGuard.committed = true;
    report.lastSequence = lastSequence();
    // A bulk fill leaves a write-ahead log as large as the cache; fold it in
    // and cut it back, so readers do not wade through it (best effort: a
    // reader in the middle of a query makes it a partial checkpoint).
    if (batch.finishBulk)
        (void)d->db.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    return report;
}

bool SqliteCatalogStore::isBulkFilling()
{
    return !mirrorState(BulkStateKey).isNull();
}

QString SqliteCatalogStore::mirrorState(const QString &key)
{
    auto stmt = d->prepare(QStringLiteral("SELECT value FROM mirror_state WHERE key = ?"));
    if (!stmt)
        return {};
    stmt.value()->bind(1, key);
    const QString value = stmt.value()->next() ? stmt.value()->text(0) : QString();
    stmt.value()->reset();
    return value;
}

QHash<QString, QString> SqliteCatalogStore::etagsByRef()
{
    QHash<QString, QString> etags;
    auto stmt = d->prepare(QStringLiteral("SELECT ref, etag FROM entities"));
    if (!stmt)
        return etags;
    while (stmt.value()->next())
        etags.insert(stmt.value()->text(0), stmt.value()->text(1));
    stmt.value()->reset();
    return etags;
}

} // namespace Greenroom::Store
