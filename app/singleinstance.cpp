// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "singleinstance.h"

#include <QLocalSocket>

namespace Greenroom::App {

SingleInstance::SingleInstance(QString name, QObject *parent) : QObject(parent), m_name(std::move(name))
{
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, socket, [this, socket] {
                if (!socket->canReadLine())
                    return;
                const QByteArray line = socket->readLine().trimmed();
                socket->write("ok\n");
                socket->flush();
                Q_EMIT urlReceived(QUrl(QString::fromUtf8(line)));
            });
        }
    });
}

bool SingleInstance::handOver(const QUrl &url)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(500))
        return false;
    socket.write(url.toEncoded() + '\n');
    socket.flush();
    // Handed over only when the other side answers (a stale socket file does not).
    return socket.waitForReadyRead(2000) && socket.readLine().startsWith("ok");
}

bool SingleInstance::listen()
{
    if (m_server.listen(m_name))
        return true;
    QLocalServer::removeServer(m_name);   // left by a crashed instance
    return m_server.listen(m_name);
}

} // namespace Greenroom::App
