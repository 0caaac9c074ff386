// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QObject>

class QSocketNotifier;

namespace Greenroom::Server {

/*
 * Turns SIGTERM and SIGINT into a Qt signal delivered on the event loop (the
 * handler only writes a byte to a socket pair, the one thing that is safe in
 * a signal handler), so shutdown runs between requests and transactions.
 */
class ShutdownSignal : public QObject
{
    Q_OBJECT

public:
    explicit ShutdownSignal(QObject *parent = nullptr);
    ~ShutdownSignal() override;

Q_SIGNALS:
    void requested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Greenroom::Server
