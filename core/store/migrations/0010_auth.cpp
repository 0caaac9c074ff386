// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "migration.h"

namespace Greenroom::Store::Internal {

Migration sqliteMigration0010Auth()
{
    return {10, QStringLiteral(R"sql(
-- The auth backend's lasting state, so a restart signs nobody out: the
-- public keys user tokens were signed with (private keys never leave the
-- process: a restart signs with a new one, and the old tokens still verify
-- until they expire), and refresh tokens, kept only as hashes.
CREATE TABLE auth_signing_keys (
    kid        TEXT PRIMARY KEY,
    jwk        TEXT NOT NULL,      -- the public key, as the JWKS serves it
    created_at INTEGER NOT NULL    -- seconds since the epoch
) WITHOUT ROWID;
CREATE TABLE auth_refresh_sessions (
    id         TEXT PRIMARY KEY,   -- the token's id part
    hash       BLOB NOT NULL,      -- SHA-256 of the whole token
    user_ref   TEXT NOT NULL,
    scope      TEXT NOT NULL,
    expires_at INTEGER NOT NULL    -- seconds since the epoch
) WITHOUT ROWID;
)sql")};
}

} // namespace Greenroom::Store::Internal
