// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace Greenroom::Plugins::SonarQube {

struct Instance
{
    QString name;
    QString baseUrl;
    QString externalBaseUrl;
    QString apiKey;
    QString authType = QStringLiteral("Basic");   // or Bearer
};

/*
 * `sonarqube` in app-config, read as Backstage's SonarqubeConfig reads it:
 * named `instances`, plus a top-level baseUrl/apiKey as the instance
 * "default" (both or neither; not beside a named "default").
 */
class Config
{
public:
    // `sonarqube` (undefined when absent: an error, as upstream's getConfig).
    static std::optional<Config> read(const QJsonValue &sonarqube, QString *error);
    // The named instance, or "default" for none; nullopt with upstream's message.
    std::optional<Instance> instance(const QString &name, QString *error) const;

private:
    QList<Instance> m_instances;
};

} // namespace Greenroom::Plugins::SonarQube
