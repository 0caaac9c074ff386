// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>

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

} // namespace Greenroom::Model
