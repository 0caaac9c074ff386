// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sitebuilder.h"

#include "htmlsanitizer.h"
#include "htmltext.h"
#include "pagetemplate_p.h"
#include "sitestructure.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QtConcurrent/QtConcurrentMap>

#include <zlib.h>

namespace Greenroom::Docs {

QJsonObject BuiltSite::outline() const
{
    QJsonArray pageList;
    for (const BuiltPage &page : pages) {
        QJsonArray toc;
        for (const TocEntry &entry : page.toc)
            toc.append(QJsonObject{{QStringLiteral("level"), entry.level}, {QStringLiteral("id"), entry.id},
                                   {QStringLiteral("title"), entry.title}});
        QJsonObject object{{QStringLiteral("url"), page.url}, {QStringLiteral("title"), page.title},
                           {QStringLiteral("source"), page.source}, {QStringLiteral("toc"), toc}};
        if (!page.editUrl.isEmpty())
            object.insert(QStringLiteral("edit_url"), page.editUrl);
        pageList.append(object);
    }
    return {{QStringLiteral("site_name"), siteName}, {QStringLiteral("site_description"), siteDescription},
            {QStringLiteral("nav"), nav}, {QStringLiteral("pages"), pageList}};
}

QList<BuiltFile> BuiltSite::filesWithOutline() const
{
    QList<BuiltFile> stored = files;
    stored.append({ReaderOutlinePath, QJsonDocument(outline()).toJson(QJsonDocument::Compact)});
    return stored;
}

qsizetype BuiltSite::warningCount() const
{
    return std::count_if(messages.begin(), messages.end(),
                         [](const BuildMessage &m) { return m.level == BuildMessage::Level::Warning; });
}

namespace {

// The line a link target is written on: as a whole destination first.
int lineOfText(const QString &source, const QString &target)
{
    qsizetype at = -1;
    for (const QString &form : {QLatin1Char('(') + target + QLatin1Char(')'), QLatin1Char('(') + target + QLatin1Char(' '),
                                QStringLiteral("]: ") + target, QLatin1Char('(') + target, target}) {
        at = source.indexOf(form);
        if (at >= 0)
            break;
    }
    return at < 0 ? 0 : int(source.left(at).count(QLatin1Char('\n'))) + 1;
}

QString editUrlFor(const MkDocsConfig &config, const QString &source)
{
    if (!config.editUriTemplate.isEmpty() && !config.repoUrl.isEmpty()) {
        QString path = config.editUriTemplate;
        const QString noExt = source.left(source.lastIndexOf(QLatin1Char('.')));
        path.replace(QLatin1String("{path}"), source).replace(QLatin1String("{path_noext}"), noExt);
        return config.repoUrl.endsWith(QLatin1Char('/')) ? config.repoUrl + path : config.repoUrl + QLatin1Char('/') + path;
    }
    if (config.editUri.isEmpty())
        return {};
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://"));
    QString base = config.editUri;
    if (!scheme.match(base).hasMatch()) {
        if (config.repoUrl.isEmpty())
            return {};
        QString repo = config.repoUrl;
        while (repo.endsWith(QLatin1Char('/')))
            repo.chop(1);
        while (base.startsWith(QLatin1Char('/')))
            base.remove(0, 1);
        base = repo + QLatin1Char('/') + base;
    }
    if (!base.endsWith(QLatin1Char('/')))
        base += QLatin1Char('/');
    return base + source;
}

QString pageTitle(const QString &navTitle, const RenderedMarkdown &rendered, const SiteFile &file)
{
    if (!navTitle.isEmpty())
        return navTitle;
    const QJsonValue metaTitle = rendered.meta.value(QStringLiteral("title"));
    if (metaTitle.isString() && !metaTitle.toString().isEmpty())
        return metaTitle.toString();
    if (!rendered.leadingH1.isNull() && !rendered.leadingH1.isEmpty())
        return rendered.leadingH1;
    if (file.url.isEmpty() || file.url == QLatin1String("index.html"))
        return QStringLiteral("Home");
    QString stem = file.source.section(QLatin1Char('/'), -1);
    stem = stem.left(stem.lastIndexOf(QLatin1Char('.')));
    if (stem == QLatin1String("index") || stem == QLatin1String("README"))
        stem = file.source.section(QLatin1Char('/'), -2, -2);
    return nameToTitle(stem);
}

void collectNavTitles(const QList<NavItem> &items, QHash<int, QString> &titles)
{
    for (const NavItem &item : items) {
        if (item.file >= 0 && !item.title.isEmpty() && !titles.contains(item.file))
            titles.insert(item.file, item.title);
        collectNavTitles(item.children, titles);
    }
}

void flattenNavPages(const QList<NavItem> &items, QList<int> &order)
{
    for (const NavItem &item : items) {
        if (item.file >= 0)
            order.append(item.file);
        flattenNavPages(item.children, order);
    }
}

QByteArray gzip(const QByteArray &data)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(int(deflateBound(&stream, uLong(data.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

struct SearchSection
{
    QString id;
    QString title;
    QString text;
};

// The page's sections as MkDocs' search plugin cuts them: at every heading
// with an id, up to the next heading.
QList<SearchSection> searchSections(const QString &body)
{
    static const QRegularExpression heading(QStringLiteral("<h([1-6]) id=\"([^\"]*)\"[^>]*>(.*?)</h\\1>"),
                                            QRegularExpression::DotMatchesEverythingOption);
    QList<SearchSection> sections;
    auto it = heading.globalMatch(body);
    qsizetype previousEnd = -1;
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (!sections.isEmpty())
            sections.last().text = collapseWhitespace(htmlToText(QStringView(body).mid(previousEnd, m.capturedStart() - previousEnd)));
        sections.append({decodeEntities(m.captured(2)), collapseWhitespace(htmlToText(m.captured(3))), {}});
        // The title without the permalink sign.
        if (sections.last().title.endsWith(QChar(0xb6)))
            sections.last().title = sections.last().title.chopped(1).trimmed();
        previousEnd = m.capturedEnd();
    }
    if (!sections.isEmpty())
        sections.last().text = collapseWhitespace(htmlToText(QStringView(body).mid(previousEnd)));
    return sections;
}

struct PageWork
{
    int file = -1;
    QString source;            // Markdown text
    RenderedMarkdown rendered;
    QString body;              // sanitised
    QString text;              // the body's text, for search
    QList<SearchSection> sections;
    QList<BuildMessage> linkMessages;
};

} // namespace

Result<BuiltSite> buildSite(const QString &docsRoot, const SiteBuildOptions &options)
{
    Result<MkDocsConfig> loaded = loadMkDocsConfig(docsRoot, options.mkdocs);
    if (!loaded)
        return loaded.error();
    const MkDocsConfig &config = loaded.value();
    Result<SiteStructure> scanned = scanSite(config);
    if (!scanned)
        return scanned.error();
    SiteStructure &structure = scanned.value();

    BuiltSite site;
    site.siteName = config.siteName;
    site.siteDescription = config.siteDescription;
    site.messages = config.messages;
    site.messages += structure.messages;

    // legacyCopyReadmeMdToIndexMd: a README stands in for a missing index.md.
    QHash<int, QString> substituteText;
    if (options.mkdocs.legacyCopyReadmeMdToIndexMd && !structure.bySource.contains(QStringLiteral("index.md"))
        && !structure.bySource.contains(QStringLiteral("README.md"))) {
        const QStringList candidates = {config.docsDir + QStringLiteral("/readme.md"), config.docsRoot + QStringLiteral("/README.md"),
                                        config.docsRoot + QStringLiteral("/readme.md")};
        for (const QString &candidate : candidates) {
            QFile file(candidate);
            if (file.open(QIODevice::ReadOnly)) {
                // Appended, so the indexes the nav holds stay valid; first in the nav.
                structure.files.append({QStringLiteral("index.md"), QStringLiteral("index.html"),
                                        config.useDirectoryUrls ? QString() : QStringLiteral("index.html"), true});
                const int index = int(structure.files.size()) - 1;
                structure.bySource.insert(QStringLiteral("index.md"), index);
                substituteText.insert(index, QString::fromUtf8(file.readAll()));
                structure.nav.prepend(NavItem{{}, index, {}, {}});
                break;
            }
        }
    }

    QList<PageWork> work;
    for (int i = 0; i < structure.files.size(); ++i)
        if (structure.files[i].isPage)
            work.append(PageWork{i, {}, {}, {}, {}, {}, {}});
    const MarkdownDialect dialect = config.markdown;
    const QString rootCanonical = QDir(config.docsRoot).canonicalPath();
    QtConcurrent::blockingMap(work, [&](PageWork &page) {
        const SiteFile &file = structure.files[page.file];
        if (substituteText.contains(page.file)) {
            page.source = substituteText.value(page.file);
        } else {
            QFile in(config.docsDir + QLatin1Char('/') + file.source);
            if (!in.open(QIODevice::ReadOnly)) {
                page.linkMessages.append({BuildMessage::Level::Warning,
                                          QStringLiteral("Could not read the page: %1").arg(in.errorString()), file.source, 0});
                return;
            }
            page.source = QString::fromUtf8(in.readAll());
        }
        MarkdownSource source;
        source.text = page.source;
        source.path = file.source;
        source.rewriteLink = [&](const QString &target, bool) {
            const QString url = structure.relativeUrl(file.source, target);
            if (url.isEmpty()) {
                const QString path = target.left(SiteStructure::suffixStart(target));
                const bool hasExtension = path.section(QLatin1Char('/'), -1).contains(QLatin1Char('.'));
                page.linkMessages.append({hasExtension ? BuildMessage::Level::Warning : BuildMessage::Level::Info,
                                          hasExtension ? QStringLiteral("Doc file '%1' contains a link '%2', but the target is not found among documentation files.")
                                                             .arg(file.source, target)
                                                       : QStringLiteral("Doc file '%1' contains an unrecognized relative link '%2', it was left as is.")
                                                             .arg(file.source, target),
                                          file.source, lineOfText(page.source, target)});
            }
            return url;
        };
        source.readSnippet = [&](const QString &path) -> QString {
            const QString absolute = QDir::cleanPath(config.docsRoot + QLatin1Char('/') + path);
            const QString canonical = QFileInfo(absolute).canonicalFilePath();
            if (QDir::isAbsolutePath(path) || canonical.isEmpty() || !canonical.startsWith(rootCanonical + QLatin1Char('/')))
                return {};
            QFile snippet(canonical);
            if (!snippet.open(QIODevice::ReadOnly))
                return {};
            return QString::fromUtf8(snippet.readAll());
        };
        page.rendered = renderMarkdown(source, dialect);
        page.body = sanitizeHtml(page.rendered.html);
        page.rendered.html.clear();
        page.text = collapseWhitespace(htmlToText(page.body));
        page.sections = searchSections(page.body);
    });

    // Titles: nav title, front matter, leading H1, "Home", file name.
    QHash<int, QString> navTitles;
    collectNavTitles(structure.nav, navTitles);
    QHash<int, int> workOfFile;
    for (int w = 0; w < work.size(); ++w) {
        PageWork &page = work[w];
        workOfFile.insert(page.file, w);
        const SiteFile &file = structure.files[page.file];
        BuiltPage built;
        built.source = file.source;
        built.url = file.url;
        built.title = pageTitle(navTitles.value(page.file), page.rendered, file);
        built.editUrl = editUrlFor(config, file.source);
        built.toc = page.rendered.toc;
        site.pages.append(built);
        site.messages += page.rendered.messages;
        site.messages += page.linkMessages;
    }
    if (config.strict && site.warningCount() > 0)
        return Error::input(QStringLiteral("Aborted with %1 warnings in strict mode!").arg(site.warningCount()));

    // Navigation with titles, for the reader and the page template.
    std::function<QJsonArray(const QList<NavItem> &)> navJson = [&](const QList<NavItem> &items) {
        QJsonArray array;
        for (const NavItem &item : items) {
            if (item.file >= 0) {
                const int w = workOfFile.value(item.file, -1);
                array.append(QJsonObject{{QStringLiteral("title"), w >= 0 ? site.pages[w].title : item.title},
                                         {QStringLiteral("url"), structure.files[item.file].url}});
            } else if (!item.url.isEmpty()) {
                array.append(QJsonObject{{QStringLiteral("title"), item.title.isEmpty() ? item.url : item.title},
                                         {QStringLiteral("url"), item.url}, {QStringLiteral("external"), true}});
            } else {
                array.append(QJsonObject{{QStringLiteral("title"), item.title},
                                         {QStringLiteral("children"), navJson(item.children)}});
            }
        }
        return array;
    };
    site.nav = navJson(structure.nav);
    QList<int> navOrder;
    flattenNavPages(structure.nav, navOrder);
    QHash<int, qsizetype> navPosition;
    for (qsizetype n = 0; n < navOrder.size(); ++n)
        navPosition.insert(navOrder[n], n);

    // Pages in the theme.
    const PageTemplate pageTemplate(config, site.nav);
    QList<QByteArray> pageHtml(work.size());
    QList<int> indexes(work.size());
    std::iota(indexes.begin(), indexes.end(), 0);
    QtConcurrent::blockingMap(indexes, [&](int w) {
        const PageWork &page = work[w];
        const BuiltPage &built = site.pages[w];
        const qsizetype position = navPosition.value(page.file, -1);
        const BuiltPage *previous = nullptr;
        const BuiltPage *next = nullptr;
        if (position > 0)
            previous = &site.pages[workOfFile.value(navOrder[position - 1])];
        if (position >= 0 && position + 1 < navOrder.size())
            next = &site.pages[workOfFile.value(navOrder[position + 1])];
        pageHtml[w] = pageTemplate.render(built, page.body, previous, next).toUtf8();
    });

    // Search index (MkDocs' search plugin, "full" indexing by default).
    QJsonArray docs;
    for (int w = 0; w < work.size(); ++w) {
        const BuiltPage &built = site.pages[w];
        const QString &text = work[w].text;
        site.pages[w].text = text;
        if (config.searchIndexing == QLatin1String("titles")) {
            docs.append(QJsonObject{{QStringLiteral("location"), built.url}, {QStringLiteral("text"), QString()},
                                    {QStringLiteral("title"), built.title}});
            continue;
        }
        docs.append(QJsonObject{{QStringLiteral("location"), built.url},
                                {QStringLiteral("text"), config.searchIndexing == QLatin1String("sections") ? QString() : text},
                                {QStringLiteral("title"), built.title}});
        for (const SearchSection &section : std::as_const(work[w].sections))
            docs.append(QJsonObject{{QStringLiteral("location"), built.url + QLatin1Char('#') + section.id},
                                    {QStringLiteral("text"), section.text}, {QStringLiteral("title"), section.title}});
    }
    QJsonArray lang;
    for (const QString &l : config.searchLang)
        lang.append(l);
    const QJsonObject searchIndex{
        {QStringLiteral("config"), QJsonObject{{QStringLiteral("indexing"), config.searchIndexing},
                                               {QStringLiteral("lang"), lang},
                                               {QStringLiteral("min_search_length"), config.searchMinLength},
                                               {QStringLiteral("prebuild_index"), false},
                                               {QStringLiteral("separator"), config.searchSeparator}}},
        {QStringLiteral("docs"), docs}};

    // Files: pages, assets, theme, search, 404, sitemap, redirects, metadata.
    for (int w = 0; w < work.size(); ++w)
        site.files.append({structure.files[work[w].file].output, pageHtml[w]});
    pageHtml.clear();
    for (const SiteFile &file : std::as_const(structure.files)) {
        if (file.isPage)
            continue;
        QFile in(config.docsDir + QLatin1Char('/') + file.source);
        if (!in.open(QIODevice::ReadOnly)) {
            site.messages.append({BuildMessage::Level::Warning, QStringLiteral("Could not read: %1").arg(in.errorString()),
                                  file.source, 0});
            continue;
        }
        site.files.append({file.output, in.readAll()});
    }
    for (const auto &[path, content] : PageTemplate::themeFiles())
        site.files.append({path, content});
    site.files.append({QStringLiteral("search/search_index.json"), QJsonDocument(searchIndex).toJson(QJsonDocument::Compact)});
    site.files.append({QStringLiteral("404.html"), pageTemplate.renderNotFound().toUtf8()});
    for (auto it = config.redirects.begin(); it != config.redirects.end(); ++it) {
        const QString from = QDir::cleanPath(it.key());
        if (QDir::isAbsolutePath(from) || from.startsWith(QLatin1String(".."))) {
            site.messages.append({BuildMessage::Level::Warning,
                                  QStringLiteral("The redirect from '%1' points outside the site; it is skipped.").arg(it.key()),
                                  {}, 0});
            continue;
        }
        QString fromOutput = from;
        if (isMarkdownFile(from)) {
            const QString stem = from.left(from.lastIndexOf(QLatin1Char('.')));
            fromOutput = config.useDirectoryUrls ? stem + QStringLiteral("/index.html") : stem + QStringLiteral(".html");
        }
        const QString fromUrl = fromOutput.endsWith(QLatin1String("/index.html")) ? fromOutput.chopped(10) : fromOutput;
        QString to = it.value().toString();
        const int target = structure.bySource.value(QDir::cleanPath(to.section(QLatin1Char('#'), 0, 0)), -1);
        if (target >= 0)
            to = SiteStructure::relativeTo(fromUrl, structure.files[target].url)
                 + (to.contains(QLatin1Char('#')) ? QLatin1Char('#') + to.section(QLatin1Char('#'), 1) : QString());
        site.files.append({fromOutput, PageTemplate::renderRedirect(to).toUtf8()});
    }
    QString sitemap = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    const QString today = QDate::currentDate().toString(Qt::ISODate);
    for (const BuiltPage &page : std::as_const(site.pages)) {
        const QString location = config.siteUrl.isEmpty()
                                     ? QStringLiteral("None")
                                     : (config.siteUrl.endsWith(QLatin1Char('/')) ? config.siteUrl : config.siteUrl + QLatin1Char('/')) + page.url;
        sitemap += QStringLiteral("    <url>\n         <loc>%1</loc>\n         <lastmod>%2</lastmod>\n    </url>\n")
                       .arg(escapeHtml(location), today);
    }
    sitemap += QStringLiteral("</urlset>");
    site.files.append({QStringLiteral("sitemap.xml"), sitemap.toUtf8()});
    site.files.append({QStringLiteral("sitemap.xml.gz"), gzip(sitemap.toUtf8())});

    QJsonArray fileList;
    for (const BuiltFile &file : std::as_const(site.files))
        fileList.append(file.path);
    fileList.append(QStringLiteral("techdocs_metadata.json"));
    site.metadata = QJsonObject{
        {QStringLiteral("site_name"), config.siteName},
        // techdocs-core renders both through a template: a missing description is "None".
        {QStringLiteral("site_description"), config.siteDescription.isEmpty() ? QStringLiteral("None") : config.siteDescription},
        {QStringLiteral("build_timestamp"), options.buildTimestampMs ? options.buildTimestampMs : QDateTime::currentMSecsSinceEpoch()},
        {QStringLiteral("engine"), QStringLiteral("mkdocs")},
        {QStringLiteral("files"), fileList}};
    if (!options.etag.isEmpty())
        site.metadata.insert(QStringLiteral("etag"), options.etag);
    site.files.append({QStringLiteral("techdocs_metadata.json"), QJsonDocument(site.metadata).toJson(QJsonDocument::Compact)});
    if (!structure.bySource.contains(QStringLiteral("index.md")) && !structure.bySource.contains(QStringLiteral("README.md")))
        site.messages.append({BuildMessage::Level::Warning,
                              QStringLiteral("There is no index.md or README.md in the root of the docs directory, so the site has no home page "
                                             "(index.html); Backstage shows \"Page not found\" for it."),
                              {}, 0});
    return site;
}

Status writeSite(const BuiltSite &site, const QString &outputDir)
{
    QDir out(outputDir);
    // Like MkDocs, a rebuild leaves no stale pages behind; but only in a
    // folder that holds an earlier site, never in an arbitrary one.
    const bool replacesSite = out.exists(QStringLiteral("techdocs_metadata.json"));
    if (!out.mkpath(QStringLiteral(".")))
        return Error::input(QStringLiteral("Could not create the output folder %1").arg(outputDir));
    QSet<QString> written;
    QSet<QString> folders;
    QStringList paths;
    for (const BuiltFile &file : site.files) {
        const QString path = out.filePath(file.path);
        const QString folder = QFileInfo(path).path();
        if (!folders.contains(folder)) {
            if (!QDir().mkpath(folder))
                return Error::input(QStringLiteral("Could not create the folder for %1").arg(path));
            folders.insert(folder);
        }
        paths.append(path);
        written.insert(QDir::cleanPath(path));
    }
    // Plain writes, as MkDocs does: a site folder is an output, and the
    // server publishes builds into its store in one transaction instead.
    // On every core: a site's pages each carry the whole nav, so a site of
    // 1,000 pages is ~120 MB, and copying it into the page cache is most of
    // what one thread would spend here.
    QMutex failedLock;
    QString failed;
    QList<qsizetype> indexes(paths.size());
    std::iota(indexes.begin(), indexes.end(), 0);
    QtConcurrent::blockingMap(indexes, [&](qsizetype i) {
        QFile save(paths.at(i));
        const QByteArray &content = site.files.at(i).content;
        if (save.open(QIODevice::WriteOnly | QIODevice::Truncate) && save.write(content) == content.size())
            return;
        const QMutexLocker locked(&failedLock);
        if (failed.isEmpty())
            failed = QStringLiteral("Could not write %1: %2").arg(paths.at(i), save.errorString());
    });
    if (!failed.isEmpty())
        return Error::input(failed);
    if (!replacesSite)
        return Ok{};
    // Files of the earlier build that this one no longer has.
    QDirIterator it(out.absolutePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = QDir::cleanPath(it.next());
        if (!written.contains(path))
            QFile::remove(path);
    }
    return Ok{};
}

} // namespace Greenroom::Docs
