// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// What GET /sync follows: a check of one entity's docs with Backstage's
// step lines, the sync window, a rebuild after an edit, and a failure; what
// a catalog read builds (sites already asked for, or all with prebuild).
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
    void sitesAreBuiltWhenFirstAskedFor();
    void entitiesSharingASourceShareItsWork();
    void sourceLocationFoldersResolveDirRefs();
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

// A component whose docs are `dir:.` beside `catalogFile`, processed as the catalog does.
Model::ProcessedEntity documentedComponent(const QString &name, const QString &catalogFile, const QString &title = {})
{
    QJsonObject metadata{{QStringLiteral("name"), name},
                         {QStringLiteral("annotations"), QJsonObject{
                             {QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:.")},
                             {QStringLiteral("backstage.io/managed-by-location"), QStringLiteral("file:") + catalogFile}}}};
    if (!title.isEmpty())
        metadata.insert(QStringLiteral("title"), title);
    const QJsonObject raw{{QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")},
                          {QStringLiteral("kind"), QStringLiteral("Component")},
                          {QStringLiteral("metadata"), metadata},
                          {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QStringLiteral("service")},
                                                               {QStringLiteral("lifecycle"), QStringLiteral("production")},
                                                               {QStringLiteral("owner"), QStringLiteral("team-a")}}}};
    return Model::EntityProcessor::process(raw).processed;
}

// `count` of them named <prefix>-<i>, stored as one location's read.
Store::LocationWrite documentedComponents(const QString &prefix, int count, const QString &catalogFile)
{
    Store::LocationWrite write;
    write.originKey = QStringLiteral("file:") + catalogFile;
    for (int i = 0; i < count; ++i) {
        const Model::ProcessedEntity processed = documentedComponent(QStringLiteral("%1-%2").arg(prefix).arg(i), catalogFile,
                                                                     QStringLiteral("Service %1").arg(i));
        write.entities.append({processed.entity, processed.ref, processed.relations, write.originKey, {}, {}, {}, {}});
    }
    return write;
}

} // namespace

void TestDocsBuildLoop::entitiesSharingASourceShareItsWork()
{
    QTemporaryDir databaseDir;
    auto store = Store::SqliteCatalogStore::open(databaseDir.filePath(QStringLiteral("catalog.sqlite")));
    QVERIFY(store);
    Ingest::DocsBuildOptions options;   // Backstage's 60 s sync window
    options.prebuild = true;
    Ingest::DocsBuildLoop loop(*store.value(), *store.value(), options);
    QSignalSpy passes(&loop, &Ingest::DocsBuildLoop::passFinished);
    QSignalSpy checks(&loop, &Ingest::DocsBuildLoop::checked);

    // 30 entities, one docs folder with its mkdocs.yml: one build, 30 sites.
    QTemporaryDir shared;
    TestSupport::writeFile(shared.filePath(QStringLiteral("mkdocs.yml")), "site_name: Shared handbook\n");
    TestSupport::writeFile(shared.filePath(QStringLiteral("docs/index.md")), "# Handbook\n\nShared words.\n");
    const QString sharedCatalog = shared.filePath(QStringLiteral("catalog-info.yaml"));
    QVERIFY(store.value()->applyLocation(documentedComponents(QStringLiteral("svc"), 30, sharedCatalog)));
    loop.checkOrigin(QStringLiteral("file:") + sharedCatalog);
    QVERIFY(passes.wait(60000));
    QCOMPARE(passes.last().at(1).toInt(), 1);   // builds
    QVERIFY(passes.last().at(0).value<QList<Ingest::DocsBuildProblem>>().isEmpty());
    QCOMPARE(checks.size(), 30);
    for (int i : {0, 17, 29})
        QVERIFY(store.value()->docsFile(QStringLiteral("component:default/svc-%1").arg(i), QStringLiteral("index.html"))->contains("Shared words."));

    // 20 entities saying dir:. beside a catalog file with no mkdocs.yml: nothing built, nothing failed, until asked.
    QTemporaryDir plain;
    const QString plainCatalog = plain.filePath(QStringLiteral("catalog-info.yaml"));
    TestSupport::writeFile(plainCatalog, "# a catalog, not docs\n");
    QVERIFY(store.value()->applyLocation(documentedComponents(QStringLiteral("plain"), 20, plainCatalog)));
    checks.clear();
    passes.clear();
    loop.checkOrigin(QStringLiteral("file:") + plainCatalog);
    QTRY_COMPARE_WITH_TIMEOUT(checks.size(), 20, 20000);
    for (const QList<QVariant> &check : std::as_const(checks))
        QVERIFY2(check.at(2).toString().isEmpty() && !check.at(1).toBool(), qPrintable(check.at(2).toString()));
    QVERIFY(passes.isEmpty());
    QVERIFY(!store.value()->docsSite(QStringLiteral("component:default/plain-3")));
    const Followed asked = follow(loop, *store.value()->entityByRef(QStringLiteral("component:default/plain-3")));
    QVERIFY2(asked.error.contains(QLatin1String("docs_dir")), qPrintable(asked.error));

    // 25 entities, one broken mkdocs.yml: one build tried, one problem counted 25 times.
    QTemporaryDir broken;
    TestSupport::writeFile(broken.filePath(QStringLiteral("mkdocs.yml")), "site_description: no name\n");
    TestSupport::writeFile(broken.filePath(QStringLiteral("docs/index.md")), "# Broken\n");
    const QString brokenCatalog = broken.filePath(QStringLiteral("catalog-info.yaml"));
    QVERIFY(store.value()->applyLocation(documentedComponents(QStringLiteral("broken"), 25, brokenCatalog)));
    passes.clear();
    loop.checkOrigin(QStringLiteral("file:") + brokenCatalog);
    QVERIFY(passes.wait(60000));
    QCOMPARE(passes.last().at(1).toInt(), 1);
    const auto problems = passes.last().at(0).value<QList<Ingest::DocsBuildProblem>>();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().entities, 25);
    QCOMPARE(problems.first().message, QStringLiteral("Config value 'site_name': Required configuration not provided."));
    QVERIFY(problems.first().firstRef.startsWith(QLatin1String("component:default/broken-")));
}

void TestDocsBuildLoop::sitesAreBuiltWhenFirstAskedFor()
{
    QTemporaryDir dir;
    TestSupport::writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: Handbook\n");
    TestSupport::writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Handbook\n\nFirst edition.\n");
    QTemporaryDir databaseDir;
    auto store = Store::SqliteCatalogStore::open(databaseDir.filePath(QStringLiteral("catalog.sqlite")));
    QVERIFY(store);
    const QString catalogFile = dir.filePath(QStringLiteral("catalog-info.yaml"));
    const QString origin = QStringLiteral("file:") + catalogFile;
    QVERIFY(store.value()->applyLocation(documentedComponents(QStringLiteral("svc"), 3, catalogFile)));
    Ingest::DocsBuildOptions options;
    options.syncWindow = std::chrono::milliseconds(0);
    Ingest::DocsBuildLoop loop(*store.value(), *store.value(), options);
    QSignalSpy checks(&loop, &Ingest::DocsBuildLoop::checked);

    // Read, never asked for: nothing is looked at, nothing is built.
    loop.checkOrigin(origin);
    QTest::qWait(300);
    QCOMPARE(checks.size(), 0);
    QVERIFY(store.value()->docsSites().isEmpty());

    // The first request builds that entity's site, and only that one.
    const Followed asked = follow(loop, *store.value()->entityByRef(QStringLiteral("component:default/svc-1")));
    QVERIFY2(asked.updated && *asked.updated, qPrintable(asked.error));
    QVERIFY(asked.log.contains(QStringLiteral("info: Step 2 of 3: Generating docs for entity component:default/svc-1")));
    QVERIFY(store.value()->docsFile(QStringLiteral("component:default/svc-1"), QStringLiteral("index.html"))->contains("First edition."));
    QCOMPARE(store.value()->docsSites().size(), 1);

    // A later read keeps the built site current; the others still wait to be asked for.
    TestSupport::writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Handbook\n\nSecond edition.\n");
    checks.clear();
    loop.checkOrigin(origin);
    QTRY_COMPARE_WITH_TIMEOUT(checks.size(), 1, 20000);
    QCOMPARE(checks.first().at(0).toString(), QStringLiteral("component:default/svc-1"));
    QVERIFY(checks.first().at(1).toBool());
    QVERIFY(store.value()->docsFile(QStringLiteral("component:default/svc-1"), QStringLiteral("index.html"))->contains("Second edition."));
    QCOMPARE(store.value()->docsSites().size(), 1);
}

void TestDocsBuildLoop::sourceLocationFoldersResolveDirRefs()
{
    // A source-location names a folder (…/tree/main/services/api/): dir:. is that folder, not its parent;
    // a managed-by-location names a file, and dir:. is the file's folder.
    const auto folderOf = [](const QString &location, const QString &annotation) {
        const QJsonObject entity{{QStringLiteral("kind"), QStringLiteral("Component")},
                                 {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("x")},
                                                                          {QStringLiteral("annotations"), QJsonObject{
                                                                              {QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:.")},
                                                                              {annotation, location}}}}}};
        auto source = Ingest::DocsSource::forEntity(entity);
        return source && source->git ? source->git->path + QLatin1Char('|') + source->locationTarget : QStringLiteral("error");
    };
    QCOMPARE(folderOf(QStringLiteral("url:https://github.com/acme/payments/tree/main/services/api/"), QStringLiteral("backstage.io/source-location")),
             QStringLiteral("services/api|https://github.com/acme/payments/tree/main/services/api"));
    QCOMPARE(folderOf(QStringLiteral("url:https://github.com/acme/payments/tree/main/"), QStringLiteral("backstage.io/source-location")),
             QStringLiteral("|https://github.com/acme/payments/tree/main/"));
    QCOMPARE(folderOf(QStringLiteral("url:https://github.com/acme/payments/blob/main/services/api/catalog-info.yaml"),
                      QStringLiteral("backstage.io/managed-by-location")),
             QStringLiteral("services/api|https://github.com/acme/payments/tree/main/services/api"));
}

void TestDocsBuildLoop::syncFollowsOneEntitysBuild()
{
    QTemporaryDir dir;
    const QString catalogFile = dir.filePath(QStringLiteral("catalog-info.yaml"));
    TestSupport::writeFile(dir.filePath(QStringLiteral("mkdocs.yml")), "site_name: Guide\n");
    TestSupport::writeFile(dir.filePath(QStringLiteral("docs/index.md")), "# Guide\n\nFirst words.\n");
    QTemporaryDir databaseDir;   // not inside the docs folder, whose files are fingerprinted
    auto store = Store::SqliteCatalogStore::open(databaseDir.filePath(QStringLiteral("catalog.sqlite")));
    QVERIFY(store);
    Store::LocationWrite write;
    write.originKey = QStringLiteral("file:") + catalogFile;
    const Model::ProcessedEntity processed = documentedComponent(QStringLiteral("guide"), catalogFile);
    write.entities = {{processed.entity, processed.ref, processed.relations, write.originKey, {}, {}, {}, {}}};
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
