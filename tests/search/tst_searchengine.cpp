// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// The search index in a real SQLite store: ranking, typos, filters, paging,
// and that it follows every write of entities and docs sites.
#include <search/searchdocuments.h>
#include <store/migrations/migration.h>
#include <store/sqlitecatalogstore.h>

#include "storewrites.h"

#include <sqlite3.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom;

namespace {

const QString Origin = QStringLiteral("url:https://example.com/org/catalog-info.yaml");

QJsonObject entityJson(const char *kind, const char *name, const QJsonObject &spec, const QJsonObject &metadataExtra = {})
{
    QJsonObject metadata = metadataExtra;
    metadata.insert(QStringLiteral("name"), QString::fromUtf8(name));
    const bool isTemplate = qstrcmp(kind, "Template") == 0;
    return {{QStringLiteral("apiVersion"), isTemplate ? QStringLiteral("scaffolder.backstage.io/v1beta3") : QStringLiteral("backstage.io/v1alpha1")},
            {QStringLiteral("kind"), QString::fromUtf8(kind)},
            {QStringLiteral("metadata"), metadata},
            {QStringLiteral("spec"), spec}};
}

QJsonObject service(const char *owner, const char *lifecycle = "production")
{
    return {{QStringLiteral("type"), QStringLiteral("service")},
            {QStringLiteral("lifecycle"), QString::fromUtf8(lifecycle)},
            {QStringLiteral("owner"), QString::fromUtf8(owner)}};
}

QJsonObject described(const char *description, const QJsonObject &more = {})
{
    QJsonObject metadata = more;
    metadata.insert(QStringLiteral("description"), QString::fromUtf8(description));
    return metadata;
}

QList<QJsonObject> organisation()
{
    const QJsonObject docs{{QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:.")}};
    return {
        entityJson("Component", "stars", service("payments-team"), described("Star ratings for products")),
        entityJson("Component", "store", service("shop-team", "experimental"), described("Keeps orders")),
        entityJson("Component", "start-page", service("shop-team"), described("The landing page")),
        entityJson("Component", "payment-gateway", service("payments-team"),
                   described("Takes card payments", {{QStringLiteral("title"), QStringLiteral("Payment Gateway")},
                                                     {QStringLiteral("tags"), QJsonArray{QStringLiteral("java")}},
                                                     {QStringLiteral("annotations"), docs}})),
        entityJson("API", "payments-api",
                   {{QStringLiteral("type"), QStringLiteral("openapi")}, {QStringLiteral("lifecycle"), QStringLiteral("production")},
                    {QStringLiteral("owner"), QStringLiteral("payments-team")}, {QStringLiteral("definition"), QStringLiteral("openapi: 3.0.0")}},
                   described("REST API")),
        entityJson("Component", "ledger", service("finance-team", "deprecated"), described("Double-entry book keeping for payment records")),
        entityJson("Group", "payments-team",
                   {{QStringLiteral("type"), QStringLiteral("team")}, {QStringLiteral("children"), QJsonArray{}},
                    {QStringLiteral("profile"), QJsonObject{{QStringLiteral("displayName"), QStringLiteral("Payments Team")}}}}),
        entityJson("Template", "springboot-service",
                   {{QStringLiteral("type"), QStringLiteral("service")}, {QStringLiteral("owner"), QStringLiteral("payments-team")},
                    {QStringLiteral("parameters"), QJsonArray{}}, {QStringLiteral("steps"), QJsonArray{}}},
                   described("Create a Spring Boot service", {{QStringLiteral("title"), QStringLiteral("Spring Boot Service")}})),
    };
}

Store::LocationWrite writeOf(const QList<QJsonObject> &entities)
{
    QList<Store::EntityWrite> writes;
    for (const QJsonObject &raw : entities)
        writes.append(Tests::processedEntity(raw, Origin));
    return Tests::locationWrite(writes, Origin);
}

Store::DocsSiteWrite siteOf(const QString &ref, const QString &uid, const QJsonArray &docs)
{
    Store::DocsSiteWrite site;
    site.entityRef = ref;
    site.entityUid = uid;
    site.files = {{QStringLiteral("techdocs_metadata.json"), QByteArrayLiteral("{}")},
                  {QStringLiteral("search/search_index.json"),
                   QJsonDocument(QJsonObject{{QStringLiteral("config"), QJsonObject{}}, {QStringLiteral("docs"), docs}}).toJson()}};
    return site;
}

QJsonObject indexEntry(const char *location, const char *title, const char *text)
{
    return {{QStringLiteral("location"), QString::fromUtf8(location)}, {QStringLiteral("title"), QString::fromUtf8(title)},
            {QStringLiteral("text"), QString::fromUtf8(text)}};
}

} // namespace

class TestSearchEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void exactNamesComeFirst();
    void wordsMatchAsTheyAreTyped();
    void namesOutrankTagsOutrankText();
    void typosFindWhatWasMeant();
    void filtersNarrowOrMatchNothing();
    void pagesAddUpToTheWhole();
    void docsSectionsAreDocuments();
    void theIndexFollowsEveryWrite();
    void hostileTermsAreJustText();
    void highlightsMarkMatches();
    void optionsChangeRebuildsTheIndex();
    void anOlderDatabaseGetsItsIndex();

private:
    // Locations of the hits for `term` (at most `limit`), best first.
    QStringList locations(const QString &term, const QList<Search::FieldFilter> &filters = {}, const QStringList &types = {},
                          qint64 offset = 0, int limit = 100);
    QTemporaryDir m_dir;
    std::unique_ptr<Store::SqliteCatalogStore> m_store;
};

void TestSearchEngine::init()
{
    m_store.reset();
    QFile::remove(m_dir.filePath(QStringLiteral("catalog.db")));
    auto store = Store::SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("catalog.db")));
    QVERIFY(store);
    m_store = std::move(store).value();
    QVERIFY(m_store->applyLocation(writeOf(organisation())));
}

QStringList TestSearchEngine::locations(const QString &term, const QList<Search::FieldFilter> &filters, const QStringList &types,
                                        qint64 offset, int limit)
{
    Search::SearchRequest request;
    request.term = term;
    request.filters = filters;
    request.types = types;
    request.offset = offset;
    request.limit = limit;
    auto found = m_store->searchDocuments(request);
    if (!found)
        qFatal("search failed: %s", qPrintable(found.error().message));
    QStringList out;
    for (const Search::SearchHit &hit : found->hits)
        out.append(QJsonDocument::fromJson(hit.document).object().value(QLatin1String("location")).toString());
    return out;
}

void TestSearchEngine::exactNamesComeFirst()
{
    const QStringList stars = locations(QStringLiteral("stars"));
    QCOMPARE(stars.value(0), QStringLiteral("/catalog/default/component/stars"));
    // Lunr's fuzzy clause finds "Store" for "stars" (backstage#17669); here it is not a match at all.
    QVERIFY(!stars.contains(QStringLiteral("/catalog/default/component/store")));
    QCOMPARE(locations(QStringLiteral("store")).value(0), QStringLiteral("/catalog/default/component/store"));
    // Names are matched by their words: "payments team" is the group payments-team.
    QCOMPARE(locations(QStringLiteral("payments team")).value(0), QStringLiteral("/catalog/default/group/payments-team"));
    QCOMPARE(locations(QStringLiteral("Spring Boot Service")).value(0), QStringLiteral("/catalog/default/template/springboot-service"));
}

void TestSearchEngine::wordsMatchAsTheyAreTyped()
{
    // Every name starting with the letters typed comes before anything that only mentions them.
    for (const char *typed : {"pay", "paym"}) {
        const QStringList found = locations(QString::fromUtf8(typed));
        QCOMPARE(QSet<QString>(found.cbegin(), found.cbegin() + 3),
                 (QSet<QString>{QStringLiteral("/catalog/default/component/payment-gateway"), QStringLiteral("/catalog/default/api/payments-api"),
                                QStringLiteral("/catalog/default/group/payments-team")}));
    }
    for (const char *typed : {"payment-g", "Payment Gate"})
        QCOMPARE(locations(QString::fromUtf8(typed)).value(0), QStringLiteral("/catalog/default/component/payment-gateway"));
    QCOMPARE(locations(QStringLiteral("sta")).size(), 2);   // stars, start-page
    QVERIFY(locations(QStringLiteral("zzz")).isEmpty());
}

void TestSearchEngine::namesOutrankTagsOutrankText()
{
    const QStringList payment = locations(QStringLiteral("payment"));
    const qsizetype gateway = payment.indexOf(QStringLiteral("/catalog/default/component/payment-gateway"));
    const qsizetype api = payment.indexOf(QStringLiteral("/catalog/default/api/payments-api"));
    const qsizetype ledger = payment.indexOf(QStringLiteral("/catalog/default/component/ledger"));
    QVERIFY(gateway >= 0 && api >= 0 && ledger >= 0);
    QVERIFY(gateway < ledger);
    QVERIFY(api < ledger);
    // Owner (keywords) above description (text): stars is owned by payments-team; ledger only mentions payment.
    const QStringList team = locations(QStringLiteral("payments"));
    QVERIFY(team.indexOf(QStringLiteral("/catalog/default/component/stars")) < team.indexOf(QStringLiteral("/catalog/default/component/ledger")));
    // A tag: java.
    QCOMPARE(locations(QStringLiteral("java")), QStringList{QStringLiteral("/catalog/default/component/payment-gateway")});
}

void TestSearchEngine::typosFindWhatWasMeant()
{
    Search::SearchRequest request;
    request.term = QStringLiteral("paymnet gatway");
    auto found = m_store->searchDocuments(request);
    QVERIFY(found);
    QVERIFY(!found->hits.isEmpty());
    QCOMPARE(found->hits.first().entityRef, QStringLiteral("component:default/payment-gateway"));
    QVERIFY(found->corrections.contains(QStringLiteral("payment")));
    QVERIFY(found->corrections.contains(QStringLiteral("gateway")));
    QCOMPARE(locations(QStringLiteral("ledgre")).value(0), QStringLiteral("/catalog/default/component/ledger"));
}

void TestSearchEngine::filtersNarrowOrMatchNothing()
{
    const QStringList components = locations(QString(), {{QStringLiteral("kind"), {QStringLiteral("component")}}});
    QCOMPARE(components, (QStringList{QStringLiteral("/catalog/default/component/ledger"), QStringLiteral("/catalog/default/component/payment-gateway"),
                                      QStringLiteral("/catalog/default/component/stars"), QStringLiteral("/catalog/default/component/start-page"),
                                      QStringLiteral("/catalog/default/component/store")}));
    const QStringList lifecycles = locations(QStringLiteral("s"), {{QStringLiteral("lifecycle"), {QStringLiteral("experimental"), QStringLiteral("deprecated")}}});
    QCOMPARE(lifecycles.size(), 2);   // store and ledger
    QVERIFY(lifecycles.contains(QStringLiteral("/catalog/default/component/ledger")));
    // Owner as the document has it (the catalog document keeps spec.owner as written).
    QCOMPARE(locations(QStringLiteral("page"), {{QStringLiteral("owner"), {QStringLiteral("shop-team")}}}),
             QStringList{QStringLiteral("/catalog/default/component/start-page")});
    // A field without a column of its own is read from the document.
    QCOMPARE(locations(QString(), {{QStringLiteral("location"), {QStringLiteral("/catalog/default/api/payments-api")}}}),
             QStringList{QStringLiteral("/catalog/default/api/payments-api")});
    // Greenroom's own filter: the entity's tags (Backstage's documents have none).
    QCOMPARE(locations(QString(), {{QStringLiteral("tags"), {QStringLiteral("java"), QStringLiteral("rust")}}}),
             QStringList{QStringLiteral("/catalog/default/component/payment-gateway")});
    QVERIFY(locations(QString(), {{QStringLiteral("tags"), {QStringLiteral("jav")}}}).isEmpty());
    // A kind nobody has matches nothing; templates are catalog documents of kind Template.
    QVERIFY(locations(QString(), {{QStringLiteral("kind"), {QStringLiteral("resource")}}}).isEmpty());
    QCOMPARE(locations(QStringLiteral("spring"), {{QStringLiteral("kind"), {QStringLiteral("template")}}}, {Search::catalogType()}),
             QStringList{QStringLiteral("/catalog/default/template/springboot-service")});
}

void TestSearchEngine::pagesAddUpToTheWhole()
{
    for (const QString &term : {QStringLiteral("pa"), QString(), QStringLiteral("payment")}) {
        const QStringList whole = locations(term);
        QStringList paged;
        for (qint64 offset = 0; offset < whole.size() + 2; offset += 2)
            paged += locations(term, {}, {}, offset, 2);
        QCOMPARE(paged, whole);
        Search::SearchRequest request;
        request.term = term;
        request.limit = 1;
        QCOMPARE(m_store->searchDocuments(request)->total, qint64(whole.size()));
        // A count that stops early (the desktop shows ">10000").
        request.countLimit = 2;
        QCOMPARE(m_store->searchDocuments(request)->total, std::min<qint64>(2, whole.size()));
    }
}

void TestSearchEngine::docsSectionsAreDocuments()
{
    const auto gateway = m_store->entityByRef(QStringLiteral("component:default/payment-gateway"));
    QVERIFY(gateway);
    QVERIFY(m_store->putDocsSite(siteOf(gateway->ref, gateway->uid,
                                        {indexEntry("", "Payment Gateway", "Overview of the gateway."),
                                         indexEntry("setup/", "Setup", "How to set it up."),
                                         indexEntry("setup/#install", "Install", "Run make install &amp; wait.")})));
    const QStringList install = locations(QStringLiteral("install"), {}, {Search::techDocsType()});
    QCOMPARE(install.value(0), QStringLiteral("/docs/default/component/payment-gateway/setup/#install"));
    // The entity's words find its sections too (name column), after the entity itself.
    const QStringList both = locations(QStringLiteral("payment gateway install"));
    QCOMPARE(both.value(0), QStringLiteral("/docs/default/component/payment-gateway/setup/#install"));
    // Filters on techdocs-only fields keep to techdocs documents.
    QCOMPARE(locations(QString(), {{QStringLiteral("name"), {QStringLiteral("payment-gateway")}}}).size(), 3);
    QCOMPARE(locations(QString(), {{QStringLiteral("path"), {QStringLiteral("setup/")}}}),
             QStringList{QStringLiteral("/docs/default/component/payment-gateway/setup/")});
}

void TestSearchEngine::theIndexFollowsEveryWrite()
{
    const auto gateway = m_store->entityByRef(QStringLiteral("component:default/payment-gateway"));
    QVERIFY(m_store->putDocsSite(siteOf(gateway->ref, gateway->uid, {indexEntry("", "Home", "Zephyr protocol notes.")})));
    QCOMPARE(locations(QStringLiteral("zephyr")).size(), 1);

    // The entity changes: its document and its sections' documents follow, in that write.
    QList<QJsonObject> org = organisation();
    QJsonObject changed = org[3];
    QJsonObject metadata = changed.value(QLatin1String("metadata")).toObject();
    metadata.insert(QStringLiteral("description"), QStringLiteral("Moves money around"));
    changed.insert(QStringLiteral("metadata"), metadata);
    QJsonObject spec = changed.value(QLatin1String("spec")).toObject();
    spec.insert(QStringLiteral("lifecycle"), QStringLiteral("experimental"));
    changed.insert(QStringLiteral("spec"), spec);
    org[3] = changed;
    QVERIFY(m_store->applyLocation(writeOf(org)));
    QVERIFY(locations(QStringLiteral("card")).isEmpty());
    QCOMPARE(locations(QStringLiteral("moves money")), QStringList{QStringLiteral("/catalog/default/component/payment-gateway")});
    QCOMPARE(locations(QStringLiteral("zephyr"), {{QStringLiteral("lifecycle"), {QStringLiteral("experimental")}}}).size(), 1);

    // Its docs annotation goes: its sections are no longer searchable (the collator reads documented entities only).
    metadata.remove(QStringLiteral("annotations"));
    changed.insert(QStringLiteral("metadata"), metadata);
    org[3] = changed;
    QVERIFY(m_store->applyLocation(writeOf(org)));
    QVERIFY(locations(QStringLiteral("zephyr")).isEmpty());

    // The entity goes: so does its document.
    org.removeAt(3);
    QVERIFY(m_store->applyLocation(writeOf(org)));
    QVERIFY(!locations(QStringLiteral("payment")).contains(QStringLiteral("/catalog/default/component/payment-gateway")));
    QVERIFY(locations(QStringLiteral("moves")).isEmpty());

    // A site removed takes its documents.
    const auto stars = m_store->entityByRef(QStringLiteral("component:default/stars"));
    QJsonObject documented = organisation().at(0);
    QJsonObject starsMetadata = documented.value(QLatin1String("metadata")).toObject();
    starsMetadata.insert(QStringLiteral("annotations"), QJsonObject{{QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:.")}});
    documented.insert(QStringLiteral("metadata"), starsMetadata);
    org[0] = documented;
    QVERIFY(m_store->applyLocation(writeOf(org)));
    QVERIFY(m_store->putDocsSite(siteOf(stars->ref, stars->uid, {indexEntry("", "Ratings", "Quasar scale.")})));
    QCOMPARE(locations(QStringLiteral("quasar")).size(), 1);
    QVERIFY(m_store->removeDocsSite(stars->ref));
    QVERIFY(locations(QStringLiteral("quasar")).isEmpty());

    // The full-text indexes hold exactly what the documents say (FTS5 compares them with their content).
    m_store.reset();
    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(qPrintable(m_dir.filePath(QStringLiteral("catalog.db"))), &raw), SQLITE_OK);
    for (const char *check : {"INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)",
                              "INSERT INTO search_names_fts(search_names_fts, rank) VALUES ('integrity-check', 1)"})
        QVERIFY2(sqlite3_exec(raw, check, nullptr, nullptr, nullptr) == SQLITE_OK, sqlite3_errmsg(raw));
    sqlite3_close(raw);

    // Reopened, the index is as it was left.
    auto reopened = Store::SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("catalog.db")));
    QVERIFY(reopened);
    m_store = std::move(reopened).value();
    QCOMPARE(locations(QStringLiteral("stars")).value(0), QStringLiteral("/catalog/default/component/stars"));
}

void TestSearchEngine::hostileTermsAreJustText()
{
    for (const char *term : {"\"", "\"(*", "a OR b NOT c", "{title}: x", "NEAR(a b)", "*", "^x", "'; DROP TABLE entities; --"}) {
        Search::SearchRequest request;
        request.term = QString::fromUtf8(term);
        QVERIFY2(m_store->searchDocuments(request), term);
    }
    QCOMPARE(m_store->entityCount(), qint64(organisation().size()));
}

void TestSearchEngine::highlightsMarkMatches()
{
    Search::SearchRequest request;
    request.term = QStringLiteral("gate");
    request.preTag = QStringLiteral("<m>");
    request.postTag = QStringLiteral("</m>");
    auto found = m_store->searchDocuments(request);
    QVERIFY(found);
    QCOMPARE(found->hits.size(), 1);
    const auto &highlights = found->hits.first().highlights;
    QCOMPARE(highlights.value(0), (std::pair<QString, QString>(QStringLiteral("title"), QStringLiteral("Payment <m>Gateway</m>"))));
}

void TestSearchEngine::optionsChangeRebuildsTheIndex()
{
    Search::CollatorOptions options;
    options.catalogLocationTemplate = QStringLiteral("/portal/:kind/:name");
    QVERIFY(m_store->setSearchOptions(options));
    QCOMPARE(locations(QStringLiteral("stars")).value(0), QStringLiteral("/portal/component/stars"));
    // Kept in the database: another connection makes its documents the same way.
    auto other = Store::SqliteCatalogStore::open(m_dir.filePath(QStringLiteral("catalog.db")));
    QVERIFY(other);
    QList<QJsonObject> org = organisation();
    org.append(entityJson("Component", "stardust", service("shop-team")));
    QVERIFY(other.value()->applyLocation(writeOf(org)));
    QCOMPARE(locations(QStringLiteral("stardust")).value(0), QStringLiteral("/portal/component/stardust"));
}

void TestSearchEngine::anOlderDatabaseGetsItsIndex()
{
    // A database as the build before the search index left it: schema 8,
    // with an entity and its docs section, the section's text in docs_fts.
    const QString path = m_dir.filePath(QStringLiteral("older.db"));
    QFile::remove(path);
    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(qPrintable(path), &raw), SQLITE_OK);
    for (const Store::Internal::Migration &migration : Store::Internal::sqliteMigrations()) {
        if (migration.version > 8)
            break;
        QVERIFY2(sqlite3_exec(raw, migration.sql.toUtf8().constData(), nullptr, nullptr, nullptr) == SQLITE_OK, sqlite3_errmsg(raw));
    }
    const char *older = R"sql(
        PRAGMA user_version = 8;
        INSERT INTO entities(id, ref, uid, kind, name, etag, body_hash, final, sequence) VALUES (1, 'component:default/ledger', 'u1',
            'component', 'ledger', 'e1', 'h1', '{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"ledger",
            "namespace":"default","uid":"u1","etag":"e1","annotations":{"backstage.io/techdocs-ref":"dir:."}},"spec":{"type":"service",
            "lifecycle":"production","owner":"team-a"},"relations":[]}', 1);
        INSERT INTO docs_sites VALUES ('component:default/ledger', 'u1', 'etag', 'key', 1, '{}', 2);
        INSERT INTO docs_sections(id, entity_ref, location, title, page_title) VALUES (7, 'component:default/ledger', 'setup/#ledgers', 'Ledgers', 'Setup');
        INSERT INTO docs_fts(rowid, title, text) VALUES (7, 'Ledgers', 'Double entry with quokkas.');
    )sql";
    QVERIFY2(sqlite3_exec(raw, older, nullptr, nullptr, nullptr) == SQLITE_OK, sqlite3_errmsg(raw));
    sqlite3_close(raw);

    // Opened by this build: migrated, the index made from what was there.
    auto store = Store::SqliteCatalogStore::open(path);
    QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
    Search::SearchRequest request;
    request.term = QStringLiteral("quokkas");
    auto found = store.value()->searchDocuments(request);
    QVERIFY(found);
    QCOMPARE(found->hits.size(), 1);
    QCOMPARE(QJsonDocument::fromJson(found->hits.first().document).object().value(QLatin1String("location")).toString(),
             QStringLiteral("/docs/default/component/ledger/setup/#ledgers"));
    request.term = QStringLiteral("ledger");
    QCOMPARE(store.value()->searchDocuments(request)->hits.first().entityRef, QStringLiteral("component:default/ledger"));
}

QTEST_GUILESS_MAIN(TestSearchEngine)
#include "tst_searchengine.moc"
