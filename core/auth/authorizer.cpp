// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "authorizer.h"

#include <model/entitypredicate.h>

namespace Greenroom::Auth {

namespace {

PolicyDecision allow()
{
    PolicyDecision decision;
    decision.result = PolicyDecision::Result::Allow;
    return decision;
}

} // namespace

PolicyDecision Authorizer::decide(const Principal &caller, const Permission &permission) const
{
    if (!m_enabled)
        return allow();
    if (caller.type == Principal::Type::Service) {
        // accessRestrictions name the permissions a token may use per plugin.
        const QString plugin = permission.name.section(QLatin1Char('.'), 0, 0);
        const QStringList allowed = caller.pluginRestrictions.value(plugin);
        if (allowed.isEmpty() || allowed.contains(permission.name))
            return allow();
        return {};
    }
    return m_policy.decide(permission, PolicyUser{caller.subject, caller.ownershipRefs});
}

PolicyDecision Authorizer::decide(const Principal &caller, const QString &permissionName) const
{
    const std::optional<Permission> permission = permissionNamed(permissionName);
    Q_ASSERT(permission);
    return permission ? decide(caller, *permission) : PolicyDecision{};
}

Status Authorizer::require(const Principal &caller, const QString &permissionName) const
{
    if (decide(caller, permissionName).result == PolicyDecision::Result::Allow)
        return Ok{};
    // Backstage throws `new NotAllowedError()`: no message.
    return Error(QStringLiteral("NotAllowedError"), QString());
}

std::optional<Model::EntityFilter> Authorizer::entityScope(const Principal &caller, const QString &permissionName) const
{
    const PolicyDecision decision = decide(caller, permissionName);
    switch (decision.result) {
    case PolicyDecision::Result::Allow:
        return std::nullopt;
    case PolicyDecision::Result::Deny:
        return nothing();
    case PolicyDecision::Result::Conditional:
        break;
    }
    // The policy's conditions were checked at load, so they translate; a
    // predicate that does not parse would be a bug, and admits nothing.
    auto predicate = Model::EntityPredicate::fromJson(PermissionCriteria::toPredicate(decision.conditions));
    Q_ASSERT(predicate);
    return predicate ? Model::EntityFilter::fromPredicate(predicate.value()) : nothing();
}

bool Authorizer::allowsEntity(const Principal &caller, const QString &permissionName, const std::optional<QJsonObject> &entity) const
{
    const PolicyDecision decision = decide(caller, permissionName);
    if (decision.result == PolicyDecision::Result::Conditional)
        return entity && PermissionCriteria::matches(decision.conditions, *entity);
    return decision.result == PolicyDecision::Result::Allow;
}

Model::EntityFilter Authorizer::nothing()
{
    Model::EntityFilter filter;
    Model::EntityPredicate none;
    none.type = Model::EntityPredicate::Type::Any;   // no alternatives: false
    filter.predicates.push_back(none);
    return filter;
}

bool Authorizer::isNothing(const std::optional<Model::EntityFilter> &scope)
{
    return scope && scope->anyOf.isEmpty() && scope->predicates.size() == 1
           && scope->predicates.front().type == Model::EntityPredicate::Type::Any && scope->predicates.front().children.empty();
}

} // namespace Greenroom::Auth
