// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "locationservice.h"

#include <model/annotations.h>
#include <model/entitypredicate.h>
#include <model/entityref.h>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStack>
#include <QUrl>

namespace Greenroom::Ingest {

using Store::RegisteredLocation;

namespace {

Error malformed(const QString &detail)
{
    return Error::input(QStringLiteral("Malformed request: Validation error: ") + detail);
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Double: return QStringLiteral("number");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    default: return QStringLiteral("string");
    }
}

Error notFoundId(const QString &id)
{
    return Error(QStringLiteral("NotFoundError"), QStringLiteral("Found no location with ID %1").arg(id));
}

// Upstream's location filter: $all/$any/$not over the keys id, type, target
// and entityRef, compared case-insensitively; $contains never matches.
Result<bool> matchesLocation(const QJsonValue &query, const RegisteredLocation &location)
{
    if (!query.isObject())
        return Error::input(QStringLiteral("Invalid filter predicate, expected an object"));
    const QJsonObject object = query.toObject();
    const auto each = [&](const QString &op, bool any) -> Result<bool> {
        const QJsonArray children = object.value(op).toArray();
        if (children.isEmpty())
            return false;
        for (const QJsonValue &child : children) {
            auto matched = matchesLocation(child, location);
            if (!matched)
                return matched;
            if (matched.value() == any)
                return any;
        }
        return !any;
    };
    if (object.contains(QLatin1String("$all")))
        return each(QStringLiteral("$all"), false);
    if (object.contains(QLatin1String("$any")))
        return each(QStringLiteral("$any"), true);
    if (object.contains(QLatin1String("$not"))) {
        auto matched = matchesLocation(object.value(QLatin1String("$not")), location);
        if (!matched)
            return matched;
        return !matched.value();
    }
    const QStringList keys = object.keys();
    if (std::any_of(keys.cbegin(), keys.cend(), [](const QString &k) { return k.startsWith(QLatin1Char('$')); }))
        return Error::input(QStringLiteral("Invalid filter predicate, unknown logic operator '%1'").arg(keys.join(QStringLiteral(", "))));
    bool all = true;
    for (const QString &key : keys) {
        const QString lower = key.toLower();
        QString column;
        if (lower == QLatin1String("id"))
            column = location.id;
        else if (lower == QLatin1String("type"))
            column = location.type;
        else if (lower == QLatin1String("target"))
            column = location.target;
        else if (lower == QLatin1String("entityref"))
            column = location.entityRef;
        else
            return Error::input(QStringLiteral("Invalid filter predicate, expected key to be 'id', 'type', 'target', or "
                                               "'entityRef', got '%1'").arg(key));
        const QJsonValue value = object.value(key);
        const auto text = [](const QJsonValue &v) {
            return v.isString() ? v.toString() : v.isBool() ? (v.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                                            : QString::number(v.toDouble());
        };
        bool matched = false;
        if (value.isString() || value.isDouble() || value.isBool()) {
            matched = column.compare(text(value), Qt::CaseInsensitive) == 0;
        } else if (value.isObject() && value.toObject().contains(QLatin1String("$exists"))) {
            matched = value.toObject().value(QLatin1String("$exists")).toBool();   // the columns are never null
        } else if (value.isObject() && value.toObject().contains(QLatin1String("$in"))) {
            const QJsonArray in = value.toObject().value(QLatin1String("$in")).toArray();
            matched = std::any_of(in.cbegin(), in.cend(), [&](const QJsonValue &v) {
                return column.compare(text(v), lower == QLatin1String("id") ? Qt::CaseSensitive : Qt::CaseInsensitive) == 0;
            });
        } else if (value.isObject() && value.toObject().contains(QLatin1String("$hasPrefix"))) {
            matched = column.startsWith(value.toObject().value(QLatin1String("$hasPrefix")).toString(), Qt::CaseInsensitive);
        } else if (value.isObject() && value.toObject().contains(QLatin1String("$contains"))) {
            matched = false;
        } else if (value.isObject() && !value.isNull()) {
            return Error::input(QStringLiteral("Invalid filter predicate, got unknown matcher object '%1'")
                                    .arg(QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact))));
        } else {
            return Error::input(QStringLiteral("Invalid filter predicate, expected value to be a primitive value or a "
                                               "matcher object, got 'object'"));
        }
        all = all && matched;
    }
    return all;
}

} // namespace

Result<LocationInput> LocationInput::fromJson(const QJsonObject &body)
{
    QStringList problems;
    LocationInput input;
    for (const QString &field : {QStringLiteral("type"), QStringLiteral("target")}) {
        const QJsonValue value = body.value(field);
        if (value.isUndefined())
            problems.append(QStringLiteral("Required at \"%1\"").arg(field));
        else if (!value.isString())
            problems.append(QStringLiteral("Expected string, received %1 at \"%2\"").arg(jsonTypeName(value), field));
    }
    const QJsonValue presence = body.value(QLatin1String("presence"));
    if (!presence.isUndefined() && presence != QLatin1String("required") && presence != QLatin1String("optional"))
        problems.append(QStringLiteral("Invalid literal value, expected \"required\" at \"presence\"; Invalid literal value, "
                                       "expected \"optional\" at \"presence\""));
    QStringList unknown;
    for (const QString &key : body.keys()) {
        if (key != QLatin1String("type") && key != QLatin1String("target") && key != QLatin1String("presence"))
            unknown.append(QLatin1Char('\'') + key + QLatin1Char('\''));
    }
    if (!unknown.isEmpty())
        problems.append(QStringLiteral("Unrecognized key(s) in object: ") + unknown.join(QStringLiteral(", ")));
    if (!problems.isEmpty())
        return malformed(problems.join(QStringLiteral("; ")));
    input.type = body.value(QLatin1String("type")).toString();
    input.target = body.value(QLatin1String("target")).toString();
    input.presence = presence.toString();
    return input;
}

LocationService::LocationService(Store::CatalogStore &store, ProcessingLoop &loop, QStringList allowedTypes, bool readonly)
    : m_store(store), m_loop(loop), m_allowedTypes(std::move(allowedTypes)), m_readonly(readonly)
{
}

QString LocationService::generatedEntityRef(const QString &type, const QString &target)
{
    return Model::EntityRef::canonical(LocationProcessor::generatedLocationEntity({type, target}));
}

QJsonObject LocationService::toJson(const RegisteredLocation &location)
{
    return {{QStringLiteral("id"), location.id},
            {QStringLiteral("type"), location.type},
            {QStringLiteral("target"), location.target},
            {QStringLiteral("entityRef"), location.entityRef}};
}

void LocationService::loadRegistered()
{
    // Replicas share the registrations: those another made are added, those
    // another removed are dropped (it deleted what they produced). Read on
    // the schedule, not forced: whoever holds a location's lease reads it.
    QSet<QString> current;
    for (const RegisteredLocation &location : m_store.registeredLocations()) {
        current.insert(location.key());
        if (!m_known.contains(location.key()))
            m_loop.addLocation({location.type, location.target}, false);
    }
    for (const QString &key : std::as_const(m_known)) {
        if (!current.contains(key)) {
            const qsizetype colon = key.indexOf(QLatin1Char(':'));
            m_loop.removeLocation({key.left(colon), key.mid(colon + 1)});
        }
    }
    m_known = current;
}

Status LocationService::checkWritable() const
{
    if (m_readonly)
        return Error(QStringLiteral("NotAllowedError"), QStringLiteral("This operation not allowed in readonly mode"));
    return Ok{};
}

Status LocationService::checkAllowedType(const QString &type) const
{
    if (m_allowedTypes.contains(type))
        return Ok{};
    const QString allowed = QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(m_allowedTypes)).toJson(QJsonDocument::Compact));
    return Error::input(QStringLiteral("Registered locations must be of an allowed type %1").arg(allowed));
}

Result<RegisteredLocation> LocationService::create(const LocationInput &input, const QString &onConflict)
{
    if (Status s = checkAllowedType(input.type); !s)
        return s.error();
    auto created = m_store.registerLocation(input.type, input.target, generatedEntityRef(input.type, input.target));
    if (!created && created.error().name == QLatin1String("ConflictError") && onConflict == QLatin1String("refresh")) {
        const QList<RegisteredLocation> all = m_store.registeredLocations();
        for (const RegisteredLocation &location : all) {
            if (location.type == input.type && location.target == input.target) {
                m_loop.addLocation({location.type, location.target}, true);
                return location;
            }
        }
    }
    if (created)
        m_loop.addLocation({created->type, created->target}, true);
    return created;
}

QList<RegisteredLocation> LocationService::list()
{
    return m_store.registeredLocations();
}

Result<RegisteredLocation> LocationService::get(const QString &id)
{
    for (const RegisteredLocation &location : m_store.registeredLocations()) {
        if (location.id == id)
            return location;
    }
    return notFoundId(id);
}

Result<RegisteredLocation> LocationService::update(const QString &id, const LocationInput &input)
{
    if (Status s = checkAllowedType(input.type); !s)
        return s.error();
    auto previous = get(id);
    if (!previous)
        return previous.error();
    auto updated = m_store.updateLocation(id, input.type, input.target, generatedEntityRef(input.type, input.target));
    if (!updated)
        return updated.error();
    if (!updated->has_value())
        return notFoundId(id);
    if (previous->key() != updated->value().key()) {
        // What the old target produced goes; the new one is read now.
        m_loop.removeLocation({previous->type, previous->target});
        Store::LocationWrite removal;
        removal.originKey = previous->key();
        if (auto removed = m_store.applyLocation(removal); !removed)
            return removed.error();
    }
    m_loop.addLocation({input.type, input.target}, true);
    return updated->value();
}

Status LocationService::remove(const QString &id)
{
    auto location = get(id);
    if (!location)
        return location.error();
    // Stop reading it first, so no read in flight brings its entities back.
    m_loop.removeLocation({location->type, location->target});
    auto removed = m_store.unregisterLocation(id);
    if (!removed)
        return removed.error();
    if (!removed.value())
        return notFoundId(id);
    return Ok{};
}

Result<RegisteredLocation> LocationService::byEntity(const QString &kind, const QString &ns, const QString &name)
{
    const QString ref = kind.toLower() + QLatin1Char(':') + ns.toLower() + QLatin1Char('/') + name.toLower();
    const std::optional<Store::StoredEntity> entity = m_store.entityByRef(ref);
    if (!entity)
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("found no entity for ref %1").arg(ref));
    const QString origin = Model::annotation(entity->entity, Model::Annotations::ManagedByOriginLocation);
    if (origin.isEmpty())
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("found no origin annotation for ref %1").arg(ref));
    auto parsed = Model::LocationRef::parse(origin);
    if (!parsed)
        return parsed.error();
    for (const RegisteredLocation &location : m_store.registeredLocations()) {
        if (location.type == parsed->type && location.target == parsed->target)
            return location;
    }
    return Error(QStringLiteral("NotFoundError"),
                 QStringLiteral("Found no location with type %1 and target %2").arg(parsed->type, parsed->target));
}

Result<QJsonObject> LocationService::query(const QJsonObject &body)
{
    qint64 limit = 1000;
    QString afterId;
    QJsonValue query = body.value(QLatin1String("query"));
    if (body.contains(QLatin1String("cursor"))) {
        const QString cursor = body.value(QLatin1String("cursor")).toString();
        if (cursor.isEmpty())
            return Error::input(QStringLiteral("Cursor cannot be empty"));
        const QJsonDocument decoded = QJsonDocument::fromJson(QByteArray::fromBase64(cursor.toLatin1()));
        if (!decoded.isObject())
            return Error::input(QStringLiteral("Malformed cursor, unknown encoding"));
        const QJsonObject c = decoded.object();
        const QJsonValue cursorLimit = c.value(QLatin1String("limit"));
        if (!cursorLimit.isDouble() || cursorLimit.toDouble() < 1 || cursorLimit.toDouble() != std::floor(cursorLimit.toDouble()))
            return Error::input(QStringLiteral("Malformed cursor: Validation error: Expected number, received %1 at \"limit\"")
                                    .arg(jsonTypeName(cursorLimit)));
        limit = qint64(cursorLimit.toDouble());
        afterId = c.value(QLatin1String("afterId")).toString();
        query = c.value(QLatin1String("query"));
    } else if (body.contains(QLatin1String("limit"))) {
        const QJsonValue l = body.value(QLatin1String("limit"));
        if (!l.isDouble() || l.toDouble() < 1 || l.toDouble() != std::floor(l.toDouble()))
            return Error::input(QStringLiteral("Limit must be a positive integer >= 1"));
        limit = qint64(l.toDouble());
    }
    if (!query.isUndefined()) {
        if (auto valid = Model::EntityPredicate::fromJson(query); !valid)
            return valid.error();
    }
    QList<RegisteredLocation> matching;
    for (const RegisteredLocation &location : m_store.registeredLocations()) {
        if (!query.isUndefined()) {
            auto matched = matchesLocation(query, location);
            if (!matched)
                return matched.error();
            if (!matched.value())
                continue;
        }
        matching.append(location);
    }
    std::sort(matching.begin(), matching.end(), [](const RegisteredLocation &a, const RegisteredLocation &b) { return a.id < b.id; });
    QJsonArray items;
    QString lastId;
    bool more = false;
    for (const RegisteredLocation &location : std::as_const(matching)) {
        if (!afterId.isEmpty() && location.id <= afterId)
            continue;
        if (items.size() == limit) {
            more = true;
            break;
        }
        items.append(toJson(location));
        lastId = location.id;
    }
    QJsonObject pageInfo;
    if (more) {
        QJsonObject cursor{{QStringLiteral("limit"), limit}, {QStringLiteral("afterId"), lastId}};
        if (!query.isUndefined())
            cursor.insert(QStringLiteral("query"), query);
        pageInfo.insert(QStringLiteral("nextCursor"),
                        QString::fromLatin1(QJsonDocument(cursor).toJson(QJsonDocument::Compact).toBase64()));
    }
    return QJsonObject{{QStringLiteral("items"), items},
                       {QStringLiteral("totalItems"), matching.size()},
                       {QStringLiteral("pageInfo"), pageInfo}};
}

Result<QJsonObject> LocationService::analyze(const LocationInput &location)
{
    const QUrl url(location.target, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return Error::input(QStringLiteral("The given location.target is not a URL"));
    QStringList segments = url.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    // Repository URLs name a file as <owner>/<repo>/blob/<ref>/<path> (GitLab: /-/blob/).
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &s = segments.at(i);
        if (s == QLatin1String("-") || s == QLatin1String("blob") || s == QLatin1String("tree") || s == QLatin1String("src")) {
            segments = segments.mid(0, i);
            break;
        }
    }
    QString name = segments.value(segments.size() - 1);
    if (name.endsWith(QLatin1String(".git")))
        name.chop(4);
    const QString owner = segments.value(segments.size() - 2);
    QJsonObject metadata{{QStringLiteral("name"), name}};
    // Upstream's default integrations: the public hosts of each SCM.
    static const QHash<QString, QString> prefixes{{QStringLiteral("github.com"), QStringLiteral("github.com")},
                                                  {QStringLiteral("gitlab.com"), QStringLiteral("gitlab.com")},
                                                  {QStringLiteral("bitbucket.org"), QStringLiteral("bitbucket.org")},
                                                  {QStringLiteral("dev.azure.com"), QStringLiteral("dev.azure.com")}};
    const QString prefix = prefixes.value(url.host().toLower());
    if (!prefix.isEmpty()) {
        metadata.insert(QStringLiteral("annotations"),
                        QJsonObject{{prefix + QStringLiteral("/project-slug"), owner + QLatin1Char('/') + name}});
    }
    const QJsonObject entity{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                             {QStringLiteral("kind"), QStringLiteral("Component")},
                             {QStringLiteral("metadata"), metadata},
                             {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("other")},
                                                                  {QStringLiteral("lifecycle"), QStringLiteral("unknown")}}}};
    return QJsonObject{{QStringLiteral("existingEntityFiles"), QJsonArray()},
                       {QStringLiteral("generateEntities"),
                        QJsonArray{QJsonObject{{QStringLiteral("entity"), entity}, {QStringLiteral("fields"), QJsonArray()}}}}};
}

Result<QJsonObject> LocationService::dryRun(const LocationProcessor &processor, const LocationInput &input, bool exists)
{
    const LocationReadResult read = processor.read({input.type, input.target});
    QStringList problems;
    for (const Store::ProcessingErrorRecord &error : read.write.errors) {
        if (error.name == QLatin1String("ConflictError"))
            problems.append(QStringLiteral("InputError: Duplicate nested entity: ") + error.entityRef);
        else if (error.level == QLatin1String("error"))
            problems.append(error.name + QStringLiteral(": ") + error.message);
    }
    if (!problems.isEmpty())
        return Error::input(problems.join(QStringLiteral(", ")));

    // Upstream walks the tree with a stack: an entity, then its children
    // from the last emitted to the first, each subtree before the next.
    QHash<QString, QList<qsizetype>> children;
    qsizetype root = -1;
    for (qsizetype i = 0; i < read.write.entities.size(); ++i) {
        const Store::EntityWrite &entity = read.write.entities.at(i);
        if (entity.parentRef.isEmpty())
            root = i;
        else
            children[entity.parentRef].append(i);
    }
    QJsonArray entities;
    QStack<qsizetype> stack;
    if (root >= 0)
        stack.push(root);
    while (!stack.isEmpty()) {
        const Store::EntityWrite &entity = read.write.entities.at(stack.pop());
        entities.append(entity.object());
        for (qsizetype child : children.value(entity.ref))
            stack.push(child);
    }
    QJsonObject location{{QStringLiteral("type"), input.type},
                         {QStringLiteral("target"), input.target},
                         {QStringLiteral("id"), input.type + QLatin1Char(':') + input.target},
                         {QStringLiteral("entityRef"), generatedEntityRef(input.type, input.target)}};
    if (!input.presence.isEmpty())
        location.insert(QStringLiteral("presence"), input.presence);
    return QJsonObject{{QStringLiteral("exists"), exists},
                       {QStringLiteral("location"), location},
                       {QStringLiteral("entities"), entities}};
}

} // namespace Greenroom::Ingest
