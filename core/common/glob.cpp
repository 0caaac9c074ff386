// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "glob.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

namespace Greenroom::Glob {

bool hasGlobCharacters(const QString &path)
{
    return path.contains(QLatin1Char('*')) || path.contains(QLatin1Char('?')) || path.contains(QLatin1Char('{'))
           || path.contains(QLatin1Char('['));
}

QRegularExpression globToRegularExpression(const QString &glob, Qt::CaseSensitivity cs)
{
    QString rx = QStringLiteral("^");
    bool inAlternatives = false;
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (c == QLatin1Char('*')) {
            if (i + 1 < glob.size() && glob.at(i + 1) == QLatin1Char('*')) {
                ++i;
                if (i + 1 < glob.size() && glob.at(i + 1) == QLatin1Char('/')) {
                    ++i;
                    rx += QStringLiteral("(?:.*/)?");   // zero or more whole directories
                } else {
                    rx += QStringLiteral(".*");
                }
            } else {
                rx += QStringLiteral("[^/]*");
            }
        } else if (c == QLatin1Char('?')) {
            rx += QStringLiteral("[^/]");
        } else if (c == QLatin1Char('{')) {
            inAlternatives = true;
            rx += QStringLiteral("(?:");
        } else if (c == QLatin1Char('}') && inAlternatives) {
            inAlternatives = false;
            rx += QLatin1Char(')');
        } else if (c == QLatin1Char(',') && inAlternatives) {
            rx += QLatin1Char('|');
        } else {
            rx += QRegularExpression::escape(QString(c));
        }
    }
    rx += QLatin1Char('$');
    return QRegularExpression(rx, cs == Qt::CaseInsensitive ? QRegularExpression::CaseInsensitiveOption
                                                             : QRegularExpression::NoPatternOption);
}

QStringList expandFileGlob(const QString &absoluteGlob)
{
    const QString glob = QDir::cleanPath(absoluteGlob);
    if (!hasGlobCharacters(glob))
        return QFileInfo(glob).isFile() ? QStringList{glob} : QStringList{};
    // Walk from the deepest directory that has no glob characters.
    const QStringList segments = glob.split(QLatin1Char('/'));
    QStringList fixed;
    for (const QString &segment : segments) {
        if (hasGlobCharacters(segment))
            break;
        fixed.append(segment);
    }
    const QString root = fixed.join(QLatin1Char('/'));
    const QRegularExpression matcher = globToRegularExpression(glob);
    QStringList matches;
    QDirIterator it(root.isEmpty() ? QStringLiteral("/") : root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (matcher.match(path).hasMatch())
            matches.append(path);
    }
    matches.sort();
    return matches;
}

} // namespace Greenroom::Glob
