// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitypresentation.h"

namespace Greenroom::Ui::EntityPresentation {

QString displayName(const QJsonObject &entity)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    const QString title = metadata.value(QLatin1String("title")).toString();
    return title.isEmpty() ? metadata.value(QLatin1String("name")).toString() : title;
}

QString kindOf(const QString &ref)
{
    return ref.section(QLatin1Char(':'), 0, 0).toLower();
}

} // namespace Greenroom::Ui::EntityPresentation
