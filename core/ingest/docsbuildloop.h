// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "docssource.h"

#include <docs/mkdocsconfig.h>
#include <store/catalogstore.h>
#include <store/docsstore.h>

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <chrono>
#include <memory>

namespace Greenroom::Ingest {

struct DocsBuildOutcome;
struct DocsBuildMemo;

// One distinct problem of a pass of builds, with how many entities had it.
struct DocsBuildProblem
{
    QString message;      // the error, without the entity
    int entities = 0;
    QString firstRef;     // one entity that had it
};

struct DocsBuildOptions
{
    DocsReadOptions read;
    Docs::MkDocsOptions mkdocs;
    // techdocs.builder: 'local' builds here; 'external' only serves what
    // CI published (nothing is built, /sync always finishes not updated).
    bool buildLocally = true;
    // Greenroom's `greenroom.techdocs.prebuild`. Off (Backstage's way): a
    // site is first built when someone asks for it (GET /sync, the desktop
    // opening it); a catalog read only keeps sites already built up to date.
    // On: every documented entity's site is built when its location is
    // read, so desktops have all of them offline before anyone asks.
    bool prebuild = false;
    // /sync checks one entity at most once per window (Backstage: 60 s).
    std::chrono::milliseconds syncWindow = std::chrono::seconds(60);
};

// One entity's build as GET /sync follows it: log lines, then finished or failed.
class DocsBuildJob : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
Q_SIGNALS:
    void log(const QString &line);
    void finished(bool updated);
    void failed(const QString &message);
};

/*
 * Builds the TechDocs of documented entities (backstage.io/techdocs-ref)
 * and stores them per entity (DocsStore). As in Backstage, a site is built
 * when it is first asked for: GET /sync asks for one entity and follows its
 * build. After each catalog location is read, its documented entities that
 * have a site already (all of them with `prebuild`) are checked: a build
 * runs only when the docs' source changed (folder fingerprint, git tree id)
 * or the build's inputs did; sites of entities that lost their docs are
 * removed.
 *
 * Entities that point at the same source share its work: within a pass
 * (until the queue drains) a folder is fingerprinted once, and a build (or
 * its failure) serves every entity with the same inputs. A local folder
 * with no mkdocs.yml is not built until someone asks for it (GET /sync,
 * where Backstage builds every site), so a catalog whose entities all say
 * `dir:.` next to their YAML does not fail once per entity. Problems are
 * summed up per pass, one per distinct message (passFinished).
 *
 * Builds run one at a time on a worker thread (pages render on all cores);
 * with a writer (a second connection to the database) they are stored
 * there too, so the HTTP thread never waits for them.
 */
class DocsBuildLoop : public QObject
{
    Q_OBJECT

public:
    DocsBuildLoop(Store::CatalogStore &catalog, Store::DocsStore &docs, DocsBuildOptions options, QObject *parent = nullptr);
    ~DocsBuildLoop() override;

    void setWriter(std::unique_ptr<Store::DocsStore> writer);
    // Replicas on one database: an entity's site is built by whoever holds
    // the lease "techdocs:<ref>" (renewed while building, let go after);
    // a build another replica is running is not run twice. See
    // ProcessingLoop::setLeases.
    void setLeases(const QString &holder, std::chrono::milliseconds timeout);

    // Checks the documented entities that `originKey`'s read produced (those
    // with a site, unless prebuild) and removes sites whose entity no longer
    // has docs.
    void checkOrigin(const QString &originKey);
    // Checks one entity (queued); the returned job reports on it. Within
    // the sync window of its last check it finishes not updated at once.
    std::shared_ptr<DocsBuildJob> sync(const Store::StoredEntity &entity);
    void stop();

    // Bumped when the builder's output changes, so every site is rebuilt.
    static const QString BuilderVersion;

Q_SIGNALS:
    // After each check: `updated` when a new site was stored.
    void checked(const QString &entityRef, bool updated, const QString &error);
    // When the queue has drained: the distinct problems of the checks since the last pass, and how many builds ran.
    void passFinished(const QList<Greenroom::Ingest::DocsBuildProblem> &problems, int builds);

private:
    struct Queued
    {
        QString ref;
        QList<std::shared_ptr<DocsBuildJob>> jobs;
        bool asked = false;   // someone follows it (GET /sync), not only a catalog read
    };
    void enqueue(const QString &ref, std::shared_ptr<DocsBuildJob> job = {});
    void removeStaleSites();
    void startNext();
    void buildFinished();

    Store::CatalogStore &m_catalog;
    Store::DocsStore &m_docs;
    DocsBuildOptions m_options;
    std::shared_ptr<Store::DocsStore> m_writer;
    QList<Queued> m_queue;
    std::optional<Queued> m_building;
    QHash<QString, QElapsedTimer> m_lastChecked;   // by entity uid
    QThreadPool m_pool;
    QTimer m_slow;   // "taking longer" notes to whoever follows a long build
    QFutureWatcher<std::shared_ptr<DocsBuildOutcome>> m_watcher;
    // Shared between the builds of a pass; only the worker touches it while one runs.
    std::shared_ptr<DocsBuildMemo> m_memo;
    QList<DocsBuildProblem> m_problems;
    QString m_leaseHolder;
    std::chrono::milliseconds m_leaseTimeout{0};
    QTimer m_heartbeat;
};

} // namespace Greenroom::Ingest
