// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <sqlite3.h>

namespace Greenroom::Store::Internal {

// A prepared statement: bind, step, read columns; reset for reuse.
class Statement
{
public:
    Statement() = default;
    Statement(sqlite3 *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    ~Statement();

    bool isValid() const { return m_stmt != nullptr; }
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const QByteArray &value);
    Statement &bind(int index, qint64 value);
    Statement &bindNull(int index);
    Statement &bindVariant(int index, const QVariant &value);

    // True while rows come; false at the end. Errors throw nothing: see error().
    bool next();
    // Runs to completion; returns false on error.
    bool run();
    void reset();

    QString text(int column) const;
    QByteArray blob(int column) const;
    qint64 integer(int column) const;
    double real(int column) const;
    bool isNull(int column) const;
    QString error() const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    int m_lastStep = SQLITE_OK;
};

// An open SQLite connection.
class Database
{
public:
    Database() = default;
    Database(const Database &) = delete;
    ~Database();

    Status open(const QString &path);
    sqlite3 *handle() const { return m_db; }
    Status exec(const QString &sql);
    Result<Statement> prepare(const QString &sql);
    QString lastError() const;
    // Rows the last INSERT, UPDATE or DELETE changed.
    int changes() const;

private:
    sqlite3 *m_db = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back unless committed.
class Transaction
{
public:
    explicit Transaction(Database &db) : m_db(db) {}
    ~Transaction();
    Status begin();
    Status commit();

private:
    Database &m_db;
    bool m_open = false;
};

} // namespace Greenroom::Store::Internal
