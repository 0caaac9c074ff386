// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QStringList>
#include <optional>

namespace Greenroom::Model {

struct PolicyViolation
{
    QString message;
    QStringList path;   // field the message is about
};

/*
 * One rule every entity must satisfy before its kind is even looked at
 * (Backstage's EntityPolicy). A policy may also fill in defaults, which is why
 * the entity is passed by reference.
 */
class EntityPolicy
{
public:
    virtual ~EntityPolicy() = default;
    virtual std::optional<PolicyViolation> enforce(QJsonObject &entity) const = 0;
};

} // namespace Greenroom::Model
