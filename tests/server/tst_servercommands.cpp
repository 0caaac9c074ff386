// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <store/sqlitecatalogstore.h>
#include <testconfig.h>

#include <gitfixture.h>
#include <testfiles.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Greenroom;

using Greenroom::TestSupport::writeFile;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runServer(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(GREENROOM_SERVER_BINARY), arguments);
    if (!process.waitForFinished(120000))
        qFatal("greenroom-server did not finish");
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}


QByteArray component(int i)
{
    return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c" + QByteArray::number(i)
           + "\n  description: " + QByteArray(200, 'd') + "\nspec:\n  type: service\n  lifecycle: production\n  owner: team-"
           + QByteArray::number(i % 50) + "\n";
}

} // namespace

class TestServerCommands : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validateDemoIsClean();
    void validateReportsFileLineRefAndReason();
    void validateJson();
    void validateUsageErrors();
    void ingestKilledMidWriteLosesNothing();
    void exportRoundTripsThroughCatalogFiles();
    void exportUsageErrors();
    void templateRunPublishesAndKeepsTheWorkspace();
    void templateRunNamesBadAnswersAndFailedSteps();
};

void TestServerCommands::validateDemoIsClean()
{
    const Run run = runServer({QStringLiteral("validate"), QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith(QStringLiteral("valid: ")), qPrintable(run.out));
    QVERIFY(run.err.isEmpty());
}

void TestServerCommands::validateReportsFileLineRefAndReason()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("catalog-info.yaml"));
    writeFile(file, "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: -bad\nspec:\n  type: service\n"
                    "  lifecycle: production\n  owner: a\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\n"
                    "metadata:\n  name: g\nspec:\n  type: team\n");
    const Run run = runServer({QStringLiteral("validate"), file});
    QCOMPARE(run.exitCode, 1);
    const QStringList lines = run.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0], file + QStringLiteral(":4: component:default/-bad: \"metadata.name\" is not valid; expected a string "
                                              "that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 "
                                              "characters in total but found \"-bad\"."));
    QCOMPARE(lines[1], file + QStringLiteral(":14: group:default/g: /spec must have required property 'children' - "
                                              "missingProperty: children"));
    QVERIFY(run.out.startsWith(QStringLiteral("invalid: ")));
}

void TestServerCommands::validateJson()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("x.yaml"));
    writeFile(file, "kind: [unclosed\n");
    const Run run = runServer({QStringLiteral("validate"), QStringLiteral("--json"), file});
    QCOMPARE(run.exitCode, 1);
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(report[QStringLiteral("valid")].toBool(), false);
    const QJsonArray errors = report[QStringLiteral("errors")].toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0][QStringLiteral("file")].toString(), file);
    QVERIFY(errors[0][QStringLiteral("line")].toInt() >= 1);
    QVERIFY(errors[0][QStringLiteral("message")].toString().startsWith(QStringLiteral("YAML error at file:") + file));
}

void TestServerCommands::validateUsageErrors()
{
    QCOMPARE(runServer({QStringLiteral("validate")}).exitCode, 2);
    QCOMPARE(runServer({QStringLiteral("no-such-command")}).exitCode, 2);
    const Run missing = runServer({QStringLiteral("validate"), QStringLiteral("/nonexistent/catalog-info.yaml")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains(QStringLiteral("/nonexistent/catalog-info.yaml: no such catalog file")));
}

void TestServerCommands::exportRoundTripsThroughCatalogFiles()
{
    QTemporaryDir dir;
    const QString first = dir.filePath(QStringLiteral("first.sqlite"));
    QCOMPARE(runServer({QStringLiteral("ingest"), QStringLiteral("--db"), first,
                        QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml")}).exitCode, 0);
    // JSON: every stored entity as the API serves it.
    const Run json = runServer({QStringLiteral("export"), QStringLiteral("--db"), first, QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(json.exitCode, 0);
    const QJsonArray all = QJsonDocument::fromJson(json.out.toUtf8()).array();
    auto store = Store::SqliteCatalogStore::open(first);
    QCOMPARE(all.size(), store.value()->entityCount());
    QVERIFY(!all.first()[QLatin1String("metadata")][QLatin1String("uid")].toString().isEmpty());

    // YAML: catalog files that validate and, read again, give the same entities.
    const QString exported = dir.filePath(QStringLiteral("out/catalog.yaml"));
    QDir().mkpath(dir.filePath(QStringLiteral("out")));
    const Run yaml = runServer({QStringLiteral("export"), QStringLiteral("--db"), first, QStringLiteral("--format"), QStringLiteral("yaml"),
                                QStringLiteral("--output"), exported});
    QCOMPARE(yaml.exitCode, 0);
    QCOMPARE(runServer({QStringLiteral("validate"), exported}).exitCode, 0);
    const QString second = dir.filePath(QStringLiteral("second.sqlite"));
    QCOMPARE(runServer({QStringLiteral("ingest"), QStringLiteral("--db"), second, exported}).exitCode, 0);
    auto again = Store::SqliteCatalogStore::open(second);
    int compared = 0;
    for (const QJsonValue &value : all) {
        const QJsonObject original = value.toObject();
        if (original[QLatin1String("kind")].toString() == QLatin1String("Location"))
            continue;
        const QString ref = QStringLiteral("%1:%2/%3").arg(original[QLatin1String("kind")].toString().toLower(),
                                                           original[QLatin1String("metadata")][QLatin1String("namespace")].toString(),
                                                           original[QLatin1String("metadata")][QLatin1String("name")].toString().toLower());
        const std::optional<Store::StoredEntity> copy = again.value()->entityByRef(ref);
        QVERIFY2(copy, qPrintable(ref));
        QCOMPARE(copy->entity[QLatin1String("spec")], original[QLatin1String("spec")]);
        QCOMPARE(copy->entity[QLatin1String("metadata")][QLatin1String("description")],
                 original[QLatin1String("metadata")][QLatin1String("description")]);
        QCOMPARE(copy->entity[QLatin1String("relations")], original[QLatin1String("relations")]);
        ++compared;
    }
    QVERIFY(compared > 80);
}

void TestServerCommands::exportUsageErrors()
{
    QTemporaryDir dir;
    QCOMPARE(runServer({QStringLiteral("export"), QStringLiteral("--db"), dir.filePath(QStringLiteral("x.sqlite")),
                        QStringLiteral("--format"), QStringLiteral("xml")}).exitCode, 2);
    const Run missing = runServer({QStringLiteral("export"), QStringLiteral("--db"), dir.filePath(QStringLiteral("none.sqlite")),
                                   QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY(missing.exitCode != 0);
    QVERIFY(missing.err.contains(QStringLiteral("no store at")));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("none.sqlite"))));   // nothing created by looking
}

void TestServerCommands::ingestKilledMidWriteLosesNothing()
{
    QTemporaryDir dir;
    const QString database = dir.filePath(QStringLiteral("catalog.sqlite"));
    const QString small = dir.filePath(QStringLiteral("small/catalog-info.yaml"));
    writeFile(small, component(0));
    QCOMPARE(runServer({QStringLiteral("ingest"), QStringLiteral("--db"), database, small}).exitCode, 0);

    // A location big enough that its one write transaction takes a while.
    QByteArray big;
    for (int i = 1; i <= 30000; ++i)
        big += (i > 1 ? "---\n" : "") + component(i);
    const QString bigFile = dir.filePath(QStringLiteral("big/catalog-info.yaml"));
    writeFile(bigFile, big);

    int killedDuringWrite = 0;
    for (int attempt = 0; attempt < 3 && killedDuringWrite == 0; ++attempt) {
        QProcess process;
        process.start(QStringLiteral(GREENROOM_SERVER_BINARY), {QStringLiteral("ingest"), QStringLiteral("--db"), database, bigFile});
        QVERIFY(process.waitForStarted());
        // Wait until the writer holds the WAL (the transaction is under way), then kill it.
        const QString wal = database + QStringLiteral("-wal");
        const qint64 walBefore = QFileInfo(wal).size();
        for (int i = 0; i < 600 && process.state() == QProcess::Running; ++i) {
            if (QFileInfo(wal).size() > walBefore + 4 * 1024 * 1024)
                break;
            QTest::qWait(50);
        }
        if (process.state() == QProcess::Running) {
            ::kill(pid_t(process.processId()), SIGKILL);
            process.waitForFinished();
            ++killedDuringWrite;
        }
    }
    QVERIFY2(killedDuringWrite > 0, "the ingest finished before it could be killed");

    // The store opens, holds exactly what was committed before, and takes the write again.
    auto store = Store::SqliteCatalogStore::open(database);
    QVERIFY2(store, store ? "" : qPrintable(store.error().message));
    QCOMPARE(store.value()->entityCount(), 2);   // the small location and its entity
    QVERIFY(store.value()->entityByRef(QStringLiteral("component:default/c0")));
    store.value().reset();
    const Run retry = runServer({QStringLiteral("ingest"), QStringLiteral("--db"), database, bigFile});
    QCOMPARE(retry.exitCode, 0);
    auto reopened = Store::SqliteCatalogStore::open(database);
    QCOMPARE(reopened.value()->entityCount(), 2 + 1 + 30000);
}

void TestServerCommands::templateRunPublishesAndKeepsTheWorkspace()
{
    QTemporaryDir dir;
    TestSupport::GitFixture remote(dir.filePath(QStringLiteral("web.git")));
    // The demo golden path's skeleton, published with publish:git to a local bare repository.
    const QString demo = QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/templates/spring-boot-microservice");
    // A copy: a symlink out of the template's folder would be refused, as in Backstage.
    QDirIterator files(demo + QStringLiteral("/skeleton"), QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString file = files.next();
        QFile source(file);
        QVERIFY(source.open(QIODevice::ReadOnly));
        writeFile(dir.filePath(QStringLiteral("template/skeleton/") + QDir(demo + QStringLiteral("/skeleton")).relativeFilePath(file)), source.readAll());
    }
    writeFile(dir.filePath(QStringLiteral("template/template.yaml")),
              "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: local-service}\nspec:\n  type: service\n"
              "  parameters:\n    required: [name, remote]\n    properties:\n      name: {type: string, pattern: '^[a-z-]+$'}\n"
              "      remote: {type: string}\n      javaVersion: {type: string, default: '21'}\n"
              "  steps:\n    - id: fetch\n      name: Render\n      action: fetch:template\n      input:\n        url: ./skeleton\n"
              "        values: {name: '${{ parameters.name }}', description: A service, owner: team-a, javaVersion: '${{ parameters.javaVersion }}'}\n"
              "    - id: publish\n      name: Publish\n      action: publish:git\n      input: {remoteUrl: '${{ parameters.remote }}', token: '${{ secrets.token }}'}\n"
              "  output:\n    links: [{title: Repository, url: '${{ steps.publish.output.remoteUrl }}'}]\n");
    writeFile(dir.filePath(QStringLiteral("answers.yaml")), "name: web\nremote: " + remote.path().toUtf8() + "\n");
    writeFile(dir.filePath(QStringLiteral("secrets.yaml")), "token: hunter2-secret\n");
    const QString kept = dir.filePath(QStringLiteral("kept"));
    const Run run = runServer({QStringLiteral("template"), QStringLiteral("run"), dir.filePath(QStringLiteral("template/template.yaml")),
                               QStringLiteral("--values"), dir.filePath(QStringLiteral("answers.yaml")), QStringLiteral("--secrets"),
                               dir.filePath(QStringLiteral("secrets.yaml")), QStringLiteral("--output"), kept});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY(run.out.contains(QLatin1String("[fetch] Beginning step Render")));
    QVERIFY(run.out.contains(QLatin1String("[publish] Finished step Publish")));
    QVERIFY(run.out.contains(QStringLiteral("Link: Repository - ") + remote.path()));
    QVERIFY(!run.out.contains(QLatin1String("hunter2-secret")));
    const TestSupport::GitFixture::Snapshot pushed = remote.snapshot();
    QVERIFY(pushed.files.value(QStringLiteral("pom.xml")).contains("<artifactId>web</artifactId>"));
    QVERIFY(pushed.files.value(QStringLiteral("pom.xml")).contains("<java.version>21</java.version>"));   // the default
    QVERIFY(QFile::exists(kept + QStringLiteral("/catalog-info.yaml")));
    QVERIFY(QFile::exists(kept + QStringLiteral("/.git")));

    // A dry run lists the files and pushes nothing.
    TestSupport::GitFixture fresh(dir.filePath(QStringLiteral("fresh.git")));
    writeFile(dir.filePath(QStringLiteral("answers2.yaml")), "name: api\nremote: " + fresh.path().toUtf8() + "\n");
    const Run dry = runServer({QStringLiteral("template"), QStringLiteral("run"), dir.filePath(QStringLiteral("template/template.yaml")),
                               QStringLiteral("--values"), dir.filePath(QStringLiteral("answers2.yaml")), QStringLiteral("--dry-run")});
    QVERIFY2(dry.exitCode == 0, qPrintable(dry.out + dry.err));
    QVERIFY(dry.out.contains(QLatin1String("Skipping because publish:git does not support dry-run")));
    QVERIFY(dry.out.contains(QLatin1String("Dry run: the task would create 5 files:")));
    QVERIFY(dry.out.contains(QLatin1String("  src/main/java/com/northwind/app/Application.java")));
    QVERIFY(fresh.snapshot().commit.isEmpty());
}

void TestServerCommands::templateRunNamesBadAnswersAndFailedSteps()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("template.yaml")),
              "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec:\n  type: x\n"
              "  parameters:\n    - title: One\n      required: [name]\n      properties:\n        name: {type: string, minLength: 3}\n"
              "  steps:\n    - id: first\n      action: debug:log\n      input: {message: hello}\n"
              "    - id: broken\n      name: Move things\n      action: fs:rename\n      input: {files: [{from: missing.txt, to: x.txt}]}\n");
    writeFile(dir.filePath(QStringLiteral("short.yaml")), "name: ab\n");
    const Run invalid = runServer({QStringLiteral("template"), QStringLiteral("run"), dir.filePath(QStringLiteral("template.yaml")),
                                   QStringLiteral("--values"), dir.filePath(QStringLiteral("short.yaml"))});
    QCOMPARE(invalid.exitCode, 1);
    QVERIFY2(invalid.err.contains(dir.filePath(QStringLiteral("short.yaml")) + QStringLiteral(": name does not meet minimum length of 3")), qPrintable(invalid.err));
    QVERIFY(!invalid.out.contains(QLatin1String("Starting up task")));

    writeFile(dir.filePath(QStringLiteral("good.yaml")), "name: abc\n");
    const Run failed = runServer({QStringLiteral("template"), QStringLiteral("run"), dir.filePath(QStringLiteral("template.yaml")),
                                  QStringLiteral("--values"), dir.filePath(QStringLiteral("good.yaml"))});
    QCOMPARE(failed.exitCode, 1);
    QVERIFY(failed.out.contains(QLatin1String("[first] hello")));
    QVERIFY2(failed.err.contains(QLatin1String("ERROR - task failed: File missing.txt does not exist in the workspace")), qPrintable(failed.err));
    QVERIFY(failed.out.contains(QLatin1String("[broken] File missing.txt does not exist in the workspace")));

    // Malformed YAML names the file and line; a usage error is 2.
    writeFile(dir.filePath(QStringLiteral("broken.yaml")), "name: [unclosed\n");
    const Run malformed = runServer({QStringLiteral("template"), QStringLiteral("run"), dir.filePath(QStringLiteral("template.yaml")),
                                     QStringLiteral("--values"), dir.filePath(QStringLiteral("broken.yaml"))});
    QCOMPARE(malformed.exitCode, 1);
    QVERIFY2(malformed.err.contains(dir.filePath(QStringLiteral("broken.yaml")) + QStringLiteral(":")), qPrintable(malformed.err));
    QCOMPARE(runServer({QStringLiteral("template"), QStringLiteral("run")}).exitCode, 2);
}

QTEST_GUILESS_MAIN(TestServerCommands)
#include "tst_servercommands.moc"
