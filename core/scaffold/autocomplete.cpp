// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "autocomplete.h"

#include "githubapi_p.h"

#include <QUrl>

namespace Greenroom::Scaffold {

Result<QJsonArray> autocomplete(const ScaffolderServices &services, const QString &provider, const QString &resource, const QString &token,
                                const QJsonObject &context)
{
    if (token.isEmpty())
        return Error::input(QStringLiteral("Missing token query parameter"));
    if (provider != QLatin1String("github"))
        return Error::input(QStringLiteral("Unsupported provider: %1").arg(provider));
    const QString host = context.value(QLatin1String("host")).toString(QStringLiteral("github.com"));
    const Ingest::GitHubIntegration *integration = Ingest::GitHubIntegration::forHost(services.github, host);
    if (!integration)
        return Error::input(QStringLiteral("No integration for host %1").arg(host));
    const GitHubApi api(*integration, token);
    // What each resource lists, and which field of its items is the suggestion.
    QString path;
    QString field;
    if (resource == QLatin1String("repositoriesWithOwner")) {
        path = QStringLiteral("/user/repos");
        field = QStringLiteral("full_name");
    } else if (resource == QLatin1String("owners")) {
        path = QStringLiteral("/user/orgs");
        field = QStringLiteral("login");
    } else if (resource == QLatin1String("branches")) {
        const QString owner = context.value(QLatin1String("owner")).toString();
        const QString repository = context.value(QLatin1String("repository")).toString();
        if (owner.isEmpty() || repository.isEmpty())
            return Error::input(QStringLiteral("Missing owner and/or repository context parameter"));
        path = QStringLiteral("/repos/%1/%2/branches")
                   .arg(QString::fromUtf8(QUrl::toPercentEncoding(owner)), QString::fromUtf8(QUrl::toPercentEncoding(repository)));
        field = QStringLiteral("name");
    } else {
        return Error::input(QStringLiteral("Invalid resource: %1").arg(resource));
    }
    auto items = api.all(path);
    if (!items)
        return items.error();
    QJsonArray results;
    for (const QJsonValue &item : items.value())
        results.append(QJsonObject{{QStringLiteral("id"), item[field].toString()}});
    return results;
}

} // namespace Greenroom::Scaffold
