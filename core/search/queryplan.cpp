// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "queryplan.h"

#include "searchtext.h"

#include <algorithm>

namespace Greenroom::Search {

namespace {

constexpr int MaxWords = 12;
constexpr int MaxCorrections = 4;
constexpr qsizetype MinTypoLength = 4;
constexpr qsizetype MinSingularLength = 4;

int allowedEdits(qsizetype length)
{
    if (length < MinTypoLength)
        return 0;
    return length >= 8 ? 2 : 1;
}

QString quoted(const QString &word)
{
    QString text = word;
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

// The first string after every string starting with `prefix`.
QString prefixEnd(const QString &prefix)
{
    QString end = prefix;
    end[end.size() - 1] = QChar(char16_t(end.back().unicode() + 1));
    return end;
}

QStringList corrections(const QString &word, const Vocabulary &vocabulary)
{
    const int limit = allowedEdits(word.size());
    if (limit == 0 || !vocabulary.range || !vocabulary.hasPrefix || vocabulary.hasPrefix(word))
        return {};
    struct Candidate
    {
        QString word;
        int distance;
        qint64 documents;
    };
    QList<Candidate> candidates;
    QStringList starts{word.left(2)};
    const QString swapped = QString(word.at(1)) + word.at(0);
    if (swapped != starts.first())
        starts.append(swapped);
    for (const QString &start : std::as_const(starts)) {
        for (const auto &[candidate, documents] : vocabulary.range(start, prefixEnd(start))) {
            const int distance = editDistance(word, candidate, limit);
            if (distance <= limit)
                candidates.append({candidate, distance, documents});
        }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
        if (a.distance != b.distance)
            return a.distance < b.distance;
        if (a.documents != b.documents)
            return a.documents > b.documents;
        return a.word < b.word;
    });
    QStringList chosen;
    for (const Candidate &candidate : std::as_const(candidates)) {
        if (chosen.size() == MaxCorrections)
            break;
        chosen.append(candidate.word);
    }
    return chosen;
}

} // namespace

QueryPlan QueryPlan::build(const QString &term, const Vocabulary &vocabulary)
{
    QueryPlan plan;
    QStringList seen;
    const QList<Word> typed = Search::words(term);
    for (qsizetype i = 0; i < typed.size(); ++i) {
        const Word &word = typed.at(i);
        if (plan.m_words.size() == MaxWords)
            break;
        if (seen.contains(word.folded))
            continue;
        seen.append(word.folded);
        // The word itself; the last one (being typed) also as a prefix, so
        // that a document with the whole word matches twice and ranks above
        // one with only longer words ("acquirer" before "acquirers").
        QueryWord queryWord{word.folded, {{word.folded, false}}, {}};
        if (i == typed.size() - 1)
            queryWord.matches.append({word.folded, true});
        const QString &w = word.folded;
        if (w.size() >= MinSingularLength && w.endsWith(QLatin1Char('s')) && !w.endsWith(QLatin1String("ss"))) {
            queryWord.matches.append({w.chopped(1), false});
            if (w.endsWith(QLatin1String("ies")))
                queryWord.matches.append({w.chopped(3) + QLatin1Char('y'), false});
        }
        queryWord.corrections = corrections(w, vocabulary);
        for (const QString &correction : std::as_const(queryWord.corrections))
            queryWord.matches.append({correction, false});
        plan.m_words.append(queryWord);
    }
    return plan;
}

QString QueryPlan::exactKey() const
{
    QStringList texts;
    for (const QueryWord &word : m_words)
        texts.append(word.text);
    return texts.join(QLatin1Char(' '));
}

QString QueryPlan::wordExpression(const QueryWord &word, Use use) const
{
    QStringList alternatives;
    const bool asPrefix = std::any_of(word.matches.cbegin(), word.matches.cend(), [&](const WordMatch &m) {
        return m.prefix && m.word == word.text;
    });
    for (const WordMatch &match : word.matches) {
        // The word whole is in the word as a prefix: only ranking wants it.
        if (use == Use::Find && asPrefix && !match.prefix && match.word == word.text)
            continue;
        alternatives.append(quoted(match.word) + (match.prefix ? QStringLiteral("*") : QString()));
    }
    return QLatin1Char('(') + alternatives.join(QStringLiteral(" OR ")) + QLatin1Char(')');
}

QString QueryPlan::allWords(Use use) const
{
    QStringList parts;
    for (const QueryWord &word : m_words)
        parts.append(wordExpression(word, use));
    return parts.join(QStringLiteral(" AND "));
}

QString QueryPlan::allWordsInColumns(const QString &columns, Use use) const
{
    QStringList parts;
    for (const QueryWord &word : m_words)
        parts.append(QStringLiteral("{%1} : ").arg(columns) + wordExpression(word, use));
    return parts.join(QStringLiteral(" AND "));
}

QString QueryPlan::anyWord(Use use) const
{
    QStringList parts;
    for (const QueryWord &word : m_words)
        parts.append(wordExpression(word, use));
    return parts.join(QStringLiteral(" OR "));
}

bool QueryPlan::matches(const QString &foldedWord) const
{
    for (const QueryWord &word : m_words) {
        for (const WordMatch &match : word.matches) {
            if (match.prefix ? foldedWord.startsWith(match.word) : foldedWord == match.word)
                return true;
        }
    }
    return false;
}

QString QueryPlan::highlighted(const QString &text, const QString &pre, const QString &post, bool *found) const
{
    QString out;
    qsizetype copied = 0;
    bool any = false;
    for (const Word &word : Search::words(text)) {
        if (!matches(word.folded))
            continue;
        out.append(QStringView(text).mid(copied, word.start - copied));
        out.append(pre).append(QStringView(text).mid(word.start, word.length)).append(post);
        copied = word.start + word.length;
        any = true;
    }
    out.append(QStringView(text).mid(copied));
    if (found)
        *found = any;
    return out;
}

} // namespace Greenroom::Search
