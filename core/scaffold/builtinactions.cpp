// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The built-in actions that work on the workspace: fetch:plain,
// fetch:plain:file, fetch:template, fetch:template:file,
// workspace:template, workspace:template:file, fs:readdir, fs:rename,
// fs:delete, debug:log, debug:wait and catalog:write, with Backstage's
// inputs, defaults and messages (publish:git is in publishgit.cpp).
#include "builtinactions_p.h"
#include "skeleton.h"
#include "taskrunner.h"
#include "templatelanguage.h"
#include "workspacepath.h"

#include <common/glob.h>
#include <common/jsonstringify.h>
#include <ingest/urlreader.h>
#include <yaml/yamlwriter.h>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <memory>

namespace Greenroom::Scaffold {

namespace {

QJsonObject schema(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

// What a fetch reads: a path next to the template, or a copy of what an
// absolute URL names (kept as long as `copy` lives).
struct FetchSource
{
    QString path;
    std::shared_ptr<QTemporaryDir> copy;
};

// A fetch `url`: relative, a path next to the template which it may not
// leave; absolute, a file or folder on a host with a GitHub integration,
// read with the step's `token` if it has one, else the integration's (as
// upstream's fetchContents reads it through the SCM integrations).
Result<FetchSource> templateSource(const ActionContext &context, const QString &url, bool file)
{
    const QUrl absolute(url);
    if (absolute.scheme() == QLatin1String("http") || absolute.scheme() == QLatin1String("https")) {
        QList<Ingest::GitHubIntegration> github = context.services->github;
        const QString token = context.input.value(QLatin1String("token")).toString();
        for (Ingest::GitHubIntegration &integration : github) {
            if (!token.isEmpty())
                integration.token = token;
        }
        Ingest::UrlReader reader;
        reader.setGitHubIntegrations(github);
        if (!Ingest::GitHubIntegration::forUrl(github, absolute))
            return Error(QStringLiteral("NotAllowedError"), QStringLiteral("Fetching %1 is not supported: give a path relative to the template, "
                                                                          "or a URL on a host with a GitHub integration")
                                                                .arg(url));
        auto copy = std::make_shared<QTemporaryDir>(QDir(context.workspace).filePath(QStringLiteral("../greenroom-fetch-XXXXXX")));
        if (!copy->isValid())
            return Error::internal(QStringLiteral("Cannot make a folder to fetch %1 into").arg(url));
        if (file) {
            auto content = reader.read(absolute);
            if (!content)
                return content.error();
            const QString path = copy->filePath(absolute.fileName().isEmpty() ? QStringLiteral("file") : absolute.fileName());
            QFile out(path);
            if (!out.open(QIODevice::WriteOnly) || out.write(content.value()) != content->size())
                return Error::internal(QStringLiteral("Cannot keep what %1 holds").arg(url));
            return FetchSource{path, copy};
        }
        if (const Status read = reader.readTree(absolute, copy->path()); !read)
            return read.error();
        return FetchSource{copy->path(), copy};
    }
    if (absolute.isValid() && !absolute.scheme().isEmpty() && absolute.scheme().size() > 1)
        return Error::input(QStringLiteral("Fetching %1 is not supported: give a path relative to the template (like ./skeleton) or an https URL").arg(url));
    if (QDir::isAbsolutePath(url))
        return Error::input(QStringLiteral("Fetching %1 is not supported: give a path relative to the template (like ./skeleton)").arg(url));
    if (context.templateDir.isEmpty())
        return Error::input(QStringLiteral("This template has no folder to fetch %1 from").arg(url));
    auto source = resolveSafeChildPath(context.templateDir, url);
    if (!source)
        return source.error();
    if (!QFileInfo::exists(source.value()))
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("%1 does not exist next to the template").arg(url));
    return FetchSource{source.value(), nullptr};
}

// A fetch's source (the `url`) and its target in the workspace.
struct FetchPaths
{
    FetchSource source;
    QString target;
};
Result<FetchPaths> fetchPaths(const ActionContext &context, const QString &defaultTarget, bool file)
{
    auto target = resolveSafeChildPath(context.workspace, context.input.value(QLatin1String("targetPath")).toString(defaultTarget));
    if (!target)
        return target.error();
    auto source = templateSource(context, context.input.value(QLatin1String("url")).toString(), file);
    if (!source)
        return source.error();
    return FetchPaths{source.value(), target.value()};
}

SkeletonOptions skeletonOptions(const QJsonObject &input)
{
    SkeletonOptions options;
    options.values = input.value(QLatin1String("values")).toObject();
    for (const QJsonValue &glob : input.value(QLatin1String("copyWithoutTemplating")).toArray())
        options.copyWithoutTemplating.append(glob.toString());
    for (const QJsonValue &glob : input.value(QLatin1String("copyWithoutRender")).toArray())
        options.copyWithoutRender.append(glob.toString());
    options.cookiecutterCompat = input.value(QLatin1String("cookiecutterCompat")).toBool();
    const QJsonValue extension = input.value(QLatin1String("templateFileExtension"));
    options.templateFileExtension = extension.isBool() ? (extension.toBool() ? QStringLiteral(".njk") : QString()) : extension.toString();
    options.replace = input.value(QLatin1String("replace")).toBool();
    options.trimBlocks = input.value(QLatin1String("trimBlocks")).toBool();
    options.lstripBlocks = input.value(QLatin1String("lstripBlocks")).toBool();
    return options;
}

Status fetchPlain(ActionContext &context)
{
    context.log(QStringLiteral("Fetching plain content from remote URL"));
    auto paths = fetchPaths(context, QStringLiteral("./"), false);
    if (!paths)
        return paths.error();
    return copyTree(paths->source.path, paths->target, context.workspace);
}

Status fetchPlainFile(ActionContext &context)
{
    context.log(QStringLiteral("Fetching plain content from remote URL"));
    auto paths = fetchPaths(context, QString(), true);
    if (!paths)
        return paths.error();
    if (!QFileInfo(paths->source.path).isFile())
        return Error::input(QStringLiteral("%1 is not a file").arg(context.input.value(QLatin1String("url")).toString()));
    return copyTree(paths->source.path, paths->target, context.workspace);
}

// The folder `source` rendered into targetPath: fetch:template's and
// workspace:template's common part (`sourceName` names it in errors).
Status renderTemplateFolder(ActionContext &context, const QString &source, const QString &sourceName)
{
    const SkeletonOptions options = skeletonOptions(context.input);
    if (const Status valid = checkSkeletonOptions(options); !valid)
        return valid;
    auto target = resolveSafeChildPath(context.workspace, context.input.value(QLatin1String("targetPath")).toString(QStringLiteral("./")));
    if (!target)
        return target.error();
    const QString sourceDir = QDir::cleanPath(source);
    if (QDir::cleanPath(target.value()) == sourceDir || QDir::cleanPath(target.value()).startsWith(sourceDir + QLatin1Char('/')))
        return Error::input(QStringLiteral("targetPath must not be within template path"));
    QStringList lines;
    const Status status = renderSkeleton(source, target.value(), options, &lines);
    for (const QString &line : std::as_const(lines))
        context.log(line);
    if (!status) {
        Error error = status.error();
        if (!error.file.isEmpty())
            error.file = QDir::cleanPath(sourceName + QLatin1Char('/') + error.file);
        return error;
    }
    context.log(QStringLiteral("Template result written to %1").arg(QDir(context.workspace).relativeFilePath(target.value())));
    return Ok{};
}

Status fetchTemplate(ActionContext &context)
{
    context.log(QStringLiteral("Fetching template content from remote URL"));
    const QString url = context.input.value(QLatin1String("url")).toString();
    auto source = templateSource(context, url, false);
    if (!source)
        return source.error();
    return renderTemplateFolder(context, source->path, url);
}

// workspace:template: the template is a folder of the workspace (written by an earlier step).
Status workspaceTemplate(ActionContext &context)
{
    const QString sourcePath = context.input.value(QLatin1String("sourcePath")).toString();
    auto source = resolveSafeChildPath(context.workspace, sourcePath);
    if (!source)
        return source.error();
    if (!QFileInfo(source.value()).isDir())
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("%1 is not a folder of the workspace").arg(sourcePath));
    return renderTemplateFolder(context, source.value(), sourcePath);
}

// One file rendered to targetPath: fetch:template:file's and workspace:template:file's
// common part. `source` finds the file; it is not asked when the target exists.
Status renderTemplateFile(ActionContext &context, const std::function<Result<QString>()> &source, const QString &sourceName)
{
    const QString targetPath = context.input.value(QLatin1String("targetPath")).toString();
    auto target = resolveSafeChildPath(context.workspace, targetPath);
    if (!target)
        return target.error();
    const SkeletonOptions options = skeletonOptions(context.input);
    if (QFileInfo::exists(target.value()) && !options.replace) {
        context.log(QStringLiteral("File %1 already exists in workspace, not replacing.").arg(targetPath));
        return Ok{};
    }
    auto file = source();
    if (!file)
        return file.error();
    QFile in(file.value());
    if (!QFileInfo(file.value()).isFile() || !in.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("Cannot read %1").arg(sourceName));
    context.log(QStringLiteral("Processing template file with input values"));
    auto parsed = Template::parse(QString::fromUtf8(in.readAll()), skeletonEnvironment(options), sourceName);
    if (!parsed)
        return parsed.error();
    auto rendered = parsed->render({{options.cookiecutterCompat ? QStringLiteral("cookiecutter") : QStringLiteral("values"), options.values}});
    if (!rendered)
        return rendered.error();
    QDir().mkpath(QFileInfo(target.value()).absolutePath());
    QFile out(target.value());
    const QByteArray bytes = rendered->toUtf8();
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(bytes) != bytes.size())
        return Error::internal(QStringLiteral("Cannot write %1").arg(targetPath));
    context.log(QStringLiteral("Template file has been written to %1").arg(targetPath));
    return Ok{};
}

Status fetchTemplateFile(ActionContext &context)
{
    context.log(QStringLiteral("Fetching template file content from remote URL"));
    const QString url = context.input.value(QLatin1String("url")).toString();
    std::shared_ptr<QTemporaryDir> copy;   // what an absolute url was read into, until the file is rendered
    return renderTemplateFile(context, [&]() -> Result<QString> {
        auto source = templateSource(context, url, true);
        if (!source)
            return source.error();
        copy = source->copy;
        return source->path;
    }, url);
}

Status workspaceTemplateFile(ActionContext &context)
{
    const QString sourcePath = context.input.value(QLatin1String("sourcePath")).toString();
    return renderTemplateFile(context, [&] { return resolveSafeChildPath(context.workspace, sourcePath); }, sourcePath);
}

Status fsRename(ActionContext &context)
{
    for (const QJsonValue &value : context.input.value(QLatin1String("files")).toArray()) {
        const QJsonObject file = value.toObject();
        const QString from = file.value(QLatin1String("from")).toString();
        const QString to = file.value(QLatin1String("to")).toString();
        if (from.isEmpty() || to.isEmpty())
            return Error::input(QStringLiteral("each file must have a from and to property"));
        auto source = resolveSafeChildPath(context.workspace, from);
        if (!source)
            return source.error();
        auto target = resolveSafeChildPath(context.workspace, to);
        if (!target)
            return target.error();
        if (!QFileInfo::exists(source.value()))
            return Error(QStringLiteral("NotFoundError"), QStringLiteral("File %1 does not exist in the workspace").arg(from));
        if (QFileInfo::exists(target.value())) {
            if (!file.value(QLatin1String("overwrite")).toBool())
                return Error(QStringLiteral("ConflictError"), QStringLiteral("dest already exists."));
            if (QFileInfo(target.value()).isDir() ? !QDir(target.value()).removeRecursively() : !QFile::remove(target.value()))
                return Error::internal(QStringLiteral("Cannot replace %1").arg(to));
        }
        QDir().mkpath(QFileInfo(target.value()).absolutePath());
        if (!QDir().rename(source.value(), target.value()))
            return Error::internal(QStringLiteral("Cannot rename %1 to %2").arg(from, to));
        context.log(QStringLiteral("Renamed %1 to %2").arg(from, to));
    }
    return Ok{};
}

Status fsDelete(ActionContext &context)
{
    const QDir root(context.workspace);
    for (const QJsonValue &value : context.input.value(QLatin1String("files")).toArray()) {
        const QString pattern = value.toString();
        // The glob may not reach outside the workspace either.
        if (auto safe = resolveSafeChildPath(context.workspace, pattern); !safe)
            return safe.error();
        const QRegularExpression glob = Glob::globToRegularExpression(QDir::cleanPath(pattern));
        QStringList matches;
        QDirIterator it(context.workspace, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString relative = root.relativeFilePath(it.next());
            if (glob.match(relative).hasMatch())
                matches.append(relative);
        }
        for (const QString &relative : std::as_const(matches)) {
            const QFileInfo entry(root.filePath(relative));
            if (!entry.exists() && !entry.isSymLink())
                continue;   // inside a folder deleted already
            const bool removed = entry.isDir() && !entry.isSymLink() ? QDir(entry.filePath()).removeRecursively() : QFile::remove(entry.filePath());
            if (!removed)
                return Error::internal(QStringLiteral("Cannot delete %1").arg(relative));
            context.log(QStringLiteral("File %1 deleted successfully").arg(relative));
        }
    }
    return Ok{};
}

// fs:readdir: each path's entries (with `recursive`, everything below it,
// level by level), as {name, path (from the workspace), fullPath}; folders
// apart from the rest. Sorted by name within a folder: fs.readdir's order
// is the file system's.
Status fsReaddir(ActionContext &context)
{
    QJsonArray files;
    QJsonArray folders;
    const QDir root(context.workspace);
    const bool recursive = context.input.value(QLatin1String("recursive")).toBool(false);
    for (const QJsonValue &value : context.input.value(QLatin1String("paths")).toArray()) {
        auto start = resolveSafeChildPath(context.workspace, value.toString());
        if (!start)
            return start.error();
        if (!QFileInfo(start.value()).isDir())
            return Error(QStringLiteral("NotFoundError"), QStringLiteral("ENOENT: no such file or directory, scandir '%1'").arg(start.value()));
        QStringList pending{start.value()};
        while (!pending.isEmpty()) {
            const QDir folder(pending.takeFirst());
            for (const QFileInfo &entry : folder.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name)) {
                const QJsonObject element{{QStringLiteral("name"), entry.fileName()},
                                          {QStringLiteral("path"), root.relativeFilePath(entry.filePath())},
                                          {QStringLiteral("fullPath"), entry.filePath()}};
                const bool folderEntry = entry.isDir() && !entry.isSymLink();
                (folderEntry ? folders : files).append(element);
                if (folderEntry && recursive)
                    pending.append(entry.filePath());
            }
        }
    }
    context.output(QStringLiteral("files"), files);
    context.output(QStringLiteral("folders"), folders);
    return Ok{};
}

Status debugLog(ActionContext &context)
{
    context.log(jsonStringify(context.input, QStringLiteral("  ")));   // JSON.stringify(input, null, 2)
    if (context.input.contains(QLatin1String("message")))
        context.log(context.input.value(QLatin1String("message")).toString());
    const QJsonValue list = context.input.value(QLatin1String("listWorkspace"));
    if (list.toBool() || list.isString()) {
        const QDir root(context.workspace);
        QStringList lines;
        QDirIterator it(context.workspace, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        QStringList files;
        while (it.hasNext())
            files.append(root.relativeFilePath(it.next()));
        files.sort();
        for (const QString &file : std::as_const(files)) {
            QString line = QStringLiteral("- ") + file;
            if (list.toString() == QLatin1String("with-contents")) {
                QFile content(root.filePath(file));
                if (content.open(QIODevice::ReadOnly))
                    line += QStringLiteral(":\n  ") + QString::fromUtf8(content.readAll()).replace(QLatin1Char('\n'), QStringLiteral("\n  "));
            }
            lines.append(line);
        }
        context.log(QStringLiteral("Workspace:\n") + lines.join(QLatin1Char('\n')));
    }
    return Ok{};
}

Status debugWait(ActionContext &context)
{
    const qint64 total = qint64(context.input.value(QLatin1String("minutes")).toDouble() * 60000
                                + context.input.value(QLatin1String("seconds")).toDouble() * 1000
                                + context.input.value(QLatin1String("milliseconds")).toDouble());
    constexpr qint64 Maximum = 10 * 60 * 1000;
    if (total > Maximum)
        return Error::input(QStringLiteral("Waiting duration is longer than the maximum threshold of 00:10:00"));
    context.log(QStringLiteral("Waiting for %1 ms").arg(total));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < total && !context.isCancelled())
        QThread::msleep(std::min<qint64>(20, total - timer.elapsed() + 1));
    return Ok{};
}

Status catalogWrite(ActionContext &context)
{
    QJsonObject entity = context.input.value(QLatin1String("entity")).toObject();
    const QString filePath = context.input.value(QLatin1String("filePath")).toString(QStringLiteral("catalog-info.yaml"));
    auto target = resolveSafeChildPath(context.workspace, filePath);
    if (!target)
        return target.error();
    if (!context.templateRef.isEmpty()) {
        // Backstage records which template wrote the entity.
        QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
        QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
        annotations.insert(QStringLiteral("backstage.io/source-template"), context.templateRef);
        metadata.insert(QStringLiteral("annotations"), annotations);
        entity.insert(QStringLiteral("metadata"), metadata);
    }
    context.log(QStringLiteral("Writing catalog-info.yaml"));
    QDir().mkpath(QFileInfo(target.value()).absolutePath());
    QFile out(target.value());
    const QByteArray yaml = Yaml::writeYamlDocuments({entity});
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(yaml) != yaml.size())
        return Error::internal(QStringLiteral("Cannot write %1").arg(filePath));
    return Ok{};
}

const char kFetchTemplateInput[] = R"({"type": "object", "required": ["url"], "properties": {
    "url": {"type": "string"}, "targetPath": {"type": "string"}, "values": {"type": "object"},
    "copyWithoutRender": {"type": "array", "items": {"type": "string"}},
    "copyWithoutTemplating": {"type": "array", "items": {"type": "string"}},
    "cookiecutterCompat": {"type": "boolean"}, "templateFileExtension": {"type": ["string", "boolean"]},
    "replace": {"type": "boolean"}, "trimBlocks": {"type": "boolean"}, "lstripBlocks": {"type": "boolean"},
    "token": {"type": "string"}}})";

} // namespace

ActionRegistry ActionRegistry::builtin()
{
    ActionRegistry registry;
    registry.add({QStringLiteral("fetch:plain"), QStringLiteral("Downloads content and places it in the workspace, or optionally in a subdirectory specified by the `targetPath` input option."),
                  schema(R"({"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}, "targetPath": {"type": "string"}, "token": {"type": "string"}}})"),
                  {}, true, fetchPlain});
    registry.add({QStringLiteral("fetch:plain:file"), QStringLiteral("Downloads single file and places it in the workspace."),
                  schema(R"({"type": "object", "required": ["url", "targetPath"], "properties": {"url": {"type": "string"}, "targetPath": {"type": "string"}, "token": {"type": "string"}}})"),
                  {}, true, fetchPlainFile});
    registry.add({QStringLiteral("fetch:template"), QStringLiteral("Downloads a skeleton, templates variables into file and directory names and content, and places the result in the workspace, or optionally in a subdirectory specified by the `targetPath` input option."),
                  schema(kFetchTemplateInput), {}, true, fetchTemplate});
    QJsonObject fileInput = schema(kFetchTemplateInput);
    fileInput.insert(QStringLiteral("required"), QJsonArray{QStringLiteral("url"), QStringLiteral("targetPath")});
    registry.add({QStringLiteral("fetch:template:file"), QStringLiteral("Downloads a single file and templates variables into it, and places the result in the workspace."),
                  fileInput, {}, true, fetchTemplateFile});
    // As 4.3 declares them: copyWithoutTemplating is not optional in its zod
    // schema, so workspace:template refuses a step without it (Backstage's too).
    QJsonObject workspaceInput = schema(kFetchTemplateInput);
    QJsonObject workspaceProperties = workspaceInput.value(QLatin1String("properties")).toObject();
    workspaceProperties.remove(QStringLiteral("url"));
    workspaceProperties.remove(QStringLiteral("token"));
    workspaceProperties.remove(QStringLiteral("copyWithoutRender"));
    workspaceProperties.insert(QStringLiteral("sourcePath"), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}});
    workspaceInput.insert(QStringLiteral("properties"), workspaceProperties);
    workspaceInput.insert(QStringLiteral("required"),
                          QJsonArray{QStringLiteral("sourcePath"), QStringLiteral("targetPath"), QStringLiteral("copyWithoutTemplating")});
    registry.add({QStringLiteral("workspace:template"), QStringLiteral("Templates variables into file and directory names and content of `sourcePath` in the action context workspace. Then places the result into a subdirectory of the workspace specified by the `targetPath` input option."),
                  workspaceInput, {}, true, workspaceTemplate});
    workspaceInput.insert(QStringLiteral("required"), QJsonArray{QStringLiteral("sourcePath"), QStringLiteral("targetPath")});
    registry.add({QStringLiteral("workspace:template:file"), QStringLiteral("Templates variables into a single workspace file, placing the result into another location in the workspace."),
                  workspaceInput, {}, true, workspaceTemplateFile});
    registry.add({QStringLiteral("fs:readdir"), QStringLiteral("Reads files and directories from the workspace"),
                  schema(R"({"type": "object", "required": ["paths"], "properties": {"paths": {"type": "array", "items": {"type": "string", "minLength": 1}},
                      "recursive": {"type": "boolean", "default": false}}})"),
                  schema(R"({"type": "object", "required": ["files", "folders"], "properties": {
                      "files": {"type": "array", "items": {"type": "object", "required": ["name", "path", "fullPath"], "properties": {"name": {"type": "string"}, "path": {"type": "string"}, "fullPath": {"type": "string"}}}},
                      "folders": {"type": "array", "items": {"type": "object", "required": ["name", "path", "fullPath"], "properties": {"name": {"type": "string"}, "path": {"type": "string"}, "fullPath": {"type": "string"}}}}}})"),
                  true, fsReaddir});
    registry.add({QStringLiteral("fs:rename"), QStringLiteral("Renames files and directories in the workspace."),
                  schema(R"({"type": "object", "required": ["files"], "properties": {"files": {"type": "array", "items": {"type": "object", "properties": {
                      "from": {"type": "string"}, "to": {"type": "string"}, "overwrite": {"type": "boolean"}}}}}})"),
                  {}, true, fsRename});
    registry.add({QStringLiteral("fs:delete"), QStringLiteral("Deletes files and directories from the workspace"),
                  schema(R"({"type": "object", "required": ["files"], "properties": {"files": {"type": "array", "items": {"type": "string"}}}})"),
                  {}, true, fsDelete});
    registry.add({QStringLiteral("debug:log"), QStringLiteral("Writes a message into the log and/or lists all files in the workspace."),
                  schema(R"({"type": "object", "properties": {"message": {"type": "string"}, "listWorkspace": {"type": ["boolean", "string"], "enum": [true, false, "with-filenames", "with-contents"]}}})"),
                  {}, true, debugLog});
    registry.add({QStringLiteral("debug:wait"), QStringLiteral("Waits for a certain period of time."),
                  schema(R"({"type": "object", "properties": {"minutes": {"type": "number"}, "seconds": {"type": "number"}, "milliseconds": {"type": "number"}}})"),
                  {}, false, debugWait});
    registry.add({QStringLiteral("catalog:write"), QStringLiteral("Writes the catalog-info.yaml for your template"),
                  schema(R"({"type": "object", "required": ["entity"], "properties": {"filePath": {"type": "string"}, "entity": {"type": "object"}}})"),
                  {}, true, catalogWrite});
    registry.add(catalogRegisterAction());
    registry.add(catalogFetchAction());
    registry.add(publishGitAction());
    registry.add(publishGitHubAction());
    registry.add(gitHubRepoCreateAction());
    registry.add(gitHubRepoPushAction());
    registry.add(publishGitHubPullRequestAction());
    return registry;
}

} // namespace Greenroom::Scaffold
