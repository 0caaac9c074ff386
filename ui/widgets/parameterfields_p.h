// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// What the parameter form (parameterform.cpp) and its field builders
// (parameterfields.cpp) share.

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace Greenroom::Ui::ParameterFields {

inline QString text(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return {};
}

// `ui:field: Secret`: the answer goes to the task's secrets, not its parameters.
inline bool isSecret(const QJsonObject &schema)
{
    return schema.value(QLatin1String("ui:field")).toString() == QLatin1String("Secret");
}

} // namespace Greenroom::Ui::ParameterFields
