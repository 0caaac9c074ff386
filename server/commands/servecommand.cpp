// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "servecommand.h"

#include "catalog/catalogroutes.h"
#include "catalog/readerpool.h"
#include "catalogconfig.h"
#include "githubproviderconfig.h"
#include "command.h"
#include "databaseconfig.h"
#include "http/httpserver.h"
#include "operations/logger.h"
#include "operations/servermetrics.h"
#include "plugins/serverplugins.h"
#include "shutdownsignal.h"
#include "sync/syncroutes.h"
#include "scaffolder/scaffolderroutes.h"
#include "auth/authroutes.h"
#include "auth/signinroutes.h"
#include "search/searchroutes.h"
#include "techdocs/techdocsroutes.h"

#include <auth/tokenauthenticator.h>
#include <auth/usertokens.h>
#include <config/configloader.h>
#include <config/duration.h>
#include <ingest/catalogingester.h>
#include <ingest/githubproviders.h>
#include <ingest/processingloop.h>
#include <scaffold/localcatalogaccess.h>
#include <store/pgchangelistener.h>

#include <QCommandLineParser>
#include <cmath>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTextStream>
#include <QThread>
#include <QSysInfo>
#include <QTimer>
#include <QUrl>
#include <QUuid>

#include <sys/resource.h>

namespace Greenroom::Server {

namespace {

// Each desktop holds a connection open on the sync feed, and a shell's soft
// descriptor limit (often 1,024) would refuse the thousandth: the soft limit
// goes up to what the hard limit allows, as Go's runtime and nginx do.
void raiseDescriptorLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 1 << 16);
    (void)setrlimit(RLIMIT_NOFILE, &limit);
}

struct ListenAddress
{
    QString host;   // empty: every interface
    quint16 port = 7007;
};

// backend.listen: "<port>", "<host>:<port>" or {host, port}.
Result<ListenAddress> listenAddress(const Config::ConfigReader &config)
{
    ListenAddress address;
    auto raw = config.optional(QStringLiteral("backend.listen"));
    if (!raw)
        return raw.error();
    if (!raw->has_value())
        return address;
    if ((*raw)->isString()) {
        static const QRegularExpression form(QStringLiteral("^(?:(.*):)?(\\d+)$"));
        const QString text = (*raw)->toString();
        const QRegularExpressionMatch match = form.match(text);
        if (!match.hasMatch() || match.captured(2).toUInt() > 65535)
            return Error::input(QStringLiteral("Unable to parse listen address %1, expected <port> or <host>:<port>").arg(text));
        address.host = match.captured(1);
        address.port = quint16(match.captured(2).toUInt());
        return address;
    }
    auto port = config.optionalNumber(QStringLiteral("backend.listen.port"));
    if (!port)
        return port.error();
    if (port->has_value()) {
        if (**port < 0 || **port > 65535 || **port != std::floor(**port))
            return Error::input(QStringLiteral("Invalid port in config at 'backend.listen.port': %1").arg(**port));
        address.port = quint16(**port);
    }
    auto host = config.optionalString(QStringLiteral("backend.listen.host"));
    if (!host)
        return host.error();
    address.host = host->value_or(QString());
    return address;
}

// backend.cors as Backstage's readCorsOptions reads it (a string or a list
// where cors takes either); nullopt when the key is absent: no CORS at all.
Result<std::optional<CorsOptions>> corsOptions(const Config::ConfigReader &config)
{
    auto cors = config.optional(QStringLiteral("backend.cors"));
    if (!cors)
        return cors.error();
    if (!cors->has_value())
        return std::optional<CorsOptions>();
    const auto list = [&](const char *key) -> Result<std::optional<QStringList>> {
        const QString path = QStringLiteral("backend.cors.") + QLatin1String(key);
        auto value = config.optional(path);
        if (!value)
            return value.error();
        if (!value->has_value())
            return std::optional<QStringList>();
        if ((*value)->isString())
            return std::optional<QStringList>(QStringList{(*value)->toString()});
        return config.optionalStringArray(path);
    };
    CorsOptions options;
    auto origins = list("origin");
    if (!origins)
        return origins.error();
    if (origins->has_value()) {
        options.origins.emplace();
        for (const QString &pattern : **origins)
            options.origins->append(CorsOptions::originPattern(pattern));
    }
    auto methods = list("methods");
    if (!methods)
        return methods.error();
    if (methods->has_value())
        options.methods = (*methods)->join(QLatin1Char(',')).toLatin1();
    for (const auto &[key, target] : {std::pair{"allowedHeaders", &options.allowedHeaders}, std::pair{"exposedHeaders", &options.exposedHeaders}}) {
        auto values = list(key);
        if (!values)
            return values.error();
        if (values->has_value())
            *target = (*values)->join(QLatin1Char(',')).toLatin1();
    }
    auto credentials = config.optionalBoolean(QStringLiteral("backend.cors.credentials"));
    if (!credentials)
        return credentials.error();
    options.credentials = credentials->value_or(false);
    auto maxAge = config.optionalNumber(QStringLiteral("backend.cors.maxAge"));
    if (!maxAge)
        return maxAge.error();
    if (maxAge->has_value())
        options.maxAge = QByteArray::number(**maxAge, 'g', 17);
    auto success = config.optionalNumber(QStringLiteral("backend.cors.optionsSuccessStatus"));
    if (!success)
        return success.error();
    if (success->has_value())
        options.optionsSuccessStatus = int(**success);
    return std::optional<CorsOptions>(options);
}

// The Hosts requests may name (besides loopback and addresses) and backend.cors.
Result<RequestPolicy> requestPolicy(const Config::ConfigReader &config, const ListenAddress &address)
{
    RequestPolicy policy;
    auto baseUrl = config.optionalString(QStringLiteral("backend.baseUrl"));
    if (!baseUrl)
        return baseUrl.error();
    QStringList hosts;
    if (baseUrl->has_value() && !QUrl(**baseUrl).host().isEmpty())
        hosts.append(QUrl(**baseUrl).host());
    if (!address.host.isEmpty())
        hosts.append(address.host);
    policy.setAllowedHosts(hosts);
    auto cors = corsOptions(config);
    if (!cors)
        return cors.error();
    policy.setCors(std::move(cors).value());
    return policy;
}

// greenroom.processing.leaseTimeout: how long a replica's hold on a location
// lasts without renewal, so how soon another takes over from one that died.
Result<std::chrono::milliseconds> leaseTimeoutSetting(const Config::ConfigReader &config)
{
    const QString key = QStringLiteral("greenroom.processing.leaseTimeout");
    auto set = config.optional(key);
    if (!set)
        return set.error();
    if (!set->has_value())
        return std::chrono::milliseconds(std::chrono::seconds(60));
    auto timeout = Config::readDuration(config, key);
    if (!timeout)
        return timeout.error();
    if (timeout->count() < 1000)
        return Error::input(QStringLiteral("%1 must be at least a second").arg(key));
    return std::chrono::duration_cast<std::chrono::milliseconds>(timeout.value());
}

} // namespace

int runServeCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Serve the catalog API over HTTP."));
    const QCommandLineOption configOption(QStringLiteral("config"), QStringLiteral("app-config file (repeatable)."),
                                          QStringLiteral("FILE"));
    parser.addOption(configOption);
    const QCommandLineOption logFormatOption(QStringLiteral("log-format"),
                                             QStringLiteral("text (default) or json: one JSON object per line."),
                                             QStringLiteral("FORMAT"),
                                             qEnvironmentVariable("GREENROOM_LOG_FORMAT", QStringLiteral("text")));
    parser.addOption(logFormatOption);
    const QCommandLineOption logRequestsOption(QStringLiteral("log-requests"), QStringLiteral("Log every HTTP request."));
    parser.addOption(logRequestsOption);
    if (auto done = parseCommandLine(parser, arguments))
        return *done;
    auto format = Logger::formatNamed(parser.value(logFormatOption));
    if (!format) {
        QTextStream(stderr) << "serve: " << format.error().message << Qt::endl;
        return ExitUsage;
    }
    const Logger log(format.value());
    const auto fail = [&](const Error &error) {
        log.error(QStringLiteral("serve: ") + error.toString());
        return ExitFailure;
    };
    raiseDescriptorLimit();

    Config::LoadOptions loadOptions;
    loadOptions.configFiles = parser.values(configOption);
    loadOptions.environment = Config::systemEnvironment();
    // The embedded default reads the bundled demo organisation.
    loadOptions.environment.insert(QStringLiteral("GREENROOM_RESOURCES"), QStringLiteral(GREENROOM_RESOURCES_DIR));
    loadOptions.defaultConfigFile = QStringLiteral(":/greenroom/app-config.default.yaml");
    const QStringList files = Config::ConfigLoader::configFiles(loadOptions);
    auto config = Config::ConfigLoader::load(loadOptions);
    if (!config)
        return fail(config.error());
    log.info(QStringLiteral("config: ") + (files.isEmpty() ? QStringLiteral("(none)") : files.join(QStringLiteral(", "))));

    auto address = listenAddress(config.value());
    if (!address)
        return fail(address.error());
    auto database = databaseSettings(config.value());
    if (!database)
        return fail(database.error());
    auto store = openServerStore(database.value());
    if (!store)
        return fail(store.error());
    log.info(QStringLiteral("database: ") + database->description);
    // A private in-memory SQLite database cannot be opened twice: its one
    // connection does all. Any other store gives each thread its own.
    const bool ownConnections = database->postgres || database->sqlitePath != QLatin1String(":memory:");
    // Before any other connection opens: they read the options from the database.
    auto search = searchSettings(config.value());
    if (!search)
        return fail(search.error());
    if (Status s = store.value()->setSearchOptions(search->collator); !s)
        return fail(s.error());

    auto catalog = catalogSettings(config.value(), database->gitCache);
    if (!catalog)
        return fail(catalog.error());
    // Plugins come before the catalog is read: their processors run on every entity.
    ServerPlugins plugins(config.value(), *store.value());
    for (const ServerPluginStatus &status : plugins.load(PluginLoader::standardFolders(QCoreApplication::applicationDirPath()))) {
        if (status.loaded)
            log.info(QStringLiteral("plugin: %1 %2 loaded from %3").arg(status.id, status.version, status.file));
        if (status.message.isEmpty())
            continue;
        if (status.loaded)
            log.warn(QStringLiteral("plugin: ") + status.message);   // loaded, some of it refused
        else
            log.error(QStringLiteral("plugin: ") + status.message);
    }
    catalog.value().ingest.preProcessors = plugins.processors();
    Ingest::ProcessingLoop processing(*store.value(), catalog->ingest);
    processing.setLocations(catalog->locations);
    if (ownConnections) {
        // Location writes get their own connection and run off this thread,
        // so requests are answered while a large location is written.
        auto writer = openServerStore(database.value());
        if (!writer)
            return fail(writer.error());
        processing.setWriter(std::move(writer).value());
    }
    // catalog.providers.github and githubOrg: repositories' catalog files and the organisation's people.
    Ingest::GitHubProviders github(*store.value(), processing, catalog->github);
    Ingest::GitHubClient::Options githubOptions;
    githubOptions.warn = [&log, &github](const QString &line) {
        QMetaObject::invokeMethod(&github, [&log, line] { log.warn(QStringLiteral("catalog: ") + line); }, Qt::QueuedConnection);
    };
    github.setClientOptions(githubOptions);
    if (Status added = addGitHubProviders(config.value(), github); !added)
        return fail(added.error());
    auto techdocs = techDocsSettings(config.value(), catalog.value());
    if (!techdocs)
        return fail(techdocs.error());
    Ingest::DocsBuildLoop docsBuilds(*store.value(), *store.value(), techdocs->build);
    if (ownConnections) {
        // Sites are stored off this thread too, on their own connection.
        auto writer = openServerStore(database.value());
        if (!writer)
            return fail(writer.error());
        docsBuilds.setWriter(std::move(writer).value());
    }
    // After each location's read, its documented entities are checked.
    QObject::connect(&processing, &Ingest::ProcessingLoop::locationProcessed, &docsBuilds,
                     [&docsBuilds](const Model::LocationRef &location) { docsBuilds.checkOrigin(location.toString()); });
    // Each entity's check at debug level; at info, one line per pass and per distinct problem
    // (27,500 entities pointing at one broken folder make one line, not 27,500).
    int docsUpdated = 0;
    QObject::connect(&docsBuilds, &Ingest::DocsBuildLoop::checked, &docsBuilds,
                     [&log, &docsUpdated](const QString &ref, bool updated, const QString &error) {
                         if (!error.isEmpty())
                             log.debug(QStringLiteral("docs: ") + error, {{QStringLiteral("entityRef"), ref}});
                         else
                             log.debug(QStringLiteral("docs: %1 %2").arg(ref, updated ? QStringLiteral("updated") : QStringLiteral("unchanged")),
                                       {{QStringLiteral("entityRef"), ref}});
                         docsUpdated += updated ? 1 : 0;
                     });
    QObject::connect(&docsBuilds, &Ingest::DocsBuildLoop::passFinished, &docsBuilds,
                     [&log, &docsUpdated](const QList<Ingest::DocsBuildProblem> &problems, int builds) {
                         if (docsUpdated > 0)
                             log.info(QStringLiteral("docs: %1 site(s) updated from %2 build(s)").arg(docsUpdated).arg(builds),
                                      {{QStringLiteral("updated"), docsUpdated}, {QStringLiteral("builds"), builds}});
                         docsUpdated = 0;
                         for (const Ingest::DocsBuildProblem &problem : problems) {
                             const QString who = problem.entities == 1
                                                     ? QStringLiteral("the docs page for entity %1").arg(problem.firstRef)
                                                     : QStringLiteral("the docs pages of %1 entities (%2 and %3 more)")
                                                           .arg(problem.entities).arg(problem.firstRef).arg(problem.entities - 1);
                             log.error(QStringLiteral("docs: Failed to build %1: %2").arg(who, problem.message),
                                       {{QStringLiteral("entityRef"), problem.firstRef}, {QStringLiteral("entities"), problem.entities}});
                         }
                     });
    Ingest::LocationService locationService(*store.value(), processing, {QStringLiteral("url")}, catalog->readonly);
    ServerMetrics metrics;
    // What each location's last read reported, so a re-read that changes nothing
    // (every processingInterval) is logged at debug level, not every few seconds.
    QHash<QString, QString> lastReports;
    const auto report = [&](const Model::LocationRef &location, const Result<Ingest::CatalogIngester::Outcome> &outcome) {
        const QString key = location.toString();
        const QString where = QStringLiteral("location ") + key + QStringLiteral(": ");
        metrics.recordLocationRead(!outcome || !outcome->errors.isEmpty(), outcome ? outcome->errors.size() : 1);
        QString summary = outcome ? QString() : outcome.error().toString();
        if (outcome) {
            for (const Store::ProcessingErrorRecord &e : outcome->errors)
                summary += e.file + QLatin1Char(':') + QString::number(e.line) + e.name + e.message + QLatin1Char('\n');
        }
        const bool wrote = outcome && (outcome->report.inserted > 0 || outcome->report.updated > 0 || outcome->report.deleted > 0);
        const auto previous = lastReports.constFind(key);
        const bool news = wrote || previous == lastReports.cend() || previous.value() != summary;
        lastReports.insert(key, summary);
        const auto say = [&](void (Logger::*level)(const QString &, const QJsonObject &) const, const QString &text, const QJsonObject &fields) {
            (log.*(news ? level : &Logger::debug))(text, fields);
        };
        if (!outcome) {
            say(&Logger::error, where + outcome.error().toString(), {{QStringLiteral("location"), key}});
            return;
        }
        const Store::WriteReport &r = outcome->report;
        say(&Logger::info, where + QStringLiteral("%1 added, %2 updated, %3 unchanged, %4 deleted, %5 errors")
                               .arg(r.inserted).arg(r.updated).arg(r.unchanged).arg(r.deleted).arg(outcome->errors.size()),
            {{QStringLiteral("location"), key}, {QStringLiteral("added"), r.inserted},
             {QStringLiteral("updated"), r.updated}, {QStringLiteral("unchanged"), r.unchanged},
             {QStringLiteral("deleted"), r.deleted}, {QStringLiteral("errors"), int(outcome->errors.size())}});
        // The first few problems, so an operator sees why without asking the API.
        constexpr int Shown = 10;
        for (qsizetype i = 0; i < std::min<qsizetype>(Shown, outcome->errors.size()); ++i) {
            const Store::ProcessingErrorRecord &e = outcome->errors.at(i);
            const QJsonObject fields{{QStringLiteral("location"), key}, {QStringLiteral("file"), e.file},
                                     {QStringLiteral("line"), e.line}, {QStringLiteral("entityRef"), e.entityRef}};
            const QString position = e.file.isEmpty() ? QString()
                                     : e.line > 0 ? QStringLiteral("%1:%2: ").arg(e.file).arg(e.line) : e.file + QStringLiteral(": ");
            say(e.level == QLatin1String("error") ? &Logger::error : &Logger::warn,
                QStringLiteral("  ") + position + e.name + QStringLiteral(": ") + e.message, fields);
        }
        if (outcome->errors.size() > Shown)
            say(&Logger::warn, QStringLiteral("  ... and %1 more").arg(outcome->errors.size() - Shown), {});
    };
    QObject::connect(&processing, &Ingest::ProcessingLoop::locationProcessed, report);

    auto authenticator = Auth::TokenAuthenticator::fromConfig(config.value());
    if (!authenticator)
        return fail(authenticator.error());
    // Users' tokens (auth-backend's): signed here, accepted on every route.
    auto baseUrl = config->optionalString(QStringLiteral("backend.baseUrl"));
    if (!baseUrl)
        return fail(baseUrl.error());
    qint64 lifetimeSeconds = 3600;
    auto lifetimeSet = config->optional(QStringLiteral("auth.backstageTokenExpiration"));
    if (!lifetimeSet)
        return fail(lifetimeSet.error());
    if (lifetimeSet->has_value()) {
        auto lifetime = Config::readDuration(config.value(), QStringLiteral("auth.backstageTokenExpiration"));
        if (!lifetime)
            return fail(lifetime.error());
        lifetimeSeconds = qint64(lifetime->count() / 1000);
    }
    // Their public keys are kept in the database, so tokens outlive a restart.
    Store::AuthStateStore &keyStore = *store.value();
    Auth::UserTokens userTokens({baseUrl->value_or(QStringLiteral("http://localhost:7007")) + QStringLiteral("/api/auth"), lifetimeSeconds, {},
                                 SignInRoutes::publishSigningKeysTo(keyStore), SignInRoutes::lookUpSigningKeysIn(keyStore)});
    SignInRoutes::keepSigningKeysIn(keyStore, userTokens);
    authenticator.value().setUserTokens(&userTokens);
    // permission.enabled: the policy file decides for users; otherwise everything is allowed.
    auto permissionsOn = config->optionalBoolean(QStringLiteral("permission.enabled"));
    auto policyFile = config->optionalString(QStringLiteral("permission.policyFile"));
    if (!permissionsOn)
        return fail(permissionsOn.error());
    if (!policyFile)
        return fail(policyFile.error());
    Auth::Authorizer authorizer;
    if (permissionsOn->value_or(false)) {
        if (!policyFile->has_value())
            return fail(Error::input(QStringLiteral("permission.enabled is true, but permission.policyFile names no policy")));
        auto loaded = Auth::PermissionPolicy::load(**policyFile);
        if (!loaded)
            return fail(loaded.error());
        authorizer = Auth::Authorizer(std::move(loaded).value());
        log.info(QStringLiteral("permission: policy ") + **policyFile);
    }
    for (const QString &warning : authenticator->warnings())
        log.warn(QStringLiteral("serve: ") + warning);

    auto policy = requestPolicy(config.value(), address.value());
    if (!policy)
        return fail(policy.error());
    HttpServer server;
    server.setRequestPolicy(std::move(policy).value());
    bool shuttingDown = false;
    // Entity lists and by-query pages are read on connections of their own,
    // one per core, so a busy catalog API is not held to one thread.
    auto readers = ReaderPool::open(*store.value(), std::max(2, QThread::idealThreadCount()), &server);
    if (!readers)
        return fail(readers.error());
    addHealthRoutes(server.router(), *store.value(), shuttingDown);
    addCatalogRoutes(server.router(), *store.value(), authorizer, readers.value().get());
    addRefreshRoute(server.router(), processing, *store.value(), authorizer);
    addLocationRoutes(server.router(), locationService, processing.processor(), &server, authorizer);
    addTechDocsRoutes(server.router(), *store.value(), *store.value(), docsBuilds, authorizer,
                      {.legacyCaseSensitiveTriplets = techdocs->legacyCaseSensitiveTriplets});
    addDocsBundleRoute(server.router(), *store.value(), *store.value(), authorizer);
    addSearchRoutes(server.router(), *store.value(), log, authorizer, search->limits);
    addAuthRoutes(server.router(), userTokens);
    // People sign in here (GitHub), and native apps get their tokens.
    auto signInSettings = SignInRoutes::Settings::fromConfig(config.value(), baseUrl->value_or(QStringLiteral("http://localhost:7007")));
    if (!signInSettings)
        return fail(signInSettings.error());
    if (signInSettings->github)
        log.info(QStringLiteral("auth: GitHub sign-in at ") + signInSettings->github->webBaseUrl);
    SignInRoutes signIn(server.router(), userTokens, *store.value(), std::move(signInSettings).value(),
                        SignInRoutes::refreshSessionsIn(*store.value()));
    addPermissionRoutes(server.router(), authorizer, *store.value());
    plugins.addRoutesTo(server.router());
    // Templates run here too: their catalog actions use this process's catalog.
    auto scaffolder = scaffolderServices(config.value(), catalog.value());
    if (!scaffolder)
        return fail(scaffolder.error());
    scaffolder.value()->catalog = std::make_shared<Scaffold::LocalCatalogAccess>(*store.value(), processing, catalog->readonly, &server);
    auto workingDirectory = config->optionalString(QStringLiteral("backend.workingDirectory"));
    if (!workingDirectory)
        return fail(workingDirectory.error());
    Scaffold::ActionRegistry actions = Scaffold::ActionRegistry::builtin();
    plugins.addActionsTo(actions);
    // Tasks and their logs are kept in the database, written from worker
    // threads through a connection of their own (":memory:" gives a private
    // in-memory one: tasks then last as long as the process).
    auto taskStore = openServerStore(database.value());
    if (!taskStore)
        return fail(taskStore.error());
    Scaffold::TaskBroker tasks(actions, scaffolder.value(), *taskStore.value(), workingDirectory->value_or(QString()));
    // On a database replicas share, a task is only another's to close once
    // its heartbeat (every second) has been quiet this long.
    constexpr qint64 QuietTaskSeconds = 30;
    const auto quietSince = [&database] {
        return database->postgres ? QDateTime::currentDateTimeUtc().addSecs(-QuietTaskSeconds) : QDateTime();
    };
    auto interrupted = tasks.closeInterruptedTasks(quietSince());
    if (!interrupted)
        return fail(interrupted.error());
    if (!interrupted->isEmpty())
        log.warn(QStringLiteral("scaffolder: %1 task(s) interrupted by the last stop marked failed: %2")
                     .arg(interrupted->size()).arg(interrupted->join(QStringLiteral(", "))));
    QTimer taskJanitor;
    if (database->postgres) {
        QObject::connect(&taskJanitor, &QTimer::timeout, &tasks, [&] {
            auto closed = tasks.closeInterruptedTasks(quietSince());
            if (!closed)
                log.warn(QStringLiteral("scaffolder: ") + closed.error().toString());
            else if (!closed->isEmpty())
                log.warn(QStringLiteral("scaffolder: %1 task(s) whose replica stopped marked failed: %2")
                             .arg(closed->size()).arg(closed->join(QStringLiteral(", "))));
        });
        taskJanitor.start(std::chrono::seconds(QuietTaskSeconds / 2));
    }
    ScaffolderRoutes scaffolderRoutes(server.router(), *store.value(), tasks, actions, scaffolder.value(), catalog->ingest.gitReader,
                                      workingDirectory->value_or(QString()));
    scaffolderRoutes.setAuthorizer(&authorizer);
    SyncRoutes sync(*store.value(), server.router(), authorizer);
    QObject::connect(&docsBuilds, &Ingest::DocsBuildLoop::checked, &sync, &SyncRoutes::notifyChanged);
    metrics.setSyncClients([&sync] { return sync.waitingClients(); });
    addMetricsRoute(server.router(), metrics, *store.value());
    const bool logRequests = parser.isSet(logRequestsOption);
    server.setObserver([&](const HttpRequest &request, int status, double seconds) {
        metrics.recordRequest(request.method, request.route, status, seconds);
        // A request that may have written (an entity deleted, a location
        // added) tells the waiting desktops now, not at the next poll.
        if (request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS")
            sync.notifyChanged();
        if (logRequests) {
            // The auth backend's query strings carry OAuth codes, states and
            // device codes: secrets, never logged.
            const bool secretQuery = request.mount == QLatin1String("/api/auth") || request.route.startsWith(QLatin1String("/oauth2/"));
            const QByteArray target = secretQuery ? request.rawTarget.left(request.rawTarget.indexOf('?')) : request.rawTarget;
            log.info(QString::fromLatin1(request.method + ' ' + target) + QLatin1Char(' ') + QString::number(status),
                     {{QStringLiteral("type"), QStringLiteral("incomingRequest")},
                      {QStringLiteral("method"), QString::fromLatin1(request.method)},
                      {QStringLiteral("url"), QString::fromUtf8(target)},
                      {QStringLiteral("route"), request.route},
                      {QStringLiteral("status"), status},
                      {QStringLiteral("durationMs"), seconds * 1000.0}});
        }
    });
    QObject::connect(&processing, &Ingest::ProcessingLoop::locationProcessed, &sync, &SyncRoutes::notifyChanged);
    // Plugins' entity providers write their entities here, and the feed tells the desktops.
    plugins.connectProviders(
        *store.value(),
        [&log](const QString &line, bool failed) {
            if (failed)
                log.error(line);
            else
                log.info(line);
        },
        [&sync] { sync.notifyChanged(); });
    QHostAddress host = address->host.isEmpty() ? QHostAddress(QHostAddress::Any) : QHostAddress(address->host);
    if (authenticator->hasTokens()) {
        server.setAuthenticator(&authenticator.value());
        log.info(QStringLiteral("serve: requests need one of the tokens configured in backend.auth"));
    } else {
        // Without tokens anyone who can connect could read and change the
        // catalog. Users' tokens, when sent, are still checked: they say who
        // the permission policy decides for.
        server.setAuthenticator(&authenticator.value(), true);
        log.info(QStringLiteral("serve: no backend.auth tokens are configured, so listening on loopback only"));
        if (!host.isLoopback())
            host = QHostAddress(QHostAddress::LocalHost);
    }
    if (authenticator->isPolicyDisabled())
        log.warn(QStringLiteral("serve: WARNING: backend.auth.dangerouslyDisableDefaultAuthPolicy is set: requests need no token"));
    auto *tcp = new QTcpServer(&server);
    if (!tcp->listen(host, address->port))
        return fail(Error::internal(QStringLiteral("cannot listen on %1:%2: %3").arg(host.toString()).arg(address->port).arg(tcp->errorString())));
    server.bind(tcp);
    const bool everywhere = host == QHostAddress(QHostAddress::Any) || host == QHostAddress(QHostAddress::AnyIPv4)
                            || host == QHostAddress(QHostAddress::AnyIPv6);
    const QString shown = everywhere ? QStringLiteral("127.0.0.1")
                          : host.protocol() == QAbstractSocket::IPv6Protocol ? QLatin1Char('[') + host.toString() + QLatin1Char(']')
                                                                              : host.toString();
    log.info(QStringLiteral("listening on http://%1:%2%3").arg(shown).arg(tcp->serverPort()).arg(everywhere ? QStringLiteral(" (all interfaces)") : QString()),
             {{QStringLiteral("port"), tcp->serverPort()}});
    // Locations are read in the background, so the server answers (from what
    // the store holds) while a large catalog is read; the first full pass is
    // logged and counted in /metrics.
    bool firstPassLogged = false;
    QObject::connect(&processing, &Ingest::ProcessingLoop::idle, &server, [&] {
        if (std::exchange(firstPassLogged, true))
            return;
        metrics.setFirstPassDone();
        log.info(QStringLiteral("catalog: every location has been read once"));
    });
    std::unique_ptr<Store::PostgresChangeListener> changes;
    if (database->postgres) {
        // Replicas on one database: locations are read and docs built by
        // whoever holds their lease, registrations are looked up again each pass, and a
        // commit on any replica wakes the sync clients waiting on this one.
        auto leaseTimeout = leaseTimeoutSetting(config.value());
        if (!leaseTimeout)
            return fail(leaseTimeout.error());
        const QString holder = QStringLiteral("%1:%2:%3").arg(QSysInfo::machineHostName()).arg(QCoreApplication::applicationPid())
                                   .arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
        processing.setLeases(holder, leaseTimeout.value());
        docsBuilds.setLeases(holder, leaseTimeout.value());
        github.setLeases(holder);
        QObject::connect(&processing, &Ingest::ProcessingLoop::passStarting, &server, [&locationService] { locationService.loadRegistered(); });
        auto listener = Store::PostgresChangeListener::listen(database->conninfo);
        if (!listener)
            return fail(listener.error());
        changes = std::move(listener).value();
        QObject::connect(changes.get(), &Store::PostgresChangeListener::changed, &sync, &SyncRoutes::notifyChanged);
        sync.setPollInterval(1000);
    }
    if (!changes)   // on PostgreSQL the first pass's passStarting loads them
        locationService.loadRegistered();
    processing.scheduleAll();
    processing.setInterval(catalog->interval);
    QObject::connect(&github, &Ingest::GitHubProviders::ran, &server, [&log](const QString &, const QString &summary, bool failed) {
        if (failed)
            log.error(QStringLiteral("catalog: ") + summary);
        else
            log.info(QStringLiteral("catalog: ") + summary);
    });
    QObject::connect(&github, &Ingest::GitHubProviders::written, &sync, &SyncRoutes::notifyChanged);
    github.start();
    // SIGTERM/SIGINT: stop accepting, answer waiting clients, let the current
    // request and transaction end (both run on this thread, so none is open
    // when this runs), then leave with 0.
    ShutdownSignal shutdown;
    QObject::connect(&shutdown, &ShutdownSignal::requested, &server, [&](int signalNumber) {
        if (shuttingDown)
            return;
        shuttingDown = true;
        log.info(QStringLiteral("serve: shutting down (signal %1)").arg(signalNumber));
        tcp->close();
        github.stop();
        processing.stop();
        docsBuilds.stop();
        sync.releaseWaiters();
        QTimer::singleShot(100, qApp, [] { QCoreApplication::exit(0); });
    });
    return QCoreApplication::exec();
}

} // namespace Greenroom::Server
