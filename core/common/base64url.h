// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QByteArray>
#include <QString>

namespace Greenroom {

// Base64url without padding (RFC 4648 §5), as JWTs, PKCE and OAuth states write bytes.
QByteArray base64Url(const QByteArray &bytes);
// `bytes` from the system's CSPRNG, base64url: states, verifiers, tokens.
QString randomBase64Url(int bytes);
// PKCE's S256 code challenge for `verifier` (RFC 7636 §4.2).
QString pkceChallenge(const QString &verifier);

} // namespace Greenroom
