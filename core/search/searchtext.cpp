// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "searchtext.h"

#include <algorithm>
#include <vector>

namespace Greenroom::Search {

namespace {

bool isWordCharacter(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Number_DecimalDigit:
    case QChar::Number_Letter:
    case QChar::Number_Other:
    case QChar::Other_PrivateUse:
        return true;
    default:
        return false;
    }
}

bool isDiacritic(char32_t c)
{
    const QChar::Category category = QChar::category(c);
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining
        || category == QChar::Mark_Enclosing;
}

// One character folded: lower case, and a letter with accents becomes its
// base letter (what canonical decomposition puts first).
void appendFolded(QString &out, char32_t c)
{
    if (c < 0x80) {
        out.append(QChar(char16_t(c >= 'A' && c <= 'Z' ? c + 32 : c)));
        return;
    }
    const QString decomposed = QString::fromUcs4(&c, 1).normalized(QString::NormalizationForm_D);
    for (const char32_t part : decomposed.toUcs4()) {
        if (!isDiacritic(part)) {
            const char32_t lower = QChar::toLower(part);
            out.append(QString::fromUcs4(&lower, 1));
        }
    }
}

} // namespace

QList<Word> words(QStringView text)
{
    QList<Word> found;
    Word current;
    bool inWord = false;
    qsizetype i = 0;
    while (i < text.size()) {
        char32_t c = text[i].unicode();
        qsizetype width = 1;
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            width = 2;
        }
        // Marks inside a word belong to it (they fold away); elsewhere they separate.
        if (isWordCharacter(c) || (inWord && isDiacritic(c))) {
            if (!inWord) {
                current = Word{QString(), i, 0};
                inWord = true;
            }
            appendFolded(current.folded, c);
            current.length = i + width - current.start;
        } else if (inWord) {
            if (!current.folded.isEmpty())
                found.append(current);
            inWord = false;
        }
        i += width;
    }
    if (inWord && !current.folded.isEmpty())
        found.append(current);
    return found;
}

QString wordKey(QStringView text)
{
    QString key;
    for (const Word &word : words(text)) {
        if (!key.isEmpty())
            key.append(QLatin1Char(' '));
        key.append(word.folded);
    }
    return key;
}

QString folded(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (const char32_t c : text.toUcs4())
        appendFolded(out, c);
    return out;
}

int editDistance(QStringView a, QStringView b, int limit)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    if (std::abs(n - m) > limit)
        return limit + 1;
    // Three rows of the dynamic programme: the one before the previous is
    // what a swap of neighbours looks back to.
    std::vector<int> before(size_t(m + 1)), previous(size_t(m + 1)), current(size_t(m + 1));
    for (qsizetype j = 0; j <= m; ++j)
        previous[size_t(j)] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        current[0] = int(i);
        int rowBest = current[0];
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int value = std::min({previous[size_t(j)] + 1, current[size_t(j - 1)] + 1, previous[size_t(j - 1)] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                value = std::min(value, before[size_t(j - 2)] + 1);
            current[size_t(j)] = value;
            rowBest = std::min(rowBest, value);
        }
        if (rowBest > limit)
            return limit + 1;
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return std::min(previous[size_t(m)], limit + 1);
}

} // namespace Greenroom::Search
