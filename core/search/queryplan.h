// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace Greenroom::Search {

// What the plan may ask of the index's vocabulary (the store answers from FTS5).
struct Vocabulary
{
    // Whether some indexed word starts with `prefix`.
    std::function<bool(const QString &prefix)> hasPrefix;
    // Indexed words w with from <= w < to, each with the number of documents that have it.
    std::function<QList<std::pair<QString, qint64>>(const QString &from, const QString &to)> range;
};

// One way a query word may match an indexed word.
struct WordMatch
{
    QString word;
    bool prefix = false;   // any indexed word starting with `word`
};

struct QueryWord
{
    QString text;                 // folded, as typed
    QList<WordMatch> matches;     // itself, as a prefix, its singular, then corrections
    QStringList corrections;      // words it was taken to be a typo of
};

/*
 * How a search term becomes FTS5 queries. Each word matches whole, the last
 * one (the one being typed) as a prefix too (results as you type; earlier
 * words are done, and a prefix of a common word costs a read of every word
 * it begins), its singular ("services" finds "service"), and
 * when the vocabulary is given and no indexed word starts with it, the
 * indexed words it is a typo of (the store asks for them only when the
 * words as typed find nothing): one edit away for words of four to seven
 * letters, two from eight on, never for shorter ones. So a correct word is never drowned by look-alikes
 * (Lunr's edit-distance-2 clause finds "Store" for "stars"), and a word that
 * exists nowhere still finds what it was meant to.
 *
 * Candidates for a typo share the word's first two letters, in either order;
 * a typo in those is not corrected (a full scan of the vocabulary per word
 * would cost more than the rest of the search).
 *
 * User text is never FTS5 syntax: every word is a quoted string.
 */
class QueryPlan
{
public:
    static QueryPlan build(const QString &term, const Vocabulary &vocabulary);

    bool isEmpty() const { return m_words.isEmpty(); }
    const QList<QueryWord> &words() const { return m_words; }
    // The term's words joined by spaces: compared with documents' exact keys.
    QString exactKey() const;

    // FTS5 expressions: every word somewhere; every word in `columns`
    // ("title name"); at least one word (the fallback when no document has
    // all). For ranking, each word is also asked for whole, so that bm25
    // counts a whole word twice; to find or count documents that adds
    // nothing but work.
    enum class Use { Find, Rank };
    QString allWords(Use use = Use::Find) const;
    QString allWordsInColumns(const QString &columns, Use use = Use::Find) const;
    QString anyWord(Use use = Use::Find) const;

    // Whether a document's folded word is one the query matched.
    bool matches(const QString &foldedWord) const;
    // `text` with every matched word wrapped in pre/post; `found` tells whether any was.
    QString highlighted(const QString &text, const QString &pre, const QString &post, bool *found) const;

private:
    QString wordExpression(const QueryWord &word, Use use) const;
    QList<QueryWord> m_words;
};

} // namespace Greenroom::Search
