// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// A server store holding the demo organisation (resources/demo) as the
// server would after reading it: every entity, and the docs of every entity
// documented with `dir:.`, built and stored. What search relevance is judged
// on (header-only; users link Greenroom::Ingest and Greenroom::Docs).

#include <cachefixture.h>
#include <testconfig.h>

#include <ingest/catalogingester.h>
#include <ingest/catalogrules.h>
#include <store/sqlitecatalogstore.h>

#include <QFileInfo>
#include <QUrl>

namespace Greenroom::TestSupport {

// The store at `path` filled with the demo organisation; an error text or "".
inline QString fillDemoSearchStore(Store::SqliteCatalogStore &store)
{
    Ingest::IngestOptions options;
    options.rules = Ingest::CatalogRules::allowAll();
    Ingest::CatalogIngester ingester(store, options);
    auto outcome = ingester.ingest({QStringLiteral("file"), QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml")});
    if (!outcome)
        return outcome.error().message;
    Store::EntityQuery query;
    query.filter = Model::EntityFilter::parse({QStringLiteral("metadata.annotations.backstage.io/techdocs-ref")}).value();
    query.limit = 1000;
    auto documented = store.queryEntities(query);
    if (!documented)
        return documented.error().message;
    for (const Store::StoredEntity &entity : documented->items) {
        const QJsonObject annotations = entity.entity.value(QLatin1String("metadata"))[QLatin1String("annotations")].toObject();
        const QString location = annotations.value(QLatin1String("backstage.io/managed-by-location")).toString();
        if (annotations.value(QLatin1String("backstage.io/techdocs-ref")).toString() != QLatin1String("dir:.")
            || !location.startsWith(QLatin1String("file:")))
            continue;
        const QString root = QFileInfo(location.mid(5)).absolutePath();
        const QString built = storeBuiltDocs(store, entity.ref, root);
        if (!built.isEmpty())
            return entity.ref + QStringLiteral(": ") + built;
    }
    return QString();
}

} // namespace Greenroom::TestSupport
