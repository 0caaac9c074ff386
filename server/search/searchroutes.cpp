// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "searchroutes.h"

#include "http/nestedquery.h"

#include <common/jsonstringify.h>
#include <search/searchdocuments.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUuid>

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/search");

QByteArray jsonString(const QString &text)
{
    return jsonStringify(text).toUtf8();
}

// What `new URL(location, "https://example.com").protocol` is for upstream's check.
bool safeLocation(const QString &location)
{
    const QUrl resolved = QUrl(QStringLiteral("https://example.com")).resolved(QUrl(location));
    const QString scheme = resolved.scheme().toLower();
    return resolved.isValid() && (scheme == QLatin1String("http") || scheme == QLatin1String("https"));
}

} // namespace

void addSearchRoutes(Router &router, Store::CatalogStore &store, const Logger &log, const Auth::Authorizer &authorizer,
                     const Search::SearchLimits &limits)
{
    const QString tag = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString preTag = QStringLiteral("<%1>").arg(tag);
    const QString postTag = QStringLiteral("</%1>").arg(tag);
    router.add("GET", Mount, QStringLiteral("/query"), [&store, &log, &authorizer, limits, preTag, postTag](const HttpRequest &request) {
        auto parsed = Search::parseSearchQuery(nestedQuery(request.query), Search::documentTypes(), limits);
        if (!parsed)
            return HttpResponse::error(parsed.error(), request);
        Search::SearchRequest search = parsed->request;
        search.readable = authorizer.entityScope(request.principal, QStringLiteral("catalog.entity.read"));
        search.preTag = preTag;
        search.postTag = postTag;
        if (!parsed->page)
            search.limit = 0;   // a cursor naming no page: no results, and the total
        auto found = store.searchDocuments(search);
        if (!found && found.error().name == QLatin1String("NotImplementedError"))   // a store without the search index (PostgreSQL, for now)
            return HttpResponse::error(found.error(), request);
        if (!found) {
            log.error(QStringLiteral("search: There was a problem performing the search query: ") + found.error().message);
            return HttpResponse::error(Error::internal(QStringLiteral("There was a problem performing the search query")), request);
        }
        const qint64 page = parsed->page.value_or(0);
        QByteArray body = "{\"numberOfResults\":" + QByteArray::number(found->total);
        if (parsed->page && found->total > search.offset + parsed->pageSize)
            body += ",\"nextPageCursor\":" + jsonString(Search::encodePageCursor(page + 1));
        if (parsed->page && page > 0)
            body += ",\"previousPageCursor\":" + jsonString(Search::encodePageCursor(page - 1));
        body += ",\"results\":[";
        qint64 rank = page * parsed->pageSize;
        bool first = true;
        for (const Search::SearchHit &hit : found->hits) {
            ++rank;
            const QJsonObject document = QJsonDocument::fromJson(hit.document).object();
            const QString location = document.value(QLatin1String("location")).toString();
            if (!safeLocation(location)) {
                log.info(QStringLiteral("search: Rejected search result for \"%1\" as its location is unsafe")
                             .arg(document.value(QLatin1String("title")).toString()),
                         {{QStringLiteral("location"), location}});
                continue;
            }
            if (!first)
                body += ',';
            first = false;
            body += "{\"type\":" + jsonString(hit.type) + ",\"document\":" + hit.document + ",\"rank\":" + QByteArray::number(rank)
                    + ",\"highlight\":{\"preTag\":" + jsonString(preTag) + ",\"postTag\":" + jsonString(postTag) + ",\"fields\":{";
            for (qsizetype i = 0; i < hit.highlights.size(); ++i) {
                if (i > 0)
                    body += ',';
                body += jsonString(hit.highlights.at(i).first) + ':' + jsonString(hit.highlights.at(i).second);
            }
            body += "}}}";
        }
        body += "]}";
        return HttpResponse::jsonBytes(body);
    });
}

} // namespace Greenroom::Server
