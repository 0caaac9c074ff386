// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sqlitedatabase_p.h"

namespace Greenroom::Store::Internal {

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)), m_lastStep(other.m_lastStep)
{
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_lastStep = other.m_lastStep;
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement &Statement::bind(int index, const QString &value)
{
    if (value.isNull())
        return bindNull(index);
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int index, const QByteArray &value)
{
    sqlite3_bind_text(m_stmt, index, value.constData(), int(value.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Statement &Statement::bindVariant(int index, const QVariant &value)
{
    if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Int)
        return bind(index, value.toLongLong());
    return bind(index, value.toString());
}

bool Statement::next()
{
    m_lastStep = sqlite3_step(m_stmt);
    return m_lastStep == SQLITE_ROW;
}

bool Statement::run()
{
    while (next()) {
    }
    const bool ok = m_lastStep == SQLITE_DONE;
    reset();
    return ok;
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

QString Statement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return QString();
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

QByteArray Statement::blob(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

qint64 Statement::integer(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

QString Statement::error() const
{
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

Status Database::open(const QString &path)
{
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        Error error = Error::internal(QStringLiteral("Cannot open database %1: %2").arg(path, lastError()));
        return error;
    }
    sqlite3_busy_timeout(m_db, 5000);
    return Ok{};
}

Status Database::exec(const QString &sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
        const QString text = QString::fromUtf8(message ? message : "unknown error");
        sqlite3_free(message);
        return Error::internal(text);
    }
    return Ok{};
}

Result<Statement> Database::prepare(const QString &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v3(m_db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        return Error::internal(QStringLiteral("SQL error: %1 in %2").arg(lastError(), sql));
    return Statement(m_db, stmt);
}

int Database::changes() const
{
    return m_db ? sqlite3_changes(m_db) : 0;
}

QString Database::lastError() const
{
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("out of memory");
}

Transaction::~Transaction()
{
    if (m_open)
        static_cast<void>(m_db.exec(QStringLiteral("ROLLBACK")));
}

Status Transaction::begin()
{
    Status status = m_db.exec(QStringLiteral("BEGIN IMMEDIATE"));
    m_open = status.isOk();
    return status;
}

Status Transaction::commit()
{
    Status status = m_db.exec(QStringLiteral("COMMIT"));
    if (status)
        m_open = false;
    return status;
}

} // namespace Greenroom::Store::Internal
