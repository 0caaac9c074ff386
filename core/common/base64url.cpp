// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "base64url.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace Greenroom {

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString randomBase64Url(int bytes)
{
    QByteArray random((bytes + 3) / 4 * 4, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(random.data()),
                                         reinterpret_cast<quint32 *>(random.data()) + random.size() / 4);
    random.truncate(bytes);
    return QString::fromLatin1(base64Url(random));
}

QString pkceChallenge(const QString &verifier)
{
    return QString::fromLatin1(base64Url(QCryptographicHash::hash(verifier.toUtf8(), QCryptographicHash::Sha256)));
}

} // namespace Greenroom
