// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "routesupport.h"

#include <common/jsonkeyorder.h>
#include <model/entityprojection.h>

#include <QJsonDocument>
#include <QRegularExpression>

namespace Greenroom::Server {

Error notFound(const QString &message)
{
    return {QStringLiteral("NotFoundError"), message};
}

HttpResponse notAllowed(const HttpRequest &request)
{
    return HttpResponse::error(Error(QStringLiteral("NotAllowedError"), QString()), request);
}

void addCatalogRoute(Router &router, const QByteArray &method, const QString &pattern, const QStringList &known, Router::Handler handler)
{
    router.add(method, QStringLiteral("/api/catalog"), pattern, [known, handler = std::move(handler)](const HttpRequest &request) {
        for (const auto &[name, value] : request.query) {
            if (!known.contains(name))
                return HttpResponse::error(Error::input(QStringLiteral("Unknown query parameter '%1'").arg(name)), request);
        }
        return handler(request);
    });
}

Result<std::optional<qint64>> integerParameter(const HttpRequest &request, const QString &name)
{
    const QStringList values = request.queryValues(name);
    if (values.isEmpty())
        return std::optional<qint64>();
    bool ok = false;
    const qint64 value = values.last().trimmed().toLongLong(&ok);
    if (!ok)
        return Error::input(QStringLiteral("request/query/%1 must be integer").arg(name));
    return std::optional<qint64>(value);
}

Result<ListingParameters> listingParameters(const HttpRequest &request)
{
    auto fields = Model::EntityProjection::parseFields(request.queryValues(QStringLiteral("fields")));
    if (!fields)
        return fields.error();
    auto limit = integerParameter(request, QStringLiteral("limit"));
    if (!limit)
        return limit.error();
    auto offset = integerParameter(request, QStringLiteral("offset"));
    if (!offset)
        return offset.error();
    return ListingParameters{fields.value(), limit.value(), offset.value()};
}

QJsonObject projected(const Store::StoredEntity &entity, const QStringList &fields)
{
    return fields.isEmpty() ? entity.entity : Model::EntityProjection::project(entity.entity, fields);
}

QJsonArray projected(const QList<Store::StoredEntity> &entities, const QStringList &fields)
{
    QJsonArray out;
    for (const Store::StoredEntity &e : entities)
        out.append(projected(e, fields));
    return out;
}

QByteArray entityJson(const Store::StoredEntity &entity, const QStringList &fields)
{
    if (fields.isEmpty() && !entity.json.isEmpty())
        return entity.json;
    Store::StoredEntity parsed = entity;
    if (parsed.entity.isEmpty())   // a listing asked for the text only
        parsed.entity = QJsonDocument::fromJson(entity.json).object();
    // The projection keeps the stored key order, as upstream's copies keep it.
    return JsonKeyOrder::fromJson(entity.json).toJson(projected(parsed, fields));
}

void appendEntitiesJsonArray(QByteArray &out, const QList<Store::StoredEntity> &entities, const QStringList &fields,
                             qsizetype thenMore)
{
    // Sized once: a page of a hundred stored entities is a few hundred kB,
    // and growing it step by step copied it and faulted in fresh pages.
    QList<QByteArray> items;
    items.reserve(entities.size());
    qsizetype size = out.size() + 2 + entities.size() + thenMore;
    for (const Store::StoredEntity &e : entities) {
        items.append(entityJson(e, fields));
        size += items.last().size();
    }
    out.reserve(size);
    out += '[';
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            out += ',';
        out += items.at(i);
    }
    out += ']';
}

QByteArray entitiesJsonArray(const QList<Store::StoredEntity> &entities, const QStringList &fields)
{
    QByteArray out;
    appendEntitiesJsonArray(out, entities, fields);
    return out;
}

HttpResponse facetsResponse(Store::CatalogStore &store, const HttpRequest &request, const QStringList &facets,
                            const Model::EntityFilter &filter, const std::optional<Model::EntityFilter> &scope)
{
    if (Auth::Authorizer::isNothing(scope)) {
        QJsonObject empty;
        for (const QString &facet : facets)
            empty.insert(facet, QJsonArray());
        return HttpResponse::json(QJsonObject{{QStringLiteral("facets"), empty}});
    }
    auto counts = store.facets(facets, scope ? filter.intersectedWith(*scope) : filter);
    if (!counts)
        return HttpResponse::error(counts.error(), request);
    QJsonObject out;
    for (const auto &[facet, values] : counts.value()) {
        QJsonArray list;
        for (const Store::FacetCount &count : values)
            list.append(QJsonObject{{QStringLiteral("value"), count.value}, {QStringLiteral("count"), count.count}});
        out.insert(facet, list);
    }
    return HttpResponse::json(QJsonObject{{QStringLiteral("facets"), out}});
}

Result<QJsonObject> jsonObjectBody(const HttpRequest &request, bool allowEmpty)
{
    const QByteArray contentType = request.headers.value("content-type");
    const bool noBody = request.body.trimmed().isEmpty();
    if (contentType.isEmpty()) {
        if (allowEmpty && noBody)
            return QJsonObject();
        return Error::input(QStringLiteral("Content-Type missing"));
    }
    static const QRegularExpression json(QStringLiteral("^application/json($|;)"));
    if (!json.match(QString::fromLatin1(contentType)).hasMatch())
        return Error::input(QStringLiteral("Illegal Content-Type"));
    if (noBody) {
        if (allowEmpty)
            return QJsonObject();
        return Error::input(QStringLiteral("Missing request body"));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::input(QStringLiteral("Unexpected token in JSON at position %1").arg(parseError.offset));
    if (!document.isObject())
        return Error::input(QStringLiteral("Expected body to be a JSON object"));
    if (document.object().isEmpty() && !allowEmpty)
        return Error::input(QStringLiteral("Empty request body"));
    return document.object();
}

QString encodeJsonCursor(const QJsonObject &cursor)
{
    return QString::fromLatin1(QJsonDocument(cursor).toJson(QJsonDocument::Compact).toBase64());
}

std::optional<QJsonObject> decodeJsonCursor(const QString &cursor)
{
    QByteArray bytes = cursor.toLatin1();
    bytes.replace('-', '+').replace('_', '/');
    const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(bytes);
    if (!decoded)
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(*decoded);
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace Greenroom::Server
