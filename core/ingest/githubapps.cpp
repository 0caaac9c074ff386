// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubapps.h"

#include "httprequest.h"

#include <common/base64url.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace Greenroom::Ingest {

namespace {

constexpr qint64 InstallationsKeptSeconds = 10 * 60;
constexpr qint64 RenewBeforeExpirySeconds = 10 * 60;

QList<QPair<QByteArray, QByteArray>> appHeaders(const QByteArray &jwt)
{
    return {{QByteArrayLiteral("Accept"), QByteArrayLiteral("application/vnd.github.machine-man-preview+json")},
            {QByteArrayLiteral("User-Agent"), QByteArrayLiteral("greenroom")},
            {QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + jwt}};
}

Error appError(const GitHubApp &app, const QString &what, const HttpAnswer &answer)
{
    const QString message = QJsonDocument::fromJson(answer.body).object().value(QLatin1String("message")).toString();
    return Error::internal(QStringLiteral("GitHub App %1: %2 failed, %3 %4%5")
                               .arg(app.appId).arg(what).arg(answer.status).arg(answer.reason,
                                                                                message.isEmpty() ? QString() : QStringLiteral(": ") + message));
}

} // namespace

GitHubAppTokens::GitHubAppTokens(QString apiBaseUrl, QList<GitHubApp> apps, std::function<qint64()> now)
    : m_apiBaseUrl(std::move(apiBaseUrl)), m_apps(std::move(apps)), m_now(std::move(now))
{
    if (!m_now)
        m_now = [] { return QDateTime::currentSecsSinceEpoch(); };
}

Result<QByteArray> GitHubAppTokens::appJwt(const GitHubApp &app, qint64 now)
{
    QByteArray pem = app.privateKey.toUtf8();
    pem.replace("\\n", "\n");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
        return Error::input(QStringLiteral("GitHub App %1: privateKey is not an RSA private key in PEM form").arg(app.appId));
    // As @octokit/auth-app: issued 30 s ago (clocks drift), valid for GitHub's maximum of 10 minutes.
    const qint64 issued = now - 30;
    const QByteArray header = base64Url(R"({"alg":"RS256","typ":"JWT"})");
    const QByteArray payload = base64Url(QJsonDocument(QJsonObject{{QStringLiteral("iat"), issued},
                                                                   {QStringLiteral("exp"), issued + 600},
                                                                   {QStringLiteral("iss"), app.appId}})
                                             .toJson(QJsonDocument::Compact));
    const QByteArray signingInput = header + '.' + payload;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = 0;
    if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1
        || EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(signingInput.constData()), size_t(signingInput.size())) != 1)
        return Error::internal(QStringLiteral("GitHub App %1: cannot sign its token").arg(app.appId));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()), size_t(signingInput.size())) != 1)
        return Error::internal(QStringLiteral("GitHub App %1: cannot sign its token").arg(app.appId));
    signature.truncate(qsizetype(length));
    return signingInput + '.' + base64Url(signature);
}

Result<QJsonArray> GitHubAppTokens::installationsOf(const GitHubApp &app)
{
    const qint64 now = m_now();
    const auto kept = m_installations.constFind(app.appId);
    if (kept != m_installations.cend() && now - kept->fetchedAt < InstallationsKeptSeconds)
        return kept->list;
    auto jwt = appJwt(app, now);
    if (!jwt)
        return jwt.error();
    QJsonArray all;
    for (int page = 1;; ++page) {
        auto answer = sendHttpRequest({QByteArrayLiteral("GET"),
                                       QUrl(m_apiBaseUrl + QStringLiteral("/app/installations?per_page=100&page=%1").arg(page)),
                                       appHeaders(jwt.value()), {}});
        if (!answer)
            return answer.error();
        if (answer->status != 200)
            return appError(app, QStringLiteral("listing its installations"), answer.value());
        const QJsonArray list = QJsonDocument::fromJson(answer->body).array();
        for (const QJsonValue &installation : list)
            all.append(installation);
        if (list.size() < 100)
            break;
    }
    m_installations.insert(app.appId, {all, now});
    return all;
}

Result<QJsonArray> GitHubAppTokens::installations(std::optional<qint64> onlyApp)
{
    std::lock_guard lock(m_mutex);
    QJsonArray all;
    for (const GitHubApp &app : std::as_const(m_apps)) {
        if (onlyApp && app.appId != *onlyApp)
            continue;
        auto list = installationsOf(app);
        if (!list)
            return list.error();
        for (const QJsonValue &installation : list.value())
            all.append(installation);
    }
    return all;
}

Result<QStringList> GitHubAppTokens::installedOrganisations(std::optional<qint64> onlyApp)
{
    auto all = installations(onlyApp);
    if (!all)
        return all.error();
    QStringList orgs;
    for (const QJsonValue &value : all.value()) {
        const QJsonObject installation = value.toObject();
        const QString login = installation.value(QLatin1String("account")).toObject().value(QLatin1String("login")).toString();
        if (installation.value(QLatin1String("target_type")).toString() == QLatin1String("Organization") && !login.isEmpty())
            orgs.append(login);
    }
    return orgs;
}

Result<std::optional<QString>> GitHubAppTokens::tokenFor(const QString &owner)
{
    std::lock_guard lock(m_mutex);
    const QString key = owner.toLower();
    const qint64 now = m_now();
    if (const auto kept = m_tokens.constFind(key); kept != m_tokens.cend() && now < kept->renewAt)
        return std::optional<QString>(kept->token);
    for (const GitHubApp &app : std::as_const(m_apps)) {
        if (!app.allowedInstallationOwners.isEmpty()
            && !app.allowedInstallationOwners.contains(owner, Qt::CaseInsensitive))
            continue;
        auto list = installationsOf(app);
        if (!list)
            return list.error();
        for (const QJsonValue &value : list.value()) {
            const QJsonObject installation = value.toObject();
            if (installation.value(QLatin1String("account")).toObject().value(QLatin1String("login")).toString().toLower() != key)
                continue;
            if (!installation.value(QLatin1String("suspended_by")).isNull() && !installation.value(QLatin1String("suspended_by")).isUndefined())
                return Error::internal(QStringLiteral("The GitHub application for %1 is suspended").arg(owner));
            auto jwt = appJwt(app, now);
            if (!jwt)
                return jwt.error();
            const qint64 id = qint64(installation.value(QLatin1String("id")).toDouble());
            auto answer = sendHttpRequest({QByteArrayLiteral("POST"),
                                           QUrl(m_apiBaseUrl + QStringLiteral("/app/installations/%1/access_tokens").arg(id)),
                                           appHeaders(jwt.value()), {}});
            if (!answer)
                return answer.error();
            if (answer->status != 201 && answer->status != 200) {
                if (answer->status == 404 || answer->status == 410)
                    m_installations.remove(app.appId);   // the installation is gone: list again next time
                return appError(app, QStringLiteral("creating a token for %1").arg(owner), answer.value());
            }
            const QJsonObject token = QJsonDocument::fromJson(answer->body).object();
            const QDateTime expires = QDateTime::fromString(token.value(QLatin1String("expires_at")).toString(), Qt::ISODate);
            const qint64 expiresAt = expires.isValid() ? expires.toSecsSinceEpoch() : now + 3600;
            m_tokens.insert(key, {token.value(QLatin1String("token")).toString(), expiresAt - RenewBeforeExpirySeconds});
            return std::optional<QString>(token.value(QLatin1String("token")).toString());
        }
    }
    return std::optional<QString>();
}

} // namespace Greenroom::Ingest
