// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonValue>
#include <QList>
#include <QStringList>
#include <QUrl>

namespace Greenroom::Ingest {

/*
 * backend.reading.allow: the hosts `url` locations may be read from, matched
 * as Backstage's FetchUrlReader matches them. `host` is `example.com` or
 * `*.example.com` (subdomains only), optionally with `:port` or
 * `:first-last`; without a port only URLs on their scheme's default port
 * match. `paths` limits a host to those paths and what is below them at a
 * segment boundary.
 */
class ReadingAllowList
{
public:
    // `allow` is the config value (an array, or undefined for none).
    static Result<ReadingAllowList> fromJson(const QJsonValue &allow);

    bool isAllowed(const QUrl &url) const;
    bool isEmpty() const { return m_entries.isEmpty(); }

private:
    struct Entry
    {
        QString hostname;        // lower case; starting with '.' for a wildcard
        int firstPort = -1;      // -1: no port given (the default port only)
        int lastPort = -1;
        std::optional<QStringList> paths;
    };
    QList<Entry> m_entries;
};

} // namespace Greenroom::Ingest
