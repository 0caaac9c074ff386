// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// What GET /sync follows: a check of one entity's docs with Backstage's
// step lines, the sync window, a rebuild after an edit, and a failure.
#include <ingest/docsbuildloop.h>
#include <model/entityprocessor.h>
#include <store/sqlitecatalogstore.h>
#include <testfiles.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;

class TestDocsBuildLoop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void syncFollowsOneEntitysBuild();
};

namespace {

struct Followed
{
    QStringList log;
    std::optional<bool> updated;
    QString error;
};

Followed follow(Ingest::DocsBuildLoop &loop, const Store::StoredEntity &entity)
{
    Followed out;
    std::shared_ptr<Ingest::DocsBuildJob> job = loop.sync(entity);
    QObject::connect(job.get(), &Ingest::DocsBuildJob::log, job.get(), [&out](const QString &line) { out.log << line; });
    QObject::connect(job.get(), &Ingest::DocsBuildJob::finished, job.get(), [&out](bool updated) { out.updated = updated; });
    QObject::connect(job.get(), &Ingest::DocsBuildJob::failed, job.get(), [&out](const QString &error) { out.error = error; });
    // No answer in time shows up as neither `updated` nor `error`.
    (void)QTest::qWaitFor([&] { return out.updated || !out.error.isEmpty(); }, 20000);
    return out;
}

} // namespace

void TestDocsBuildLoop::syncFollowsOneEntitysBuild()
{
    QTemporaryDir dir;
    const QString catalogFile = dir.filePath(QStringLiteral("catalog-info.yaml"));
    TestSupport::writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: Guide\n");
    TestSupport::writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Guide\n\nFirst words.\n");
    QTemporaryDir databaseDir;   // not inside the docs folder, whose files are fingerprinted
    auto store = Store::SqliteCatalogStore::open(databaseDir.filePath(QStringLiteral("catalog.sqlite")));
    QVERIFY(store);
    const QJsonObject raw{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                          {QStringLiteral("kind"), QStringLiteral("Component")},
                          {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("guide")},
                                                                   {QStringLiteral("annotations"), QJsonObject{
                                                                       {QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:.")},
                                                                       {QStringLiteral("backstage.io/managed-by-location"), QStringLiteral("file:") + catalogFile}}}}},
                          {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("service")},
                                                               {QStringLiteral("lifecycle"), QStringLiteral("production")},
                                                               {QStringLiteral("owner"), QStringLiteral("team-a")}}}};
    const Model::ProcessingOutcome processed = Model::EntityProcessor::process(raw);
    QVERIFY(processed.isOk());
    Store::LocationWrite write;
    write.originKey = QStringLiteral("file:") + catalogFile;
    write.entities = {{processed.processed.entity, processed.processed.ref, processed.processed.relations, write.originKey, {}, {}}};
    QVERIFY(store.value()->applyLocation(write));
    const Store::StoredEntity entity = *store.value()->entityByRef(QStringLiteral("component:default/guide"));

    Ingest::DocsBuildOptions options;
    options.syncWindow = std::chrono::milliseconds(0);
    Ingest::DocsBuildLoop loop(*store.value(), *store.value(), options);
    const Followed first = follow(loop, entity);
    QVERIFY2(first.updated && *first.updated, qPrintable(first.error));
    QCOMPARE(first.log.first(), QStringLiteral("info: Step 1 of 3: Preparing docs for entity component:default/guide"));
    QVERIFY(first.log.contains(QStringLiteral("info: Step 2 of 3: Generating docs for entity component:default/guide")));
    QVERIFY(first.log.contains(QStringLiteral("info: Step 3 of 3: Publishing docs for entity component:default/guide")));
    QVERIFY(store.value()->docsFile(entity.ref, QStringLiteral("index.html"))->contains("First words."));

    // Nothing changed: checked, not rebuilt.
    const Followed second = follow(loop, entity);
    QCOMPARE(second.updated, std::optional<bool>(false));
    QVERIFY(!second.log.contains(QStringLiteral("info: Step 2 of 3: Generating docs for entity component:default/guide")));

    // An edit rebuilds; a broken config fails with upstream's message and keeps the last site.
    TestSupport::writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Guide\n\nSecond words, longer.\n");
    const Followed edited = follow(loop, entity);
    QVERIFY2(edited.updated && *edited.updated, qPrintable(edited.error + edited.log.join(QLatin1Char('\n'))));
    QVERIFY(store.value()->docsFile(entity.ref, QStringLiteral("index.html"))->contains("Second words"));
    TestSupport::writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_description: no name\n");
    const Followed broken = follow(loop, entity);
    QCOMPARE(broken.error, QStringLiteral("Config value 'site_name': Required configuration not provided."));
    QVERIFY(broken.log.last().startsWith(QStringLiteral("error: Failed to build the docs page for entity component:default/guide: ")));
    QVERIFY(store.value()->docsFile(entity.ref, QStringLiteral("index.html"))->contains("Second words"));

    // Within the window of the last check (Backstage's 60 s): finished at
    // once, not updated, without a look at the source.
    TestSupport::writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: Guide\n");
    Ingest::DocsBuildLoop windowed(*store.value(), *store.value(), {});
    const Followed checked = follow(windowed, entity);
    QVERIFY(!checked.log.isEmpty());
    const Followed skipped = follow(windowed, entity);
    QCOMPARE(skipped.updated, std::optional<bool>(false));
    QVERIFY(skipped.log.isEmpty());
}

QTEST_GUILESS_MAIN(TestDocsBuildLoop)
#include "tst_docsbuildloop.moc"
