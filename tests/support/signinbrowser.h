// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// A scripted browser for sign-in tests (header-only): it follows redirects
// with a cookie jar, as a person's browser does, chooses a GitHub account
// when it reaches GitHub's authorize page (GitHub's `login` hint), and stops
// where the flow hands back to a native app's loopback redirect. And the
// app's side: PKCE values and the token request.

#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

namespace Greenroom::TestSupport {

struct BrowserVisit
{
    QList<QUrl> visited;   // every URL loaded, in order
    QUrl stoppedAt;        // the loopback redirect, when the flow got there
    int lastStatus = 0;
    QByteArray lastBody;   // of the last page loaded (not redirected)
};

class SignInBrowser
{
public:
    // `githubHost` is "127.0.0.1:<port>" of the fake GitHub; `loopbackPrefix`
    // the app's redirect ("http://127.0.0.1:<port>/callback").
    SignInBrowser(QString githubHost, QString loopbackPrefix)
        : m_githubHost(std::move(githubHost)), m_loopbackPrefix(std::move(loopbackPrefix))
    {
        m_network.setCookieJar(new QNetworkCookieJar(&m_network));
        m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }

    QNetworkAccessManager &network() { return m_network; }

    // Opens `url` and follows the flow; at GitHub's authorize page signs in as `login`.
    BrowserVisit open(QUrl url, const QString &login)
    {
        BrowserVisit visit;
        for (int hop = 0; hop < 20; ++hop) {
            if (url.toString().startsWith(m_loopbackPrefix)) {
                visit.stoppedAt = url;
                return visit;
            }
            if (url.authority() == m_githubHost && url.path().endsWith(QLatin1String("/login/oauth/authorize")) && !login.isEmpty()) {
                QUrlQuery query(url);
                query.removeAllQueryItems(QStringLiteral("login"));
                query.addQueryItem(QStringLiteral("login"), login);
                url.setQuery(query);
            }
            visit.visited.append(url);
            QNetworkReply *reply = m_network.get(QNetworkRequest(url));
            wait(reply);
            visit.lastStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray location = reply->rawHeader("Location");
            visit.lastBody = reply->readAll();
            reply->deleteLater();
            if (location.isEmpty() || visit.lastStatus < 300 || visit.lastStatus >= 400)
                return visit;
            url = url.resolved(QUrl::fromEncoded(location));
        }
        return visit;
    }

    static void wait(QNetworkReply *reply)
    {
        if (reply->isFinished())
            return;
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
    }

private:
    QNetworkAccessManager m_network;
    QString m_githubHost;
    QString m_loopbackPrefix;
};

// A PKCE verifier and its S256 challenge (RFC 7636).
struct Pkce
{
    QString verifier;
    QString challenge;
    static Pkce make()
    {
        QByteArray random(32, Qt::Uninitialized);
        QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(random.data()), reinterpret_cast<quint32 *>(random.data()) + 8);
        Pkce pkce;
        pkce.verifier = QString::fromLatin1(random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        pkce.challenge = QString::fromLatin1(QCryptographicHash::hash(pkce.verifier.toLatin1(), QCryptographicHash::Sha256)
                                                 .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        return pkce;
    }
};

// POSTs JSON to `url` and returns the status and the JSON object answered.
inline std::pair<int, QJsonObject> postJson(QNetworkAccessManager &network, const QUrl &url, const QJsonObject &body)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    SignInBrowser::wait(reply);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return {status, answer};
}

// The whole native sign-in against a Greenroom (or Backstage) server at
// `base` as `login`: authorize with PKCE, follow the browser, exchange the
// code. The token response, or an empty object.
inline QJsonObject signInAs(const QString &base, const QString &githubHost, const QString &login, QString *error = nullptr)
{
    const QString redirect = QStringLiteral("http://127.0.0.1:49152/callback");
    SignInBrowser browser(githubHost, redirect);
    const Pkce pkce = Pkce::make();
    QUrl authorize(base + QStringLiteral("/api/auth/v1/authorize"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("client_id"), base + QStringLiteral("/api/auth/.well-known/oauth-client/cli.json"));
    query.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("scope"), QStringLiteral("openid offline_access"));
    query.addQueryItem(QStringLiteral("state"), QStringLiteral("state-of-") + login);
    query.addQueryItem(QStringLiteral("code_challenge"), pkce.challenge);
    query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    authorize.setQuery(query);
    const BrowserVisit visit = browser.open(authorize, login);
    const QUrlQuery back(visit.stoppedAt);
    if (!back.hasQueryItem(QStringLiteral("code"))) {
        if (error)
            *error = QStringLiteral("no code: stopped at %1 (%2)").arg(visit.stoppedAt.toString(), QString::fromUtf8(visit.lastBody.left(300)));
        return {};
    }
    const auto [status, tokens] = postJson(browser.network(), QUrl(base + QStringLiteral("/api/auth/v1/token")),
                                           {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                            {QStringLiteral("code"), back.queryItemValue(QStringLiteral("code"))},
                                            {QStringLiteral("redirect_uri"), redirect},
                                            {QStringLiteral("code_verifier"), pkce.verifier}});
    if (status != 200 && error)
        *error = QStringLiteral("token exchange: HTTP %1 %2").arg(status).arg(QString::fromUtf8(QJsonDocument(tokens).toJson()));
    return status == 200 ? tokens : QJsonObject();
}

} // namespace Greenroom::TestSupport
