// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QList>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <utility>

namespace Greenroom::Plugins::Support {

/*
 * Building the URL of an upstream service (GitHub, Argo CD, PagerDuty...)
 * from values an entity or a request supplies. Those values are written by
 * whoever owns the catalog file or sends the request, so each goes in as
 * one encoded piece: a '/', '?', '&' or '..' in it cannot reach another
 * route or parameter of the upstream, where our token is sent. Header-only,
 * like requesttimeout.h, so a server half links no Widgets.
 */

// One path segment, percent-encoded; "." and ".." too, which toPercentEncoding leaves alone.
inline QString pathSegment(const QString &value)
{
    if (value == QLatin1String(".") || value == QLatin1String(".."))
        return QString(value).replace(QLatin1Char('.'), QLatin1String("%2E"));
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

// `base`'s own path (its trailing '/' dropped) followed by `encodedPath`, then `query`'s items with each value encoded.
inline QUrl upstreamUrl(QUrl base, const QString &encodedPath, const QList<std::pair<QString, QString>> &query = {})
{
    QString basePath = base.path(QUrl::FullyEncoded);
    if (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    base.setPath(basePath + encodedPath, QUrl::TolerantMode);
    if (!query.isEmpty()) {
        QUrlQuery items;
        for (const auto &[key, value] : query)
            items.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        base.setQuery(items);
    }
    return base;
}

} // namespace Greenroom::Plugins::Support
