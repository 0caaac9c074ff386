// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "scaffolderservices.h"

namespace Greenroom::Scaffold {

QJsonObject publicServiceSettings(const ScaffolderServices &services)
{
    QJsonArray github;
    for (const Ingest::GitHubIntegration &integration : services.github) {
        QJsonObject entry{{QStringLiteral("host"), integration.host}};
        if (!integration.apiBaseUrl.isEmpty())
            entry.insert(QStringLiteral("apiBaseUrl"), integration.apiBaseUrl);
        if (!integration.rawBaseUrl.isEmpty())
            entry.insert(QStringLiteral("rawBaseUrl"), integration.rawBaseUrl);
        github.append(entry);
    }
    QJsonObject scaffolder;
    QJsonObject author;
    if (!services.defaultAuthorName.isEmpty())
        author.insert(QStringLiteral("name"), services.defaultAuthorName);
    if (!services.defaultAuthorEmail.isEmpty())
        author.insert(QStringLiteral("email"), services.defaultAuthorEmail);
    if (!author.isEmpty())
        scaffolder.insert(QStringLiteral("defaultAuthor"), author);
    if (!services.defaultCommitMessage.isEmpty())
        scaffolder.insert(QStringLiteral("defaultCommitMessage"), services.defaultCommitMessage);
    if (!services.environmentParameters.isEmpty())
        scaffolder.insert(QStringLiteral("defaultEnvironment"), QJsonObject{{QStringLiteral("parameters"), services.environmentParameters}});
    return QJsonObject{{QStringLiteral("integrations"), QJsonObject{{QStringLiteral("github"), github}}}, {QStringLiteral("scaffolder"), scaffolder}};
}

ScaffolderServices servicesFromPublicSettings(const QJsonObject &settings)
{
    ScaffolderServices services;
    QList<Ingest::GitHubIntegration> github;
    for (const QJsonValue &entry : settings.value(QLatin1String("integrations"))[QLatin1String("github")].toArray()) {
        Ingest::GitHubIntegration integration;
        integration.host = entry[QLatin1String("host")].toString();
        integration.apiBaseUrl = entry[QLatin1String("apiBaseUrl")].toString();
        integration.rawBaseUrl = entry[QLatin1String("rawBaseUrl")].toString();
        if (!integration.host.isEmpty())
            github.append(integration);
    }
    services.github = Ingest::GitHubIntegration::withDefaults(github);
    const QJsonObject scaffolder = settings.value(QLatin1String("scaffolder")).toObject();
    services.defaultAuthorName = scaffolder.value(QLatin1String("defaultAuthor"))[QLatin1String("name")].toString();
    services.defaultAuthorEmail = scaffolder.value(QLatin1String("defaultAuthor"))[QLatin1String("email")].toString();
    services.defaultCommitMessage = scaffolder.value(QLatin1String("defaultCommitMessage")).toString();
    services.environmentParameters = scaffolder.value(QLatin1String("defaultEnvironment"))[QLatin1String("parameters")].toObject();
    return services;
}

} // namespace Greenroom::Scaffold
