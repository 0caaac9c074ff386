// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "databaseconfig.h"

#include <store/postgrescatalogstore.h>
#include <store/sqlitecatalogstore.h>

#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace Greenroom::Server {

namespace {

// The plugin whose database Greenroom uses for all it keeps.
const QString PluginId = QStringLiteral("catalog");

QString dataFolder()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return folder;
}

Result<DatabaseSettings> sqliteSettings(const Config::ConfigReader &config)
{
    DatabaseSettings settings;
    auto connection = config.optional(QStringLiteral("backend.database.connection"));
    if (!connection)
        return connection.error();
    if (connection->has_value() && (*connection)->isString()) {
        if ((*connection)->toString() != QLatin1String(":memory:"))
            return Error::input(QStringLiteral("backend.database.connection must be ':memory:' or {directory: <dir>} for SQLite"));
        settings.sqlitePath = QStringLiteral(":memory:");
        settings.description = settings.sqlitePath;
        settings.gitCache = QDir::temp().filePath(QStringLiteral("greenroom-git-cache"));
        return settings;
    }
    auto directory = config.optionalString(QStringLiteral("backend.database.connection.directory"));
    if (!directory)
        return directory.error();
    if (auto filename = config.optionalString(QStringLiteral("backend.database.connection.filename")); filename && filename->has_value())
        return Error::input(QStringLiteral("connection.filename is not supported for the base sqlite connection. "
                                           "Prefer connection.directory or provide a filename for the plugin connection instead."));
    const QString folder = directory->value_or(dataFolder());
    QDir().mkpath(folder);
    settings.sqlitePath = QDir(folder).filePath(QStringLiteral("catalog.sqlite"));
    settings.description = settings.sqlitePath;
    settings.gitCache = QDir(folder).filePath(QStringLiteral("git-cache"));
    return settings;
}

// A value in a libpq key=value string: quoted, with ' and \ escaped.
QString conninfoValue(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

struct PgConnection
{
    QMap<QString, QString> keys;   // libpq keywords
};

// A postgres:// or postgresql:// URL as pg-connection-string reads it.
Result<PgConnection> parseConnectionUrl(const QString &text)
{
    const QUrl url(text);
    if (!url.isValid() || (url.scheme() != QLatin1String("postgres") && url.scheme() != QLatin1String("postgresql")))
        return Error::input(QStringLiteral("backend.database.connection is not a postgres:// or postgresql:// URL"));
    PgConnection connection;
    if (!url.host().isEmpty())
        connection.keys.insert(QStringLiteral("host"), url.host());
    if (url.port() > 0)
        connection.keys.insert(QStringLiteral("port"), QString::number(url.port()));
    if (!url.userName().isEmpty())
        connection.keys.insert(QStringLiteral("user"), url.userName());
    if (!url.password().isEmpty())
        connection.keys.insert(QStringLiteral("password"), url.password());
    const QString database = url.path().mid(1);
    if (!database.isEmpty())
        connection.keys.insert(QStringLiteral("dbname"), database);
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("ssl"))
            connection.keys.insert(QStringLiteral("sslmode"), value == QLatin1String("true") || value == QLatin1String("1")
                                                                  ? QStringLiteral("verify-full") : QStringLiteral("disable"));
        else if (key == QLatin1String("sslmode") || key == QLatin1String("sslrootcert") || key == QLatin1String("sslcert")
                 || key == QLatin1String("sslkey") || key == QLatin1String("application_name") || key == QLatin1String("options"))
            connection.keys.insert(key, value);
        else if (key == QLatin1String("host"))   // a unix socket folder
            connection.keys.insert(QStringLiteral("host"), value);
    }
    return connection;
}

// {host, port, user, password, database, ssl} as node-postgres reads them.
Result<PgConnection> readConnectionObject(const Config::ConfigReader &config, const QString &path)
{
    PgConnection connection;
    const std::pair<const char *, const char *> fields[] = {{"host", "host"}, {"user", "user"}, {"password", "password"},
                                                            {"database", "dbname"}, {"application_name", "application_name"}};
    for (const auto &[key, keyword] : fields) {
        auto value = config.optionalString(path + QLatin1Char('.') + QLatin1String(key));
        if (!value)
            return value.error();
        if (value->has_value())
            connection.keys.insert(QLatin1String(keyword), **value);
    }
    auto port = config.optional(path + QStringLiteral(".port"));
    if (!port)
        return port.error();
    if (port->has_value()) {
        const QJsonValue value = **port;
        const QString text = value.isDouble() ? QString::number(value.toInteger()) : value.toString();
        bool ok = false;
        if (text.toInt(&ok) <= 0 || !ok)
            return Error::input(QStringLiteral("%1.port must be a port number").arg(path));
        connection.keys.insert(QStringLiteral("port"), text);
    }
    auto ssl = config.optional(path + QStringLiteral(".ssl"));
    if (!ssl)
        return ssl.error();
    if (ssl->has_value()) {
        const QJsonValue value = **ssl;
        if (value.isBool()) {
            connection.keys.insert(QStringLiteral("sslmode"), value.toBool() ? QStringLiteral("verify-full") : QStringLiteral("disable"));
        } else if (value.isObject()) {
            // node-postgres verifies the server unless rejectUnauthorized is false.
            const bool verify = value[QLatin1String("rejectUnauthorized")].toBool(true);
            connection.keys.insert(QStringLiteral("sslmode"), verify ? QStringLiteral("verify-full") : QStringLiteral("require"));
            if (value[QLatin1String("ca")].isString()) {
                // libpq reads a CA from a file, not from text: a file of our own in the data folder.
                QFile ca(QDir(dataFolder()).filePath(QStringLiteral("postgres-ca.pem")));
                if (!ca.open(QIODevice::WriteOnly | QIODevice::Truncate) || ca.write(value[QLatin1String("ca")].toString().toUtf8()) < 0)
                    return Error::input(QStringLiteral("cannot write %1.ssl.ca to %2").arg(path, ca.fileName()));
                connection.keys.insert(QStringLiteral("sslrootcert"), ca.fileName());
            }
        } else {
            return Error::input(QStringLiteral("%1.ssl must be a boolean or an object").arg(path));
        }
    }
    return connection;
}

Result<PgConnection> readConnection(const Config::ConfigReader &config, const QString &path)
{
    auto value = config.optional(path);
    if (!value)
        return value.error();
    if (!value->has_value())
        return PgConnection{};
    if ((*value)->isString())
        return parseConnectionUrl((*value)->toString());
    if ((*value)->isObject())
        return readConnectionObject(config, path);
    return Error::input(QStringLiteral("%1 must be a connection string or an object").arg(path));
}

QString conninfoOf(const PgConnection &connection)
{
    QStringList parts;
    for (auto it = connection.keys.cbegin(); it != connection.keys.cend(); ++it)
        parts.append(it.key() + QLatin1Char('=') + conninfoValue(it.value()));
    return parts.join(QLatin1Char(' '));
}

Result<DatabaseSettings> postgresSettings(const Config::ConfigReader &config)
{
    DatabaseSettings settings;
    settings.postgres = true;
    auto base = readConnection(config, QStringLiteral("backend.database.connection"));
    if (!base)
        return base.error();
    const QString pluginPath = QStringLiteral("backend.database.plugin.") + PluginId;
    auto pluginClient = config.optionalString(pluginPath + QStringLiteral(".client"));
    if (!pluginClient)
        return pluginClient.error();
    if (pluginClient->has_value() && **pluginClient != QLatin1String("pg"))
        return Error(QStringLiteral("NotImplementedError"),
                     QStringLiteral("%1.client '%2' differs from backend.database.client: Greenroom keeps all it stores in one database")
                         .arg(pluginPath, **pluginClient));
    auto plugin = readConnection(config, pluginPath + QStringLiteral(".connection"));
    if (!plugin)
        return plugin.error();
    auto mode = config.optionalString(QStringLiteral("backend.database.pluginDivisionMode"));
    if (!mode)
        return mode.error();
    auto prefix = config.optionalString(QStringLiteral("backend.database.prefix"));
    if (!prefix)
        return prefix.error();
    auto schemaPrefix = config.optionalString(QStringLiteral("backend.database.schemaPrefix"));
    if (!schemaPrefix)
        return schemaPrefix.error();
    auto ensureExists = config.optionalBoolean(QStringLiteral("backend.database.ensureExists"));
    if (!ensureExists)
        return ensureExists.error();
    auto pluginEnsureExists = config.optionalBoolean(pluginPath + QStringLiteral(".ensureExists"));
    if (!pluginEnsureExists)
        return pluginEnsureExists.error();
    const QString division = mode->value_or(QStringLiteral("database"));
    if (division != QLatin1String("database") && division != QLatin1String("schema"))
        return Error::input(QStringLiteral("backend.database.pluginDivisionMode must be database or schema, not '%1'").arg(division));
    const QString schemaStart = schemaPrefix->value_or(QString());
    static const QRegularExpression identifier(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    if (!schemaStart.isEmpty() && !identifier.match(schemaStart).hasMatch())
        return Error::input(QStringLiteral("Invalid schemaPrefix \"%1\". Schema prefix must start with a letter or underscore and "
                                           "contain only letters, numbers, and underscores.").arg(schemaStart));
    settings.ensureExists = pluginEnsureExists->value_or(ensureExists->value_or(true));

    // As Backstage: in database mode the base connection's database is not
    // used (each plugin has its own); the plugin's connection overrides.
    PgConnection connection = base.value();
    if (division == QLatin1String("database"))
        connection.keys.remove(QStringLiteral("dbname"));
    for (auto it = plugin->keys.cbegin(); it != plugin->keys.cend(); ++it)
        connection.keys.insert(it.key(), it.value());
    if (!connection.keys.contains(QStringLiteral("application_name")))
        connection.keys.insert(QStringLiteral("application_name"), QStringLiteral("backstage_plugin_") + PluginId);
    if (division == QLatin1String("schema")) {
        settings.schema = schemaStart + PluginId;
        settings.databaseName = connection.keys.value(QStringLiteral("dbname"));
    } else {
        settings.databaseName = connection.keys.value(QStringLiteral("dbname"),
                                                      (prefix->value_or(QString()).isEmpty() ? QStringLiteral("backstage_plugin_") : **prefix) + PluginId);
        connection.keys.insert(QStringLiteral("dbname"), settings.databaseName);
    }
    settings.conninfo = conninfoOf(connection);
    PgConnection admin = connection;
    admin.keys.insert(QStringLiteral("dbname"), QStringLiteral("postgres"));
    settings.adminConninfo = conninfoOf(admin);
    settings.description = QStringLiteral("postgresql://%1@%2:%3/%4%5")
                               .arg(connection.keys.value(QStringLiteral("user")), connection.keys.value(QStringLiteral("host"), QStringLiteral("localhost")),
                                    connection.keys.value(QStringLiteral("port"), QStringLiteral("5432")), settings.databaseName,
                                    settings.schema.isEmpty() ? QString() : QStringLiteral(" (schema %1)").arg(settings.schema));
    settings.gitCache = QDir(dataFolder()).filePath(QStringLiteral("git-cache"));
    return settings;
}

} // namespace

Result<DatabaseSettings> databaseSettings(const Config::ConfigReader &config)
{
    auto client = config.optionalString(QStringLiteral("backend.database.client"));
    if (!client)
        return client.error();
    const QString name = client->value_or(QStringLiteral("better-sqlite3"));
    if (name == QLatin1String("better-sqlite3") || name == QLatin1String("sqlite3"))
        return sqliteSettings(config);
    if (name == QLatin1String("pg"))
        return postgresSettings(config);
    return Error(QStringLiteral("NotImplementedError"),
                 QStringLiteral("backend.database.client '%1' is not supported; use better-sqlite3 or pg").arg(name));
}

Result<std::unique_ptr<Store::ServerStore>> openServerStore(const DatabaseSettings &settings)
{
    if (!settings.postgres) {
        auto store = Store::SqliteCatalogStore::open(settings.sqlitePath);
        if (!store)
            return store.error();
        return std::unique_ptr<Store::ServerStore>(std::move(store).value());
    }
    if (settings.ensureExists && !settings.databaseName.isEmpty() && settings.schema.isEmpty()) {
        if (Status made = Store::PostgresCatalogStore::ensureDatabase(settings.adminConninfo, settings.databaseName); !made)
            return Error(made.error().name, QStringLiteral("Failed to connect to the database to make sure that '%1' exists, %2")
                                                .arg(settings.databaseName, made.error().message));
    }
    auto store = Store::PostgresCatalogStore::open(settings.conninfo, {settings.schema, settings.ensureExists});
    if (!store)
        return store.error();
    return std::unique_ptr<Store::ServerStore>(std::move(store).value());
}

} // namespace Greenroom::Server
