// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <store/catalogstore.h>
#include <store/docsstore.h>

#include "storewrites.h"

#include <QJsonArray>
#include <QJsonObject>

// The small organisation the store tests write, and how they write it.
namespace Greenroom::Tests::StoreData {

using namespace Greenroom::Store;

inline const QString Origin = QStringLiteral("file:/org/catalog-info.yaml");

// An entity as a location would produce it: processed, relations derived.
inline EntityWrite entity(const char *kind, const char *name, const QJsonObject &spec, const QJsonObject &metadataExtra = {})
{
    QJsonObject metadata = metadataExtra;
    metadata.insert(QStringLiteral("name"), QString::fromUtf8(name));
    QJsonObject raw{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                    {QStringLiteral("kind"), QString::fromUtf8(kind)},
                    {QStringLiteral("metadata"), metadata},
                    {QStringLiteral("spec"), spec}};
    return Tests::processedEntity(raw, Origin);
}

inline QJsonObject component(const char *owner, const char *lifecycle = "production", const char *system = nullptr)
{
    QJsonObject spec{{QStringLiteral("type"), QStringLiteral("service")},
                     {QStringLiteral("lifecycle"), QString::fromUtf8(lifecycle)},
                     {QStringLiteral("owner"), QString::fromUtf8(owner)}};
    if (system)
        spec.insert(QStringLiteral("system"), QString::fromUtf8(system));
    return spec;
}

inline QJsonObject group()
{
    return {{QStringLiteral("type"), QStringLiteral("team")}, {QStringLiteral("children"), QJsonArray{}}};
}

inline LocationWrite writeOf(QList<EntityWrite> entities, const QString &origin = Origin)
{
    return Tests::locationWrite(std::move(entities), origin);
}

inline QStringList refs(const EntityPage &page)
{
    QStringList out;
    for (const StoredEntity &e : page.items)
        out << e.ref;
    return out;
}

inline QList<EntityWrite> seedEntities()
{
    return {
        entity("Group", "team-a", group()),
        entity("Group", "team-b", group()),
        entity("System", "shop", {{QStringLiteral("owner"), QStringLiteral("team-a")}}),
        entity("Component", "cart", component("team-a", "production", "shop"),
               {{QStringLiteral("tags"), QJsonArray{QStringLiteral("java"), QStringLiteral("web")}},
                {QStringLiteral("title"), QStringLiteral("Shopping Cart")},
                {QStringLiteral("description"), QStringLiteral("Keeps baskets for customers")}}),
        entity("Component", "Payments", component("team-b", "experimental"),
               {{QStringLiteral("tags"), QJsonArray{QStringLiteral("go")}}}),
        entity("Component", "search", component("team-b", "production"),
               {{QStringLiteral("annotations"), QJsonObject{{QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:.")}}}}),
        entity("API", "cart-api", {{QStringLiteral("type"), QStringLiteral("openapi")},
                                   {QStringLiteral("lifecycle"), QStringLiteral("production")},
                                   {QStringLiteral("owner"), QStringLiteral("team-a")},
                                   {QStringLiteral("definition"), QStringLiteral("openapi: 3.0.0")}}),
    };
}


// A small built site of `entity` whose home page says `homeText`.
inline DocsSiteWrite docsSite(const StoredEntity &entity, const QByteArray &homeText)
{
    const QByteArray index = R"({"config":{},"docs":[{"location":"","text":"Welcome )" + homeText
                             + R"(","title":"Welcome"},{"location":"setup/#install-it","text":"Run the frobnicator installer","title":"Install it"},)"
                               R"({"location":"setup/","text":"Setup page","title":"Setup"}]})";
    return {entity.ref, entity.uid, QStringLiteral("key-1"), 1764000000000,
            {{QStringLiteral("index.html"), "<h1>Welcome</h1>" + homeText},
             {QStringLiteral("setup/index.html"), "<h1>Setup</h1>"},
             {QStringLiteral("search/search_index.json"), index},
             {QStringLiteral("techdocs_metadata.json"), R"({"site_name":"Search"})"}}};
}

} // namespace Greenroom::Tests::StoreData
