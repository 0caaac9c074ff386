// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <common/error.h>

#include <QByteArray>
#include <QHash>
#include <QJsonDocument>
#include <QList>
#include <QString>
#include <QStringList>

namespace Greenroom::Server {

// A request as route handlers see it: path segments and query values already
// percent-decoded (the query the way Express's parser decodes it: '+' is a space).
struct HttpRequest
{
    QByteArray method;                              // GET, POST, ...
    QString path;                                   // decoded, for logs
    QByteArray rawTarget;                           // path?query as received
    QStringList segments;                           // decoded path segments
    QList<std::pair<QString, QString>> query;       // in order, repeats kept
    QHash<QByteArray, QByteArray> headers;          // names lower-cased
    QByteArray body;
    QHash<QString, QString> params;                 // :name captures of the matched route
    QString mount;                                  // "/api/catalog" for plugin routes

    bool hasQuery(const QString &name) const;
    QStringList queryValues(const QString &name) const;
    // The target relative to the plugin mount, as Backstage reports it in
    // error bodies and Link headers ("/entities?filter=...").
    QString mountRelativeTarget() const;
};

struct HttpResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static HttpResponse json(const QJsonDocument &document, int status = 200);
    static HttpResponse json(const QJsonObject &object, int status = 200);
    static HttpResponse json(const QJsonArray &array, int status = 200);
    static HttpResponse empty(int status);
    // Backstage's error body: {error: {name, message}, request: {method, url}, response: {statusCode}}.
    static HttpResponse error(const Error &error, const HttpRequest &request);
};

// Backstage's status for an error name (InputError 400, NotFoundError 404, ...).
int statusForError(const QString &name);

} // namespace Greenroom::Server
