// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Greenroom::Model {

// A directed relation between two entities, both named by canonical refs.
struct Relation
{
    QString sourceRef;
    QString type;
    QString targetRef;

    friend bool operator==(const Relation &, const Relation &) = default;
    friend auto operator<=>(const Relation &a, const Relation &b)
    {
        if (auto c = QString::compare(a.sourceRef, b.sourceRef); c != 0)
            return c <=> 0;
        if (auto c = QString::compare(a.type, b.type); c != 0)
            return c <=> 0;
        return QString::compare(a.targetRef, b.targetRef) <=> 0;
    }
};

// Target refs of a stitched entity's `relations` of `type`, sorted and
// distinct; only those of `targetKind` (any case) when it is given.
QStringList relationTargets(const QJsonObject &entity, const QString &type, const QString &targetKind = {});

} // namespace Greenroom::Model
