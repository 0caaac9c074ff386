// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// bench_search [entities] [docs sections]: the search index against
// Backstage's own LunrSearchEngine, in one run on the same documents.
//   1. Relevance: the judged query set on the demo organisation; on how
//      many queries each engine puts the wanted result first.
//   2. Speed: a generated catalog (100,000 entities and 10,000 docs
//      sections by default): ingest with the index and the index alone,
//      query times in process and over HTTP, Lunr's on the same queries,
//      and the ratio.
#include "benchoutput.h"
#include "storeserver.h"

#include <demosearchstore.h>
#include <storewrites.h>

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QUrlQuery>

#include <algorithm>
#include <numeric>
#include <cmath>

using namespace Greenroom;
using Bench::die;
using Bench::out;

namespace {

const QString Judged = QStringLiteral(GREENROOM_SOURCE_DIR "/tests/search/golden/judged-queries.json");
const QString LunrScript = QStringLiteral(GREENROOM_SOURCE_DIR "/tests/bench/search-lunr.cjs");

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, qsizetype(std::ceil(p * double(values.size()))) - 1));
}

QString figures(const QList<double> &ms)
{
    return QStringLiteral("p50 %1 ms, p99 %2 ms, max %3 ms")
        .arg(percentile(ms, 0.5), 0, 'f', 2).arg(percentile(ms, 0.99), 0, 'f', 2).arg(percentile(ms, 1.0), 0, 'f', 2);
}

// Every document of the index, one {"type", "document"} per line, for Lunr.
void dumpDocuments(Store::CatalogStore &store, const QString &file)
{
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        die(QStringLiteral("cannot write ") + file);
    Search::SearchRequest page;
    page.limit = 5000;
    for (;;) {
        auto found = store.searchDocuments(page);
        if (!found)
            die(found.error().message);
        for (const Search::SearchHit &hit : found->hits)
            out.write("{\"type\":\"" + hit.type.toUtf8() + "\",\"document\":" + hit.document + "}\n");
        if (found->hits.size() < page.limit)
            break;
        page.offset += page.limit;
    }
}

// Runs the Lunr script; its JSON answer, or an empty object (with a note) when Node or the package is missing.
QJsonObject runLunr(const QStringList &arguments)
{
    if (qEnvironmentVariable("GREENROOM_BENCH_LUNR") == QLatin1String("0"))
        return {};
    const QString npm = qEnvironmentVariable("GREENROOM_BENCH_NPM", QStringLiteral(GREENROOM_BINARY_DIR "/bench-npm"));
    if (!QFileInfo::exists(npm + QStringLiteral("/node_modules/@backstage/plugin-search-backend-node"))) {
        out() << "lunr: skipped: @backstage/plugin-search-backend-node is not in " << npm
              << " (packaging/install-bench-deps.sh puts it there)" << Qt::endl;
        return {};
    }
    QProcess node;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("NODE_PATH"), npm + QStringLiteral("/node_modules"));
    node.setProcessEnvironment(environment);
    node.start(QStringLiteral("node"), QStringList{QStringLiteral("--max-old-space-size=8192"), LunrScript} + arguments);
    if (!node.waitForFinished(30 * 60 * 1000) || node.exitCode() != 0)
        die(QStringLiteral("lunr: ") + QString::fromUtf8(node.readAllStandardError()));
    return QJsonDocument::fromJson(node.readAllStandardOutput()).object();
}

void relevance(const QString &work)
{
    QFile::remove(work + QStringLiteral("/demo.sqlite"));
    auto store = Store::SqliteCatalogStore::open(work + QStringLiteral("/demo.sqlite"));
    if (!store)
        die(store.error().message);
    if (const QString filled = TestSupport::fillDemoSearchStore(*store.value()); !filled.isEmpty())
        die(filled);
    QFile file(Judged);
    if (!file.open(QIODevice::ReadOnly))
        die(QStringLiteral("cannot read ") + Judged);
    const QJsonArray queries = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("queries")).toArray();
    int first = 0;
    QMap<QString, std::pair<int, int>> byCategory;
    for (const QJsonValue &judged : queries) {
        Search::SearchRequest request;
        request.term = judged[QLatin1String("query")].toString();
        request.limit = 1;
        auto found = store.value()->searchDocuments(request);
        const QString got = found && !found->hits.isEmpty()
                                ? QJsonDocument::fromJson(found->hits.first().document).object().value(QLatin1String("location")).toString()
                                : QString();
        const bool right = judged[QLatin1String("expect")].toArray().contains(got);
        first += right;
        auto &[count, firsts] = byCategory[judged[QLatin1String("category")].toString()];
        ++count;
        firsts += right;
    }
    const QString documents = work + QStringLiteral("/demo-documents.ndjson");
    dumpDocuments(*store.value(), documents);
    const QJsonObject lunr = runLunr({QStringLiteral("relevance"), documents, Judged});
    out() << "relevance: judged queries on the demo organisation, wanted result first: Greenroom " << first << " of " << queries.size();
    if (!lunr.isEmpty())
        out() << ", Backstage's Lunr " << lunr.value(QLatin1String("first")).toInt() << " of " << lunr.value(QLatin1String("queries")).toInt();
    out() << Qt::endl;
    const QJsonObject lunrCategories = lunr.value(QLatin1String("byCategory")).toObject();
    for (auto it = byCategory.cbegin(); it != byCategory.cend(); ++it) {
        out() << "relevance:   " << it.key() << ": Greenroom " << it->second << "/" << it->first;
        if (!lunr.isEmpty())
            out() << ", Lunr " << lunrCategories.value(it.key())[QLatin1String("first")].toInt() << "/" << it->first;
        out() << Qt::endl;
    }
    if (!lunr.isEmpty()) {
        QStringList missed;
        for (const QJsonValue &miss : lunr.value(QLatin1String("failed")).toArray())
            missed.append(QStringLiteral("'%1' -> %2").arg(miss[QLatin1String("query")].toString(), miss[QLatin1String("got")].toString()));
        out() << "relevance:   Lunr's misses: " << missed.join(QStringLiteral("; ")) << Qt::endl;
    }
}

// Made-up words with a realistic spread: a few common, most rare (Zipf).
class Words
{
public:
    explicit Words(int count)
    {
        static const char *const syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "zen", "dor", "fel", "gar", "hul",
                                                "jin", "kor", "lun", "mar", "nor", "pel", "quin", "ros", "sul", "tor", "ul", "ven",
                                                "wex", "yor", "bri", "cla", "dru", "est", "fin", "glo", "har", "isk", "jav", "kel"};
        QRandomGenerator random(7);
        QSet<QString> seen;
        while (m_words.size() < count) {
            QString word;
            const int parts = 2 + int(random.bounded(2));
            for (int i = 0; i < parts; ++i)
                word += QLatin1String(syllables[random.bounded(int(std::size(syllables)))]);
            if (!seen.contains(word)) {
                seen.insert(word);
                m_words.append(word);
            }
        }
    }
    const QString &zipf(QRandomGenerator &random) const
    {
        // Rank r with probability about 1/r: exp of a uniform over log(count).
        const double r = std::exp(random.generateDouble() * std::log(double(m_words.size())));
        return m_words.at(std::min<qsizetype>(m_words.size() - 1, qsizetype(r) - 1));
    }
    const QString &uniform(QRandomGenerator &random) const { return m_words.at(random.bounded(int(m_words.size()))); }
    QString sentence(QRandomGenerator &random, int words) const
    {
        QStringList parts;
        for (int i = 0; i < words; ++i)
            parts.append(zipf(random));
        return parts.join(QLatin1Char(' '));
    }

private:
    QStringList m_words;
};

QString capitalised(QString words)
{
    bool start = true;
    for (QChar &c : words) {
        if (start)
            c = c.toUpper();
        start = c == QLatin1Char(' ');
    }
    return words;
}

void speed(const QString &work, int entities, int sections)
{
    const Words words(12000);
    QRandomGenerator random(42);
    // A store kept from an earlier run (GREENROOM_BENCH_DIR) is queried as it is;
    // the same catalog is generated again, deterministically, but not written.
    const bool write = !QFile::exists(work + QStringLiteral("/speed.sqlite"));
    auto store = Store::SqliteCatalogStore::open(work + QStringLiteral("/speed.sqlite"));
    if (!store)
        die(store.error().message);
    static const char *const kinds[] = {"Component", "Component", "Component", "Component", "Component", "Component", "API", "API", "Resource", "System"};
    static const char *const lifecycles[] = {"production", "experimental", "deprecated"};
    static const char *const types[] = {"service", "website", "library", "database", "openapi", "grpc"};
    QStringList names;
    QSet<QString> taken;
    Store::MirrorBatch batch;
    qint64 writeMs = 0;
    const auto flush = [&] {
        if (!write) {
            batch.changes.clear();
            return;
        }
        QElapsedTimer timer;
        timer.start();
        if (auto written = store.value()->applyMirror(batch); !written)
            die(written.error().message);
        writeMs += timer.elapsed();
        batch.changes.clear();
    };
    for (int i = 0; i < entities; ++i) {
        QString name;
        do {
            QStringList parts;
            const int count = 1 + int(random.bounded(3));
            for (int p = 0; p < count; ++p)
                parts.append(words.uniform(random));
            name = parts.join(QLatin1Char('-'));
        } while (taken.contains(name));
        taken.insert(name);
        names.append(name);
        const QString kind = QString::fromLatin1(kinds[i % std::size(kinds)]);
        const QString team = QStringLiteral("team-") + words.uniform(random);
        QJsonArray tags;
        for (int t = 0; t < 1 + i % 3; ++t)
            tags.append(words.zipf(random).left(8));
        QJsonObject metadata{{QStringLiteral("name"), name},
                             {QStringLiteral("namespace"), QStringLiteral("default")},
                             {QStringLiteral("title"), capitalised(QString(name).replace(QLatin1Char('-'), QLatin1Char(' ')))},
                             {QStringLiteral("description"), words.sentence(random, 6 + int(random.bounded(14)))},
                             {QStringLiteral("tags"), tags},
                             {QStringLiteral("uid"), QStringLiteral("uid-%1").arg(i)},
                             {QStringLiteral("etag"), QStringLiteral("e")}};
        if (i < sections / 10)
            metadata.insert(QStringLiteral("annotations"), QJsonObject{{QStringLiteral("backstage.io/techdocs-ref"), QStringLiteral("dir:.")}});
        const QJsonObject entity{
            {QStringLiteral("apiVersion"), QStringLiteral("backstage.io/v1alpha1")}, {QStringLiteral("kind"), kind}, {QStringLiteral("metadata"), metadata},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("type"), QLatin1String(types[i % std::size(types)])},
                                                 {QStringLiteral("lifecycle"), QLatin1String(lifecycles[i % 3])}, {QStringLiteral("owner"), team}}},
            {QStringLiteral("relations"), QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("ownedBy")},
                                                                 {QStringLiteral("targetRef"), QStringLiteral("group:default/") + team}}}}};
        batch.changes.append({false, kind.toLower() + QStringLiteral(":default/") + name.toLower(), QStringLiteral("uid-%1").arg(i),
                              QStringLiteral("e"), QJsonDocument(entity).toJson(QJsonDocument::Compact), {}});
        if (batch.changes.size() == 5000)
            flush();
    }
    flush();
    if (write)
        out() << "speed: " << entities << " entities written with their search documents in " << writeMs / 1000.0 << " s" << Qt::endl;

    // Docs: ten sections on each of the first documented entities.
    QElapsedTimer docsTimer;
    docsTimer.start();
    QStringList docWords;
    for (int e = 0; e < sections / 10; ++e) {
        QJsonArray docs;
        for (int s = 0; s < 10; ++s) {
            const QString title = capitalised(words.sentence(random, 2 + int(random.bounded(3))));
            const QString text = words.sentence(random, 40 + int(random.bounded(120)));
            docWords.append(text.section(QLatin1Char(' '), 3, 3));
            docs.append(QJsonObject{{QStringLiteral("location"), s == 0 ? QString() : QStringLiteral("page-%1/").arg(s)},
                                    {QStringLiteral("title"), title}, {QStringLiteral("text"), text}});
        }
        const QString ref = QString::fromLatin1(kinds[e % std::size(kinds)]).toLower() + QStringLiteral(":default/") + names.at(e).toLower();
        Store::DocsSiteWrite site;
        site.entityRef = ref;
        site.entityUid = QStringLiteral("uid-%1").arg(e);
        site.files = {{QStringLiteral("techdocs_metadata.json"), QByteArrayLiteral("{}")},
                      {QStringLiteral("search/search_index.json"), QJsonDocument(QJsonObject{{QStringLiteral("docs"), docs}}).toJson()}};
        if (!write)
            continue;
        if (auto put = store.value()->putDocsSite(site); !put)
            die(put.error().message);
    }
    if (write)
        out() << "speed: " << sections << " docs sections written with their search documents in " << docsTimer.elapsed() / 1000.0 << " s"
              << Qt::endl;

    // The index alone: made again from the stored entities and sections.
    QElapsedTimer rebuild;
    rebuild.start();
    Search::CollatorOptions other;
    other.catalogLocationTemplate = QStringLiteral("/catalog/:namespace/:kind/:name/");
    if (Status s = store.value()->setSearchOptions(other); !s)
        die(s.error().message);
    out() << "speed: the whole search index made again from the store: " << rebuild.elapsed() / 1000.0 << " s" << Qt::endl;
    if (Status s = store.value()->setSearchOptions({}); !s)
        die(s.error().message);

    // Queries: as people type them.
    QStringList queries;
    QStringList categories;
    const auto add = [&](const char *category, const QString &query) {
        categories.append(QLatin1String(category));
        queries.append(query);
    };
    for (int i = 0; i < 250; ++i) {
        const QString name = names.at(random.bounded(int(names.size())));
        const QString word = name.section(QLatin1Char('-'), 0, 0);
        add("exact name", name);
        add("one word", word);
        add("prefix", word.left(2 + int(random.bounded(3))));
        if (name.count(QLatin1Char('-')) >= 1)
            add("two words", name.section(QLatin1Char('-'), 0, 1).replace(QLatin1Char('-'), QLatin1Char(' ')));
        add("docs word", docWords.at(random.bounded(int(docWords.size()))));
        if (word.size() >= 5) {
            QString typo = word;
            std::swap(typo[2], typo[3]);
            add("typo", typo);
        }
    }
    QMap<QString, QList<double>> inProcess;
    QList<double> all;
    for (qsizetype i = 0; i < queries.size(); ++i) {
        Search::SearchRequest request;
        request.term = queries.at(i);
        request.preTag = QStringLiteral("<b>");
        request.postTag = QStringLiteral("</b>");
        QElapsedTimer timer;
        timer.start();
        if (auto found = store.value()->searchDocuments(request); !found)
            die(found.error().message);
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        inProcess[categories.at(i)].append(ms);
        all.append(ms);
    }
    out() << "speed: in process, " << queries.size() << " queries (page of 25, total and highlights): " << figures(all) << Qt::endl;
    QList<qsizetype> slowest(all.size());
    std::iota(slowest.begin(), slowest.end(), 0);
    std::sort(slowest.begin(), slowest.end(), [&](qsizetype a, qsizetype b) { return all.at(a) > all.at(b); });
    QStringList slow;
    for (qsizetype i = 0; i < std::min<qsizetype>(6, slowest.size()); ++i)
        slow.append(QStringLiteral("'%1' %2 ms").arg(queries.at(slowest.at(i))).arg(all.at(slowest.at(i)), 0, 'f', 1));
    out() << "speed:   slowest: " << slow.join(QStringLiteral(", ")) << Qt::endl;
    for (auto it = inProcess.cbegin(); it != inProcess.cend(); ++it)
        out() << "speed:   " << it.key() << ": " << figures(it.value()) << Qt::endl;

    // Over HTTP: greenroom-server on a copy of the store, one keep-alive connection.
    const QString dbFile = work + QStringLiteral("/speed.sqlite");
    store.value().reset();
    QList<double> http;
    {
        QDir(work + QStringLiteral("/server")).removeRecursively();
        Bench::StoreServer server(QStringLiteral("bench_search"), work + QStringLiteral("/server"), dbFile, 0);
        QNetworkAccessManager network;
        for (const QString &query : std::as_const(queries)) {
            QUrl url(server.base() + QStringLiteral("/api/search/query"));
            QUrlQuery parameters;
            parameters.addQueryItem(QStringLiteral("term"), query);
            url.setQuery(parameters);
            QElapsedTimer timer;
            timer.start();
            QNetworkReply *reply = network.get(QNetworkRequest(url));
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
                die(QStringLiteral("HTTP search failed: ") + QString::fromUtf8(reply->readAll()));
            reply->readAll();
            http.append(double(timer.nsecsElapsed()) / 1e6);
            reply->deleteLater();
        }
    }
    out() << "speed: over HTTP (GET /api/search/query, loopback): " << figures(http) << Qt::endl;

    // Backstage's Lunr on the same documents and queries.
    auto reopened = Store::SqliteCatalogStore::open(dbFile);
    if (!reopened)
        die(reopened.error().message);
    const QString documents = work + QStringLiteral("/speed-documents.ndjson");
    dumpDocuments(*reopened.value(), documents);
    const QString queryFile = work + QStringLiteral("/queries.txt");
    QFile queryOut(queryFile);
    if (!queryOut.open(QIODevice::WriteOnly))
        die(QStringLiteral("cannot write ") + queryFile);
    queryOut.write(queries.join(QLatin1Char('\n')).toUtf8() + '\n');
    queryOut.close();
    const QJsonObject lunr = runLunr({QStringLiteral("speed"), documents, queryFile});
    if (lunr.isEmpty())
        return;
    QList<double> lunrMs;
    for (const QJsonValue &ms : lunr.value(QLatin1String("queryMs")).toArray())
        lunrMs.append(ms.toDouble());
    out() << "speed: Backstage's Lunr on the same " << lunr.value(QLatin1String("documents")).toInt() << " documents: index built in "
          << lunr.value(QLatin1String("indexMs")).toDouble() / 1000.0 << " s; queries " << figures(lunrMs) << Qt::endl;
    out() << "speed: Lunr / Greenroom in process: p50 " << percentile(lunrMs, 0.5) / percentile(all, 0.5) << "x, p99 "
          << percentile(lunrMs, 0.99) / percentile(all, 0.99) << "x" << Qt::endl;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int entities = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 100000;
    const int sections = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 10000;
    // GREENROOM_BENCH_DIR keeps the stores (and reuses the generated one);
    // GREENROOM_BENCH_LUNR=0 leaves Backstage's engine out.
    QTemporaryDir temporary;
    const QString work = qEnvironmentVariable("GREENROOM_BENCH_DIR", temporary.path());
    QDir().mkpath(work);
    relevance(work);
    speed(work, entities, sections);
    return 0;
}
