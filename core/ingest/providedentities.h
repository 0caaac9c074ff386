// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "locationprocessor.h"

#include <store/storetypes.h>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Greenroom::Ingest {

/*
 * The entities an entity provider gave (Backstage's EntityProvider and its
 * connection's applyMutation), kept as the provider's own set: a full
 * mutation replaces it, a delta adds, replaces and removes by ref. write()
 * turns the set into one store write under the provider's origin
 * ("provider:<name>"), each entity through the same policies and relations
 * as a location's; an entity that fails them is an error of the origin,
 * named, and the others go on. Holds only this provider's entities.
 */
class ProvidedEntities
{
public:
    // `preProcessors`: the plugins' processors, which see provided entities too (as upstream's engine runs them on all).
    explicit ProvidedEntities(QString providerName, QList<EntityPreProcessor> preProcessors = {});

    QString originKey() const { return QStringLiteral("provider:") + m_name; }
    void applyFull(const QList<QJsonObject> &entities);
    void applyDelta(const QList<QJsonObject> &added, const QStringList &removedRefs);
    Store::LocationWrite write() const;

private:
    QString m_name;
    QList<EntityPreProcessor> m_preProcessors;
    QHash<QString, QJsonObject> m_entities;   // by ref as given (kind:namespace/name), raw
    qsizetype m_keyless = 0;                  // entities without kind or name so far: each keeps its own "#n"
};

} // namespace Greenroom::Ingest
