// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pluginloader.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QLibrary>
#include <QPluginLoader>
#include <QRegularExpression>
#include <QStandardPaths>

namespace Greenroom {

namespace {

Error manifestError(const QString &field, const QString &why)
{
    return Error::input(QStringLiteral("manifest field '%1' %2").arg(field, why));
}

} // namespace

Result<PluginManifest> PluginManifest::fromJson(const QJsonObject &json)
{
    PluginManifest manifest;
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    const QJsonValue id = json.value(QLatin1String("id"));
    if (!id.isString())
        return manifestError(QStringLiteral("id"), QStringLiteral("is missing or not a string"));
    if (!idPattern.match(id.toString()).hasMatch())
        return manifestError(QStringLiteral("id"), QStringLiteral("'%1' is not lower-case letters and digits joined by '-'").arg(id.toString()));
    manifest.id = id.toString();
    for (const auto &[field, target] : {std::pair{"version", &manifest.version}, std::pair{"name", &manifest.name},
                                        std::pair{"description", &manifest.description}}) {
        const QJsonValue value = json.value(QLatin1String(field));
        if (!value.isUndefined() && !value.isString())
            return manifestError(QString::fromLatin1(field), QStringLiteral("is not a string"));
        *target = value.toString();
    }
    if (manifest.version.isEmpty())
        return manifestError(QStringLiteral("version"), QStringLiteral("is missing"));
    if (manifest.name.isEmpty())
        manifest.name = manifest.id;
    const QJsonValue api = json.value(QLatin1String("apiVersion"));
    if (!api.isDouble() || api.toDouble() != double(api.toInt()) || api.toInt() < 1)
        return manifestError(QStringLiteral("apiVersion"), QStringLiteral("is missing or not a positive whole number"));
    manifest.apiVersion = api.toInt();
    const QJsonValue contributes = json.value(QLatin1String("contributes"));
    if (!contributes.isUndefined() && !contributes.isObject())
        return manifestError(QStringLiteral("contributes"), QStringLiteral("is not an object"));
    manifest.contributes = contributes.toObject();
    for (auto it = manifest.contributes.begin(); it != manifest.contributes.end(); ++it) {
        if (it.value().isBool())
            continue;
        if (!it.value().isArray())
            return manifestError(QStringLiteral("contributes.") + it.key(), QStringLiteral("is not a list of ids or a boolean"));
        for (const QJsonValue &entry : it.value().toArray()) {
            if (!entry.isString() || entry.toString().isEmpty())
                return manifestError(QStringLiteral("contributes.") + it.key(), QStringLiteral("holds something other than ids"));
        }
    }
    return manifest;
}

bool PluginManifest::declares(const QString &list, const QString &id) const
{
    const QJsonValue entry = contributes.value(list);
    if (entry.isBool())
        return entry.toBool();
    return entry.toArray().contains(QJsonValue(id));
}

PluginLoader::PluginLoader(QString interfaceName, int apiVersion) : m_interfaceName(std::move(interfaceName)), m_apiVersion(apiVersion) {}

QList<PluginFolder> PluginLoader::standardFolders(const QString &applicationDir)
{
    QList<PluginFolder> folders;
    for (const QString &path : qEnvironmentVariable("GREENROOM_PLUGIN_PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts))
        folders.append({path, QStringLiteral("GREENROOM_PLUGIN_PATH")});
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (!data.isEmpty())
        folders.append({QDir(data).filePath(QStringLiteral("greenroom/plugins")), QStringLiteral("user")});
    const QDir bin(applicationDir);
    for (const QString &relative : {QStringLiteral("../lib/greenroom/plugins"), QStringLiteral("../plugins")}) {
        const QString path = QDir::cleanPath(bin.filePath(relative));
        if (QFileInfo(path).isDir())
            folders.append({path, QStringLiteral("installed")});
    }
    return folders;
}

QList<FoundPlugin> PluginLoader::find(const QList<PluginFolder> &folders) const
{
    QList<FoundPlugin> found;
    QHash<QString, QString> fileOfId;
    const QString prefix = m_interfaceName + QLatin1Char('/');
    for (const PluginFolder &folder : folders) {
        const QDir dir(folder.path);
        const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo &info : files) {
            if (!QLibrary::isLibrary(info.fileName()))
                continue;
            const QString file = info.absoluteFilePath();
            // Reads the metadata section of the file; nothing is loaded or run.
            const QJsonObject meta = QPluginLoader(file).metaData();
            const QString iid = meta.value(QLatin1String("IID")).toString();
            if (!iid.startsWith(prefix))
                continue;   // not a plugin, or one for the other side
            FoundPlugin plugin{file, folder.origin, std::nullopt, std::nullopt};
            auto manifest = PluginManifest::fromJson(meta.value(QLatin1String("MetaData")).toObject());
            const QString built = iid.mid(prefix.size());
            if (!manifest) {
                plugin.problem = Error::input(QStringLiteral("Plugin %1 is skipped: its %2").arg(file, manifest.error().message));
            } else {
                plugin.manifest = manifest.value();
                if (built != QString::number(m_apiVersion) || manifest->apiVersion != m_apiVersion) {
                    plugin.problem = Error::input(QStringLiteral("Plugin %1 (%2) is skipped: it was built for plugin API %3, and this Greenroom has API %4")
                                                      .arg(manifest->id, file, built == QString::number(m_apiVersion) ? QString::number(manifest->apiVersion) : built)
                                                      .arg(m_apiVersion));
                } else if (const auto first = fileOfId.constFind(manifest->id); first != fileOfId.cend()) {
                    plugin.problem = Error::input(QStringLiteral("Plugin %1 (%2) is skipped: a plugin with that id was found first at %3")
                                                      .arg(manifest->id, file, *first));
                } else {
                    fileOfId.insert(manifest->id, file);
                }
            }
            found.append(plugin);
        }
    }
    return found;
}

Result<QObject *> PluginLoader::load(const FoundPlugin &plugin) const
{
    if (plugin.problem)
        return *plugin.problem;
    QPluginLoader loader(plugin.file);
    // Every symbol bound now (RTLD_NOW): a library missing one is refused
    // here with its name, instead of crashing the app at its first call.
    loader.setLoadHints(QLibrary::ResolveAllSymbolsHint);
    QObject *instance = loader.instance();
    if (!instance)
        return Error::input(QStringLiteral("Plugin %1 (%2) is skipped: its library did not load: %3")
                                .arg(plugin.manifest ? plugin.manifest->id : QString(), plugin.file, loader.errorString()));
    return instance;
}

} // namespace Greenroom
