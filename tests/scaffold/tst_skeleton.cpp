// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// fetch:template's rendering of a skeleton folder: the demo's Spring Boot
// golden path, templated paths and optional files, raw copies (globs,
// extension, binaries, symlinks), modes, existing files, and the escape
// attempts of path safety.
#include <testconfig.h>
#include <testfiles.h>

#include <scaffold/skeleton.h>
#include <scaffold/workspacepath.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Scaffold;
using TestSupport::writeFile;

class TestSkeleton : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenPathSkeleton();
    void pathsAreTemplates();
    void rawCopies();
    void existingFilesAndModes();
    void cookiecutterAndExtensionRules();
    void errorsNameTheFileAndLine();
    void safeChildPaths_data();
    void safeChildPaths();
    void skeletonCannotWriteOutside();

private:
    static QString read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QStringLiteral("<missing %1>").arg(path);
    }
};

void TestSkeleton::goldenPathSkeleton()
{
    QTemporaryDir out;
    SkeletonOptions options;
    options.values = QJsonObject{{QStringLiteral("name"), QStringLiteral("payments")},
                                 {QStringLiteral("description"), QStringLiteral("Takes payments.")},
                                 {QStringLiteral("owner"), QStringLiteral("group:default/team-checkout")},
                                 {QStringLiteral("javaVersion"), QStringLiteral("21")}};
    QStringList log;
    const Status status = renderSkeleton(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/templates/spring-boot-microservice/skeleton"),
                                         out.path(), options, &log);
    QVERIFY2(status, qPrintable(status ? QString() : status.error().toString()));
    QCOMPARE(read(out.filePath(QStringLiteral("catalog-info.yaml"))),
             QStringLiteral("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\n  description: Takes payments.\n"
                            "  tags: [java, spring-boot]\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n"
                            "  lifecycle: experimental\n  owner: group:default/team-checkout\n"));
    QVERIFY(read(out.filePath(QStringLiteral("pom.xml"))).contains(QLatin1String("<artifactId>payments</artifactId>")));
    QVERIFY(read(out.filePath(QStringLiteral("pom.xml"))).contains(QLatin1String("<java.version>21</java.version>")));
    QVERIFY(read(out.filePath(QStringLiteral("src/main/java/com/northwind/app/Application.java"))).contains(QLatin1String("/** Takes payments. */")));
    QCOMPARE(read(out.filePath(QStringLiteral("docs/index.md"))).section(QLatin1Char('\n'), 0, 0), QStringLiteral("# payments"));
    // Backstage's log lines; the mode is Node's stats.mode (S_IFREG | 0644 = 33188).
    QVERIFY2(log.contains(QStringLiteral("Writing file pom.xml to template output path with mode 33188.")), qPrintable(log.join(QLatin1Char('\n'))));
    QVERIFY(log.contains(QStringLiteral("Writing directory src/main to template output path.")));

    // With a system, the optional line appears.
    QTemporaryDir withSystem;
    options.values.insert(QStringLiteral("system"), QStringLiteral("payments-platform"));
    QVERIFY(renderSkeleton(QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/templates/spring-boot-microservice/skeleton"), withSystem.path(), options));
    QVERIFY(read(withSystem.filePath(QStringLiteral("catalog-info.yaml"))).endsWith(QLatin1String("  owner: group:default/team-checkout\n  system: payments-platform\n")));
}

void TestSkeleton::pathsAreTemplates()
{
    QTemporaryDir skeleton, out;
    writeFile(skeleton.filePath(QStringLiteral("${{ values.name }}/src/${{ values.name }}.ts")), "export const name = '${{ values.name }}';\n");
    writeFile(skeleton.filePath(QStringLiteral("${{ 'Dockerfile' if values.docker }}")), "FROM node:20\n");
    writeFile(skeleton.filePath(QStringLiteral("${{ 'ci' if values.ci }}/pipeline.yaml")), "steps: []\n");
    writeFile(skeleton.filePath(QStringLiteral(".github/CODEOWNERS")), "* @${{ values.owner }}\n");
    SkeletonOptions options;
    options.values = QJsonObject{{QStringLiteral("name"), QStringLiteral("web")}, {QStringLiteral("docker"), false},
                                 {QStringLiteral("owner"), QStringLiteral("team-a")}};
    QVERIFY(renderSkeleton(skeleton.path(), out.path(), options));
    QCOMPARE(read(out.filePath(QStringLiteral("web/src/web.ts"))), QStringLiteral("export const name = 'web';\n"));
    QCOMPARE(read(out.filePath(QStringLiteral(".github/CODEOWNERS"))), QStringLiteral("* @team-a\n"));
    // Optional entries: an empty name drops the file, an empty folder name its subtree.
    QVERIFY(!QFileInfo::exists(out.filePath(QStringLiteral("Dockerfile"))));
    QVERIFY(!QFileInfo::exists(out.filePath(QStringLiteral("pipeline.yaml"))));
    QCOMPARE(QDir(out.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), (QStringList{QStringLiteral(".github"), QStringLiteral("web")}));
}

void TestSkeleton::rawCopies()
{
    QTemporaryDir skeleton, out;
    writeFile(skeleton.filePath(QStringLiteral("templates/${{ values.name }}.html")), "<p>{{ handlebars }} ${{ values.name }}</p>\n");
    writeFile(skeleton.filePath(QStringLiteral("legacy/${{ values.name }}.txt")), "${{ values.name }}\n");
    writeFile(skeleton.filePath(QStringLiteral("logo.png")), QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR ${{ values.name }}", 30));
    writeFile(skeleton.filePath(QStringLiteral("README.md")), "${{ values.name }}\n");
    QVERIFY(QFile::link(QStringLiteral("README.md"), skeleton.filePath(QStringLiteral("link-to-readme"))));
    QVERIFY(QFile::link(QStringLiteral("/etc/passwd"), skeleton.filePath(QStringLiteral("outside"))));
    SkeletonOptions options;
    options.values = QJsonObject{{QStringLiteral("name"), QStringLiteral("site")}};
    options.copyWithoutRender = {QStringLiteral("legacy/**")};
    QVERIFY(renderSkeleton(skeleton.path(), out.path(), options));
    QCOMPARE(read(out.filePath(QStringLiteral("legacy/${{ values.name }}.txt"))), QStringLiteral("${{ values.name }}\n"));   // neither path nor contents
    QCOMPARE(read(out.filePath(QStringLiteral("README.md"))), QStringLiteral("site\n"));
    // Binary files byte for byte; symlinks as links, their text kept, never followed.
    QFile png(out.filePath(QStringLiteral("logo.png")));
    QVERIFY(png.open(QIODevice::ReadOnly));
    QCOMPARE(png.readAll(), QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR ${{ values.name }}", 30));
    QVERIFY(QFileInfo(out.filePath(QStringLiteral("link-to-readme"))).isSymLink());
    QCOMPARE(QFile::symLinkTarget(out.filePath(QStringLiteral("link-to-readme"))), out.filePath(QStringLiteral("README.md")));
    QVERIFY(QFileInfo(out.filePath(QStringLiteral("outside"))).isSymLink());

    QTemporaryDir out2;
    SkeletonOptions templating;
    templating.values = options.values;
    templating.copyWithoutTemplating = {QStringLiteral("templates/*.html")};
    QVERIFY(renderSkeleton(skeleton.path(), out2.path(), templating));
    // Path rendered, contents kept.
    QCOMPARE(read(out2.filePath(QStringLiteral("templates/site.html"))), QStringLiteral("<p>{{ handlebars }} ${{ values.name }}</p>\n"));
}

void TestSkeleton::existingFilesAndModes()
{
    QTemporaryDir skeleton, out;
    writeFile(skeleton.filePath(QStringLiteral("run.sh")), "#!/bin/sh\necho ${{ values.name }}\n");
    QFile::setPermissions(skeleton.filePath(QStringLiteral("run.sh")), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup);
    writeFile(out.filePath(QStringLiteral("run.sh")), "kept\n");
    SkeletonOptions options;
    options.values = QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}};
    QStringList log;
    QVERIFY(renderSkeleton(skeleton.path(), out.path(), options, &log));
    QCOMPARE(read(out.filePath(QStringLiteral("run.sh"))), QStringLiteral("kept\n"));
    QVERIFY(log.contains(QStringLiteral("File run.sh already exists, skipping")));
    options.replace = true;
    QVERIFY(renderSkeleton(skeleton.path(), out.path(), options));
    QCOMPARE(read(out.filePath(QStringLiteral("run.sh"))), QStringLiteral("#!/bin/sh\necho x\n"));
    QVERIFY(QFileInfo(out.filePath(QStringLiteral("run.sh"))).permissions() & QFile::ExeOwner);
}

void TestSkeleton::cookiecutterAndExtensionRules()
{
    QTemporaryDir skeleton, out;
    writeFile(skeleton.filePath(QStringLiteral("{{ cookiecutter.name }}.cfg")), "name={{ cookiecutter.name }}\njson={{ cookiecutter | jsonify }}\nkeep=${x}\n");
    SkeletonOptions options;
    options.values = QJsonObject{{QStringLiteral("name"), QStringLiteral("cc")}};
    options.cookiecutterCompat = true;
    QVERIFY(renderSkeleton(skeleton.path(), out.path(), options));
    QCOMPARE(read(out.filePath(QStringLiteral("cc.cfg"))), QStringLiteral("name=cc\njson={\"name\":\"cc\"}\nkeep=${x}\n"));

    QTemporaryDir skeleton2, out2;
    writeFile(skeleton2.filePath(QStringLiteral("app.yaml.njk")), "name: ${{ values.name }}\n");
    writeFile(skeleton2.filePath(QStringLiteral("raw.yaml")), "name: ${{ values.name }}\n");
    SkeletonOptions extension;
    extension.values = options.values;
    extension.templateFileExtension = QStringLiteral(".njk");
    QVERIFY(renderSkeleton(skeleton2.path(), out2.path(), extension));
    QCOMPARE(read(out2.filePath(QStringLiteral("app.yaml"))), QStringLiteral("name: cc\n"));
    QCOMPARE(read(out2.filePath(QStringLiteral("raw.yaml"))), QStringLiteral("name: ${{ values.name }}\n"));
    QVERIFY(!QFileInfo::exists(out2.filePath(QStringLiteral("app.yaml.njk"))));

    // Backstage's refusals.
    extension.cookiecutterCompat = true;
    const Status refused = renderSkeleton(skeleton2.path(), out2.path(), extension);
    QVERIFY(!refused);
    QCOMPARE(refused.error().message, QStringLiteral("Fetch action input extension incompatible with copyWithoutTemplating and cookiecutterCompat"));
}

void TestSkeleton::errorsNameTheFileAndLine()
{
    QTemporaryDir skeleton, out;
    writeFile(skeleton.filePath(QStringLiteral("ok.txt")), "fine\n");
    writeFile(skeleton.filePath(QStringLiteral("config/app.yaml")), "a: 1\nb: ${{ values.name | nosuchfilter }}\n");
    SkeletonOptions options;
    const Status status = renderSkeleton(skeleton.path(), out.path(), options);
    QVERIFY(!status);
    QCOMPARE(status.error().file, QStringLiteral("config/app.yaml"));
    QCOMPARE(status.error().line, 2);
    QVERIFY(status.error().message.contains(QLatin1String("filter not found: nosuchfilter")));

    writeFile(skeleton.filePath(QStringLiteral("config/app.yaml")), "{% if values.x %}\nnever closed\n");
    const Status unclosed = renderSkeleton(skeleton.path(), out.path(), options);
    QCOMPARE(unclosed.error().toString(), QStringLiteral("config/app.yaml:1:1: {% if %} without {% endif %}"));
}

void TestSkeleton::safeChildPaths_data()
{
    QTest::addColumn<QString>("relative");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("plain") << QStringLiteral("src/app.ts") << true;
    QTest::newRow("dot") << QStringLiteral("./a/../b") << true;
    QTest::newRow("the base itself") << QStringLiteral(".") << true;
    QTest::newRow("dot dot") << QStringLiteral("../escape") << false;
    QTest::newRow("deep dot dot") << QStringLiteral("a/b/../../../escape") << false;
    QTest::newRow("absolute") << QStringLiteral("/etc/passwd") << false;
    QTest::newRow("prefix sibling") << QStringLiteral("../workspace-other/x") << false;
    QTest::newRow("through a symlink out") << QStringLiteral("linked-out/file") << false;
    QTest::newRow("through a symlink in") << QStringLiteral("linked-in/file") << true;
}

void TestSkeleton::safeChildPaths()
{
    QFETCH(QString, relative);
    QFETCH(bool, allowed);
    QTemporaryDir root;
    const QString base = root.filePath(QStringLiteral("workspace"));
    QVERIFY(QDir().mkpath(base + QStringLiteral("/inside")));
    QVERIFY(QFile::link(root.path(), base + QStringLiteral("/linked-out")));
    QVERIFY(QFile::link(base + QStringLiteral("/inside"), base + QStringLiteral("/linked-in")));
    const Result<QString> resolved = resolveSafeChildPath(base, relative);
    QCOMPARE(bool(resolved), allowed);
    if (!allowed) {
        QCOMPARE(resolved.error().name, QStringLiteral("NotAllowedError"));
        QCOMPARE(resolved.error().message, QStringLiteral("Relative path is not allowed to refer to a directory outside its parent"));
    }
}

void TestSkeleton::skeletonCannotWriteOutside()
{
    // A value that climbs out, in a file name: the step fails, nothing lands outside.
    QTemporaryDir root;
    const QString skeleton = root.filePath(QStringLiteral("skeleton"));
    const QString out = root.filePath(QStringLiteral("workspace"));
    QVERIFY(QDir().mkpath(out));
    writeFile(skeleton + QStringLiteral("/${{ values.name }}.txt"), "pwned\n");
    SkeletonOptions options;
    options.values = QJsonObject{{QStringLiteral("name"), QStringLiteral("../escaped")}};
    const Status status = renderSkeleton(skeleton, out, options);
    QVERIFY(!status);
    QCOMPARE(status.error().message, QStringLiteral("Relative path is not allowed to refer to a directory outside its parent"));
    QVERIFY(!QFileInfo::exists(root.filePath(QStringLiteral("escaped.txt"))));
    // A symlinked folder in the workspace pointing out is not written through.
    QVERIFY(QDir().mkpath(root.filePath(QStringLiteral("elsewhere"))));
    QVERIFY(QFile::link(root.filePath(QStringLiteral("elsewhere")), out + QStringLiteral("/docs")));
    QTemporaryDir skeleton2;
    writeFile(skeleton2.filePath(QStringLiteral("docs/index.md")), "x\n");
    const Status through = renderSkeleton(skeleton2.path(), out, {});
    QVERIFY(!through);
    QVERIFY(!QFileInfo::exists(root.filePath(QStringLiteral("elsewhere/index.md"))));
}

QTEST_GUILESS_MAIN(TestSkeleton)
#include "tst_skeleton.moc"
