// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "httprequest.h"

#include <QBuffer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace Greenroom::Ingest {

QByteArray HttpAnswer::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

Result<HttpAnswer> sendHttpRequest(const HttpCall &call)
{
    QNetworkAccessManager network;
    network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    QNetworkRequest request(call.url);
    request.setTransferTimeout(int(call.timeout.count()));
    for (const auto &[name, value] : call.headers)
        request.setRawHeader(name, value);
    QBuffer upload;
    upload.setData(call.body);
    upload.open(QIODevice::ReadOnly);
    QNetworkReply *reply = network.sendCustomRequest(request, call.method, call.body.isEmpty() ? nullptr : &upload);
    HttpAnswer answer;
    bool tooLarge = false;
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
        answer.body += reply->readAll();
        if (answer.body.size() > call.maxBytes) {
            tooLarge = true;
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    answer.body += reply->readAll();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    answer.location = reply->rawHeader("Location");
    answer.headers = reply->rawHeaderPairs();
    const QString errorText = reply->errorString();
    reply->deleteLater();
    if (tooLarge)
        return Error::input(QStringLiteral("could not read %1, the response is larger than %2 bytes").arg(call.url.toString()).arg(call.maxBytes));
    if (answer.status == 0)
        return Error::internal(QStringLiteral("Unable to read %1, %2").arg(call.url.toString(), errorText));
    return answer;
}

} // namespace Greenroom::Ingest
