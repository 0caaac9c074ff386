// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pgdatabase_p.h"

#include <QVariant>

#include <vector>

namespace Greenroom::Store::Internal {

namespace {

// `?` placeholders as $1, $2...; none of our statements has a `?` inside a
// string literal, but quoted text is skipped all the same.
QByteArray numbered(const QString &sql)
{
    QByteArray out;
    const QByteArray in = sql.toUtf8();
    out.reserve(in.size() + 16);
    int n = 0;
    bool quoted = false;
    for (char c : in) {
        if (c == '\'')
            quoted = !quoted;
        if (c == '?' && !quoted)
            out += '$' + QByteArray::number(++n);
        else
            out += c;
    }
    return out;
}

// Statements kept prepared per connection before the set starts again.
constexpr int MaxPrepared = 400;

} // namespace

PgRows &PgRows::operator=(PgRows &&other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
    }
    return *this;
}

PgRows::~PgRows()
{
    if (m_result)
        PQclear(m_result);
}

bool PgRows::ok() const
{
    const ExecStatusType status = m_result ? PQresultStatus(m_result) : PGRES_FATAL_ERROR;
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

QString PgRows::errorMessage() const
{
    return m_result ? QString::fromUtf8(PQresultErrorMessage(m_result)).trimmed() : QStringLiteral("no answer from PostgreSQL");
}

QByteArray PgRows::sqlState() const
{
    const char *state = m_result ? PQresultErrorField(m_result, PG_DIAG_SQLSTATE) : nullptr;
    return state ? QByteArray(state) : QByteArray();
}

QString PgRows::text(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QString::fromUtf8(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
}

QByteArray PgRows::bytes(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QByteArray(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
}

QByteArray PgRows::bytea(int row, int column) const
{
    if (isNull(row, column))
        return {};
    size_t length = 0;
    unsigned char *decoded = PQunescapeBytea(reinterpret_cast<const unsigned char *>(PQgetvalue(m_result, row, column)), &length);
    if (!decoded)
        return {};
    QByteArray bytes(reinterpret_cast<const char *>(decoded), qsizetype(length));
    PQfreemem(decoded);
    return bytes;
}

qint64 PgRows::integer(int row, int column) const
{
    return isNull(row, column) ? 0 : QByteArray::fromRawData(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column)).toLongLong();
}

double PgRows::real(int row, int column) const
{
    return isNull(row, column) ? 0 : QByteArray::fromRawData(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column)).toDouble();
}

bool PgRows::boolean(int row, int column) const
{
    return !isNull(row, column) && PQgetvalue(m_result, row, column)[0] == 't';
}

qint64 PgRows::affected() const
{
    return m_result ? QByteArray(PQcmdTuples(m_result)).toLongLong() : 0;
}

void PgArray::append(const QByteArray &element)
{
    if (m_size++ > 0)
        m_text += ',';
    m_text += element;
}

void PgArray::add(const QByteArray &value)
{
    QByteArray quoted;
    quoted.reserve(value.size() + 2);
    quoted += '"';
    for (char c : value) {
        if (c == '\0')
            continue;   // PostgreSQL text holds no NUL, and a parameter would end there: an attacker's file would cut the array short
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    append(quoted);
}

void PgArray::add(qint64 value)
{
    append(QByteArray::number(value));
}

PgDatabase::~PgDatabase()
{
    if (m_conn)
        PQfinish(m_conn);
}

Error PgDatabase::failure(const QString &what) const
{
    QString message = m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).trimmed() : QStringLiteral("not connected");
    return Error::internal(what.isEmpty() ? message : QStringLiteral("%1: %2").arg(what, message));
}

Status PgDatabase::open(const QString &conninfo)
{
    m_conn = PQconnectdb(conninfo.toUtf8().constData());
    if (PQstatus(m_conn) != CONNECTION_OK)
        return failure(QStringLiteral("cannot connect to PostgreSQL"));
    // Notices (a table that exists already...) are not errors; they stay out of stderr.
    PQsetNoticeProcessor(m_conn, [](void *, const char *) {}, nullptr);
    return addSessionSetup(QStringLiteral("SET client_encoding = 'UTF8'; SET standard_conforming_strings = on"));
}

Status PgDatabase::addSessionSetup(const QString &sql)
{
    if (Status s = exec(sql); !s)
        return s;
    m_sessionSetup.append(sql);
    return Ok{};
}

bool PgDatabase::reconnect()
{
    if (PQstatus(m_conn) != CONNECTION_BAD)
        return false;
    PQreset(m_conn);
    if (PQstatus(m_conn) != CONNECTION_OK)
        return false;
    m_prepared.clear();   // they went with the old session
    for (const QString &sql : std::as_const(m_sessionSetup)) {
        PgRows rows(PQexec(m_conn, sql.toUtf8().constData()));
        if (!rows.ok())
            return false;
    }
    return true;
}

Status PgDatabase::exec(const QString &sql)
{
    const bool outsideTransaction = PQtransactionStatus(m_conn) == PQTRANS_IDLE;
    PgRows rows(PQexec(m_conn, sql.toUtf8().constData()));
    if (!rows.ok() && outsideTransaction && reconnect())
        rows = PgRows(PQexec(m_conn, sql.toUtf8().constData()));
    if (!rows.ok())
        return Error::internal(rows.errorMessage());
    return Ok{};
}

Result<PgRows> PgDatabase::query(const QString &sql, const QVariantList &params)
{
    const bool outsideTransaction = PQtransactionStatus(m_conn) == PQTRANS_IDLE;
    auto rows = run(sql, params);
    if (!rows && outsideTransaction && reconnect())
        return run(sql, params);
    return rows;
}

Result<PgRows> PgDatabase::run(const QString &sql, const QVariantList &params)
{
    auto name = m_prepared.constFind(sql);
    if (name == m_prepared.cend()) {
        const QByteArray newName = "s" + QByteArray::number(m_nextName++);
        PgRows prepared(PQprepare(m_conn, newName.constData(), numbered(sql).constData(), 0, nullptr));
        if (!prepared.ok())
            return Error::internal(QStringLiteral("%1 (in: %2)").arg(prepared.errorMessage(), sql.left(300)));
        name = m_prepared.insert(sql, newName);
    }
    std::vector<QByteArray> values;
    std::vector<const char *> pointers;
    values.reserve(params.size());
    pointers.reserve(params.size());
    for (const QVariant &p : params) {
        // Qt 6's QVariant is not null for a null QString; the SQLite store
        // binds one as NULL, and so does this.
        if (p.isNull() || (p.typeId() == QMetaType::QString && p.toString().isNull())) {
            values.emplace_back();
            pointers.push_back(nullptr);
            continue;
        }
        switch (p.typeId()) {
        case QMetaType::Bool:
            values.push_back(p.toBool() ? "true" : "false");
            break;
        case QMetaType::QByteArray:
            values.push_back(p.toByteArray());
            break;
        default:
            values.push_back(p.toString().toUtf8());
        }
        values.back().replace('\0', QByteArray());   // see PgArray::add
        pointers.push_back(values.back().constData());
    }
    PgRows rows(PQexecPrepared(m_conn, name->constData(), int(pointers.size()), pointers.data(), nullptr, nullptr, 0));
    if (!rows.ok()) {
        Error error = Error::internal(rows.errorMessage());
        if (rows.sqlState() == "23505")
            error.name = QStringLiteral("ConflictError");
        return error;
    }
    return rows;
}

Result<qint64> PgDatabase::integer(const QString &sql, const QVariantList &params)
{
    auto rows = query(sql, params);
    if (!rows)
        return rows.error();
    return rows->size() > 0 ? rows->integer(0, 0) : 0;
}

QString PgDatabase::identifier(const QString &name) const
{
    const QByteArray utf8 = name.toUtf8();
    char *quoted = PQescapeIdentifier(m_conn, utf8.constData(), size_t(utf8.size()));
    if (!quoted)
        return QStringLiteral("\"\"");
    const QString result = QString::fromUtf8(quoted);
    PQfreemem(quoted);
    return result;
}

void PgDatabase::trimStatements()
{
    if (m_prepared.size() < MaxPrepared)
        return;
    (void)exec(QStringLiteral("DEALLOCATE ALL"));
    m_prepared.clear();
}

PgTransaction::~PgTransaction()
{
    if (m_open)
        (void)m_db.exec(QStringLiteral("ROLLBACK"));
}

Status PgTransaction::begin(bool serialized)
{
    QString sql = QStringLiteral("BEGIN");
    if (serialized)
        sql += QStringLiteral("; SELECT pg_advisory_xact_lock(%1)").arg(WriteLockKey);
    if (Status s = m_db.exec(sql); !s)
        return s;
    m_open = true;
    return Ok{};
}

Status PgTransaction::commit()
{
    if (Status s = m_db.exec(QStringLiteral("COMMIT")); !s)
        return s;
    m_open = false;
    return Ok{};
}

} // namespace Greenroom::Store::Internal
