// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "relation.h"

#include <QJsonArray>

namespace Greenroom::Model {

QStringList relationTargets(const QJsonObject &entity, const QString &type, const QString &targetKind)
{
    const QString kindPrefix = targetKind + QLatin1Char(':');
    QStringList targets;
    for (const QJsonValue &relation : entity.value(QLatin1String("relations")).toArray()) {
        if (relation[QLatin1String("type")].toString() != type)
            continue;
        const QString target = relation[QLatin1String("targetRef")].toString();
        if (!target.isEmpty() && (targetKind.isEmpty() || target.startsWith(kindPrefix, Qt::CaseInsensitive)))
            targets.append(target);
    }
    targets.sort();
    targets.removeDuplicates();
    return targets;
}

} // namespace Greenroom::Model
