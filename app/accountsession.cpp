// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "accountsession.h"

#include <models/tokenvault.h>

#include <QDesktopServices>

namespace Greenroom::App {

namespace {

// Refreshed this long before the access token expires.
constexpr qint64 RefreshMarginSeconds = 300;

} // namespace

AccountSession::AccountSession(QUrl server, QString profile, Ui::TokenVault &vault, QObject *parent)
    : QObject(parent), m_server(std::move(server)), m_profile(std::move(profile)), m_vault(vault)
{
    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        if (m_tokens && !m_tokens->refreshToken.isEmpty())
            m_signIn.refresh(m_server, m_tokens->refreshToken);
    });
    connect(&m_signIn, &Sync::NativeSignIn::openBrowser, this, [this](const QUrl &url) {
        Q_EMIT progress(tr("Signing in: continue in your browser"));
        if (!QDesktopServices::openUrl(url))
            Q_EMIT progress(tr("Open this address to sign in: %1").arg(url.toString()));
    });
    connect(&m_signIn, &Sync::NativeSignIn::deviceCodeReady, this, [this](const QString &code, const QUrl &where) {
        Q_EMIT progress(tr("Enter the code %1 at %2").arg(code, where.toString()));
    });
    connect(&m_signIn, &Sync::NativeSignIn::signedIn, this, [this](const Sync::SignInTokens &tokens) { adopt(tokens, true); });
    connect(&m_signIn, &Sync::NativeSignIn::refreshed, this, [this](const Sync::SignInTokens &tokens) { adopt(tokens, true); });
    connect(&m_signIn, &Sync::NativeSignIn::failed, this, [this](const QString &message, bool refused) {
        const bool wasSignedIn = m_tokens.has_value();
        if (wasSignedIn && !refused) {
            // The server is out of reach: the session is kept (offline is
            // normal) and its renewal tried again in a minute.
            Q_EMIT progress(tr("Cannot renew your session now (%1); trying again").arg(message));
            if (auto ready = std::exchange(m_pendingReady, {}))
                ready(m_tokens->accessToken);
            m_refresh.start(60 * 1000);
            return;
        }
        // A refused refresh ends the session; a failed sign-in leaves things as they were.
        if (wasSignedIn) {
            m_tokens.reset();
            m_vault.write(key(), QString(), [](const QString &) {});
        }
        Q_EMIT signedOut(message);
        if (auto ready = std::exchange(m_pendingReady, {}))
            ready(QString());
        else if (wasSignedIn)
            Q_EMIT tokenChanged(QString());
    });
}

void AccountSession::restore(std::function<void(const QString &accessToken)> ready)
{
    m_vault.read(key(), [this, ready](const QString &stored, const QString &error) {
        if (!error.isEmpty())
            qWarning("greenroom: the keychain did not give the session: %s", qPrintable(error));
        std::optional<Sync::SignInTokens> tokens = Sync::SignInTokens::fromJson(stored.toUtf8());
        if (!tokens) {
            ready(QString());
            return;
        }
        const bool fresh = tokens->expiresAt.isValid() && QDateTime::currentDateTimeUtc().secsTo(tokens->expiresAt) > RefreshMarginSeconds;
        if (fresh || tokens->refreshToken.isEmpty()) {
            adopt(*tokens, false);
            Q_EMIT signedIn(tokens->userEntityRef, tokens->ownershipRefs);
            ready(tokens->accessToken);
            return;
        }
        m_tokens = tokens;
        m_pendingReady = ready;
        Q_EMIT progress(tr("Renewing your session…"));
        m_signIn.refresh(m_server, tokens->refreshToken);
    });
}

void AccountSession::adopt(const Sync::SignInTokens &tokens, bool announce)
{
    m_tokens = tokens;
    m_vault.write(key(), QString::fromUtf8(tokens.toJson()), [](const QString &error) {
        if (!error.isEmpty())
            qWarning("greenroom: the keychain did not keep the session: %s", qPrintable(error));
    });
    scheduleRefresh();
    if (!announce)
        return;
    Q_EMIT signedIn(tokens.userEntityRef, tokens.ownershipRefs);
    if (auto ready = std::exchange(m_pendingReady, {}))
        ready(tokens.accessToken);
    else
        Q_EMIT tokenChanged(tokens.accessToken);
}

void AccountSession::scheduleRefresh()
{
    m_refresh.stop();
    if (!m_tokens || m_tokens->refreshToken.isEmpty() || !m_tokens->expiresAt.isValid())
        return;
    const qint64 seconds = std::max<qint64>(10, QDateTime::currentDateTimeUtc().secsTo(m_tokens->expiresAt) - RefreshMarginSeconds);
    m_refresh.start(int(std::min<qint64>(seconds, 24 * 3600) * 1000));
}

void AccountSession::signIn()
{
    Q_EMIT progress(tr("Signing in…"));
    m_signIn.start(m_server);
}

void AccountSession::signInWithDeviceCode()
{
    Q_EMIT progress(tr("Asking the server for a code…"));
    m_signIn.startDevice(m_server);
}

void AccountSession::signOut()
{
    m_signIn.cancel();
    m_refresh.stop();
    if (m_tokens && !m_tokens->refreshToken.isEmpty())
        m_signIn.revoke(m_server, m_tokens->refreshToken);
    m_tokens.reset();
    m_vault.write(key(), QString(), [](const QString &error) {
        if (!error.isEmpty())
            qWarning("greenroom: the keychain did not forget the session: %s", qPrintable(error));
    });
    Q_EMIT signedOut(QString());
    Q_EMIT tokenChanged(QString());
}

} // namespace Greenroom::App
