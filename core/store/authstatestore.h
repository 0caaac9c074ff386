// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Greenroom::Store {

/*
 * The auth backend's lasting state in the server's database, so a restart
 * signs nobody out: the public keys of the user tokens it signed (private
 * keys never leave the process) and refresh sessions by id, kept only as
 * hashes of their tokens.
 */
class AuthStateStore
{
public:
    struct SigningKey
    {
        QByteArray jwk;
        qint64 createdAt = 0;   // seconds since the epoch
    };
    struct RefreshSession
    {
        QByteArray hash;
        QString userEntityRef;
        QString scope;
        qint64 expiresAt = 0;
    };
    virtual ~AuthStateStore() = default;
    virtual Status putSigningKey(const QString &kid, const QByteArray &jwk, qint64 createdAt) = 0;
    // Keys made at `createdSince` or later; older ones are deleted.
    virtual QList<SigningKey> signingKeys(qint64 createdSince) = 0;
    // One key by its id (another replica's, which this one has not seen).
    virtual std::optional<SigningKey> signingKey(const QString &kid) = 0;
    virtual Status putRefreshSession(const QString &id, const RefreshSession &session) = 0;
    // The session, removed (a refresh token works once); expired ones are deleted on the way.
    virtual std::optional<RefreshSession> takeRefreshSession(const QString &id, qint64 now) = 0;
};

} // namespace Greenroom::Store
