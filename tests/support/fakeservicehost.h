// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// One of the demo services' fakes (plugins/demo-services) on a loopback
// port, for plugin tests, and the environment that makes a greenroom-server
// load the build's plugins (header-only; users link Qt6::HttpServer and
// greenroom_demo_services, and define GREENROOM_BINARY_DIR through testconfig.h).

#include <fakeanswer.h>
#include <testconfig.h>

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QProcessEnvironment>

#include <functional>

namespace Greenroom::TestSupport {

class FakeServiceHost : public QAbstractHttpServer
{
public:
    // The fake's answer to a request (its headers in `raw`); nothing: 404.
    using Answer = std::function<std::optional<DemoServices::FakeAnswer>(const DemoServices::FakeRequest &, const QHttpServerRequest &raw)>;

    explicit FakeServiceHost(Answer answer) : m_answer(std::move(answer)) { m_port = listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        QHttpServerResponder responder = makeResponder(request, socket);
        QByteArray method = "GET";
        switch (request.method()) {
        case QHttpServerRequest::Method::Post: method = "POST"; break;
        case QHttpServerRequest::Method::Put: method = "PUT"; break;
        case QHttpServerRequest::Method::Delete: method = "DELETE"; break;
        default: break;
        }
        // Split before decoding, as a real router does: an encoded '/' stays inside its segment.
        QStringList parts = request.url().path(QUrl::FullyEncoded).mid(1).split(QLatin1Char('/'));
        for (QString &part : parts)
            part = QUrl::fromPercentEncoding(part.toLatin1());
        auto answer = m_answer({method, parts, QUrlQuery(request.url()), request.body()}, request);
        if (!answer)
            answer = DemoServices::FakeAnswer::json(404, QJsonObject());
        responder.write(answer->body, answer->contentType, QHttpServerResponder::StatusCode(answer->status));
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    Answer m_answer;
    quint16 m_port = 0;
};

// A fake and the host serving it. `route` hands a request to the fake with
// the headers it reads (most fakes only the Authorization: byAuthorization).
template<typename Fake>
struct HostedFake
{
    using Route = std::function<std::optional<DemoServices::FakeAnswer>(Fake &, const DemoServices::FakeRequest &, const QHttpServerRequest &)>;

    template<typename... FakeArguments>
    explicit HostedFake(Route route, FakeArguments &&...arguments)
        : fake(std::forward<FakeArguments>(arguments)...),
          host([this, route = std::move(route)](const DemoServices::FakeRequest &request, const QHttpServerRequest &raw) { return route(fake, request, raw); })
    {
    }
    QString url() const { return host.url(); }

    Fake fake;
    FakeServiceHost host;
};

template<typename Fake>
std::optional<DemoServices::FakeAnswer> byAuthorization(Fake &fake, const DemoServices::FakeRequest &request, const QHttpServerRequest &raw)
{
    return fake.answer(request, raw.value("authorization"));
}

// The environment that points a greenroom-server at the plugins this build made.
inline QProcessEnvironment builtPluginsEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GREENROOM_PLUGIN_PATH"), QStringLiteral(GREENROOM_BINARY_DIR "/plugins"));
    return environment;
}

} // namespace Greenroom::TestSupport
