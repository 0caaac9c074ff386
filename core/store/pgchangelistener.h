// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QObject>

#include <memory>

class QSocketNotifier;

namespace Greenroom::Store {

namespace Internal {
class PgDatabase;
}

/*
 * Hears every change committed to a PostgreSQL store, by any replica
 * (LISTEN/NOTIFY on a connection of its own), so each replica wakes its
 * own long-polling sync clients. When the connection drops it connects
 * again, and says changed() then, as changes may have been missed.
 */
class PostgresChangeListener : public QObject
{
    Q_OBJECT

public:
    static Result<std::unique_ptr<PostgresChangeListener>> listen(const QString &conninfo, QObject *parent = nullptr);
    ~PostgresChangeListener() override;

Q_SIGNALS:
    // A commit's last change sequence (0 when unknown: after a reconnect).
    void changed(qint64 lastSequence);

private:
    explicit PostgresChangeListener(const QString &conninfo, QObject *parent);
    Status connectAndListen();
    void readNotifications();
    void reconnectLater();

    QString m_conninfo;
    std::unique_ptr<Internal::PgDatabase> m_db;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace Greenroom::Store
