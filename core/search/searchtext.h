// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace Greenroom::Search {

/*
 * Words the way the index sees them. The store's FTS5 tables use the
 * unicode61 tokenizer with remove_diacritics 2: a word is a run of letters
 * and digits, folded to lower case without accents. Query terms, exact-name
 * keys and highlights must cut and fold text exactly as it does, or a word
 * that matched would not be marked, or an exact name would not be found.
 */
struct Word
{
    QString folded;         // lower case, accents removed
    qsizetype start = 0;    // where it is in the text given, in UTF-16 units
    qsizetype length = 0;
};

QList<Word> words(QStringView text);
// The folded words of `text` joined by single spaces: "Payment-Gateway" and
// "payment gateway" both give "payment gateway".
QString wordKey(QStringView text);
// Lower case without accents, for filter values and sort keys.
QString folded(QStringView text);

// The optimal-string-alignment distance between `a` and `b` (insertions,
// deletions, substitutions and swaps of neighbours each cost one), or
// `limit + 1` as soon as it is known to be larger than `limit`.
int editDistance(QStringView a, QStringView b, int limit);

} // namespace Greenroom::Search
