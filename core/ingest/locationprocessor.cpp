// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "locationprocessor.h"

#include "placeholderresolver.h"

#include <common/glob.h>
#include <model/annotations.h>
#include <model/entityprocessor.h>
#include <model/entityref.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>
#include <QSemaphore>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <atomic>
#include <memory>

namespace Greenroom::Ingest {

using Store::ProcessingErrorRecord;

namespace {


const QString FileType = QStringLiteral("file");
const QString UrlType = QStringLiteral("url");
const QString GitType = QStringLiteral("git");

// One document of a file, processed on its own.
struct DocumentResult
{
    int line = 0;
    QString ref;                        // when the document names an entity
    bool allowedKind = true;            // what the catalog rules say of it, for this location
    // The processed entity's object is kept only for Locations (their targets
    // are read next); every entity is kept as compact JSON in its author's key
    // order, a tenth of the memory, so a 100,000-document file stays small.
    Model::ProcessingOutcome outcome;
    QByteArray json;
    QByteArray bodyHash;                // of the processed entity, while its object is at hand
    std::optional<ProcessingErrorRecord> readError;   // fails the parent Location
    std::optional<ProcessingErrorRecord> entityError; // fails only this entity
};

struct FileResult
{
    QString type;
    QString path;   // the file's path, URL or git target
    std::optional<ProcessingErrorRecord> readError;
    QList<DocumentResult> documents;
};

struct FileJob
{
    QString type;
    QString path;                          // as FileResult::path
    std::optional<QByteArray> content;     // read already (url, git); files are read by the job
    QString originKey;
    QString parentRef;
    PlaceholderResolver::Reader placeholders;
    const IngestOptions *options = nullptr;
    Model::LocationRef root;               // the registered location, which the catalog rules name
};

QString jsTypeOf(const QJsonValue &value)
{
    if (value.isString())
        return QStringLiteral("string");
    if (value.isDouble())
        return QStringLiteral("number");
    if (value.isBool())
        return QStringLiteral("boolean");
    return QStringLiteral("object");
}

ProcessingErrorRecord record(const QString &name, const QString &message, const QString &file, int line)
{
    ProcessingErrorRecord r;
    r.name = name;
    r.message = message;
    r.reason = message;
    r.file = file;
    r.line = line;
    return r;
}

QString formatMiB(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MiB");
}

std::optional<ProcessingErrorRecord> readLocalFile(const FileJob &job, QByteArray &content)
{
    QFile file(job.path);
    if (file.size() > job.options->maxFileBytes) {
        return record(QStringLiteral("InputError"),
                      QStringLiteral("file %1 is %2, larger than the limit of %3")
                          .arg(job.path, formatMiB(file.size()), formatMiB(job.options->maxFileBytes)),
                      job.path, 0);
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return record(QStringLiteral("Error"), QStringLiteral("file %1 could not be read, %2").arg(job.path, file.errorString()),
                      job.path, 0);
    }
    content = file.readAll();
    return std::nullopt;
}

// Runs work(0) ... work(count - 1) on this thread and on whichever threads
// of the global pool are idle now. QtConcurrent's blocking map, called from
// inside another (every file of a level is mapped already), left the one
// big file's parts to this thread alone. Helpers are only started on idle
// threads and never wait for anything, so no wait here can deadlock.
void shareAmongIdleThreads(qsizetype count, const std::function<void(qsizetype)> &work)
{
    struct Shared
    {
        std::atomic<qsizetype> next{0};
        QSemaphore finished;
    };
    auto shared = std::make_shared<Shared>();
    const auto drain = [shared, count, &work] {
        for (qsizetype i = shared->next++; i < count; i = shared->next++)
            work(i);
    };
    int helpers = 0;
    while (helpers + 1 < count && QThreadPool::globalInstance()->tryStart([shared, drain] {
        drain();
        shared->finished.release();
    }))
        ++helpers;
    drain();
    shared->finished.acquire(helpers);
}

// One document of a file: its entity processed, or why it cannot be.
// nullopt for an empty document, which is skipped.
std::optional<DocumentResult> processDocument(Yaml::YamlDocument &&document, const FileJob &job, const QString &locationKey)
{
    DocumentResult doc;
    doc.line = document.line;
    if (document.error) {
        const Error &e = *document.error;
        doc.readError = record(QStringLiteral("Error"),
                               QStringLiteral("YAML error at %1, YAMLParseError: %2 at line %3, column %4")
                                   .arg(locationKey, e.message).arg(e.line).arg(e.column),
                               job.path, e.line);
        doc.readError->reason = e.message;
        return doc;
    }
    if (document.value.isNull() || document.value.isUndefined())
        return std::nullopt;   // empty documents are skipped
    if (!document.value.isObject()) {
        doc.readError = record(QStringLiteral("Error"),
                               QStringLiteral("Expected object at root, got %1").arg(jsTypeOf(document.value)),
                               job.path, doc.line);
        return doc;
    }
    const QJsonObject raw = document.value.toObject();
    const JsonKeyOrder keyOrder = document.positions.keyOrder();
    const QJsonValue kind = raw.value(QLatin1String("kind"));
    const QJsonValue name = raw.value(QLatin1String("metadata"))[QLatin1String("name")];
    if (kind.isString() && name.isString())
        doc.ref = Model::EntityRef::canonical(raw);
    QJsonObject annotated = Model::withLocationAnnotations(raw, locationKey, job.originKey);
    if (job.type == UrlType || job.type == GitType)   // a git target gets what the same url target would
        annotated = withScmAnnotations(annotated, job.options->scm.locationAnnotations(job.path));
    if (!doc.ref.isEmpty())
        doc.allowedKind = job.options->rules.isAllowed(annotated, job.root);
    QJsonObject resolved = annotated;
    const PlaceholderResolver placeholders(job.placeholders);
    if (auto problem = placeholders.resolve(resolved))
        doc.outcome.problem = problem;
    else if (auto refused = runPreProcessors(resolved, locationKey, job.options->preProcessors))
        doc.outcome.problem = refused;
    else
        doc.outcome = Model::EntityProcessor::process(resolved);
    if (!doc.outcome.isOk()) {
        const Model::EntityProblem &p = *doc.outcome.problem;
        doc.entityError = record(p.name, p.fullMessage(), job.path, document.positions.line(p.path));
        doc.entityError->reason = p.reason();
    } else {
        doc.json = keyOrder.toJson(doc.outcome.processed.entity);
        doc.bodyHash = Store::bodyHash(doc.outcome.processed.entity);
        doc.json.squeeze();   // written by appending: up to twice its size reserved
        doc.outcome.processed.relations.squeeze();
        if (doc.outcome.processed.entity.value(QLatin1String("kind")).toString() != QLatin1String("Location"))
            doc.outcome.processed.entity = QJsonObject();
        const qint64 size = doc.json.size();
        if (size > job.options->maxEntityBytes) {
            doc.entityError = record(QStringLiteral("InputError"),
                                     QStringLiteral("Entity %1 is %2, larger than the limit of %3")
                                         .arg(doc.ref, formatMiB(size), formatMiB(job.options->maxEntityBytes)),
                                     job.path, doc.line);
        }
    }
    if (doc.entityError) {
        doc.entityError->locationKey = locationKey;
        doc.entityError->entityRef = doc.ref;
    }
    return doc;
}

FileResult processFile(const FileJob &job)
{
    FileResult result;
    result.type = job.type;
    result.path = job.path;
    const QString locationKey = job.type + QLatin1Char(':') + job.path;
    QByteArray content;
    if (job.content) {
        content = *job.content;
    } else if (std::optional<ProcessingErrorRecord> error = readLocalFile(job, content)) {
        result.readError = error;
        return result;
    }
    // Document by document: a document's source map is dropped once its entity is made.
    const auto collectInto = [&](QList<DocumentResult> &documents) {
        return [&](Yaml::YamlDocument &&document) {
            if (std::optional<DocumentResult> doc = processDocument(std::move(document), job, locationKey))
                documents.append(std::move(*doc));
        };
    };
    // A big file of many documents is cut at document starts and its parts
    // read in parallel; a part that a syntax error ends early ends the file
    // there too, as one read of the whole would stop.
    constexpr qsizetype PartBytes = 512 * 1024;
    const int wanted = int(std::min<qsizetype>(content.size() / PartBytes, 4 * QThread::idealThreadCount()));
    const QList<Yaml::StreamPart> parts = Yaml::YamlReader::partsOf(content, wanted);
    if (parts.size() == 1) {
        Yaml::YamlReader::readEach(content, job.path, job.options->yamlLimits, collectInto(result.documents));
        return result;
    }
    struct PartResult
    {
        QList<DocumentResult> documents;
        bool complete = true;
    };
    QList<PartResult> read(parts.size());
    PartResult *const slots = read.data();   // detached here, once: the threads only write their own slot
    shareAmongIdleThreads(parts.size(), [&](qsizetype i) {
        slots[i].complete = Yaml::YamlReader::readPart(content, parts.at(i), job.path, job.options->yamlLimits,
                                                       collectInto(slots[i].documents));
    });
    content = QByteArray();
    for (PartResult &part : read) {
        result.documents.append(std::move(part.documents));
        if (!part.complete)
            break;
    }
    return result;
}

// A Location entity waiting to have its targets read.
struct PendingLocation
{
    QString ref;
    QJsonObject entity;
    Model::LocationRef readFrom;   // where the Location entity itself was read
};

// A Backstage status item: "<name>: <message>" and the serialised error with its cause.
QJsonObject statusItem(const ProcessingErrorRecord &error, const Model::EntityProblem *problem)
{
    QJsonObject serialized{{QStringLiteral("name"), error.name}, {QStringLiteral("message"), error.message}};
    if (problem && !problem->causeName.isEmpty()) {
        serialized.insert(QStringLiteral("cause"), QJsonObject{{QStringLiteral("name"), problem->causeName},
                                                               {QStringLiteral("message"), problem->causeMessage}});
    }
    return {{QStringLiteral("type"), QStringLiteral("backstage.io/catalog-processing")},
            {QStringLiteral("level"), QStringLiteral("error")},
            {QStringLiteral("message"), error.name + QStringLiteral(": ") + error.message},
            {QStringLiteral("error"), serialized}};
}

// A problem of this read, filed under its origin, entity and location.
void addError(Store::LocationWrite &write, ProcessingErrorRecord error, const QString &entityRef, const QString &locationKey)
{
    error.originKey = write.originKey;
    if (error.entityRef.isEmpty())
        error.entityRef = entityRef;
    if (error.locationKey.isEmpty())
        error.locationKey = locationKey;
    write.errors.append(error);
}

// Whether a file of a Location fails that Location as a whole: it could not
// be read, a document is not YAML or an object, or names a refused kind.
bool failsItsLocation(const FileResult &file, const QString &parentRef)
{
    return file.readError || std::any_of(file.documents.cbegin(), file.documents.cend(), [&](const DocumentResult &doc) {
               return doc.readError || (!doc.ref.isEmpty() && doc.ref != parentRef && !doc.allowedKind);
           });
}

// One file of a Location that read well: each document lands as an entity
// or fails on its own; Location entities found go to `next`, to be read.
void landDocuments(const FileResult &file, const QString &parentRef, Store::LocationWrite &write, QSet<QString> &written,
                   QList<PendingLocation> &next)
{
    const QString locationKey = file.type + QLatin1Char(':') + file.path;
    for (const DocumentResult &doc : file.documents) {
        if (doc.ref == parentRef)
            continue;   // a child with its parent's ref is ignored
        if (doc.entityError) {
            addError(write, *doc.entityError, doc.ref, locationKey);
            if (!doc.ref.isEmpty())
                write.failures.append({doc.ref, statusItem(*doc.entityError, doc.outcome.problem ? &*doc.outcome.problem : nullptr)});
            continue;
        }
        const Model::ProcessedEntity &processed = doc.outcome.processed;
        if (written.contains(processed.ref)) {
            ProcessingErrorRecord duplicate = record(
                QStringLiteral("ConflictError"),
                QStringLiteral("Detected conflicting entityRef %1 in %2; it was read from another file of the "
                               "same location first").arg(processed.ref, file.path),
                file.path, doc.line);
            duplicate.level = QStringLiteral("warning");
            addError(write, duplicate, processed.ref, locationKey);
            continue;
        }
        written.insert(processed.ref);
        write.entities.append({QJsonObject(), processed.ref, processed.relations, locationKey, parentRef, {}, doc.json, doc.bodyHash});
        // `written` already keeps a Location from being read twice.
        if (!processed.entity.isEmpty())   // only a Location's object is kept
            next.append({processed.ref, processed.entity, {file.type, file.path}});
    }
}

// The Location generated for a registered location, processed.
Model::ProcessingOutcome generatedRoot(const Model::LocationRef &root, const ScmIntegrations &scm)
{
    // Processed like any entity read from a url: AnnotateLocationEntityProcessor gives it its view, edit and source URLs.
    QJsonObject rootEntity = LocationProcessor::generatedLocationEntity(root);
    if (root.type == QLatin1String("url"))
        rootEntity = withScmAnnotations(rootEntity, scm.locationAnnotations(root.target));
    return Model::EntityProcessor::process(rootEntity);
}

} // namespace

bool LocationReadResult::hasErrors() const
{
    return std::any_of(write.errors.cbegin(), write.errors.cend(),
                       [](const ProcessingErrorRecord &e) { return e.level == QLatin1String("error"); });
}

// Plugins' processors, in order, before validation; the first refusal is the
// entity's problem, worded as Backstage's orchestrator words a processor's throw.
std::optional<Model::EntityProblem> runPreProcessors(QJsonObject &entity, const QString &location, const QList<EntityPreProcessor> &processors)
{
    for (const EntityPreProcessor &processor : processors) {
        auto [processed, error] = processor.preProcess(entity, location);
        if (!error.isEmpty())
            return Model::EntityProblem{QStringLiteral("InputError"),
                                        QStringLiteral("Processor %1 threw an error while preprocessing").arg(processor.name),
                                        QStringLiteral("Error"), error, {}};
        entity = std::move(processed);
    }
    return std::nullopt;
}

LocationProcessor::LocationProcessor(IngestOptions options) : m_options(std::move(options)) {}

QJsonObject LocationProcessor::generatedLocationEntity(const Model::LocationRef &location)
{
    const QString key = location.toString();
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex());
    QJsonObject spec{{QStringLiteral("type"), location.type}, {QStringLiteral("target"), location.target}};
    if (!location.presence.isEmpty())
        spec.insert(QStringLiteral("presence"), location.presence);
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
        {QStringLiteral("kind"), QStringLiteral("Location")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("generated-") + hash},
                     {QStringLiteral("namespace"), Model::DefaultNamespace},
                     {QStringLiteral("annotations"),
                      QJsonObject{{Model::Annotations::ManagedByLocation, key},
                                  {Model::Annotations::ManagedByOriginLocation, key}}}}},
        {QStringLiteral("spec"), spec}};
}

LocationReadResult LocationProcessor::read(const Model::LocationRef &registered) const
{
    LocationReadResult result;
    Store::LocationWrite &write = result.write;
    Model::LocationRef root = registered;
    if (root.type == FileType)
        root.target = QFileInfo(root.target).absoluteFilePath();   // config file locations are made absolute
    write.originKey = root.toString();
    write.keepOrphans = m_options.keepOrphans;
    // Placeholders may read anything below the registered file's folder.
    const QString placeholderRoot = QFileInfo(root.target).absolutePath();

    const auto addError = [&write](ProcessingErrorRecord error, const QString &entityRef, const QString &locationKey) {
        Ingest::addError(write, std::move(error), entityRef, locationKey);
    };

    const Model::ProcessingOutcome rootOutcome = generatedRoot(root, m_options.scm);
    write.entities.append({rootOutcome.processed.entity, rootOutcome.processed.ref, rootOutcome.processed.relations,
                           write.originKey, QString(), {}, {}, {}});

    QList<PendingLocation> level{{rootOutcome.processed.ref, rootOutcome.processed.entity, root}};
    // A repository is fetched once per read: every file comes from one commit.
    std::shared_ptr<GitReader::Session> git;
    QSet<QString> written{rootOutcome.processed.ref};

    while (!level.isEmpty()) {
        // 1. Resolve each Location's targets to files.
        struct LocationJobs
        {
            PendingLocation location;
            QList<qsizetype> jobIndexes;
            bool failed = false;
        };
        QList<LocationJobs> locations;
        QList<FileJob> jobs;
        for (const PendingLocation &pending : level) {
            LocationJobs entry{pending, {}, false};
            const QString parentKey = pending.readFrom.toString();
            const QJsonObject spec = pending.entity.value(QLatin1String("spec")).toObject();
            const QString type = spec.value(QLatin1String("type")).toString(pending.readFrom.type);
            const bool optional = spec.value(QLatin1String("presence")).toString() == QLatin1String("optional");
            const auto fail = [&](const QString &name, const QString &message) {
                addError(record(name, message, pending.readFrom.target, 0), pending.ref, parentKey);
                entry.failed = true;
            };
            if (type != pending.readFrom.type && type != UrlType) {
                fail(QStringLiteral("InputError"), QStringLiteral("Registered locations must be of an allowed type [\"url\"]"));
                locations.append(entry);
                continue;
            }
            QStringList targets;
            if (spec.contains(QLatin1String("target")))
                targets.append(spec.value(QLatin1String("target")).toString());
            for (const QJsonValue &t : spec.value(QLatin1String("targets")).toArray())
                targets.append(t.toString());
            for (const QString &target : targets) {
                const auto addJob = [&](const QString &jobType, const QString &path, std::optional<QByteArray> content,
                                        PlaceholderResolver::Reader placeholders) {
                    entry.jobIndexes.append(jobs.size());
                    jobs.append({jobType, path, std::move(content), write.originKey, pending.ref,
                                 std::move(placeholders), &m_options, root});
                };
                // A relative `url` target inside a git repository means the repository's file.
                const QString targetType = type == UrlType && pending.readFrom.type == GitType && !target.contains(QLatin1String("://"))
                                               ? GitType : type;
                if (targetType == FileType) {
                    if (target.endsWith(QLatin1Char('/'))) {
                        fail(QStringLiteral("InputError"),
                             QStringLiteral("LocationEntityProcessor cannot handle file type location with target %1 that "
                                            "ends with a path separator").arg(pending.readFrom.target));
                        continue;
                    }
                    QString resolved = target;
                    if (pending.readFrom.type == FileType && target.startsWith(QLatin1Char('.')))
                        resolved = QFileInfo(pending.readFrom.target).absoluteDir().filePath(target);
                    resolved = QDir::cleanPath(QDir::current().absoluteFilePath(resolved));
                    const QStringList files = Glob::expandFileGlob(resolved);
                    if (files.isEmpty() && !optional)
                        fail(QStringLiteral("NotFoundError"), QStringLiteral("file %1 does not exist").arg(target));
                    for (const QString &file : files) {
                        addJob(FileType, file, std::nullopt,
                               PlaceholderResolver::fileReader(file, placeholderRoot, m_options.maxEntityBytes));
                    }
                } else if (targetType == UrlType) {
                    const QUrl resolved = pending.readFrom.type == UrlType ? QUrl(pending.readFrom.target).resolved(QUrl(target))
                                                                         : QUrl(target);
                    Result<QByteArray> content = m_options.urlReader.read(resolved);
                    if (!content && content.error().name == QLatin1String("NotFoundError")) {
                        if (!optional)
                            fail(QStringLiteral("NotFoundError"),
                                 QStringLiteral("Unable to read url, no matching files found for %1").arg(resolved.toString()));
                    } else if (!content) {
                        fail(QStringLiteral("Error"), QStringLiteral("Unable to read url, ") + content.error().message);
                    } else {
                        const UrlReader reader = m_options.urlReader;
                        addJob(UrlType, resolved.toString(), std::move(content.value()),
                               [reader, resolved](const QString &reference) { return reader.read(resolved.resolved(QUrl(reference))); });
                    }
                } else if (targetType == GitType) {
                    Result<GitTarget> resolved = GitTarget::parse(pending.readFrom.target);
                    if (resolved && pending.readFrom.type == GitType)
                        resolved = resolved->resolved(target);
                    else if (pending.readFrom.type != GitType)
                        resolved = GitTarget::parse(target);
                    if (!resolved) {
                        fail(QStringLiteral("InputError"), resolved.error().message);
                        continue;
                    }
                    if (!m_options.gitReader.isConfigured()) {
                        fail(QStringLiteral("Error"), QStringLiteral("Unable to read git, no git cache folder is configured"));
                        continue;
                    }
                    if (!git)
                        git = m_options.gitReader.session();
                    Result<QStringList> paths = git->matchFiles(resolved.value());
                    if (!paths) {
                        fail(paths.error().name == QLatin1String("NotFoundError") ? QStringLiteral("NotFoundError") : QStringLiteral("Error"),
                             QStringLiteral("Unable to read git, ") + paths.error().message);
                        continue;
                    }
                    if (paths->isEmpty() && !optional) {
                        fail(QStringLiteral("NotFoundError"),
                             QStringLiteral("Unable to read git, no matching files found for %1")
                                 .arg(GitReader::displayUrl(resolved->toString())));
                    }
                    for (const QString &path : std::as_const(paths.value())) {
                        const GitTarget file{resolved->repository, resolved->ref, path};
                        Result<QByteArray> content = git->readFile(file, m_options.maxFileBytes);
                        if (!content) {
                            fail(QStringLiteral("Error"), QStringLiteral("Unable to read git, ") + content.error().message);
                            continue;
                        }
                        const std::shared_ptr<GitReader::Session> session = git;
                        const qint64 maxBytes = m_options.maxEntityBytes;
                        addJob(GitType, file.toString(), std::move(content.value()),
                               [session, file, maxBytes](const QString &reference) -> Result<QByteArray> {
                                   Result<GitTarget> next = file.resolved(reference);
                                   if (!next)
                                       return next.error();
                                   return session->readFile(next.value(), maxBytes);
                               });
                    }
                } else {
                    fail(QStringLiteral("InputError"),
                         QStringLiteral("No processor was able to handle reading of %1:%2").arg(type, target));
                }
            }
            locations.append(entry);
        }

        // 2. Read and process every file of this level, in parallel.
        const QList<FileResult> files = QtConcurrent::blockingMapped(jobs, processFile);
        result.filesRead += int(files.size());

        // 3. Per Location: any read error or refused kind fails it as a whole.
        QList<PendingLocation> next;
        for (LocationJobs &entry : locations) {
            const PendingLocation &parent = entry.location;
            const QString parentKey = parent.readFrom.toString();
            for (qsizetype index : std::as_const(entry.jobIndexes)) {
                const FileResult &file = files.at(index);
                if (file.readError) {
                    addError(*file.readError, parent.ref, parentKey);
                    entry.failed = true;
                }
                for (const DocumentResult &doc : file.documents) {
                    ++result.documentsRead;
                    if (doc.readError) {
                        addError(*doc.readError, parent.ref, file.type + QLatin1Char(':') + file.path);
                        entry.failed = true;
                    } else if (!doc.ref.isEmpty() && doc.ref != parent.ref && !doc.allowedKind) {
                        ProcessingErrorRecord refused = record(
                            QStringLiteral("NotAllowedError"),
                            QStringLiteral("Entity %1 at %2, originated at %3, is not of an allowed kind for that location")
                                .arg(doc.ref, parentKey, write.originKey),
                            file.path, doc.line);
                        addError(refused, doc.ref, file.type + QLatin1Char(':') + file.path);
                        entry.failed = true;
                    }
                }
            }
            if (entry.failed) {
                write.keptParents.insert(parent.ref);
                continue;
            }
            // 4. The Location succeeded: its children land, or fail one by one.
            for (qsizetype index : std::as_const(entry.jobIndexes))
                landDocuments(files.at(index), parent.ref, write, written, next);
        }
        level = next;
    }
    return result;
}

std::optional<LocationReadResult> LocationProcessor::readFile(const Model::LocationRef &registered, const QString &parentRef,
                                                             const QString &path) const
{
    if (registered.type != FileType || parentRef.isEmpty())
        return std::nullopt;
    Model::LocationRef root = registered;
    root.target = QFileInfo(root.target).absoluteFilePath();
    LocationReadResult result;
    Store::LocationWrite &write = result.write;
    write.originKey = root.toString();
    write.keepOrphans = m_options.keepOrphans;
    write.onlyLocationKeys = {FileType + QLatin1Char(':') + path};
    const QString placeholderRoot = QFileInfo(root.target).absolutePath();
    const FileJob job{FileType, path, std::nullopt, write.originKey, parentRef,
                      PlaceholderResolver::fileReader(path, placeholderRoot, m_options.maxEntityBytes), &m_options, root};
    const FileResult file = processFile(job);
    result.filesRead = 1;
    result.documentsRead = int(file.documents.size());
    // What would fail the parent Location fails it as a whole: only its whole read says so.
    if (failsItsLocation(file, parentRef))
        return std::nullopt;
    QSet<QString> written{parentRef};
    // The registered file itself: the Location generated for it has its key too.
    if (write.onlyLocationKeys.contains(write.originKey)) {
        const Model::ProcessingOutcome rootOutcome = generatedRoot(root, m_options.scm);
        write.entities.append({rootOutcome.processed.entity, rootOutcome.processed.ref, rootOutcome.processed.relations,
                               write.originKey, QString(), {}, {}, {}});
        written.insert(rootOutcome.processed.ref);
    }
    QList<PendingLocation> locations;
    landDocuments(file, parentRef, write, written, locations);
    if (!locations.isEmpty())
        return std::nullopt;   // a Location's targets are read with the whole location
    return result;
}

} // namespace Greenroom::Ingest
