// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fakeargocd.h"

namespace Greenroom::DemoServices {

namespace {

// Argo CD's gRPC-gateway error body.
FakeAnswer argoError(int status, int code, const QString &message)
{
    return FakeAnswer::json(status, QJsonObject{{QStringLiteral("error"), message}, {QStringLiteral("code"), code}, {QStringLiteral("message"), message}});
}

} // namespace

void FakeArgoCd::load(const QJsonObject &data)
{
    for (const QJsonValue &application : data.value(QLatin1String("applications")).toArray())
        addApplication(application.toObject());
    const QJsonObject revisions = data.value(QLatin1String("revisions")).toObject();
    for (auto it = revisions.begin(); it != revisions.end(); ++it)
        addRevision(it.key(), it.value().toObject());
}

std::optional<FakeAnswer> FakeArgoCd::answer(const FakeRequest &request, const QByteArray &authorization)
{
    const QStringList &parts = request.parts;
    if (parts.size() < 3 || parts[0] != QLatin1String("api") || parts[1] != QLatin1String("v1"))
        return std::nullopt;
    m_calls.append(request.method + ' ' + parts.join(QLatin1Char('/')) + (request.query.isEmpty() ? QString() : QLatin1Char('?') + request.query.toString(QUrl::FullyDecoded)));
    if (request.method == "POST" && parts[2] == QLatin1String("session")) {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        if (body.value(QLatin1String("username")).toString() != m_username || body.value(QLatin1String("password")).toString() != m_password)
            return argoError(401, 16, QStringLiteral("Invalid username or password"));
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("token"), m_token}});
    }
    if (authorization != "Bearer " + m_token.toUtf8())
        return argoError(401, 16, QStringLiteral("no session information"));
    if (request.method != "GET" || parts[2] != QLatin1String("applications"))
        return argoError(404, 5, QStringLiteral("Not Found"));
    const QString namespaceName = request.query.queryItemValue(QStringLiteral("appNamespace"));
    const auto matches = [&](const QJsonValue &application) {
        return namespaceName.isEmpty() || application[QLatin1String("metadata")][QLatin1String("namespace")].toString() == namespaceName;
    };
    if (parts.size() == 3) {
        // ?selector=key=value[,key=value]: every label must match.
        const QStringList wanted = request.query.queryItemValue(QStringLiteral("selector"), QUrl::FullyDecoded).split(QLatin1Char(','), Qt::SkipEmptyParts);
        QJsonArray items;
        for (const QJsonValue &application : std::as_const(m_applications)) {
            const QJsonObject labels = application[QLatin1String("metadata")][QLatin1String("labels")].toObject();
            // Kubernetes' selector words: key=value, or a bare key (the label is there).
            const bool selected = std::all_of(wanted.cbegin(), wanted.cend(), [&](const QString &pair) {
                if (!pair.contains(QLatin1Char('=')))
                    return labels.contains(pair);
                return labels.contains(pair.section(QLatin1Char('='), 0, 0))
                       && labels.value(pair.section(QLatin1Char('='), 0, 0)).toString() == pair.section(QLatin1Char('='), 1);
            });
            if (selected && matches(application))
                items.append(application);
        }
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("metadata"), QJsonObject()},
                                                 {QStringLiteral("items"), items.isEmpty() ? QJsonValue() : QJsonValue(items)}});
    }
    for (const QJsonValue &application : std::as_const(m_applications)) {
        if (application[QLatin1String("metadata")][QLatin1String("name")].toString() != parts[3] || !matches(application))
            continue;
        if (parts.size() == 4)
            return FakeAnswer::json(200, application.toObject());
        if (parts.size() == 7 && parts[4] == QLatin1String("revisions") && parts[6] == QLatin1String("metadata")) {
            if (!m_revisions.contains(parts[5]))
                return argoError(404, 5, QStringLiteral("revision %1 not found").arg(parts[5]));
            return FakeAnswer::json(200, m_revisions.value(parts[5]));
        }
    }
    return argoError(404, 5, QStringLiteral("applications.argoproj.io \"%1\" not found").arg(parts.value(3)));
}

} // namespace Greenroom::DemoServices
