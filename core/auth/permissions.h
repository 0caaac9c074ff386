// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Greenroom::Auth {

// A permission as Backstage defines it: basic, or on a resource type.
struct Permission
{
    enum class Type { Basic, Resource };
    QString name;           // "catalog.entity.delete"
    Type type = Type::Basic;
    QString action;         // create | read | update | delete, or empty
    QString resourceType;   // resource permissions only: "catalog-entity"

    // {type, name, attributes: {action?}, resourceType?}
    QJsonObject toJson() const;
};

// The catalog's and the scaffolder's permissions (catalog-common, scaffolder-common).
const QList<Permission> &knownPermissions();
std::optional<Permission> permissionNamed(const QString &name);

// What a policy says: ALLOW, DENY, or CONDITIONAL with Backstage's criteria
// ({rule, resourceType, params} leaves under allOf / anyOf / not).
struct PolicyDecision
{
    enum class Result { Allow, Deny, Conditional };
    Result result = Result::Deny;
    QString pluginId;        // conditional: the plugin that owns the resource type ("catalog")
    QString resourceType;
    QJsonObject conditions;

    QJsonObject toJson() const;   // {result, pluginId?, resourceType?, conditions?}
};

/*
 * Backstage's permission criteria for a resource type: checked (unknown
 * rules and wrong parameters are errors, never a silent ALLOW), evaluated on
 * one resource, and turned into the catalog's query predicate so a
 * conditional decision filters inside the store's query rather than by
 * loading and discarding.
 *
 * The catalog's rules (catalog-backend's permissions/rules): IS_ENTITY_KIND
 * {kinds}, IS_ENTITY_OWNER {claims}, HAS_ANNOTATION {annotation, value?},
 * HAS_LABEL {label, value?}, HAS_METADATA {key, value?}, HAS_SPEC {key, value?}.
 * The scaffolder's action rules (scaffolder-backend's rules), on a resource
 * {action, input}: HAS_ACTION_ID {actionId}, HAS_BOOLEAN_PROPERTY,
 * HAS_NUMBER_PROPERTY and HAS_STRING_PROPERTY {key (a lodash path), value?};
 * its template rule, on a parameter page or step: HAS_TAG {tag}, in the
 * object's backstage:permissions.tags; its task rule, on {createdBy}:
 * IS_TASK_OWNER {createdBy}.
 */
class PermissionCriteria
{
public:
    // `where` names the place for error messages ("permissions.yaml:12").
    static Status check(const QJsonValue &criteria, const QString &resourceType, const QString &where = {});
    // Whether `entity` (a final catalog entity, or a scaffolder action's {action, input}) meets the criteria.
    static bool matches(const QJsonValue &criteria, const QJsonObject &entity);
    // The criteria as a filter predicate of the catalog's queries (Model::EntityPredicate's JSON).
    static QJsonValue toPredicate(const QJsonValue &criteria);
};

} // namespace Greenroom::Auth
