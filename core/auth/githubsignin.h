// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "signinresolvers.h"

#include <common/result.h>
#include <config/configreader.h>

#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace Greenroom::Auth {

/*
 * The GitHub auth provider (auth-backend-module-github-provider):
 * auth.providers.github.<auth.environment> with clientId, clientSecret,
 * callbackUrl (default <backend.baseUrl>/api/auth/github/handler/frame),
 * enterpriseInstanceUrl (GitHub Enterprise: /login/oauth/... and /api/v3
 * under it) and signIn.resolvers. The scope asked for is read:user, as
 * upstream's; the profile's email is the account's public one.
 */
struct GitHubSignIn
{
    QString clientId;
    QString clientSecret;
    QString callbackUrl;
    QString webBaseUrl = QStringLiteral("https://github.com");
    QString apiBaseUrl = QStringLiteral("https://api.github.com");
    SignInResolvers resolvers;

    // nullopt when the provider is not configured for the environment.
    static Result<std::optional<GitHubSignIn>> fromConfig(const Config::ConfigReader &root, const QString &backendBaseUrl);

    // Where the browser goes to sign in; `state` comes back to the callback.
    QUrl authorizeUrl(const QString &state) const;

    // Exchanges the callback's code for an access token and reads the
    // account's profile; `done` is called once, with the profile or an
    // error that says which step failed (never with the token or secret).
    void fetchProfile(QNetworkAccessManager &network, const QString &code, std::function<void(Result<SignInProfile>)> done) const;
};

} // namespace Greenroom::Auth
