// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "permissionpolicy.h"
#include "tokenauthenticator.h"

#include <common/result.h>
#include <model/entityfilter.h>

#include <optional>

namespace Greenroom::Auth {

/*
 * Backstage's permissions service as the catalog uses it: the decision for
 * whoever made a request, and what it means for entities.
 *
 * - permission.enabled false: everything is allowed.
 * - Service callers are allowed, unless their token's accessRestrictions
 *   name permissions for the plugin and this is not one of them.
 * - Users are decided by the policy file.
 * - A request with no credentials at all (a server without tokens, which
 *   listens on loopback only) is decided as a guest: a user with no
 *   ownership refs, so only rules for everyone apply to it.
 */
class Authorizer
{
public:
    // Everything allowed (permission.enabled is false).
    Authorizer() = default;
    explicit Authorizer(PermissionPolicy policy) : m_policy(std::move(policy)), m_enabled(true) {}

    bool isEnabled() const { return m_enabled; }
    const PermissionPolicy &policy() const { return m_policy; }

    PolicyDecision decide(const Principal &caller, const Permission &permission) const;
    // A known permission by name (catalog.entity.read, ...).
    PolicyDecision decide(const Principal &caller, const QString &permissionName) const;

    // For permissions checked without a resource (locations, validate,
    // analyze): NotAllowedError unless the decision is ALLOW.
    Status require(const Principal &caller, const QString &permissionName) const;

    // The entities a catalog-entity permission admits for `caller`: nullopt
    // when all of them, otherwise a filter to AND into the store's query
    // (one that matches nothing for DENY). Conditions become the query
    // filter itself, so paging and counts stay right.
    std::optional<Model::EntityFilter> entityScope(const Principal &caller, const QString &permissionName) const;
    // Whether `entity` (a final entity, or none) is admitted: a conditional
    // decision evaluated on it, as a permission asked with a resourceRef.
    bool allowsEntity(const Principal &caller, const QString &permissionName, const std::optional<QJsonObject> &entity) const;

    // A filter no entity matches, and whether a scope is that filter (the
    // caller is denied: routes answer empty without asking the store).
    static Model::EntityFilter nothing();
    static bool isNothing(const std::optional<Model::EntityFilter> &scope);

private:
    PermissionPolicy m_policy = PermissionPolicy::allowAll();
    bool m_enabled = false;
};

} // namespace Greenroom::Auth
