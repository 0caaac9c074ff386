// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "catalogrules.h"
#include "gitreader.h"
#include "scmintegrations.h"
#include "urlreader.h"

#include <model/entityproblem.h>
#include <model/locationref.h>
#include <store/storetypes.h>
#include <yaml/yamlreader.h>

#include <functional>

namespace Greenroom::Ingest {

// A step run on each entity read from a location before it is validated
// (Backstage's CatalogProcessor.preProcessEntity; a server plugin's
// processor). Runs on several threads at once.
struct EntityPreProcessor
{
    QString name;
    // The entity as it goes on, or (second) why it is refused.
    std::function<std::pair<QJsonObject, QString>(const QJsonObject &entity, const QString &location)> preProcess;
};

// Runs `processors` on `entity` in order (it changes as they go); the first
// refusal, worded as Backstage's orchestrator words a processor's throw.
std::optional<Model::EntityProblem> runPreProcessors(QJsonObject &entity, const QString &location, const QList<EntityPreProcessor> &processors);

struct IngestOptions
{
    CatalogRules rules = CatalogRules::defaults();
    // Bigger entities are refused (a 10 MB description is a mistake, and the
    // whole entity travels to every desktop client).
    qint64 maxEntityBytes = 4 * 1024 * 1024;
    // Bigger files are not read at all.
    qint64 maxFileBytes = 64 * 1024 * 1024;
    Yaml::YamlLimits yamlLimits;
    // `url` locations: nothing may be read until backend.reading.allow says so.
    UrlReader urlReader;
    // `git` locations: refused until a cache folder is set.
    GitReader gitReader;
    // The SCM hosts that give entities read from `url` and `git` locations
    // their view, edit and source URLs (AnnotateLocationEntityProcessor).
    ScmIntegrations scm = ScmIntegrations::withDefaults({});
    // catalog.orphanStrategy keep (Backstage's older default) rather than delete.
    bool keepOrphans = false;
    // Plugins' processors, in the order registered.
    QList<EntityPreProcessor> preProcessors;
};

// What reading one registered location produced, ready for CatalogStore::applyLocation.
struct LocationReadResult
{
    Store::LocationWrite write;
    int filesRead = 0;
    int documentsRead = 0;
    bool hasErrors() const;
    // Entities read from files: all written ones but the generated Location.
    qsizetype entitiesRead() const { return std::max<qsizetype>(0, write.entities.size() - 1); }
};

/*
 * Reads a registered location the way Backstage's processing loop does, in
 * one pass: the generated Location entity for it, the files its targets name
 * (relative paths, globs), Location entities found there and their targets in
 * turn. Each document becomes an entity (validated, related, with location
 * annotations) or a processing error with file and line. A Location whose read
 * fails (missing file, YAML error, a kind the rules refuse) fails as a whole:
 * what it produced before is kept.
 *
 * Reads `file`, `url` (UrlReader) and `git` (GitReader) locations; other
 * types are reported as unreadable. A git repository is fetched once per
 * read, so all its files come from one commit. Files of one level are
 * parsed in parallel. Not thread-safe itself.
 */
class LocationProcessor
{
public:
    explicit LocationProcessor(IngestOptions options = {});

    LocationReadResult read(const Model::LocationRef &registered) const;
    // One file of a `file` location read again on its own (an entity's
    // refresh), as its parent Location `parentRef` reads it: a write that
    // covers only that file. nullopt when only a read of the whole location
    // can say what the file means now: it is gone or broken, or it holds a
    // Location (whose targets are read with the whole).
    std::optional<LocationReadResult> readFile(const Model::LocationRef &registered, const QString &parentRef, const QString &path) const;

    // The Location entity Backstage generates for a registered location.
    static QJsonObject generatedLocationEntity(const Model::LocationRef &location);

private:
    IngestOptions m_options;
};

} // namespace Greenroom::Ingest
