// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <pluginapi/entityview.h>

#include <QDateTime>
#include <QJsonValue>
#include <QStringList>

#include <optional>

class QTableWidget;

namespace Greenroom::Plugins::Support {

// "12 min ago", "3 h ago", "2 days ago".
QString ago(const QDateTime &when);
// An ISO 8601 time as the desktop shows it ("2026-12-07 05:33", local); empty when it is none.
QString localTime(const QJsonValue &iso);
// A read-only table for a card, and a row of text for it.
QTableWidget *makeTable(const QStringList &headers, const QString &objectName, int maximumHeight = 200);
void appendRow(QTableWidget *table, const QStringList &cells);
// What a card says when it cannot ask: why, and how old the answer it shows from the cache is.
QString withCachedAge(const QString &why, const std::optional<PluginApi::CachedData> &cached, const QString &what);

} // namespace Greenroom::Plugins::Support
