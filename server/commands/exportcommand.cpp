// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "exportcommand.h"

#include "command.h"
#include "databaseconfig.h"

#include <config/configloader.h>
#include <model/annotations.h>
#include <store/sqlitecatalogstore.h>
#include <yaml/yamlwriter.h>

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>

namespace Greenroom::Server {

namespace {

// The entity as a catalog file would hold it.
QJsonObject asCatalogDocument(QJsonObject entity)
{
    entity.remove(QLatin1String("relations"));
    entity.remove(QLatin1String("status"));
    QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    metadata.remove(QLatin1String("uid"));
    metadata.remove(QLatin1String("etag"));
    metadata.remove(QLatin1String("generation"));
    QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    annotations.remove(Model::Annotations::ManagedByLocation);
    annotations.remove(Model::Annotations::ManagedByOriginLocation);
    if (annotations.isEmpty())
        metadata.remove(QLatin1String("annotations"));
    else
        metadata.insert(QLatin1String("annotations"), annotations);
    entity.insert(QLatin1String("metadata"), metadata);
    return entity;
}

} // namespace

int runExportCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Write the whole catalog out as YAML or JSON."));
    const QCommandLineOption database(QStringLiteral("db"), QStringLiteral("SQLite store to read."), QStringLiteral("FILE"));
    const QCommandLineOption configOption(QStringLiteral("config"), QStringLiteral("app-config naming the store (repeatable)."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("yaml or json."), QStringLiteral("FORMAT"));
    const QCommandLineOption output(QStringLiteral("output"), QStringLiteral("File to write (default: standard output)."),
                                    QStringLiteral("FILE"));
    parser.addOptions({database, configOption, format, output});
    if (auto done = parseCommandLine(parser, arguments))
        return *done;
    QTextStream err(stderr);
    const QString kind = parser.value(format);
    if (kind != QLatin1String("yaml") && kind != QLatin1String("json")) {
        err << "export: --format must be yaml or json" << Qt::endl;
        return ExitUsage;
    }
    QString path = parser.value(database);
    std::unique_ptr<Store::CatalogStore> store;
    if (path.isEmpty() && parser.isSet(configOption)) {
        Config::LoadOptions options;
        options.configFiles = parser.values(configOption);
        options.environment = Config::systemEnvironment();
        auto config = Config::ConfigLoader::load(options);
        auto settings = config ? databaseSettings(config.value()) : Result<DatabaseSettings>(config.error());
        if (!settings) {
            err << "export: " << settings.error().toString() << Qt::endl;
            return ExitFailure;
        }
        if (settings->postgres) {
            auto opened = openServerStore(settings.value());
            if (!opened) {
                err << "export: " << opened.error().toString() << Qt::endl;
                return ExitFailure;
            }
            store = std::move(opened).value();
        }
        path = settings->sqlitePath;
    }
    if (!store) {
        if (path.isEmpty() || path == QLatin1String(":memory:")) {
            err << "export: needs --db FILE, or --config naming a database directory or PostgreSQL" << Qt::endl;
            return ExitUsage;
        }
        if (!QFile::exists(path)) {
            err << "export: no store at " << path << Qt::endl;
            return ExitFailure;
        }
        auto opened = Store::SqliteCatalogStore::open(path);
        if (!opened) {
            err << "export: " << opened.error().toString() << Qt::endl;
            return ExitFailure;
        }
        store = std::move(opened).value();
    }

    // Pages by uid keyset, so memory stays one page deep for the reading.
    QList<QJsonValue> entities;
    Store::EntityQuery query;
    query.limit = 1000;
    while (true) {
        auto page = store->queryEntities(query);
        if (!page) {
            err << "export: " << page.error().toString() << Qt::endl;
            return ExitFailure;
        }
        for (const Store::StoredEntity &entity : page->items) {
            if (kind == QLatin1String("json"))
                entities.append(entity.entity);
            // Location entities point at files relative to where they were
            // read; everything they led to is in this one file already.
            else if (entity.entity.value(QLatin1String("kind")).toString() != QLatin1String("Location"))
                entities.append(asCatalogDocument(entity.entity));
        }
        if (!page->hasMore)
            break;
        query.after = page->lastKey;
    }
    QByteArray bytes;
    if (kind == QLatin1String("yaml")) {
        bytes = Yaml::writeYamlDocuments(entities);
    } else {
        QJsonArray array;
        for (const QJsonValue &entity : std::as_const(entities))
            array.append(entity);
        bytes = QJsonDocument(array).toJson(QJsonDocument::Indented);
    }
    if (!parser.isSet(output)) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
            return ExitFailure;
        return ExitOk;
    }
    // Written whole or not at all: a backup is never left half-written.
    QSaveFile file(parser.value(output));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        err << "export: cannot write " << parser.value(output) << ": " << file.errorString() << Qt::endl;
        return ExitFailure;
    }
    err << "export: " << entities.size() << " entities written to " << parser.value(output) << Qt::endl;
    return ExitOk;
}

} // namespace Greenroom::Server
