// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docsbuildloop.h"

#include <docs/sitebuilder.h>
#include <model/annotations.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
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
    bool deferred = false;   // not looked at: built when someone asks
    std::optional<Error> error;
    std::optional<Store::DocsSiteWrite> site;   // still to be stored (no writer)
};

// What a pass of builds found out already, so that entities with the same
// source share it. Only the (single) worker thread uses it while a build runs.
struct DocsBuildMemo
{
    struct ContentKey
    {
        QString key;
        std::optional<Error> error;
    };
    struct Built
    {
        std::optional<Error> error;
        QList<Store::DocsFile> files;
        qint64 buildTimestamp = 0;
    };
    QHash<QString, ContentKey> contentKeys;                        // by source
    QList<std::pair<QString, std::shared_ptr<const Built>>> sites;  // by source key, the last few (sites can be large)
    static constexpr qsizetype KeptSites = 4;
    int builds = 0;

    std::shared_ptr<const Built> site(const QString &sourceKey) const
    {
        for (const auto &[key, built] : sites) {
            if (key == sourceKey)
                return built;
        }
        return nullptr;
    }
    void keep(const QString &sourceKey, std::shared_ptr<const Built> built)
    {
        sites.prepend({sourceKey, std::move(built)});
        while (sites.size() > KeptSites)
            sites.removeLast();
    }
};

namespace {

// Docs builds' lease keys: the entity ref after the docs prefix of the sync sequence.
const QString DocsChangePrefixKey = QString(Store::DocsChangePrefix);

} // namespace

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
// them rebuilds the site. The entity's own name counts only where it names
// the site (no mkdocs.yml), so entities sharing a docs folder share its key.
QString sourceKeyOf(const QString &contentKey, const Docs::MkDocsOptions &mkdocs, const DocsSource &source, bool namesTheSite)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const QString &part : {DocsBuildLoop::BuilderVersion, contentKey, namesTheSite ? mkdocs.defaultSiteName : QString(), mkdocs.repoUrl,
                                mkdocs.editRootUrl, source.locationTarget,
                                mkdocs.additionalKeys.join(QLatin1Char(',')), mkdocs.additionalPlugins.join(QLatin1Char(',')),
                                mkdocs.additionalExtensions.join(QLatin1Char(',')),
                                QString::number(mkdocs.omitTechdocsCorePlugin), QString::number(mkdocs.legacyCopyReadmeMdToIndexMd)}) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\n", 1));
    }
    return QString::fromLatin1(hash.result().toHex());
}

bool hasMkDocsFile(const QString &folder)
{
    return QFileInfo(QDir(folder).filePath(QStringLiteral("mkdocs.yml"))).isFile()
           || QFileInfo(QDir(folder).filePath(QStringLiteral("mkdocs.yaml"))).isFile();
}

// Prepares and builds a source (worker thread): the site's files, or why there are none.
std::shared_ptr<const DocsBuildMemo::Built> buildSource(const DocsSource &source, GitReader::Session &git, const DocsBuildOptions &options,
                                                        const Docs::MkDocsOptions &mkdocs, const QString &ref, const LogLine &log)
{
    auto built = std::make_shared<DocsBuildMemo::Built>();
    auto prepared = prepareDocs(source, git, options.read);
    if (!prepared) {
        built->error = prepared.error();
        return built;
    }
    log(QStringLiteral("info: Prepare step completed for entity %1, stored at %2").arg(ref, source.locationTarget));
    log(QStringLiteral("info: Step 2 of 3: Generating docs for entity %1").arg(ref));
    Docs::SiteBuildOptions build;
    build.mkdocs = mkdocs;
    if (source.git) {
        // Backstage records the commit a repository's docs were built from.
        if (auto commit = git.commitId(*source.git))
            build.etag = commit.value();
    }
    auto site = Docs::buildSite(prepared->root, build);
    if (!site) {
        built->error = site.error();
        return built;
    }
    for (const Docs::BuildMessage &message : site->messages)
        log((message.level == Docs::BuildMessage::Level::Warning ? QStringLiteral("warn: ") : QStringLiteral("info: ")) + message.toString());
    built->buildTimestamp = site->metadata.value(QLatin1String("build_timestamp")).toInteger(QDateTime::currentMSecsSinceEpoch());
    const QList<Docs::BuiltFile> files = site->filesWithOutline();
    built->files.reserve(files.size());
    for (const Docs::BuiltFile &file : files)
        built->files.append({file.path, file.content});
    if (!built->files.isEmpty() && std::none_of(built->files.cbegin(), built->files.cend(),
                                                [](const Store::DocsFile &f) { return f.path == QLatin1String("index.html"); }))
        built->error = Error(QStringLiteral("NotFoundError"),
                             QStringLiteral("Sorry! It took too long for the generated docs to show up in storage. Are you sure the docs "
                                            "project is generating an `index.html` file? Otherwise, check back later."));
    return built;
}

// Checks and, when its source changed, builds one entity's docs (worker
// thread); `asked` when someone follows the check (GET /sync).
std::shared_ptr<DocsBuildOutcome> buildEntityDocs(const Store::StoredEntity &stored, std::optional<QString> previousKey,
                                                        DocsBuildOptions options, std::shared_ptr<Store::DocsStore> writer,
                                                        const LogLine &log, std::shared_ptr<DocsBuildMemo> memo, bool asked)
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
    const bool localFolder = !source->git;
    const bool mkdocsFile = localFolder && hasMkDocsFile(source->folder);
    if (localFolder && !mkdocsFile && !previousKey && !asked) {
        // Most likely not a docs folder at all (`dir:.` beside a catalog file): built when someone asks.
        log(QStringLiteral("info: %1 has no mkdocs.yml; the docs of %2 are built when asked for").arg(source->folder, stored.ref));
        outcome->deferred = true;
        return outcome;
    }
    const QJsonObject metadata = metadataOf(stored.entity);
    Docs::MkDocsOptions &mkdocs = options.mkdocs;
    mkdocs.defaultSiteName = metadata.value(QLatin1String("title")).toString(metadata.value(QLatin1String("name")).toString());
    mkdocs.repoUrl = source->repositoryUrl();
    mkdocs.editRootUrl = source->editUrl();
    std::unique_ptr<GitReader::Session> git = options.read.gitReader.session();
    // A folder is fingerprinted (a repository folder looked up) once a pass, whoever points at it.
    const QString sourceName = source->locationType + QLatin1Char(':') + source->locationTarget;
    auto known = memo->contentKeys.constFind(sourceName);
    if (known == memo->contentKeys.cend()) {
        auto contentKey = docsContentKey(source.value(), *git, options.read);
        known = memo->contentKeys.insert(sourceName, contentKey ? DocsBuildMemo::ContentKey{contentKey.value(), {}}
                                                                : DocsBuildMemo::ContentKey{{}, contentKey.error()});
    }
    if (known->error)
        return fail(*known->error);
    const QString sourceKey = sourceKeyOf(known->key, mkdocs, source.value(), localFolder ? !mkdocsFile : true);
    if (previousKey && *previousKey == sourceKey) {
        log(QStringLiteral("info: Docs for %1 are unmodified, skipping generate and prepare").arg(stored.ref));
        return outcome;
    }
    std::shared_ptr<const DocsBuildMemo::Built> built = memo->site(sourceKey);
    if (built) {
        log(QStringLiteral("info: Docs for %1 are the same source and settings as a site just built; using that build").arg(stored.ref));
    } else {
        ++memo->builds;
        built = buildSource(source.value(), *git, options, mkdocs, stored.ref, log);
        memo->keep(sourceKey, built);
    }
    if (built->error)
        return fail(*built->error);

    log(QStringLiteral("info: Step 3 of 3: Publishing docs for entity %1").arg(stored.ref));
    Store::DocsSiteWrite write;
    write.entityRef = stored.ref;
    write.entityUid = stored.uid;
    write.sourceKey = sourceKey;
    write.onlyIfDocumented = true;
    write.buildTimestamp = built->buildTimestamp;
    write.files = built->files;
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
    : QObject(parent), m_catalog(catalog), m_docs(docs), m_options(std::move(options)), m_memo(std::make_shared<DocsBuildMemo>())
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

void DocsBuildLoop::setLeases(const QString &holder, std::chrono::milliseconds timeout)
{
    m_leaseHolder = holder;
    m_leaseTimeout = timeout;
    m_heartbeat.setInterval(std::max<qint64>(timeout.count() / 3, 1));
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (m_building)
            (void)m_catalog.extendLease(DocsChangePrefixKey + m_building->ref, m_leaseHolder, m_leaseTimeout.count());
    });
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
        if (entity.originKey != originKey)
            continue;
        // Unasked-for sites wait for their first request, unless desktops want every one offline.
        if (m_options.prebuild || m_docs.docsSite(entity.ref))
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
        if (job) {
            queued.jobs.append(job);
            queued.asked = true;
        }
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
        if (!m_leaseHolder.isEmpty()) {
            auto held = m_catalog.claimLease(DocsChangePrefixKey + next.ref, m_leaseHolder, m_leaseTimeout.count());
            if (held && held.value() > 0) {
                // Another replica is building it: its site reaches the database (and the feed) from there.
                for (const auto &job : std::as_const(next.jobs)) {
                    reportLater(job, [](DocsBuildJob &j) {
                        Q_EMIT j.log(QStringLiteral("info: another replica is building these docs"));
                        Q_EMIT j.finished(false);
                    });
                }
                continue;
            }
            m_heartbeat.start();
        }
        std::optional<QString> previousKey;
        if (std::optional<Store::DocsSiteInfo> site = m_docs.docsSite(next.ref))
            previousKey = site->sourceKey;
        const QList<std::shared_ptr<DocsBuildJob>> jobs = next.jobs;
        const LogLine log = [jobs](const QString &line) {
            for (const auto &job : jobs)
                reportLater(job, [line](DocsBuildJob &j) { Q_EMIT j.log(line); });
        };
        const bool asked = next.asked;
        m_building = std::move(next);
        m_slow.start();
        m_watcher.setFuture(QtConcurrent::run(&m_pool, buildEntityDocs, *entity, previousKey, m_options, m_writer, log, m_memo, asked));
        return;
    }
    // Drained: the pass is over; what it found out is forgotten (sources may change before the next).
    if (!m_problems.isEmpty() || m_memo->builds > 0 || !m_memo->contentKeys.isEmpty())
        Q_EMIT passFinished(std::exchange(m_problems, {}), m_memo->builds);
    m_memo = std::make_shared<DocsBuildMemo>();
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
    if (!m_leaseHolder.isEmpty()) {
        m_heartbeat.stop();
        (void)m_catalog.extendLease(DocsChangePrefixKey + done.ref, m_leaseHolder, 0);   // built and stored: let go
    }
    if (!outcome->deferred)   // the sync window starts with a real look at the source
        m_lastChecked[outcome->uid].start();
    if (outcome->error) {
        const QString message = QStringLiteral("Failed to build the docs page for entity %1: %2").arg(done.ref, outcome->error->message);
        for (const auto &job : std::as_const(done.jobs)) {
            Q_EMIT job->log(QStringLiteral("error: ") + message);
            Q_EMIT job->failed(outcome->error->message);
        }
        Q_EMIT checked(done.ref, false, message);
        const auto same = std::find_if(m_problems.begin(), m_problems.end(),
                                       [&](const DocsBuildProblem &problem) { return problem.message == outcome->error->message; });
        if (same != m_problems.end())
            ++same->entities;
        else
            m_problems.append({outcome->error->message, 1, done.ref});
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
