// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "entityproblem.h"
#include "relation.h"

#include <QJsonObject>
#include <QList>
#include <optional>

namespace Greenroom::Model {

struct ProcessedEntity
{
    QJsonObject entity;          // with defaults filled in and ref arrays sorted
    QString ref;                 // canonical kind:namespace/name
    QList<Relation> relations;   // forward and reverse, as emitted; not de-duplicated
};

struct ProcessingOutcome
{
    ProcessedEntity processed;
    std::optional<EntityProblem> problem;
    bool isOk() const { return !problem.has_value(); }
};

/*
 * Backstage's per-entity processing without I/O, in its order: envelope
 * check, pre-processing (reference arrays sorted), policies (schema, default
 * namespace, no foreign root fields, field formats), kind validation (the
 * built-in kinds and Template) and relations from spec fields. The first
 * failure wins and is described with Backstage's texts.
 *
 * Location annotations are the caller's business (they depend on where the
 * entity was read); Location targets are read by core/ingest.
 * Pure function, thread-safe.
 */
class EntityProcessor
{
public:
    static ProcessingOutcome process(QJsonObject entity);
};

} // namespace Greenroom::Model
