// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/result.h>

#include <QJsonObject>
#include <QString>

namespace Greenroom::Model {

inline const QString DefaultNamespace = QStringLiteral("default");

/*
 * An entity reference `[<kind>:][<namespace>/]<name>`, parsed and printed
 * exactly as @backstage/catalog-model does. Parsing keeps the case of each
 * part; toString() gives the canonical lower-case `kind:namespace/name` that
 * the catalog uses as the entity's identity.
 */
class EntityRef
{
public:
    struct Defaults
    {
        QString kind;        // empty: the ref must name its kind
        QString namespaceName; // empty: "default"
    };

    EntityRef() = default;
    EntityRef(QString kind, QString namespaceName, QString name);

    static Result<EntityRef> parse(const QString &ref, const Defaults &defaults = {});
    // Kind, namespace (default when absent) and name of an entity, case kept.
    static EntityRef fromEntity(const QJsonObject &entity);
    // Canonical lower-case `kind:namespace/name`.
    static QString canonical(const QString &kind, const QString &namespaceName, const QString &name);
    static QString canonical(const QJsonObject &entity);
    // A ref as Backstage's frontend shows it (humanizeEntityRef): the kind
    // left out when it is `defaultKind`, the namespace when it is "default".
    // Text that is not a ref comes back as it is.
    static QString humanize(const QString &ref, const QString &defaultKind = {});

    const QString &kind() const { return m_kind; }
    const QString &namespaceName() const { return m_namespace; }
    const QString &name() const { return m_name; }
    bool isValid() const { return !m_name.isEmpty(); }

    QString toString() const { return canonical(m_kind, m_namespace, m_name); }

    // Identity is case-insensitive.
    friend bool operator==(const EntityRef &a, const EntityRef &b) { return a.toString() == b.toString(); }

private:
    QString m_kind;
    QString m_namespace;
    QString m_name;
};

} // namespace Greenroom::Model
