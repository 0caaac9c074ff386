// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docsbuildloop.h"

#include <docs/sitebuilder.h>
#include <model/annotations.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

namespace Greenroom::Ingest {

const QString DocsBuildLoop::BuilderVersion = QStringLiteral("greenroom-docs-1");

// What checking one entity came to.
struct DocsBuildOutcome
{
    QString ref;
    QString uid;
    bool updated = false;
    std::optional<Error> error;
    std::optional<Store::DocsSiteWrite> site;   // still to be stored (no writer)
};

namespace {

using LogLine = std::function<void(const QString &)>;

// Jobs report from the event loop, never from inside sync(): whoever asked
// connects to the job after sync() returns. The posted call keeps the job.
void reportLater(const std::shared_ptr<DocsBuildJob> &job, std::function<void(DocsBuildJob &)> report)
{
    QMetaObject::invokeMethod(job.get(), [job, report = std::move(report)] { report(*job); }, Qt::QueuedConnection);
}

QJsonObject metadataOf(const QJsonObject &entity)
{
    return entity.value(QLatin1String("metadata")).toObject();
}

bool isDocumented(const QJsonObject &entity)
{
    return !Model::annotation(entity, Model::Annotations::TechDocsRef).isEmpty();
}

// Everything a build depends on besides the files: a change in any of
// them rebuilds the site.
QString sourceKeyOf(const QString &contentKey, const Docs::MkDocsOptions &mkdocs, const DocsSource &source)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const QString &part : {DocsBuildLoop::BuilderVersion, contentKey, mkdocs.defaultSiteName, mkdocs.repoUrl,
                                mkdocs.editRootUrl, source.locationTarget,
                                mkdocs.additionalKeys.join(QLatin1Char(',')), mkdocs.additionalPlugins.join(QLatin1Char(',')),
                                mkdocs.additionalExtensions.join(QLatin1Char(',')),
                                QString::number(mkdocs.omitTechdocsCorePlugin), QString::number(mkdocs.legacyCopyReadmeMdToIndexMd)}) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\n", 1));
    }
    return QString::fromLatin1(hash.result().toHex());
}

// Checks and, when its source changed, builds one entity's docs (worker thread).
std::shared_ptr<DocsBuildOutcome> buildEntityDocs(const Store::StoredEntity &stored, std::optional<QString> previousKey,
                                                        DocsBuildOptions options, std::shared_ptr<Store::DocsStore> writer,
                                                        const LogLine &log)
{
    auto outcome = std::make_shared<DocsBuildOutcome>();
    outcome->ref = stored.ref;
    outcome->uid = stored.uid;
    const auto fail = [&](const Error &error) {
        outcome->error = error;
        return outcome;
    };
    log(QStringLiteral("info: Step 1 of 3: Preparing docs for entity %1").arg(stored.ref));
    auto source = DocsSource::forEntity(stored.entity);
    if (!source)
        return fail(source.error());
    const QJsonObject metadata = metadataOf(stored.entity);
    Docs::MkDocsOptions &mkdocs = options.mkdocs;
    mkdocs.defaultSiteName = metadata.value(QLatin1String("title")).toString(metadata.value(QLatin1String("name")).toString());
    mkdocs.repoUrl = source->repositoryUrl();
    mkdocs.editRootUrl = source->editUrl();
    std::unique_ptr<GitReader::Session> git = options.read.gitReader.session();
    auto contentKey = docsContentKey(source.value(), *git, options.read);
    if (!contentKey)
        return fail(contentKey.error());
    const QString sourceKey = sourceKeyOf(contentKey.value(), mkdocs, source.value());
    if (previousKey && *previousKey == sourceKey) {
        log(QStringLiteral("info: Docs for %1 are unmodified, skipping generate and prepare").arg(stored.ref));
        return outcome;
    }
    auto prepared = prepareDocs(source.value(), *git, options.read);
    if (!prepared)
        return fail(prepared.error());
    log(QStringLiteral("info: Prepare step completed for entity %1, stored at %2").arg(stored.ref, source->locationTarget));

    log(QStringLiteral("info: Step 2 of 3: Generating docs for entity %1").arg(stored.ref));
    Docs::SiteBuildOptions build;
    build.mkdocs = mkdocs;
    if (source->git) {
        // Backstage records the commit a repository's docs were built from.
        if (auto commit = git->commitId(*source->git))
            build.etag = commit.value();
    }
    auto site = Docs::buildSite(prepared->root, build);
    if (!site)
        return fail(site.error());
    for (const Docs::BuildMessage &message : site->messages)
        log((message.level == Docs::BuildMessage::Level::Warning ? QStringLiteral("warn: ") : QStringLiteral("info: ")) + message.toString());

    log(QStringLiteral("info: Step 3 of 3: Publishing docs for entity %1").arg(stored.ref));
    Store::DocsSiteWrite write;
    write.entityRef = stored.ref;
    write.entityUid = stored.uid;
    write.sourceKey = sourceKey;
    write.onlyIfDocumented = true;
    write.buildTimestamp = site->metadata.value(QLatin1String("build_timestamp")).toInteger(QDateTime::currentMSecsSinceEpoch());
    const QList<Docs::BuiltFile> files = site->filesWithOutline();
    write.files.reserve(files.size());
    for (const Docs::BuiltFile &file : files)
        write.files.append({file.path, file.content});
    if (!write.files.isEmpty() && std::none_of(write.files.cbegin(), write.files.cend(),
                                               [](const Store::DocsFile &f) { return f.path == QLatin1String("index.html"); }))
        return fail(Error(QStringLiteral("NotFoundError"),
                          QStringLiteral("Sorry! It took too long for the generated docs to show up in storage. Are you sure the docs "
                                         "project is generating an `index.html` file? Otherwise, check back later.")));
    outcome->updated = true;
    if (!writer) {
        outcome->site = std::move(write);
        return outcome;
    }
    auto written = writer->putDocsSite(write);
    if (!written)
        return fail(written.error());
    outcome->updated = !written->skipped;
    log(QStringLiteral("info: Published site of %1 with %2 files").arg(stored.ref).arg(write.files.size()));
    return outcome;
}

} // namespace

DocsBuildLoop::DocsBuildLoop(Store::CatalogStore &catalog, Store::DocsStore &docs, DocsBuildOptions options, QObject *parent)
    : QObject(parent), m_catalog(catalog), m_docs(docs), m_options(std::move(options))
{
    m_pool.setMaxThreadCount(1);
    m_slow.setInterval(std::chrono::seconds(10));
    connect(&m_slow, &QTimer::timeout, this, [this] {
        if (!m_building)
            return;
        for (const auto &job : std::as_const(m_building->jobs))
            Q_EMIT job->log(QStringLiteral("info: The docs building process is taking a little bit longer to process this entity. "
                                           "Please bear with us."));
    });
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<DocsBuildOutcome>>::finished, this, &DocsBuildLoop::buildFinished);
}

DocsBuildLoop::~DocsBuildLoop()
{
    stop();
}

void DocsBuildLoop::setWriter(std::unique_ptr<Store::DocsStore> writer)
{
    m_writer = std::move(writer);
}

void DocsBuildLoop::checkOrigin(const QString &originKey)
{
    removeStaleSites();
    if (!m_options.buildLocally)
        return;
    Store::EntityQuery query;
    query.filter.anyOf = {{{QStringLiteral("metadata.annotations.backstage.io/techdocs-ref"), {}}}};
    auto documented = m_catalog.queryEntities(query);
    if (!documented)
        return;
    for (const Store::StoredEntity &entity : documented->items) {
        if (entity.originKey == originKey)
            enqueue(entity.ref);
    }
}

void DocsBuildLoop::removeStaleSites()
{
    for (const Store::DocsSiteInfo &site : m_docs.docsSites()) {
        const std::optional<Store::StoredEntity> entity = m_catalog.entityByRef(site.entityRef);
        if (entity && isDocumented(entity->entity))
            continue;
        if (auto removed = m_docs.removeDocsSite(site.entityRef); removed && removed.value())
            Q_EMIT checked(site.entityRef, true, QString());
    }
}

std::shared_ptr<DocsBuildJob> DocsBuildLoop::sync(const Store::StoredEntity &entity)
{
    auto job = std::make_shared<DocsBuildJob>();
    const auto last = m_lastChecked.constFind(entity.uid);
    if (!m_options.buildLocally || (last != m_lastChecked.cend() && last->elapsed() < m_options.syncWindow.count())) {
        reportLater(job, [](DocsBuildJob &j) { Q_EMIT j.finished(false); });
        return job;
    }
    enqueue(entity.ref, job);
    return job;
}

void DocsBuildLoop::enqueue(const QString &ref, std::shared_ptr<DocsBuildJob> job)
{
    const auto follow = [&](Queued &queued) {
        if (job)
            queued.jobs.append(job);
    };
    for (Queued &queued : m_queue) {
        if (queued.ref == ref) {
            follow(queued);
            return;
        }
    }
    m_queue.append({ref, {}});
    follow(m_queue.last());
    startNext();
}

void DocsBuildLoop::startNext()
{
    if (m_building)
        return;
    while (!m_queue.isEmpty()) {
        Queued next = m_queue.takeFirst();
        std::optional<Store::StoredEntity> entity = m_catalog.entityByRef(next.ref);
        if (!entity || !isDocumented(entity->entity)) {
            const QString message = QStringLiteral("Entity %1 has no docs to build").arg(next.ref);
            for (const auto &job : std::as_const(next.jobs))
                reportLater(job, [message](DocsBuildJob &j) { Q_EMIT j.failed(message); });
            continue;
        }
        std::optional<QString> previousKey;
        if (std::optional<Store::DocsSiteInfo> site = m_docs.docsSite(next.ref))
            previousKey = site->sourceKey;
        const QList<std::shared_ptr<DocsBuildJob>> jobs = next.jobs;
        const LogLine log = [jobs](const QString &line) {
            for (const auto &job : jobs)
                reportLater(job, [line](DocsBuildJob &j) { Q_EMIT j.log(line); });
        };
        m_building = std::move(next);
        m_slow.start();
        m_watcher.setFuture(QtConcurrent::run(&m_pool, buildEntityDocs, *entity, previousKey, m_options, m_writer, log));
        return;
    }
}

void DocsBuildLoop::buildFinished()
{
    m_slow.stop();
    Queued done = *std::exchange(m_building, std::nullopt);
    std::shared_ptr<DocsBuildOutcome> outcome = m_watcher.result();
    if (!outcome->error && outcome->site) {
        if (auto written = m_docs.putDocsSite(*outcome->site); !written)
            outcome->error = written.error();
        else
            outcome->updated = !written->skipped;
    }
    m_lastChecked[outcome->uid].start();
    if (outcome->error) {
        const QString message = QStringLiteral("Failed to build the docs page for entity %1: %2").arg(done.ref, outcome->error->message);
        for (const auto &job : std::as_const(done.jobs)) {
            Q_EMIT job->log(QStringLiteral("error: ") + message);
            Q_EMIT job->failed(outcome->error->message);
        }
        Q_EMIT checked(done.ref, false, message);
    } else {
        for (const auto &job : std::as_const(done.jobs))
            Q_EMIT job->finished(outcome->updated);
        Q_EMIT checked(done.ref, outcome->updated, QString());
    }
    startNext();
}

void DocsBuildLoop::stop()
{
    m_queue.clear();
    if (m_building) {
        m_watcher.disconnect(this);
        m_watcher.waitForFinished();
        m_building.reset();
    }
    m_pool.waitForDone();
}

} // namespace Greenroom::Ingest
