// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <model/entityprocessor.h>
#include <store/catalogstore.h>

#include <QJsonObject>

namespace Greenroom::Tests {

// An entity as a location read produces it: processed (policies, relations), from `origin`.
inline Store::EntityWrite processedEntity(const QJsonObject &raw, const QString &origin)
{
    const Model::ProcessingOutcome outcome = Model::EntityProcessor::process(raw);
    if (!outcome.isOk())
        qFatal("test entity invalid: %s", qPrintable(outcome.problem->statusMessage()));
    return {outcome.processed.entity, outcome.processed.ref, outcome.processed.relations, origin, QString(), {}, {}, {}};
}

// One location's write of `entities`, all from `origin`.
inline Store::LocationWrite locationWrite(QList<Store::EntityWrite> entities, const QString &origin)
{
    Store::LocationWrite write;
    write.originKey = origin;
    for (Store::EntityWrite &e : entities)
        e.locationKey = origin;
    write.entities = entities;
    return write;
}

} // namespace Greenroom::Tests
