// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entitysearch.h"

#include "entityref.h"

#include <QJsonArray>
#include <QSet>

#include <cmath>

namespace Greenroom::Model {

namespace {

constexpr qsizetype MaxKeyLength = 200;
constexpr qsizetype MaxValueLength = 200;

struct RawRow
{
    QString key;
    QJsonValue value;
};

class Flattener
{
public:
    QList<RawRow> rows;

    void visit(const QString &path, const QJsonValue &current)
    {
        static const QStringList special{QStringLiteral("attachments"), QStringLiteral("relations"),
                                         QStringLiteral("status"), QStringLiteral("metadata.name"),
                                         QStringLiteral("metadata.namespace"), QStringLiteral("metadata.uid"),
                                         QStringLiteral("metadata.etag")};
        if (special.contains(path))
            return;
        if (current.isArray()) {
            for (const QJsonValue &item : current.toArray()) {
                visit(path, item);
                if (item.isString()) {
                    const QString pathKey = path + QLatin1Char('.') + item.toString();
                    const QString lower = pathKey.toLower();
                    if (!m_seenItemKeys.contains(lower)) {
                        m_seenItemKeys.insert(lower);
                        rows.append({pathKey, true});
                    }
                }
            }
            return;
        }
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                visit(path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(), it.value());
            return;
        }
        rows.append({path, current});
    }

private:
    QSet<QString> m_seenItemKeys;
};

} // namespace

QString EntitySearch::scalarText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isnan(d))
            return QStringLiteral("NaN");
        if (std::isinf(d))
            return d > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
        if (d == std::floor(d) && std::fabs(d) < 1e21)
            return QString::number(qint64(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    return QString();
}

Result<QList<SearchRow>> EntitySearch::rows(const QJsonObject &entity)
{
    Flattener flattener;
    flattener.visit(QString(), entity);
    QList<RawRow> &raw = flattener.rows;
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    raw.append({QStringLiteral("metadata.name"), metadata.value(QLatin1String("name"))});
    raw.append({QStringLiteral("metadata.namespace"), metadata.value(QLatin1String("namespace"))});
    raw.append({QStringLiteral("metadata.uid"), metadata.value(QLatin1String("uid"))});
    if (metadata.value(QLatin1String("namespace")).toString().isEmpty())
        raw.append({QStringLiteral("metadata.namespace"), DefaultNamespace});
    for (const QJsonValue &relation : entity.value(QLatin1String("relations")).toArray()) {
        raw.append({QStringLiteral("relations.") + relation[QLatin1String("type")].toString(),
                    relation[QLatin1String("targetRef")]});
    }

    // Keys differing only in case would make filters ambiguous.
    QHash<QString, QString> spellings;
    QStringList clashes;
    for (const RawRow &row : raw) {
        const QString lower = row.key.toLower();
        const auto it = spellings.constFind(lower);
        if (it == spellings.cend())
            spellings.insert(lower, row.key);
        else if (it.value() != row.key && !clashes.contains(lower))
            clashes.append(lower);
    }
    if (!clashes.isEmpty()) {
        return Error::input(QStringLiteral("Entity has duplicate keys that vary only in casing, '%1'")
                                .arg(clashes.join(QStringLiteral("', '"))));
    }

    QList<SearchRow> result;
    result.reserve(raw.size());
    QSet<QString> seen;
    for (const RawRow &row : raw) {
        SearchRow out;
        out.key = row.key.toLower();
        if (out.key.size() > MaxKeyLength)
            continue;
        if (!row.value.isNull() && !row.value.isUndefined()) {
            const QString text = scalarText(row.value);
            if (text.size() <= MaxValueLength) {
                out.originalValue = text.isNull() ? QStringLiteral("") : text;
                out.value = out.originalValue.toLower();
            }
        }
        const QString dedupeKey = out.key + QChar(0) + (out.value.isNull() ? QStringLiteral("\x01null") : out.value);
        if (seen.contains(dedupeKey))
            continue;
        seen.insert(dedupeKey);
        result.append(std::move(out));
    }
    return result;
}

} // namespace Greenroom::Model
