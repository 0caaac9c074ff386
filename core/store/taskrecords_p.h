// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "taskstore.h"

// What both stores' task tables share: how times and specs are stored and
// how an event log is trimmed after a start-over retry.
namespace Greenroom::Store::Internal {

// ISO 8601 UTC with milliseconds: sorts as time in a text column.
QString isoTime(const QDateTime &time);
QString now();
QDateTime parseTime(const QString &text);
QByteArray compact(const QJsonObject &object);
// completed, failed or cancelled.
bool isEndStatus(const QString &status);
// When the last `recovered` event says startOver, only it and what follows
// (none when it is the last), as upstream trims a retried task's log.
QList<TaskEventRecord> sinceLastStartOver(QList<TaskEventRecord> events);
// The columns listTasks may order by.
bool isTaskOrderField(const QString &field);

} // namespace Greenroom::Store::Internal
