// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include <ingest/catalogingester.h>
#include <store/sqlitecatalogstore.h>
#include <testconfig.h>
#include <yaml/yamlreader.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;
using namespace Greenroom::Ingest;
using namespace Greenroom::Store;

namespace {

QByteArray component(const char *name, const char *owner = "team-a")
{
    return QByteArray("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ") + name
           + "\nspec:\n  type: service\n  lifecycle: production\n  owner: " + owner + "\n";
}

} // namespace

class TestCatalogIngester : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void locationTargetsRelativeAndGlobs();
    void reingestReplacesWhatTheLocationProduced();
    void orphanStrategyKeepMarksInsteadOfDeleting();
    void registeredLocationIsWrittenOnlyWhileRegistered();
    void invalidDocumentIsAnErrorSiblingsLand();
    void invalidEntityKeepsItsLastGoodVersion();
    void yamlErrorFailsTheFileKeepingPreviousOutput();
    void aBigFileIsReadInPartsWithItsLines();
    void nonObjectDocuments_data();
    void nonObjectDocuments();
    void missingTargetRequiredAndOptional();
    void rulesRefuseKindsAndFailTheParent();
    void hugeEntityIsRefusedOthersLand();
    void placeholdersResolveButStayInside();
    void demoOrganisationIngestsCleanly();

private:
    void write(const QString &relative, const QByteArray &content);
    CatalogIngester::Outcome ingest(const IngestOptions &options = allKinds());
    static IngestOptions allKinds()
    {
        IngestOptions options;
        options.rules = CatalogRules::allowAll();
        return options;
    }
    QStringList storedRefs();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SqliteCatalogStore> m_store;
    QString m_root;
};

void TestCatalogIngester::init()
{
    m_store.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    m_root = m_dir->filePath(QStringLiteral("repo/catalog-info.yaml"));
    m_store = std::move(SqliteCatalogStore::open(m_dir->filePath(QStringLiteral("catalog.sqlite")))).value();
}

void TestCatalogIngester::write(const QString &relative, const QByteArray &content)
{
    const QString path = m_dir->filePath(QStringLiteral("repo/") + relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

CatalogIngester::Outcome TestCatalogIngester::ingest(const IngestOptions &options)
{
    CatalogIngester ingester(*m_store, options);
    auto outcome = ingester.ingest({QStringLiteral("file"), m_root});
    if (!outcome)
        qFatal("%s", qPrintable(outcome.error().message));
    return outcome.value();
}

QStringList TestCatalogIngester::storedRefs()
{
    QStringList refs;
    const auto page = m_store->queryEntities({});
    for (const StoredEntity &e : page->items)
        refs << e.ref;
    return refs;
}

void TestCatalogIngester::locationTargetsRelativeAndGlobs()
{
    write(QStringLiteral("catalog-info.yaml"),
          "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets:\n"
          "    - ./services/*/catalog-info.yaml\n    - ./org.yaml\n");
    write(QStringLiteral("services/a/catalog-info.yaml"), component("a"));
    write(QStringLiteral("services/b/catalog-info.yaml"), component("b") + "---\n" + component("b2"));
    write(QStringLiteral("org.yaml"),
          "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: org\nspec:\n  target: ./people/**/*.yaml\n");
    write(QStringLiteral("people/x/y/team.yaml"),
          "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n");
    const auto outcome = ingest();
    QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.value(0).message));
    QCOMPARE(outcome.filesRead, 5);
    QCOMPARE(storedRefs().size(), 7);   // generated location + root + org + a + b + b2 + team-a
    const auto a = m_store->entityByRef(QStringLiteral("component:default/a"));
    QVERIFY(a);
    const QJsonObject annotations = a->entity[QStringLiteral("metadata")][QStringLiteral("annotations")].toObject();
    QCOMPARE(annotations[QStringLiteral("backstage.io/managed-by-location")].toString(),
             QStringLiteral("file:") + m_dir->filePath(QStringLiteral("repo/services/a/catalog-info.yaml")));
    QCOMPARE(annotations[QStringLiteral("backstage.io/managed-by-origin-location")].toString(), QStringLiteral("file:") + m_root);
    QCOMPARE(a->parentRef, QStringLiteral("location:default/root"));
    // The team sees what it owns.
    const auto team = m_store->entityByRef(QStringLiteral("group:default/team-a"));
    QCOMPARE(team->entity[QStringLiteral("relations")].toArray().size(), 3);
}

void TestCatalogIngester::reingestReplacesWhatTheLocationProduced()
{
    write(QStringLiteral("catalog-info.yaml"), component("a") + "---\n" + component("b") + "---\n" + component("c"));
    ingest();
    const qint64 sequence = m_store->lastSequence();
    const QString uidA = m_store->entityByRef(QStringLiteral("component:default/a"))->uid;

    // Unchanged: nothing is written, no change rows.
    auto outcome = ingest();
    QCOMPARE(outcome.report.unchanged, 4);
    QCOMPARE(m_store->lastSequence(), sequence);

    // b vanishes, c changes, d appears.
    write(QStringLiteral("catalog-info.yaml"), component("a") + "---\n" + component("c", "team-b") + "---\n" + component("d"));
    outcome = ingest();
    QCOMPARE(outcome.report.inserted, 1);
    QCOMPARE(outcome.report.updated, 1);
    QCOMPARE(outcome.report.deleted, 1);
    QCOMPARE(outcome.report.unchanged, 2);
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/b")));
    QCOMPARE(m_store->entityByRef(QStringLiteral("component:default/a"))->uid, uidA);
    QStringList changes;
    for (const Change &c : m_store->changesSince(sequence, 100))
        changes << (c.type == Change::Type::Delete ? QStringLiteral("-") : QStringLiteral("+")) + c.ref;
    changes.sort();
    QCOMPARE(changes, (QStringList{QStringLiteral("+component:default/c"), QStringLiteral("+component:default/d"),
                                   QStringLiteral("-component:default/b")}));
}

void TestCatalogIngester::orphanStrategyKeepMarksInsteadOfDeleting()
{
    IngestOptions keep = allKinds();
    keep.keepOrphans = true;
    write(QStringLiteral("catalog-info.yaml"), component("a") + "---\n" + component("b"));
    ingest(keep);
    const qint64 sequence = m_store->lastSequence();
    const auto orphanAnnotation = [&](const char *ref) {
        return m_store->entityByRef(QString::fromLatin1(ref))->entity[QStringLiteral("metadata")][QStringLiteral("annotations")]
            [QStringLiteral("backstage.io/orphan")];
    };
    QVERIFY(orphanAnnotation("component:default/b").isUndefined());

    // b is no longer emitted: it stays, marked, as one change.
    write(QStringLiteral("catalog-info.yaml"), component("a"));
    auto outcome = ingest(keep);
    QCOMPARE(outcome.report.deleted, 0);
    QCOMPARE(orphanAnnotation("component:default/b").toString(), QStringLiteral("true"));
    QCOMPARE(m_store->changesSince(sequence, 100).size(), 1);
    // Read again: already an orphan, nothing changes.
    const qint64 marked = m_store->lastSequence();
    ingest(keep);
    QCOMPARE(m_store->lastSequence(), marked);
    // Emitted again: the mark goes.
    write(QStringLiteral("catalog-info.yaml"), component("a") + "---\n" + component("b"));
    ingest(keep);
    QVERIFY(orphanAnnotation("component:default/b").isUndefined());
    // With the default strategy (delete) orphans go.
    write(QStringLiteral("catalog-info.yaml"), component("a"));
    outcome = ingest();
    QCOMPARE(outcome.report.deleted, 1);
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/b")));
}

void TestCatalogIngester::registeredLocationIsWrittenOnlyWhileRegistered()
{
    write(QStringLiteral("catalog-info.yaml"), component("a"));
    const LocationProcessor processor(allKinds());
    LocationReadResult read = processor.read({QStringLiteral("file"), m_root});
    read.write.onlyIfRegistered = true;
    auto skipped = m_store->applyLocation(read.write);
    QVERIFY(skipped);
    QVERIFY(skipped->skipped);
    QCOMPARE(m_store->entityCount(), 0);

    auto registered = m_store->registerLocation(QStringLiteral("file"), m_root, QStringLiteral("location:default/x"));
    QVERIFY(registered);
    QCOMPARE(m_store->registerLocation(QStringLiteral("file"), m_root, QStringLiteral("location:default/x")).error().name,
             QStringLiteral("ConflictError"));
    auto written = m_store->applyLocation(read.write);
    QVERIFY(written && !written->skipped);
    QCOMPARE(m_store->entityCount(), 2);

    // Unregistering deletes what it produced, in the same transaction; a
    // read that finishes afterwards writes nothing.
    QCOMPARE(m_store->unregisterLocation(registered->id).value(), true);
    QCOMPARE(m_store->entityCount(), 0);
    QVERIFY(m_store->registeredLocations().isEmpty());
    QVERIFY(m_store->applyLocation(read.write)->skipped);
    QCOMPARE(m_store->entityCount(), 0);
    QCOMPARE(m_store->unregisterLocation(registered->id).value(), false);
}

void TestCatalogIngester::invalidDocumentIsAnErrorSiblingsLand()
{
    write(QStringLiteral("catalog-info.yaml"),
          component("good") + "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bad\n"
          "  tags: [ok, Not_OK]\nspec:\n  type: service\n  lifecycle: production\n  owner: x\n");
    const auto outcome = ingest();
    QCOMPARE(outcome.errors.size(), 1);
    const ProcessingErrorRecord &e = outcome.errors.first();
    QCOMPARE(e.file, m_root);
    QCOMPARE(e.line, 14);   // the tags line
    QCOMPARE(e.entityRef, QStringLiteral("component:default/bad"));
    QCOMPARE(e.name, QStringLiteral("InputError"));
    QVERIFY(e.reason.startsWith(QStringLiteral("\"tags.1\" is not valid")));
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/good")));
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/bad")));
    QCOMPARE(m_store->processingErrors(QStringLiteral("file:") + m_root).size(), 1);
}

void TestCatalogIngester::invalidEntityKeepsItsLastGoodVersion()
{
    write(QStringLiteral("catalog-info.yaml"), component("svc"));
    ingest();
    write(QStringLiteral("catalog-info.yaml"), component("svc").replace("  lifecycle: production\n", ""));
    const auto outcome = ingest();
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().line, 5);   // spec
    const auto svc = m_store->entityByRef(QStringLiteral("component:default/svc"));
    QVERIFY(svc);
    QCOMPARE(svc->entity[QStringLiteral("spec")][QStringLiteral("lifecycle")].toString(), QStringLiteral("production"));
    QCOMPARE(svc->entity[QStringLiteral("status")][QStringLiteral("items")][0][QStringLiteral("message")].toString(),
             QStringLiteral("InputError: Processor BuiltinKindsEntityProcessor threw an error while validating the entity "
                            "component:default/svc; caused by TypeError: /spec must have required property 'lifecycle' - "
                            "missingProperty: lifecycle"));
    // Fixed again: the status item goes away.
    write(QStringLiteral("catalog-info.yaml"), component("svc"));
    QVERIFY(ingest().errors.isEmpty());
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/svc"))->entity.contains(QStringLiteral("status")));
}

void TestCatalogIngester::yamlErrorFailsTheFileKeepingPreviousOutput()
{
    write(QStringLiteral("catalog-info.yaml"), component("a") + "---\n" + component("b"));
    ingest();
    write(QStringLiteral("catalog-info.yaml"), component("a") + "---\nmetadata: [unclosed\n");
    const auto outcome = ingest();
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().file, m_root);
    QVERIFY(outcome.errors.first().line >= 9);
    QVERIFY(outcome.errors.first().message.startsWith(QStringLiteral("YAML error at file:") + m_root));
    QCOMPARE(outcome.report.deleted, 0);
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/b")));   // nothing lost
}

void TestCatalogIngester::aBigFileIsReadInPartsWithItsLines()
{
    // 1.5 MB of components: the file is cut into parts read in parallel.
    const int count = 9000;
    QByteArray text;
    for (int i = 0; i < count; ++i)
        text += (i ? "---\n" : "") + component(QByteArray("svc-" + QByteArray::number(i)).constData());
    QVERIFY(Yaml::YamlReader::partsOf(text, 3).size() == 3);
    // An invalid entity near the end: its error names its own line.
    const QByteArray bad = "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bad\n"
                           "  tags: [Not_OK]\nspec:\n  type: service\n  lifecycle: production\n  owner: x\n";
    const int badTagsLine = int(text.count('\n')) + 6;
    write(QStringLiteral("catalog-info.yaml"), text + bad + "---\n" + component("after"));
    auto outcome = ingest();
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().line, badTagsLine);
    QCOMPARE(outcome.report.inserted, count + 2);   // the generated Location, every component, "after"
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/svc-8999")));

    // A syntax error in the middle fails the file as a read of the whole
    // does, at the same line, and what was stored stays.
    const QByteArray broken = text.left(text.size() / 2) + "\n---\nmetadata: [unclosed\n" + text.mid(text.size() / 2);
    const Yaml::YamlStream whole = Yaml::YamlReader::read(broken, m_root);
    QVERIFY(whole.documents.last().error);
    write(QStringLiteral("catalog-info.yaml"), broken);
    outcome = ingest();
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().line, whole.documents.last().error->line);
    QCOMPARE(outcome.report.deleted, 0);
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/after")));
}

void TestCatalogIngester::nonObjectDocuments_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    // The second document starts on line 10.
    QTest::newRow("scalar") << QByteArray("just words\n") << QStringLiteral("Expected object at root, got string") << 10;
    QTest::newRow("list") << QByteArray("- a\n- b\n") << QStringLiteral("Expected object at root, got object") << 10;
    QTest::newRow("number") << QByteArray("42\n") << QStringLiteral("Expected object at root, got number") << 10;
    QTest::newRow("duplicate keys") << QByteArray("kind: Component\nkind: API\n")
        << QStringLiteral("Map keys must be unique; \"kind\" is repeated") << 11;
}

void TestCatalogIngester::nonObjectDocuments()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, message);
    QFETCH(int, line);
    write(QStringLiteral("catalog-info.yaml"), component("a"));
    ingest();
    write(QStringLiteral("catalog-info.yaml"), component("a") + "---\n" + document);
    const auto outcome = ingest();
    QCOMPARE(outcome.errors.size(), 1);
    QVERIFY2(outcome.errors.first().message.contains(message), qPrintable(outcome.errors.first().message));
    QCOMPARE(outcome.errors.first().line, line);
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/a")));
}

void TestCatalogIngester::missingTargetRequiredAndOptional()
{
    write(QStringLiteral("catalog-info.yaml"),
          "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets: [./a.yaml]\n---\n"
          "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: opt\nspec:\n  presence: optional\n"
          "  targets: [./b.yaml]\n");
    write(QStringLiteral("a.yaml"), component("a"));
    write(QStringLiteral("b.yaml"), component("b"));
    QVERIFY(ingest().errors.isEmpty());
    QFile::remove(m_dir->filePath(QStringLiteral("repo/a.yaml")));
    QFile::remove(m_dir->filePath(QStringLiteral("repo/b.yaml")));
    const auto outcome = ingest();
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().name, QStringLiteral("NotFoundError"));
    QCOMPARE(outcome.errors.first().message, QStringLiteral("file ./a.yaml does not exist"));
    QCOMPARE(outcome.errors.first().entityRef, QStringLiteral("location:default/root"));
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/a")));    // required: kept
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/b")));   // optional: gone
}

void TestCatalogIngester::rulesRefuseKindsAndFailTheParent()
{
    write(QStringLiteral("catalog-info.yaml"), component("a"));
    ingest(IngestOptions{});
    write(QStringLiteral("catalog-info.yaml"),
          component("a", "team-b") + "---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: jo\n"
          "spec:\n  memberOf: []\n");
    const auto outcome = ingest(IngestOptions{});   // default rules: no Users
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().name, QStringLiteral("NotAllowedError"));
    QCOMPARE(outcome.errors.first().message,
             QStringLiteral("Entity user:default/jo at file:%1, originated at file:%1, is not of an allowed kind for that "
                            "location").arg(m_root));
    QVERIFY(!m_store->entityByRef(QStringLiteral("user:default/jo")));
    // The whole file failed: a's change did not land either.
    QCOMPARE(m_store->entityByRef(QStringLiteral("component:default/a"))->entity[QStringLiteral("spec")]
                 [QStringLiteral("owner")].toString(), QStringLiteral("team-a"));
}

void TestCatalogIngester::hugeEntityIsRefusedOthersLand()
{
    write(QStringLiteral("catalog-info.yaml"), component("small"));
    ingest();
    QByteArray huge = component("huge");
    huge.replace("metadata:\n", "metadata:\n  description: " + QByteArray(10 * 1024 * 1024, 'x') + "\n");
    write(QStringLiteral("catalog-info.yaml"), component("small") + "---\n" + huge);
    QElapsedTimer timer;
    timer.start();
    const auto outcome = ingest();
    QVERIFY(timer.elapsed() < 20000);
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().entityRef, QStringLiteral("component:default/huge"));
    QVERIFY2(outcome.errors.first().message.contains(QStringLiteral("larger than the limit of 4.0 MiB")),
             qPrintable(outcome.errors.first().message));
    QCOMPARE(outcome.errors.first().line, 10);   // where the huge document starts
    QVERIFY(m_store->entityByRef(QStringLiteral("component:default/small")));
    QVERIFY(!m_store->entityByRef(QStringLiteral("component:default/huge")));
}

void TestCatalogIngester::placeholdersResolveButStayInside()
{
    write(QStringLiteral("api/openapi.yaml"), "openapi: 3.0.0\ninfo: {title: x, version: '1'}\n");
    write(QStringLiteral("catalog-info.yaml"),
          "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: good\nspec:\n  type: openapi\n"
          "  lifecycle: production\n  owner: a\n  definition:\n    $text: ./api/openapi.yaml\n---\n"
          "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: sneaky\nspec:\n  type: openapi\n"
          "  lifecycle: production\n  owner: a\n  definition:\n    $text: ../../../../../../etc/passwd\n");
    const auto outcome = ingest();
    QCOMPARE(m_store->entityByRef(QStringLiteral("api:default/good"))->entity[QStringLiteral("spec")]
                 [QStringLiteral("definition")].toString(), QStringLiteral("openapi: 3.0.0\ninfo: {title: x, version: '1'}\n"));
    QCOMPARE(outcome.errors.size(), 1);
    QCOMPARE(outcome.errors.first().entityRef, QStringLiteral("api:default/sneaky"));
    QVERIFY(outcome.errors.first().message.startsWith(
        QStringLiteral("Processor PlaceholderProcessor threw an error while preprocessing; caused by Error: "
                       "Placeholder $text could not read location ../../../../../../etc/passwd, it is outside")));
    QVERIFY(!m_store->entityByRef(QStringLiteral("api:default/sneaky")));
}

void TestCatalogIngester::demoOrganisationIngestsCleanly()
{
    CatalogIngester ingester(*m_store, allKinds());
    auto outcome = ingester.ingest({QStringLiteral("file"), QStringLiteral(GREENROOM_SOURCE_DIR "/resources/demo/catalog-info.yaml")});
    QVERIFY(outcome);
    QVERIFY2(outcome->errors.isEmpty(), qPrintable(outcome->errors.value(0).message));
    QVERIFY(m_store->entityCount() >= 80);
    EntityQuery components;
    components.filter = *Model::EntityFilter::parse({QStringLiteral("kind=component")});
    components.countTotal = true;
    QVERIFY(m_store->queryEntities(components)->totalItems >= 29);
    // Every relation points at an entity that exists.
    const auto all = m_store->queryEntities({});
    for (const StoredEntity &e : all->items) {
        for (const QJsonValue &r : e.entity[QStringLiteral("relations")].toArray()) {
            const QString target = r[QStringLiteral("targetRef")].toString();
            QVERIFY2(m_store->entityByRef(target), qPrintable(e.ref + QStringLiteral(" -> ") + target));
        }
    }
}

QTEST_GUILESS_MAIN(TestCatalogIngester)
#include "tst_catalogingester.moc"
