// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "mkdocsconfig.h"

#include <yaml/yamlreader.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>
#include <QUrl>

namespace Greenroom::Docs {

QString BuildMessage::toString() const
{
    const QString prefix = level == Level::Warning ? QStringLiteral("WARNING") : QStringLiteral("INFO");
    if (file.isEmpty())
        return QStringLiteral("%1 - %2").arg(prefix, message);
    if (line > 0)
        return QStringLiteral("%1 - %2:%3: %4").arg(prefix, file).arg(line).arg(message);
    return QStringLiteral("%1 - %2: %3").arg(prefix, file, message);
}

namespace {

const QString kTag = QStringLiteral("!tag");

// techdocs-node's allowlists (security hardening of 2.x).
const QStringList kAllowedKeys = {
    QStringLiteral("site_name"), QStringLiteral("site_url"), QStringLiteral("site_description"),
    QStringLiteral("site_author"), QStringLiteral("repo_url"), QStringLiteral("repo_name"),
    QStringLiteral("edit_uri"), QStringLiteral("edit_uri_template"), QStringLiteral("docs_dir"),
    QStringLiteral("site_dir"), QStringLiteral("nav"), QStringLiteral("exclude_docs"),
    QStringLiteral("not_in_nav"), QStringLiteral("theme"), QStringLiteral("plugins"),
    QStringLiteral("markdown_extensions"), QStringLiteral("extra"), QStringLiteral("extra_css"),
    QStringLiteral("use_directory_urls"), QStringLiteral("strict"), QStringLiteral("dev_addr"),
    QStringLiteral("watch"), QStringLiteral("copyright"), QStringLiteral("remote_branch"),
    QStringLiteral("remote_name"), QStringLiteral("validation"), QStringLiteral("google_analytics")};

const QStringList kAllowedPlugins = {
    QStringLiteral("techdocs-core"), QStringLiteral("search"), QStringLiteral("material/search"),
    QStringLiteral("redirects"), QStringLiteral("group"), QStringLiteral("material/group")};

const QStringList kBuiltinExtensions = {
    QStringLiteral("abbr"), QStringLiteral("admonition"), QStringLiteral("attr_list"),
    QStringLiteral("codehilite"), QStringLiteral("def_list"), QStringLiteral("extra"),
    QStringLiteral("fenced_code"), QStringLiteral("footnotes"), QStringLiteral("md_in_html"),
    QStringLiteral("meta"), QStringLiteral("nl2br"), QStringLiteral("sane_lists"),
    QStringLiteral("smarty"), QStringLiteral("tables"), QStringLiteral("toc"),
    QStringLiteral("wikilinks")};

const QStringList kOtherAllowedExtensions = {
    QStringLiteral("markdown_inline_graphviz"), QStringLiteral("mdx_truly_sane_lists"),
    QStringLiteral("plantuml_markdown")};

// Allowed extensions whose syntax Greenroom does not render: a warning.
// Everything else on the allowlists above is implemented (the diagram ones
// by showing their source), and these pymdownx ones are too.
const QStringList kUnimplementedBuiltins = {QStringLiteral("smarty"), QStringLiteral("wikilinks")};
const QStringList kImplementedPymdownx = {
    QStringLiteral("details"), QStringLiteral("tabbed"), QStringLiteral("caret"), QStringLiteral("critic"),
    QStringLiteral("emoji"), QStringLiteral("inlinehilite"), QStringLiteral("magiclink"), QStringLiteral("mark"),
    QStringLiteral("smartsymbols"), QStringLiteral("snippets"), QStringLiteral("highlight"), QStringLiteral("extra"),
    QStringLiteral("betterem"), QStringLiteral("superfences"), QStringLiteral("tasklist"), QStringLiteral("tilde")};

bool isImplementedExtension(const QString &name)
{
    if (name.startsWith(QLatin1String("pymdownx.")))
        return kImplementedPymdownx.contains(name.mid(9));
    return (kBuiltinExtensions.contains(name) && !kUnimplementedBuiltins.contains(name)) || kOtherAllowedExtensions.contains(name);
}

// `!!python/name:` targets real techdocs sites use; anything else Python is refused.
bool isAllowedPythonTag(const QString &tag)
{
    static const QString pyName = QStringLiteral("tag:yaml.org,2002:python/name:");
    static const QString pyApply = QStringLiteral("tag:yaml.org,2002:python/object/apply:");
    if (tag.startsWith(pyName)) {
        const QString name = tag.mid(pyName.size());
        return name.startsWith(QLatin1String("pymdownx.emoji."))
               || name == QLatin1String("material.extensions.emoji.twemoji")
               || name == QLatin1String("material.extensions.emoji.to_svg")
               || name.startsWith(QLatin1String("materialx.emoji."))
               || name == QLatin1String("pymdownx.superfences.fence_code_format")
               || name == QLatin1String("pymdownx.superfences.fence_div_format")
               || name.startsWith(QLatin1String("mermaid2.fence_mermaid"));
    }
    if (tag.startsWith(pyApply))
        return tag.mid(pyApply.size()) == QLatin1String("pymdownx.slugs.slugify");
    return true;
}

bool isPythonTag(const QString &tag)
{
    return tag.startsWith(QLatin1String("tag:yaml.org,2002:python/"));
}

// Finds the first Python tag outside the allowlist, depth first.
QString firstRefusedTag(const QJsonValue &value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QString tag = object.value(kTag).toString();
        if (isPythonTag(tag) && !isAllowedPythonTag(tag))
            return tag;
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString found = firstRefusedTag(it.value());
            if (!found.isEmpty())
                return found;
        }
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray()) {
            const QString found = firstRefusedTag(item);
            if (!found.isEmpty())
                return found;
        }
    }
    return {};
}

QString shortTag(const QString &tag)
{
    static const QString core = QStringLiteral("tag:yaml.org,2002:");
    return tag.startsWith(core) ? QStringLiteral("!!") + tag.mid(core.size()) : tag;
}

// mkdocs' merge for INHERIT: maps merge recursively, the child wins.
QJsonObject deepMerge(QJsonObject parent, const QJsonObject &child)
{
    for (auto it = child.begin(); it != child.end(); ++it) {
        if (it.value().isObject() && parent.value(it.key()).isObject())
            parent.insert(it.key(), deepMerge(parent.value(it.key()).toObject(), it.value().toObject()));
        else
            parent.insert(it.key(), it.value());
    }
    return parent;
}

QString scalarText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    if (value.isBool())
        return value.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    return {};
}

// A list of names or one-key maps, or one map: (name, options) in order.
QList<QPair<QString, QJsonObject>> namedEntries(const QJsonValue &value)
{
    QList<QPair<QString, QJsonObject>> entries;
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray()) {
            if (item.isString()) {
                entries.append({item.toString(), {}});
            } else if (item.isObject()) {
                const QJsonObject object = item.toObject();
                for (auto it = object.begin(); it != object.end(); ++it)
                    entries.append({it.key(), it.value().toObject()});
            }
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            entries.append({it.key(), it.value().toObject()});
    }
    return entries;
}

void readCustomFences(const QJsonObject &options, MarkdownDialect &dialect)
{
    for (const QJsonValue &fence : options.value(QStringLiteral("custom_fences")).toArray()) {
        const QJsonObject object = fence.toObject();
        CustomFence custom;
        custom.name = object.value(QStringLiteral("name")).toString();
        custom.cssClass = object.value(QStringLiteral("class")).toString(custom.name);
        const QString format = object.value(QStringLiteral("format")).toObject().value(kTag).toString();
        custom.asDiv = format.endsWith(QLatin1String("fence_div_format"));
        if (!custom.name.isEmpty())
            dialect.customFences.append(custom);
    }
}

void applyExtensionOptions(const QString &name, const QJsonObject &options, MarkdownDialect &dialect)
{
    if (name == QLatin1String("toc")) {
        const QJsonValue permalink = options.value(QStringLiteral("permalink"));
        if (permalink.isBool())
            dialect.permalink = permalink.toBool();
        else if (permalink.isString()) {
            dialect.permalink = true;
            dialect.permalinkSymbol = permalink.toString();
        }
        if (options.contains(QStringLiteral("permalink_title")))
            dialect.permalinkTitle = options.value(QStringLiteral("permalink_title")).toString();
        if (options.contains(QStringLiteral("separator")))
            dialect.tocSeparator = options.value(QStringLiteral("separator")).toString();
        const QJsonValue depth = options.value(QStringLiteral("toc_depth"));
        if (depth.isDouble())
            dialect.tocDepthMax = depth.toInt();
        else if (depth.isString())
            dialect.tocDepthMax = depth.toString().section(QLatin1Char('-'), -1).toInt();
    } else if (name == QLatin1String("pymdownx.highlight") || name == QLatin1String("codehilite")) {
        if (options.contains(QStringLiteral("linenums")))
            dialect.lineNumbers = options.value(QStringLiteral("linenums")).toBool();
        if (options.contains(QStringLiteral("pygments_lang_class")))
            dialect.languageClass = options.value(QStringLiteral("pygments_lang_class")).toBool();
        if (options.contains(QStringLiteral("css_class")))
            dialect.highlightCssClass = options.value(QStringLiteral("css_class")).toString();
    } else if (name == QLatin1String("pymdownx.superfences")) {
        readCustomFences(options, dialect);
    } else if (name == QLatin1String("pymdownx.extra")) {
        readCustomFences(options.value(QStringLiteral("pymdownx.superfences")).toObject(), dialect);
    } else if (name == QLatin1String("pymdownx.tabbed")) {
        if (options.contains(QStringLiteral("alternate_style")))
            dialect.tabbedAlternateStyle = options.value(QStringLiteral("alternate_style")).toBool();
    } else if (name == QLatin1String("pymdownx.tasklist")) {
        if (options.contains(QStringLiteral("custom_checkbox")))
            dialect.tasklistCustomCheckbox = options.value(QStringLiteral("custom_checkbox")).toBool();
    } else if (name == QLatin1String("nl2br")) {
        dialect.nl2br = true;
    }
}

QStringList patternLines(const QJsonValue &value)
{
    QStringList lines;
    for (const QString &line : value.toString().split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith(QLatin1Char('#')))
            lines.append(trimmed);
    }
    return lines;
}

Error configError(const QString &message, const QString &file, int line = 0)
{
    Error error = Error::input(message);
    error.at(file, line);
    return error;
}

struct ParsedYaml
{
    QJsonObject object;
    Yaml::SourceMap positions;
};

Result<ParsedYaml> readYamlObject(const QString &path, const QString &displayName)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return configError(QStringLiteral("Could not read %1: %2").arg(displayName, file.errorString()), displayName);
    Yaml::YamlLimits limits;
    limits.keepCustomTags = true;
    const Yaml::YamlStream stream = Yaml::YamlReader::read(file.readAll(), displayName, limits);
    if (stream.documents.isEmpty())
        return ParsedYaml{};
    const Yaml::YamlDocument &document = stream.documents.first();
    if (document.error) {
        Error error = *document.error;
        if (error.file.isEmpty())
            error.file = displayName;
        return error;
    }
    if (!document.value.isObject() && !document.value.isNull())
        return configError(QStringLiteral("mkdocs config must be a YAML mapping"), displayName, document.line);
    const QString refused = firstRefusedTag(document.value);
    if (!refused.isEmpty())
        return configError(QStringLiteral("Unsupported Python YAML tag '%1'").arg(shortTag(refused)), displayName);
    return ParsedYaml{document.value.toObject(), document.positions};
}

} // namespace

Result<MkDocsConfig> loadMkDocsConfig(const QString &docsRoot, const MkDocsOptions &options)
{
    MkDocsConfig config;
    config.docsRoot = QDir(docsRoot).absolutePath();
    const QDir root(config.docsRoot);
    if (!root.exists())
        return Error::input(QStringLiteral("The docs folder '%1' does not exist").arg(config.docsRoot));

    QJsonObject raw;
    Yaml::SourceMap positions;
    QString displayName;
    const bool hasYaml = QFileInfo(root.filePath(QStringLiteral("mkdocs.yaml"))).isFile();
    const bool hasYml = QFileInfo(root.filePath(QStringLiteral("mkdocs.yml"))).isFile();
    if (hasYaml || hasYml) {
        displayName = hasYaml ? QStringLiteral("mkdocs.yaml") : QStringLiteral("mkdocs.yml");
        if (hasYaml && hasYml)
            config.messages.append({BuildMessage::Level::Warning,
                                    QStringLiteral("Found both mkdocs.yaml and mkdocs.yml; using mkdocs.yaml and ignoring mkdocs.yml."),
                                    {}, 0});
        config.configFile = root.filePath(displayName);
        if (QFileInfo(config.configFile).isSymLink()
            && !QFileInfo(config.configFile).canonicalFilePath().startsWith(QDir(config.docsRoot).canonicalPath() + QLatin1Char('/')))
            return Error(QStringLiteral("NotAllowedError"),
                         QStringLiteral("Path %1 is not allowed to refer to a location outside %2")
                             .arg(config.configFile, config.docsRoot));
        Result<ParsedYaml> parsed = readYamlObject(config.configFile, displayName);
        if (!parsed)
            return parsed.error();
        raw = parsed->object;
        positions = parsed->positions;
    } else {
        raw.insert(QStringLiteral("site_name"), options.defaultSiteName);
        raw.insert(QStringLiteral("docs_dir"), QStringLiteral("docs"));
        raw.insert(QStringLiteral("plugins"), QJsonArray{QStringLiteral("techdocs-core")});
        displayName = QStringLiteral("mkdocs.yml");
        config.messages.append({BuildMessage::Level::Info,
                                QStringLiteral("No mkdocs.yml or mkdocs.yaml found; using a default configuration."),
                                {}, 0});
    }
    auto lineOf = [&](const QString &key) { return positions.isEmpty() ? 0 : positions.line({key}); };

    // Top-level keys outside the allowlist are dropped; INHERIT only when the
    // operator widened the list for it.
    QStringList removed;
    QJsonObject kept;
    for (auto it = raw.begin(); it != raw.end(); ++it) {
        if (kAllowedKeys.contains(it.key()) || options.additionalKeys.contains(it.key()))
            kept.insert(it.key(), it.value());
        else
            removed.append(it.key());
    }
    if (!removed.isEmpty())
        config.messages.append({BuildMessage::Level::Warning,
                                QStringLiteral("Removed the following unsupported configuration keys from mkdocs.yml: %1")
                                    .arg(removed.join(QStringLiteral(", "))),
                                displayName, 0});
    if (kept.contains(QStringLiteral("INHERIT"))) {
        const QString parentName = kept.take(QStringLiteral("INHERIT")).toString();
        const QString parentPath = QDir::cleanPath(QFileInfo(config.configFile).dir().filePath(parentName));
        if (QDir::isAbsolutePath(parentName) || !parentPath.startsWith(config.docsRoot + QLatin1Char('/')))
            return configError(QStringLiteral("INHERIT must name a file inside the docs folder: '%1'").arg(parentName),
                               displayName, lineOf(QStringLiteral("INHERIT")));
        Result<ParsedYaml> parent = readYamlObject(parentPath, parentName);
        if (!parent)
            return parent.error();
        kept = deepMerge(parent->object, kept);
    }

    // site_name
    const QJsonValue siteName = kept.value(QStringLiteral("site_name"));
    if (siteName.isUndefined() || siteName.isNull() || scalarText(siteName).isEmpty())
        return configError(QStringLiteral("Config value 'site_name': Required configuration not provided."), displayName);
    config.siteName = scalarText(siteName);
    config.siteDescription = scalarText(kept.value(QStringLiteral("site_description")));
    config.siteUrl = scalarText(kept.value(QStringLiteral("site_url")));
    config.copyright = scalarText(kept.value(QStringLiteral("copyright")));
    config.extra = kept.value(QStringLiteral("extra")).toObject();
    config.strict = kept.value(QStringLiteral("strict")).toBool(false);
    config.useDirectoryUrls = kept.value(QStringLiteral("use_directory_urls")).toBool(true);
    config.nav = kept.value(QStringLiteral("nav"));
    for (const QJsonValue &css : kept.value(QStringLiteral("extra_css")).toArray())
        if (css.isString())
            config.extraCss.append(css.toString());
    config.excludeDocs = patternLines(kept.value(QStringLiteral("exclude_docs")));
    config.notInNav = patternLines(kept.value(QStringLiteral("not_in_nav")));

    // docs_dir: relative and inside the docs root, for security.
    const QString docsDir = kept.contains(QStringLiteral("docs_dir"))
                                ? scalarText(kept.value(QStringLiteral("docs_dir")))
                                : QStringLiteral("docs");
    const QString docsPath = QDir::cleanPath(root.filePath(docsDir));
    if (QDir::isAbsolutePath(docsDir) || docsDir.startsWith(QLatin1String("../"))
        || (docsPath != config.docsRoot && !docsPath.startsWith(config.docsRoot + QLatin1Char('/'))))
        return configError(QStringLiteral("docs_dir configuration value in mkdocs can't be an absolute directory or start with ../ for security reasons."),
                           displayName, lineOf(QStringLiteral("docs_dir")));
    if (!QFileInfo(docsPath).isDir())
        return configError(QStringLiteral("Config value 'docs_dir': The path '%1' isn't an existing directory.").arg(docsPath),
                           displayName, lineOf(QStringLiteral("docs_dir")));
    config.docsDir = docsPath;

    // Repository links: the file's own, else what the entity's location gives.
    config.repoUrl = scalarText(kept.value(QStringLiteral("repo_url")));
    config.editUri = scalarText(kept.value(QStringLiteral("edit_uri")));
    config.editUriTemplate = scalarText(kept.value(QStringLiteral("edit_uri_template")));
    if (config.repoUrl.isEmpty())
        config.repoUrl = options.repoUrl;
    if (!kept.contains(QStringLiteral("edit_uri")) && !options.editUri.isEmpty())
        config.editUri = options.editUri;
    else if (!kept.contains(QStringLiteral("edit_uri")) && !options.editRootUrl.isEmpty())
    {
        QString base = options.editRootUrl;
        while (base.endsWith(QLatin1Char('/')))
            base.chop(1);
        const QString relative = QDir::cleanPath(docsDir);
        config.editUri = relative == QLatin1String(".") ? base : base + QLatin1Char('/') + relative;
    }
    config.repoName = scalarText(kept.value(QStringLiteral("repo_name")));
    if (!config.repoUrl.isEmpty()) {
        const QString host = QUrl(config.repoUrl).host().toLower();
        if (config.repoName.isEmpty()) {
            if (host == QLatin1String("github.com"))
                config.repoName = QStringLiteral("GitHub");
            else if (host == QLatin1String("bitbucket.org"))
                config.repoName = QStringLiteral("Bitbucket");
            else if (host == QLatin1String("gitlab.com"))
                config.repoName = QStringLiteral("GitLab");
            else if (!host.isEmpty()) {
                QString first = host.section(QLatin1Char('.'), 0, 0);
                config.repoName = first.left(1).toUpper() + first.mid(1);
            }
        }
        if (!kept.contains(QStringLiteral("edit_uri")) && config.editUri.isEmpty()) {
            if (host == QLatin1String("github.com") || host == QLatin1String("gitlab.com"))
                config.editUri = QStringLiteral("edit/master/docs/");
            else if (host == QLatin1String("bitbucket.org"))
                config.editUri = QStringLiteral("src/default/docs/");
        }
    }

    // Plugins: allowlist, then techdocs-core appended.
    QStringList removedPlugins;
    for (const auto &[name, pluginOptions] : namedEntries(kept.value(QStringLiteral("plugins")))) {
        if (!kAllowedPlugins.contains(name) && !options.additionalPlugins.contains(name)) {
            removedPlugins.append(name);
            continue;
        }
        config.plugins.append(name);
        if (name == QLatin1String("search") || name == QLatin1String("material/search")) {
            if (pluginOptions.contains(QStringLiteral("indexing")))
                config.searchIndexing = pluginOptions.value(QStringLiteral("indexing")).toString();
            if (pluginOptions.contains(QStringLiteral("separator")))
                config.searchSeparator = pluginOptions.value(QStringLiteral("separator")).toString();
            if (pluginOptions.contains(QStringLiteral("min_search_length")))
                config.searchMinLength = pluginOptions.value(QStringLiteral("min_search_length")).toInt(3);
            const QJsonValue lang = pluginOptions.value(QStringLiteral("lang"));
            if (lang.isString())
                config.searchLang = {lang.toString()};
            else if (lang.isArray()) {
                config.searchLang.clear();
                for (const QJsonValue &l : lang.toArray())
                    config.searchLang.append(l.toString());
            }
        } else if (name == QLatin1String("redirects")) {
            config.redirects = pluginOptions.value(QStringLiteral("redirect_maps")).toObject();
        } else if (name != QLatin1String("techdocs-core")) {
            config.messages.append({BuildMessage::Level::Warning,
                                    QStringLiteral("Greenroom does not implement the mkdocs plugin '%1'; it is ignored.").arg(name),
                                    displayName, 0});
        }
    }
    if (!removedPlugins.isEmpty())
        config.messages.append({BuildMessage::Level::Warning,
                                QStringLiteral("Removed the following unsupported plugins from mkdocs.yml: %1")
                                    .arg(removedPlugins.join(QStringLiteral(", "))),
                                displayName, 0});
    if (!options.omitTechdocsCorePlugin && !config.plugins.contains(QStringLiteral("techdocs-core")))
        config.plugins.append(QStringLiteral("techdocs-core"));

    // Markdown extensions: allowlist; options merged over techdocs-core's.
    QStringList removedExtensions;
    QStringList unimplemented;
    for (auto [name, extensionOptions] : namedEntries(kept.value(QStringLiteral("markdown_extensions")))) {
        if (name.startsWith(QLatin1String("markdown.extensions.")))
            name = name.mid(int(qstrlen("markdown.extensions.")));
        const bool allowed = !name.contains(QLatin1Char(':'))
                             && (name.startsWith(QLatin1String("pymdownx.")) || kBuiltinExtensions.contains(name)
                                 || name.startsWith(QLatin1String("legacy_")) || kOtherAllowedExtensions.contains(name)
                                 || options.additionalExtensions.contains(name));
        if (!allowed) {
            removedExtensions.append(name);
            continue;
        }
        if (!isImplementedExtension(name))
            unimplemented.append(name);
        applyExtensionOptions(name, extensionOptions, config.markdown);
    }
    if (!removedExtensions.isEmpty())
        config.messages.append({BuildMessage::Level::Warning,
                                QStringLiteral("Removed the following unsupported markdown_extensions from mkdocs.yml: %1")
                                    .arg(removedExtensions.join(QStringLiteral(", "))),
                                displayName, lineOf(QStringLiteral("markdown_extensions"))});
    if (!unimplemented.isEmpty())
        config.messages.append({BuildMessage::Level::Warning,
                                QStringLiteral("Greenroom does not implement these markdown_extensions; their syntax stays as text: %1")
                                    .arg(unimplemented.join(QStringLiteral(", "))),
                                displayName, lineOf(QStringLiteral("markdown_extensions"))});
    return config;
}

} // namespace Greenroom::Docs
