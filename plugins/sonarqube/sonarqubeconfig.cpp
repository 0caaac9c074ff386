// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "sonarqubeconfig.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Greenroom::Plugins::SonarQube {

namespace {

const QString DefaultName = QStringLiteral("default");

} // namespace

std::optional<Config> Config::read(const QJsonValue &sonarqube, QString *error)
{
    if (!sonarqube.isObject()) {
        *error = sonarqube.isUndefined() ? QStringLiteral("Missing required config value at 'sonarqube'")
                                         : QStringLiteral("Invalid type in config for key 'sonarqube', wanted object");
        return std::nullopt;
    }
    const QJsonObject object = sonarqube.toObject();
    Config config;
    const QJsonArray instances = object.value(QLatin1String("instances")).toArray();
    for (qsizetype i = 0; i < instances.size(); ++i) {
        const QJsonObject entry = instances.at(i).toObject();
        Instance instance;
        for (const auto &[key, target] : {std::pair{"name", &instance.name}, std::pair{"baseUrl", &instance.baseUrl},
                                          std::pair{"apiKey", &instance.apiKey}}) {
            if (!entry.value(QLatin1String(key)).isString()) {
                *error = QStringLiteral("Missing required config value at 'sonarqube.instances[%1].%2'").arg(i).arg(QLatin1String(key));
                return std::nullopt;
            }
            *target = entry.value(QLatin1String(key)).toString();
        }
        instance.externalBaseUrl = entry.value(QLatin1String("externalBaseUrl")).toString();
        instance.authType = entry.value(QLatin1String("authType")).toString(QStringLiteral("Basic"));
        config.m_instances.append(instance);
    }
    const bool namedDefault = std::any_of(config.m_instances.cbegin(), config.m_instances.cend(), [](const Instance &i) { return i.name == DefaultName; });
    const QString baseUrl = object.value(QLatin1String("baseUrl")).toString();
    const QString externalBaseUrl = object.value(QLatin1String("externalBaseUrl")).toString();
    const QString apiKey = object.value(QLatin1String("apiKey")).toString();
    if (namedDefault && (!baseUrl.isEmpty() || !externalBaseUrl.isEmpty() || !apiKey.isEmpty())) {
        *error = QStringLiteral("Found both a named sonarqube instance with name default and top level baseUrl or apiKey config. "
                                "Use only one style of config.");
        return std::nullopt;
    }
    if (baseUrl.isEmpty() != apiKey.isEmpty()) {
        *error = QStringLiteral("Found partial default sonarqube config. All (or none) of baseUrl and apiKey must be provided.");
        return std::nullopt;
    }
    if (!baseUrl.isEmpty())
        config.m_instances.append({DefaultName, baseUrl, externalBaseUrl, apiKey, object.value(QLatin1String("authType")).toString(QStringLiteral("Basic"))});
    return config;
}

std::optional<Instance> Config::instance(const QString &name, QString *error) const
{
    const QString wanted = name.isEmpty() ? DefaultName : name;
    for (const Instance &instance : m_instances) {
        if (instance.name == wanted)
            return instance;
    }
    *error = wanted == DefaultName
                 ? QStringLiteral("Couldn't find a default sonarqube instance in the config. Either configure an instance with name default "
                                  "or add a prefix to your annotation value.")
                 : QStringLiteral("Couldn't find a sonarqube instance in the config with name %1").arg(name);
    return std::nullopt;
}

} // namespace Greenroom::Plugins::SonarQube
