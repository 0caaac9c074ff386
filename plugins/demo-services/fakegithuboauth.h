// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "fakeanswer.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Greenroom::DemoServices {

/*
 * GitHub's OAuth app flow for signing people in, as GitHub answers it:
 *
 *   GET  /login/oauth/authorize?client_id&redirect_uri&scope&state[&login]
 *        with `login` naming a known account (GitHub's own hint), that
 *        account is taken as signed in and consenting: 302 to redirect_uri
 *        with code and state. Without it, a page with a link per account
 *        (what choosing an account in the browser does).
 *   POST /login/oauth/access_token  client_id, client_secret, code,
 *        redirect_uri (form or JSON): the token as JSON when asked with
 *        Accept: application/json, else form-encoded; a bad code answers 200
 *        {"error":"bad_verification_code"} as GitHub does.
 *   GET  /user, /user/emails with `Authorization: token|Bearer T`.
 *
 * Codes are single use and bound to the client and redirect URI.
 */
class FakeGitHubOAuth
{
public:
    struct Account
    {
        QString login;
        qint64 id = 0;
        QString name;
        QString email;   // primary, verified, and public (in /user)
    };

    FakeGitHubOAuth(QString clientId, QString clientSecret) : m_clientId(std::move(clientId)), m_clientSecret(std::move(clientSecret)) {}

    void addAccount(const Account &account) { m_accounts.insert(account.login, account); }
    // Where its web pages are mounted ("/github" in the demo services), for the links it writes.
    void setWebRoot(const QString &root) { m_webRoot = root; }
    // {"accounts": [{login, id, name, email}]}, as the demo data writes them.
    void load(const QJsonObject &data);

    // Requests below the web root ("login/oauth/...") and the API root
    // ("user", "user/emails"); nullopt for anything else.
    std::optional<FakeAnswer> answerWeb(const FakeRequest &request, const QByteArray &accept);
    std::optional<FakeAnswer> answerApi(const FakeRequest &request, const QByteArray &authorization) const;

    // How many tokens were handed out (tests check that a refused exchange gave none).
    int tokensIssued() const { return int(m_tokens.size()); }

private:
    struct Grant
    {
        QString login;
        QString redirectUri;
    };
    FakeAnswer chooser(const QUrlQuery &query) const;

    QString m_clientId;
    QString m_clientSecret;
    QString m_webRoot;
    QHash<QString, Account> m_accounts;
    QHash<QString, Grant> m_codes;      // code -> grant, until exchanged
    QHash<QString, QString> m_tokens;   // token -> login
};

} // namespace Greenroom::DemoServices
