// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "templatefiles.h"

#include <model/entityref.h>

#include "directorycontents.h"

#include <ingest/urlreader.h>

#include <QFileInfo>
#include <QUrl>

namespace Greenroom::Scaffold {

namespace {

QString locationOf(const QJsonObject &templateEntity)
{
    const QJsonObject annotations = templateEntity.value(QLatin1String("metadata"))[QLatin1String("annotations")].toObject();
    const QString location = annotations.value(QLatin1String("backstage.io/source-location")).toString();
    return location.isEmpty() ? annotations.value(QLatin1String("backstage.io/managed-by-location")).toString() : location;
}

} // namespace

QString templateBaseUrl(const QJsonObject &templateEntity)
{
    const QString location = locationOf(templateEntity);
    const qsizetype colon = location.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return {};
    const QString type = location.left(colon);
    const QString target = location.mid(colon + 1);
    if (type == QLatin1String("file"))
        return QUrl::fromLocalFile(target).toString();
    return type == QLatin1String("git") ? Ingest::GitReader::displayUrl(target) : target;
}

Result<TemplateFiles> templateFiles(const QJsonObject &templateEntity, const Ingest::GitReader &git, const QList<Ingest::GitHubIntegration> &github,
                                    qint64 maxBytes)
{
    const QString location = locationOf(templateEntity);
    const QString name = templateEntity.value(QLatin1String("metadata"))[QLatin1String("name")].toString();
    if (location.isEmpty())
        return Error::input(QStringLiteral("The template %1 has no location annotation, so its files cannot be found").arg(name));
    const qsizetype colon = location.indexOf(QLatin1Char(':'));
    const QString type = location.left(colon);
    const QString target = location.mid(colon + 1);
    if (type == QLatin1String("file")) {
        const QFileInfo info(target);
        // source-location may name the folder itself (with a trailing slash).
        const QString folder = target.endsWith(QLatin1Char('/')) || info.isDir() ? QFileInfo(target + QStringLiteral("/.")).absolutePath()
                                                                                : info.absolutePath();
        return TemplateFiles{folder, templateBaseUrl(templateEntity), nullptr};
    }
    if (type == QLatin1String("git")) {
        if (!git.isConfigured())
            return Error::input(QStringLiteral("The template %1 is in a git repository, and no git cache is configured").arg(name));
        auto file = Ingest::GitTarget::parse(target);
        if (!file)
            return file.error();
        Ingest::GitTarget folder = file.value();
        if (!target.endsWith(QLatin1Char('/')))
            folder.path = folder.path.contains(QLatin1Char('/')) ? folder.path.section(QLatin1Char('/'), 0, -2) : QString();
        auto copy = std::make_shared<QTemporaryDir>();
        if (!copy->isValid())
            return Error::internal(QStringLiteral("Cannot create a temporary folder: %1").arg(copy->errorString()));
        auto exported = git.session()->exportFolder(folder, copy->path(), maxBytes);
        if (!exported)
            return exported.error();
        return TemplateFiles{copy->path(), templateBaseUrl(templateEntity), copy};
    }
    if (type == QLatin1String("url") && Ingest::GitHubIntegration::forUrl(github, QUrl(target))) {
        // The folder of template.yaml (source-location may name the folder itself).
        const QString folder = target.endsWith(QLatin1Char('/')) ? target.chopped(1) : target.section(QLatin1Char('/'), 0, -2);
        auto copy = std::make_shared<QTemporaryDir>();
        if (!copy->isValid())
            return Error::internal(QStringLiteral("Cannot create a temporary folder: %1").arg(copy->errorString()));
        Ingest::UrlReader reader({}, std::chrono::seconds(60), maxBytes);
        reader.setGitHubIntegrations(github);
        if (const Status read = reader.readTree(QUrl(folder), copy->path()); !read)
            return read.error();
        return TemplateFiles{copy->path(), templateBaseUrl(templateEntity), copy};
    }
    return Error::input(QStringLiteral("The files of template %1 cannot be fetched from its %2 location %3; "
                                       "register templates as file or git locations, or as url locations on a GitHub integration's host")
                            .arg(name, type, target));
}

Result<QJsonObject> templateKit(const QJsonObject &templateEntity, const Ingest::GitReader &git, const ScaffolderServices &services)
{
    const Result<TemplateFiles> found = templateFiles(templateEntity, git, services.github);
    if (!found)
        return found.error();
    auto files = readDirectoryContents(found->folder);
    if (!files)
        return files.error();
    QJsonObject kit = publicServiceSettings(services);
    kit.insert(QStringLiteral("template"), templateEntity);
    kit.insert(QStringLiteral("baseUrl"), found->baseUrl);
    kit.insert(QStringLiteral("directoryContents"), files.value());
    return kit;
}

Result<Store::StoredEntity> findTemplate(Store::CatalogStore &catalog, const QString &kind, const QString &ns, const QString &name)
{
    if (kind.toLower() != QLatin1String("template"))
        return Error::input(QStringLiteral("Invalid kind, only 'Template' kind is supported"));
    const std::optional<Store::StoredEntity> stored = catalog.entityByRef(QStringLiteral("%1:%2/%3").arg(kind, ns, name).toLower());
    if (!stored)
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("Template %1:%2/%3 not found").arg(kind.toLower(), ns.toLower(), name));
    const QString apiVersion = stored->entity.value(QLatin1String("apiVersion")).toString();
    if (apiVersion != QLatin1String("scaffolder.backstage.io/v1beta3"))
        return Error::input(QStringLiteral("Unsupported apiVersion field in schema entity, %1").arg(apiVersion));
    return stored.value();
}

Result<Store::StoredEntity> findTemplate(Store::CatalogStore &catalog, const QString &ref)
{
    auto parsed = Model::EntityRef::parse(ref, {QStringLiteral("template"), QString()});
    if (!parsed)
        return Error::input(parsed.error().message);
    return findTemplate(catalog, parsed->kind(), parsed->namespaceName(), parsed->name());
}

} // namespace Greenroom::Scaffold
