// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QLocalServer>
#include <QUrl>

namespace Greenroom::App {

/*
 * One desktop app per user: a second launch (clicking a greenroom:// link
 * while the app runs) hands its URL to the first through a local socket and
 * exits.
 */
class SingleInstance : public QObject
{
    Q_OBJECT

public:
    explicit SingleInstance(QString name, QObject *parent = nullptr);
    // True when another instance runs and took `url` (or just the request to
    // come forward): this process should exit.
    bool handOver(const QUrl &url);
    // Becomes the instance others hand over to.
    bool listen();

Q_SIGNALS:
    void urlReceived(const QUrl &url);   // empty: just come to the front

private:
    QString m_name;
    QLocalServer m_server;
};

} // namespace Greenroom::App
