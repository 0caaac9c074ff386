// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// LocalScaffolder: a template's task run in this process with the files
// and settings a real greenroom-server hands out, the person as `user`,
// the server's catalog API for catalog:register (its refusals reach the
// task's error), cancellation, and template files that try to leave their
// folder.
#include <serverprocess.h>
#include <testfiles.h>

#include <scaffold/directorycontents.h>
#include <sync/localscaffolder.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using TestSupport::ServerProcess;

class TestLocalScaffolder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dryRunRendersHereAsThePerson();
    void registrationRefusedByTheServerFailsTheTask();
    void cancelStopsALocalTask();
    void hostileFilesStayInTheirFolder();
    void pastTasksReadsOnlyTheLastEnded();
    void cleanup()
    {
        if (m_server)
            m_server->reportIfTestFailed();
    }

private:
    std::unique_ptr<Sync::LocalScaffolder> scaffolder()
    {
        auto local = std::make_unique<Sync::LocalScaffolder>(QUrl(m_server->base()), QStringLiteral("desk-token"), m_dir.filePath(QStringLiteral("kept")));
        local->setUser(QJsonObject{{QStringLiteral("ref"), QStringLiteral("user:default/jdoe")}});
        return local;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
};

void TestLocalScaffolder::initTestCase()
{
    TestSupport::writeFile(m_dir.filePath(QStringLiteral("templates/template.yaml")),
                           "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: hello}\n"
                           "spec:\n  type: service\n  parameters: {required: [name], properties: {name: {type: string}}}\n"
                           "  steps:\n"
                           "    - {id: fetch, action: fetch:template, input: {url: ./skeleton, values: {name: '${{ parameters.name }}', who: '${{ user.ref }}',"
                           " token: '${{ secrets.backstageToken | length }}'}}}\n"
                           "    - {id: say, action: debug:log, input: {message: 'region ${{ environment.parameters.region }}'}}\n"
                           "    - {id: register, action: catalog:register, input: {catalogInfoUrl: 'https://git.example.com/acme/hello/blob/main/catalog-info.yaml'}}\n"
                           "---\napiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: slow}\n"
                           "spec:\n  type: test\n  steps:\n    - {id: wait, action: debug:wait, input: {seconds: 30}}\n");
    TestSupport::writeFile(m_dir.filePath(QStringLiteral("templates/skeleton/README.md")), "# ${{ values.name }} by ${{ values.who }}, token of ${{ values.token }}\n");
    TestSupport::writeFile(m_dir.filePath(QStringLiteral("server/app-config.yaml")),
                           QStringLiteral("backend:\n  listen: {port: 0}\n  database: {client: better-sqlite3, connection: {directory: %1}}\n"
                                          "catalog:\n  processingInterval: false\n  rules: [{allow: [Template, Component, Location]}]\n"
                                          "  locations: [{type: file, target: %2}]\n"
                                          "scaffolder:\n  defaultEnvironment:\n    parameters: {region: eu-west}\n    secrets: {deployKey: hush-hush}\n")
                               .arg(m_dir.filePath(QStringLiteral("server/db")), m_dir.filePath(QStringLiteral("templates/template.yaml")))
                               .toUtf8());
    m_server = std::make_unique<ServerProcess>();
    QVERIFY2(m_server->start(m_dir.filePath(QStringLiteral("server"))), m_server->output().constData());
    QTRY_COMPARE_WITH_TIMEOUT(m_server->request("GET", QStringLiteral("/api/catalog/entities/by-name/template/default/slow")).status, 200, 20000);
    // The environment's secrets stay on the server.
    QVERIFY(!m_server->request("GET", QStringLiteral("/api/scaffolder/v2/templates/default/template/hello/files")).body.contains("hush-hush"));
}

void TestLocalScaffolder::dryRunRendersHereAsThePerson()
{
    auto local = scaffolder();
    QSignalSpy done(local.get(), &Sync::TaskDriver::dryRunFinished);
    QSignalSpy failed(local.get(), &Sync::TaskDriver::requestFailed);
    // Answers that do not fit are refused before anything runs, naming the field.
    local->dryRun(QStringLiteral("template:default/hello"), {});
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("The answers do not fit the template"));
    QVERIFY2(failed.first().at(1).toJsonArray().first()[QLatin1String("stack")].toString().contains(QLatin1String("name")),
             qPrintable(failed.first().at(1).toJsonArray().first()[QLatin1String("stack")].toString()));

    local->dryRun(QStringLiteral("template:default/hello"), {{QStringLiteral("name"), QStringLiteral("billing")}});
    QVERIFY(done.wait(20000));
    const QJsonObject result = done.first().first().toJsonObject();
    const QJsonArray files = result[QLatin1String("directoryContents")].toArray();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files[0][QLatin1String("path")].toString(), QStringLiteral("README.md"));
    // The person's server token went along as secrets.backstageToken, as the server hands on the caller's.
    QCOMPARE(QByteArray::fromBase64(files[0][QLatin1String("base64Content")].toString().toLatin1()), QByteArray("# billing by user:default/jdoe, token of 10\n"));
    // The server's scaffolder.defaultEnvironment parameters reach the run; a dry run registers nothing.
    QString log;
    for (const QJsonValue &line : result[QLatin1String("log")].toArray())
        log += line[QLatin1String("body")][QLatin1String("message")].toString() + QLatin1Char('\n');
    QVERIFY2(log.contains(QStringLiteral("region eu-west")), qPrintable(log));
    QVERIFY(!log.contains(QStringLiteral("desk-token")));
    QCOMPARE(result[QLatin1String("steps")].toArray().size(), 3);
    QCOMPARE(m_server->request("GET", QStringLiteral("/api/catalog/locations")).json().toArray().size(), 0);   // config locations are not listed
}

void TestLocalScaffolder::registrationRefusedByTheServerFailsTheTask()
{
    auto local = scaffolder();
    QSignalSpy created(local.get(), &Sync::TaskDriver::taskCreated);
    QSignalSpy events(local.get(), &Sync::TaskDriver::taskEvent);
    QSignalSpy finished(local.get(), &Sync::TaskDriver::taskFinished);
    local->create(QStringLiteral("template:default/hello"), {{QStringLiteral("name"), QStringLiteral("billing")}});
    QVERIFY(finished.wait(30000));
    QCOMPARE(created.size(), 1);
    QCOMPARE(local->taskId(), created.first().first().toString());
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("failed"));
    // The server could not read the location it was asked to register: its reason is the task's error.
    const QString error = finished.first().at(2).toString();
    QVERIFY2(error.contains(QStringLiteral("git.example.com")), qPrintable(error));
    // Events in the server's shape, numbered, ending with the completion.
    QVERIFY(events.size() > 3);
    const QJsonObject last = events.last().first().toJsonObject();
    QCOMPARE(last[QLatin1String("type")].toString(), QStringLiteral("completion"));
    QCOMPARE(last[QLatin1String("id")].toInt(), int(events.size()));
    QCOMPARE(last[QLatin1String("body")][QLatin1String("error")][QLatin1String("message")].toString(), error);
}

void TestLocalScaffolder::cancelStopsALocalTask()
{
    auto local = scaffolder();
    QSignalSpy events(local.get(), &Sync::TaskDriver::taskEvent);
    QSignalSpy finished(local.get(), &Sync::TaskDriver::taskFinished);
    local->create(QStringLiteral("template:default/slow"), {});
    const auto waiting = [&events] {
        for (const QList<QVariant> &event : events) {
            const QJsonObject body = event.first().toJsonObject()[QLatin1String("body")].toObject();
            if (body[QLatin1String("stepId")].toString() == QLatin1String("wait") && body[QLatin1String("status")].toString() == QLatin1String("processing"))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(waiting(), 10000);
    QElapsedTimer clock;
    clock.start();
    local->cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("cancelled"));
    QVERIFY2(clock.elapsed() < 5000, "the 30 s wait is cut short");
}

void TestLocalScaffolder::hostileFilesStayInTheirFolder()
{
    // What a server hands out is written below the run's folder, or not at all.
    QTemporaryDir folder;
    const auto entry = [](const QString &path) {
        return QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("base64Content"), QString::fromLatin1(QByteArray("pwned").toBase64())}};
    };
    for (const QString &path : {QStringLiteral("../escaped.txt"), QStringLiteral("/tmp/greenroom-absolute.txt"), QStringLiteral("a/../../escaped.txt")}) {
        const Status written = Scaffold::writeDirectoryContents(folder.filePath(QStringLiteral("inside")), QJsonArray{entry(path)});
        QVERIFY2(!written, qPrintable(path));
        QCOMPARE(written.error().message, QStringLiteral("Relative path is not allowed to refer to a directory outside its parent"));
    }
    QVERIFY(!QFile::exists(folder.filePath(QStringLiteral("escaped.txt"))));
    QVERIFY(!QFile::exists(QStringLiteral("/tmp/greenroom-absolute.txt")));
    // A symlink already there does not lead a write out either.
    QVERIFY(QDir().mkpath(folder.filePath(QStringLiteral("inside"))));
    QVERIFY(QFile::link(folder.path(), folder.filePath(QStringLiteral("inside/up"))));
    QVERIFY(!Scaffold::writeDirectoryContents(folder.filePath(QStringLiteral("inside")), QJsonArray{entry(QStringLiteral("up/escaped.txt"))}));
    QVERIFY(!QFile::exists(folder.filePath(QStringLiteral("escaped.txt"))));
    // Executable bits come along.
    QVERIFY(Scaffold::writeDirectoryContents(folder.filePath(QStringLiteral("inside")),
                                             QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("bin/run.sh")},
                                                                    {QStringLiteral("executable"), true},
                                                                    {QStringLiteral("base64Content"), QString::fromLatin1(QByteArray("#!/bin/sh\n").toBase64())}}}));
    QVERIFY(QFile::permissions(folder.filePath(QStringLiteral("inside/bin/run.sh"))) & QFileDevice::ExeOwner);
}

QTEST_MAIN(TestLocalScaffolder)
void TestLocalScaffolder::pastTasksReadsOnlyTheLastEnded()
{
    // Three ended tasks: a long one created before a short one ended after
    // it. Asked for one, the list reads the task that ended last; the whole
    // list is newest first by createdAt. A task's log beside it is no task.
    QTemporaryDir cache;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const struct
    {
        const char *id;
        int endedSecondsAgo;
        const char *createdAt;
    } tasks[] = {{"oldest", 400, "2026-11-01T10:00:00.000Z"}, {"short", 300, "2026-11-03T10:00:00.000Z"}, {"long", 100, "2026-11-02T10:00:00.000Z"}};
    for (const auto &task : tasks) {
        const QString path = cache.filePath(QStringLiteral("tasks/%1.json").arg(QLatin1String(task.id)));
        TestSupport::writeFile(path, QStringLiteral("{\"id\":\"%1\",\"createdAt\":\"%2\",\"status\":\"completed\"}")
                                         .arg(QLatin1String(task.id), QLatin1String(task.createdAt)).toUtf8());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(now.addSecs(-task.endedSecondsAgo), QFileDevice::FileModificationTime));
    }
    TestSupport::writeFile(cache.filePath(QStringLiteral("tasks/long.events.json")), "[]");
    auto ids = [&](int limit) {
        QStringList out;
        for (const QJsonValue &task : Sync::LocalScaffolder::pastTasks(cache.path(), limit))
            out.append(task[QLatin1String("id")].toString());
        return out;
    };
    QCOMPARE(ids(1), QStringList{QStringLiteral("long")});
    QCOMPARE(ids(100), (QStringList{QStringLiteral("short"), QStringLiteral("long"), QStringLiteral("oldest")}));
}

#include "tst_localscaffolder.moc"
