// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QObject>

#include <functional>

namespace Greenroom::Ui {

/*
 * Server tokens in the OS keychain (QtKeychain: the Secret Service on
 * Linux, Keychain on macOS, Credential Manager on Windows), one entry per
 * profile under the service "greenroom". Never in QSettings, never logged.
 * Calls are asynchronous: the keychain may ask the user to unlock it.
 */
class TokenVault : public QObject
{
    Q_OBJECT

public:
    explicit TokenVault(QString service = QStringLiteral("greenroom"), QObject *parent = nullptr);

    // `done(token, error)`: an empty token and no error when none is stored.
    void read(const QString &profile, std::function<void(const QString &token, const QString &error)> done);
    // `done(error)`: empty on success. An empty token deletes the entry.
    void write(const QString &profile, const QString &token, std::function<void(const QString &error)> done);

private:
    QString m_service;
};

} // namespace Greenroom::Ui
