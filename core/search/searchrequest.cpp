// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "searchrequest.h"

#include "searchdocuments.h"
#include "searchtext.h"

#include <common/jsonstringify.h>
#include <model/entitysearch.h>

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace Greenroom::Search {

namespace {

constexpr int DefaultPageSize = 25;

QJsonObject zodIssue(const QString &message, const QJsonArray &path)
{
    return QJsonObject{{QStringLiteral("code"), QStringLiteral("custom")},
                       {QStringLiteral("message"), message},
                       {QStringLiteral("path"), path}};
}

// The integer an OpenAPI `integer` query parameter coerces to, as Ajv does:
// text that is a number with no fraction.
std::optional<qint64> coercedInteger(const QJsonValue &value)
{
    if (!value.isString())
        return std::nullopt;
    const QString text = value.toString().trimmed();
    bool ok = false;
    const double number = text.toDouble(&ok);
    if (!ok || text.isEmpty() || !std::isfinite(number) || std::floor(number) != number || std::fabs(number) > 9e15)
        return std::nullopt;
    return qint64(number);
}

// A filter value as text: JavaScript's String() of a scalar.
std::optional<QString> scalarText(const QJsonValue &value)
{
    if (!value.isString() && !value.isDouble() && !value.isBool())
        return std::nullopt;
    return Model::EntitySearch::scalarText(value);
}

} // namespace

QString encodePageCursor(qint64 page)
{
    return QString::fromLatin1(QByteArray::number(page).toBase64());
}

std::optional<qint64> decodePageCursor(const QString &cursor)
{
    const auto decoded = QByteArray::fromBase64Encoding(cursor.toLatin1());
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return std::nullopt;
    bool ok = false;
    const qint64 page = decoded.decoded.trimmed().toLongLong(&ok);
    if (!ok || page < 0)
        return std::nullopt;
    return page;
}

Result<QList<FieldFilter>> fieldFilters(const QJsonObject &filters, const QStringList &types)
{
    const QStringList searched = types.isEmpty() ? documentTypes() : types;
    QList<FieldFilter> parsed;
    for (auto it = filters.constBegin(); it != filters.constEnd(); ++it) {
        QStringList known;
        for (const QString &type : searched) {
            if (filterFields(type).contains(it.key()))
                known.append(type);
        }
        if (known.isEmpty()) {
            QStringList fields;
            for (const QString &type : searched) {
                for (const QString &field : filterFields(type)) {
                    if (!fields.contains(field))
                        fields.append(field);
                }
            }
            return Error::input(QStringLiteral("Unknown filter field '%1': %2 documents have %3")
                                    .arg(it.key(), searched.join(QStringLiteral(" and ")), fields.join(QStringLiteral(", "))));
        }
        if (it.key() == QLatin1String("annotations"))
            return Error::input(QStringLiteral("Filter '%1' names an object field; filter on text fields only").arg(it.key()));
        FieldFilter filter{it.key(), {}};
        const QJsonValue value = it.value();
        const QJsonArray values = value.isArray() ? value.toArray() : QJsonArray{value};
        for (const QJsonValue &item : values) {
            const auto text = scalarText(item);
            if (!text)
                return Error::input(QStringLiteral("Filter '%1' must be a string, number or boolean, or a list of them").arg(it.key()));
            filter.values.append(folded(*text));
        }
        if (filter.values.isEmpty())
            return Error::input(QStringLiteral("Filter '%1' lists no values").arg(it.key()));
        parsed.append(filter);
    }
    return parsed;
}

Result<PagedSearch> parseSearchQuery(const QJsonObject &query, const QStringList &registeredTypes, const SearchLimits &limits)
{
    const QJsonValue term = query.value(QLatin1String("term"));
    const QJsonValue filters = query.value(QLatin1String("filters"));
    QJsonValue types = query.value(QLatin1String("types"));
    const QJsonValue cursor = query.value(QLatin1String("pageCursor"));
    const QJsonValue pageLimit = query.value(QLatin1String("pageLimit"));

    // The OpenAPI schema, with Ajv's coercion of query text.
    QStringList schemaErrors;
    if (!term.isUndefined() && !term.isString())
        schemaErrors.append(QStringLiteral("request/query/term must be string"));
    if (!filters.isUndefined() && !filters.isObject())
        schemaErrors.append(QStringLiteral("request/query/filters must be object"));
    if (types.isString())
        types = QJsonArray{types};
    if (!types.isUndefined()) {
        if (!types.isArray()) {
            schemaErrors.append(QStringLiteral("request/query/types must be array"));
        } else {
            const QJsonArray list = types.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                if (!list.at(i).isString())
                    schemaErrors.append(QStringLiteral("request/query/types/%1 must be string").arg(i));
            }
        }
    }
    if (!cursor.isUndefined() && !cursor.isString())
        schemaErrors.append(QStringLiteral("request/query/pageCursor must be string"));
    const std::optional<qint64> limit = pageLimit.isUndefined() ? std::nullopt : coercedInteger(pageLimit);
    const qint64 limitValue = limit.value_or(0);
    if (!pageLimit.isUndefined() && !limit)
        schemaErrors.append(QStringLiteral("request/query/pageLimit must be integer"));
    if (!schemaErrors.isEmpty())
        return Error::input(schemaErrors.join(QStringLiteral(", ")));

    // The router's Zod schema.
    QJsonArray issues;
    const QString termText = term.toString();
    if (termText.size() > limits.maxTermLength)
        issues.append(zodIssue(QStringLiteral("The term length \"%1\" is greater than \"%2\"").arg(termText.size()).arg(limits.maxTermLength),
                               QJsonArray{QStringLiteral("term")}));
    QStringList typeList;
    const QJsonArray typeArray = types.toArray();
    for (qsizetype i = 0; i < typeArray.size(); ++i) {
        const QString type = typeArray.at(i).toString();
        if (!registeredTypes.contains(type))
            issues.append(zodIssue(QStringLiteral("Invalid input"), QJsonArray{QStringLiteral("types"), double(i)}));
        else if (!typeList.contains(type))
            typeList.append(type);
    }
    if (limitValue > limits.maxPageLimit)
        issues.append(zodIssue(QStringLiteral("The page limit \"%1\" is greater than \"%2\"").arg(limitValue).arg(limits.maxPageLimit),
                               QJsonArray{QStringLiteral("pageLimit")}));
    if (!issues.isEmpty())
        return Error::input(QStringLiteral("Invalid query string: ") + jsonStringify(issues, QStringLiteral("  ")));

    auto parsedFilters = fieldFilters(filters.toObject(), typeList);
    if (!parsedFilters)
        return parsedFilters.error();

    PagedSearch search;
    // `pageLimit || 25`: 0 asks for counts and still gets a page. A negative
    // limit, which Backstage slices with oddly, gets the default too.
    search.pageSize = int(std::clamp<qint64>(limitValue, 0, limits.maxPageLimit));
    if (search.pageSize <= 0)
        search.pageSize = DefaultPageSize;
    const QString cursorText = cursor.toString();
    search.page = cursorText.isEmpty() ? std::optional<qint64>(0) : decodePageCursor(cursorText);
    search.request.term = termText;
    search.request.types = typeList;
    search.request.filters = parsedFilters.value();
    search.request.limit = search.pageSize;
    search.request.offset = search.page.value_or(0) * search.pageSize;
    return search;
}

} // namespace Greenroom::Search
