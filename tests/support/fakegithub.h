// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

// A small stand-in for GitHub's REST API on loopback (header-only; tests
// that use it link Qt6::HttpServer, libgit2 and libsodium). It speaks the requests
// publish:github and the GitHub URL reader send, with GitHub's paths, status
// codes and bodies: GET /users/:owner, POST /orgs/:org/repos and
// /user/repos (422 when the name is taken), GET /repos/:o/:r/git/trees/:ref, GET /user/repos, /user/orgs and
// /repos/:o/:r/branches (paged), GET /repos/:o/:r, pull requests
// (list, create, edit, requested reviewers, assignees), Actions secrets
// (public key, sealed values), Actions workflow runs (list with
// per_page/page/branch, one run, its jobs with steps, POST rerun answering
// 201), PUT topics, collaborators,
// team access and branch protection, POST Actions variables, and GET
// /repos/:o/:r/contents/:path?ref= answering the raw file when asked for
// application/vnd.github.v3.raw. Every call needs `Authorization: token T`.
//
// Where it differs: a repository's clone_url is the path of a local bare
// repository (the pushes go there through libgit2) rather than an https
// URL, since speaking git's smart HTTP protocol is out of its scope.

#include "gitfixture.h"

#include <fakegithubactions.h>
#include <fakegithuboauth.h>
#include <fakegithuborg.h>

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QUrlQuery>

#include <sodium.h>

#include <map>
#include <memory>

namespace Greenroom::TestSupport {

class FakeGitHub : public QAbstractHttpServer
{
public:
    struct Call
    {
        QByteArray method;
        QString path;
        QJsonObject body;
    };

    FakeGitHub(QString root, QString token, QString user = QStringLiteral("jdoe"), QStringList organisations = {QStringLiteral("acme")})
        : m_root(std::move(root)), m_token(std::move(token)), m_user(std::move(user)), m_organisations(std::move(organisations))
    {
        m_port = listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_port; }
    // Also speak GitHub's OAuth app flow (sign-in) for the app `clientId`.
    DemoServices::FakeGitHubOAuth &enableOAuth(const QString &clientId, const QString &clientSecret)
    {
        m_oauth = std::make_unique<DemoServices::FakeGitHubOAuth>(clientId, clientSecret);
        return *m_oauth;
    }
    DemoServices::FakeGitHubOAuth &oauth() { return *m_oauth; }
    // Also serve organisations to the catalog's GitHub providers (GraphQL at
    // /api/graphql, the org's repository list and files, App installations),
    // with this fake's token accepted.
    DemoServices::FakeGitHubOrg &enableOrganisations()
    {
        m_org = std::make_unique<DemoServices::FakeGitHubOrg>(QStringList{m_token});
        m_org->setWebBase(QStringLiteral("http://") + host());
        return *m_org;
    }
    DemoServices::FakeGitHubOrg &organisations() { return *m_org; }
    // The host its repositories' html_url names: itself by default; "github.com"
    // when github.com's integration is pointed at this fake.
    void setWebHost(const QString &host) { m_webHost = host; }
    QString host() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    QString apiBaseUrl() const { return QStringLiteral("http://%1/api/v3").arg(host()); }
    const QList<Call> &calls() const { return m_calls; }
    QList<Call> callsTo(const QString &pathPart) const
    {
        QList<Call> matching;
        for (const Call &call : m_calls) {
            if (call.path.contains(pathPart))
                matching.append(call);
        }
        return matching;
    }
    // The bare repository behind owner/repo (nullptr when it was never created).
    GitFixture *repository(const QString &fullName) const
    {
        const auto found = m_repos.find(fullName);
        return found == m_repos.end() ? nullptr : found->second.get();
    }
    // A workflow run of owner/repo, as GitHub lists it (id, name, status,
    // conclusion, head_branch, head_commit{id,message,author}, run_started_at,
    // updated_at, html_url), newest first; and its jobs (with steps).
    void addWorkflowRun(const QString &fullName, const QJsonObject &run, const QJsonArray &jobs = {})
    {
        m_actions.addWorkflowRun(fullName, run, jobs);
    }
    GitFixture &createRepository(const QString &fullName)
    {
        auto &slot = m_repos[fullName];
        slot = std::make_unique<GitFixture>(m_root + QLatin1Char('/') + fullName + QStringLiteral(".git"));
        return *slot;
    }

protected:
    static bool write(QHttpServerResponder &responder, const DemoServices::FakeAnswer &answer)
    {
        responder.writeStatusLine(QHttpServerResponder::StatusCode(answer.status));
        responder.writeHeader("Content-Type", answer.contentType);
        responder.writeHeader("Content-Length", QByteArray::number(answer.body.size()));
        if (!answer.location.isEmpty())
            responder.writeHeader("Location", answer.location);
        for (const auto &[name, value] : answer.headers)
            responder.writeHeader(name, value);
        responder.writeBody(answer.body);
        return true;
    }

    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        QHttpServerResponder responder = makeResponder(request, socket);
        const QString path = request.url().path();
        const QByteArray method = methodName(request.method());
        const QJsonObject body = QJsonDocument::fromJson(request.body()).object();
        m_calls.append({method, path, body});
        if (m_oauth) {
            // Signing people in: GitHub's web flow, and who a user token belongs to.
            const DemoServices::FakeRequest oauthRequest{method, path.mid(1).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()};
            std::optional<DemoServices::FakeAnswer> answer = m_oauth->answerWeb(oauthRequest, request.value("accept"));
            if (!answer && path.startsWith(QLatin1String("/api/v3/")) && request.value("authorization") != "token " + m_token.toUtf8())
                answer = m_oauth->answerApi({method, path.mid(8).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                            request.value("authorization"));
            if (answer)
                return write(responder, *answer);
        }
        if (m_org) {
            std::optional<DemoServices::FakeAnswer> answer;
            if (method == "POST" && path == QLatin1String("/api/graphql"))
                answer = m_org->answerGraphql(request.body(), request.value("authorization"));
            else if (path.startsWith(QLatin1String("/api/v3/")))
                answer = m_org->answerRest({method, path.mid(8).split(QLatin1Char('/')), QUrlQuery(request.url()), request.body()},
                                           request.value("authorization"), request.value("if-none-match"));
            if (answer)
                return write(responder, *answer);
        }
        if (request.value("authorization") != "token " + m_token.toUtf8())
            return reply(responder, 401, QJsonObject{{QStringLiteral("message"), QStringLiteral("Bad credentials")}});
        if (!path.startsWith(QLatin1String("/api/v3/")))
            return reply(responder, 404, notFound());
        const QStringList parts = path.mid(8).split(QLatin1Char('/'));
        if (method == "GET" && parts.size() == 2 && parts[0] == QLatin1String("users")) {
            if (parts[1] == m_user)
                return reply(responder, 200, QJsonObject{{QStringLiteral("login"), m_user}, {QStringLiteral("type"), QStringLiteral("User")}});
            if (m_organisations.contains(parts[1]))
                return reply(responder, 200, QJsonObject{{QStringLiteral("login"), parts[1]}, {QStringLiteral("type"), QStringLiteral("Organization")}});
            return reply(responder, 404, notFound());
        }
        if (method == "POST" && parts.size() == 3 && parts[0] == QLatin1String("orgs") && parts[2] == QLatin1String("repos")) {
            if (!m_organisations.contains(parts[1]))
                return reply(responder, 404, notFound());
            return createRepo(responder, parts[1], body);
        }
        if (method == "POST" && parts == QStringList{QStringLiteral("user"), QStringLiteral("repos")})
            return createRepo(responder, m_user, body);
        const QUrlQuery query(request.url());
        if (method == "GET" && parts == QStringList{QStringLiteral("user"), QStringLiteral("repos")}) {
            QJsonArray repos;
            for (const auto &[fullName, repo] : m_repos)
                repos.append(repositoryJson(fullName));
            return replyPage(responder, repos, query);
        }
        if (method == "GET" && parts == QStringList{QStringLiteral("user"), QStringLiteral("orgs")}) {
            QJsonArray orgs;
            for (const QString &org : std::as_const(m_organisations))
                orgs.append(QJsonObject{{QStringLiteral("login"), org}});
            return replyPage(responder, orgs, query);
        }
        // Actions' workflow runs: the fake the demo services serve too.
        if (auto actions = m_actions.answer({method, parts, query, request.body()})) {
            responder.write(actions->body, actions->contentType, QHttpServerResponder::StatusCode(actions->status));
            return true;
        }
        if (parts.size() >= 3 && parts[0] == QLatin1String("repos")) {
            const QString fullName = parts[1] + QLatin1Char('/') + parts[2];
            GitFixture *repo = repository(fullName);
            if (!repo)
                return reply(responder, 404, notFound());
            if (method == "GET" && parts.size() >= 5 && parts[3] == QLatin1String("contents")) {
                const QString file = parts.mid(4).join(QLatin1Char('/'));
                const QString ref = QUrlQuery(request.url()).queryItemValue(QStringLiteral("ref"));
                const GitFixture::Snapshot snapshot = repo->snapshot(ref.isEmpty() ? QStringLiteral("main") : ref);
                if (!snapshot.files.contains(file))
                    return reply(responder, 404, notFound());
                if (request.value("accept") != "application/vnd.github.v3.raw")
                    return reply(responder, 415, QJsonObject{{QStringLiteral("message"), QStringLiteral("this fake answers raw contents only")}});
                responder.write(snapshot.files.value(file), "application/vnd.github.v3.raw", QHttpServerResponder::StatusCode::Ok);
                return true;
            }
            if (method == "GET" && parts.size() == 3)
                return reply(responder, 200, repositoryJson(fullName));
            if (method == "GET" && parts.size() >= 6 && parts[3] == QLatin1String("git") && parts[4] == QLatin1String("trees")) {
                // The ref's whole tree (recursive=1): folders as "tree" entries, files as "blob" with their size.
                const GitFixture::Snapshot snapshot = repo->snapshot(parts.mid(5).join(QLatin1Char('/')));
                if (snapshot.commit.isEmpty())
                    return reply(responder, 404, notFound());
                QJsonArray entries;
                QStringList folders;
                for (auto file = snapshot.files.cbegin(); file != snapshot.files.cend(); ++file) {
                    for (QString folder = file.key().section(QLatin1Char('/'), 0, -2); !folder.isEmpty(); folder = folder.section(QLatin1Char('/'), 0, -2)) {
                        if (!folders.contains(folder)) {
                            folders.append(folder);
                            entries.append(QJsonObject{{QStringLiteral("path"), folder}, {QStringLiteral("mode"), QStringLiteral("040000")}, {QStringLiteral("type"), QStringLiteral("tree")}});
                        }
                        if (!folder.contains(QLatin1Char('/')))
                            break;
                    }
                    entries.append(QJsonObject{{QStringLiteral("path"), file.key()}, {QStringLiteral("mode"), QStringLiteral("100644")},
                                               {QStringLiteral("type"), QStringLiteral("blob")}, {QStringLiteral("size"), file.value().size()}});
                }
                return reply(responder, 200, QJsonObject{{QStringLiteral("sha"), snapshot.commit}, {QStringLiteral("tree"), entries}, {QStringLiteral("truncated"), false}});
            }
            if (parts.size() >= 6 && parts[3] == QLatin1String("actions") && parts[4] == QLatin1String("secrets"))
                return actionsSecret(responder, method, fullName, parts[5], body);
            if (method == "GET" && parts.size() == 4 && parts[3] == QLatin1String("branches")) {
                QJsonArray branches;
                for (const QString &branch : repo->branches())
                    branches.append(QJsonObject{{QStringLiteral("name"), branch}});
                return replyPage(responder, branches, QUrlQuery(request.url()));
            }
            if (parts.size() >= 4 && (parts[3] == QLatin1String("pulls") || parts[3] == QLatin1String("issues")))
                return pullRequests(responder, method, fullName, parts.mid(4), QUrlQuery(request.url()), body);
            if (method == "PUT" || method == "POST")
                return reply(responder, 200, QJsonObject{{QStringLiteral("url"), apiBaseUrl() + path.mid(7)}});
        }
        if (method == "PUT" && parts.size() >= 2 && parts[0] == QLatin1String("orgs"))
            return reply(responder, 204, QJsonObject());
        return reply(responder, 404, notFound());
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    static QByteArray methodName(QHttpServerRequest::Method method)
    {
        switch (method) {
        case QHttpServerRequest::Method::Get: return "GET";
        case QHttpServerRequest::Method::Post: return "POST";
        case QHttpServerRequest::Method::Put: return "PUT";
        case QHttpServerRequest::Method::Delete: return "DELETE";
        case QHttpServerRequest::Method::Patch: return "PATCH";
        default: return "OTHER";
        }
    }
    static QJsonObject notFound()
    {
        return {{QStringLiteral("message"), QStringLiteral("Not Found")},
                {QStringLiteral("documentation_url"), QStringLiteral("https://docs.github.com/rest")}};
    }
    // One page of a list, as ?per_page=&page= ask for it (30 a page by default, as GitHub).
    static bool replyPage(QHttpServerResponder &responder, const QJsonArray &all, const QUrlQuery &query)
    {
        const int perPage = query.hasQueryItem(QStringLiteral("per_page")) ? query.queryItemValue(QStringLiteral("per_page")).toInt() : 30;
        const int page = std::max(1, query.queryItemValue(QStringLiteral("page")).toInt());
        QJsonArray slice;
        for (qsizetype i = qsizetype(page - 1) * perPage; i < all.size() && i < qsizetype(page) * perPage; ++i)
            slice.append(all.at(i));
        responder.write(QJsonDocument(slice), QHttpServerResponder::StatusCode::Ok);
        return true;
    }
    static bool reply(QHttpServerResponder &responder, int status, const QJsonObject &body)
    {
        responder.write(QJsonDocument(body), QHttpServerResponder::StatusCode(status));
        return true;
    }
    bool createRepo(QHttpServerResponder &responder, const QString &owner, const QJsonObject &body)
    {
        const QString name = body.value(QLatin1String("name")).toString();
        const QString fullName = owner + QLatin1Char('/') + name;
        if (name.isEmpty() || repository(fullName)) {
            return reply(responder, 422,
                         QJsonObject{{QStringLiteral("message"), QStringLiteral("Repository creation failed.")},
                                     {QStringLiteral("errors"), QJsonArray{QJsonObject{{QStringLiteral("resource"), QStringLiteral("Repository")},
                                                                                      {QStringLiteral("code"), QStringLiteral("custom")},
                                                                                      {QStringLiteral("field"), QStringLiteral("name")},
                                                                                      {QStringLiteral("message"), QStringLiteral("name already exists on this account")}}}}});
        }
        createRepository(fullName);
        QJsonObject created = repositoryJson(fullName);
        created.insert(QStringLiteral("private"), body.value(QLatin1String("private")).toBool());
        return reply(responder, 201, created);
    }
    QJsonObject repositoryJson(const QString &fullName) const
    {
        return {{QStringLiteral("name"), fullName.section(QLatin1Char('/'), 1)},
                {QStringLiteral("full_name"), fullName},
                {QStringLiteral("default_branch"), QStringLiteral("main")},
                {QStringLiteral("permissions"), QJsonObject{{QStringLiteral("push"), true}}},
                {QStringLiteral("html_url"), m_webHost.isEmpty() ? QStringLiteral("http://%1/%2").arg(host(), fullName)
                                                                  : QStringLiteral("https://%1/%2").arg(m_webHost, fullName)},
                {QStringLiteral("clone_url"), repository(fullName)->path()}};
    }

    // Pull requests of a repository: list (?state=open&head=owner:branch), create
    // (422 unless both branches exist), edit; requested_reviewers and the
    // issue's assignees, answered as GitHub does (objects with login / slug).
    bool pullRequests(QHttpServerResponder &responder, const QByteArray &method, const QString &fullName, const QStringList &rest,
                      const QUrlQuery &query, const QJsonObject &body)
    {
        QList<QJsonObject> &pulls = m_pulls[fullName];
        const auto webUrl = [&](int number) {
            return (m_webHost.isEmpty() ? QStringLiteral("http://%1/%2").arg(host(), fullName) : QStringLiteral("https://%1/%2").arg(m_webHost, fullName))
                   + QStringLiteral("/pull/%1").arg(number);
        };
        if (method == "GET" && rest.isEmpty()) {
            QJsonArray list;
            for (const QJsonObject &pull : std::as_const(pulls)) {
                if (query.queryItemValue(QStringLiteral("head")).isEmpty()
                    || pull[QLatin1String("head")][QLatin1String("label")].toString() == query.queryItemValue(QStringLiteral("head"), QUrl::FullyDecoded))
                    list.append(pull);
            }
            responder.write(QJsonDocument(list), QHttpServerResponder::StatusCode::Ok);
            return true;
        }
        if (method == "POST" && rest.isEmpty()) {
            const QString headBranch = body.value(QLatin1String("head")).toString().section(QLatin1Char(':'), -1);
            const QString baseBranch = body.value(QLatin1String("base")).toString();
            const GitFixture::Snapshot headState = repository(fullName)->snapshot(headBranch);
            if (headState.commit.isEmpty() || repository(fullName)->snapshot(baseBranch).commit.isEmpty())
                return reply(responder, 422, QJsonObject{{QStringLiteral("message"), QStringLiteral("Validation Failed")}});
            const int number = int(pulls.size()) + 1;
            QJsonObject pull = body;
            pull.insert(QStringLiteral("number"), number);
            pull.insert(QStringLiteral("html_url"), webUrl(number));
            pull.insert(QStringLiteral("head"), QJsonObject{{QStringLiteral("ref"), headBranch}, {QStringLiteral("label"), body.value(QLatin1String("head"))}});
            pull.insert(QStringLiteral("base"), QJsonObject{{QStringLiteral("ref"), baseBranch}});
            pulls.append(pull);
            return reply(responder, 201, pull);
        }
        const int number = rest.value(0).toInt();
        if (number < 1 || number > pulls.size())
            return reply(responder, 404, notFound());
        QJsonObject &pull = pulls[number - 1];
        if (method == "PATCH" && rest.size() == 1) {
            for (const char *key : {"title", "body", "draft"}) {
                if (body.contains(QLatin1String(key)))
                    pull.insert(QLatin1String(key), body.value(QLatin1String(key)));
            }
            return reply(responder, 200, pull);
        }
        const auto objects = [](const QJsonValue &names, const char *key) {
            QJsonArray list;
            for (const QJsonValue &name : names.toArray())
                list.append(QJsonObject{{QLatin1String(key), name}});
            return list;
        };
        if (method == "POST" && rest.value(1) == QLatin1String("requested_reviewers")) {
            pull.insert(QStringLiteral("requested_reviewers"), objects(body.value(QLatin1String("reviewers")), "login"));
            pull.insert(QStringLiteral("requested_teams"), objects(body.value(QLatin1String("team_reviewers")), "slug"));
            return reply(responder, 201, pull);
        }
        if (method == "POST" && rest.value(1) == QLatin1String("assignees")) {
            pull.insert(QStringLiteral("assignees"), objects(body.value(QLatin1String("assignees")), "login"));
            return reply(responder, 201, pull);
        }
        return reply(responder, 404, notFound());
    }
    // Actions secrets as GitHub takes them: GET public-key (a sealed-box key
    // of the repository's own), PUT <name> {encrypted_value, key_id}; the
    // fake opens each box, so tests can read what was set.
    bool actionsSecret(QHttpServerResponder &responder, const QByteArray &method, const QString &fullName, const QString &name, const QJsonObject &body)
    {
        if (sodium_init() < 0)
            return reply(responder, 500, QJsonObject{{QStringLiteral("message"), QStringLiteral("libsodium")}});
        SealingKey &key = m_sealingKeys[fullName];
        if (key.id.isEmpty()) {
            key.id = QStringLiteral("key-%1").arg(m_sealingKeys.size());
            crypto_box_keypair(key.publicKey, key.secretKey);
        }
        if (method == "GET" && name == QLatin1String("public-key")) {
            return reply(responder, 200, QJsonObject{{QStringLiteral("key_id"), key.id},
                                                     {QStringLiteral("key"), QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(key.publicKey), crypto_box_PUBLICKEYBYTES).toBase64())}});
        }
        if (method != "PUT")
            return reply(responder, 404, notFound());
        const QByteArray sealed = QByteArray::fromBase64(body.value(QLatin1String("encrypted_value")).toString().toLatin1());
        QByteArray plain(std::max<qsizetype>(0, sealed.size() - qsizetype(crypto_box_SEALBYTES)), Qt::Uninitialized);
        if (body.value(QLatin1String("key_id")).toString() != key.id || sealed.size() < qsizetype(crypto_box_SEALBYTES)
            || crypto_box_seal_open(reinterpret_cast<unsigned char *>(plain.data()), reinterpret_cast<const unsigned char *>(sealed.constData()),
                                    quint64(sealed.size()), key.publicKey, key.secretKey) != 0)
            return reply(responder, 422, QJsonObject{{QStringLiteral("message"), QStringLiteral("Bad encrypted_value or key_id")}});
        m_secrets[fullName].insert(name, QString::fromUtf8(plain));
        return reply(responder, 201, QJsonObject());
    }

public:
    // An Actions secret as set (opened), or a null string.
    QString actionsSecretValue(const QString &fullName, const QString &name) const
    {
        const auto found = m_secrets.find(fullName);
        return found == m_secrets.end() ? QString() : found->second.value(name);
    }

private:
    QJsonObject pullRequest(const QString &fullName, int number) const
    {
        const auto found = m_pulls.find(fullName);
        return found == m_pulls.end() ? QJsonObject() : found->second.value(number - 1);
    }

    QString m_root;
    QString m_token;
    QString m_user;
    QStringList m_organisations;
    quint16 m_port = 0;
    QString m_webHost;
    QList<Call> m_calls;
    std::map<QString, std::unique_ptr<GitFixture>> m_repos;
    DemoServices::FakeGitHubActions m_actions;
    std::unique_ptr<DemoServices::FakeGitHubOAuth> m_oauth;
    std::unique_ptr<DemoServices::FakeGitHubOrg> m_org;
    std::map<QString, QList<QJsonObject>> m_pulls;
    struct SealingKey
    {
        QString id;
        unsigned char publicKey[crypto_box_PUBLICKEYBYTES] = {};
        unsigned char secretKey[crypto_box_SECRETKEYBYTES] = {};
    };
    std::map<QString, SealingKey> m_sealingKeys;
    std::map<QString, QHash<QString, QString>> m_secrets;
};

} // namespace Greenroom::TestSupport
