// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Keeping the search index (search_documents, search_exact, search_fts) in
// step with entities and docs sites, inside their write transactions.
#include "sqlitecatalogstore.h"
#include "sqlitecatalogstore_p.h"

#include <search/searchtext.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <algorithm>
#include <limits>

namespace Greenroom::Store {

Q_DECLARE_LOGGING_CATEGORY(lcStore)

using namespace Internal;

namespace {

// Bumped whenever this build would make documents or index columns
// differently: an index made by another makes the store rebuild it.
constexpr int SearchIndexVersion = 1;
const QString OptionsKey = QStringLiteral("collator_options");
const QString MadeWithKey = QStringLiteral("made_with");

QString notNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

QString madeWith(const Search::CollatorOptions &options)
{
    return QStringLiteral("%1:%2").arg(SearchIndexVersion).arg(options.fingerprint());
}

QJsonObject optionsJson(const Search::CollatorOptions &options)
{
    return {{QStringLiteral("catalogLocationTemplate"), options.catalogLocationTemplate},
            {QStringLiteral("techDocsLocationTemplate"), options.techDocsLocationTemplate},
            {QStringLiteral("legacyCaseSensitiveTriplets"), options.legacyCaseSensitiveTriplets}};
}

Search::CollatorOptions optionsFrom(const QByteArray &json)
{
    Search::CollatorOptions options;
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    options.catalogLocationTemplate = object.value(QLatin1String("catalogLocationTemplate")).toString(options.catalogLocationTemplate);
    options.techDocsLocationTemplate = object.value(QLatin1String("techDocsLocationTemplate")).toString(options.techDocsLocationTemplate);
    options.legacyCaseSensitiveTriplets = object.value(QLatin1String("legacyCaseSensitiveTriplets")).toBool();
    return options;
}

} // namespace

Status SqliteCatalogStorePrivate::insertSearchDocument(const Search::IndexedDocument &document, qint64 entityId,
                                                       WriteState &state)
{
    // The next id in the type's range.
    auto insert = prepare(QStringLiteral(
        "INSERT INTO search_documents(id, type, entity_id, entity_ref, title, name, keywords, text, f_kind, f_type, "
        "f_lifecycle, f_owner, f_namespace, f_name, f_tags, sort_key, document) "
        "VALUES ((SELECT coalesce(max(id), ?17) + 1 FROM search_documents WHERE id > ?17 AND id < ?18),"
        "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)"));
    auto exact = prepare(QStringLiteral("INSERT OR IGNORE INTO search_exact(key, doc_id, title) VALUES (?,?,?)"));
    if (!insert || !exact)
        return Error::internal(db.lastError());
    if (!insert.value()->bind(1, document.type).bind(2, entityId).bind(3, document.entityRef).bind(4, notNull(document.title))
             .bind(5, notNull(document.name)).bind(6, notNull(document.keywords)).bind(7, notNull(document.text))
             .bind(8, document.kind).bind(9, document.documentType).bind(10, document.lifecycle).bind(11, document.owner)
             .bind(12, document.namespaceName).bind(13, document.entityName).bind(14, document.tags)
             .bind(15, notNull(document.sortKey)).bind(16, document.json)
             .bind(17, document.type == Search::techDocsType() ? TechDocsFirstId - 1 : qint64(0))
             .bind(18, document.type == Search::techDocsType() ? std::numeric_limits<qint64>::max() : TechDocsFirstId)
             .run())
        return Error::internal(db.lastError());
    const qint64 id = sqlite3_last_insert_rowid(db.handle());
    for (qsizetype i = 0; i < document.exactKeys.size(); ++i) {
        if (!exact.value()->bind(1, document.exactKeys.at(i)).bind(2, id).bind(3, qint64(i > 0)).run())
            return Error::internal(db.lastError());
    }
    state.searchAdded.append(id);
    return Ok{};
}

Status SqliteCatalogStorePrivate::dropSearchDocuments(qint64 entityId, const QString &type, WriteState &state)
{
    auto find = prepare(type.isEmpty() ? QStringLiteral("SELECT id, title, name FROM search_documents WHERE entity_id = ?1")
                                       : QStringLiteral("SELECT id, title, name FROM search_documents WHERE entity_id = ?1 AND type = ?2"));
    if (!find)
        return find.error();
    struct Doomed
    {
        qint64 id;
        QString title;
        QString name;
    };
    QList<Doomed> doomed;
    Statement &f = *find.value();
    f.bind(1, entityId);
    if (!type.isEmpty())
        f.bind(2, type);
    while (f.next())
        doomed.append({f.integer(0), f.text(1), f.text(2)});
    f.reset();
    if (doomed.isEmpty())
        return Ok{};
    auto unexact = prepare(QStringLiteral("DELETE FROM search_exact WHERE key = ? AND doc_id = ?"));
    auto detach = prepare(QStringLiteral("UPDATE search_documents SET entity_id = NULL WHERE id = ?"));
    if (!unexact || !detach)
        return Error::internal(db.lastError());
    for (const Doomed &d : std::as_const(doomed)) {
        // Its exact keys are the word keys of its name and title (docs sections have none: nothing to delete).
        for (const QString &key : {Search::wordKey(d.name), Search::wordKey(d.title)}) {
            if (!key.isEmpty() && !unexact.value()->bind(1, key).bind(2, d.id).run())
                return Error::internal(db.lastError());
        }
        if (!detach.value()->bind(1, d.id).run())
            return Error::internal(db.lastError());
        state.searchReplaced.append(d.id);
    }
    return Ok{};
}

Status SqliteCatalogStorePrivate::flushSearch(WriteState &state)
{
    // 1. Docs sections into techdocs documents, for entities that are documented and have a site.
    if (!state.docsToIndex.isEmpty()) {
        auto entity = prepare(QStringLiteral("SELECT id, final FROM entities WHERE ref = ?"));
        auto sections = prepare(QStringLiteral("SELECT location, title, text FROM docs_sections WHERE entity_ref = ? ORDER BY id"));
        if (!entity || !sections)
            return Error::internal(db.lastError());
        QStringList refs(state.docsToIndex.cbegin(), state.docsToIndex.cend());
        std::sort(refs.begin(), refs.end());
        for (const QString &ref : std::as_const(refs)) {
            Statement &e = *entity.value();
            e.bind(1, ref);
            if (!e.next()) {
                e.reset();
                continue;
            }
            const qint64 entityId = e.integer(0);
            const QByteArray final = e.blob(1);
            e.reset();
            if (Status s = dropSearchDocuments(entityId, Search::techDocsType(), state); !s)
                return s;
            const QJsonObject object = QJsonDocument::fromJson(final).object();
            if (!Search::hasTechDocs(object))
                continue;
            QList<Search::DocsIndexEntry> entries;
            Statement &s = *sections.value();
            s.bind(1, ref);
            while (s.next())
                entries.append({s.text(0), s.text(1), s.text(2)});
            s.reset();
            if (entries.isEmpty())
                continue;
            for (const Search::IndexedDocument &document :
                 Search::techDocsDocuments(object, JsonKeyOrder::fromJson(final), entries, collator)) {
                if (Status st = insertSearchDocument(document, entityId, state); !st)
                    return st;
            }
        }
        state.docsToIndex.clear();
    }

    // 2. Replaced documents out of the full-text index (with the very values
    // it indexed, which their rows still hold), then out of the table.
    std::sort(state.searchReplaced.begin(), state.searchReplaced.end());
    QSet<qint64> added(state.searchAdded.cbegin(), state.searchAdded.cend());
    // The full-text rows are written with their values bound, not selected
    // from the table: an INSERT ... SELECT needs a statement journal, and
    // each one made FTS5 flush what it had pending (three times slower).
    auto columns = prepare(QStringLiteral("SELECT title, name, keywords, text FROM search_documents WHERE id = ?"));
    auto unindex = prepare(QStringLiteral("INSERT INTO search_fts(search_fts, rowid, title, name, keywords, text) VALUES ('delete',?,?,?,?,?)"));
    auto unindexNames = prepare(QStringLiteral("INSERT INTO search_names_fts(search_names_fts, rowid, title, name) VALUES ('delete',?,?,?)"));
    auto remove = prepare(QStringLiteral("DELETE FROM search_documents WHERE id = ?"));
    auto index = prepare(QStringLiteral("INSERT INTO search_fts(rowid, title, name, keywords, text) VALUES (?,?,?,?,?)"));
    auto indexNames = prepare(QStringLiteral("INSERT INTO search_names_fts(rowid, title, name) VALUES (?,?,?)"));
    if (!columns || !unindex || !unindexNames || !remove || !index || !indexNames)
        return Error::internal(db.lastError());
    // Both full-text indexes told of document `id` (its columns as stored): added, or taken out.
    const auto tell = [&](qint64 id, Statement &all, Statement &names) -> Status {
        Statement &c = *columns.value();
        c.bind(1, id);
        if (!c.next()) {
            c.reset();
            return Ok{};
        }
        const QString title = c.text(0), name = c.text(1), keywords = c.text(2), text = c.text(3);
        c.reset();
        if (!all.bind(1, id).bind(2, title).bind(3, name).bind(4, keywords).bind(5, text).run()
            || !names.bind(1, id).bind(2, title).bind(3, name).run())
            return Error::internal(db.lastError());
        return Ok{};
    };
    for (const qint64 id : std::as_const(state.searchReplaced)) {
        // One added and replaced in this transaction never reached the full-text indexes.
        if (!added.remove(id)) {
            if (Status s = tell(id, *unindex.value(), *unindexNames.value()); !s)
                return s;
        }
        if (!remove.value()->bind(1, id).run())
            return Error::internal(db.lastError());
    }
    QList<qint64> fresh(added.cbegin(), added.cend());
    std::sort(fresh.begin(), fresh.end());
    for (const qint64 id : std::as_const(fresh)) {
        if (Status s = tell(id, *index.value(), *indexNames.value()); !s)
            return s;
    }
    state.searchReplaced.clear();
    state.searchAdded.clear();
    return Ok{};
}

void registerSearchFunctions(sqlite3 *db);

Status SqliteCatalogStorePrivate::openSearchIndex()
{
    registerSearchFunctions(db.handle());
    auto meta = prepare(QStringLiteral("SELECT key, value FROM search_meta"));
    if (!meta)
        return meta.error();
    QString stored;
    while (meta.value()->next()) {
        if (meta.value()->text(0) == OptionsKey)
            collator = optionsFrom(meta.value()->blob(1));
        else if (meta.value()->text(0) == MadeWithKey)
            stored = meta.value()->text(1);
    }
    meta.value()->reset();
    if (stored == madeWith(collator))
        return Ok{};
    return rebuildSearchIndex(collator);
}

Status SqliteCatalogStorePrivate::rebuildSearchIndex(const Search::CollatorOptions &options)
{
    Transaction tx(db);
    if (Status s = tx.begin(); !s)
        return s;
    // Another connection may have rebuilt it meanwhile.
    auto made = prepare(QStringLiteral("SELECT value FROM search_meta WHERE key = ?"));
    if (!made)
        return made.error();
    made.value()->bind(1, MadeWithKey);
    const QString stored = made.value()->next() ? made.value()->text(0) : QString();
    made.value()->reset();
    if (stored == madeWith(options)) {
        collator = options;
        return Ok{};
    }
    const qint64 started = QDateTime::currentMSecsSinceEpoch();
    collator = options;
    for (const char *sql : {"DELETE FROM search_exact", "DELETE FROM search_documents",
                            "INSERT INTO search_fts(search_fts) VALUES ('delete-all')",
                            "INSERT INTO search_names_fts(search_names_fts) VALUES ('delete-all')"}) {
        if (Status s = db.exec(QString::fromLatin1(sql)); !s)
            return s;
    }
    WriteState state;
    state.now = started;
    // Entity by entity, in pages by id: the catalog is never all in memory.
    auto page = prepare(QStringLiteral("SELECT id, final FROM entities WHERE id > ? ORDER BY id LIMIT 1000"));
    if (!page)
        return page.error();
    qint64 after = 0;
    for (;;) {
        QList<std::pair<qint64, QByteArray>> rows;
        Statement &p = *page.value();
        p.bind(1, after);
        while (p.next())
            rows.append({p.integer(0), p.blob(1)});
        p.reset();
        if (rows.isEmpty())
            break;
        for (const auto &[id, final] : std::as_const(rows)) {
            const QJsonObject entity = QJsonDocument::fromJson(final).object();
            const Search::IndexedDocument document = Search::catalogDocument(entity, collator);
            if (Status s = insertSearchDocument(document, id, state); !s)
                return s;
            if (Search::hasTechDocs(entity))
                state.docsToIndex.insert(document.entityRef);
        }
        after = rows.last().first;
        // Techdocs documents page by page too, so their refs do not pile up.
        if (Status s = flushSearch(state); !s)
            return s;
    }
    auto record = prepare(QStringLiteral("INSERT OR REPLACE INTO search_meta(key, value) VALUES (?,?)"));
    if (!record)
        return record.error();
    if (!record.value()->bind(1, OptionsKey).bind(2, QJsonDocument(optionsJson(options)).toJson(QJsonDocument::Compact)).run()
        || !record.value()->bind(1, MadeWithKey).bind(2, madeWith(options)).run())
        return Error::internal(db.lastError());
    if (Status s = tx.commit(); !s)
        return s;
    qCDebug(lcStore) << "search index of" << path << "made in" << QDateTime::currentMSecsSinceEpoch() - started << "ms";
    return Ok{};
}

Status SqliteCatalogStore::setSearchOptions(const Search::CollatorOptions &options)
{
    if (options.fingerprint() == d->collator.fingerprint())
        return Ok{};
    return d->rebuildSearchIndex(options);
}

} // namespace Greenroom::Store
