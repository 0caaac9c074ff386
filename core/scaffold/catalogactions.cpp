// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// catalog:register and catalog:fetch, through ScaffolderServices::catalog.
// catalog:register resolves repoContentsUrl the way Backstage's SCM
// integrations resolve a path against a repository URL; where no integration
// knows the host but the URL is a git location target (what publish:git
// outputs: <repository>/blob/<ref>), Greenroom registers a `git` location
// instead of failing.
#include "builtinactions_p.h"

#include <ingest/gitreader.h>
#include <model/entityref.h>

#include <QJsonDocument>
#include <QUrl>

namespace Greenroom::Scaffold {

namespace {

// Backstage's default integrations know these hosts even when unconfigured.
bool hasIntegration(const ScaffolderServices &services, const QUrl &url)
{
    static const QStringList publicHosts{QStringLiteral("gitlab.com"), QStringLiteral("bitbucket.org"), QStringLiteral("dev.azure.com")};
    const QString host = Ingest::integrationHost(url);
    if (Ingest::GitHubIntegration::forUrl(services.github, url) || publicHosts.contains(host))
        return true;
    for (const Ingest::GitCredential &credential : services.gitCredentials) {
        if (credential.host.compare(host, Qt::CaseInsensitive) == 0 || credential.host.compare(url.host(), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// defaultScmResolveUrl: "/x" from the repository's root (the part before
// <ref>'s path), anything else as a URL relative to the base.
QString resolveAgainstRepository(const QString &base, const QString &path)
{
    if (!path.startsWith(QLatin1Char('/')))
        return QUrl(base).resolved(QUrl(path)).toString();
    QUrl url(base);
    QStringList segments = url.path().split(QLatin1Char('/'));
    // /<owner>/<repo>/<blob|tree>/<ref>/<path...> keeps its first five parts.
    const qsizetype marker = std::max(segments.indexOf(QStringLiteral("blob")), segments.indexOf(QStringLiteral("tree")));
    if (marker > 0 && marker + 1 < segments.size())
        segments = segments.mid(0, marker + 2);
    QString root = segments.join(QLatin1Char('/'));
    while (root.endsWith(QLatin1Char('/')))
        root.chop(1);
    url.setPath(root + path);
    return url.toString();
}

struct Registration
{
    QString type;
    QString target;
};

Result<Registration> registration(const ActionContext &context)
{
    const QJsonObject &input = context.input;
    const ScaffolderServices &services = *context.services;
    if (input.contains(QLatin1String("catalogInfoUrl"))) {
        const QString url = input.value(QLatin1String("catalogInfoUrl")).toString();
        const QString scheme = QUrl(url).scheme();
        if (scheme == QLatin1String("http") || scheme == QLatin1String("https") || !Ingest::GitTarget::parse(url))
            return Registration{QStringLiteral("url"), url};
        return Registration{QStringLiteral("git"), url};
    }
    const QString base = input.value(QLatin1String("repoContentsUrl")).toString();
    const QString path = input.value(QLatin1String("catalogInfoPath")).toString(QStringLiteral("/catalog-info.yaml"));
    const QUrl baseUrl(base);
    if ((baseUrl.scheme() == QLatin1String("http") || baseUrl.scheme() == QLatin1String("https")) && hasIntegration(services, baseUrl))
        return Registration{QStringLiteral("url"), resolveAgainstRepository(base, path)};
    auto target = Ingest::GitTarget::parse(base);
    if (!target)
        return Error::input(QStringLiteral("No integration found for host %1").arg(base));
    const QString relative = path.startsWith(QLatin1Char('/')) ? path.mid(1) : path;
    return Registration{QStringLiteral("git"), Ingest::GitTarget{target->repository, target->ref,
                                                                 target->path.isEmpty() ? relative : target->path + QLatin1Char('/') + relative}
                                                   .toString()};
}

// kind:namespace/name as upstream's stringifyEntityRef writes it (the name keeps its case).
QString stringifyRef(const QJsonObject &entity)
{
    const QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    return QStringLiteral("%1:%2/%3").arg(entity.value(QLatin1String("kind")).toString().toLower(),
                                          metadata.value(QLatin1String("namespace")).toString(Model::DefaultNamespace).toLower(),
                                          metadata.value(QLatin1String("name")).toString());
}

Status catalogRegister(ActionContext &context)
{
    auto where = registration(context);
    if (!where)
        return where.error();
    if (!context.services->catalog)
        return Error::internal(QStringLiteral("catalog:register has no catalog to register in here"));
    const bool optional = context.input.value(QLatin1String("optional")).toBool(false);
    CatalogAccess &catalog = *context.services->catalog;
    context.log(QStringLiteral("Registering %1 in the catalog").arg(where->target));
    if (const Status added = catalog.addLocation(where->type, where->target); !added) {
        if (!optional)
            return added;
        context.log(QStringLiteral("Could not register %1 (optional): %2").arg(where->target, added.error().message));
    }
    auto entities = catalog.previewLocation(where->type, where->target);
    if (!entities && !optional)
        return entities.error();
    if (entities && !entities->isEmpty()) {
        // The first Component not generated, else the first not generated, else the first.
        QJsonObject chosen;
        const auto generated = [](const QJsonObject &entity) {
            return entity.value(QLatin1String("metadata"))[QLatin1String("name")].toString().startsWith(QLatin1String("generated-"));
        };
        for (const QJsonValue &value : entities.value()) {
            if (!generated(value.toObject()) && value[QLatin1String("kind")].toString() == QLatin1String("Component")) {
                chosen = value.toObject();
                break;
            }
        }
        for (const QJsonValue &value : entities.value()) {
            if (chosen.isEmpty() && !generated(value.toObject()))
                chosen = value.toObject();
        }
        if (chosen.isEmpty())
            chosen = entities->first().toObject();
        context.output(QStringLiteral("entityRef"), stringifyRef(chosen));
    }
    context.output(QStringLiteral("catalogInfoUrl"), where->target);
    return Ok{};
}

Status catalogFetch(ActionContext &context)
{
    const QJsonObject &input = context.input;
    const bool optional = input.value(QLatin1String("optional")).toBool(false);
    const QString entityRef = input.value(QLatin1String("entityRef")).toString();
    const QJsonArray entityRefs = input.value(QLatin1String("entityRefs")).toArray();
    if (entityRef.isEmpty() && !input.contains(QLatin1String("entityRefs"))) {
        if (optional)
            return Ok{};
        return Error(QStringLiteral("Error"), QStringLiteral("Missing entity reference or references"));
    }
    if (!context.services->catalog)
        return Error::internal(QStringLiteral("catalog:fetch has no catalog to read here"));
    const Model::EntityRef::Defaults defaults{input.value(QLatin1String("defaultKind")).toString(),
                                              input.value(QLatin1String("defaultNamespace")).toString()};
    const auto fetch = [&](const QString &ref) -> Result<QJsonValue> {
        auto parsed = Model::EntityRef::parse(ref, defaults);
        if (!parsed)
            return Error::input(parsed.error().message);
        auto entity = context.services->catalog->entityByRef(parsed->toString());
        if (!entity)
            return entity.error();
        if (!entity->has_value() && !optional)
            return Error(QStringLiteral("Error"), QStringLiteral("Entity %1 not found").arg(ref));
        return entity->has_value() ? QJsonValue(**entity) : QJsonValue(QJsonValue::Null);
    };
    if (!entityRef.isEmpty()) {
        auto entity = fetch(entityRef);
        if (!entity)
            return entity.error();
        context.output(QStringLiteral("entity"), entity.value());
    }
    if (input.contains(QLatin1String("entityRefs"))) {
        QJsonArray entities;
        for (const QJsonValue &ref : entityRefs) {
            auto entity = fetch(ref.toString());
            if (!entity)
                return entity.error();
            entities.append(entity.value());
        }
        context.output(QStringLiteral("entities"), entities);
    }
    return Ok{};
}

} // namespace

ActionInfo catalogRegisterAction()
{
    return {QStringLiteral("catalog:register"),
            QStringLiteral("Registers entities from a catalog descriptor file in the workspace into the software catalog."),
            QJsonDocument::fromJson(R"JSON({"type": "object", "additionalProperties": false,
                "anyOf": [{"required": ["catalogInfoUrl"]}, {"required": ["repoContentsUrl"]}],
                "properties": {
                  "catalogInfoUrl": {"type": "string", "description": "An absolute URL pointing to the catalog info file location"},
                  "repoContentsUrl": {"type": "string", "description": "An absolute URL pointing to the root of a repository directory tree"},
                  "catalogInfoPath": {"type": "string", "description": "A relative path from the repo root pointing to the catalog info file, defaults to /catalog-info.yaml"},
                  "optional": {"type": "boolean", "description": "Permit the registered location to optionally exist. Default: false"}}})JSON").object(),
            QJsonDocument::fromJson(R"({"type": "object", "required": ["catalogInfoUrl"], "properties": {
                "entityRef": {"type": "string"}, "catalogInfoUrl": {"type": "string"}}})").object(),
            false, catalogRegister};
}

ActionInfo catalogFetchAction()
{
    return {QStringLiteral("catalog:fetch"),
            QStringLiteral("Returns entity or entities from the catalog by entity reference(s)"),
            QJsonDocument::fromJson(R"JSON({"type": "object", "properties": {
                  "entityRef": {"type": "string", "description": "Entity reference of the entity to get"},
                  "entityRefs": {"type": "array", "items": {"type": "string"}, "description": "Entity references of the entities to get"},
                  "optional": {"type": "boolean", "description": "Allow the entity or entities to optionally exist. Default: false"},
                  "defaultKind": {"type": "string", "description": "The default kind"},
                  "defaultNamespace": {"type": "string", "description": "The default namespace"}}})JSON").object(),
            QJsonDocument::fromJson(R"({"type": "object", "properties": {
                "entity": {"type": "object"}, "entities": {"type": "array", "items": {"type": "object"}}}})").object(),
            true, catalogFetch};
}

} // namespace Greenroom::Scaffold
