// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "taskrecords_p.h"

#include <QJsonDocument>

namespace Greenroom::Store {

namespace Internal {

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString now()
{
    return isoTime(QDateTime::currentDateTimeUtc());
}

QDateTime parseTime(const QString &text)
{
    return text.isEmpty() ? QDateTime() : QDateTime::fromString(text, Qt::ISODateWithMs);
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool isEndStatus(const QString &status)
{
    return status == QLatin1String("completed") || status == QLatin1String("failed") || status == QLatin1String("cancelled");
}

QList<TaskEventRecord> sinceLastStartOver(QList<TaskEventRecord> events)
{
    for (qsizetype i = events.size() - 1; i >= 0; --i) {
        if (events.at(i).type != QLatin1String("recovered"))
            continue;
        if (events.at(i).body.value(QLatin1String("recoverStrategy")).toString() == QLatin1String("startOver"))
            events = i == events.size() - 1 ? QList<TaskEventRecord>() : events.mid(i);
        break;
    }
    return events;
}

bool isTaskOrderField(const QString &field)
{
    return field == QLatin1String("created_at") || field == QLatin1String("status") || field == QLatin1String("created_by");
}

} // namespace Internal

using Internal::isoTime;

QJsonObject TaskRecord::toJson() const
{
    QJsonObject json{{QStringLiteral("id"), id},
                     {QStringLiteral("spec"), spec},
                     {QStringLiteral("status"), status},
                     {QStringLiteral("createdAt"), isoTime(createdAt)},
                     {QStringLiteral("lastHeartbeatAt"), lastHeartbeatAt.isValid() ? QJsonValue(isoTime(lastHeartbeatAt)) : QJsonValue()}};
    if (!createdBy.isEmpty())
        json.insert(QStringLiteral("createdBy"), createdBy);
    return json;
}

QJsonObject TaskEventRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("taskId"), taskId},
            {QStringLiteral("body"), body},
            {QStringLiteral("type"), type},
            {QStringLiteral("createdAt"), isoTime(createdAt)}};
}

} // namespace Greenroom::Store
