// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "permissions.h"

#include <common/result.h>

#include <QByteArray>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace Greenroom::Auth {

// Who asks: a signed-in user, with the ownership refs of their token (`ent`).
struct PolicyUser
{
    QString ref;                   // user:default/jane.doe
    QStringList ownershipRefs;     // the user and their groups
};

/*
 * Greenroom's permission policy: what Backstage writes as a TypeScript
 * PermissionPolicy, as a YAML file (permission.policyFile):
 *
 *   defaultDecision: deny              # allow | deny, when no rule matches
 *   rules:                             # the first that matches decides
 *     - match: {permission: catalog.entity.delete}
 *       if: {groups: [group:default/platform-team]}
 *       decision: allow
 *     - match: {permission: catalog.entity.delete}
 *       decision: deny
 *     - match: {resourceType: catalog-entity, action: read}
 *       decision: conditional
 *       conditions:                    # Backstage's criteria JSON
 *         anyOf:
 *           - {rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: {claims: $user.ent}}
 *           - {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: [API, System]}}
 *
 * `match` keys must all hold: `permission` (names, or globs such as
 * catalog.entity.*), `action`, `resourceType`; each a value or a list.
 * `if` narrows a rule to callers: `groups` or `users` (any of their refs).
 * In conditions, `$user.ent` is the caller's ownership refs and `$user.ref`
 * their ref. A conditional rule must match resource permissions of one
 * resource type, as Backstage requires. Every mistake is refused at load
 * with the file and line, so a typo never becomes an ALLOW.
 *
 * The policy decides for users only; service callers are governed by
 * their tokens' accessRestrictions, as in Backstage.
 */
class PermissionPolicy
{
public:
    // Allows everything: permission.enabled is false.
    static PermissionPolicy allowAll();
    static Result<PermissionPolicy> parse(const QByteArray &yaml, const QString &fileName);
    static Result<PermissionPolicy> load(const QString &path);

    PolicyDecision decide(const Permission &permission, const PolicyUser &user) const;

private:
    struct Rule
    {
        QList<QRegularExpression> permissionPatterns;   // names or globs, compiled; empty: any
        QStringList actions;
        QStringList resourceTypes;
        QStringList groups;        // `if`: any of these among the caller's ownership refs
        QStringList users;
        PolicyDecision::Result decision = PolicyDecision::Result::Deny;
        QJsonObject conditions;
        bool matches(const Permission &permission, const PolicyUser &user) const;
    };
    PolicyDecision::Result m_default = PolicyDecision::Result::Deny;
    QList<Rule> m_rules;
};

} // namespace Greenroom::Auth
