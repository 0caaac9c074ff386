// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QByteArray>
#include <QHash>
#include <QStringList>
#include <QString>
#include <QVariantList>

#include <libpq-fe.h>

namespace Greenroom::Store::Internal {

// The rows a PostgreSQL statement answered (text format), owned.
class PgRows
{
public:
    PgRows() = default;
    explicit PgRows(PGresult *result) : m_result(result) {}
    PgRows(PgRows &&other) noexcept : m_result(std::exchange(other.m_result, nullptr)) {}
    PgRows &operator=(PgRows &&other) noexcept;
    PgRows(const PgRows &) = delete;
    ~PgRows();

    // The statement ran (it may have answered no rows).
    bool ok() const;
    QString errorMessage() const;
    // The SQLSTATE of a failure ("23505" a unique violation...).
    QByteArray sqlState() const;
    int size() const { return m_result ? PQntuples(m_result) : 0; }
    bool isNull(int row, int column) const { return PQgetisnull(m_result, row, column) != 0; }
    QString text(int row, int column) const;
    QByteArray bytes(int row, int column) const;
    // A bytea column (its text form is hex), decoded.
    QByteArray bytea(int row, int column) const;
    qint64 integer(int row, int column) const;
    double real(int row, int column) const;
    bool boolean(int row, int column) const;
    // Rows an INSERT, UPDATE or DELETE changed.
    qint64 affected() const;

private:
    PGresult *m_result = nullptr;
};

/*
 * One libpq connection. Statements are written with `?` placeholders, as
 * the SQLite store's are, and become $1, $2... here; each distinct SQL text
 * is prepared once per connection and run by name after that. Parameters go
 * as text (the server infers their types); null QVariants as SQL NULL.
 */
class PgDatabase
{
public:
    PgDatabase() = default;
    PgDatabase(const PgDatabase &) = delete;
    ~PgDatabase();

    // A libpq connection string ("host=... port=... dbname=...", or a postgres:// URI).
    Status open(const QString &conninfo);
    // Runs `sql` now and again whenever the connection is made anew (search_path...).
    Status addSessionSetup(const QString &sql);
    PGconn *handle() const { return m_conn; }
    // Several statements, no parameters (migrations, BEGIN, COMMIT).
    Status exec(const QString &sql);
    Result<PgRows> query(const QString &sql, const QVariantList &params = {});
    // The one integer a query answers (0 for no row).
    Result<qint64> integer(const QString &sql, const QVariantList &params = {});
    // `name` quoted as an SQL identifier.
    QString identifier(const QString &name) const;
    // Prepared statements are per SQL text; queries built per filter shape
    // would grow the set without bound, so past a limit it starts again.
    void trimStatements();

private:
    Error failure(const QString &what) const;
    Result<PgRows> run(const QString &sql, const QVariantList &params);
    // A connection that broke (the server restarted, the network dropped)
    // outside a transaction is made again, its session set up as before;
    // true when that worked. Inside a transaction the error stands: what
    // the transaction did is gone, and only its caller can start over.
    bool reconnect();
    PGconn *m_conn = nullptr;
    QStringList m_sessionSetup;
    QHash<QString, QByteArray> m_prepared;   // SQL text -> statement name
    int m_nextName = 0;
};

// BEGIN ... COMMIT, rolled back unless committed. With `serialized`, the
// transaction first takes the store's write lock (an advisory lock), so
// writers from every connection and replica commit one after another and
// the change sequence is committed in the order it is handed out.
class PgTransaction
{
public:
    explicit PgTransaction(PgDatabase &db) : m_db(db) {}
    ~PgTransaction();
    Status begin(bool serialized = true);
    Status commit();

private:
    PgDatabase &m_db;
    bool m_open = false;
};

// A PostgreSQL array literal ('{"a","b",NULL}') built a value at a time:
// thousands of rows go to the server as one parameter per column, unnested
// there, instead of one round trip per row.
class PgArray
{
public:
    void add(const QString &value) { add(value.toUtf8()); }
    void add(const QByteArray &value);
    void add(qint64 value);
    void add(bool value) { append(value ? "t" : "f"); }
    void addNull() { append("NULL"); }
    // Null strings as NULL.
    void addOrNull(const QString &value) { value.isNull() ? addNull() : add(value); }
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    QByteArray literal() const { return '{' + m_text + '}'; }
    void clear() { m_text.clear(); m_size = 0; }

private:
    void append(const QByteArray &element);
    QByteArray m_text;
    qsizetype m_size = 0;
};

// Bytes as a bytea parameter (hex text form; use `?::bytea`).
inline QByteArray byteaParameter(const QByteArray &bytes)
{
    return "\\x" + bytes.toHex();
}

// The channel every committed change is announced on (NOTIFY), its payload the last sequence.
inline constexpr const char *ChangesChannel = "greenroom_changes";

// The advisory lock key of the store's writers ("greenroom" in ASCII, folded).
inline constexpr qint64 WriteLockKey = 0x677265656e726f6f;

} // namespace Greenroom::Store::Internal
