// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Scaffolder tasks on PostgreSQL (TaskStore) and the auth backend's lasting
// state (AuthStateStore): the tables of migration 2.
#include "postgrescatalogstore.h"

#include "postgrescatalogstore_p.h"
#include "taskrecords_p.h"

#include <QJsonDocument>

namespace Greenroom::Store {

using namespace Internal;

namespace {

#define PG_TASK_COLUMNS "id, spec, status, created_by, created_at, last_heartbeat_at"
#define PG_EVENT_COLUMNS "id, task_id, event_type, body, created_at"

TaskRecord taskFromRow(const PgRows &rows, int row)
{
    TaskRecord task;
    task.id = rows.text(row, 0);
    task.spec = QJsonDocument::fromJson(rows.bytes(row, 1)).object();
    task.status = rows.text(row, 2);
    task.createdBy = rows.text(row, 3);
    task.createdAt = parseTime(rows.text(row, 4));
    task.lastHeartbeatAt = parseTime(rows.text(row, 5));
    return task;
}

TaskEventRecord eventFromRow(const PgRows &rows, int row)
{
    return {rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2), QJsonDocument::fromJson(rows.bytes(row, 3)).object(),
            parseTime(rows.text(row, 4))};
}

Status done(const Result<PgRows> &result)
{
    return result ? Status(Ok{}) : Status(result.error());
}

} // namespace

Status PostgresCatalogStore::createTask(const TaskRecord &task)
{
    auto inserted = d->db.query(QStringLiteral("INSERT INTO tasks(" PG_TASK_COLUMNS ") VALUES (?,?,?,?,?,?)"),
                                {task.id, compact(task.spec), task.status.isEmpty() ? QStringLiteral("open") : task.status,
                                 task.createdBy.isEmpty() ? QString() : task.createdBy,
                                 isoTime(task.createdAt.isValid() ? task.createdAt : QDateTime::currentDateTimeUtc()),
                                 task.lastHeartbeatAt.isValid() ? isoTime(task.lastHeartbeatAt) : QString()});
    if (!inserted)
        return Error::internal(QStringLiteral("Cannot store task %1: %2").arg(task.id, inserted.error().message));
    return Ok{};
}

Result<bool> PostgresCatalogStore::claimTask(const QString &id)
{
    auto claimed = d->db.query(QStringLiteral("UPDATE tasks SET status = 'processing', last_heartbeat_at = ? WHERE id = ? AND status = 'open'"),
                               {now(), id});
    if (!claimed)
        return claimed.error();
    return claimed->affected() == 1;
}

Status PostgresCatalogStore::heartbeatTask(const QString &id)
{
    return done(d->db.query(QStringLiteral("UPDATE tasks SET last_heartbeat_at = ? WHERE id = ? AND status = 'processing'"), {now(), id}));
}

Result<bool> PostgresCatalogStore::markTask(const QString &id, const QString &status)
{
    auto marked = d->db.query(QStringLiteral("UPDATE tasks SET status = ? WHERE id = ? AND status IN ('open', 'processing')"), {status, id});
    if (!marked)
        return marked.error();
    return marked->affected() == 1;
}

Result<TaskEventRecord> PostgresCatalogStore::appendTaskEvent(const QString &taskId, const QString &type, const QJsonObject &body)
{
    TaskEventRecord event{0, taskId, type, body, QDateTime::currentDateTimeUtc()};
    auto id = d->db.integer(QStringLiteral("INSERT INTO task_events(task_id, event_type, body, created_at) VALUES (?,?,?,?) RETURNING id"),
                            {taskId, type, compact(body), isoTime(event.createdAt)});
    if (!id)
        return Error::internal(QStringLiteral("Cannot store an event of task %1: %2").arg(taskId, id.error().message));
    event.id = id.value();
    return event;
}

Result<TaskEventRecord> PostgresCatalogStore::completeTask(const QString &taskId, const QString &status, const QJsonObject &body)
{
    if (!isEndStatus(status))
        return Error::input(QStringLiteral("Invalid status update of run '%1' to status '%2'").arg(taskId, status));
    PgTransaction tx(d->db);
    if (Status s = tx.begin(false); !s)
        return s.error();
    auto event = appendTaskEvent(taskId, QStringLiteral("completion"), body);
    if (!event)
        return event.error();
    // A cancelled task stays cancelled whatever its worker reports.
    if (Status s = done(d->db.query(QStringLiteral("UPDATE tasks SET status = ? WHERE id = ? AND status IN ('open', 'processing')"),
                                    {status, taskId}));
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return event;
}

std::optional<TaskRecord> PostgresCatalogStore::task(const QString &id)
{
    auto rows = d->db.query(QStringLiteral("SELECT " PG_TASK_COLUMNS " FROM tasks WHERE id = ?"), {id});
    if (!rows || rows->size() == 0)
        return std::nullopt;
    return taskFromRow(rows.value(), 0);
}

Result<QList<TaskRecord>> PostgresCatalogStore::listTasks(const TaskQuery &query, int *total)
{
    SqlCondition where;
    const auto anyOf = [&where](const char *column, const QStringList &values) {
        if (!values.isEmpty())
            where.andWith(QStringLiteral("%1 IN (%2)").arg(QLatin1String(column), placeholders(values.size())),
                          QVariantList(values.cbegin(), values.cend()));
    };
    anyOf("created_by", query.createdBy);
    anyOf("status", query.status);
    if (!isTaskOrderField(query.orderField))
        return Error::input(QStringLiteral("Invalid order field \"%1\"").arg(query.orderField));
    const QString whereSql = where.sql.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.sql;
    auto count = d->db.integer(QStringLiteral("SELECT count(*) FROM tasks") + whereSql, where.params);
    if (!count)
        return count.error();
    if (total)
        *total = int(count.value());
    // Ties keep creation order, so a page boundary never repeats a task.
    QString sql = QStringLiteral("SELECT " PG_TASK_COLUMNS " FROM tasks%1 ORDER BY %2 %3, created_at, id")
                      .arg(whereSql, query.orderField, query.descending ? QStringLiteral("DESC NULLS LAST") : QStringLiteral("ASC NULLS FIRST"));
    QVariantList params = where.params;
    if (query.limit >= 0) {
        sql += QStringLiteral(" LIMIT ?");
        params.append(qint64(query.limit));
    }
    sql += QStringLiteral(" OFFSET ?");
    params.append(qint64(query.offset));
    auto rows = d->db.query(sql, params);
    if (!rows)
        return rows.error();
    QList<TaskRecord> tasks;
    for (int i = 0; i < rows->size(); ++i)
        tasks.append(taskFromRow(rows.value(), i));
    return tasks;
}

Result<QList<TaskEventRecord>> PostgresCatalogStore::taskEvents(const QString &taskId, std::optional<qint64> after)
{
    auto rows = after ? d->db.query(QStringLiteral("SELECT " PG_EVENT_COLUMNS " FROM task_events WHERE task_id = ? "
                                                   "AND (id > ? OR event_type = 'completion') ORDER BY id"),
                                    {taskId, *after})
                      : d->db.query(QStringLiteral("SELECT " PG_EVENT_COLUMNS " FROM task_events WHERE task_id = ? ORDER BY id"), {taskId});
    if (!rows)
        return rows.error();
    QList<TaskEventRecord> events;
    for (int i = 0; i < rows->size(); ++i)
        events.append(eventFromRow(rows.value(), i));
    return sinceLastStartOver(std::move(events));
}

Result<QStringList> PostgresCatalogStore::unfinishedTasks(const QDateTime &quietSince)
{
    auto rows = quietSince.isValid()
                    ? d->db.query(QStringLiteral("SELECT id FROM tasks WHERE status IN ('open', 'processing') "
                                                 "AND coalesce(last_heartbeat_at, created_at) < ? ORDER BY created_at, id"),
                                  {isoTime(quietSince)})
                    : d->db.query(QStringLiteral("SELECT id FROM tasks WHERE status IN ('open', 'processing') ORDER BY created_at, id"));
    if (!rows)
        return rows.error();
    QStringList ids;
    for (int i = 0; i < rows->size(); ++i)
        ids.append(rows->text(i, 0));
    return ids;
}

Result<bool> PostgresCatalogStore::reopenTask(const QString &id, const QJsonObject &body)
{
    PgTransaction tx(d->db);
    if (Status s = tx.begin(false); !s)
        return s.error();
    auto reopened = d->db.query(QStringLiteral("UPDATE tasks SET status = 'open', last_heartbeat_at = ? "
                                               "WHERE id = ? AND status IN ('completed', 'failed', 'cancelled', 'skipped')"),
                                {now(), id});
    if (!reopened)
        return reopened.error();
    if (reopened->affected() != 1)
        return false;
    if (Status s = done(d->db.query(QStringLiteral("DELETE FROM task_events WHERE task_id = ? AND event_type IN ('cancelled', 'completion')"), {id}));
        !s)
        return s.error();
    auto recovered = appendTaskEvent(id, QStringLiteral("recovered"), body);
    if (!recovered)
        return recovered.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return true;
}

Status PostgresCatalogStore::putSigningKey(const QString &kid, const QByteArray &jwk, qint64 createdAt)
{
    auto kept = d->db.query(QStringLiteral("INSERT INTO auth_signing_keys(kid, jwk, created_at) VALUES (?,?,?) "
                                           "ON CONFLICT (kid) DO UPDATE SET jwk = excluded.jwk, created_at = excluded.created_at"),
                            {kid, QString::fromUtf8(jwk), createdAt});
    if (!kept)
        return Error::internal(QStringLiteral("Cannot keep a signing key: %1").arg(kept.error().message));
    return Ok{};
}

QList<AuthStateStore::SigningKey> PostgresCatalogStore::signingKeys(qint64 createdSince)
{
    QList<SigningKey> keys;
    (void)d->db.query(QStringLiteral("DELETE FROM auth_signing_keys WHERE created_at < ?"), {createdSince});
    auto rows = d->db.query(QStringLiteral("SELECT jwk, created_at FROM auth_signing_keys ORDER BY created_at"));
    for (int i = 0; rows && i < rows->size(); ++i)
        keys.append({rows->bytes(i, 0), rows->integer(i, 1)});
    return keys;
}

std::optional<AuthStateStore::SigningKey> PostgresCatalogStore::signingKey(const QString &kid)
{
    auto rows = d->db.query(QStringLiteral("SELECT jwk, created_at FROM auth_signing_keys WHERE kid = ?"), {kid});
    if (!rows || rows->size() == 0)
        return std::nullopt;
    return SigningKey{rows->bytes(0, 0), rows->integer(0, 1)};
}

Status PostgresCatalogStore::putRefreshSession(const QString &id, const RefreshSession &session)
{
    auto kept = d->db.query(QStringLiteral("INSERT INTO auth_refresh_sessions(id, hash, user_ref, scope, expires_at) VALUES (?, ?::bytea, ?, ?, ?) "
                                           "ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, user_ref = excluded.user_ref, "
                                           "scope = excluded.scope, expires_at = excluded.expires_at"),
                            {id, byteaParameter(session.hash), session.userEntityRef, session.scope.isNull() ? QStringLiteral("") : session.scope,
                             session.expiresAt});
    if (!kept)
        return Error::internal(QStringLiteral("Cannot keep a refresh session: %1").arg(kept.error().message));
    return Ok{};
}

std::optional<AuthStateStore::RefreshSession> PostgresCatalogStore::takeRefreshSession(const QString &id, qint64 now)
{
    (void)d->db.query(QStringLiteral("DELETE FROM auth_refresh_sessions WHERE expires_at < ?"), {now});
    // DELETE ... RETURNING: of two replicas taking the same token, one gets it.
    auto rows = d->db.query(QStringLiteral("DELETE FROM auth_refresh_sessions WHERE id = ? RETURNING hash, user_ref, scope, expires_at"), {id});
    if (!rows || rows->size() == 0)
        return std::nullopt;
    return RefreshSession{rows->bytea(0, 0), rows->text(0, 1), rows->text(0, 2), rows->integer(0, 3)};
}

} // namespace Greenroom::Store
