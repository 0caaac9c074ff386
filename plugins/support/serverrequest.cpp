// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "serverrequest.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace Greenroom::Plugins::Support {

namespace {

QString errorIn(const QJsonDocument &answer)
{
    const QJsonObject body = answer.object();
    const QJsonValue error = body.value(QLatin1String("error"));
    if (error.isString())
        return error.toString();
    if (error[QLatin1String("message")].isString())
        return error[QLatin1String("message")].toString();
    if (body.value(QLatin1String("errors")).isArray())
        return body.value(QLatin1String("errors")).toArray().first().toString();
    return body.value(QLatin1String("message")).toString();
}

} // namespace

void askServer(PluginApi::EntityView &view, QObject *context, const QByteArray &method, const QString &path, const QByteArray &body,
               std::function<void(const QJsonDocument &, const QString &)> done)
{
    QUrl url = view.serverUrl();
    const QString base = url.path().endsWith(QLatin1Char('/')) ? url.path().chopped(1) : url.path();
    const qsizetype question = path.indexOf(QLatin1Char('?'));
    url.setPath(base + path.left(question), QUrl::TolerantMode);   // `path` is percent-encoded already
    if (question >= 0)
        url.setQuery(path.mid(question + 1), QUrl::TolerantMode);
    QNetworkRequest request(url);
    view.authorize(request);
    request.setTransferTimeout(30000);
    if (!body.isNull())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = view.network()->sendCustomRequest(request, method, body);
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonDocument answer = QJsonDocument::fromJson(reply->readAll());
        if (status == 200) {
            done(answer, {});
            return;
        }
        if (status == 0) {
            done({}, QCoreApplication::translate("Plugins", "Cannot reach the Greenroom server: %1").arg(reply->errorString()));
            return;
        }
        const QString message = errorIn(answer);
        done({}, message.isEmpty() ? reply->errorString() : message);
    });
}

} // namespace Greenroom::Plugins::Support
