// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "skeleton.h"

#include "templatelanguage.h"
#include "workspacepath.h"

#include <common/glob.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

#include <sys/stat.h>

namespace Greenroom::Scaffold {

namespace {

// isbinaryfile's idea, simplified: NUL bytes, or not UTF-8, in the first 8 KB.
bool looksBinary(const QByteArray &content)
{
    const QByteArray head = content.left(8192);
    if (head.contains('\0'))
        return true;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)decoder.decode(head);
    // A multi-byte character cut at 8 KB is not an error in itself.
    return decoder.hasError() && head.size() == content.size();
}

bool matchesAny(const QList<QRegularExpression> &globs, const QString &path, bool isDirectory)
{
    for (const QRegularExpression &glob : globs) {
        if (glob.match(path).hasMatch() || (isDirectory && glob.match(path + QLatin1Char('/')).hasMatch()))
            return true;
    }
    return false;
}

QList<QRegularExpression> compileGlobs(const QStringList &globs)
{
    QList<QRegularExpression> compiled;
    for (const QString &glob : globs)
        compiled.append(Glob::globToRegularExpression(glob));
    return compiled;
}

} // namespace

TemplateEnvironment skeletonEnvironment(const SkeletonOptions &options)
{
    TemplateEnvironment environment;
    if (options.cookiecutterCompat) {
        environment.syntax = TemplateSyntax::cookiecutter();
        environment.cookiecutterFilters = true;
    }
    environment.syntax.trimBlocks = options.trimBlocks;
    environment.syntax.lstripBlocks = options.lstripBlocks;
    return environment;
}

Status checkSkeletonOptions(const SkeletonOptions &options)
{
    if (!options.templateFileExtension.isEmpty() && (!options.copyWithoutTemplating.isEmpty() || options.cookiecutterCompat))
        return Error::input(QStringLiteral("Fetch action input extension incompatible with copyWithoutTemplating and cookiecutterCompat"));
    if (!options.copyWithoutRender.isEmpty() && !options.copyWithoutTemplating.isEmpty())
        return Error::input(QStringLiteral("Fetch action input copyWithoutRender and copyWithoutTemplating can not be used at the same time"));
    return Ok{};
}

Status renderSkeleton(const QString &source, const QString &target, const SkeletonOptions &options, QStringList *log)
{
    const Status valid = checkSkeletonOptions(options);
    if (!valid)
        return valid;
    if (!QFileInfo(source).isDir())
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("Skeleton folder %1 does not exist").arg(source));
    const TemplateEnvironment environment = skeletonEnvironment(options);
    const QJsonObject context{{options.cookiecutterCompat ? QStringLiteral("cookiecutter") : QStringLiteral("values"), options.values}};
    const QList<QRegularExpression> raw = compileGlobs(options.copyWithoutTemplating);
    const QList<QRegularExpression> verbatim = compileGlobs(options.copyWithoutRender);
    auto note = [log](const QString &line) {
        if (log)
            log->append(line);
    };

    // Every entry, dot files included, symlinks not followed; sorted so parents come first.
    QStringList entries;
    const QDir root(source);
    QDirIterator it(source, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        entries.append(root.relativeFilePath(it.next()));
    entries.sort();

    for (const QString &entry : std::as_const(entries)) {
        const QFileInfo input(root.filePath(entry));
        const bool isDirectory = input.isDir() && !input.isSymLink();
        QString outputPath = entry;
        bool renderPath = true;
        bool renderContents = true;
        if (!options.templateFileExtension.isEmpty()) {
            renderContents = !isDirectory && entry.endsWith(options.templateFileExtension);
            if (renderContents)
                outputPath.chop(options.templateFileExtension.size());
        } else if (matchesAny(verbatim, entry, isDirectory)) {
            renderPath = renderContents = false;
        } else if (matchesAny(raw, entry, isDirectory)) {
            renderContents = false;
        }
        if (renderPath) {
            auto pathTemplate = Template::parse(outputPath, environment, entry);
            if (!pathTemplate)
                return pathTemplate.error();
            auto rendered = pathTemplate->render(context);
            if (!rendered)
                return rendered.error();
            outputPath = rendered.value();
        }
        // An empty or broken path part: the entry (and what is below it) is left out.
        if (outputPath.isEmpty() || outputPath.startsWith(QLatin1Char('/')) || outputPath.contains(QLatin1String("//")))
            continue;
        auto safe = resolveSafeChildPath(target, outputPath);
        if (!safe)
            return safe.error();
        const QString output = safe.value();
        if (QFileInfo::exists(output) && !isDirectory && !options.replace) {
            note(QStringLiteral("File %1 already exists, skipping").arg(outputPath));
            continue;
        }
        if (!renderContents && options.templateFileExtension.isEmpty())
            note(QStringLiteral("Copying file/directory %1 without processing.").arg(entry));
        if (isDirectory) {
            note(QStringLiteral("Writing directory %1 to template output path.").arg(entry));
            if (!QDir().mkpath(output))
                return Error::internal(QStringLiteral("Cannot create %1").arg(outputPath));
            continue;
        }
        if (!QDir().mkpath(QFileInfo(output).absolutePath()))
            return Error::internal(QStringLiteral("Cannot create the folder of %1").arg(outputPath));
        if (input.isSymLink()) {
            // Copied as a link, never followed.
            note(QStringLiteral("Copying file binary or symbolic link at %1, to template output path.").arg(entry));
            QFile::remove(output);
            // The link's own text, relative as written, not where it resolves to.
            const QString linkText = symLinkText(input.filePath());
            if (linkText.isEmpty() || !QFile::link(linkText, output))
                return Error::internal(QStringLiteral("Cannot copy the symbolic link %1").arg(entry));
            continue;
        }
        QFile file(input.filePath());
        if (!file.open(QIODevice::ReadOnly))
            return Error::internal(QStringLiteral("Cannot read %1").arg(entry));
        QByteArray content = file.readAll();
        if (looksBinary(content)) {
            note(QStringLiteral("Copying file binary or symbolic link at %1, to template output path.").arg(entry));
        } else {
            // Node's stats.mode: the whole st_mode as a decimal number (33188 for a 0644 file).
            struct stat status {};
            ::stat(QFile::encodeName(input.filePath()).constData(), &status);
            note(QStringLiteral("Writing file %1 to template output path with mode %2.").arg(entry).arg(status.st_mode));
            if (renderContents) {
                auto contentTemplate = Template::parse(QString::fromUtf8(content), environment, entry);
                if (!contentTemplate)
                    return contentTemplate.error();
                auto rendered = contentTemplate->render(context);
                if (!rendered)
                    return rendered.error();
                content = rendered->toUtf8();
            }
        }
        QFile out(output);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(content) != content.size())
            return Error::internal(QStringLiteral("Cannot write %1").arg(outputPath));
        out.close();
        out.setPermissions(input.permissions());
    }
    return Ok{};
}

} // namespace Greenroom::Scaffold
