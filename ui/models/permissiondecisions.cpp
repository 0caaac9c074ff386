// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "permissiondecisions.h"

#include <auth/permissions.h>
#include <sync/serveranswers.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace Greenroom::Ui {

void PermissionDecisions::ask(QNetworkAccessManager &network, const QUrl &server, const QString &token, const QList<PermissionQuestion> &questions,
                              QObject *context, std::function<void(const Answers &answers)> done)
{
    const Answers unknown(questions.size(), Answer::Unknown);
    if (!server.isValid() || questions.isEmpty()) {
        done(unknown);
        return;
    }
    QJsonArray items;
    for (qsizetype i = 0; i < questions.size(); ++i) {
        const std::optional<Auth::Permission> permission = Auth::permissionNamed(questions.at(i).permission);
        QJsonObject item{{QStringLiteral("id"), QString::number(i)},
                         {QStringLiteral("permission"), permission ? permission->toJson() : QJsonObject{{QStringLiteral("name"), questions.at(i).permission}}}};
        if (!questions.at(i).resourceRef.isEmpty())
            item.insert(QStringLiteral("resourceRef"), questions.at(i).resourceRef);
        items.append(item);
    }
    QNetworkRequest request = Sync::serverRequest(server, QStringLiteral("/api/permission/authorize"), token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.post(request, QJsonDocument(QJsonObject{{QStringLiteral("items"), items}}).toJson(QJsonDocument::Compact));
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, done, unknown] {
        reply->deleteLater();
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200) {
            done(unknown);
            return;
        }
        Answers answers = unknown;
        for (const QJsonValue &item : QJsonDocument::fromJson(reply->read(1024 * 1024)).object().value(QLatin1String("items")).toArray()) {
            bool ok = false;
            const qsizetype index = item[QLatin1String("id")].toString().toLongLong(&ok);
            if (!ok || index < 0 || index >= answers.size())
                continue;
            const QString result = item[QLatin1String("result")].toString();
            answers[index] = result == QLatin1String("ALLOW") ? Answer::Allow : result == QLatin1String("DENY") ? Answer::Deny : Answer::Unknown;
        }
        done(answers);
    });
}

QString PermissionDecisions::refusal(const QString &permission)
{
    static const QHash<QString, QString> what{
        {QStringLiteral("catalog.entity.delete"), QObject::tr("delete this entity")},
        {QStringLiteral("catalog.entity.refresh"), QObject::tr("refresh this entity")},
        {QStringLiteral("catalog.location.create"), QObject::tr("register locations")},
        {QStringLiteral("catalog.entity.create"), QObject::tr("add entities")},
        {QStringLiteral("scaffolder.task.create"), QObject::tr("run templates")},
    };
    return QObject::tr("The server's permission policy does not let your account %1 (%2).")
        .arg(what.value(permission, QObject::tr("do this")), permission);
}

} // namespace Greenroom::Ui
