// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The task runner with the built-in workspace actions: the event log in
// Backstage's words, step `if` and `each`, typed inputs, outputs, secrets
// masked, input validation, the first failure ending the task, path escape
// attempts, cancellation, and dry runs.
#include <gitfixture.h>
#include <testfiles.h>

#include <scaffold/taskbroker.h>
#include <scaffold/taskrunner.h>
#include <scaffold/workspacepath.h>
#include <store/sqlitecatalogstore.h>
#include <yaml/yamlreader.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace Greenroom;
using namespace Greenroom::Scaffold;
using TestSupport::writeFile;

class TestTaskRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runsStepsWithTheirLog();
    void eachAndOutputs();
    void firstFailureEndsTheTask();
    void cleanupStepsRunAfterAFailure();
    void invalidInputNamesTheAction();
    void workspaceTemplatesAndReaddir();
    void escapesAreRefused_data();
    void escapesAreRefused();
    void linksAreNeverWrittenThrough();
    void dryRunNeverReadsThroughLinks();
    void cancelStopsAWait();
    void dryRunSkipsWhatHasSideEffects();
    void publishesToAGitRemote();
    void defaultEnvironmentIsSeenAndMasked();
    void derivedSecretsAreMaskedToo();
    void brokerRetriesAsSoonAsTheEndIsStored();

private:
    struct Run
    {
        TaskResult result;
        QList<TaskEvent> events;
        QStringList messages() const
        {
            QStringList out;
            for (const TaskEvent &event : events)
                out.append(event.message);
            return out;
        }
    };
    Run run(const QByteArray &templateYaml, const QJsonObject &parameters, TaskOptions options = {}, const QJsonObject &secrets = {});
    // A template of `steps` on the folder `templateDir`, and the options to run it with (its workspace kept).
    std::pair<TaskSpec, TaskOptions> task(const QString &templateDir, const QByteArray &steps, bool dryRun = false) const
    {
        TaskSpec spec;
        spec.templateEntity = Yaml::YamlReader::read("kind: Template\nmetadata: {name: t}\nspec:\n  steps:\n" + steps, QStringLiteral("template.yaml"))
                                  .documents.value(0).value.toObject();
        spec.templateDir = templateDir;
        spec.taskId = QStringLiteral("task-in-") + QFileInfo(templateDir).fileName();
        TaskOptions options;
        options.workingDirectory = m_work.path();
        options.dryRun = dryRun;
        options.keepWorkspace = true;
        return {spec, options};
    }
    static QString read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    QTemporaryDir m_templateDir;
    QTemporaryDir m_work;
    ActionRegistry m_actions = ActionRegistry::builtin();
};

void TestTaskRunner::initTestCase()
{
    writeFile(m_templateDir.filePath(QStringLiteral("skeleton/README.md")), "# ${{ values.name }}\n\nOwned by ${{ values.owner }}.\n");
    writeFile(m_templateDir.filePath(QStringLiteral("skeleton/src/${{ values.name }}.txt")), "${{ values.name | upper }}\n");
    writeFile(m_templateDir.filePath(QStringLiteral("skeleton/tmp/scratch.txt")), "scratch\n");
    writeFile(m_templateDir.filePath(QStringLiteral("LICENSE")), "MIT\n");
}

TestTaskRunner::Run TestTaskRunner::run(const QByteArray &templateYaml, const QJsonObject &parameters, TaskOptions options, const QJsonObject &secrets)
{
    Run out;
    TaskSpec spec;
    spec.templateEntity = Yaml::YamlReader::read(templateYaml, QStringLiteral("template.yaml")).documents.value(0).value.toObject();
    spec.templateDir = m_templateDir.path();
    spec.parameters = parameters;
    spec.secrets = secrets;
    spec.taskId = QStringLiteral("task-1");
    spec.user = QJsonObject{{QStringLiteral("ref"), QStringLiteral("user:default/jdoe")}};
    if (options.workingDirectory.isEmpty())
        options.workingDirectory = m_work.path();
    options.keepWorkspace = true;
    TaskRunner runner(m_actions, spec, options);
    runner.setEventSink([&out](const TaskEvent &event) { out.events.append(event); });
    out.result = runner.run();
    return out;
}

void TestTaskRunner::runsStepsWithTheirLog()
{
    const QByteArray yaml = R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: service}
spec:
  type: service
  steps:
    - id: fetch
      name: Render the skeleton
      action: fetch:template
      input:
        url: ./skeleton
        values: {name: '${{ parameters.name }}', owner: '${{ parameters.owner }}'}
    - id: license
      action: fetch:plain:file
      input: {url: ./LICENSE, targetPath: LICENSE}
    - id: tidy
      action: fs:delete
      input: {files: [tmp]}
    - id: move
      action: fs:rename
      input:
        files: [{from: README.md, to: docs/index.md}]
    - id: never
      action: debug:log
      if: ${{ parameters.verbose }}
      input: {message: not shown}
    - id: say
      action: debug:log
      input: {message: 'token is ${{ secrets.token }} for ${{ user.ref }}'}
    - id: entity
      action: catalog:write
      input:
        entity:
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata: {name: '${{ parameters.name }}'}
          spec: {type: service, owner: '${{ parameters.owner }}', lifecycle: experimental}
  output:
    links:
      - {title: Repository, url: 'https://example.com/${{ parameters.name }}'}
      - {title: Hidden, url: x, if: '${{ parameters.verbose }}'}
    text:
      - {title: Done, content: 'Created ${{ parameters.name }}'}
)";
    const Run r = run(yaml, QJsonObject{{QStringLiteral("name"), QStringLiteral("payments")}, {QStringLiteral("owner"), QStringLiteral("team-a")},
                                        {QStringLiteral("verbose"), false}},
                      {}, QJsonObject{{QStringLiteral("token"), QStringLiteral("s3cr3t-value")}});
    QCOMPARE(r.result.status, QStringLiteral("completed"));
    const QStringList messages = r.messages();
    QCOMPARE(messages.first(), QStringLiteral("Starting up task with 7 steps"));
    QVERIFY(messages.contains(QStringLiteral("Beginning step Render the skeleton")));
    QVERIFY(messages.contains(QStringLiteral("Finished step Render the skeleton")));
    QVERIFY(messages.contains(QStringLiteral("Beginning step fetch:plain:file")));   // name defaults to the action
    QVERIFY(messages.contains(QStringLiteral("Skipping step never because its if condition was false")));
    QVERIFY(!messages.contains(QStringLiteral("not shown")));
    // Secrets never reach the log; as in 4.3, an input that renders differently
    // without secrets is masked whole.
    QVERIFY(messages.contains(QStringLiteral("***")));
    QVERIFY(!messages.join(QLatin1Char('\n')).contains(QLatin1String("token is")));
    QVERIFY(!messages.join(QLatin1Char('\n')).contains(QLatin1String("s3cr3t-value")));
    QCOMPARE(messages.last(), QStringLiteral("Run completed with status: completed"));
    QCOMPARE(r.events.last().type, TaskEvent::Type::Completion);
    // Step states as Backstage marks them.
    int skipped = 0;
    for (const TaskEvent &event : r.events)
        skipped += event.status == QLatin1String("skipped") && event.stepId == QLatin1String("never");
    QCOMPARE(skipped, 1);

    // The workspace.
    const QDir workspace(r.result.workspace);
    QCOMPARE(r.result.files, (QStringList{QStringLiteral("LICENSE"), QStringLiteral("catalog-info.yaml"), QStringLiteral("docs/index.md"),
                                          QStringLiteral("src/payments.txt")}));
    QCOMPARE(read(workspace.filePath(QStringLiteral("docs/index.md"))), QStringLiteral("# payments\n\nOwned by team-a.\n"));
    QCOMPARE(read(workspace.filePath(QStringLiteral("src/payments.txt"))), QStringLiteral("PAYMENTS\n"));
    const QString catalogInfo = read(workspace.filePath(QStringLiteral("catalog-info.yaml")));
    QVERIFY2(catalogInfo.contains(QLatin1String("backstage.io/source-template: template:default/service")), qPrintable(catalogInfo));
    QVERIFY(catalogInfo.contains(QLatin1String("name: payments")));
    // The output, with the hidden link gone.
    QCOMPARE(r.result.output.value(QLatin1String("links")).toArray().size(), 1);
    QCOMPARE(r.result.output[QLatin1String("links")][0][QLatin1String("url")].toString(), QStringLiteral("https://example.com/payments"));
    QCOMPARE(r.result.output[QLatin1String("text")][0][QLatin1String("content")].toString(), QStringLiteral("Created payments"));
    QDir(r.result.workspace).removeRecursively();
}

void TestTaskRunner::eachAndOutputs()
{
    const QByteArray yaml = R"(kind: Template
metadata: {name: many}
spec:
  steps:
    - id: files
      action: catalog:write
      each: ${{ parameters.services }}
      if: ${{ each.value != 'skip-me' }}
      input:
        filePath: 'services/${{ each.key }}-${{ each.value }}.yaml'
        entity: {kind: Component, metadata: {name: '${{ each.value }}'}}
    - id: later
      action: debug:log
      if: ${{ parameters.none }}
      input: {message: x}
  output:
    count: '${{ parameters.services | length }}'
    typed: '${{ parameters.services }}'
)";
    const Run r = run(yaml, QJsonObject{{QStringLiteral("services"), QJsonArray{QStringLiteral("a"), QStringLiteral("skip-me"), QStringLiteral("c")}},
                                        {QStringLiteral("none"), QJsonArray{}}});
    QCOMPARE(r.result.status, QStringLiteral("completed"));
    QCOMPARE(r.result.files, (QStringList{QStringLiteral("services/0-a.yaml"), QStringLiteral("services/2-c.yaml")}));
    // An empty array is a false `if`.
    QVERIFY(r.messages().contains(QStringLiteral("Skipping step later because its if condition was false")));
    // Output keeps the JSON types of lone expressions.
    QCOMPARE(r.result.output.value(QLatin1String("count")), QJsonValue(3));
    QCOMPARE(r.result.output.value(QLatin1String("typed")).toArray().size(), 3);

    const Run bad = run("kind: Template\nmetadata: {name: x}\nspec:\n  steps:\n    - action: debug:log\n      each: ${{ parameters.nothing }}\n", {});
    QCOMPARE(bad.result.status, QStringLiteral("failed"));
    QCOMPARE(bad.result.error->message, QStringLiteral("Invalid value on action debug:log.each parameter, \"${{ parameters.nothing }}\" cannot be resolved to a value"));
    QDir(r.result.workspace).removeRecursively();
    QDir(bad.result.workspace).removeRecursively();
}

void TestTaskRunner::firstFailureEndsTheTask()
{
    const QByteArray yaml = R"(kind: Template
metadata: {name: failing}
spec:
  steps:
    - id: one
      action: fetch:plain
      input: {url: ./skeleton}
    - id: two
      action: publish:nowhere
      input: {}
    - id: three
      action: debug:log
      input: {message: never}
)";
    const Run r = run(yaml, {});
    QCOMPARE(r.result.status, QStringLiteral("failed"));
    QCOMPARE(r.result.error->name, QStringLiteral("NotFoundError"));
    QCOMPARE(r.result.error->message, QStringLiteral("Template action with ID 'publish:nowhere' is not registered."));
    QVERIFY(!r.messages().contains(QStringLiteral("never")));
    QVERIFY(!r.messages().contains(QStringLiteral("Beginning step debug:log")));
    QCOMPARE(r.messages().last(), QStringLiteral("Run completed with status: failed"));
    QCOMPARE(r.events.last().error->message, r.result.error->message);
    // What the first step did is still there.
    QVERIFY(r.result.files.contains(QStringLiteral("README.md")));

    // A skeleton error names the file and line.
    writeFile(m_templateDir.filePath(QStringLiteral("broken/app.yaml")), "a: 1\nb: ${{ values.x | nosuch }}\n");
    const Run broken = run("kind: Template\nmetadata: {name: b}\nspec:\n  steps:\n    - action: fetch:template\n      input: {url: ./broken}\n", {});
    QCOMPARE(broken.result.status, QStringLiteral("failed"));
    QCOMPARE(broken.result.error->toString(), QStringLiteral("broken/app.yaml:2:19: filter not found: nosuch"));
    QDir(r.result.workspace).removeRecursively();
    QDir(broken.result.workspace).removeRecursively();
}

void TestTaskRunner::cleanupStepsRunAfterAFailure()
{
    // Backstage 4.x: later steps are skipped unless their `if` calls
    // always() or failure(); the task fails with the first error.
    const QByteArray yaml = R"(kind: Template
metadata: {name: cleanup}
spec:
  steps:
    - {id: broken, action: publish:nowhere}
    - {id: plain, action: debug:log, input: {message: plain ran}}
    - {id: unrelated, if: '${{ parameters.yes }}', action: debug:log, input: {message: unrelated ran}}
    - {id: onFailure, if: '${{ failure() }}', action: debug:log, input: {message: 'cleanup ran, broken step output: ${{ steps.broken.output.remoteUrl or "none" }}'}}
    - {id: notAlways, if: '${{ always() and parameters.no }}', action: debug:log, input: {message: notAlways ran}}
    - {id: alsoBroken, if: '${{ always() }}', action: debug:log, input: {listWorkspace: 7}}
    - {id: last, if: '${{ always() }}', action: debug:log, input: {message: last ran}}
  output:
    text: [{title: never, content: '${{ parameters.yes }}'}]
)";
    const Run r = run(yaml, {{QStringLiteral("yes"), true}, {QStringLiteral("no"), false}});
    QCOMPARE(r.result.status, QStringLiteral("failed"));
    QCOMPARE(r.result.error->message, QStringLiteral("Template action with ID 'publish:nowhere' is not registered."));
    const QStringList messages = r.messages();
    QVERIFY(messages.contains(QStringLiteral("Skipping step plain because a previous step failed")));
    QVERIFY(messages.contains(QStringLiteral("Skipping step unrelated because a previous step failed")));
    QVERIFY(!messages.contains(QStringLiteral("plain ran")));
    QVERIFY2(messages.contains(QStringLiteral("cleanup ran, broken step output: none")), qPrintable(messages.join(QLatin1Char('|'))));   // a failed step has no outputs
    QVERIFY(messages.contains(QStringLiteral("Skipping step notAlways because its if condition was false")));
    QVERIFY(messages.contains(QStringLiteral("last ran")));
    // A second failure is logged as an additional one; the task keeps the first.
    QVERIFY2(messages.contains(QStringLiteral("Additional error occurred: Invalid input passed to action debug:log, instance.listWorkspace is not one of "
                                              "enum values: true,false,with-filenames,with-contents, instance.listWorkspace is not of a type(s) boolean,string")),
             qPrintable(messages.join(QLatin1Char('\n'))));
    QCOMPARE(r.events.last().stepId, QStringLiteral("broken"));
    QVERIFY(r.result.output.isEmpty());   // output is rendered only when every step succeeded
    QStringList statuses;
    for (const TaskEvent &event : r.events) {
        if (!event.status.isEmpty())
            statuses.append(event.stepId + QLatin1Char('=') + event.status);
    }
    // As 4.3 marks them: a step begins before its action is looked up and
    // its `if` judged; only the steps skipped for the failure never begin.
    QCOMPARE(statuses, (QStringList{QStringLiteral("broken=processing"), QStringLiteral("broken=failed"), QStringLiteral("plain=skipped"),
                                    QStringLiteral("unrelated=skipped"), QStringLiteral("onFailure=processing"), QStringLiteral("onFailure=completed"),
                                    QStringLiteral("notAlways=processing"), QStringLiteral("notAlways=skipped"), QStringLiteral("alsoBroken=processing"),
                                    QStringLiteral("alsoBroken=failed"), QStringLiteral("alsoBroken=failed"), QStringLiteral("last=processing"),
                                    QStringLiteral("last=completed")}));

    // Without a failure, failure() is false and always() true.
    const Run fine = run(R"(kind: Template
metadata: {name: fine}
spec:
  steps:
    - {id: onFailure, if: '${{ failure() }}', action: debug:log, input: {message: cleanup ran}}
    - {id: always, if: '${{ always() }}', action: debug:log, input: {message: always ran}}
)", {});
    QCOMPARE(fine.result.status, QStringLiteral("completed"));
    QVERIFY(fine.messages().contains(QStringLiteral("Skipping step onFailure because its if condition was false")));
    QVERIFY(fine.messages().contains(QStringLiteral("always ran")));
    QDir(r.result.workspace).removeRecursively();
    QDir(fine.result.workspace).removeRecursively();
}

void TestTaskRunner::invalidInputNamesTheAction()
{
    const Run r = run("kind: Template\nmetadata: {name: x}\nspec:\n  steps:\n    - action: fetch:template\n      input: {targetPath: 42, values: '${{ parameters.list }}'}\n",
                      QJsonObject{{QStringLiteral("list"), QJsonArray{1}}});
    QCOMPARE(r.result.status, QStringLiteral("failed"));
    QCOMPARE(r.result.error->name, QStringLiteral("InputError"));
    QCOMPARE(r.result.error->message, QStringLiteral("Invalid input passed to action fetch:template, instance requires property \"url\", "
                                                     "instance.targetPath is not of a type(s) string, instance.values is not of a type(s) object"));
    QDir(r.result.workspace).removeRecursively();
}

void TestTaskRunner::workspaceTemplatesAndReaddir()
{
    // A skeleton fetched plain, then rendered from the workspace (4.x's workspace:template[:file]), then listed.
    const Run r = run(R"(kind: Template
metadata: {name: staged}
spec:
  steps:
    - {id: stage, action: fetch:plain, input: {url: ./skeleton, targetPath: staged}}
    - id: render
      action: workspace:template
      input: {sourcePath: staged, targetPath: out, values: {name: '${{ parameters.name }}', owner: team-a}, copyWithoutTemplating: [tmp/**]}
    - id: one
      action: workspace:template:file
      input: {sourcePath: staged/README.md, targetPath: out/docs/index.md, values: {name: single, owner: team-b}}
    - {id: keep, action: workspace:template:file, input: {sourcePath: staged/README.md, targetPath: out/docs/index.md, values: {name: again}}}
)", QJsonObject{{QStringLiteral("name"), QStringLiteral("billing")}});
    QVERIFY2(r.result.status == QLatin1String("completed"), qPrintable(r.messages().join(QLatin1Char('\n'))));
    const QString out = QDir(r.result.workspace).filePath(QStringLiteral("out"));
    QCOMPARE(read(out + QStringLiteral("/README.md")), QStringLiteral("# billing\n\nOwned by team-a.\n"));
    QCOMPARE(read(out + QStringLiteral("/src/billing.txt")), QStringLiteral("BILLING\n"));
    QCOMPARE(read(out + QStringLiteral("/docs/index.md")), QStringLiteral("# single\n\nOwned by team-b.\n"));   // not replaced by `keep`
    QVERIFY(r.messages().contains(QStringLiteral("File out/docs/index.md already exists in workspace, not replacing.")));
    QVERIFY(r.messages().contains(QStringLiteral("Template file has been written to out/docs/index.md")));
    QVERIFY(r.messages().contains(QStringLiteral("Template result written to out")));

    const auto names = [](const QJsonValue &list) {
        QStringList paths;
        for (const QJsonValue &entry : list.toArray())
            paths.append(entry[QLatin1String("path")].toString());
        return paths;
    };
    // fs:readdir's outputs, read back through the template's output.
    const Run listed = run(R"(kind: Template
metadata: {name: listed}
spec:
  steps:
    - {id: stage, action: fetch:plain, input: {url: ./skeleton}}
    - {id: top, action: fs:readdir, input: {paths: ['.']}}
    - {id: all, action: fs:readdir, input: {paths: [src, tmp], recursive: true}}
  output:
    top: '${{ steps.top.output }}'
    all: '${{ steps.all.output }}'
)", {});
    QCOMPARE(listed.result.status, QStringLiteral("completed"));
    const QJsonObject top = listed.result.output.value(QLatin1String("top")).toObject();
    QCOMPARE(names(top.value(QLatin1String("files"))), QStringList{QStringLiteral("README.md")});
    QCOMPARE(names(top.value(QLatin1String("folders"))), (QStringList{QStringLiteral("src"), QStringLiteral("tmp")}));
    QCOMPARE(top.value(QLatin1String("folders"))[0][QLatin1String("name")].toString(), QStringLiteral("src"));
    QVERIFY(top.value(QLatin1String("folders"))[0][QLatin1String("fullPath")].toString().endsWith(QLatin1String("/src")));
    const QJsonObject all = listed.result.output.value(QLatin1String("all")).toObject();
    QCOMPARE(names(all.value(QLatin1String("files"))), (QStringList{QStringLiteral("src/${{ values.name }}.txt"), QStringLiteral("tmp/scratch.txt")}));

    // As 4.3 declares workspace:template, copyWithoutTemplating is required; a source inside the target is refused.
    const Run missing = run("kind: Template\nmetadata: {name: x}\nspec:\n  steps:\n    - {action: workspace:template, input: {sourcePath: a, targetPath: b}}\n", {});
    QCOMPARE(missing.result.error->message,
             QStringLiteral("Invalid input passed to action workspace:template, instance requires property \"copyWithoutTemplating\""));
    const Run inside = run("kind: Template\nmetadata: {name: x}\nspec:\n  steps:\n    - {action: fetch:plain, input: {url: ./skeleton, targetPath: s}}\n"
                           "    - {action: workspace:template, input: {sourcePath: s, targetPath: s/out, copyWithoutTemplating: []}}\n", {});
    QCOMPARE(inside.result.error->message, QStringLiteral("targetPath must not be within template path"));
    for (const Run *done : {&r, &listed, &missing, &inside})
        QDir(done->result.workspace).removeRecursively();
}

void TestTaskRunner::escapesAreRefused_data()
{
    QTest::addColumn<QByteArray>("step");
    QTest::newRow("fetch url out of the template") << QByteArray("action: fetch:plain\n      input: {url: ../../etc}");
    QTest::newRow("fetch target out of the workspace") << QByteArray("action: fetch:plain\n      input: {url: ./skeleton, targetPath: ../../escaped}");
    QTest::newRow("template target absolute") << QByteArray("action: fetch:template\n      input: {url: ./skeleton, targetPath: /tmp/escaped}");
    QTest::newRow("rename to outside") << QByteArray("action: fs:rename\n      input: {files: [{from: x, to: ../escaped}]}");
    QTest::newRow("delete outside") << QByteArray("action: fs:delete\n      input: {files: ['../*']}");
    QTest::newRow("catalog file outside") << QByteArray("action: catalog:write\n      input: {filePath: ../../escaped.yaml, entity: {kind: X}}");
    QTest::newRow("file name from a value") << QByteArray("action: fetch:template:file\n      input: {url: ./LICENSE, targetPath: '${{ parameters.evil }}'}");
    QTest::newRow("workspace template from outside") << QByteArray("action: workspace:template\n      input: {sourcePath: ../.., targetPath: out, copyWithoutTemplating: []}");
    QTest::newRow("workspace file to outside") << QByteArray("action: workspace:template:file\n      input: {sourcePath: x, targetPath: ../escaped}");
    QTest::newRow("readdir outside") << QByteArray("action: fs:readdir\n      input: {paths: [../..]}");
}

void TestTaskRunner::escapesAreRefused()
{
    QFETCH(QByteArray, step);
    QTemporaryDir work;
    TaskOptions options;
    options.workingDirectory = work.path();
    const Run r = run("kind: Template\nmetadata: {name: x}\nspec:\n  steps:\n    - " + step + "\n",
                      QJsonObject{{QStringLiteral("evil"), QStringLiteral("../../escaped")}}, options);
    QCOMPARE(r.result.status, QStringLiteral("failed"));
    QCOMPARE(r.result.error->name, QStringLiteral("NotAllowedError"));
    QCOMPARE(r.result.error->message, QStringLiteral("Relative path is not allowed to refer to a directory outside its parent"));
    QVERIFY(!QFileInfo::exists(work.filePath(QStringLiteral("escaped"))));
    QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/escaped")));
    QDir(r.result.workspace).removeRecursively();
}

void TestTaskRunner::linksAreNeverWrittenThrough()
{
    // A skeleton may hold a link that leads out of the workspace (fetch:template keeps links);
    // a later fetch:plain must not write through it, nor through a link at a file's own place.
    QTemporaryDir outside;
    QTemporaryDir templateDir;
    writeFile(templateDir.filePath(QStringLiteral("linker/placeholder.txt")), "kept\n");
    QVERIFY(QFile::link(outside.path(), templateDir.filePath(QStringLiteral("linker/escape"))));
    QVERIFY(QFile::link(outside.filePath(QStringLiteral("victim.txt")), templateDir.filePath(QStringLiteral("linker/victim.txt"))));
    writeFile(templateDir.filePath(QStringLiteral("planted/escape/planted.txt")), "planted\n");
    writeFile(templateDir.filePath(QStringLiteral("overwrite/victim.txt")), "replaced\n");
    writeFile(templateDir.filePath(QStringLiteral("relative/v1/notes.txt")), "v1\n");
    QVERIFY(QFile::link(QStringLiteral("v1"), templateDir.filePath(QStringLiteral("relative/current"))));
    writeFile(outside.filePath(QStringLiteral("victim.txt")), "original\n");

    const auto runIn = [&](const QByteArray &steps) {
        const auto [spec, options] = task(templateDir.path(), steps);
        TaskRunner runner(m_actions, spec, options);
        return runner.run();
    };
    const TaskResult through = runIn("    - {action: fetch:template, input: {url: ./linker}}\n"
                                     "    - {action: fetch:plain, input: {url: ./planted}}\n");
    QCOMPARE(through.status, QStringLiteral("failed"));
    QCOMPARE(through.error->name, QStringLiteral("NotAllowedError"));
    QVERIFY(!QFileInfo::exists(outside.filePath(QStringLiteral("planted.txt"))));
    QDir(through.workspace).removeRecursively();

    // A link at the file's own place is replaced by the file: the link's target is untouched.
    const TaskResult replaced = runIn("    - {action: fetch:template, input: {url: ./linker}}\n"
                                      "    - {action: fetch:plain, input: {url: ./overwrite}}\n");
    QCOMPARE(replaced.status, QStringLiteral("completed"));
    QCOMPARE(read(outside.filePath(QStringLiteral("victim.txt"))), QStringLiteral("original\n"));
    QVERIFY(!QFileInfo(QDir(replaced.workspace).filePath(QStringLiteral("victim.txt"))).isSymLink());
    QCOMPARE(read(QDir(replaced.workspace).filePath(QStringLiteral("victim.txt"))), QStringLiteral("replaced\n"));
    QDir(replaced.workspace).removeRecursively();

    // A relative link stays relative (it pointed into the template's folder when made absolute).
    const TaskResult relative = runIn("    - {action: fetch:plain, input: {url: ./relative, targetPath: out}}\n");
    QCOMPARE(relative.status, QStringLiteral("completed"));
    const QString link = QDir(relative.workspace).filePath(QStringLiteral("out/current"));
    QCOMPARE(QFileInfo(link).symLinkTarget(), QDir(relative.workspace).filePath(QStringLiteral("out/v1")));
    QCOMPARE(symLinkText(link), QStringLiteral("v1"));
    QDir(relative.workspace).removeRecursively();
}

void TestTaskRunner::dryRunNeverReadsThroughLinks()
{
    // A skeleton's link to a secret outside the workspace must not hand the secret out in the dry run's files.
    QTemporaryDir outside;
    writeFile(outside.filePath(QStringLiteral("id_rsa")), "PRIVATE KEY\n");
    QTemporaryDir templateDir;
    writeFile(templateDir.filePath(QStringLiteral("skeleton/README.md")), "# ${{ values.name }}\n");
    QVERIFY(QFile::link(outside.filePath(QStringLiteral("id_rsa")), templateDir.filePath(QStringLiteral("skeleton/key"))));
    QVERIFY(QFile::link(QStringLiteral("README.md"), templateDir.filePath(QStringLiteral("skeleton/readme-link"))));
    QVERIFY(QFile::link(QStringLiteral("nowhere.txt"), templateDir.filePath(QStringLiteral("skeleton/broken"))));
    const auto [spec, options] = task(templateDir.path(), "    - {action: fetch:template, input: {url: ./skeleton, values: {name: dry}}}\n", true);
    TaskRunner runner(m_actions, spec, options);
    const QJsonObject answer = runDryRun(runner, spec.templateEntity);
    QMap<QString, QByteArray> files;
    for (const QJsonValue &file : answer.value(QLatin1String("directoryContents")).toArray())
        files.insert(file[QLatin1String("path")].toString(), QByteArray::fromBase64(file[QLatin1String("base64Content")].toString().toLatin1()));
    // Links that resolve are left out; a broken one carries its own text, as Backstage's dry run does.
    QCOMPARE(files.keys(), (QStringList{QStringLiteral("README.md"), QStringLiteral("broken")}));
    QCOMPARE(files.value(QStringLiteral("README.md")), QByteArray("# dry\n"));
    QCOMPARE(files.value(QStringLiteral("broken")), QByteArray("nowhere.txt"));
    QVERIFY(!QJsonDocument(answer).toJson().contains(QByteArray("PRIVATE KEY").toBase64()));
}

void TestTaskRunner::cancelStopsAWait()
{
    TaskSpec spec;
    spec.templateEntity = Yaml::YamlReader::read("kind: Template\nmetadata: {name: w}\nspec:\n  steps:\n    - {id: wait, action: debug:wait, input: {seconds: 30}}\n"
                                                 "    - {id: after, action: debug:log, input: {message: after}}\n",
                                                 QStringLiteral("t.yaml"))
                              .documents.value(0).value.toObject();
    spec.taskId = QStringLiteral("task-9");
    QTemporaryDir work;
    TaskOptions options;
    options.workingDirectory = work.path();
    TaskRunner runner(m_actions, spec, options);
    QStringList messages;
    QMutex mutex;
    runner.setEventSink([&](const TaskEvent &event) {
        QMutexLocker lock(&mutex);
        messages.append(event.message);
    });
    QElapsedTimer timer;
    timer.start();
    QFuture<TaskResult> future = QtConcurrent::run([&runner] { return runner.run(); });
    QTest::qWait(200);
    runner.cancel();
    future.waitForFinished();
    QVERIFY2(timer.elapsed() < 5000, "the wait did not end on cancel");
    QCOMPARE(future.result().status, QStringLiteral("cancelled"));
    QCOMPARE(future.result().error->message, QStringLiteral("Step wait (debug:wait) of task task-9 has been cancelled."));
    QVERIFY(!messages.contains(QStringLiteral("after")));
    // The workspace went with the task.
    QCOMPARE(QDir(work.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList());
}

void TestTaskRunner::dryRunSkipsWhatHasSideEffects()
{
    TaskOptions options;
    options.dryRun = true;
    const Run r = run("kind: Template\nmetadata: {name: d}\nspec:\n  steps:\n    - {id: fetch, action: fetch:template, input: {url: ./skeleton, values: {name: dry}}}\n"
                      "    - {id: wait, action: debug:wait, input: {minutes: 5}}\n"
                      "    - {id: say, action: debug:log, input: {message: 'token ${{ secrets.token }} for ${{ parameters.who }}'}}\n",
                      {{QStringLiteral("who"), QStringLiteral("jdoe")}}, options, {{QStringLiteral("token"), QStringLiteral("s3cret-value")}});
    QCOMPARE(r.result.status, QStringLiteral("completed"));
    QVERIFY(r.messages().contains(QStringLiteral("Skipping because debug:wait does not support dry-run")));
    // 4.3 logs what each step would be given, as JSON.stringify(input, null, 2), secrets as ***.
    QStringList trail;
    for (const TaskEvent &event : r.events) {
        if (!event.stepId.isEmpty() && (!event.status.isEmpty() || event.message.startsWith(QLatin1String("Running "))))
            trail.append(event.stepId + QLatin1Char(' ') + (event.status.isEmpty() ? event.message : event.status));
    }
    QCOMPARE(trail, (QStringList{
                        QStringLiteral("fetch processing"),
                        QStringLiteral("fetch Running fetch:template in dry-run mode with inputs (secrets redacted): {\n  \"url\": \"./skeleton\",\n"
                                       "  \"values\": {\n    \"name\": \"dry\"\n  }\n}"),
                        QStringLiteral("fetch completed"),
                        QStringLiteral("wait processing"),
                        QStringLiteral("wait Running debug:wait in dry-run mode with inputs (secrets redacted): {\n  \"minutes\": 5\n}"),
                        QStringLiteral("wait skipped"),
                        QStringLiteral("say processing"),
                        QStringLiteral("say Running debug:log in dry-run mode with inputs (secrets redacted): {\n  \"message\": \"token *** for jdoe\"\n}"),
                        QStringLiteral("say completed"),
                    }));
    for (const TaskEvent &event : r.events)
        QVERIFY2(!event.message.contains(QLatin1String("s3cret")), qPrintable(event.message));
    QVERIFY(r.result.files.contains(QStringLiteral("src/dry.txt")));   // the files that would be created
    QDir(r.result.workspace).removeRecursively();
}

void TestTaskRunner::publishesToAGitRemote()
{
    QTemporaryDir remotes;
    TestSupport::GitFixture remote(remotes.filePath(QStringLiteral("payments.git")));
    const QByteArray yaml = R"(kind: Template
metadata: {name: golden}
spec:
  steps:
    - id: fetch
      action: fetch:template
      input: {url: ./skeleton, values: {name: '${{ parameters.name }}', owner: team-a}}
    - id: publish
      name: Publish
      action: publish:git
      input:
        remoteUrl: '${{ parameters.remote }}'
        gitCommitMessage: 'Create ${{ parameters.name }}'
        gitAuthorName: Greenroom
        gitAuthorEmail: greenroom@example.com
  output:
    links:
      - {title: Repository, url: '${{ steps.publish.output.remoteUrl }}'}
    commit: '${{ steps.publish.output.commitHash }}'
    contents: '${{ steps.publish.output.repoContentsUrl }}'
)";
    const QJsonObject parameters{{QStringLiteral("name"), QStringLiteral("payments")}, {QStringLiteral("remote"), remote.path()}};
    const Run r = run(yaml, parameters);
    QVERIFY2(r.result.status == QLatin1String("completed"), qPrintable(r.result.error ? r.result.error->toString() : QString()));
    const TestSupport::GitFixture::Snapshot pushed = remote.snapshot();
    QCOMPARE(pushed.commit, r.result.output.value(QLatin1String("commit")).toString());
    QCOMPARE(pushed.message, QStringLiteral("Create payments"));
    QCOMPARE(pushed.author, QStringLiteral("Greenroom <greenroom@example.com>"));
    QCOMPARE(pushed.files.keys(), (QStringList{QStringLiteral("README.md"), QStringLiteral("src/payments.txt"), QStringLiteral("tmp/scratch.txt")}));
    QCOMPARE(pushed.files.value(QStringLiteral("README.md")), QByteArray("# payments\n\nOwned by team-a.\n"));
    QCOMPARE(r.result.output.value(QLatin1String("contents")).toString(), remote.path() + QStringLiteral("/blob/main"));
    QDir(r.result.workspace).removeRecursively();

    // A second publish to the same branch is refused; what was pushed stays.
    const Run again = run(yaml, parameters);
    QCOMPARE(again.result.status, QStringLiteral("failed"));
    QVERIFY2(again.result.error->message.contains(QLatin1String("refs/heads/main")), qPrintable(again.result.error->toString()));
    QCOMPARE(remote.snapshot().commit, pushed.commit);
    QDir(again.result.workspace).removeRecursively();

    // A remote that is not there: a clear error naming it.
    QJsonObject nowhere = parameters;
    nowhere.insert(QStringLiteral("remote"), remotes.filePath(QStringLiteral("missing.git")));
    const Run missing = run(yaml, nowhere);
    QCOMPARE(missing.result.status, QStringLiteral("failed"));
    QVERIFY2(missing.result.error->message.startsWith(QStringLiteral("Cannot push to ") + remotes.filePath(QStringLiteral("missing.git"))),
             qPrintable(missing.result.error->message));
    QDir(missing.result.workspace).removeRecursively();

    // In a dry run nothing is pushed; the outputs are examples.
    TaskOptions dry;
    dry.dryRun = true;
    TestSupport::GitFixture untouched(remotes.filePath(QStringLiteral("untouched.git")));
    QJsonObject dryParameters = parameters;
    dryParameters.insert(QStringLiteral("remote"), untouched.path());
    const Run dryRun = run(yaml, dryParameters, dry);
    QCOMPARE(dryRun.result.status, QStringLiteral("completed"));
    QVERIFY(dryRun.messages().contains(QStringLiteral("Skipping because publish:git does not support dry-run")));
    QVERIFY(untouched.snapshot().commit.isEmpty());
    QCOMPARE(dryRun.result.output.value(QLatin1String("commit")).toString(), QStringLiteral("<example>"));
    QDir(dryRun.result.workspace).removeRecursively();
}

void TestTaskRunner::defaultEnvironmentIsSeenAndMasked()
{
    auto services = std::make_shared<ScaffolderServices>();
    services->environmentParameters = QJsonObject{{QStringLiteral("region"), QStringLiteral("eu-west")}};
    services->environmentSecrets = QJsonObject{{QStringLiteral("apiKey"), QStringLiteral("k-12345")}};
    TaskOptions options;
    options.services = services;
    const Run r = run(R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: env}
spec:
  type: service
  steps:
    - id: say
      action: debug:log
      input: {message: 'deploying to ${{ environment.parameters.region }} with ${{ environment.secrets.apiKey }}'}
  output:
    region: ${{ environment.parameters.region }}
    key: ${{ environment.secrets.apiKey }}
)", {}, options);
    QCOMPARE(r.result.status, QStringLiteral("completed"));
    QVERIFY2(r.messages().contains(QStringLiteral("***")), qPrintable(r.messages().join(QLatin1Char('\n'))));
    QVERIFY(!r.messages().join(QLatin1Char('\n')).contains(QLatin1String("k-12345")));
    QCOMPARE(r.result.output.value(QLatin1String("region")).toString(), QStringLiteral("eu-west"));
    QVERIFY(!r.result.output.contains(QLatin1String("key")));   // secrets are not seen by the output
}

void TestTaskRunner::derivedSecretsAreMaskedToo()
{
    // 4.3's redactions: whatever an input renders to with secrets and not
    // without them is masked from then on, not only the secrets themselves;
    // overlapping matches become one ***; one-character values are left.
    const Run r = run(R"(kind: Template
metadata: {name: derived}
spec:
  steps:
    - {id: shout, action: debug:log, input: {message: '${{ secrets.token | upper }}'}}
    - {id: later, action: debug:log, input: {message: 'later: S3CR3T-VALUE and abc12xy and x'}}
    - {id: plain, action: debug:log, input: {message: plain words stay}}
)", {}, {}, QJsonObject{{QStringLiteral("token"), QStringLiteral("s3cr3t-value")}, {QStringLiteral("one"), QStringLiteral("abc12")},
                        {QStringLiteral("two"), QStringLiteral("c12xy")}, {QStringLiteral("short"), QStringLiteral("x")}});
    QCOMPARE(r.result.status, QStringLiteral("completed"));
    const QStringList messages = r.messages();
    QVERIFY2(!messages.join(QLatin1Char('\n')).contains(QLatin1String("S3CR3T")), qPrintable(messages.join(QLatin1Char('\n'))));
    QVERIFY2(messages.contains(QStringLiteral("later: *** and *** and x")), qPrintable(messages.join(QLatin1Char('\n'))));
    QVERIFY(messages.contains(QStringLiteral("plain words stay")));
    QDir(r.result.workspace).removeRecursively();

    // A secret that is not a string is masked as its JSON text (it was
    // masked as "[7731942]", which no log line holds).
    const Run number = run("kind: Template\nmetadata: {name: pin}\nspec:\n  steps:\n    - {id: say, action: debug:log, input: {message: 'pin 7731942 given'}}\n",
                           {}, {}, QJsonObject{{QStringLiteral("pin"), 7731942}});
    QVERIFY2(number.messages().contains(QStringLiteral("pin *** given")), qPrintable(number.messages().join(QLatin1Char('\n'))));
    QDir(number.result.workspace).removeRecursively();
}
void TestTaskRunner::brokerRetriesAsSoonAsTheEndIsStored()
{
    // A client that sees a task's completion may retry it at once, while the
    // run's thread still removes a workspace of a few hundred files: the
    // retry must be taken, not refused as "still running".
    QTemporaryDir templateDir;
    QVERIFY(templateDir.isValid());
    for (int i = 0; i < 400; ++i)
        writeFile(templateDir.filePath(QStringLiteral("skeleton/dir%1/file%2.txt").arg(i % 20).arg(i)), QByteArray(2048, 'x'));
    TaskRequest request;
    request.templateEntity = Yaml::YamlReader::read(R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: many-files}
spec:
  steps:
    - {id: fetch, action: fetch:plain, input: {url: ./skeleton}}
)",
                                                    QStringLiteral("template.yaml"))
                                 .documents.value(0)
                                 .value.toObject();
    request.fetchFiles = [&templateDir]() -> Result<TemplateFiles> { return TemplateFiles{templateDir.path(), {}, nullptr}; };
    auto store = Store::SqliteCatalogStore::open(QStringLiteral(":memory:"));
    QVERIFY(store);
    TaskBroker broker(m_actions, std::make_shared<ScaffolderServices>(), *store.value(), m_work.path());

    const auto id = broker.dispatch(request);
    QVERIFY(id);
    int runs = 0;
    QStringList refusals;
    connect(&broker, &TaskBroker::eventAdded, this, [&](const QString &taskId) {
        if (!broker.isFinished(taskId) || runs >= 5)
            return;
        ++runs;
        if (runs == 5)
            return;
        const Result<bool> retried = broker.retry(taskId, request);
        if (!retried || !retried.value())
            refusals.append(QStringLiteral("retry %1 refused").arg(runs));
    });
    QTRY_VERIFY_WITH_TIMEOUT(runs == 5 || !refusals.isEmpty(), 30000);
    QCOMPARE(refusals, QStringList());
    broker.waitForAll();
    QCOMPARE(broker.task(id.value())->status, QStringLiteral("completed"));
}

QTEST_GUILESS_MAIN(TestTaskRunner)
#include "tst_taskrunner.moc"
