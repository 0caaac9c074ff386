// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "querysupport_p.h"

#include "stitcher_p.h"

#include <model/annotations.h>

#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentMap>

namespace Greenroom::Store::Internal {

QString placeholders(qsizetype n)
{
    QString s;
    for (qsizetype i = 0; i < n; ++i)
        s += i ? QStringLiteral(",?") : QStringLiteral("?");
    return s;
}

QString likeEscaped(const QString &term)
{
    QString escaped = term.toLower();
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
    escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return escaped;
}

QString likePattern(const QString &term)
{
    return QLatin1Char('%') + likeEscaped(term) + QLatin1Char('%');
}

QString takeSingleKind(Model::EntityFilter &filter)
{
    if (filter.anyOf.size() != 1)
        return {};
    Model::EntityFilter::AllOf &conditions = filter.anyOf.first();
    const auto it = std::find_if(conditions.begin(), conditions.end(), [](const Model::EntityFilter::Condition &c) {
        return c.key == QLatin1String("kind") && c.values.size() == 1;
    });
    if (it == conditions.end())
        return {};
    const QString kind = it->values.first();
    conditions.erase(it);
    if (conditions.isEmpty())
        filter.anyOf.clear();
    return kind;
}

std::optional<QStringList> kindsOf(const Model::EntityFilter::AllOf &group)
{
    std::optional<QStringList> kinds;
    for (const Model::EntityFilter::Condition &c : group) {
        if (c.key != QLatin1String("kind") || c.values.isEmpty())
            continue;   // `kind` with no value holds for every entity
        if (!kinds) {
            kinds = c.values;
            continue;
        }
        QStringList both;
        for (const QString &kind : std::as_const(*kinds)) {
            if (c.values.contains(kind))
                both.append(kind);
        }
        kinds = both;
    }
    return kinds;
}

ProcessingErrorRecord conflictRecord(const QString &origin, const QString &locationKey, const QString &ref,
                                     const QString &message)
{
    ProcessingErrorRecord conflict;
    conflict.originKey = origin;
    conflict.locationKey = locationKey;
    conflict.entityRef = ref;
    conflict.name = QStringLiteral("ConflictError");
    conflict.level = QStringLiteral("warning");
    conflict.message = conflict.reason = message;
    return conflict;
}

std::optional<QJsonObject> orphanedBody(const QByteArray &finalJson)
{
    QJsonObject body = Stitcher::bodyOf(QJsonDocument::fromJson(finalJson).object());
    QJsonObject metadata = body.value(QLatin1String("metadata")).toObject();
    QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    if (annotations.value(Model::Annotations::Orphan) == QLatin1String("true"))
        return std::nullopt;
    annotations.insert(Model::Annotations::Orphan, QStringLiteral("true"));
    metadata.insert(QStringLiteral("annotations"), annotations);
    body.insert(QStringLiteral("metadata"), metadata);
    return body;
}

QList<EntityDigest> digestsOf(const QList<EntityWrite> &entities)
{
    return QtConcurrent::blockingMapped(entities, [](const EntityWrite &w) {
        if (!w.bodyHash.isEmpty()) {   // worked out already: kind and name are in the (lower-case) ref
            const qsizetype colon = w.ref.indexOf(QLatin1Char(':'));
            return EntityDigest{w.bodyHash, w.ref.left(colon), w.ref.mid(w.ref.indexOf(QLatin1Char('/'), colon) + 1)};
        }
        // An entity kept as JSON is parsed here for its hash, kind and name, and let go again.
        const QJsonObject entity = w.object();
        return EntityDigest{Stitcher::bodyHash(entity), entity.value(QLatin1String("kind")).toString().toLower(),
                            entity.value(QLatin1String("metadata"))[QLatin1String("name")].toString().toLower()};
    });
}

Error locationConflict(const QString &type, const QString &target)
{
    return Error(QStringLiteral("ConflictError"), QStringLiteral("Location %1:%2 already exists").arg(type, target));
}

void SqlCondition::andWith(const QString &fragment, const QVariantList &fragmentParams)
{
    if (fragment.isEmpty())
        return;
    sql = sql.isEmpty() ? fragment : QStringLiteral("(%1) AND (%2)").arg(sql, fragment);
    params += fragmentParams;
}

Result<SqlCondition> predicateCondition(const Model::EntityPredicate &predicate, const SearchKeyTest &keyTest)
{
    using Type = Model::EntityPredicate::Type;
    SqlCondition condition;
    switch (predicate.type) {
    case Type::All:
    case Type::Any: {
        if (predicate.children.empty()) {
            condition.sql = predicate.type == Type::All ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
            return condition;
        }
        QStringList parts;
        for (const Model::EntityPredicate &child : predicate.children) {
            auto part = predicateCondition(child, keyTest);
            if (!part)
                return part.error();
            parts.append(QLatin1Char('(') + part->sql + QLatin1Char(')'));
            condition.params += part->params;
        }
        condition.sql = parts.join(predicate.type == Type::All ? QStringLiteral(" AND ") : QStringLiteral(" OR "));
        return condition;
    }
    case Type::Not: {
        auto inner = predicateCondition(predicate.children.front(), keyTest);
        if (!inner)
            return inner.error();
        condition.sql = QStringLiteral("NOT (%1)").arg(inner->sql);
        condition.params = inner->params;
        return condition;
    }
    case Type::Exists:
    case Type::Missing:
    case Type::In:
    case Type::HasPrefix:
        break;
    }
    auto key = keyTest(predicate.key);
    if (!key)
        return key.error();
    const bool negated = predicate.type == Type::Missing;
    if (!key.value() || (predicate.type == Type::In && predicate.values.isEmpty())) {
        condition.sql = negated ? QStringLiteral("TRUE") : QStringLiteral("FALSE");   // no entity has this key or value
        return condition;
    }
    QString sql = QStringLiteral("EXISTS (SELECT 1 FROM search WHERE entity_id = e.id AND %1").arg(key.value()->sql);
    condition.params = key.value()->params;
    if (predicate.type == Type::In) {
        sql += QStringLiteral(" AND value IN (%1)").arg(placeholders(predicate.values.size()));
        for (const QString &value : predicate.values)
            condition.params.append(value);
    } else if (predicate.type == Type::HasPrefix) {
        sql += QStringLiteral(" AND value LIKE ? ESCAPE '\\'");
        condition.params.append(likeEscaped(predicate.values.value(0)) + QLatin1Char('%'));
    }
    sql += QLatin1Char(')');
    condition.sql = negated ? QStringLiteral("NOT ") + sql : sql;
    return condition;
}

} // namespace Greenroom::Store::Internal
