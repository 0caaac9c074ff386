// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pgchangelistener.h"

#include "pgdatabase_p.h"

#include <QSocketNotifier>
#include <QTimer>

namespace Greenroom::Store {

using namespace Internal;

PostgresChangeListener::PostgresChangeListener(const QString &conninfo, QObject *parent) : QObject(parent), m_conninfo(conninfo) {}

PostgresChangeListener::~PostgresChangeListener() = default;

Result<std::unique_ptr<PostgresChangeListener>> PostgresChangeListener::listen(const QString &conninfo, QObject *parent)
{
    std::unique_ptr<PostgresChangeListener> listener(new PostgresChangeListener(conninfo, parent));
    if (Status s = listener->connectAndListen(); !s)
        return s.error();
    return listener;
}

Status PostgresChangeListener::connectAndListen()
{
    m_notifier.reset();
    m_db = std::make_unique<PgDatabase>();
    if (Status s = m_db->open(m_conninfo); !s)
        return s;
    if (Status s = m_db->exec(QStringLiteral("LISTEN ") + QString::fromLatin1(ChangesChannel)); !s)
        return s;
    m_notifier = std::make_unique<QSocketNotifier>(PQsocket(m_db->handle()), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &PostgresChangeListener::readNotifications);
    return Ok{};
}

void PostgresChangeListener::readNotifications()
{
    PGconn *conn = m_db->handle();
    if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK) {
        reconnectLater();
        return;
    }
    qint64 last = -1;
    while (PGnotify *notice = PQnotifies(conn)) {
        last = std::max(last, QByteArray(notice->extra).toLongLong());
        PQfreemem(notice);
    }
    if (last >= 0)
        Q_EMIT changed(last);
}

void PostgresChangeListener::reconnectLater()
{
    m_notifier.reset();
    QTimer::singleShot(2000, this, [this] {
        if (Status s = connectAndListen(); !s) {
            reconnectLater();
            return;
        }
        Q_EMIT changed(0);   // what was committed meanwhile went unheard
    });
}

} // namespace Greenroom::Store
