// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The auth backend's lasting state in the server's database: public keys of
// the user tokens it signed and refresh sessions (migration 10).
#include "sqlitecatalogstore.h"
#include "sqlitecatalogstore_p.h"

namespace Greenroom::Store {

using namespace Internal;

Status SqliteCatalogStore::putSigningKey(const QString &kid, const QByteArray &jwk, qint64 createdAt)
{
    auto stmt = d->prepare(QStringLiteral("INSERT OR REPLACE INTO auth_signing_keys(kid, jwk, created_at) VALUES (?,?,?)"));
    if (!stmt)
        return stmt.error();
    if (!stmt.value()->bind(1, kid).bind(2, jwk).bind(3, createdAt).run())
        return Error::internal(QStringLiteral("Cannot keep a signing key: %1").arg(d->db.lastError()));
    return Ok{};
}

QList<SqliteCatalogStore::SigningKey> SqliteCatalogStore::signingKeys(qint64 createdSince)
{
    QList<SigningKey> keys;
    if (auto old = d->prepare(QStringLiteral("DELETE FROM auth_signing_keys WHERE created_at < ?")))
        (void)old.value()->bind(1, createdSince).run();
    auto stmt = d->prepare(QStringLiteral("SELECT jwk, created_at FROM auth_signing_keys ORDER BY created_at"));
    if (!stmt)
        return keys;
    Statement &s = *stmt.value();
    while (s.next())
        keys.append({s.blob(0), s.integer(1)});
    s.reset();
    return keys;
}

std::optional<AuthStateStore::SigningKey> SqliteCatalogStore::signingKey(const QString &kid)
{
    auto stmt = d->prepare(QStringLiteral("SELECT jwk, created_at FROM auth_signing_keys WHERE kid = ?"));
    if (!stmt)
        return std::nullopt;
    Statement &s = *stmt.value();
    s.bind(1, kid);
    std::optional<SigningKey> key;
    if (s.next())
        key = SigningKey{s.blob(0), s.integer(1)};
    s.reset();
    return key;
}

Status SqliteCatalogStore::putRefreshSession(const QString &id, const RefreshSession &session)
{
    auto stmt = d->prepare(QStringLiteral("INSERT OR REPLACE INTO auth_refresh_sessions(id, hash, user_ref, scope, expires_at) VALUES (?,?,?,?,?)"));
    if (!stmt)
        return stmt.error();
    if (!stmt.value()->bind(1, id).bind(2, session.hash).bind(3, session.userEntityRef).bind(4, session.scope.isNull() ? QStringLiteral("") : session.scope).bind(5, session.expiresAt).run())
        return Error::internal(QStringLiteral("Cannot keep a refresh session: %1").arg(d->db.lastError()));
    return Ok{};
}

std::optional<SqliteCatalogStore::RefreshSession> SqliteCatalogStore::takeRefreshSession(const QString &id, qint64 now)
{
    if (auto expired = d->prepare(QStringLiteral("DELETE FROM auth_refresh_sessions WHERE expires_at < ?")))
        (void)expired.value()->bind(1, now).run();
    auto stmt = d->prepare(QStringLiteral("DELETE FROM auth_refresh_sessions WHERE id = ? RETURNING hash, user_ref, scope, expires_at"));
    if (!stmt)
        return std::nullopt;
    Statement &s = *stmt.value();
    s.bind(1, id);
    std::optional<RefreshSession> session;
    if (s.next())
        session = RefreshSession{s.blob(0), s.text(1), s.text(2), s.integer(3)};
    while (s.next()) {
    }
    s.reset();
    return session;
}

} // namespace Greenroom::Store
