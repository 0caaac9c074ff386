// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// Runs the real greenroom-server binary on an ephemeral loopback port and
// speaks HTTP to it (header-only; tests that use it link Qt6::Network and
// define GREENROOM_SERVER_BINARY).

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>

namespace Greenroom::TestSupport {

struct Reply
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;   // lower-case names
    qint64 elapsedMs = 0;
    QJsonValue json() const
    {
        const QJsonDocument document = QJsonDocument::fromJson(body);
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    QString errorMessage() const { return json()[QLatin1String("error")][QLatin1String("message")].toString(); }
};

class ServerProcess
{
public:
    ~ServerProcess() { stop(); }

    // Starts `greenroom-server serve` in `workingDirectory` and waits until it
    // listens; returns the start-up output, or an empty string (with the
    // output in `failure`) when it did not come up.
    bool start(const QString &workingDirectory, const QStringList &arguments = {QStringLiteral("serve")},
               const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        m_output.clear();
        m_base.clear();
        m_process.setWorkingDirectory(workingDirectory);
        m_process.setProcessEnvironment(environment);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(GREENROOM_SERVER_BINARY), arguments);
        if (!m_process.waitForStarted())
            return false;
        // Up once it listens and has read every location once (which it does
        // in the background, answering meanwhile).
        static const QRegularExpression listening(QStringLiteral("listening on (http://[^\\s]+:\\d+)"));
        QString base;
        bool read = false;
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 120000 && (base.isEmpty() || !read)) {
            // An event loop, not waitForReadyRead: the server may be reading
            // from an HTTP server this test runs.
            QEventLoop loop;
            QObject::connect(&m_process, &QProcess::readyRead, &loop, &QEventLoop::quit);
            QObject::connect(&m_process, &QProcess::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(100, &loop, &QEventLoop::quit);
            loop.exec();
            m_output += m_process.readAll();
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_output));
            if (match.hasMatch())
                base = match.captured(1);
            read = m_output.contains("every location has been read once");
            if (m_process.state() != QProcess::Running)
                return false;
        }
        if (read)
            m_base = base;
        return !m_base.isEmpty();
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }

    // Everything the server printed so far.
    QByteArray output()
    {
        m_output += m_process.readAll();
        return m_output;
    }

    // For a test class's cleanup(): what the server said, when the test failed.
    void reportIfTestFailed()
    {
        if (QTest::currentTestFailed())
            qWarning().noquote() << "server output:\n" << output();
    }

    QProcess &process() { return m_process; }
    QString base() const { return m_base; }

    Reply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const QByteArray &contentType = "application/json", const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                  int timeoutMs = 30000)
    {
        QNetworkRequest request(QUrl(m_base + path));
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QElapsedTimer timer;
        timer.start();
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
        Reply out;
        out.elapsedMs = timer.elapsed();
        if (!reply->isFinished()) {
            reply->abort();
            reply->deleteLater();
            return out;   // status 0: no answer in time
        }
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            out.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return out;
    }

    QNetworkAccessManager &network() { return m_network; }

private:
    QProcess m_process;
    QByteArray m_output;
    QString m_base;
    QNetworkAccessManager m_network;
};

} // namespace Greenroom::TestSupport
