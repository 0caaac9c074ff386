// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "nativesignin.h"

#include <common/base64url.h>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QUrlQuery>

namespace Greenroom::Sync {

namespace {

constexpr qsizetype MaxCallbackBytes = 16 * 1024;

QUrl endpoint(const QUrl &server, const QString &path)
{
    QString base = server.toString(QUrl::StripTrailingSlash);
    return QUrl(base + QStringLiteral("/api/auth") + path);
}

QByteArray callbackPage(const QString &title, const QString &text)
{
    const QByteArray body = QStringLiteral("<!doctype html><meta charset=utf-8><title>%1</title><h1>%1</h1><p>%2</p>")
                                .arg(title.toHtmlEscaped(), text.toHtmlEscaped())
                                .toUtf8();
    return "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

QByteArray SignInTokens::toJson() const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("accessToken"), accessToken},
                                     {QStringLiteral("refreshToken"), refreshToken},
                                     {QStringLiteral("expiresAt"), expiresAt.toString(Qt::ISODate)}})
        .toJson(QJsonDocument::Compact);
}

std::optional<SignInTokens> SignInTokens::fromJson(const QByteArray &json)
{
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    SignInTokens tokens;
    tokens.accessToken = object.value(QLatin1String("accessToken")).toString();
    tokens.refreshToken = object.value(QLatin1String("refreshToken")).toString();
    tokens.expiresAt = QDateTime::fromString(object.value(QLatin1String("expiresAt")).toString(), Qt::ISODate);
    if (tokens.accessToken.isEmpty())
        return std::nullopt;
    readClaims(tokens);
    return tokens;
}

void SignInTokens::readClaims(SignInTokens &tokens)
{
    const QList<QByteArray> parts = tokens.accessToken.toLatin1().split('.');
    if (parts.size() != 3)
        return;
    const QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding)).object();
    tokens.userEntityRef = claims.value(QLatin1String("sub")).toString();
    tokens.ownershipRefs.clear();
    for (const QJsonValue &ref : claims.value(QLatin1String("ent")).toArray())
        tokens.ownershipRefs.append(ref.toString());
}

NativeSignIn::NativeSignIn(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<SignInTokens>();
    m_network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    connect(&m_listener, &QTcpServer::newConnection, this, &NativeSignIn::onConnection);
    m_devicePoll.setSingleShot(true);
    connect(&m_devicePoll, &QTimer::timeout, this, &NativeSignIn::pollDevice);
}

void NativeSignIn::start(const QUrl &server)
{
    cancel();
    m_active = true;
    m_server = server;
    m_clientId = endpoint(server, QStringLiteral("/.well-known/oauth-client/cli.json")).toString();
    // Ask first whether the server signs apps in at all, for a clear answer.
    QNetworkReply *probe = m_network.get(QNetworkRequest(QUrl(m_clientId)));
    connect(probe, &QNetworkReply::finished, this, [this, probe] {
        probe->deleteLater();
        if (!m_active)
            return;
        const int status = probe->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200) {
            m_active = false;
            Q_EMIT failed(status == 0 ? QStringLiteral("Cannot reach %1: %2").arg(m_server.toString(), probe->errorString())
                                      : QStringLiteral("%1 does not sign apps in (its auth backend answers %2 for the CLI client; "
                                                       "enable auth.clientIdMetadataDocuments)").arg(m_server.toString()).arg(status),
                          status != 0);
            return;
        }
        if (!m_listener.listen(QHostAddress::LocalHost, 0)) {
            m_active = false;
            Q_EMIT failed(QStringLiteral("Cannot listen on 127.0.0.1 for the sign-in: %1").arg(m_listener.errorString()), false);
            return;
        }
        m_redirectUri = QStringLiteral("http://127.0.0.1:%1/callback").arg(m_listener.serverPort());
        m_state = randomBase64Url(24);
        m_verifier = randomBase64Url(32);
        const QString challenge = pkceChallenge(m_verifier);
        QUrl authorize = endpoint(m_server, QStringLiteral("/v1/authorize"));
        QUrlQuery query;
        for (const auto &[name, value] : {std::pair{"client_id", m_clientId}, std::pair{"redirect_uri", m_redirectUri},
                                          std::pair{"response_type", QStringLiteral("code")}, std::pair{"scope", QStringLiteral("openid offline_access")},
                                          std::pair{"state", m_state}, std::pair{"code_challenge", challenge},
                                          std::pair{"code_challenge_method", QStringLiteral("S256")}})
            query.addQueryItem(QLatin1String(name), QString::fromLatin1(QUrl::toPercentEncoding(value)));
        authorize.setQuery(query);
        Q_EMIT openBrowser(authorize);
    });
}

void NativeSignIn::cancel()
{
    m_active = false;
    m_listener.close();
    m_devicePoll.stop();
    m_deviceCode.clear();
}

void NativeSignIn::finish()
{
    m_active = false;
    m_listener.close();
}

void NativeSignIn::onConnection()
{
    while (QTcpSocket *socket = m_listener.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            *buffer += socket->readAll();
            if (buffer->size() > MaxCallbackBytes) {
                socket->abort();
                return;
            }
            if (buffer->contains("\r\n\r\n"))
                answerCallback(socket, *buffer);
        });
    }
}

void NativeSignIn::answerCallback(QTcpSocket *socket, const QByteArray &request)
{
    const QList<QByteArray> line = request.left(request.indexOf("\r\n")).split(' ');
    const QUrl target = line.size() == 3 ? QUrl::fromEncoded(line.at(1)) : QUrl();
    if (line.value(0) != "GET" || target.path() != QLatin1String("/callback")) {
        socket->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
        return;
    }
    const QUrlQuery query(target);
    const QString state = query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    // Only the redirect this sign-in asked for: another page on this machine
    // may not hand in a code of its own.
    if (!m_active || state != m_state) {
        socket->write(callbackPage(QStringLiteral("Sign-in refused"), QStringLiteral("This answer does not belong to a sign-in Greenroom started.")));
        socket->disconnectFromHost();
        return;
    }
    finish();
    if (query.hasQueryItem(QStringLiteral("error"))) {
        const QString why = query.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded);
        socket->write(callbackPage(QStringLiteral("Sign-in failed"), why));
        socket->disconnectFromHost();
        Q_EMIT failed(why.isEmpty() ? query.queryItemValue(QStringLiteral("error")) : why, true);
        return;
    }
    socket->write(callbackPage(QStringLiteral("Signed in"), QStringLiteral("You are signed in to Greenroom. You can close this tab.")));
    socket->disconnectFromHost();
    exchange(endpoint(m_server, QStringLiteral("/v1/token")),
             {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
              {QStringLiteral("code"), query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded)},
              {QStringLiteral("redirect_uri"), m_redirectUri},
              {QStringLiteral("code_verifier"), m_verifier}},
             false);
}

void NativeSignIn::exchange(const QUrl &tokenUrl, const QJsonObject &body, bool isRefresh)
{
    QNetworkRequest request(tokenUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply, isRefresh] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(reply->read(1024 * 1024)).object();
        if (status != 200) {
            const QString error = answer.value(QLatin1String("error")).toString();
            if (error == QLatin1String("authorization_pending") || error == QLatin1String("slow_down")) {
                if (error == QLatin1String("slow_down"))
                    m_devicePoll.setInterval(m_devicePoll.interval() + 5000);
                if (!m_deviceCode.isEmpty())
                    m_devicePoll.start();
                return;
            }
            m_deviceCode.clear();
            Q_EMIT failed(status == 0 ? reply->errorString()
                                      : QStringLiteral("The server refused the sign-in: %1")
                                            .arg(answer.value(QLatin1String("error_description")).toString(error)),
                          status >= 400 && status < 500);
            return;
        }
        m_deviceCode.clear();
        SignInTokens tokens;
        tokens.accessToken = answer.value(QLatin1String("access_token")).toString();
        tokens.refreshToken = answer.value(QLatin1String("refresh_token")).toString();
        tokens.expiresAt = QDateTime::currentDateTimeUtc().addSecs(answer.value(QLatin1String("expires_in")).toInteger(3600));
        SignInTokens::readClaims(tokens);
        if (tokens.accessToken.isEmpty() || tokens.userEntityRef.isEmpty()) {
            Q_EMIT failed(QStringLiteral("The server answered without a user token"), true);
            return;
        }
        if (isRefresh)
            Q_EMIT refreshed(tokens);
        else
            Q_EMIT signedIn(tokens);
    });
}

void NativeSignIn::refresh(const QUrl &server, const QString &refreshToken)
{
    exchange(endpoint(server, QStringLiteral("/v1/token")),
             {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")}, {QStringLiteral("refresh_token"), refreshToken}}, true);
}

void NativeSignIn::revoke(const QUrl &server, const QString &refreshToken)
{
    QNetworkRequest request(endpoint(server, QStringLiteral("/v1/revoke")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QJsonObject body{{QStringLiteral("token"), refreshToken},
                           {QStringLiteral("client_id"), endpoint(server, QStringLiteral("/.well-known/oauth-client/cli.json")).toString()}};
    QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

void NativeSignIn::startDevice(const QUrl &server)
{
    cancel();
    m_server = server;
    m_clientId = endpoint(server, QStringLiteral("/.well-known/oauth-client/cli.json")).toString();
    QNetworkRequest request(endpoint(server, QStringLiteral("/v1/device_authorization")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QJsonObject body{{QStringLiteral("client_id"), m_clientId}, {QStringLiteral("scope"), QStringLiteral("openid offline_access")}};
    QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const QJsonObject answer = QJsonDocument::fromJson(reply->read(1024 * 1024)).object();
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200 || !answer.contains(QLatin1String("device_code"))) {
            Q_EMIT failed(QStringLiteral("%1 does not sign devices in: %2")
                              .arg(m_server.toString(), answer.value(QLatin1String("error_description")).toString(reply->errorString())),
                          reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 0);
            return;
        }
        m_deviceCode = answer.value(QLatin1String("device_code")).toString();
        m_devicePoll.setInterval(int(answer.value(QLatin1String("interval")).toInteger(5)) * 1000);
        m_devicePoll.start();
        Q_EMIT deviceCodeReady(answer.value(QLatin1String("user_code")).toString(),
                               QUrl(answer.value(QLatin1String("verification_uri")).toString()));
    });
}

void NativeSignIn::pollDevice()
{
    if (m_deviceCode.isEmpty())
        return;
    exchange(endpoint(m_server, QStringLiteral("/v1/token")),
             {{QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:device_code")},
              {QStringLiteral("device_code"), m_deviceCode}},
             false);
}

} // namespace Greenroom::Sync
