// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "listing_p.h"

#include <model/entityref.h>
#include <model/relation.h>

#include <QJsonArray>

namespace Greenroom::Store::Internal {

namespace {

QString humanized(const QStringList &refs, const QString &defaultKind)
{
    QStringList shown;
    for (const QString &ref : refs)
        shown.append(Model::EntityRef::humanize(ref, defaultKind));
    return shown.join(QStringLiteral(", "));
}

} // namespace

ListingValues listingOf(const QJsonObject &entity)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QJsonObject spec = entity.value(QLatin1String("spec")).toObject();
    ListingValues v;
    v.kind = entity.value(QLatin1String("kind")).toString().toLower();
    v.namespaceName = metadata.value(QLatin1String("namespace")).toString(QStringLiteral("default")).toLower();
    v.name = metadata.value(QLatin1String("name")).toString().toLower();
    v.title = metadata.value(QLatin1String("title")).toString();
    if (v.title.isEmpty())
        v.title = metadata.value(QLatin1String("name")).toString();
    v.system = humanized(Model::relationTargets(entity, QStringLiteral("partOf"), QStringLiteral("system")), QStringLiteral("system"));
    const QStringList owners = Model::relationTargets(entity, QStringLiteral("ownedBy"));
    v.owner = humanized(owners, QStringLiteral("group"));
    v.ownerRefs = owners.isEmpty() ? QString() : QLatin1Char(',') + owners.join(QLatin1Char(',')).toLower() + QLatin1Char(',');
    v.type = spec.value(QLatin1String("type")).toString();
    v.lifecycle = spec.value(QLatin1String("lifecycle")).toString();
    v.description = metadata.value(QLatin1String("description")).toString();
    QStringList tags;
    for (const QJsonValue &tag : metadata.value(QLatin1String("tags")).toArray()) {
        tags.append(tag.toString());
        if (!v.tagList.contains(tag.toString().toLower()))
            v.tagList.append(tag.toString().toLower());
    }
    v.tags = tags.join(QStringLiteral(", "));
    // What a person may type to find the row: every cell's text.
    v.haystack = QStringList{metadata.value(QLatin1String("name")).toString(), v.title, v.system, v.owner, v.type,
                             v.lifecycle, v.description, v.tags}.join(QLatin1Char('\n')).toLower();
    // The columns are NOT NULL: an absent value is an empty cell.
    for (QString *cell : {&v.kind, &v.namespaceName, &v.name, &v.title, &v.system, &v.owner, &v.ownerRefs,
                          &v.type, &v.lifecycle, &v.description, &v.tags, &v.haystack}) {
        if (cell->isNull())
            *cell = QStringLiteral("");
    }
    return v;
}

} // namespace Greenroom::Store::Internal
