// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// Desktop caches for UI tests and benchmarks, filled the way the sync client
// fills them (SqliteCatalogStore::applyMirror of feed changes), without a
// server process (header-only; users link Greenroom::Ingest for the demo).

#include <docs/sitebuilder.h>
#include <ingest/catalogingester.h>
#include <ingest/catalogrules.h>
#include <store/sqlitecatalogstore.h>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Greenroom::TestSupport {

// The catalog at `catalogFile` (e.g. resources/demo/catalog-info.yaml),
// ingested as the server would and mirrored into the cache at `cachePath`.
inline QString fillCacheFromCatalog(const QString &catalogFile, const QString &cachePath)
{
    const QString serverPath = cachePath + QStringLiteral(".server.sqlite");
    QFile::remove(serverPath);
    auto server = Store::SqliteCatalogStore::open(serverPath);
    if (!server)
        return server.error().message;
    Ingest::IngestOptions options;
    options.rules = Ingest::CatalogRules::allowAll();
    Ingest::CatalogIngester ingester(*server.value(), options);
    auto outcome = ingester.ingest({QStringLiteral("file"), catalogFile});
    if (!outcome)
        return outcome.error().message;
    auto cache = Store::SqliteCatalogStore::open(cachePath);
    if (!cache)
        return cache.error().message;
    Store::MirrorBatch batch;
    for (const Store::Change &change : server.value()->changesSince(0, 1 << 30, true))
        batch.changes.append({change.type == Store::Change::Type::Delete, change.ref, change.uid, change.etag, change.entityJson, {}});
    auto applied = cache.value()->applyMirror(batch);
    return applied ? QString() : applied.error().message;
}

// The docs folder `docsRoot` built and stored for `entityRef` in `store`,
// files and reader outline as the server's build stores them, under the
// entity's uid when the store holds it; an error text or "".
inline QString storeBuiltDocs(Store::SqliteCatalogStore &store, const QString &entityRef, const QString &docsRoot)
{
    auto site = Docs::buildSite(docsRoot);
    if (!site)
        return site.error().message;
    Store::DocsSiteWrite write;
    write.entityRef = entityRef;
    const auto entity = store.entityByRef(entityRef);
    write.entityUid = entity ? entity->uid : QStringLiteral("uid-of-") + entityRef;
    write.sourceKey = docsRoot;
    write.buildTimestamp = 1;
    for (const Docs::BuiltFile &file : site->filesWithOutline())
        write.files.append({file.path, file.content});
    auto written = store.putDocsSite(write);
    return written ? QString() : written.error().message;
}

// A synthetic mirrored catalog: `count` components, each owned by one of 50
// groups, part of one of 200 systems, with types, lifecycles and tags drawn
// deterministically, plus the groups and systems themselves. Final JSON with
// relations, as a server's feed carries it.
inline QList<Store::MirroredChange> syntheticCatalog(int count)
{
    static const char *const types[] = {"service", "website", "library", "data-pipeline"};
    static const char *const lifecycles[] = {"production", "experimental", "deprecated"};
    static const char *const tags[] = {"java", "go", "python", "typescript", "kotlin", "rust", "grpc", "kafka"};
    QList<Store::MirroredChange> changes;
    auto add = [&changes](const QJsonObject &entity) {
        const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
        Store::MirroredChange change;
        change.ref = QStringLiteral("%1:default/%2").arg(entity.value(QLatin1String("kind")).toString().toLower(),
                                                         metadata.value(QLatin1String("name")).toString().toLower());
        change.uid = metadata.value(QLatin1String("uid")).toString();
        change.etag = metadata.value(QLatin1String("etag")).toString();
        change.entityJson = QJsonDocument(entity).toJson(QJsonDocument::Compact);
        changes.append(std::move(change));
    };
    auto relation = [](const char *type, const QString &target) {
        return QJsonObject{{QStringLiteral("type"), QLatin1String(type)}, {QStringLiteral("targetRef"), target}};
    };
    auto metadataOf = [](const QString &name, const QString &description, int n) {
        const QString uid = QString::fromLatin1(QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Md5).toHex());
        return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), QStringLiteral("default")},
                           {QStringLiteral("description"), description}, {QStringLiteral("uid"), uid},
                           {QStringLiteral("etag"), QStringLiteral("etag-%1").arg(n)}};
    };
    for (int g = 0; g < 50; ++g) {
        const QString name = QStringLiteral("team-%1").arg(g);
        add({{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")}, {QStringLiteral("kind"), QStringLiteral("Group")},
             {QStringLiteral("metadata"), metadataOf(name, QStringLiteral("Team number %1").arg(g), g)},
             {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("team")}, {QStringLiteral("children"), QJsonArray{}}}},
             {QStringLiteral("relations"), QJsonArray{}}});
    }
    for (int s = 0; s < 200; ++s) {
        const QString name = QStringLiteral("system-%1").arg(s);
        add({{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")}, {QStringLiteral("kind"), QStringLiteral("System")},
             {QStringLiteral("metadata"), metadataOf(name, QStringLiteral("System number %1").arg(s), s)},
             {QStringLiteral("spec"), QJsonObject{{QStringLiteral("owner"), QStringLiteral("team-%1").arg(s % 50)}}},
             {QStringLiteral("relations"), QJsonArray{relation("ownedBy", QStringLiteral("group:default/team-%1").arg(s % 50))}}});
    }
    for (int i = 0; i < count; ++i) {
        const QString name = QStringLiteral("component-%1").arg(i, 6, 10, QLatin1Char('0'));
        const QString owner = QStringLiteral("team-%1").arg((i * 7) % 50);
        const QString system = QStringLiteral("system-%1").arg((i * 13) % 200);
        QJsonObject metadata = metadataOf(name, QStringLiteral("Handles %1 for the %2 flow").arg(tags[i % 8]).arg(system), i);
        metadata.insert(QStringLiteral("tags"), QJsonArray{QLatin1String(tags[i % 8]), QLatin1String(tags[(i / 8) % 8])});
        add({{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")}, {QStringLiteral("kind"), QStringLiteral("Component")},
             {QStringLiteral("metadata"), metadata},
             {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QLatin1String(types[i % 4])},
                                                  {QStringLiteral("lifecycle"), QLatin1String(lifecycles[(i / 4) % 3])},
                                                  {QStringLiteral("owner"), owner}, {QStringLiteral("system"), system}}},
             {QStringLiteral("relations"), QJsonArray{relation("ownedBy", QStringLiteral("group:default/") + owner),
                                                      relation("partOf", QStringLiteral("system:default/") + system)}}});
    }
    return changes;
}

} // namespace Greenroom::TestSupport
