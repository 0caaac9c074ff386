// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// greenroom-demo-services: the fake services the plugins' tests use, serving
// the demo organisation's made-up data on loopback, so `make run` shows every
// plugin working without real accounts. Demo data only: nothing here talks
// to GitHub or anything else.
#include "fakeargocd.h"
#include "fakegithubactions.h"
#include "fakegithuboauth.h"
#include "fakegithuborg.h"
#include "fakekubernetes.h"
#include "fakepagerduty.h"
#include "fakesonarqube.h"

#include <QAbstractHttpServer>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QTextStream>

namespace {

using namespace Greenroom::DemoServices;

// Demo runs say how long ago they started and how long they took; GitHub's
// timestamps are worked out from now, so the demo never looks stale.
QJsonObject withTimes(QJsonObject item)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Any "<field>MinutesAgo" becomes "<field>" (analysisDate, deployedAt, ...): a time that many minutes ago.
    for (const QString &key : item.keys()) {
        if (!key.endsWith(QLatin1String("MinutesAgo")))
            continue;
        // "deployedMinutesAgo" -> deployedAt; a name that is one already stays (created_at, startTime, timestamp, date).
        QString field = key.chopped(10);
        if (field == QLatin1String("analysis"))
            field = QStringLiteral("analysisDate");
        else if (!field.endsWith(QLatin1String("_at")) && !field.endsWith(QLatin1String("Time")) && field != QLatin1String("timestamp")
                 && field != QLatin1String("date"))
            field += QStringLiteral("At");
        item.insert(field, now.addSecs(-60 * item.take(key).toInteger()).toString(Qt::ISODate));
    }
    if (item.contains(QLatin1String("started_minutes_ago"))) {
        const QDateTime started = now.addSecs(-60 * item.take(QLatin1String("started_minutes_ago")).toInteger());
        const qint64 took = item.take(QLatin1String("took_seconds")).toInteger();
        for (const char *key : {"run_started_at", "created_at", "started_at"})
            item.insert(QLatin1String(key), started.toString(Qt::ISODate));
        item.insert(QStringLiteral("updated_at"), started.addSecs(took).toString(Qt::ISODate));
        item.insert(QStringLiteral("completed_at"), started.addSecs(took).toString(Qt::ISODate));
    }
    for (auto it = item.begin(); it != item.end(); ++it) {
        if (it.value().isArray()) {
            QJsonArray items;
            for (const QJsonValue &child : it.value().toArray())
                items.append(child.isObject() ? QJsonValue(withTimes(child.toObject())) : child);
            it.value() = items;
        } else if (it.value().isObject()) {
            it.value() = withTimes(it.value().toObject());
        }
    }
    return item;
}

class DemoServer : public QAbstractHttpServer
{
public:
    FakeGitHubActions githubActions;
    // The demo server's GitHub sign-in: the OAuth app resources/demo/app-config.yaml names.
    FakeGitHubOAuth githubOAuth{QStringLiteral("greenroom-demo"), QStringLiteral("demo-secret")};
    // The organisation resources/demo/github-import.yaml imports (token demo-github-token).
    FakeGitHubOrg githubOrg{{QStringLiteral("demo-github-token")}};
    FakeSonarQube sonarqube{QStringLiteral("demo-token")};
    FakeKubernetes kubernetes{QStringLiteral("demo-token")};
    FakePagerDuty pagerduty{QStringLiteral("demo-token")};
    FakeArgoCd argocd{QStringLiteral("admin"), QStringLiteral("demo"), QStringLiteral("demo-token")};

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        QHttpServerResponder responder = makeResponder(request, socket);
        const QString path = request.url().path();
        const QByteArray method = request.method() == QHttpServerRequest::Method::Post ? "POST" : "GET";
        const QString githubRoot = QStringLiteral("/github/api/v3/");
        std::optional<FakeAnswer> answer;
        const QString sonarRoot = QStringLiteral("/sonarqube/");
        const QString argoRoot = QStringLiteral("/argocd/");
        const QString pagerRoot = QStringLiteral("/pagerduty/");
        const QString kubernetesRoot = QStringLiteral("/kubernetes/");
        const QString githubWeb = QStringLiteral("/github/");
        if (path.startsWith(githubRoot) && path.startsWith(githubRoot + QStringLiteral("user")))
            answer = githubOAuth.answerApi({method, path.mid(githubRoot.size()).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                           request.value("authorization"));
        else if (path.startsWith(githubWeb + QStringLiteral("login/")))
            answer = githubOAuth.answerWeb({method, path.mid(githubWeb.size()).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                           request.value("accept"));
        if (!answer && method == "POST" && path == QLatin1String("/github/api/graphql"))
            answer = githubOrg.answerGraphql(request.body(), request.value("authorization"));
        else if (!answer && path.startsWith(githubRoot))
            answer = githubOrg.answerRest({method, path.mid(githubRoot.size()).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                          request.value("authorization"), request.value("if-none-match"));
        if (answer)
            ;
        else if (path.startsWith(githubRoot))
            answer = githubActions.answer({method, path.mid(githubRoot.size()).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()});
        else if (path.startsWith(sonarRoot))
            answer = sonarqube.answer({method, path.mid(sonarRoot.size()).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                      request.value("authorization"));
        else if (path.startsWith(kubernetesRoot))
            answer = kubernetes.answer({method, path.mid(kubernetesRoot.size()).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                       request.value("authorization"));
        else if (path.startsWith(pagerRoot))
            answer = pagerduty.answer({method, path.mid(pagerRoot.size()).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                      request.value("authorization"), request.value("accept"));
        else if (path.startsWith(argoRoot))
            answer = argocd.answer({method, path.mid(argoRoot.size()).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                   request.value("authorization"));
        if (!answer)
            answer = FakeAnswer::json(404, QJsonObject{{QStringLiteral("message"), QStringLiteral("Not Found (Greenroom demo services)")}});
        if (!answer->location.isEmpty()) {
            responder.writeStatusLine(QHttpServerResponder::StatusCode(answer->status));
            responder.writeHeader("Location", answer->location);
            responder.writeHeader("Content-Length", "0");
            responder.writeBody(QByteArray());
            return true;
        }
        responder.writeStatusLine(QHttpServerResponder::StatusCode(answer->status));
        responder.writeHeader("Content-Type", answer->contentType);
        responder.writeHeader("Content-Length", QByteArray::number(answer->body.size()));
        for (const auto &[name, value] : answer->headers)
            responder.writeHeader(name, value);
        responder.writeBody(answer->body);
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fake services with demo data for Greenroom's plugins (loopback only)."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to listen on (default 7010)."), QStringLiteral("PORT"),
                                        QStringLiteral("7010"));
    const QCommandLineOption dataOption(QStringLiteral("data"), QStringLiteral("Folder of the demo data."), QStringLiteral("FOLDER"),
                                        QStringLiteral(GREENROOM_RESOURCES_DIR "/demo/services"));
    parser.addOption(portOption);
    parser.addOption(dataOption);
    parser.process(app);
    QTextStream err(stderr);

    DemoServer server;
    const auto read = [&](const QString &name) -> std::optional<QJsonObject> {
        QFile file(parser.value(dataOption) + QLatin1Char('/') + name);
        if (!file.open(QIODevice::ReadOnly)) {
            err << "greenroom-demo-services: cannot read " << file.fileName() << ": " << file.errorString() << Qt::endl;
            return std::nullopt;
        }
        QJsonParseError parseError;
        const QJsonDocument data = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!data.isObject()) {
            err << "greenroom-demo-services: " << file.fileName() << " at offset " << parseError.offset << ": " << parseError.errorString() << Qt::endl;
            return std::nullopt;
        }
        return withTimes(data.object());
    };
    const auto actions = read(QStringLiteral("github-actions.json"));
    const auto sonar = read(QStringLiteral("sonarqube.json"));
    const auto argo = read(QStringLiteral("argocd.json"));
    const auto pager = read(QStringLiteral("pagerduty.json"));
    const auto cluster = read(QStringLiteral("kubernetes.json"));
    const auto people = read(QStringLiteral("github-accounts.json"));
    const auto organisations = read(QStringLiteral("github-org.json"));
    if (!actions || !sonar || !argo || !pager || !cluster || !people || !organisations)
        return 1;
    server.githubOrg.setWebBase(QStringLiteral("http://127.0.0.1:%1").arg(parser.value(portOption).toUInt()));
    server.githubOrg.load(*organisations);
    server.githubOAuth.setWebRoot(QStringLiteral("/github"));
    server.githubOAuth.load(*people);
    server.kubernetes.load(*cluster);
    server.pagerduty.load(*pager);
    server.argocd.load(*argo);
    server.githubActions.load(*actions);
    server.sonarqube.load(*sonar);
    const quint16 port = server.listen(QHostAddress::LocalHost, quint16(parser.value(portOption).toUInt()));
    if (port == 0) {
        err << "greenroom-demo-services: cannot listen on 127.0.0.1:" << parser.value(portOption) << Qt::endl;
        return 1;
    }
    QTextStream(stdout) << "greenroom-demo-services: DEMO DATA, not real services: GitHub (sign-in and Actions) at http://127.0.0.1:" << port
                        << "/github/api/v3, SonarQube at http://127.0.0.1:" << port << "/sonarqube, Argo CD at http://127.0.0.1:" << port << "/argocd, PagerDuty at http://127.0.0.1:" << port << "/pagerduty, a Kubernetes API server at http://127.0.0.1:" << port << "/kubernetes" << Qt::endl;
    return app.exec();
}
