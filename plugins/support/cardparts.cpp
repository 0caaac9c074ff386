// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "cardparts.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QTableWidget>

namespace Greenroom::Plugins::Support {

QString ago(const QDateTime &when)
{
    const qint64 minutes = when.secsTo(QDateTime::currentDateTime()) / 60;
    if (minutes < 60)
        return QCoreApplication::translate("Plugins", "%1 min ago").arg(minutes);
    if (minutes < 60 * 24)
        return QCoreApplication::translate("Plugins", "%1 h ago").arg(minutes / 60);
    return QCoreApplication::translate("Plugins", "%1 days ago").arg(minutes / (60 * 24));
}

QString localTime(const QJsonValue &iso)
{
    const QDateTime time = QDateTime::fromString(iso.toString(), Qt::ISODate);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QTableWidget *makeTable(const QStringList &headers, const QString &objectName, int maximumHeight)
{
    auto *table = new QTableWidget(0, int(headers.size()));
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setMaximumHeight(maximumHeight);
    return table;
}

void appendRow(QTableWidget *table, const QStringList &cells)
{
    const int row = table->rowCount();
    table->insertRow(row);
    for (int column = 0; column < cells.size(); ++column)
        table->setItem(row, column, new QTableWidgetItem(cells.at(column)));
}

QString withCachedAge(const QString &why, const std::optional<PluginApi::CachedData> &cached, const QString &what)
{
    return cached ? QCoreApplication::translate("Plugins", "%1\nShowing %2 as of %3.").arg(why, what, ago(cached->storedAt)) : why;
}

} // namespace Greenroom::Plugins::Support
