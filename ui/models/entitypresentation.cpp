// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitypresentation.h"

#include <model/entityref.h>

#include <QJsonArray>

namespace Greenroom::Ui::EntityPresentation {

QString humanizeRef(const QString &ref, const QString &defaultKind)
{
    return Model::EntityRef::humanize(ref, defaultKind);
}

QString displayName(const QJsonObject &entity)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QString title = metadata.value(QLatin1String("title")).toString();
    return title.isEmpty() ? metadata.value(QLatin1String("name")).toString() : title;
}

QStringList relationTargets(const QJsonObject &entity, const QString &type, const QString &targetKind)
{
    QStringList targets;
    for (const QJsonValue &relation : entity.value(QLatin1String("relations")).toArray()) {
        if (relation[QLatin1String("type")].toString() != type)
            continue;
        const QString target = relation[QLatin1String("targetRef")].toString();
        if (targetKind.isEmpty() || kindOf(target) == targetKind.toLower())
            targets.append(target);
    }
    targets.sort();
    targets.removeDuplicates();
    return targets;
}

QString refOf(const QJsonObject &entity)
{
    return Model::EntityRef::canonical(entity);
}

QString kindOf(const QString &ref)
{
    return ref.section(QLatin1Char(':'), 0, 0).toLower();
}

} // namespace Greenroom::Ui::EntityPresentation
