// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entityprojection.h"

namespace Greenroom::Model {

Result<QStringList> EntityProjection::parseFields(const QStringList &parameters)
{
    QStringList fields;
    for (const QString &parameter : parameters) {
        for (const QString &part : parameter.split(QLatin1Char(','))) {
            const QString field = part.trimmed();
            if (field.isEmpty() || fields.contains(field))
                continue;
            if (field.contains(QLatin1Char('[')))
                return Error::input(QStringLiteral("Invalid field \"%1\", array type fields are not supported").arg(field));
            fields.append(field);
        }
    }
    return fields;
}

namespace {

// Copies the value at `segments` (greedy dot joining) from `source` into `target`.
void copyPath(const QJsonObject &source, const QStringList &segments, qsizetype from, QJsonObject &target)
{
    for (qsizetype end = from; end < segments.size(); ++end) {
        const QString key = segments.mid(from, end - from + 1).join(QLatin1Char('.'));
        const auto it = source.constFind(key);
        if (it == source.constEnd())
            continue;
        if (end + 1 == segments.size()) {
            target.insert(key, it.value());
            return;
        }
        if (!it.value().isObject())
            return;
        QJsonObject child = target.value(key).toObject();
        const qsizetype before = child.size();
        copyPath(it.value().toObject(), segments, end + 1, child);
        if (child.size() != before || target.contains(key))
            target.insert(key, child);
        return;
    }
}

} // namespace

QJsonObject EntityProjection::project(const QJsonObject &entity, const QStringList &fields)
{
    if (fields.isEmpty())
        return entity;
    QJsonObject result;
    for (const QString &field : fields)
        copyPath(entity, field.split(QLatin1Char('.')), 0, result);
    return result;
}

} // namespace Greenroom::Model
