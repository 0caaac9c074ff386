// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Scaffolder tasks in the catalog's SQLite database (TaskStore): the tasks
// and task_events tables of migration 7.
#include "sqlitecatalogstore.h"
#include "sqlitecatalogstore_p.h"
#include "taskrecords_p.h"

#include <QJsonDocument>

namespace Greenroom::Store {

using namespace Internal;

namespace {

#define TASK_COLUMNS "id, spec, status, created_by, created_at, last_heartbeat_at"

TaskRecord taskFromRow(const Statement &row)
{
    TaskRecord task;
    task.id = row.text(0);
    task.spec = QJsonDocument::fromJson(row.blob(1)).object();
    task.status = row.text(2);
    task.createdBy = row.text(3);
    task.createdAt = parseTime(row.text(4));
    task.lastHeartbeatAt = parseTime(row.text(5));
    return task;
}

TaskEventRecord eventFromRow(const Statement &row)
{
    TaskEventRecord event;
    event.id = row.integer(0);
    event.taskId = row.text(1);
    event.type = row.text(2);
    event.body = QJsonDocument::fromJson(row.blob(3)).object();
    event.createdAt = parseTime(row.text(4));
    return event;
}


} // namespace

Status SqliteCatalogStore::createTask(const TaskRecord &task)
{
    auto insert = d->prepare(QStringLiteral("INSERT INTO tasks(" TASK_COLUMNS ") VALUES (?,?,?,?,?,?)"));
    if (!insert)
        return insert.error();
    Statement &s = *insert.value();
    s.bind(1, task.id).bind(2, compact(task.spec)).bind(3, task.status.isEmpty() ? QStringLiteral("open") : task.status);
    task.createdBy.isEmpty() ? s.bindNull(4) : s.bind(4, task.createdBy);
    s.bind(5, isoTime(task.createdAt.isValid() ? task.createdAt : QDateTime::currentDateTimeUtc()));
    task.lastHeartbeatAt.isValid() ? s.bind(6, isoTime(task.lastHeartbeatAt)) : s.bindNull(6);
    if (!s.run())
        return Error::internal(QStringLiteral("Cannot store task %1: %2").arg(task.id, d->db.lastError()));
    return Ok{};
}

Result<bool> SqliteCatalogStore::claimTask(const QString &id)
{
    auto claim = d->prepare(QStringLiteral("UPDATE tasks SET status = 'processing', last_heartbeat_at = ? WHERE id = ? AND status = 'open'"));
    if (!claim || !claim.value()->bind(1, now()).bind(2, id).run())
        return Error::internal(d->db.lastError());
    return d->db.changes() == 1;
}

Status SqliteCatalogStore::heartbeatTask(const QString &id)
{
    auto beat = d->prepare(QStringLiteral("UPDATE tasks SET last_heartbeat_at = ? WHERE id = ? AND status = 'processing'"));
    if (!beat || !beat.value()->bind(1, now()).bind(2, id).run())
        return Error::internal(d->db.lastError());
    return Ok{};
}

Result<bool> SqliteCatalogStore::markTask(const QString &id, const QString &status)
{
    auto mark = d->prepare(QStringLiteral("UPDATE tasks SET status = ? WHERE id = ? AND status IN ('open', 'processing')"));
    if (!mark || !mark.value()->bind(1, status).bind(2, id).run())
        return Error::internal(d->db.lastError());
    return d->db.changes() == 1;
}

Result<TaskEventRecord> SqliteCatalogStore::appendTaskEvent(const QString &taskId, const QString &type, const QJsonObject &body)
{
    TaskEventRecord event;
    event.taskId = taskId;
    event.type = type;
    event.body = body;
    event.createdAt = QDateTime::currentDateTimeUtc();
    auto insert = d->prepare(QStringLiteral("INSERT INTO task_events(task_id, event_type, body, created_at) VALUES (?,?,?,?)"));
    if (!insert || !insert.value()->bind(1, taskId).bind(2, type).bind(3, compact(body)).bind(4, isoTime(event.createdAt)).run())
        return Error::internal(QStringLiteral("Cannot store an event of task %1: %2").arg(taskId, d->db.lastError()));
    event.id = sqlite3_last_insert_rowid(d->db.handle());
    return event;
}

Result<TaskEventRecord> SqliteCatalogStore::completeTask(const QString &taskId, const QString &status, const QJsonObject &body)
{
    if (!isEndStatus(status))
        return Error::input(QStringLiteral("Invalid status update of run '%1' to status '%2'").arg(taskId, status));
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    auto event = appendTaskEvent(taskId, QStringLiteral("completion"), body);
    if (!event)
        return event.error();
    // A cancelled task stays cancelled whatever its worker reports.
    auto finish = d->prepare(QStringLiteral("UPDATE tasks SET status = ? WHERE id = ? AND status IN ('open', 'processing')"));
    if (!finish || !finish.value()->bind(1, status).bind(2, taskId).run())
        return Error::internal(d->db.lastError());
    if (Status s = tx.commit(); !s)
        return s.error();
    return event;
}

std::optional<TaskRecord> SqliteCatalogStore::task(const QString &id)
{
    auto read = d->prepare(QStringLiteral("SELECT " TASK_COLUMNS " FROM tasks WHERE id = ?"));
    if (!read)
        return std::nullopt;
    read.value()->bind(1, id);
    std::optional<TaskRecord> found;
    if (read.value()->next())
        found = taskFromRow(*read.value());
    read.value()->reset();
    return found;
}

Result<QList<TaskRecord>> SqliteCatalogStore::listTasks(const TaskQuery &query, int *total)
{
    SqlCondition where;
    const auto anyOf = [&where](const char *column, const QStringList &values) {
        if (values.isEmpty())
            return;
        QStringList marks;
        QVariantList params;
        for (const QString &value : values) {
            marks.append(QStringLiteral("?"));
            params.append(value);
        }
        where.andWith(QStringLiteral("%1 IN (%2)").arg(QLatin1String(column), marks.join(QLatin1Char(','))), params);
    };
    anyOf("created_by", query.createdBy);
    anyOf("status", query.status);
    if (!isTaskOrderField(query.orderField))
        return Error::input(QStringLiteral("Invalid order field \"%1\"").arg(query.orderField));
    const QString whereSql = where.sql.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.sql;
    Database &db = d->db;
    auto count = db.prepare(QStringLiteral("SELECT count(*) FROM tasks") + whereSql);
    if (!count)
        return count.error();
    for (int i = 0; i < where.params.size(); ++i)
        count.value().bindVariant(i + 1, where.params.at(i));
    if (!count.value().next())
        return Error::internal(db.lastError());
    if (total)
        *total = int(count.value().integer(0));
    // Ties keep creation order, so a page boundary never repeats a task.
    auto rows = db.prepare(QStringLiteral("SELECT " TASK_COLUMNS " FROM tasks%1 ORDER BY %2 %3, created_at, id LIMIT ? OFFSET ?")
                               .arg(whereSql, query.orderField, query.descending ? QStringLiteral("DESC") : QStringLiteral("ASC")));
    if (!rows)
        return rows.error();
    int index = 1;
    for (const QVariant &param : std::as_const(where.params))
        rows.value().bindVariant(index++, param);
    rows.value().bind(index, qint64(query.limit));
    rows.value().bind(index + 1, qint64(query.offset));
    QList<TaskRecord> tasks;
    while (rows.value().next())
        tasks.append(taskFromRow(rows.value()));
    return tasks;
}

Result<QList<TaskEventRecord>> SqliteCatalogStore::taskEvents(const QString &taskId, std::optional<qint64> after)
{
    auto read = d->prepare(after ? QStringLiteral("SELECT id, task_id, event_type, body, created_at FROM task_events "
                                                  "WHERE task_id = ? AND (id > ? OR event_type = 'completion') ORDER BY id")
                                 : QStringLiteral("SELECT id, task_id, event_type, body, created_at FROM task_events "
                                                  "WHERE task_id = ? ORDER BY id"));
    if (!read)
        return read.error();
    read.value()->bind(1, taskId);
    if (after)
        read.value()->bind(2, *after);
    QList<TaskEventRecord> events;
    while (read.value()->next())
        events.append(eventFromRow(*read.value()));
    read.value()->reset();
    return sinceLastStartOver(std::move(events));
}

Result<QStringList> SqliteCatalogStore::unfinishedTasks(const QDateTime &quietSince)
{
    auto read = d->prepare(QStringLiteral("SELECT id FROM tasks WHERE status IN ('open', 'processing') "
                                          "AND (? IS NULL OR coalesce(last_heartbeat_at, created_at) < ?) ORDER BY created_at, id"));
    if (!read)
        return read.error();
    const QString cutoff = quietSince.isValid() ? isoTime(quietSince) : QString();
    read.value()->bind(1, cutoff).bind(2, cutoff);
    QStringList ids;
    while (read.value()->next())
        ids.append(read.value()->text(0));
    read.value()->reset();
    return ids;
}

Result<bool> SqliteCatalogStore::reopenTask(const QString &id, const QJsonObject &body)
{
    Transaction tx(d->db);
    if (Status s = tx.begin(); !s)
        return s.error();
    auto reopen = d->prepare(QStringLiteral("UPDATE tasks SET status = 'open', last_heartbeat_at = ? "
                                            "WHERE id = ? AND status IN ('completed', 'failed', 'cancelled', 'skipped')"));
    if (!reopen || !reopen.value()->bind(1, now()).bind(2, id).run())
        return Error::internal(d->db.lastError());
    if (d->db.changes() != 1)
        return false;
    auto drop = d->prepare(QStringLiteral("DELETE FROM task_events WHERE task_id = ? AND event_type IN ('cancelled', 'completion')"));
    if (!drop || !drop.value()->bind(1, id).run())
        return Error::internal(d->db.lastError());
    auto recovered = appendTaskEvent(id, QStringLiteral("recovered"), body);
    if (!recovered)
        return recovered.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return true;
}

} // namespace Greenroom::Store
