// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sitestructure.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <optional>

namespace Greenroom::Docs {

bool isMarkdownFile(const QString &name)
{
    static const QStringList extensions = {QStringLiteral(".md"), QStringLiteral(".markdown"), QStringLiteral(".mdown"),
                                           QStringLiteral(".mkdn"), QStringLiteral(".mkd")};
    for (const QString &extension : extensions)
        if (name.endsWith(extension, Qt::CaseInsensitive))
            return true;
    return false;
}

QString nameToTitle(const QString &name)
{
    QString title = name;
    title.replace(QLatin1Char('-'), QLatin1Char(' ')).replace(QLatin1Char('_'), QLatin1Char(' '));
    if (title == title.toLower() && !title.isEmpty())
        title[0] = title[0].toUpper();
    return title;
}

namespace {

QString stemOf(const QString &fileName)
{
    const qsizetype dot = fileName.lastIndexOf(QLatin1Char('.'));
    return dot > 0 ? fileName.left(dot) : fileName;
}

bool isIndexName(const QString &fileName)
{
    const QString stem = stemOf(fileName);
    return isMarkdownFile(fileName) && (stem == QLatin1String("index") || stem == QLatin1String("README"));
}

// MkDocs' order inside one folder: index/README first, then byte order.
bool fileOrder(const QString &a, const QString &b)
{
    const bool aIndex = isIndexName(a);
    const bool bIndex = isIndexName(b);
    if (aIndex != bIndex)
        return aIndex;
    return a.toUtf8() < b.toUtf8();
}

struct ExcludeRule
{
    QRegularExpression pattern;
    bool negated = false;
};

QList<ExcludeRule> excludeRules(const QStringList &lines)
{
    QList<ExcludeRule> rules;
    for (QString line : lines) {
        ExcludeRule rule;
        if (line.startsWith(QLatin1Char('!'))) {
            rule.negated = true;
            line.remove(0, 1);
        }
        const bool anchored = line.startsWith(QLatin1Char('/')) || line.mid(0, line.size() - 1).contains(QLatin1Char('/'));
        if (line.startsWith(QLatin1Char('/')))
            line.remove(0, 1);
        const bool directory = line.endsWith(QLatin1Char('/'));
        if (directory)
            line.chop(1);
        QString regex = QRegularExpression::wildcardToRegularExpression(line, QRegularExpression::UnanchoredWildcardConversion);
        regex = (anchored ? QStringLiteral("^") : QStringLiteral("(^|/)")) + regex
                + (directory ? QStringLiteral("/") : QStringLiteral("(/|$)"));
        rule.pattern = QRegularExpression(regex);
        rules.append(rule);
    }
    return rules;
}

bool isExcluded(const QString &path, const QList<ExcludeRule> &rules)
{
    bool excluded = false;
    for (const ExcludeRule &rule : rules)
        if (rule.pattern.match(path).hasMatch())
            excluded = !rule.negated;
    return excluded;
}

struct Walker
{
    const MkDocsConfig &config;
    SiteStructure &site;
    QList<ExcludeRule> rules;
    QString rootCanonical;
    std::optional<Error> error;
    QList<NavItem> *defaultNav = nullptr;

    void walk(const QString &relativeDir, QList<NavItem> *nav)
    {
        const QDir dir(relativeDir.isEmpty() ? config.docsDir : config.docsDir + QLatin1Char('/') + relativeDir);
        const QFileInfoList entries = dir.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                                                        QDir::NoSort);
        QStringList files;
        QStringList folders;
        for (const QFileInfo &entry : entries) {
            const QString name = entry.fileName();
            if (name.startsWith(QLatin1Char('.')))
                continue;
            const QString relative = relativeDir.isEmpty() ? name : relativeDir + QLatin1Char('/') + name;
            if (relativeDir.isEmpty() && name == QLatin1String("templates") && entry.isDir())
                continue;
            if (entry.isSymLink()) {
                const QString target = entry.canonicalFilePath();
                if (target.isEmpty() || !(target + QLatin1Char('/')).startsWith(rootCanonical + QLatin1Char('/'))) {
                    error = Error(QStringLiteral("NotAllowedError"),
                                  QStringLiteral("Path %1 is not allowed to refer to a location outside %2")
                                      .arg(entry.absoluteFilePath(), config.docsRoot));
                    return;
                }
            }
            if (isExcluded(relative + (entry.isDir() ? QStringLiteral("/") : QString()), rules))
                continue;
            (entry.isDir() ? folders : files).append(name);
        }
        std::sort(files.begin(), files.end(), fileOrder);
        std::sort(folders.begin(), folders.end(), [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
        const bool hasIndexMd = files.contains(QStringLiteral("index.md"));
        for (const QString &name : std::as_const(files)) {
            const QString relative = relativeDir.isEmpty() ? name : relativeDir + QLatin1Char('/') + name;
            if (hasIndexMd && name == QLatin1String("README.md")) {
                site.messages.append({BuildMessage::Level::Warning,
                                      QStringLiteral("Excluding '%1' from the site because it conflicts with '%2'.")
                                          .arg(relative, relativeDir.isEmpty() ? QStringLiteral("index.md")
                                                                               : relativeDir + QStringLiteral("/index.md")),
                                      {}, 0});
                continue;
            }
            SiteFile file;
            file.source = relative;
            file.isPage = isMarkdownFile(name);
            if (file.isPage) {
                const QString prefix = relativeDir.isEmpty() ? QString() : relativeDir + QLatin1Char('/');
                const QString stem = stemOf(name);
                if (isIndexName(name)) {
                    file.output = prefix + QStringLiteral("index.html");
                    file.url = config.useDirectoryUrls ? prefix : file.output;
                } else if (config.useDirectoryUrls) {
                    file.output = prefix + stem + QStringLiteral("/index.html");
                    file.url = prefix + stem + QLatin1Char('/');
                } else {
                    file.output = prefix + stem + QStringLiteral(".html");
                    file.url = file.output;
                }
            } else {
                file.output = relative;
                file.url = relative;
            }
            site.bySource.insert(file.source, int(site.files.size()));
            site.files.append(file);
            if (file.isPage && nav) {
                NavItem item;
                item.file = int(site.files.size()) - 1;
                nav->append(item);
            }
        }
        for (const QString &name : std::as_const(folders)) {
            const QString relative = relativeDir.isEmpty() ? name : relativeDir + QLatin1Char('/') + name;
            NavItem section;
            section.title = nameToTitle(name);
            walk(relative, nav ? &section.children : nullptr);
            if (error)
                return;
            if (nav && !section.children.isEmpty())
                nav->append(section);
        }
    }
};

void readNav(const QJsonValue &value, const SiteStructure &site, QList<NavItem> &out, QList<BuildMessage> &messages,
             QSet<int> &listed)
{
    auto entry = [&](const QString &title, const QJsonValue &target) {
        NavItem item;
        item.title = title;
        if (target.isArray()) {
            readNav(target, site, item.children, messages, listed);
        } else {
            const QString path = target.toString();
            static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
            if (scheme.match(path).hasMatch() || path.startsWith(QLatin1Char('/'))) {
                item.url = path;
            } else if (path.startsWith(QLatin1String("!include"))) {
                messages.append({BuildMessage::Level::Warning,
                                 QStringLiteral("The monorepo plugin's '%1' is not supported by Greenroom; the entry is skipped.").arg(path),
                                 {}, 0});
                return;
            } else {
                const QString clean = QDir::cleanPath(path);
                const int index = site.bySource.value(clean, -1);
                if (index < 0) {
                    messages.append({BuildMessage::Level::Warning,
                                     QStringLiteral("A reference to '%1' is included in the 'nav' configuration, which is not found in the documentation files.")
                                         .arg(path),
                                     {}, 0});
                    item.url = path;
                } else {
                    item.file = index;
                    listed.insert(index);
                }
            }
        }
        out.append(item);
    };
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray()) {
            if (item.isString()) {
                entry(QString(), item);
            } else if (item.isObject()) {
                const QJsonObject object = item.toObject();
                for (auto it = object.begin(); it != object.end(); ++it)
                    entry(it.key(), it.value());
            }
        }
    } else if (value.isString()) {
        entry(QString(), value);
    }
}

} // namespace

qsizetype SiteStructure::suffixStart(const QString &target)
{
    for (qsizetype i = 0; i < target.size(); ++i)
        if (target[i] == QLatin1Char('?') || target[i] == QLatin1Char('#'))
            return i;
    return target.size();
}

int SiteStructure::resolve(const QString &fromSource, const QString &target) const
{
    const QString path = QUrl::fromPercentEncoding(target.left(suffixStart(target)).toUtf8());
    if (path.isEmpty())
        return -1;
    const qsizetype slash = fromSource.lastIndexOf(QLatin1Char('/'));
    const QString base = slash < 0 ? QString() : fromSource.left(slash + 1);
    const QString resolved = QDir::cleanPath(base + path);
    if (resolved.startsWith(QLatin1String("..")))
        return -1;
    return bySource.value(resolved, -1);
}

QString SiteStructure::relativeTo(const QString &fromUrl, const QString &toUrl)
{
    // The folder the browser resolves against: the URL itself for directory
    // URLs ("setup/"), its parent for file URLs ("setup.html").
    const QString fromDir = fromUrl.left(fromUrl.lastIndexOf(QLatin1Char('/')) + 1);
    const QStringList fromParts = fromDir.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QStringList toParts = toUrl.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const bool toDir = toUrl.isEmpty() || toUrl.endsWith(QLatin1Char('/'));
    qsizetype common = 0;
    while (common < fromParts.size() && common < toParts.size() - (toDir ? 0 : 1)
           && fromParts[common] == toParts[common])
        ++common;
    QStringList parts;
    for (qsizetype i = common; i < fromParts.size(); ++i)
        parts.append(QStringLiteral(".."));
    for (qsizetype i = common; i < toParts.size(); ++i)
        parts.append(toParts[i]);
    QString relative = parts.join(QLatin1Char('/'));
    if (toDir && !relative.isEmpty())
        relative += QLatin1Char('/');
    return relative.isEmpty() ? QStringLiteral("./") : relative;
}

QString SiteStructure::relativeUrl(const QString &fromSource, const QString &target) const
{
    const int index = resolve(fromSource, target);
    const int from = bySource.value(fromSource, -1);
    if (index < 0 || from < 0)
        return {};
    return relativeTo(files[from].url, files[index].url) + target.mid(suffixStart(target));
}

Result<SiteStructure> scanSite(const MkDocsConfig &config)
{
    SiteStructure site;
    Walker walker{config, site, excludeRules(config.excludeDocs), QDir(config.docsRoot).canonicalPath(), {}, nullptr};
    QList<NavItem> defaultNav;
    walker.walk(QString(), &defaultNav);
    if (walker.error)
        return *walker.error;
    if (config.nav.isUndefined() || config.nav.isNull()) {
        site.nav = defaultNav;
        return site;
    }
    QSet<int> listed;
    readNav(config.nav, site, site.nav, site.messages, listed);
    QStringList omitted;
    const QList<ExcludeRule> notInNav = excludeRules(config.notInNav);
    for (int i = 0; i < site.files.size(); ++i)
        if (site.files[i].isPage && !listed.contains(i) && !isExcluded(site.files[i].source, notInNav))
            omitted.append(QStringLiteral("  - ") + site.files[i].source);
    if (!omitted.isEmpty())
        site.messages.append({BuildMessage::Level::Info,
                              QStringLiteral("The following pages exist in the docs directory, but are not included in the \"nav\" configuration:\n")
                                  + omitted.join(QLatin1Char('\n')),
                              {}, 0});
    return site;
}

} // namespace Greenroom::Docs
