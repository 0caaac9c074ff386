// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fakekubernetes.h"

namespace Greenroom::DemoServices {

namespace {

FakeAnswer status(int code, const QString &reason, const QString &message)
{
    return FakeAnswer::json(code, QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")}, {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                              {QStringLiteral("status"), QStringLiteral("Failure")}, {QStringLiteral("message"), message},
                                              {QStringLiteral("reason"), reason}, {QStringLiteral("code"), code}});
}

bool selected(const QJsonObject &labels, const QString &selector)
{
    for (const QString &word : selector.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = word.section(QLatin1Char('='), 0, 0);
        if (!labels.contains(key))
            return false;
        if (word.contains(QLatin1Char('=')) && labels.value(key).toString() != word.section(QLatin1Char('='), 1))
            return false;
    }
    return true;
}

} // namespace

void FakeKubernetes::addObject(const QString &plural, const QJsonObject &object)
{
    const QString apiVersion = object.value(QLatin1String("apiVersion")).toString();
    m_objects[(apiVersion.contains(QLatin1Char('/')) ? apiVersion : QLatin1Char('/') + apiVersion) + QLatin1Char('/') + plural].append(object);
}

void FakeKubernetes::load(const QJsonObject &data)
{
    const QJsonObject objects = data.value(QLatin1String("objects")).toObject();
    for (auto it = objects.begin(); it != objects.end(); ++it) {
        for (const QJsonValue &object : it.value().toArray())
            addObject(it.key(), object.toObject());
    }
}

std::optional<FakeAnswer> FakeKubernetes::answer(const FakeRequest &request, const QByteArray &authorization)
{
    const QStringList &parts = request.parts;
    const QString path = QLatin1Char('/') + parts.join(QLatin1Char('/'));
    const QString selector = request.query.queryItemValue(QStringLiteral("labelSelector"), QUrl::FullyDecoded);
    m_calls.append(path + (selector.isEmpty() ? QString() : QStringLiteral("?labelSelector=") + selector));
    if (!m_token.isEmpty() && authorization != "Bearer " + m_token.toUtf8())
        return status(401, QStringLiteral("Unauthorized"), QStringLiteral("Unauthorized"));
    if (m_forbidden.contains(path))
        return status(403, QStringLiteral("Forbidden"), QStringLiteral("forbidden: cannot list resource at %1").arg(path));
    // /api/v1[/namespaces/ns]/plural or /apis/group/version[/namespaces/ns]/plural
    QString groupVersion;
    QStringList rest;
    if (parts.value(0) == QLatin1String("api") && parts.size() >= 3) {
        groupVersion = QLatin1Char('/') + parts[1];
        rest = parts.mid(2);
    } else if (parts.value(0) == QLatin1String("apis") && parts.size() >= 4) {
        groupVersion = parts[1] + QLatin1Char('/') + parts[2];
        rest = parts.mid(3);
    } else {
        return std::nullopt;
    }
    QString namespaceName;
    if (rest.size() == 3 && rest[0] == QLatin1String("namespaces")) {
        namespaceName = rest[1];
        rest = rest.mid(2);
    }
    if (rest.size() != 1 || request.method != "GET")
        return status(404, QStringLiteral("NotFound"), QStringLiteral("the server could not find the requested resource"));
    QJsonArray items;
    QString kind;
    for (const QJsonValue &object : m_objects.value(groupVersion + QLatin1Char('/') + rest[0])) {
        kind = object[QLatin1String("kind")].toString();
        const QJsonObject metadata = object[QLatin1String("metadata")].toObject();
        if (!namespaceName.isEmpty() && metadata.value(QLatin1String("namespace")).toString() != namespaceName)
            continue;
        if (selected(metadata.value(QLatin1String("labels")).toObject(), selector))
            items.append(object);
    }
    return FakeAnswer::json(200, QJsonObject{{QStringLiteral("kind"), (kind.isEmpty() ? QStringLiteral("Object") : kind) + QStringLiteral("List")},
                                             {QStringLiteral("apiVersion"), groupVersion.startsWith(QLatin1Char('/')) ? groupVersion.mid(1) : groupVersion},
                                             {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("resourceVersion"), QStringLiteral("1")}}},
                                             {QStringLiteral("items"), items}});
}

} // namespace Greenroom::DemoServices
