// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace Greenroom::DemoServices {

// A request to a fake service, after its mount: "/repos/acme/x/actions/runs" as parts.
struct FakeRequest
{
    QByteArray method;
    QStringList parts;
    QUrlQuery query;
    QByteArray body;
};

// What the fake answers.
struct FakeAnswer
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QByteArray location = QByteArray();   // redirects
    QList<QPair<QByteArray, QByteArray>> headers = {};   // more headers (ETag, x-ratelimit-*)

    static FakeAnswer json(int status, const QJsonValue &value)
    {
        return {status, value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)};
    }
};

} // namespace Greenroom::DemoServices
