// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docssites_p.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Greenroom::Store::Internal {

namespace {

const QString SearchIndexPath = QStringLiteral("search/search_index.json");

} // namespace

QString siteEtag(QList<DocsFile> files)
{
    std::sort(files.begin(), files.end(), [](const DocsFile &a, const DocsFile &b) { return a.path < b.path; });
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const DocsFile &file : std::as_const(files)) {
        hash.addData(file.path.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
        hash.addData(QByteArray::number(file.content.size()));
        hash.addData(QByteArrayView("\0", 1));
        hash.addData(file.content);
    }
    return QString::fromLatin1(hash.result().toHex());
}

QList<DocsSection> sectionsOf(const QList<DocsFile> &files)
{
    QList<DocsSection> sections;
    const auto index = std::find_if(files.cbegin(), files.cend(), [](const DocsFile &f) { return f.path == SearchIndexPath; });
    if (index == files.cend())
        return sections;
    const QJsonArray docs = QJsonDocument::fromJson(index->content).object().value(QLatin1String("docs")).toArray();
    QHash<QString, QString> pageTitles;
    for (const QJsonValue &value : docs) {
        const QJsonObject doc = value.toObject();
        const QString location = doc.value(QLatin1String("location")).toString();
        const QString title = doc.value(QLatin1String("title")).toString();
        if (!location.contains(QLatin1Char('#')))
            pageTitles.insert(location, title);
        sections.append({location, title, QString(), doc.value(QLatin1String("text")).toString()});
    }
    for (DocsSection &section : sections)
        section.pageTitle = pageTitles.value(section.location.section(QLatin1Char('#'), 0, 0), section.title);
    return sections;
}

} // namespace Greenroom::Store::Internal
