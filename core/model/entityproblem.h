// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QString>
#include <QStringList>

namespace Greenroom::Model {

/*
 * Why an entity was refused, in Backstage's two layers: the error the catalog
 * raises (`InputError: Policy check failed for component:default/x`) and the
 * cause beneath it (`Error: Unknown field status`). `path` names the field
 * the cause is about, so a reader can point at its line.
 */
struct EntityProblem
{
    QString name;          // InputError, ConflictError, NotAllowedError ...
    QString message;       // outer message, without the cause
    QString causeName;     // empty when there is no cause
    QString causeMessage;
    QStringList path;      // field path inside the entity; empty = the entity as a whole

    // Backstage's Error.message: "<message>; caused by <causeName>: <causeMessage>".
    QString fullMessage() const
    {
        return causeName.isEmpty() ? message
                                   : message + QStringLiteral("; caused by ") + causeName + QStringLiteral(": ") + causeMessage;
    }
    // The text of a catalog-processing status item: "<name>: <fullMessage>".
    QString statusMessage() const { return name + QStringLiteral(": ") + fullMessage(); }
    // The innermost message: what a person fixing the file needs.
    QString reason() const { return causeName.isEmpty() ? message : causeMessage; }
};

} // namespace Greenroom::Model
