// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
// mkdocs.yml variants, navigation, page titles, link rewriting and warnings,
// the TechDocs output layout, and `greenroom-server docs build`.
#include "testconfig.h"
#include "testfiles.h"

#include <docs/sitebuilder.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom::Docs;
using Greenroom::Result;
using Greenroom::TestSupport::writeFile;

namespace {

QByteArray fileOf(const BuiltSite &site, const QString &path)
{
    for (const BuiltFile &file : site.files)
        if (file.path == path)
            return file.content;
    return {};
}

bool hasFile(const BuiltSite &site, const QString &path)
{
    return std::any_of(site.files.begin(), site.files.end(), [&](const BuiltFile &f) { return f.path == path; });
}

QStringList messagesOf(const BuiltSite &site)
{
    QStringList lines;
    for (const BuildMessage &message : site.messages)
        lines.append(message.toString());
    return lines;
}

bool anyContains(const QStringList &lines, const QString &text)
{
    return std::any_of(lines.begin(), lines.end(), [&](const QString &l) { return l.contains(text); });
}

QString articleOf(const QByteArray &page)
{
    const QString html = QString::fromUtf8(page);
    const qsizetype start = html.indexOf(QLatin1String("<article"));
    return html.mid(start, html.indexOf(QLatin1String("</article>")) - start);
}

} // namespace

class TestSiteBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layoutLinksAndSearch()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")),
                  "site_name: Payments\nsite_description: How payments work\nrepo_url: https://github.com/acme/payments\n"
                  "edit_uri: edit/main/docs/\n");
        writeFile(dir.filePath(QStringLiteral("docs/index.md")),
                  "# Welcome Home\n\nIntro text, see [setup](setup.md#install-it) and ![logo](img/logo.png).\n\n## Install it\n\nSome text here.\n");
        writeFile(dir.filePath(QStringLiteral("docs/setup.md")),
                  "# Setup Guide\n\n![logo](img/logo.png)\n[home](index.md) [deep](guides/advanced/deep.md)\n"
                  "[broken](nope.md) [dir](guides)\n\n## Install it\n\nBack to home.\n");
        writeFile(dir.filePath(QStringLiteral("docs/guides/advanced/deep.md")), "Deep page [up](../../setup.md).\n");
        writeFile(dir.filePath(QStringLiteral("docs/img/logo.png")), "\x89PNG fake");
        const Result<BuiltSite> built = buildSite(dir.path(), {{}, QStringLiteral("abc123"), 1764000000000});
        QVERIFY2(built, qPrintable(built ? QString() : built.error().toString()));
        const BuiltSite &site = *built;

        for (const QString &path : {QStringLiteral("index.html"), QStringLiteral("setup/index.html"),
                                    QStringLiteral("guides/advanced/deep/index.html"), QStringLiteral("img/logo.png"),
                                    QStringLiteral("search/search_index.json"), QStringLiteral("techdocs_metadata.json"),
                                    QStringLiteral("404.html"), QStringLiteral("sitemap.xml"), QStringLiteral("sitemap.xml.gz"),
                                    QStringLiteral("assets/stylesheets/greenroom-docs.css")})
            QVERIFY2(hasFile(site, path), qPrintable(path));
        QCOMPARE(fileOf(site, QStringLiteral("img/logo.png")), QByteArray("\x89PNG fake"));

        const QString home = articleOf(fileOf(site, QStringLiteral("index.html")));
        QVERIFY2(home.contains(QStringLiteral("href=\"setup/#install-it\"")), qPrintable(home));
        QVERIFY(home.contains(QStringLiteral("src=\"img/logo.png\"")));
        const QString setup = articleOf(fileOf(site, QStringLiteral("setup/index.html")));
        QVERIFY2(setup.contains(QStringLiteral("src=\"../img/logo.png\"")), qPrintable(setup));
        QVERIFY(setup.contains(QStringLiteral("href=\"../\"")));
        QVERIFY(setup.contains(QStringLiteral("href=\"../guides/advanced/deep/\"")));
        QVERIFY(setup.contains(QStringLiteral("href=\"nope.md\"")));
        QVERIFY(articleOf(fileOf(site, QStringLiteral("guides/advanced/deep/index.html"))).contains(QStringLiteral("href=\"../../../setup/\"")));
        QVERIFY(setup.contains(QStringLiteral("href=\"https://github.com/acme/payments/edit/main/docs/setup.md\"")));

        // A missing page is a warning naming the file and line; a link
        // without an extension is only INFO.
        const QStringList messages = messagesOf(site);
        QVERIFY2(messages.contains(QStringLiteral("WARNING - setup.md:5: Doc file 'setup.md' contains a link 'nope.md', but the target is not found among documentation files.")),
                 qPrintable(messages.join(QLatin1Char('\n'))));
        QVERIFY(anyContains(messages, QStringLiteral("INFO - setup.md:5: Doc file 'setup.md' contains an unrecognized relative link 'guides'")));
        QCOMPARE(site.warningCount(), 1);

        // techdocs_metadata.json
        const QJsonObject metadata = QJsonDocument::fromJson(fileOf(site, QStringLiteral("techdocs_metadata.json"))).object();
        QCOMPARE(metadata.value(QStringLiteral("site_name")).toString(), QStringLiteral("Payments"));
        QCOMPARE(metadata.value(QStringLiteral("site_description")).toString(), QStringLiteral("How payments work"));
        QCOMPARE(metadata.value(QStringLiteral("build_timestamp")).toDouble(), 1764000000000.0);
        QCOMPARE(metadata.value(QStringLiteral("etag")).toString(), QStringLiteral("abc123"));
        const QJsonArray files = metadata.value(QStringLiteral("files")).toArray();
        QVERIFY(files.contains(QStringLiteral("techdocs_metadata.json")));
        QVERIFY(files.contains(QStringLiteral("setup/index.html")));
        QCOMPARE(files.size(), site.files.size());

        // search/search_index.json: page entries, then a section per heading.
        const QJsonObject search = QJsonDocument::fromJson(fileOf(site, QStringLiteral("search/search_index.json"))).object();
        QCOMPARE(search.value(QStringLiteral("config")).toObject().value(QStringLiteral("separator")).toString(), QStringLiteral("[\\s\\-]+"));
        const QJsonArray docs = search.value(QStringLiteral("docs")).toArray();
        QCOMPARE(docs[0].toObject().value(QStringLiteral("location")).toString(), QString());
        QCOMPARE(docs[0].toObject().value(QStringLiteral("title")).toString(), QStringLiteral("Welcome Home"));
        QVERIFY(docs[0].toObject().value(QStringLiteral("text")).toString().startsWith(QStringLiteral("Welcome Home\u00b6 Intro text")));
        QCOMPARE(docs[1].toObject().value(QStringLiteral("location")).toString(), QStringLiteral("#welcome-home"));
        QCOMPARE(docs[2].toObject().value(QStringLiteral("location")).toString(), QStringLiteral("#install-it"));
        QCOMPARE(docs[2].toObject().value(QStringLiteral("title")).toString(), QStringLiteral("Install it"));
        QCOMPARE(docs[2].toObject().value(QStringLiteral("text")).toString(), QStringLiteral("Some text here."));
        QCOMPARE(site.pages[1].url, QStringLiteral("setup/"));
        QCOMPARE(site.pages[1].title, QStringLiteral("Setup Guide"));

        // The page shell has Material's structure.
        const QString page = QString::fromUtf8(fileOf(site, QStringLiteral("setup/index.html")));
        for (const QString &part : {QStringLiteral("class=\"md-header\""), QStringLiteral("md-sidebar--primary"),
                                    QStringLiteral("md-sidebar--secondary"), QStringLiteral("<article class=\"md-content__inner md-typeset\">"),
                                    QStringLiteral("class=\"md-content__button md-icon\""), QStringLiteral("md-footer-copyright"),
                                    QStringLiteral("href=\"../assets/stylesheets/greenroom-docs.css\""),
                                    QStringLiteral("<title>Setup Guide - Payments</title>"),
                                    QStringLiteral("class=\"md-nav__link md-nav__link--active\">Setup Guide</a>"),
                                    QStringLiteral("<a href=\"../\" class=\"md-nav__link\">Welcome Home</a>")})
            QVERIFY2(page.contains(part), qPrintable(part));
    }

    void defaultNavOrderAndTitles()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: Order\n");
        writeFile(dir.filePath(QStringLiteral("docs/a.md")), "Text only.\n");
        writeFile(dir.filePath(QStringLiteral("docs/B.md")), "---\ntitle: Bee\n---\n# Ignored H1\n");
        writeFile(dir.filePath(QStringLiteral("docs/index.md")), "No heading here.\n");
        writeFile(dir.filePath(QStringLiteral("docs/b-file.md")), "Intro.\n\n# Late H1\n");
        writeFile(dir.filePath(QStringLiteral("docs/getting-started/index.md")), "# Start\n");
        writeFile(dir.filePath(QStringLiteral("docs/Zeta/z.md")), "# Zed\n");
        writeFile(dir.filePath(QStringLiteral("docs/API_docs/x.md")), "# X\n");
        writeFile(dir.filePath(QStringLiteral("docs/.hidden.md")), "# Hidden\n");
        writeFile(dir.filePath(QStringLiteral("docs/README.md")), "# Readme\n");
        const Result<BuiltSite> built = buildSite(dir.path());
        QVERIFY(built);
        const QJsonArray nav = built->nav;
        QStringList titles;
        for (const QJsonValue &item : nav)
            titles.append(item.toObject().value(QStringLiteral("title")).toString());
        // Files first (index first, then byte order), then folders (byte order).
        QCOMPARE(titles, (QStringList{QStringLiteral("Home"), QStringLiteral("Bee"), QStringLiteral("A"), QStringLiteral("B file"),
                                      QStringLiteral("API docs"), QStringLiteral("Zeta"), QStringLiteral("Getting started")}));
        QCOMPARE(nav[6].toObject().value(QStringLiteral("children")).toArray()[0].toObject().value(QStringLiteral("url")).toString(),
                 QStringLiteral("getting-started/"));
        QVERIFY(!hasFile(*built, QStringLiteral(".hidden/index.html")));
        QVERIFY(anyContains(messagesOf(*built), QStringLiteral("Excluding 'README.md' from the site because it conflicts with 'index.md'.")));
        // Material adds the title as H1 when the page has none.
        QVERIFY(articleOf(fileOf(*built, QStringLiteral("a/index.html"))).contains(QStringLiteral("<h1>A</h1>")));
    }

    void explicitNav()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")),
                  "site_name: Nav\nnav:\n  - index.md\n  - Guides:\n      - Setup: guides/setup.md\n      - Deeper:\n          - guides/deep.md\n"
                  "  - Backstage: https://backstage.io\n  - Gone: gone.md\n");
        writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Start page\n");
        writeFile(dir.filePath(QStringLiteral("docs/guides/setup.md")), "# Setup H1\n");
        writeFile(dir.filePath(QStringLiteral("docs/guides/deep.md")), "# Deep\n");
        writeFile(dir.filePath(QStringLiteral("docs/orphan.md")), "# Orphan\n");
        const Result<BuiltSite> built = buildSite(dir.path());
        QVERIFY(built);
        const QJsonArray nav = built->nav;
        QCOMPARE(nav.size(), 4);
        QCOMPARE(nav[0].toObject().value(QStringLiteral("title")).toString(), QStringLiteral("Start page"));
        const QJsonArray guides = nav[1].toObject().value(QStringLiteral("children")).toArray();
        QCOMPARE(guides[0].toObject().value(QStringLiteral("title")).toString(), QStringLiteral("Setup"));   // nav title wins
        QCOMPARE(guides[1].toObject().value(QStringLiteral("children")).toArray()[0].toObject().value(QStringLiteral("title")).toString(),
                 QStringLiteral("Deep"));
        QCOMPARE(nav[2].toObject().value(QStringLiteral("url")).toString(), QStringLiteral("https://backstage.io"));
        QVERIFY(nav[2].toObject().value(QStringLiteral("external")).toBool());
        const QStringList messages = messagesOf(*built);
        QVERIFY(anyContains(messages, QStringLiteral("A reference to 'gone.md' is included in the 'nav' configuration, which is not found in the documentation files.")));
        QVERIFY(anyContains(messages, QStringLiteral("not included in the \"nav\" configuration:\n  - orphan.md")));
        QVERIFY(hasFile(*built, QStringLiteral("orphan/index.html")));   // still built
        const QJsonArray docs = QJsonDocument::fromJson(fileOf(*built, QStringLiteral("search/search_index.json"))).object()
                                    .value(QStringLiteral("docs")).toArray();
        QVERIFY(std::any_of(docs.begin(), docs.end(), [](const QJsonValue &d) {
            return d.toObject().value(QStringLiteral("location")).toString() == QLatin1String("orphan/");
        }));
        // Pages are in build order (folder by folder), titled from the nav.
        QCOMPARE(built->pages[3].source, QStringLiteral("guides/setup.md"));
        QCOMPARE(built->pages[3].title, QStringLiteral("Setup"));
    }

    void configErrorsAndAllowlists_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QString>("error");
        QTest::newRow("site_name") << QByteArray("docs_dir: docs\n")
                                   << QStringLiteral("mkdocs.yml: Config value 'site_name': Required configuration not provided.");
        QTest::newRow("docs_dir up") << QByteArray("site_name: x\ndocs_dir: ../elsewhere\n")
                                     << QStringLiteral("mkdocs.yml:2: docs_dir configuration value in mkdocs can't be an absolute directory or start with ../ for security reasons.");
        QTest::newRow("docs_dir absolute") << QByteArray("site_name: x\ndocs_dir: /etc\n")
                                           << QStringLiteral("docs_dir configuration value in mkdocs can't be an absolute directory");
        QTest::newRow("docs_dir missing") << QByteArray("site_name: x\ndocs_dir: nothere\n")
                                          << QStringLiteral("Config value 'docs_dir': The path '");
        QTest::newRow("python tag") << QByteArray("site_name: x\nextra:\n  evil: !!python/object/apply:os.system ['id']\n")
                                    << QStringLiteral("Unsupported Python YAML tag '!!python/object/apply:os.system'");
        QTest::newRow("yaml syntax") << QByteArray("site_name: [unclosed\n") << QStringLiteral("mkdocs.yml:");
    }

    void configErrorsAndAllowlists()
    {
        QFETCH(QByteArray, config);
        QFETCH(QString, error);
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), config);
        writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Home\n");
        const Result<BuiltSite> built = buildSite(dir.path());
        QVERIFY(!built);
        QVERIFY2(built.error().toString().contains(error), qPrintable(built.error().toString()));
    }

    void allowedTagsKeysPluginsAndExtensions()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")),
                  "site_name: Tags\nINHERIT: base.yml\nhooks: [x.py]\nextra_javascript: [evil.js]\n"
                  "plugins:\n  - techdocs-core\n  - search\n  - mermaid2\n  - group\n"
                  "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                  "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
                  "  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n          class: mermaid\n"
                  "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
                  "  - toc:\n      permalink: \"#\"\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
                  "  - some.evil:extension\n  - markdown_katex\n  - pymdownx.keys\n");
        writeFile(dir.filePath(QStringLiteral("base.yml")), "site_description: From the parent\n");
        writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Home\n\n```mermaid\ngraph TD\n```\n");
        const Result<BuiltSite> built = buildSite(dir.path());
        QVERIFY2(built, qPrintable(built ? QString() : built.error().toString()));
        const QStringList messages = messagesOf(*built);
        QVERIFY2(anyContains(messages, QStringLiteral("Removed the following unsupported configuration keys from mkdocs.yml: INHERIT, extra_javascript, hooks")),
                 qPrintable(messages.join(QLatin1Char('\n'))));
        QVERIFY(anyContains(messages, QStringLiteral("Removed the following unsupported plugins from mkdocs.yml: mermaid2")));
        QVERIFY(anyContains(messages, QStringLiteral("Greenroom does not implement the mkdocs plugin 'group'")));
        QVERIFY(anyContains(messages, QStringLiteral("Removed the following unsupported markdown_extensions from mkdocs.yml: some.evil:extension, markdown_katex")));
        QVERIFY(anyContains(messages, QStringLiteral("their syntax stays as text: pymdownx.keys")));
        QCOMPARE(built->siteDescription, QString());   // INHERIT ignored without the opt-in
        const QString home = articleOf(fileOf(*built, QStringLiteral("index.html")));
        QVERIFY2(home.contains(QStringLiteral("<pre class=\"mermaid\"><code>graph TD")), qPrintable(home));
        QVERIFY(home.contains(QStringLiteral("title=\"Permanent link\">#</a>")));

        // INHERIT behind dangerouslyAllowAdditionalKeys: the parent merges under the child.
        SiteBuildOptions options;
        options.mkdocs.additionalKeys = {QStringLiteral("INHERIT")};
        const Result<BuiltSite> inherited = buildSite(dir.path(), options);
        QVERIFY(inherited);
        QCOMPARE(inherited->siteDescription, QStringLiteral("From the parent"));
    }

    void defaultConfigWithoutMkdocsYml()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("docs/index.md")), "Hello.\n");
        SiteBuildOptions options;
        options.mkdocs.defaultSiteName = QStringLiteral("payments");
        const Result<BuiltSite> built = buildSite(dir.path(), options);
        QVERIFY(built);
        QCOMPARE(built->siteName, QStringLiteral("payments"));
        QCOMPARE(built->metadata.value(QStringLiteral("site_description")).toString(), QStringLiteral("None"));
        QVERIFY(!built->metadata.contains(QStringLiteral("etag")));
        // mkdocs.yaml wins over mkdocs.yml.
        writeFile(dir.filePath(QStringLiteral("mkdocs.yaml")), "site_name: From yaml\n");
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: From yml\n");
        const Result<BuiltSite> both = buildSite(dir.path());
        QVERIFY(both);
        QCOMPARE(both->siteName, QStringLiteral("From yaml"));
        QVERIFY(anyContains(messagesOf(*both), QStringLiteral("ignoring mkdocs.yml")));
    }

    void legacyReadmeBecomesTheHomePage()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: Legacy\n");
        writeFile(dir.filePath(QStringLiteral("README.md")), "# From the readme\n");
        writeFile(dir.filePath(QStringLiteral("docs/guide/usage.md")), "# Usage\n");
        QVERIFY(!hasFile(*buildSite(dir.path()), QStringLiteral("index.html")));
        SiteBuildOptions options;
        options.mkdocs.legacyCopyReadmeMdToIndexMd = true;
        const Result<BuiltSite> built = buildSite(dir.path(), options);
        QVERIFY(built);
        QVERIFY(articleOf(fileOf(*built, QStringLiteral("index.html"))).contains(QStringLiteral("From the readme")));
        QCOMPARE(built->nav[0].toObject().value(QStringLiteral("url")).toString(), QString());
        const QJsonArray guide = built->nav[1].toObject().value(QStringLiteral("children")).toArray();
        QCOMPARE(guide[0].toObject().value(QStringLiteral("url")).toString(), QStringLiteral("guide/usage/"));
    }

    void symlinkOutOfTheRootIsRefused()
    {
        QTemporaryDir outside;
        writeFile(outside.filePath(QStringLiteral("secret.md")), "secret\n");
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: Links\n");
        writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Home\n");
        QVERIFY(QFile::link(outside.filePath(QStringLiteral("secret.md")), dir.filePath(QStringLiteral("docs/secret.md"))));
        const Result<BuiltSite> built = buildSite(dir.path());
        QVERIFY(!built);
        QCOMPARE(built.error().name, QStringLiteral("NotAllowedError"));
        QVERIFY(built.error().message.contains(QStringLiteral("is not allowed to refer to a location outside")));
    }

    void strictModeFailsOnWarnings()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: Strict\nstrict: true\n");
        writeFile(dir.filePath(QStringLiteral("docs/index.md")), "[x](missing.md)\n");
        const Result<BuiltSite> built = buildSite(dir.path());
        QVERIFY(!built);
        QCOMPARE(built.error().message, QStringLiteral("Aborted with 1 warnings in strict mode!"));
    }

    void commandLineBuild()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("src/mkdocs.yml")), "site_name: CLI\n");
        writeFile(dir.filePath(QStringLiteral("src/docs/index.md")), "# Home\n\n[bad](nowhere.md)\n");
        const QString server = QStringLiteral(GREENROOM_BINARY_DIR "/server/greenroom-server");
        QProcess process;
        process.start(server, {QStringLiteral("docs"), QStringLiteral("build"), dir.filePath(QStringLiteral("src")),
                               QStringLiteral("--output"), dir.filePath(QStringLiteral("out"))});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(QStringLiteral("WARNING - index.md:3: Doc file 'index.md' contains a link 'nowhere.md'")));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("out/index.html"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("out/techdocs_metadata.json"))));
        // A stale page of an earlier build goes; an error exits non-zero and keeps the old site.
        writeFile(dir.filePath(QStringLiteral("out/stale/index.html")), "old");
        process.start(server, {QStringLiteral("docs"), QStringLiteral("build"), dir.filePath(QStringLiteral("src")),
                               QStringLiteral("--output"), dir.filePath(QStringLiteral("out")), QStringLiteral("--quiet")});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("out/stale/index.html"))));
        writeFile(dir.filePath(QStringLiteral("src/mkdocs.yml")), "docs_dir: docs\n");
        process.start(server, {QStringLiteral("docs"), QStringLiteral("build"), dir.filePath(QStringLiteral("src")),
                               QStringLiteral("--output"), dir.filePath(QStringLiteral("out"))});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 1);
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(QStringLiteral("Config value 'site_name': Required configuration not provided.")));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("out/index.html"))));
    }
};

QTEST_GUILESS_MAIN(TestSiteBuilder)
#include "tst_sitebuilder.moc"
