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

QString placeholders(qsizetype count)
{
    QStringList marks;
    for (qsizetype i = 0; i < count; ++i)
        marks.append(QStringLiteral("?"));
    return marks.join(QLatin1Char(','));
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

// The condition on documents `d` that the request's types and filters make.
SqlCondition documentCondition(const Search::SearchRequest &request)
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
    if (types.size() < Search::documentTypes().size()) {
        QVariantList params;
        for (const QString &type : std::as_const(types))
            params.append(type);
        condition.andWith(types.isEmpty() ? QStringLiteral("0") : QStringLiteral("d.type IN (%1)").arg(placeholders(params.size())),
                          params);
    }
    return condition;
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
    const SqlCondition condition = documentCondition(request);
    const bool filtered = !condition.sql.isEmpty();
    const QString where = filtered ? QStringLiteral(" AND ") + condition.sql : QString();

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
    const Search::QueryPlan plan = Search::QueryPlan::build(request.term, vocabulary);
    for (const Search::QueryWord &word : plan.words())
        results.corrections += word.corrections;

    const qint64 offset = std::max<qint64>(0, request.offset);
    const qint64 limit = std::max(0, request.limit);
    QList<qint64> ids;
    if (plan.isEmpty()) {
        // No words: every document of the types that passes the filters, by title.
        auto total = integer(QStringLiteral("SELECT count(*) FROM search_documents d WHERE 1") + where, {});
        if (!total)
            return total.error();
        results.total = total.value();
        if (Status s = run(QStringLiteral("SELECT d.id FROM search_documents d WHERE 1") + where
                               + QStringLiteral(" ORDER BY d.sort_key, d.id LIMIT ? OFFSET ?"),
                           {}, {limit, offset}, [&](Statement &r) { ids.append(r.integer(0)); });
            !s)
            return s.error();
    } else {
        const QString fromFts = filtered ? QStringLiteral("FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid ")
                                         : QStringLiteral("FROM search_fts ");
        const auto count = [&](const QString &match) {
            return integer(QStringLiteral("SELECT count(*) ") + fromFts + QStringLiteral("WHERE search_fts MATCH ?") + where, {match});
        };
        // Ranked ids of the documents `match` finds and `skip` does not hold, from `from` on.
        const auto ranked = [&](const QString &match, const QList<qint64> &skip, qint64 from, qint64 howMany) -> Status {
            QVariantList trailing;
            QString notIn;
            if (!skip.isEmpty()) {
                notIn = QStringLiteral(" AND search_fts.rowid NOT IN (%1)").arg(placeholders(skip.size()));
                for (const qint64 id : skip)
                    trailing.append(id);
            }
            trailing << howMany << from;
            return run(QStringLiteral("SELECT search_fts.rowid, ") + Rank + QStringLiteral(" AS r ") + fromFts
                           + QStringLiteral("WHERE search_fts MATCH ?") + where + notIn
                           + QStringLiteral(" ORDER BY r, search_fts.rowid LIMIT ? OFFSET ?"),
                       {match}, trailing, [&](Statement &r) { ids.append(r.integer(0)); });
        };

        QString all = plan.allWords();
        auto total = count(all);
        if (!total)
            return total.error();
        if (total.value() == 0 && plan.words().size() > 1) {
            // No document has every word: those with the most of them, by rank.
            all = plan.anyWord();
            total = count(all);
            if (!total)
                return total.error();
            results.total = total.value();
            if (Status s = ranked(all, {}, offset, limit); !s)
                return s.error();
        } else {
            results.total = total.value();
            // Tier 1: exact names and titles.
            QList<qint64> exact;
            if (Status s = run(QStringLiteral("SELECT x.doc_id FROM search_exact x JOIN search_documents d ON d.id = x.doc_id "
                                              "WHERE x.key = ?") + where + QStringLiteral(" ORDER BY x.title, d.sort_key, d.id"),
                               {plan.exactKey()}, {}, [&](Statement &r) { exact.append(r.integer(0)); });
                !s)
                return s.error();
            for (qint64 i = offset; i < std::min<qint64>(exact.size(), offset + limit); ++i)
                ids.append(exact.at(i));
            // Then every word in names and titles; then in those or the
            // keywords (tags, owner, kind); then anywhere. Each tier holds
            // what the one before does not, ranked by bm25 within it.
            const QStringList tiers{plan.allWordsInColumns(QStringLiteral("title name")),
                                    plan.allWordsInColumns(QStringLiteral("title name keywords")), all};
            qint64 wanted = limit - ids.size();
            qint64 skip = std::max<qint64>(0, offset - exact.size());
            for (qsizetype t = 0; t < tiers.size() && wanted > 0; ++t) {
                const QString match = t == 0 ? tiers.at(0) : QStringLiteral("(%1) NOT (%2)").arg(tiers.at(t), tiers.at(t - 1));
                const QList<qint64> notThese = t == 0 ? exact : QList<qint64>();
                const qsizetype before = ids.size();
                if (Status s = ranked(match, notThese, skip, wanted); !s)
                    return s.error();
                wanted -= ids.size() - before;
                if (wanted > 0 && t + 1 < tiers.size()) {
                    // This tier is used up: how much of the offset it took.
                    auto size = count(match);
                    if (!size)
                        return size.error();
                    skip = std::max<qint64>(0, skip - (size.value() - notThese.size()));
                }
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

Result<QList<SearchHit>> SqliteCatalogStore::search(const QString &text, int limit)
{
    Search::SearchRequest request;
    request.term = text;
    request.types = {Search::catalogType()};
    request.limit = limit;
    QList<SearchHit> hits;
    if (Search::words(text).isEmpty())
        return hits;
    auto found = searchDocuments(request);
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
    Search::SearchRequest request;
    request.term = text;
    request.types = {Search::techDocsType()};
    request.limit = limit;
    request.preTag = QStringLiteral("\u0001");
    request.postTag = QStringLiteral("\u0002");
    QList<DocsSearchHit> hits;
    if (Search::words(text).isEmpty())
        return hits;
    auto found = searchDocuments(request);
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
