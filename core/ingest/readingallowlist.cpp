// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "readingallowlist.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

namespace Greenroom::Ingest {

namespace {

Error configError(const QString &message)
{
    return Error::input(message).at(QStringLiteral("backend.reading.allow"));
}

int defaultPort(const QUrl &url)
{
    if (url.scheme() == QLatin1String("http"))
        return 80;
    if (url.scheme() == QLatin1String("https"))
        return 443;
    return -1;
}

} // namespace

Result<ReadingAllowList> ReadingAllowList::fromJson(const QJsonValue &allow)
{
    ReadingAllowList list;
    if (allow.isUndefined() || allow.isNull())
        return list;
    if (!allow.isArray())
        return configError(QStringLiteral("Invalid type in config for key 'backend.reading.allow', got %1, wanted object-array")
                               .arg(allow.isObject() ? QStringLiteral("object") : QStringLiteral("a scalar")));
    const QJsonArray entries = allow.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString key = QStringLiteral("backend.reading.allow[%1]").arg(i);
        const QJsonObject object = entries.at(i).toObject();
        const QJsonValue host = object.value(QLatin1String("host"));
        if (!host.isString() || host.toString().isEmpty())
            return configError(QStringLiteral("Missing required config value at '%1.host'").arg(key));
        Entry entry;
        const QString text = host.toString().toLower();
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        entry.hostname = colon < 0 ? text : text.left(colon);
        if (entry.hostname.startsWith(QLatin1String("*.")))
            entry.hostname = entry.hostname.mid(1);
        if (colon >= 0) {
            const QStringList range = text.mid(colon + 1).split(QLatin1Char('-'));
            bool firstOk = false;
            bool lastOk = false;
            entry.firstPort = range.first().toInt(&firstOk);
            entry.lastPort = range.last().toInt(&lastOk);
            if (range.size() > 2 || !firstOk || !lastOk || entry.firstPort <= 0 || entry.lastPort < entry.firstPort)
                return configError(QStringLiteral("Port range is not valid: %1 (at '%2.host')").arg(text.mid(colon + 1), key));
        }
        const QJsonValue paths = object.value(QLatin1String("paths"));
        if (paths.isArray()) {
            QStringList list;
            for (const QJsonValue &p : paths.toArray())
                list.append(p.toString());
            entry.paths = list;
        } else if (!paths.isUndefined()) {
            return configError(QStringLiteral("Invalid type in config for key '%1.paths', wanted string-array").arg(key));
        }
        list.m_entries.append(entry);
    }
    return list;
}

bool ReadingAllowList::isAllowed(const QUrl &url) const
{
    const QString hostname = url.host().toLower();
    const QString path = QDir::cleanPath(url.path());
    for (const Entry &entry : m_entries) {
        const bool hostMatches = entry.hostname.startsWith(QLatin1Char('.')) ? hostname.endsWith(entry.hostname)
                                                                             : hostname == entry.hostname;
        if (!hostMatches)
            continue;
        if (entry.firstPort < 0) {
            // No port configured: only URLs on their scheme's default port.
            if (url.port() != -1 && url.port() != defaultPort(url))
                continue;
        } else {
            const int port = url.port(defaultPort(url));
            if (port < entry.firstPort || port > entry.lastPort)
                continue;
        }
        if (entry.paths) {
            const bool pathMatches = std::any_of(entry.paths->cbegin(), entry.paths->cend(), [&](const QString &allowed) {
                const QString prefix = allowed.endsWith(QLatin1Char('/')) ? allowed : allowed + QLatin1Char('/');
                return path == allowed || path.startsWith(prefix);
            });
            if (!pathMatches)
                continue;
        }
        return true;
    }
    return false;
}

} // namespace Greenroom::Ingest
