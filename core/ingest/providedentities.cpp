// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "providedentities.h"

#include <model/entityprocessor.h>
#include <model/entityref.h>

namespace Greenroom::Ingest {

namespace {

// The key a provided entity is kept under; one without kind or name gets the next "#n", never reused.
QString keyOf(const QJsonObject &entity, qsizetype &keyless)
{
    const QJsonValue kind = entity.value(QLatin1String("kind"));
    const QJsonValue name = entity.value(QLatin1String("metadata"))[QLatin1String("name")];
    return kind.isString() && name.isString() ? Model::EntityRef::canonical(entity) : QStringLiteral("#%1").arg(keyless++);
}

} // namespace

ProvidedEntities::ProvidedEntities(QString providerName, QList<EntityPreProcessor> preProcessors)
    : m_name(std::move(providerName)), m_preProcessors(std::move(preProcessors))
{
}

void ProvidedEntities::applyFull(const QList<QJsonObject> &entities)
{
    m_entities.clear();
    m_keyless = 0;
    for (const QJsonObject &entity : entities)
        m_entities.insert(keyOf(entity, m_keyless), entity);
}

void ProvidedEntities::applyDelta(const QList<QJsonObject> &added, const QStringList &removedRefs)
{
    for (const QString &ref : removedRefs) {
        auto parsed = Model::EntityRef::parse(ref);
        m_entities.remove(parsed ? Model::EntityRef::canonical(parsed->kind(), parsed->namespaceName(), parsed->name()) : ref);
    }
    for (const QJsonObject &entity : added)
        m_entities.insert(keyOf(entity, m_keyless), entity);
}

Store::LocationWrite ProvidedEntities::write() const
{
    Store::LocationWrite write;
    write.originKey = originKey();
    for (auto it = m_entities.cbegin(); it != m_entities.cend(); ++it) {
        QJsonObject entity = it.value();
        Model::ProcessingOutcome outcome;
        if (auto refused = runPreProcessors(entity, write.originKey, m_preProcessors))
            outcome.problem = refused;
        else
            outcome = Model::EntityProcessor::process(entity);
        if (!outcome.isOk()) {
            const Model::EntityProblem &problem = *outcome.problem;
            Store::ProcessingErrorRecord error;
            error.originKey = write.originKey;
            error.locationKey = write.originKey;
            error.file = write.originKey;
            error.entityRef = it.key().startsWith(QLatin1Char('#')) ? QString() : it.key();
            error.name = problem.name;
            error.message = problem.fullMessage();
            error.reason = problem.reason();
            write.errors.append(error);
            continue;
        }
        Store::EntityWrite written;
        written.entity = outcome.processed.entity;
        written.ref = outcome.processed.ref;
        written.relations = outcome.processed.relations;
        written.locationKey = write.originKey;
        write.entities.append(written);
    }
    return write;
}

} // namespace Greenroom::Ingest
