// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "techdocsroutes.h"

#include "auth/authroutes.h"

#include "catalog/routesupport.h"

#include <ingest/docssource.h>
#include <model/entityref.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QUrl>

namespace Greenroom::Server {

namespace {

const QString Mount = QStringLiteral("/api/techdocs");
const QString StaticPrefix = QStringLiteral("/static/docs/");

// Backstage's stringifyEntityRef of the route's parameters: kind and
// namespace lower-cased, the name as asked.
QString shownRef(const QString &kind, const QString &namespaceName, const QString &name)
{
    return kind.toLower() + QLatin1Char(':') + namespaceName.toLower() + QLatin1Char('/') + name;
}

QString shownRef(const HttpRequest &request)
{
    return shownRef(request.params.value(QStringLiteral("kind")), request.params.value(QStringLiteral("namespace")),
                    request.params.value(QStringLiteral("name")));
}

QString storedRef(const QString &kind, const QString &namespaceName, const QString &name)
{
    return Model::EntityRef::canonical(kind, namespaceName, name);
}

QString storedRef(const HttpRequest &request)
{
    return storedRef(request.params.value(QStringLiteral("kind")), request.params.value(QStringLiteral("namespace")),
                     request.params.value(QStringLiteral("name")));
}

// The local publisher's Content-Type: anything a browser could run or
// render as a document is plain text (the reader sanitises HTML itself).
QByteArray contentTypeFor(const QString &path)
{
    const QString name = path.section(QLatin1Char('/'), -1);
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const QString extension = dot < 0 ? QString() : name.mid(dot + 1).toLower();
    static const QRegularExpression active(QStringLiteral("htm|xml|svg|appcache|manifest|mathml|owl|rdf|rng|vtt|xht|xsd|xsl"));
    const QByteArray plain = "text/plain; charset=utf-8";
    if (extension.isEmpty() || active.match(QLatin1Char('.') + extension).hasMatch())
        return plain;
    static const QHash<QString, QByteArray> web{
        {QStringLiteral("css"), "text/css; charset=utf-8"},
        {QStringLiteral("js"), "application/javascript; charset=utf-8"},
        {QStringLiteral("mjs"), "application/javascript; charset=utf-8"},
        {QStringLiteral("json"), "application/json; charset=utf-8"},
        {QStringLiteral("map"), "application/json; charset=utf-8"},
        {QStringLiteral("txt"), "text/plain; charset=utf-8"},
        {QStringLiteral("md"), "text/markdown; charset=utf-8"},
        {QStringLiteral("png"), "image/png"},
        {QStringLiteral("jpg"), "image/jpeg"},
        {QStringLiteral("jpeg"), "image/jpeg"},
        {QStringLiteral("gif"), "image/gif"},
        {QStringLiteral("webp"), "image/webp"},
        {QStringLiteral("ico"), "image/x-icon"},
        {QStringLiteral("woff"), "font/woff"},
        {QStringLiteral("woff2"), "font/woff2"},
        {QStringLiteral("ttf"), "font/ttf"},
        {QStringLiteral("gz"), "application/gzip"},
        {QStringLiteral("pdf"), "application/pdf"},
    };
    if (const auto known = web.constFind(extension); known != web.cend())
        return *known;
    const QMimeType mime = QMimeDatabase().mimeTypeForFile(name, QMimeDatabase::MatchExtension);
    if (!mime.isValid() || mime.isDefault() || mime.name() == QLatin1String("application/octet-stream"))
        return plain;
    const QByteArray type = mime.name().toLatin1();
    return type.startsWith("text/") ? type + "; charset=utf-8" : type;
}

HttpResponse redirect(const QString &location)
{
    HttpResponse response;
    response.status = 301;
    const QByteArray target = QUrl(location).toEncoded();
    response.headers = {{"Location", target}, {"Content-Type", "text/plain; charset=utf-8"}};
    response.body = "Moved Permanently. Redirecting to " + target;
    return response;
}

QByteArray event(const QByteArray &type, const QJsonValue &data)
{
    const QByteArray json = data.isString() ? QJsonDocument(QJsonArray{data}).toJson(QJsonDocument::Compact).mid(1).chopped(1)
                                            : QJsonDocument(data.toObject()).toJson(QJsonDocument::Compact);
    return "event: " + type + "\ndata: " + json + "\n\n";
}

HttpResponse staticFile(const HttpRequest &request, Store::DocsStore &docs, const TechDocsRouteOptions &options,
                        const std::function<bool(const QString &ref)> &readable)
{
    // The path after /static/docs/ as sent: the trailing slash matters.
    QByteArray raw = request.rawTarget;
    const qsizetype query = raw.indexOf('?');
    const QByteArray queryPart = query < 0 ? QByteArray() : raw.mid(query);
    raw.truncate(query < 0 ? raw.size() : query);
    const QByteArray prefix = (Mount + StaticPrefix).toUtf8();
    if (!raw.startsWith(prefix))
        return HttpResponse::empty(404);
    QStringList parts;
    for (const QByteArray &segment : raw.mid(prefix.size()).split('/'))
        parts.append(QUrl::fromPercentEncoding(segment));
    if (parts.size() < 4 || parts.at(0).isEmpty() || parts.at(1).isEmpty() || parts.at(2).isEmpty())
        return HttpResponse::empty(404);
    const QString namespaceName = parts.at(0), kind = parts.at(1), name = parts.at(2);
    const QStringList rest = parts.mid(3);
    for (const QString &segment : rest) {
        if (segment == QLatin1String("..") || segment.contains(QLatin1Char('\\')) || segment.contains(QChar(0)))
            return HttpResponse::error(notFound(QStringLiteral("Content not found for %1").arg(shownRef(kind, namespaceName, name))), request);
    }
    if (!options.legacyCaseSensitiveTriplets
        && (namespaceName != namespaceName.toLower() || kind != kind.toLower() || name != name.toLower())) {
        const QStringList lower{namespaceName.toLower(), kind.toLower(), name.toLower()};
        return redirect(Mount + StaticPrefix + (lower + rest).join(QLatin1Char('/')));
    }
    const QString ref = storedRef(kind, namespaceName, name);
    if (!readable(ref))
        return HttpResponse::error(notFound(QStringLiteral("Entity not found for %1").arg(shownRef(kind, namespaceName, name))), request);
    QString path = rest.join(QLatin1Char('/'));
    if (path.isEmpty() || path.endsWith(QLatin1Char('/')))
        path += QStringLiteral("index.html");
    if (std::optional<QByteArray> content = docs.docsFile(ref, path)) {
        HttpResponse response;
        response.headers = {{"Content-Type", contentTypeFor(path)}};
        response.body = std::move(*content);
        return response;
    }
    // A folder asked for without its slash: the static server redirects.
    if (!rest.last().isEmpty() && docs.docsFile(ref, path + QStringLiteral("/index.html")))
        return redirect(QString::fromUtf8(raw) + QLatin1Char('/') + QString::fromUtf8(queryPart));
    return HttpResponse::empty(404);
}

} // namespace

void addTechDocsRoutes(Router &router, Store::CatalogStore &catalog, Store::DocsStore &docs, Ingest::DocsBuildLoop &builds,
                       const Auth::Authorizer &authorizer, TechDocsRouteOptions options)
{
    const auto entity = [&catalog, &authorizer](const HttpRequest &request, const QString &ref) {
        return readableEntity(authorizer, catalog, request.principal, ref);
    };
    router.add("GET", Mount, QStringLiteral("/metadata/techdocs/:namespace/:kind/:name"), [entity, &docs](const HttpRequest &request) {
        const Error missing = notFound(QStringLiteral("Unable to get metadata for '%1'").arg(shownRef(request)));
        const QString ref = storedRef(request);
        if (!entity(request, ref))
            return HttpResponse::error(missing, request);
        std::optional<Store::DocsSiteInfo> site = docs.docsSite(ref);
        if (!site)
            return HttpResponse::error(missing, request);
        return HttpResponse::jsonBytes(site->metadata);
    });
    router.add("GET", Mount, QStringLiteral("/metadata/entity/:namespace/:kind/:name"), [entity](const HttpRequest &request) {
        const Error missing = notFound(QStringLiteral("Unable to get metadata for '%1'").arg(shownRef(request)));
        std::optional<Store::StoredEntity> found = entity(request, storedRef(request));
        if (!found)
            return HttpResponse::error(missing, request);
        auto source = Ingest::DocsSource::forEntity(found->entity);
        if (!source)
            return HttpResponse::error(missing, request);
        QJsonObject body = found->entity;
        body.insert(QStringLiteral("locationMetadata"), source->locationMetadata());
        return HttpResponse::json(body);
    });
    router.add("GET", Mount, QStringLiteral("/sync/:namespace/:kind/:name"), [entity, &builds](const HttpRequest &request) {
        std::optional<Store::StoredEntity> found = entity(request, storedRef(request));
        if (!found || found->uid.isEmpty())
            return HttpResponse::error(notFound(QStringLiteral("Entity metadata UID missing")), request);
        auto stream = std::make_shared<ResponseStream>();
        // The build loop keeps the job until it has said how it ended (never
        // before sync() returns); the connections go with it.
        const std::shared_ptr<Ingest::DocsBuildJob> held = builds.sync(*found);
        Ingest::DocsBuildJob *job = held.get();
        QObject::connect(job, &Ingest::DocsBuildJob::log, job, [stream](const QString &line) { stream->write(event("log", line)); });
        QObject::connect(job, &Ingest::DocsBuildJob::finished, job, [stream](bool updated) {
            stream->write(event("finish", QJsonObject{{QStringLiteral("updated"), updated}}));
            stream->close();
        });
        QObject::connect(job, &Ingest::DocsBuildJob::failed, job, [stream](const QString &message) {
            stream->write(event("error", message));
            stream->close();
        });
        return HttpResponse::streamed(stream, {{"Connection", "keep-alive"},
                                               {"Cache-Control", "no-cache"},
                                               {"Content-Type", "text/event-stream"}});
    });
    router.add("GET", Mount, QStringLiteral("/static/docs/*"), [&docs, &authorizer, options, entity](const HttpRequest &request) {
        // Without permissions every site is served as before, with no catalog lookup per file.
        return staticFile(request, docs, options,
                          [&](const QString &ref) { return !authorizer.isEnabled() || entity(request, ref).has_value(); });
    });
}

void addDocsBundleRoute(Router &router, Store::CatalogStore &catalog, Store::DocsStore &docs, const Auth::Authorizer &authorizer)
{
    router.add("GET", QStringLiteral("/api/sync"), QStringLiteral("/v1/docs/:namespace/:kind/:name"), [&catalog, &docs, &authorizer](const HttpRequest &request) {
        const QString ref = storedRef(request);
        std::optional<Store::DocsSiteInfo> site = docs.docsSite(ref);
        if (site && authorizer.isEnabled() && !readableEntity(authorizer, catalog, request.principal, ref))
            site.reset();
        if (!site)
            return HttpResponse::error(notFound(QStringLiteral("No docs for %1").arg(ref)), request);
        QJsonArray files;
        for (const Store::DocsFile &file : docs.docsFiles(ref))
            files.append(QJsonObject{{QStringLiteral("path"), file.path},
                                     {QStringLiteral("content"), QString::fromLatin1(file.content.toBase64())}});
        return HttpResponse::json(QJsonObject{{QStringLiteral("entityRef"), site->entityRef},
                                              {QStringLiteral("uid"), site->entityUid},
                                              {QStringLiteral("etag"), site->etag},
                                              {QStringLiteral("buildTimestamp"), site->buildTimestamp},
                                              {QStringLiteral("files"), files}});
    });
}

} // namespace Greenroom::Server
