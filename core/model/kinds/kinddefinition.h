// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <model/jsonschema.h>

#include <QList>
#include <QString>
#include <QStringList>

namespace Greenroom::Model {

// A spec field that names other entities, and the two relations it yields.
struct RelationField
{
    QString field;          // key in spec, a string or an array of strings
    QString defaultKind;    // kind assumed when the ref omits it; empty = kind required
    QString forward;        // relation on the entity that has the field
    QString reverse;        // relation on the entity the field names
};

/*
 * What Greenroom knows of one entity kind: which apiVersions it accepts, the
 * schema its spec must satisfy and the relations its spec fields produce.
 * `processorName` is the Backstage processor that owns the kind; it appears
 * in error texts.
 */
struct KindDefinition
{
    QString kind;
    QStringList apiVersions;
    JsonSchema::Ptr schema;        // the whole entity, kind-specific parts included
    QList<RelationField> relationFields;
    QString processorName;
};

namespace Kinds {
const KindDefinition &api();
const KindDefinition &component();
const KindDefinition &resource();
const KindDefinition &group();
const KindDefinition &location();
const KindDefinition &user();
const KindDefinition &system();
const KindDefinition &domain();
const KindDefinition &templateV1beta3();

// In the order Backstage's processors try them.
const QList<const KindDefinition *> &all();
// The definition for an entity's exact kind string, or nullptr.
const KindDefinition *find(const QString &kind);
} // namespace Kinds

} // namespace Greenroom::Model
