// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "permissionpolicy.h"

#include <common/glob.h>
#include <yaml/yamlreader.h>

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

namespace Greenroom::Auth {

namespace {

const QString UserEnt = QStringLiteral("$user.ent");
const QString UserRef = QStringLiteral("$user.ref");

// A value or a list of values, as text.
Result<QStringList> texts(const QJsonValue &value, const QString &where, const QString &name)
{
    const QJsonArray items = value.isArray() ? value.toArray() : QJsonArray{value};
    QStringList out;
    for (const QJsonValue &item : items) {
        if (!item.isString() || item.toString().isEmpty())
            return Error::input(QStringLiteral("%1: %2 must be a text or a list of texts").arg(where, name));
        out.append(item.toString());
    }
    return out;
}

// A permission name pattern ("catalog.entity.*") as the project's globs read it.
QRegularExpression namePattern(const QString &pattern)
{
    return Glob::globToRegularExpression(pattern);
}

// `$user.ent` and `$user.ref` replaced by the caller's refs, inside lists too.
QJsonValue expanded(const QJsonValue &value, const PolicyUser &user)
{
    if (value.isString()) {
        if (value.toString() == UserEnt)
            return QJsonArray::fromStringList(user.ownershipRefs);
        if (value.toString() == UserRef)
            return user.ref;
        return value;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray()) {
            const QJsonValue replaced = expanded(item, user);
            if (item.isString() && item.toString() == UserEnt) {
                for (const QJsonValue &ref : replaced.toArray())
                    out.append(ref);
            } else {
                out.append(replaced);
            }
        }
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            out.insert(it.key(), expanded(it.value(), user));
        return out;
    }
    return value;
}

QString pluginOf(const QString &resourceType)
{
    return resourceType.section(QLatin1Char('-'), 0, 0) == QLatin1String("scaffolder") ? QStringLiteral("scaffolder")
                                                                                        : QStringLiteral("catalog");
}

} // namespace

PermissionPolicy PermissionPolicy::allowAll()
{
    PermissionPolicy policy;
    policy.m_default = PolicyDecision::Result::Allow;
    return policy;
}

Result<PermissionPolicy> PermissionPolicy::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("%1: cannot read the permission policy: %2").arg(path, file.errorString()));
    return parse(file.readAll(), path);
}

Result<PermissionPolicy> PermissionPolicy::parse(const QByteArray &yaml, const QString &fileName)
{
    const Yaml::YamlStream stream = Yaml::YamlReader::read(yaml, fileName);
    if (stream.documents.size() != 1)
        return Error::input(QStringLiteral("%1: a permission policy is one YAML document").arg(fileName));
    const Yaml::YamlDocument &document = stream.documents.first();
    if (document.error) {
        const QString message = document.error->message;
        return Error::input(message.startsWith(fileName) ? message : QStringLiteral("%1: %2").arg(fileName, message));
    }
    const auto at = [&](const QStringList &path) {
        const int line = document.positions.line(path);
        return line > 0 ? QStringLiteral("%1:%2").arg(fileName).arg(line) : fileName;
    };
    if (!document.value.isObject())
        return Error::input(QStringLiteral("%1: a permission policy is a map with defaultDecision and rules").arg(at({})));
    const QJsonObject root = document.value.toObject();
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        if (it.key() != QLatin1String("defaultDecision") && it.key() != QLatin1String("rules"))
            return Error::input(QStringLiteral("%1: unknown key '%2' (a policy has defaultDecision and rules)").arg(at({it.key()}), it.key()));
    }
    PermissionPolicy policy;
    const QString fallback = root.value(QLatin1String("defaultDecision")).toString(QStringLiteral("deny"));
    if (fallback != QLatin1String("allow") && fallback != QLatin1String("deny"))
        return Error::input(QStringLiteral("%1: defaultDecision must be allow or deny").arg(at({QStringLiteral("defaultDecision")})));
    policy.m_default = fallback == QLatin1String("allow") ? PolicyDecision::Result::Allow : PolicyDecision::Result::Deny;
    if (root.contains(QLatin1String("rules")) && !root.value(QLatin1String("rules")).isArray())
        return Error::input(QStringLiteral("%1: rules must be a list").arg(at({QStringLiteral("rules")})));
    const QJsonArray rules = root.value(QLatin1String("rules")).toArray();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QString index = QString::number(i);
        const QString where = at({QStringLiteral("rules"), index});
        if (!rules.at(i).isObject())
            return Error::input(QStringLiteral("%1: a rule is a map with match, if, decision and conditions").arg(where));
        const QJsonObject object = rules.at(i).toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            static const QStringList known{QStringLiteral("match"), QStringLiteral("if"), QStringLiteral("decision"), QStringLiteral("conditions")};
            if (!known.contains(it.key()))
                return Error::input(QStringLiteral("%1: unknown key '%2' in a rule").arg(at({QStringLiteral("rules"), index, it.key()}), it.key()));
        }
        Rule rule;
        QStringList permissionNames;
        const QJsonObject match = object.value(QLatin1String("match")).toObject();
        const QString matchAt = at({QStringLiteral("rules"), index, QStringLiteral("match")});
        if (!object.value(QLatin1String("match")).isObject() && object.contains(QLatin1String("match")))
            return Error::input(QStringLiteral("%1: match must be a map").arg(matchAt));
        for (auto it = match.constBegin(); it != match.constEnd(); ++it) {
            const QString keyAt = at({QStringLiteral("rules"), index, QStringLiteral("match"), it.key()});
            QStringList *target = it.key() == QLatin1String("permission")     ? &permissionNames
                                  : it.key() == QLatin1String("action")       ? &rule.actions
                                  : it.key() == QLatin1String("resourceType") ? &rule.resourceTypes
                                                                              : nullptr;
            if (!target)
                return Error::input(QStringLiteral("%1: unknown match key '%2' (permission, action, resourceType)").arg(keyAt, it.key()));
            auto values = texts(it.value(), keyAt, QStringLiteral("match.") + it.key());
            if (!values)
                return values.error();
            *target = values.value();
        }
        for (const QString &pattern : std::as_const(permissionNames)) {
            rule.permissionPatterns.append(namePattern(pattern));
            const QRegularExpression &expression = rule.permissionPatterns.last();
            const bool known = std::any_of(knownPermissions().cbegin(), knownPermissions().cend(),
                                           [&](const Permission &p) { return expression.match(p.name).hasMatch(); });
            if (!known)
                return Error::input(QStringLiteral("%1: no permission is named '%2'")
                                        .arg(at({QStringLiteral("rules"), index, QStringLiteral("match"), QStringLiteral("permission")}), pattern));
        }
        const QJsonObject condition = object.value(QLatin1String("if")).toObject();
        for (auto it = condition.constBegin(); it != condition.constEnd(); ++it) {
            const QString keyAt = at({QStringLiteral("rules"), index, QStringLiteral("if"), it.key()});
            QStringList *target = it.key() == QLatin1String("groups") ? &rule.groups : it.key() == QLatin1String("users") ? &rule.users : nullptr;
            if (!target)
                return Error::input(QStringLiteral("%1: unknown if key '%2' (groups, users)").arg(keyAt, it.key()));
            auto values = texts(it.value(), keyAt, QStringLiteral("if.") + it.key());
            if (!values)
                return values.error();
            for (const QString &ref : values.value())
                target->append(ref.toLower());
        }
        const QString decisionAt = at({QStringLiteral("rules"), index, QStringLiteral("decision")});
        const QString decision = object.value(QLatin1String("decision")).toString();
        if (decision == QLatin1String("allow")) {
            rule.decision = PolicyDecision::Result::Allow;
        } else if (decision == QLatin1String("deny")) {
            rule.decision = PolicyDecision::Result::Deny;
        } else if (decision == QLatin1String("conditional")) {
            rule.decision = PolicyDecision::Result::Conditional;
            // Every permission the rule can match must be a resource permission of one type.
            QStringList types = rule.resourceTypes;
            for (const Permission &permission : knownPermissions()) {
                const bool matched = (rule.permissionPatterns.isEmpty()
                                      || std::any_of(rule.permissionPatterns.cbegin(), rule.permissionPatterns.cend(),
                                                     [&](const QRegularExpression &p) { return p.match(permission.name).hasMatch(); }))
                                     && (rule.actions.isEmpty() || rule.actions.contains(permission.action))
                                     && (rule.resourceTypes.isEmpty() || rule.resourceTypes.contains(permission.resourceType));
                if (!matched)
                    continue;
                if (permission.type == Permission::Type::Basic)
                    return Error::input(QStringLiteral("%1: a conditional decision needs resource permissions, and '%2' is a basic one "
                                                       "(match a resourceType)").arg(decisionAt, permission.name));
                if (!types.contains(permission.resourceType))
                    types.append(permission.resourceType);
            }
            if (types.size() != 1)
                return Error::input(QStringLiteral("%1: a conditional decision must match permissions of one resource type").arg(decisionAt));
            const QString conditionsAt = at({QStringLiteral("rules"), index, QStringLiteral("conditions")});
            if (!object.contains(QLatin1String("conditions")))
                return Error::input(QStringLiteral("%1: a conditional decision needs conditions").arg(decisionAt));
            // Checked with the caller's refs standing in for $user.*.
            const PolicyUser sample{QStringLiteral("user:default/someone"), {QStringLiteral("user:default/someone")}};
            if (Status s = PermissionCriteria::check(expanded(object.value(QLatin1String("conditions")), sample), types.first(), conditionsAt); !s)
                return s.error();
            rule.conditions = object.value(QLatin1String("conditions")).toObject();
            rule.resourceTypes = types;
        } else {
            return Error::input(QStringLiteral("%1: decision must be allow, deny or conditional").arg(decisionAt));
        }
        if (rule.decision != PolicyDecision::Result::Conditional && object.contains(QLatin1String("conditions")))
            return Error::input(QStringLiteral("%1: conditions belong to a conditional decision only")
                                    .arg(at({QStringLiteral("rules"), index, QStringLiteral("conditions")})));
        policy.m_rules.append(rule);
    }
    return policy;
}

bool PermissionPolicy::Rule::matches(const Permission &permission, const PolicyUser &user) const
{
    if (!permissionPatterns.isEmpty()
        && std::none_of(permissionPatterns.cbegin(), permissionPatterns.cend(),
                        [&](const QRegularExpression &p) { return p.match(permission.name).hasMatch(); }))
        return false;
    if (!actions.isEmpty() && !actions.contains(permission.action))
        return false;
    if (!resourceTypes.isEmpty() && !resourceTypes.contains(permission.resourceType))
        return false;
    const auto holds = [&](const QStringList &refs) {
        return std::any_of(refs.cbegin(), refs.cend(), [&](const QString &ref) {
            return user.ownershipRefs.contains(ref, Qt::CaseInsensitive) || user.ref.compare(ref, Qt::CaseInsensitive) == 0;
        });
    };
    if ((!groups.isEmpty() || !users.isEmpty()) && !holds(groups) && !holds(users))
        return false;
    return true;
}

PolicyDecision PermissionPolicy::decide(const Permission &permission, const PolicyUser &user) const
{
    for (const Rule &rule : m_rules) {
        if (!rule.matches(permission, user))
            continue;
        PolicyDecision decision;
        decision.result = rule.decision;
        if (rule.decision == PolicyDecision::Result::Conditional) {
            decision.resourceType = permission.resourceType;
            decision.pluginId = pluginOf(permission.resourceType);
            decision.conditions = expanded(rule.conditions, user).toObject();
        }
        return decision;
    }
    PolicyDecision decision;
    decision.result = m_default;
    return decision;
}

} // namespace Greenroom::Auth
