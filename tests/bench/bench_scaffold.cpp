// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// bench_scaffold [FILES]: a generated skeleton of FILES files (default 500:
// templated names and contents, loops and conditions, some binary files)
// rendered by fetch:template and published by publish:git to a local bare
// repository, through the task runner. Prints the time of each phase from
// the task's own event log, and the total. Target (issue 7): < 1 s.
// Everything happens under the system temp folder (TMPDIR): its file system
// counts as much as the code (see the issue note: ext4 vs tmpfs).
#include <gitfixture.h>
#include <testfiles.h>

#include <scaffold/taskrunner.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Greenroom;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const int files = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 500;
    QTemporaryDir dir;
    const QString skeleton = dir.filePath(QStringLiteral("template/skeleton"));
    for (int i = 0; i < files; ++i) {
        const QString name = QStringLiteral("%1/module-%2/${{ values.name }}-%3.%4")
                                 .arg(skeleton).arg(i % 20).arg(i).arg(i % 10 == 0 ? QStringLiteral("png") : QStringLiteral("java"));
        if (i % 10 == 0) {
            TestSupport::writeFile(name, QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + QByteArray(2048, 'x'));
            continue;
        }
        QByteArray body = "// ${{ values.description }}\npackage com.${{ values.owner | replace('-', '') }}.${{ values.name | replace('-', '') }};\n\n"
                          "public class Service" + QByteArray::number(i) + " {\n";
        body += "{% for dep in values.dependencies %}    // uses ${{ dep | upper }}{% if not loop.last %},{% endif %}\n{% endfor %}";
        body += "{% if values.database == 'postgresql' %}    private final javax.sql.DataSource db;\n{% endif %}";
        for (int line = 0; line < 40; ++line)
            body += "    public int method" + QByteArray::number(line) + "() { return " + QByteArray::number(line) + "; } // ${{ values.name }}\n";
        body += "}\n";
        TestSupport::writeFile(name, body);
    }
    TestSupport::GitFixture remote(dir.filePath(QStringLiteral("remote.git")));
    Scaffold::TaskSpec spec;
    spec.templateEntity = QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Template")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("bench")}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("steps"),
                      QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("render")},
                                             {QStringLiteral("action"), QStringLiteral("fetch:template")},
                                             {QStringLiteral("input"),
                                              QJsonObject{{QStringLiteral("url"), QStringLiteral("./skeleton")},
                                                          {QStringLiteral("values"),
                                                           QJsonObject{{QStringLiteral("name"), QStringLiteral("payments-api")},
                                                                       {QStringLiteral("description"), QStringLiteral("Takes payments")},
                                                                       {QStringLiteral("owner"), QStringLiteral("team-checkout")},
                                                                       {QStringLiteral("database"), QStringLiteral("postgresql")},
                                                                       {QStringLiteral("dependencies"),
                                                                        QJsonArray{QStringLiteral("kafka"), QStringLiteral("postgres"), QStringLiteral("redis")}}}}}}},
                                 QJsonObject{{QStringLiteral("id"), QStringLiteral("publish")},
                                             {QStringLiteral("action"), QStringLiteral("publish:git")},
                                             {QStringLiteral("input"), QJsonObject{{QStringLiteral("remoteUrl"), remote.path()}}}}}}}}};
    spec.templateDir = dir.filePath(QStringLiteral("template"));
    spec.taskId = QStringLiteral("bench");
    Scaffold::TaskOptions options;
    options.workingDirectory = dir.filePath(QStringLiteral("work"));
    const Scaffold::ActionRegistry actions = Scaffold::ActionRegistry::builtin();
    Scaffold::TaskRunner runner(actions, spec, options);
    QHash<QString, qint64> begun, finished;
    QElapsedTimer clock;
    runner.setEventSink([&](const Scaffold::TaskEvent &event) {
        if (event.status == QLatin1String("processing"))
            begun.insert(event.stepId, clock.nsecsElapsed());
        else if (event.status == QLatin1String("completed"))
            finished.insert(event.stepId, clock.nsecsElapsed());
    });
    clock.start();
    const Scaffold::TaskResult result = runner.run();
    const double total = double(clock.nsecsElapsed()) / 1e6;
    if (result.status != QLatin1String("completed")) {
        out << "bench_scaffold: the task " << result.status << ": " << (result.error ? result.error->toString() : QString()) << Qt::endl;
        return 1;
    }
    const auto phase = [&](const char *id) { return double(finished.value(QLatin1String(id)) - begun.value(QLatin1String(id))) / 1e6; };
    const int pushed = remote.snapshot().files.size();
    out << "bench_scaffold: " << files << " skeleton files (" << files / 10 << " binary), " << pushed << " files in the pushed commit, under "
        << QDir::tempPath() << Qt::endl;
    out << "  render (fetch:template): " << QString::number(phase("render"), 'f', 1) << " ms" << Qt::endl;
    out << "  publish (publish:git to a local bare repository): " << QString::number(phase("publish"), 'f', 1) << " ms" << Qt::endl;
    out << "  whole task (workspace, validation, both steps, clean-up): " << QString::number(total, 'f', 1) << " ms (target < 1000 ms)" << Qt::endl;
    return pushed == files ? 0 : 1;
}
