// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "emojiindex.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::Docs {

namespace {

QString stripColons(const QString &shortname)
{
    return shortname.size() > 2 && shortname.startsWith(QLatin1Char(':')) && shortname.endsWith(QLatin1Char(':'))
               ? shortname.mid(1, shortname.size() - 2) : QString();
}

QHash<QString, QString> loadIndex()
{
    QHash<QString, QString> index;
    QFile file(QStringLiteral(":/greenroom/docs/emojione-index.json"));
    if (!file.open(QIODevice::ReadOnly))
        return index;
    const QJsonObject entries = QJsonDocument::fromJson(file.readAll()).object();
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        const QString character = entry.value(QStringLiteral("moji")).toString();
        if (character.isEmpty())
            continue;
        const QString name = stripColons(entry.value(QStringLiteral("shortname")).toString());
        if (!name.isEmpty())
            index.insert(name, character);
        for (const QJsonValue &alias : entry.value(QStringLiteral("aliases")).toArray()) {
            const QString aliasName = stripColons(alias.toString());
            if (!aliasName.isEmpty() && !index.contains(aliasName))
                index.insert(aliasName, character);
        }
    }
    return index;
}

} // namespace

QString emojiForShortcode(QStringView name)
{
    static const QHash<QString, QString> index = loadIndex();
    return index.value(name.toString());
}

} // namespace Greenroom::Docs
