// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "permissions.h"

#include <model/entitysearch.h>

#include <QJsonArray>
#include <QRegularExpression>

namespace Greenroom::Auth {

namespace {

const QString CatalogEntity = QStringLiteral("catalog-entity");
const QString ScaffolderAction = QStringLiteral("scaffolder-action");
const QString ScaffolderTemplate = QStringLiteral("scaffolder-template");
const QString ScaffolderTask = QStringLiteral("scaffolder-task");

Permission basic(const char *name, const char *action = "")
{
    return {QString::fromLatin1(name), Permission::Type::Basic, QString::fromLatin1(action), QString()};
}

Permission resource(const char *name, const char *action, const char *resourceType)
{
    return {QString::fromLatin1(name), Permission::Type::Resource, QString::fromLatin1(action), QString::fromLatin1(resourceType)};
}

Error invalid(const QString &where, const QString &message)
{
    return Error::input(where.isEmpty() ? message : where + QStringLiteral(": ") + message);
}

// A rule's parameters, checked as its schema checks them.
Status checkParams(const QString &rule, const QJsonObject &params, const QString &where)
{
    const auto stringList = [&](const char *key) -> Status {
        const QJsonValue value = params.value(QLatin1String(key));
        if (!value.isArray())
            return invalid(where, QStringLiteral("%1 needs params.%2, a list of strings").arg(rule, QLatin1String(key)));
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString())
                return invalid(where, QStringLiteral("%1: params.%2 must hold strings only").arg(rule, QLatin1String(key)));
        }
        return Ok{};
    };
    const auto keyAndValue = [&](const char *key) -> Status {
        if (!params.value(QLatin1String(key)).isString())
            return invalid(where, QStringLiteral("%1 needs params.%2, a string").arg(rule, QLatin1String(key)));
        if (params.contains(QLatin1String("value")) && !params.value(QLatin1String("value")).isString())
            return invalid(where, QStringLiteral("%1: params.value must be a string").arg(rule));
        return Ok{};
    };
    if (rule == QLatin1String("IS_ENTITY_KIND"))
        return stringList("kinds");
    if (rule == QLatin1String("IS_ENTITY_OWNER"))
        return stringList("claims");
    if (rule == QLatin1String("HAS_ANNOTATION"))
        return keyAndValue("annotation");
    if (rule == QLatin1String("HAS_LABEL"))
        return keyAndValue("label");
    if (rule == QLatin1String("HAS_METADATA") || rule == QLatin1String("HAS_SPEC"))
        return keyAndValue("key");
    return invalid(where, QStringLiteral("Permission rule '%1' does not exist for resource type '%2'").arg(rule, CatalogEntity));
}

// The scaffolder's action rules (scaffolder-backend's rules.ts): HAS_ACTION_ID
// {actionId}, HAS_{BOOLEAN,NUMBER,STRING}_PROPERTY {key, value?}.
Status checkActionParams(const QString &rule, const QJsonObject &params, const QString &where)
{
    if (rule == QLatin1String("HAS_ACTION_ID")) {
        if (!params.value(QLatin1String("actionId")).isString())
            return invalid(where, QStringLiteral("%1 needs params.actionId, a string").arg(rule));
        return Ok{};
    }
    const std::pair<const char *, QJsonValue::Type> typed[] = {{"HAS_BOOLEAN_PROPERTY", QJsonValue::Bool},
                                                               {"HAS_NUMBER_PROPERTY", QJsonValue::Double},
                                                               {"HAS_STRING_PROPERTY", QJsonValue::String}};
    for (const auto &[name, type] : typed) {
        if (rule != QLatin1String(name))
            continue;
        if (!params.value(QLatin1String("key")).isString())
            return invalid(where, QStringLiteral("%1 needs params.key, a string").arg(rule));
        if (params.contains(QLatin1String("value")) && params.value(QLatin1String("value")).type() != type)
            return invalid(where, QStringLiteral("%1: params.value must be a %2").arg(rule, type == QJsonValue::Bool     ? QStringLiteral("boolean")
                                                                                           : type == QJsonValue::Double ? QStringLiteral("number")
                                                                                                                         : QStringLiteral("string")));
        return Ok{};
    }
    return invalid(where, QStringLiteral("Permission rule '%1' does not exist for resource type '%2'").arg(rule, ScaffolderAction));
}

// lodash.get(object, path): "a.b[0].c" through objects and arrays; Undefined when missing.
QJsonValue valueAtPath(const QJsonValue &root, const QString &path)
{
    QString normalised = path;
    normalised.replace(QLatin1Char('['), QLatin1Char('.')).remove(QLatin1Char(']'));
    QJsonValue current = root;
    for (const QString &part : normalised.split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
        if (current.isObject() && current.toObject().contains(part))
            current = current.toObject().value(part);
        else if (current.isArray() && part.toInt() >= 0 && part == QString::number(part.toInt()) && part.toInt() < current.toArray().size())
            current = current.toArray().at(part.toInt());
        else
            return QJsonValue(QJsonValue::Undefined);
    }
    return current;
}

// HAS_*_PROPERTY on {action, input}: the property must have the rule's type;
// with a value, equal to it (case aside for an SCM action's owner, repoName,
// projectId, repoUrl or a group action's path, as upstream compares them).
bool actionHasProperty(const QJsonObject &resource, const QJsonObject &params, QJsonValue::Type type)
{
    const QString key = params.value(QLatin1String("key")).toString();
    const QJsonValue found = valueAtPath(resource.value(QLatin1String("input")), key);
    if (found.type() != type)
        return false;
    if (!params.contains(QLatin1String("value")))
        return true;
    const QJsonValue wanted = params.value(QLatin1String("value"));
    if (type == QJsonValue::String) {
        const QString property = QString(key).replace(QLatin1Char('['), QLatin1Char('.')).remove(QLatin1Char(']'));
        const QStringList segments = resource.value(QLatin1String("action")).toString().split(QLatin1Char(':'));
        static const QRegularExpression scm(QStringLiteral("^(?:gitlab|github|bitbucket(?:Cloud|Server)?)$"));
        const bool scmAction = std::any_of(segments.cbegin(), segments.cend(), [](const QString &s) { return scm.match(s).hasMatch(); });
        static const QStringList caseless{QStringLiteral("owner"), QStringLiteral("repoName"), QStringLiteral("projectId"), QStringLiteral("repoUrl")};
        if (scmAction && (caseless.contains(property) || (segments.contains(QStringLiteral("group")) && property == QLatin1String("path"))))
            return wanted.toString().compare(found.toString(), Qt::CaseInsensitive) == 0;
    }
    return wanted == found;
}

// The value of `key` in `object`: exactly, else the first key equal ignoring case.
std::optional<QJsonValue> caseInsensitive(const QJsonObject &object, const QString &key)
{
    if (object.contains(key))
        return object.value(key);
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key().compare(key, Qt::CaseInsensitive) == 0)
            return it.value();
    }
    return std::nullopt;
}

bool mapHas(const QJsonObject &map, const QJsonObject &params, const char *keyName)
{
    const auto found = caseInsensitive(map, params.value(QLatin1String(keyName)).toString());
    if (!found)
        return false;
    if (!params.contains(QLatin1String("value")))
        return true;
    return found->toString().compare(params.value(QLatin1String("value")).toString(), Qt::CaseInsensitive) == 0;
}

// HAS_METADATA / HAS_SPEC: on the entity's flattened search rows, as the catalog matches them.
bool flattenedHas(const QJsonObject &entity, const QString &prefix, const QJsonObject &params)
{
    const QString key = (prefix + params.value(QLatin1String("key")).toString()).toLower();
    const bool withValue = params.contains(QLatin1String("value"));
    const QString value = params.value(QLatin1String("value")).toString().toLower();
    auto rows = Model::EntitySearch::rows(entity);
    if (!rows)
        return false;
    for (const Model::SearchRow &row : rows.value()) {
        if (row.key == key && (!withValue || row.value == value))
            return true;
    }
    return false;
}

QJsonArray lowerCased(const QJsonArray &values)
{
    QJsonArray out;
    for (const QJsonValue &value : values)
        out.append(value.toString().toLower());
    return out;
}

// {"<key>": {"$exists": true}} or {"<key>": "<value>"}
QJsonObject keyPredicate(const QString &key, const QJsonObject &params)
{
    if (params.contains(QLatin1String("value")))
        return {{key, params.value(QLatin1String("value"))}};
    return {{key, QJsonObject{{QStringLiteral("$exists"), true}}}};
}

} // namespace

QJsonObject Permission::toJson() const
{
    QJsonObject attributes;
    if (!action.isEmpty())
        attributes.insert(QStringLiteral("action"), action);
    QJsonObject json{{QStringLiteral("type"), type == Type::Basic ? QStringLiteral("basic") : QStringLiteral("resource")},
                     {QStringLiteral("name"), name},
                     {QStringLiteral("attributes"), attributes}};
    if (type == Type::Resource)
        json.insert(QStringLiteral("resourceType"), resourceType);
    return json;
}

const QList<Permission> &knownPermissions()
{
    static const QList<Permission> permissions{
        resource("catalog.entity.read", "read", "catalog-entity"),
        basic("catalog.entity.create", "create"),
        resource("catalog.entity.delete", "delete", "catalog-entity"),
        resource("catalog.entity.refresh", "update", "catalog-entity"),
        basic("catalog.entity.validate"),
        basic("catalog.location.read", "read"),
        basic("catalog.location.create", "create"),
        basic("catalog.location.delete", "delete"),
        basic("catalog.location.analyze"),
        basic("catalog.ingestion.read", "read"),
        basic("catalog.ingestion.manage", "update"),
        resource("scaffolder.action.execute", "", "scaffolder-action"),
        resource("scaffolder.template.parameter.read", "read", "scaffolder-template"),
        resource("scaffolder.template.step.read", "read", "scaffolder-template"),
        basic("scaffolder.template.dry-run"),
        basic("scaffolder.template.management"),
        basic("scaffolder.task.create", "create"),
        resource("scaffolder.task.read", "read", "scaffolder-task"),
        resource("scaffolder.task.cancel", "", "scaffolder-task"),
    };
    return permissions;
}

std::optional<Permission> permissionNamed(const QString &name)
{
    for (const Permission &permission : knownPermissions()) {
        if (permission.name == name)
            return permission;
    }
    return std::nullopt;
}

QJsonObject PolicyDecision::toJson() const
{
    switch (result) {
    case Result::Allow:
        return {{QStringLiteral("result"), QStringLiteral("ALLOW")}};
    case Result::Deny:
        return {{QStringLiteral("result"), QStringLiteral("DENY")}};
    case Result::Conditional:
        break;
    }
    return {{QStringLiteral("result"), QStringLiteral("CONDITIONAL")},
            {QStringLiteral("pluginId"), pluginId},
            {QStringLiteral("resourceType"), resourceType},
            {QStringLiteral("conditions"), conditions}};
}

Status PermissionCriteria::check(const QJsonValue &criteria, const QString &resourceType, const QString &where)
{
    if (!criteria.isObject())
        return invalid(where, QStringLiteral("conditions must be an object: a rule, allOf, anyOf or not"));
    const QJsonObject object = criteria.toObject();
    for (const char *combinator : {"allOf", "anyOf"}) {
        if (!object.contains(QLatin1String(combinator)))
            continue;
        const QJsonArray children = object.value(QLatin1String(combinator)).toArray();
        if (object.size() != 1 || children.isEmpty())
            return invalid(where, QStringLiteral("%1 must be the only key, with a non-empty list of conditions").arg(QLatin1String(combinator)));
        for (const QJsonValue &child : children) {
            if (Status s = check(child, resourceType, where); !s)
                return s;
        }
        return Ok{};
    }
    if (object.contains(QLatin1String("not"))) {
        if (object.size() != 1)
            return invalid(where, QStringLiteral("not must be the only key"));
        return check(object.value(QLatin1String("not")), resourceType, where);
    }
    const QString rule = object.value(QLatin1String("rule")).toString();
    if (rule.isEmpty())
        return invalid(where, QStringLiteral("a condition needs a rule, or allOf, anyOf or not"));
    const QString type = object.value(QLatin1String("resourceType")).toString();
    if (type != resourceType)
        return invalid(where, QStringLiteral("condition %1 is for resource type '%2', the permission's is '%3'").arg(rule, type, resourceType));
    if (resourceType == ScaffolderAction)
        return checkActionParams(rule, object.value(QLatin1String("params")).toObject(), where);
    if (resourceType == ScaffolderTask) {
        // IS_TASK_OWNER {createdBy}: a task, by the user ref that created it.
        if (rule != QLatin1String("IS_TASK_OWNER"))
            return invalid(where, QStringLiteral("Permission rule '%1' does not exist for resource type '%2'").arg(rule, resourceType));
        const QJsonValue createdBy = object.value(QLatin1String("params")).toObject().value(QLatin1String("createdBy"));
        const QJsonArray refs = createdBy.toArray();
        if (!createdBy.isArray() || std::any_of(refs.begin(), refs.end(), [](const QJsonValue &ref) { return !ref.isString(); }))
            return invalid(where, QStringLiteral("IS_TASK_OWNER needs params.createdBy, a list of strings"));
        return Ok{};
    }
    if (resourceType == ScaffolderTemplate) {
        // HAS_TAG {tag}: a template's parameter page or step, by its backstage:permissions.tags.
        if (rule != QLatin1String("HAS_TAG"))
            return invalid(where, QStringLiteral("Permission rule '%1' does not exist for resource type '%2'").arg(rule, resourceType));
        if (!object.value(QLatin1String("params")).toObject().value(QLatin1String("tag")).isString())
            return invalid(where, QStringLiteral("HAS_TAG needs params.tag, a string"));
        return Ok{};
    }
    if (resourceType != CatalogEntity)
        return invalid(where, QStringLiteral("Permission rule '%1' does not exist for resource type '%2'").arg(rule, resourceType));
    return checkParams(rule, object.value(QLatin1String("params")).toObject(), where);
}

bool PermissionCriteria::matches(const QJsonValue &criteria, const QJsonObject &entity)
{
    const QJsonObject object = criteria.toObject();
    if (object.contains(QLatin1String("allOf"))) {
        for (const QJsonValue &child : object.value(QLatin1String("allOf")).toArray()) {
            if (!matches(child, entity))
                return false;
        }
        return true;
    }
    if (object.contains(QLatin1String("anyOf"))) {
        for (const QJsonValue &child : object.value(QLatin1String("anyOf")).toArray()) {
            if (matches(child, entity))
                return true;
        }
        return false;
    }
    if (object.contains(QLatin1String("not")))
        return !matches(object.value(QLatin1String("not")), entity);
    const QString rule = object.value(QLatin1String("rule")).toString();
    const QJsonObject params = object.value(QLatin1String("params")).toObject();
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    if (rule == QLatin1String("IS_TASK_OWNER")) {
        const QString createdBy = entity.value(QLatin1String("createdBy")).toString();
        return !createdBy.isEmpty() && params.value(QLatin1String("createdBy")).toArray().contains(createdBy);
    }
    if (rule == QLatin1String("HAS_TAG")) {
        const QJsonArray tags = entity.value(QLatin1String("backstage:permissions")).toObject().value(QLatin1String("tags")).toArray();
        return tags.contains(params.value(QLatin1String("tag")));
    }
    // The scaffolder's action rules, on {action, input}.
    if (rule == QLatin1String("HAS_ACTION_ID"))
        return entity.value(QLatin1String("action")).toString() == params.value(QLatin1String("actionId")).toString();
    if (rule == QLatin1String("HAS_BOOLEAN_PROPERTY"))
        return actionHasProperty(entity, params, QJsonValue::Bool);
    if (rule == QLatin1String("HAS_NUMBER_PROPERTY"))
        return actionHasProperty(entity, params, QJsonValue::Double);
    if (rule == QLatin1String("HAS_STRING_PROPERTY"))
        return actionHasProperty(entity, params, QJsonValue::String);
    if (rule == QLatin1String("IS_ENTITY_KIND")) {
        const QString kind = entity.value(QLatin1String("kind")).toString();
        for (const QJsonValue &wanted : params.value(QLatin1String("kinds")).toArray()) {
            if (wanted.toString().compare(kind, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    if (rule == QLatin1String("IS_ENTITY_OWNER")) {
        const QJsonArray claims = params.value(QLatin1String("claims")).toArray();
        for (const QJsonValue &relation : entity.value(QLatin1String("relations")).toArray()) {
            if (relation[QLatin1String("type")].toString() == QLatin1String("ownedBy") && claims.contains(relation[QLatin1String("targetRef")]))
                return true;
        }
        return false;
    }
    if (rule == QLatin1String("HAS_ANNOTATION"))
        return mapHas(metadata.value(QLatin1String("annotations")).toObject(), params, "annotation");
    if (rule == QLatin1String("HAS_LABEL"))
        return mapHas(metadata.value(QLatin1String("labels")).toObject(), params, "label");
    if (rule == QLatin1String("HAS_METADATA"))
        return flattenedHas(entity, QStringLiteral("metadata."), params);
    if (rule == QLatin1String("HAS_SPEC"))
        return flattenedHas(entity, QStringLiteral("spec."), params);
    return false;   // never: checked before
}

QJsonValue PermissionCriteria::toPredicate(const QJsonValue &criteria)
{
    const QJsonObject object = criteria.toObject();
    for (const auto &[combinator, operation] : {std::pair{"allOf", "$all"}, std::pair{"anyOf", "$any"}}) {
        if (!object.contains(QLatin1String(combinator)))
            continue;
        QJsonArray children;
        for (const QJsonValue &child : object.value(QLatin1String(combinator)).toArray())
            children.append(toPredicate(child));
        return QJsonObject{{QLatin1String(operation), children}};
    }
    if (object.contains(QLatin1String("not")))
        return QJsonObject{{QStringLiteral("$not"), toPredicate(object.value(QLatin1String("not")))}};
    const QString rule = object.value(QLatin1String("rule")).toString();
    const QJsonObject params = object.value(QLatin1String("params")).toObject();
    if (rule == QLatin1String("IS_ENTITY_KIND"))
        return QJsonObject{{QStringLiteral("kind"), QJsonObject{{QStringLiteral("$in"), lowerCased(params.value(QLatin1String("kinds")).toArray())}}}};
    if (rule == QLatin1String("IS_ENTITY_OWNER"))
        return QJsonObject{{QStringLiteral("relations.ownedBy"), QJsonObject{{QStringLiteral("$in"), params.value(QLatin1String("claims"))}}}};
    if (rule == QLatin1String("HAS_ANNOTATION"))
        return keyPredicate(QStringLiteral("metadata.annotations.") + params.value(QLatin1String("annotation")).toString(), params);
    if (rule == QLatin1String("HAS_LABEL"))
        return keyPredicate(QStringLiteral("metadata.labels.") + params.value(QLatin1String("label")).toString(), params);
    if (rule == QLatin1String("HAS_METADATA"))
        return keyPredicate(QStringLiteral("metadata.") + params.value(QLatin1String("key")).toString(), params);
    if (rule == QLatin1String("HAS_SPEC"))
        return keyPredicate(QStringLiteral("spec.") + params.value(QLatin1String("key")).toString(), params);
    // Never: checked before. Matching nothing is the safe answer.
    return QJsonObject{{QStringLiteral("$any"), QJsonArray{}}};
}

} // namespace Greenroom::Auth
