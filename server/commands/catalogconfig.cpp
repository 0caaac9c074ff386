// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "catalogconfig.h"

#include "githubproviderconfig.h"

#include <config/duration.h>

#include <QFileInfo>

namespace Greenroom::Server {

namespace {

const QStringList LocationTypes{QStringLiteral("file"), QStringLiteral("url"), QStringLiteral("git")};

// integrations.<provider>[]: the credentials git fetches use per host. Tokens
// go in as passwords with the user name each host expects for them.
Result<QList<Ingest::GitCredential>> gitCredentials(const Config::ConfigReader &config)
{
    struct Provider
    {
        QString key;
        QString tokenUser;   // user name that goes with a bare token
    };
    static const QList<Provider> providers{{QStringLiteral("github"), QStringLiteral("x-access-token")},
                                           {QStringLiteral("gitlab"), QStringLiteral("oauth2")},
                                           {QStringLiteral("gitea"), QString()},
                                           {QStringLiteral("bitbucketServer"), QStringLiteral("x-token-auth")},
                                           {QStringLiteral("bitbucketCloud"), QString()},
                                           {QStringLiteral("gerrit"), QString()}};
    QList<Ingest::GitCredential> credentials;
    for (const Provider &provider : providers) {
        auto entries = config.optionalConfigArray(QStringLiteral("integrations.") + provider.key);
        if (!entries)
            return entries.error();
        for (const Config::ConfigReader &entry : entries->value_or(QList<Config::ConfigReader>())) {
            auto host = entry.string(QStringLiteral("host"));
            if (!host)
                return host.error();
            Ingest::GitCredential credential{host.value(), {}, {}};
            for (const QString &field : {QStringLiteral("username"), QStringLiteral("token"), QStringLiteral("password"),
                                         QStringLiteral("appPassword")}) {
                auto value = entry.optionalString(field);
                if (!value)
                    return value.error();
                if (!value->has_value())
                    continue;
                if (field == QLatin1String("username"))
                    credential.username = **value;
                else
                    credential.password = **value;
            }
            if (credential.username.isEmpty())
                credential.username = provider.tokenUser;
            if (!credential.password.isEmpty())
                credentials.append(credential);
        }
    }
    return credentials;
}

// integrations.github[]: hosts whose files are read through GitHub's API
// (and where publish:github creates repositories).
Result<QList<Ingest::GitHubIntegration>> gitHubIntegrations(const Config::ConfigReader &config)
{
    auto entries = config.optionalConfigArray(QStringLiteral("integrations.github"));
    if (!entries)
        return entries.error();
    QList<Ingest::GitHubIntegration> integrations;
    for (const Config::ConfigReader &entry : entries->value_or(QList<Config::ConfigReader>())) {
        Ingest::GitHubIntegration integration;
        const std::pair<const char *, QString *> fields[] = {{"host", &integration.host},
                                                             {"apiBaseUrl", &integration.apiBaseUrl},
                                                             {"rawBaseUrl", &integration.rawBaseUrl},
                                                             {"token", &integration.token}};
        for (const auto &[key, target] : fields) {
            auto value = entry.optionalString(QString::fromLatin1(key));
            if (!value)
                return value.error();
            *target = value->value_or(QString());
        }
        if (integration.host.isEmpty())
            integration.host = QStringLiteral("github.com");
        auto apps = gitHubApps(entry);
        if (!apps)
            return apps.error();
        integration.apps = apps.value();
        integrations.append(integration);
    }
    return Ingest::GitHubIntegration::withDefaults(integrations);
}

} // namespace

Result<CatalogSettings> catalogSettings(const Config::ConfigReader &config, const QString &gitCacheDir)
{
    CatalogSettings settings;
    auto globalRules = config.optional(QStringLiteral("catalog.rules"));
    if (!globalRules)
        return globalRules.error();
    auto rules = Ingest::CatalogRules::fromConfig(globalRules->value_or(QJsonValue(QJsonValue::Undefined)));
    if (!rules)
        return rules.error();
    auto configured = config.optionalConfigArray(QStringLiteral("catalog.locations"));
    if (!configured)
        return configured.error();
    for (const Config::ConfigReader &location : configured->value_or(QList<Config::ConfigReader>())) {
        auto type = location.string(QStringLiteral("type"));
        if (!type)
            return type.error();
        auto target = location.string(QStringLiteral("target"));
        if (!target)
            return target.error();
        if (!LocationTypes.contains(type.value()))
            return Error(QStringLiteral("NotImplementedError"),
                         QStringLiteral("%1: location type '%2' is not supported, use one of file, url, git")
                             .arg(location.fullKey(QStringLiteral("type")), type.value()));
        Model::LocationRef ref{type.value(), target.value()};
        if (ref.type == QLatin1String("file"))
            ref.target = QFileInfo(ref.target).absoluteFilePath();
        auto locationRules = location.optional(QStringLiteral("rules"));
        if (!locationRules)
            return locationRules.error();
        if (Status added = rules.value().addLocationRules(locationRules->value_or(QJsonValue()), ref); !added)
            return added.error();
        settings.locations.append(ref);
    }
    settings.ingest.rules = rules.value();

    // catalog.processingInterval: a duration, or false for never; Backstage
    // picks 100-150 s at random, we take the middle.
    auto interval = config.optional(QStringLiteral("catalog.processingInterval"));
    if (!interval)
        return interval.error();
    if (interval->has_value() && (*interval)->isBool()) {
        if ((*interval)->toBool())
            return Error::input(QStringLiteral("catalog.processingInterval must be a duration or false"));
        settings.interval.reset();
    } else if (interval->has_value()) {
        auto duration = Config::readDuration(config, QStringLiteral("catalog.processingInterval"));
        if (!duration)
            return duration.error();
        if (duration->count() <= 0)
            return Error::input(QStringLiteral("catalog.processingInterval must be longer than zero"));
        settings.interval = duration.value();
    }

    auto orphans = config.optionalString(QStringLiteral("catalog.orphanStrategy"));
    if (!orphans)
        return orphans.error();
    const QString strategy = orphans->value_or(QStringLiteral("delete"));
    if (strategy != QLatin1String("delete") && strategy != QLatin1String("keep"))
        return Error::input(QStringLiteral("catalog.orphanStrategy must be 'keep' or 'delete', got '%1'").arg(strategy));
    settings.ingest.keepOrphans = strategy == QLatin1String("keep");

    auto readonly = config.optionalBoolean(QStringLiteral("catalog.readonly"));
    if (!readonly)
        return readonly.error();
    settings.readonly = readonly->value_or(false);

    auto allow = config.optional(QStringLiteral("backend.reading.allow"));
    if (!allow)
        return allow.error();
    auto allowList = Ingest::ReadingAllowList::fromJson(allow->value_or(QJsonValue(QJsonValue::Undefined)));
    if (!allowList)
        return allowList.error();
    settings.ingest.urlReader = Ingest::UrlReader(allowList.value());
    settings.readingAllow = allowList.value();
    auto github = gitHubIntegrations(config);
    if (!github)
        return github.error();
    settings.github = github.value();
    settings.ingest.urlReader.setGitHubIntegrations(settings.github);
    auto integrations = config.optional(QStringLiteral("integrations"));
    if (!integrations)
        return integrations.error();
    settings.ingest.scm = Ingest::ScmIntegrations::fromConfig(integrations->value_or(QJsonValue()).toObject());

    auto credentials = gitCredentials(config);
    if (!credentials)
        return credentials.error();
    settings.ingest.gitReader = Ingest::GitReader(gitCacheDir, credentials.value());
    settings.gitCredentials = credentials.value();
    return settings;
}

Result<std::shared_ptr<Scaffold::ScaffolderServices>> scaffolderServices(const Config::ConfigReader &config, const CatalogSettings &catalog)
{
    auto services = std::make_shared<Scaffold::ScaffolderServices>();
    services->github = catalog.github;
    services->gitCredentials = catalog.gitCredentials;
    const std::pair<const char *, QString *> fields[] = {{"scaffolder.defaultAuthor.name", &services->defaultAuthorName},
                                                         {"scaffolder.defaultAuthor.email", &services->defaultAuthorEmail},
                                                         {"scaffolder.defaultCommitMessage", &services->defaultCommitMessage}};
    for (const auto &[key, target] : fields) {
        auto value = config.optionalString(QString::fromLatin1(key));
        if (!value)
            return value.error();
        *target = value->value_or(QString());
    }
    const std::pair<const char *, QJsonObject *> environment[] = {{"scaffolder.defaultEnvironment.parameters", &services->environmentParameters},
                                                                  {"scaffolder.defaultEnvironment.secrets", &services->environmentSecrets}};
    for (const auto &[key, target] : environment) {
        auto value = config.optional(QString::fromLatin1(key));
        if (!value)
            return value.error();
        if (value->has_value() && !(*value)->isObject())
            return Error::input(QStringLiteral("Invalid type in config for key '%1', got %2, wanted object").arg(QString::fromLatin1(key), QStringLiteral("a non-object")));
        *target = value->value_or(QJsonValue(QJsonObject())).toObject();
    }
    return services;
}

Result<SearchSettings> searchSettings(const Config::ConfigReader &config)
{
    SearchSettings settings;
    for (const auto &[key, target] : {std::pair{"search.maxPageLimit", &settings.limits.maxPageLimit},
                                      std::pair{"search.maxTermLength", &settings.limits.maxTermLength}}) {
        auto value = config.optionalNumber(QString::fromLatin1(key));
        if (!value)
            return value.error();
        if (value->has_value())
            *target = int(**value);
    }
    for (const auto &[key, target] : {std::pair{"search.collators.catalog.locationTemplate", &settings.collator.catalogLocationTemplate},
                                      std::pair{"search.collators.techdocs.locationTemplate", &settings.collator.techDocsLocationTemplate}}) {
        auto value = config.optionalString(QString::fromLatin1(key));
        if (!value)
            return value.error();
        if (value->has_value())
            *target = **value;
    }
    auto legacy = config.optionalBoolean(QStringLiteral("techdocs.legacyUseCaseSensitiveTripletPaths"));
    if (!legacy)
        return legacy.error();
    settings.collator.legacyCaseSensitiveTriplets = legacy->value_or(false);
    return settings;
}

Result<TechDocsSettings> techDocsSettings(const Config::ConfigReader &config, const CatalogSettings &catalog)
{
    TechDocsSettings settings;
    settings.build.read.gitReader = catalog.ingest.gitReader;
    settings.build.read.allow = catalog.readingAllow;
    settings.build.read.github = catalog.github;
    auto builder = config.optionalString(QStringLiteral("techdocs.builder"));
    if (!builder)
        return builder.error();
    const QString mode = builder->value_or(QStringLiteral("local"));
    if (mode != QLatin1String("local") && mode != QLatin1String("external"))
        return Error::input(QStringLiteral("techdocs.builder must be 'local' or 'external', got '%1'").arg(mode));
    settings.build.buildLocally = mode == QLatin1String("local");
    Docs::MkDocsOptions &mkdocs = settings.build.mkdocs;
    const std::pair<const char *, bool *> flags[] = {
        {"techdocs.generator.mkdocs.legacyCopyReadmeMdToIndexMd", &mkdocs.legacyCopyReadmeMdToIndexMd},
        {"techdocs.generator.mkdocs.omitTechdocsCorePlugin", &mkdocs.omitTechdocsCorePlugin},
        {"techdocs.legacyUseCaseSensitiveTripletPaths", &settings.legacyCaseSensitiveTriplets},
        // Greenroom's own: build every site at ingestion (Backstage builds on first request).
        {"greenroom.techdocs.prebuild", &settings.build.prebuild},
    };
    for (const auto &[key, target] : flags) {
        auto value = config.optionalBoolean(QString::fromLatin1(key));
        if (!value)
            return value.error();
        *target = value->value_or(false);
    }
    const std::pair<const char *, QStringList *> lists[] = {
        {"techdocs.generator.mkdocs.dangerouslyAllowAdditionalKeys", &mkdocs.additionalKeys},
        {"techdocs.generator.mkdocs.dangerouslyAllowAdditionalPlugins", &mkdocs.additionalPlugins},
        {"techdocs.generator.mkdocs.dangerouslyAllowAdditionalExtensions", &mkdocs.additionalExtensions},
    };
    for (const auto &[key, target] : lists) {
        auto value = config.optionalStringArray(QString::fromLatin1(key));
        if (!value)
            return value.error();
        *target = value->value_or(QStringList());
    }
    return settings;
}

} // namespace Greenroom::Server
