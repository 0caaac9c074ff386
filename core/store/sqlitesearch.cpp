// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Answering searches from the search index: the query plan's FTS5
// expressions run in tiers (exact names, every word in names and titles,
// every word anywhere), each ranked by bm25 with the columns' weights, then
// the page's documents read and their matched words marked.
#include "sqlitecatalogstore.h"
#include "sqlitecatalogstore_p.h"

#include <common/jsonkeyorder.h>
#include <search/queryplan.h>
#include <search/searchtext.h>

#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::Store {

using namespace Internal;

namespace {

// bm25 weights of title, name, keywords and text.
const QString Rank = QStringLiteral("bm25(search_fts, 10.0, 8.0, 3.0, 1.0)");
// Above this many documents a tier is listed in index order, not ranked:
// bm25 costs about a microsecond a document, and among tens of thousands
// of documents that all have a word as common as "team" or "component"
// (a kind, an owner prefix) in the same column its order says little.
constexpr qint64 RankedTierLimit = 5000;

// Filter fields with a column of their own; others are read from the document.
QString filterColumn(const QString &field)
{
    if (field == QLatin1String("kind"))
        return QStringLiteral("d.f_kind");
    if (field == QLatin1String("type") || field == QLatin1String("componentType"))
        return QStringLiteral("d.f_type");
    if (field == QLatin1String("lifecycle"))
        return QStringLiteral("d.f_lifecycle");
    if (field == QLatin1String("owner"))
        return QStringLiteral("d.f_owner");
    if (field == QLatin1String("namespace"))
        return QStringLiteral("d.f_namespace");
    if (field == QLatin1String("name"))
        return QStringLiteral("d.f_name");
    return QString();
}

void foldFunction(sqlite3_context *context, int, sqlite3_value **values)
{
    if (sqlite3_value_type(values[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(values[0]));
    const QByteArray folded = Search::folded(QString::fromUtf8(text, sqlite3_value_bytes(values[0]))).toUtf8();
    sqlite3_result_text(context, folded.constData(), int(folded.size()), SQLITE_TRANSIENT);
}

// What the request's types and filters ask of documents: the types as a
// range of ids (each type has its own, so an index need not read the
// documents table to know one's type), the filters as a condition on `d`.
struct DocumentCondition
{
    QString idRange;        // "%1 < N" with %1 the id's expression; empty: any id
    SqlCondition filters;
};

DocumentCondition documentCondition(const Search::SearchRequest &request)
{
    QStringList types = request.types.isEmpty() ? Search::documentTypes() : request.types;
    SqlCondition condition;
    for (const Search::FieldFilter &filter : request.filters) {
        // A field only some types have: the others have nothing to match.
        types.removeIf([&](const QString &type) { return !Search::filterFields(type).contains(filter.field); });
        QVariantList params;
        if (filter.field == QLatin1String("tags")) {
            QStringList any;
            for (const QString &value : filter.values) {
                any.append(QStringLiteral("instr(d.f_tags, ?) > 0"));
                params.append(QLatin1Char('|') + value + QLatin1Char('|'));
            }
            condition.andWith(QLatin1Char('(') + any.join(QStringLiteral(" OR ")) + QLatin1Char(')'), params);
            continue;
        }
        QString column = filterColumn(filter.field);
        if (column.isEmpty()) {
            const QString path = QStringLiteral("'$.\"%1\"'").arg(QString(filter.field).replace(QLatin1Char('\''), QStringLiteral("''"))
                                                                       .replace(QLatin1Char('"'), QStringLiteral("\\\"")));
            column = QStringLiteral("(CASE json_type(d.document, %1) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
                                    "ELSE search_fold(json_extract(d.document, %1)) END)").arg(path);
        }
        for (const QString &value : filter.values)
            params.append(value);
        condition.andWith(QStringLiteral("%1 IN (%2)").arg(column, placeholders(params.size())), params);
    }
    QString idRange;
    if (types.isEmpty())
        idRange = QStringLiteral("0 AND %1");
    else if (types.size() == 1)
        idRange = (types.first() == Search::techDocsType() ? QStringLiteral("%1 >= ") : QStringLiteral("%1 < "))
                  + QString::number(TechDocsFirstId);
    return {idRange, condition};
}

} // namespace

void registerSearchFunctions(sqlite3 *db)
{
    sqlite3_create_function_v2(db, "search_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &foldFunction, nullptr,
                               nullptr, nullptr);
}

Result<Search::SearchResults> SqliteCatalogStore::searchDocuments(const Search::SearchRequest &request)
{
    Search::SearchResults results;
    DocumentCondition asked = documentCondition(request);
    if (request.readable) {
        // Documents of the entities the caller may read, in the same query, so counts and pages stay right.
        auto readable = d->filterCondition(*request.readable, SqliteCatalogStorePrivate::FilterPlan::Lists);
        if (!readable)
            return readable.error();
        asked.filters.andWith(QStringLiteral("d.entity_id IN (SELECT e.id FROM entities e WHERE %1)")
                                  .arg(readable->sql.isEmpty() ? QStringLiteral("1") : readable->sql),
                              readable->params);
    }
    const SqlCondition &condition = asked.filters;
    const bool filtered = !condition.sql.isEmpty();
    // The conditions, on documents whose id is `id`.
    const auto where = [&](const QString &id) {
        QString sql;
        if (!asked.idRange.isEmpty())
            sql += QStringLiteral(" AND ") + asked.idRange.arg(id);
        if (filtered)
            sql += QStringLiteral(" AND ") + condition.sql;
        return sql;
    };

    // Runs `sql` with `leading` parameters, then the condition's, then `trailing`.
    const auto run = [&](const QString &sql, const QVariantList &leading, const QVariantList &trailing,
                         const std::function<void(Statement &)> &row) -> Status {
        auto stmt = d->prepare(sql);
        if (!stmt)
            return stmt.error();
        Statement &s = *stmt.value();
        int index = 1;
        for (const QVariantList *list : {&leading, &condition.params, &trailing}) {
            for (const QVariant &value : *list)
                s.bindVariant(index++, value);
        }
        while (s.next())
            row(s);
        s.reset();
        return Ok{};
    };
    const auto integer = [&](const QString &sql, const QVariantList &leading) -> Result<qint64> {
        qint64 value = 0;
        if (Status s = run(sql, leading, {}, [&](Statement &r) { value = r.integer(0); }); !s)
            return s.error();
        return value;
    };

    Search::Vocabulary vocabulary;
    vocabulary.hasPrefix = [&](const QString &prefix) {
        bool found = false;
        (void)run(QStringLiteral("SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT 1"),
                  {QStringLiteral("\"%1\"*").arg(prefix)}, {}, [&](Statement &) { found = true; });
        return found;
    };
    vocabulary.range = [&](const QString &from, const QString &to) {
        QList<std::pair<QString, qint64>> words;
        auto stmt = d->prepare(QStringLiteral("SELECT term, doc FROM search_vocabulary WHERE term >= ? AND term < ?"));
        if (!stmt)
            return words;
        Statement &s = *stmt.value();
        s.bind(1, from).bind(2, to);
        while (s.next())
            words.append({s.text(0), s.integer(1)});
        s.reset();
        return words;
    };
    // Typos are looked for only when the words as typed find nothing (below):
    // whether a word begins any indexed word costs a read of its documents.
    Search::QueryPlan plan = Search::QueryPlan::build(request.term, {});

    const qint64 offset = std::max<qint64>(0, request.offset);
    const qint64 limit = std::max(0, request.limit);
    QList<qint64> ids;
    if (plan.isEmpty()) {
        // No words: every document of the types that passes the filters, by title.
        const QString matching = QStringLiteral("SELECT 1 FROM search_documents d WHERE 1") + where(QStringLiteral("d.id"))
                                 + (request.countLimit < 0 ? QString() : QStringLiteral(" LIMIT %1").arg(request.countLimit));
        auto total = integer(QStringLiteral("SELECT count(*) FROM (") + matching + QLatin1Char(')'), {});
        if (!total)
            return total.error();
        results.total = total.value();
        if (Status s = run(QStringLiteral("SELECT d.id FROM search_documents d WHERE 1") + where(QStringLiteral("d.id"))
                               + QStringLiteral(" ORDER BY d.sort_key, d.id LIMIT ? OFFSET ?"),
                           {}, {limit, offset}, [&](Statement &r) { ids.append(r.integer(0)); });
            !s)
            return s.error();
    } else {
        // The whole index, or names and titles alone.
        const QString Everything = QStringLiteral("search_fts");
        const QString Names = QStringLiteral("search_names_fts");
        const auto fromFts = [&](const QString &table) {
            return filtered ? QStringLiteral("FROM %1 JOIN search_documents d ON d.id = %1.rowid ").arg(table)
                            : QStringLiteral("FROM %1 ").arg(table);
        };
        // How many documents `match` finds; with `cap`, at most that many (counting costs a document's worth each).
        const auto count = [&](const QString &match, const QString &table = QStringLiteral("search_fts"), qint64 cap = -1) {
            const QString matching = QStringLiteral("SELECT 1 ") + fromFts(table) + QStringLiteral("WHERE %1 MATCH ?").arg(table) + where(table + QStringLiteral(".rowid"));
            return cap < 0 ? integer(QStringLiteral("SELECT count(*) FROM (") + matching + QLatin1Char(')'), {match})
                           : integer(QStringLiteral("SELECT count(*) FROM (") + matching + QStringLiteral(" LIMIT %1)").arg(cap), {match});
        };
        // The words as typed, as a word key, and the end of the keys that start with them.
        const QString key = plan.exactKey();
        const QString keyEnd = key + QString::fromUcs4(U"\U0010FFFF", 1);
        // Ids of the documents `match` finds in `table`, from `from` on, best
        // first by bm25, or in index order. With `notStarting`, not those
        // whose name or title starts with the words.
        const auto fetch = [&](const QString &table, const QString &match, bool rank, bool notStarting, qint64 from,
                               qint64 howMany) -> Status {
            QVariantList trailing;
            QString notIn;
            if (notStarting) {
                notIn = QStringLiteral(" AND NOT EXISTS (SELECT 1 FROM search_exact y WHERE y.doc_id = %1.rowid "
                                       "AND y.key >= ? AND y.key < ?)").arg(table);
                trailing << key << keyEnd;
            }
            trailing << howMany << from;
            const QString score = table == Names ? QStringLiteral("bm25(search_names_fts, 10.0, 8.0)") : Rank;
            return run(QStringLiteral("SELECT %1.rowid").arg(table) + (rank ? QStringLiteral(", ") + score + QStringLiteral(" AS r ") : QStringLiteral(" "))
                           + fromFts(table) + QStringLiteral("WHERE %1 MATCH ?").arg(table) + where(table + QStringLiteral(".rowid")) + notIn
                           + (rank ? QStringLiteral(" ORDER BY r, %1.rowid").arg(table) : QString()) + QStringLiteral(" LIMIT ? OFFSET ?"),
                       {match}, trailing, [&](Statement &r) { ids.append(r.integer(0)); });
        };

        QString all = plan.allWords();
        auto total = count(all, Everything, request.countLimit);
        if (!total)
            return total.error();
        if (total.value() == 0) {
            plan = Search::QueryPlan::build(request.term, vocabulary);
            for (const Search::QueryWord &word : plan.words())
                results.corrections += word.corrections;
            if (!results.corrections.isEmpty()) {
                all = plan.allWords();
                total = count(all, Everything, request.countLimit);
                if (!total)
                    return total.error();
            }
        }
        if (total.value() == 0 && plan.words().size() > 1) {
            // No document has every word: those with the most of them, by rank.
            all = plan.anyWord();
            total = count(all, Everything, request.countLimit);
            if (!total)
                return total.error();
            results.total = total.value();
            if (Status s = fetch(Everything, total.value() <= RankedTierLimit ? plan.anyWord(Search::QueryPlan::Use::Rank) : all,
                                 total.value() <= RankedTierLimit, false, offset, limit);
                !s)
                return s.error();
        } else {
            results.total = total.value();
            qint64 wanted = limit;
            qint64 skip = offset;
            // Tier 1: exact names and titles.
            QList<qint64> exact;
            if (Status s = run(QStringLiteral("SELECT x.doc_id FROM search_exact x JOIN search_documents d ON d.id = x.doc_id "
                                              "WHERE x.key = ?") + where(QStringLiteral("x.doc_id")) + QStringLiteral(" ORDER BY x.title, d.sort_key, d.id"),
                               {key}, {}, [&](Statement &r) { exact.append(r.integer(0)); });
                !s)
                return s.error();
            for (qint64 i = skip; i < std::min<qint64>(exact.size(), skip + wanted); ++i)
                ids.append(exact.at(i));
            wanted = limit - ids.size();
            skip = std::max<qint64>(0, skip - exact.size());

            // Tier 2: names and titles that start with the words, as they are
            // being typed ("pay" finds "Payment gateway"), in key order: an
            // index range, however many documents have the words elsewhere.
            QVariantList exactIds;
            for (const qint64 id : std::as_const(exact))
                exactIds.append(id);
            const QString starting = (filtered ? QStringLiteral("FROM search_exact x JOIN search_documents d ON d.id = x.doc_id ")
                                               : QStringLiteral("FROM search_exact x "))
                                     + QStringLiteral("WHERE x.key > ? AND x.key < ?") + where(QStringLiteral("x.doc_id"))
                                     + (exact.isEmpty() ? QString() : QStringLiteral(" AND x.doc_id NOT IN (%1)").arg(placeholders(exact.size())));
            // Walked in key order until the page is full; a document with two such keys counts once.
            qint64 startingOnly = 0;
            if (wanted > 0) {
                QSet<qint64> seen;
                auto walk = d->prepare(QStringLiteral("SELECT x.doc_id ") + starting + QStringLiteral(" ORDER BY x.key"));
                if (!walk)
                    return walk.error();
                Statement &w = *walk.value();
                int index = 1;
                const QVariantList range{key, keyEnd};
                const QVariantList *lists[] = {&range, &condition.params, &exactIds};
                for (const QVariantList *list : lists) {
                    for (const QVariant &value : *list)
                        w.bindVariant(index++, value);
                }
                while (wanted > 0 && w.next()) {
                    const qint64 id = w.integer(0);
                    if (seen.contains(id))
                        continue;
                    seen.insert(id);
                    if (qint64(seen.size()) <= skip)
                        continue;
                    ids.append(id);
                    --wanted;
                }
                w.reset();
                // Page not full: the walk went through them all.
                startingOnly = qint64(seen.size());
                skip = std::max<qint64>(0, skip - startingOnly);
            }

            // Then every word in names and titles; then in those or the
            // keywords (tags, owner, kind); then anywhere. Each tier holds
            // what the ones before do not; one wholly before the page is only
            // counted, one the page reaches ranked.
            struct Tier
            {
                QString table;
                QString find;   // the documents of this tier (and of the ones before, but for the first)
                QString rank;
                QString notBefore;   // what the ones before hold, in this tier's table
            };
            const QString namesAndKeywords = plan.allWordsInColumns(QStringLiteral("title name keywords"));
            const QList<Tier> tiers{
                {Names, plan.allWords(), plan.allWords(Search::QueryPlan::Use::Rank), QString()},
                {Everything, namesAndKeywords, plan.allWordsInColumns(QStringLiteral("title name keywords"), Search::QueryPlan::Use::Rank),
                 plan.allWordsInColumns(QStringLiteral("title name"))},
                {Everything, all, plan.allWords(Search::QueryPlan::Use::Rank), namesAndKeywords},
            };
            for (qsizetype t = 0; t < tiers.size() && wanted > 0; ++t) {
                const Tier &tier = tiers.at(t);
                const QString find = tier.notBefore.isEmpty() ? tier.find : QStringLiteral("(%1) NOT (%2)").arg(tier.find, tier.notBefore);
                const QString rank = tier.notBefore.isEmpty() ? tier.rank : QStringLiteral("(%1) NOT (%2)").arg(tier.rank, tier.notBefore);
                // The first holds the exact and starting documents too (they have every word in their names).
                const qint64 held = t == 0 ? qint64(exact.size()) + startingOnly : 0;
                // Counted only as far as it matters: past the offset, and past the size worth ranking.
                const qint64 cap = skip + held + RankedTierLimit + 1;
                auto size = count(find, tier.table, cap);
                if (!size)
                    return size.error();
                const qint64 own = size.value() - held;
                if (own <= skip) {
                    skip -= std::max<qint64>(0, own);
                    continue;
                }
                const bool ranked = size.value() < cap;
                const qsizetype fetched = ids.size();
                if (Status s = fetch(tier.table, ranked ? rank : find, ranked, t == 0, skip, wanted); !s)
                    return s.error();
                wanted -= ids.size() - fetched;
                skip = 0;
            }
        }
    }

    // The page's documents, their matched words marked.
    auto read = d->prepare(QStringLiteral("SELECT type, entity_ref, document FROM search_documents WHERE id = ?"));
    if (!read)
        return read.error();
    const bool highlight = !request.preTag.isEmpty() && !plan.isEmpty();
    for (const qint64 id : std::as_const(ids)) {
        Statement &r = *read.value();
        r.bind(1, id);
        if (!r.next()) {
            r.reset();
            continue;
        }
        Search::SearchHit hit{r.text(0), r.text(1), r.blob(2), {}};
        r.reset();
        if (highlight) {
            const QJsonObject document = QJsonDocument::fromJson(hit.document).object();
            for (const QString &field : JsonKeyOrder::fromJson(hit.document).keys(QString())) {
                const QJsonValue value = document.value(field);
                if (!value.isString())
                    continue;
                bool found = false;
                const QString marked = plan.highlighted(value.toString(), request.preTag, request.postTag, &found);
                if (found)
                    hit.highlights.append({field, marked});
            }
        }
        results.hits.append(hit);
    }
    return results;
}

namespace {

// The best `limit` documents of `type` for `text`, their matches marked with \u0001 and \u0002.
Search::SearchRequest wordsOfType(const QString &text, const QString &type, int limit)
{
    Search::SearchRequest request;
    request.term = text;
    request.types = {type};
    request.limit = limit;
    request.preTag = QStringLiteral("\u0001");
    request.postTag = QStringLiteral("\u0002");
    return request;
}

} // namespace

Result<QList<SearchHit>> SqliteCatalogStore::search(const QString &text, int limit)
{
    QList<SearchHit> hits;
    if (Search::words(text).isEmpty())
        return hits;
    auto found = searchDocuments(wordsOfType(text, Search::catalogType(), limit));
    if (!found)
        return found.error();
    double rank = 0;
    for (const Search::SearchHit &hit : found->hits) {
        if (auto entity = entityByRef(hit.entityRef))
            hits.append({*entity, rank++});
    }
    return hits;
}

Result<QList<DocsSearchHit>> SqliteCatalogStore::searchDocs(const QString &text, int limit)
{
    QList<DocsSearchHit> hits;
    if (Search::words(text).isEmpty())
        return hits;
    auto found = searchDocuments(wordsOfType(text, Search::techDocsType(), limit));
    if (!found)
        return found.error();
    auto pageTitle = d->prepare(QStringLiteral("SELECT page_title FROM docs_sections WHERE entity_ref = ? AND location = ?"));
    if (!pageTitle)
        return pageTitle.error();
    double rank = 0;
    for (const Search::SearchHit &hit : found->hits) {
        const QJsonObject document = QJsonDocument::fromJson(hit.document).object();
        DocsSearchHit docsHit;
        docsHit.entityRef = hit.entityRef;
        docsHit.location = document.value(QLatin1String("path")).toString();
        docsHit.title = document.value(QLatin1String("title")).toString();
        Statement &p = *pageTitle.value();
        p.bind(1, hit.entityRef).bind(2, docsHit.location);
        docsHit.pageTitle = p.next() ? p.text(0) : docsHit.title;
        p.reset();
        for (const auto &[field, marked] : hit.highlights) {
            if (field == QLatin1String("text"))
                docsHit.snippet = marked;
        }
        if (docsHit.snippet.isEmpty())
            docsHit.snippet = document.value(QLatin1String("text")).toString();
        docsHit.rank = rank++;
        hits.append(docsHit);
    }
    return hits;
}

} // namespace Greenroom::Store
