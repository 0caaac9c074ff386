// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "entityref.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace Greenroom::Model {

EntityRef::EntityRef(QString kind, QString namespaceName, QString name)
    : m_kind(std::move(kind)), m_namespace(std::move(namespaceName)), m_name(std::move(name))
{
}

Result<EntityRef> EntityRef::parse(const QString &ref, const Defaults &defaults)
{
    if (ref.isEmpty())
        return Error{QStringLiteral("Error"), QStringLiteral("Entity reference must not be empty")};

    // Not a regex: the first ':' and first '/' decide, and a '/' before the
    // ':' means there is no kind (so names may contain ':' and '/').
    qsizetype colon = ref.indexOf(QLatin1Char(':'));
    const qsizetype slash = ref.indexOf(QLatin1Char('/'));
    if (slash != -1 && slash < colon)
        colon = -1;
    const bool hasKind = colon != -1;
    const bool hasNamespace = slash != -1;
    const QString kind = hasKind ? ref.left(colon) : QString();
    const QString ns = hasNamespace ? ref.mid(colon + 1, slash - colon - 1) : QString();
    const QString name = ref.mid(std::max(colon + 1, slash + 1));
    if ((hasKind && kind.isEmpty()) || (hasNamespace && ns.isEmpty()) || name.isEmpty()) {
        return Error{QStringLiteral("TypeError"),
                     QStringLiteral("Entity reference \"%1\" was not on the form [<kind>:][<namespace>/]<name>").arg(ref)};
    }
    const QString resolvedKind = hasKind ? kind : defaults.kind;
    const QString resolvedNamespace = hasNamespace ? ns
                                                   : (defaults.namespaceName.isEmpty() ? DefaultNamespace
                                                                                       : defaults.namespaceName);
    const QString quoted = QString::fromUtf8(QJsonDocument(QJsonArray{ref}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    if (resolvedKind.isEmpty()) {
        return Error{QStringLiteral("Error"),
                     QStringLiteral("Entity reference %1 had missing or empty kind (e.g. did not start with \"component:\" or similar)")
                         .arg(quoted)};
    }
    return EntityRef(resolvedKind, resolvedNamespace, name);
}

EntityRef EntityRef::fromEntity(const QJsonObject &entity)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    QString ns = metadata.value(QLatin1String("namespace")).toString();
    if (ns.isEmpty())
        ns = DefaultNamespace;
    return EntityRef(entity.value(QLatin1String("kind")).toString(), ns,
                     metadata.value(QLatin1String("name")).toString());
}

QString EntityRef::canonical(const QString &kind, const QString &namespaceName, const QString &name)
{
    QString ref;
    ref.reserve(kind.size() + namespaceName.size() + name.size() + 2);
    ref += kind.toLower();
    ref += QLatin1Char(':');
    ref += (namespaceName.isEmpty() ? DefaultNamespace : namespaceName).toLower();
    ref += QLatin1Char('/');
    ref += name.toLower();
    return ref;
}

QString EntityRef::canonical(const QJsonObject &entity)
{
    return fromEntity(entity).toString();
}

QString EntityRef::humanize(const QString &ref, const QString &defaultKind)
{
    auto parsed = parse(ref);
    if (!parsed)
        return ref;
    const EntityRef &r = parsed.value();
    QString text;
    if (defaultKind.isEmpty() || r.kind().compare(defaultKind, Qt::CaseInsensitive) != 0)
        text += r.kind().toLower() + QLatin1Char(':');
    if (r.namespaceName() != DefaultNamespace)
        text += r.namespaceName() + QLatin1Char('/');
    return text + r.name();
}

} // namespace Greenroom::Model
