// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "errorprinter.h"

namespace Greenroom::Server {

QString formatErrorLine(const Store::ProcessingErrorRecord &error)
{
    QString line = error.file.isEmpty() ? error.locationKey : error.file;
    if (error.line > 0)
        line += QLatin1Char(':') + QString::number(error.line);
    line += QStringLiteral(": ");
    if (error.level != QLatin1String("error"))
        line += error.level + QStringLiteral(": ");
    if (!error.entityRef.isEmpty())
        line += error.entityRef + QStringLiteral(": ");
    // Backstage appends a link to every field-format message; it helps nobody in a terminal.
    QString reason = error.reason.isEmpty() ? error.message : error.reason;
    const qsizetype tail = reason.indexOf(QStringLiteral(" To learn more about catalog file format"));
    if (tail > 0)
        reason.truncate(tail);
    return line + reason;
}

QJsonObject errorToJson(const Store::ProcessingErrorRecord &error)
{
    QJsonObject json{{QStringLiteral("level"), error.level},
                     {QStringLiteral("file"), error.file},
                     {QStringLiteral("line"), error.line},
                     {QStringLiteral("location"), error.locationKey},
                     {QStringLiteral("name"), error.name},
                     {QStringLiteral("message"), error.message},
                     {QStringLiteral("reason"), error.reason}};
    if (!error.entityRef.isEmpty())
        json.insert(QStringLiteral("entityRef"), error.entityRef);
    return json;
}

} // namespace Greenroom::Server
