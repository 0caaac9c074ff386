// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubproviderconfig.h"

#include <config/duration.h>

namespace Greenroom::Server {

namespace {

const QString ConfigError = QStringLiteral("Error while processing GitHub provider config. ");

Result<int> optionalPageSize(const Config::ConfigReader &config, const QString &key, int fallback)
{
    auto value = config.optionalNumber(key);
    if (!value)
        return value.error();
    if (!value->has_value())
        return fallback;
    if (**value < 1 || **value > 100 || **value != double(int(**value)))
        return Error::input(QStringLiteral("%1 must be a whole number from 1 to 100").arg(config.fullKey(key)));
    return int(**value);
}

Result<Ingest::GitHubDiscoveryConfig> discoveryConfig(const QString &id, const Config::ConfigReader &config)
{
    Ingest::GitHubDiscoveryConfig result;
    result.id = id;
    auto organization = config.optionalString(QStringLiteral("organization"));
    if (!organization)
        return organization.error();
    auto app = config.optionalNumber(QStringLiteral("app"));
    if (!app)
        return app.error();
    if (organization->value_or(QString()).isEmpty() && !app->has_value())
        return Error::input(ConfigError + QStringLiteral("Either organization or app must be specified."));
    result.organization = organization->value_or(QString());
    if (app->has_value())
        result.app = qint64(**app);
    const std::pair<const char *, QString *> strings[] = {{"catalogPath", &result.catalogPath}, {"host", &result.host},
                                                          {"filters.branch", &result.branch}};
    for (const auto &[key, target] : strings) {
        auto value = config.optionalString(QString::fromLatin1(key));
        if (!value)
            return value.error();
        if (value->has_value())
            *target = **value;
    }
    auto repository = config.optionalString(QStringLiteral("filters.repository"));
    if (!repository)
        return repository.error();
    if (repository->has_value()) {
        QString pattern = **repository;
        if (!pattern.startsWith(QLatin1Char('^')))
            pattern.prepend(QLatin1Char('^'));
        if (!pattern.endsWith(QLatin1Char('$')))
            pattern.append(QLatin1Char('$'));
        QRegularExpression compiled(pattern);
        if (!compiled.isValid())
            return Error::input(QStringLiteral("%1: Invalid regular expression: /%2/: %3")
                                    .arg(config.fullKey(QStringLiteral("filters.repository")), pattern, compiled.errorString()));
        result.repository = compiled;
    }
    const std::pair<const char *, bool *> flags[] = {{"filters.allowForks", &result.allowForks},
                                                     {"filters.allowArchived", &result.allowArchived},
                                                     {"validateLocationsExist", &result.validateLocationsExist}};
    for (const auto &[key, target] : flags) {
        auto value = config.optionalBoolean(QString::fromLatin1(key));
        if (!value)
            return value.error();
        if (value->has_value())
            *target = **value;
    }
    auto include = config.optionalStringArray(QStringLiteral("filters.topic.include"));
    if (!include)
        return include.error();
    auto exclude = config.optionalStringArray(QStringLiteral("filters.topic.exclude"));
    if (!exclude)
        return exclude.error();
    auto visibility = config.optionalStringArray(QStringLiteral("filters.visibility"));
    if (!visibility)
        return visibility.error();
    result.topicInclude = include.value();
    result.topicExclude = exclude.value();
    result.visibility = visibility->value_or(QStringList());
    if (result.validateLocationsExist && result.catalogPath.contains(QLatin1Char('*')))
        return Error::input(ConfigError + QStringLiteral("The catalog path %1 contains a wildcard, which is incompatible with validation of "
                                                         "locations existing before emitting them. Ensure that validateLocationsExist is set to false.")
                                              .arg(result.catalogPath));
    if (result.branch.contains(QLatin1Char('/')))
        return Error::input(ConfigError + QStringLiteral("Slash characters (/) are not allowed in filters.branch"));
    if (config.has(QStringLiteral("schedule"))) {
        auto schedule = config.config(QStringLiteral("schedule"));
        if (!schedule)
            return schedule.error();
        auto read = providerSchedule(schedule.value());
        if (!read)
            return read.error();
        result.schedule = read.value();
    }
    auto pageSize = optionalPageSize(config, QStringLiteral("pageSizes.repositories"), 25);
    if (!pageSize)
        return pageSize.error();
    result.repositoriesPageSize = pageSize.value();
    return result;
}

} // namespace

Result<Ingest::ProviderSchedule> providerSchedule(const Config::ConfigReader &schedule)
{
    Ingest::ProviderSchedule result;
    auto cron = schedule.optional(QStringLiteral("frequency.cron"));
    if (!cron)
        return cron.error();
    if (cron->has_value())
        return Error(QStringLiteral("NotImplementedError"),
                     QStringLiteral("%1: cron schedules are not supported by Greenroom; give a duration").arg(schedule.fullKey(QStringLiteral("frequency"))));
    auto frequency = schedule.optional(QStringLiteral("frequency"));
    if (!frequency)
        return frequency.error();
    if (frequency->has_value() && (*frequency)->isObject() && (*frequency)->toObject().value(QLatin1String("trigger")).toString() == QLatin1String("manual")) {
        result.frequency = std::chrono::milliseconds(0);   // run once at start, then only when asked
    } else {
        auto read = Config::readDuration(schedule, QStringLiteral("frequency"));
        if (!read)
            return read.error();
        if (read->count() <= 0)
            return Error::input(QStringLiteral("%1 must be longer than zero").arg(schedule.fullKey(QStringLiteral("frequency"))));
        result.frequency = read.value();
    }
    auto timeout = Config::readDuration(schedule, QStringLiteral("timeout"));
    if (!timeout)
        return timeout.error();
    result.timeout = timeout.value();
    if (schedule.has(QStringLiteral("initialDelay"))) {
        auto delay = Config::readDuration(schedule, QStringLiteral("initialDelay"));
        if (!delay)
            return delay.error();
        result.initialDelay = delay.value();
    }
    return result;
}

Result<QList<Ingest::GitHubApp>> gitHubApps(const Config::ConfigReader &integration)
{
    auto entries = integration.optionalConfigArray(QStringLiteral("apps"));
    if (!entries)
        return entries.error();
    QList<Ingest::GitHubApp> apps;
    for (const Config::ConfigReader &entry : entries->value_or(QList<Config::ConfigReader>())) {
        Ingest::GitHubApp app;
        auto id = entry.number(QStringLiteral("appId"));
        if (!id)
            return id.error();
        auto key = entry.string(QStringLiteral("privateKey"));
        if (!key)
            return key.error();
        auto owners = entry.optionalStringArray(QStringLiteral("allowedInstallationOwners"));
        if (!owners)
            return owners.error();
        app.appId = qint64(id.value());
        app.privateKey = key.value();
        app.allowedInstallationOwners = owners->value_or(QStringList());
        apps.append(app);
    }
    return apps;
}

Result<QList<Ingest::GitHubDiscoveryConfig>> gitHubDiscoveryConfigs(const Config::ConfigReader &config)
{
    auto providers = config.optionalConfig(QStringLiteral("catalog.providers.github"));
    if (!providers)
        return providers.error();
    QList<Ingest::GitHubDiscoveryConfig> configs;
    if (!providers->has_value())
        return configs;
    const Config::ConfigReader &root = **providers;
    if (root.has(QStringLiteral("organization")) || root.has(QStringLiteral("app"))) {
        auto single = discoveryConfig(QStringLiteral("default"), root);
        if (!single)
            return single.error();
        configs.append(single.value());
        return configs;
    }
    for (const QString &id : root.keys()) {
        auto entry = root.config(id);
        if (!entry)
            return entry.error();
        auto read = discoveryConfig(id, entry.value());
        if (!read)
            return read.error();
        configs.append(read.value());
    }
    return configs;
}

Result<GitHubOrgDefinitions> gitHubOrgConfigs(const Config::ConfigReader &config)
{
    const QString key = QStringLiteral("catalog.providers.githubOrg");
    auto base = config.optional(key);
    if (!base)
        return base.error();
    GitHubOrgDefinitions result;
    if (!base->has_value())
        return result;
    QList<Config::ConfigReader> entries;
    if ((*base)->isArray()) {
        auto list = config.configArray(key);
        if (!list)
            return list.error();
        entries = list.value();
    } else {
        auto single = config.config(key);
        if (!single)
            return single.error();
        entries.append(single.value());
    }
    for (const Config::ConfigReader &entry : std::as_const(entries)) {
        Ingest::GitHubOrgProviderConfig definition;
        auto id = entry.string(QStringLiteral("id"));
        if (!id)
            return id.error();
        auto url = entry.string(QStringLiteral("githubUrl"));
        if (!url)
            return url.error();
        auto orgs = entry.optionalStringArray(QStringLiteral("orgs"));
        if (!orgs)
            return orgs.error();
        auto scheduleConfig = entry.config(QStringLiteral("schedule"));
        if (!scheduleConfig)
            return scheduleConfig.error();
        auto schedule = providerSchedule(scheduleConfig.value());
        if (!schedule)
            return schedule.error();
        definition.id = id.value();
        definition.githubUrl = url.value();
        definition.orgs = orgs->value_or(QStringList());
        definition.schedule = schedule.value();
        const std::tuple<const char *, int *, int> sizes[] = {{"pageSizes.teams", &definition.teamsPageSize, 25},
                                                              {"pageSizes.teamMembers", &definition.teamMembersPageSize, 50},
                                                              {"pageSizes.organizationMembers", &definition.organizationMembersPageSize, 50}};
        for (const auto &[sizeKey, target, fallback] : sizes) {
            auto size = optionalPageSize(entry, QString::fromLatin1(sizeKey), fallback);
            if (!size)
                return size.error();
            *target = size.value();
        }
        const std::pair<const char *, bool *> flags[] = {{"excludeSuspendedUsers", &definition.excludeSuspendedUsers},
                                                         {"defaultUserTransformer.useVerifiedEmails", &definition.useVerifiedEmails}};
        for (const auto &[flagKey, target] : flags) {
            auto value = entry.optionalBoolean(QString::fromLatin1(flagKey));
            if (!value)
                return value.error();
            *target = value->value_or(false);
        }
        result.definitions.append(definition);
    }
    result.alwaysUseDefaultNamespace = result.definitions.size() == 1 && result.definitions.first().orgs.size() == 1;
    return result;
}

Status addGitHubProviders(const Config::ConfigReader &config, Ingest::GitHubProviders &providers)
{
    auto discovery = gitHubDiscoveryConfigs(config);
    if (!discovery)
        return discovery.error();
    for (const Ingest::GitHubDiscoveryConfig &provider : std::as_const(discovery.value())) {
        if (Status added = providers.addDiscovery(provider); !added)
            return added.error();
    }
    auto orgs = gitHubOrgConfigs(config);
    if (!orgs)
        return orgs.error();
    for (const Ingest::GitHubOrgProviderConfig &definition : std::as_const(orgs->definitions)) {
        if (Status added = providers.addOrg(definition, orgs->alwaysUseDefaultNamespace); !added)
            return added.error();
    }
    return Ok{};
}

} // namespace Greenroom::Server
