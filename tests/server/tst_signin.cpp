// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
//
// Signing in to a real greenroom-server with GitHub (the fake GitHub on
// loopback, speaking GitHub's OAuth app flow) as a native app does: the
// OIDC routes as the Backstage CLI uses them (authorize, loopback redirect,
// PKCE S256, state, token), the sign-in resolvers, the user token's claims
// and what the permission policy then lets that user do, refresh tokens
// that rotate, the device flow, and every refusal on the way.
#include <signinbrowser.h>
#include <signinserver.h>

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Greenroom::TestSupport;

namespace {

const char *const Catalog = R"(apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: payments}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: platform-team}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: jane}
spec: {profile: {email: jane@example.com}, memberOf: [payments]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: bob}
spec: {profile: {email: bob@example.com}, memberOf: [platform-team]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: ledger}
spec: {type: service, lifecycle: production, owner: payments}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: cart}
spec: {type: service, lifecycle: production, owner: shop}
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: payments-service}
spec:
  type: service
  owner: payments
  parameters: [{title: Name, properties: {name: {type: string}}}]
  steps: [{id: log, action: debug:log, input: {message: hello}}]
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: payments-announcement}
spec:
  type: service
  owner: payments
  parameters: [{title: Name, properties: {name: {type: string}}}]
  steps: [{id: log, action: debug:log, input: {message: '${{ parameters.name }}'}}]
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: payments-tagged}
spec:
  type: service
  owner: payments
  parameters:
    - {title: Name, properties: {name: {type: string}}}
    - {title: Vault, backstage:permissions: {tags: [secret]}, properties: {vault: {type: string}}}
  steps:
    - {id: open, action: debug:log, input: {message: in the open}}
    - {id: hidden, action: debug:log, input: {message: behind the curtain}, backstage:permissions: {tags: [secret]}}
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: shop-service}
spec:
  type: service
  owner: shop
  parameters: [{title: Name, properties: {name: {type: string}}}]
  steps: [{id: log, action: debug:log, input: {message: hello}}]
)";

const char *const Policy = R"(defaultDecision: allow
rules:
  - match: {permission: catalog.entity.delete}
    if: {groups: [group:default/platform-team]}
    decision: allow
  - match: {permission: catalog.entity.delete}
    decision: deny
  - match: {permission: scaffolder.task.create}
    if: {users: [user:default/bob]}
    decision: deny
  - match: {permission: [scaffolder.template.parameter.read, scaffolder.template.step.read]}
    decision: conditional
    conditions:
      not: {rule: HAS_TAG, resourceType: scaffolder-template, params: {tag: secret}}
  - match: {permission: [scaffolder.task.read, scaffolder.task.cancel]}
    decision: conditional
    conditions: {rule: IS_TASK_OWNER, resourceType: scaffolder-task, params: {createdBy: [$user.ref]}}
  - match: {permission: scaffolder.action.execute}
    decision: conditional
    conditions:
      not: {rule: HAS_STRING_PROPERTY, resourceType: scaffolder-action, params: {key: message, value: launch codes}}
  - match: {permission: catalog.entity.read}
    decision: conditional
    conditions:
      anyOf:
        - {rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: {claims: $user.ent}}
        - {rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: {kinds: [Group, User]}}
)";

} // namespace

class TestSignIn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { m_fixture.server().reportIfTestFailed(); }
    void discoveryAndClientMetadata();
    void signInWithPkceAndUseTheToken();
    void resolversAndAccountsWithoutAUser();
    void authorizeRefusals();
    void pkceStateAndCodeRefusals();
    void refreshTokensRotate();
    void scaffolderObeysThePolicy();
    void searchFindsOnlyWhatYouMayRead();
    void deviceFlow();
    void secretsAreNotPrinted();
    void signInSurvivesARestart();

private:
    QUrl authorizeUrl(const Pkce &pkce, const QString &redirect, const QString &state = QStringLiteral("xyz")) const;
    Reply get(const QString &path, const QString &token = {})
    {
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token.toLatin1()});
        return m_server.request("GET", path, {}, "application/json", headers);
    }
    QString cliClientId() const { return m_fixture.cliClientId(); }

    QTemporaryDir m_dir;
    SignInServer m_fixture;
    ServerProcess &m_server = m_fixture.server();
    FakeGitHub *m_github = nullptr;
};

void TestSignIn::initTestCase()
{
    QVERIFY2(m_fixture.start(m_dir.path(), Catalog, Policy), m_server.output().constData());
    m_github = &m_fixture.github();
    m_fixture.accounts().addAccount({QStringLiteral("jane"), 101, QStringLiteral("Jane Doe"), QStringLiteral("jane@example.com")});
    m_fixture.accounts().addAccount({QStringLiteral("robert"), 102, QStringLiteral("Bob Smith"), QStringLiteral("bob+work@example.com")});
    m_fixture.accounts().addAccount({QStringLiteral("mallory"), 103, QStringLiteral("Mallory"), QStringLiteral("mallory@elsewhere.example")});
}

QUrl TestSignIn::authorizeUrl(const Pkce &pkce, const QString &redirect, const QString &state) const
{
    QUrl url(m_server.base() + QStringLiteral("/api/auth/v1/authorize"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("client_id"), cliClientId());
    query.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("scope"), QStringLiteral("openid offline_access"));
    query.addQueryItem(QStringLiteral("state"), state);
    query.addQueryItem(QStringLiteral("code_challenge"), pkce.challenge);
    query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    url.setQuery(query);
    return url;
}

void TestSignIn::discoveryAndClientMetadata()
{
    const Reply discovery = get(QStringLiteral("/api/auth/.well-known/openid-configuration"));
    QCOMPARE(discovery.status, 200);
    QCOMPARE(discovery.json()[QLatin1String("authorization_endpoint")].toString(), m_server.base() + QStringLiteral("/api/auth/v1/authorize"));
    QCOMPARE(discovery.json()[QLatin1String("token_endpoint")].toString(), m_server.base() + QStringLiteral("/api/auth/v1/token"));
    QVERIFY(discovery.json()[QLatin1String("code_challenge_methods_supported")].toArray().contains(QStringLiteral("S256")));
    const Reply client = get(QStringLiteral("/api/auth/.well-known/oauth-client/cli.json"));
    QCOMPARE(client.status, 200);
    QCOMPARE(client.json()[QLatin1String("client_id")].toString(), cliClientId());
    QCOMPARE(client.json()[QLatin1String("token_endpoint_auth_method")].toString(), QStringLiteral("none"));
}

void TestSignIn::signInWithPkceAndUseTheToken()
{
    QString error;
    const QJsonObject tokens = signInAs(m_server.base(), m_github->host(), QStringLiteral("jane"), &error);
    QVERIFY2(!tokens.isEmpty(), qPrintable(error));
    QCOMPARE(tokens[QLatin1String("token_type")].toString(), QStringLiteral("Bearer"));
    QVERIFY(tokens[QLatin1String("expires_in")].toInt() > 0);
    QVERIFY(!tokens[QLatin1String("refresh_token")].toString().isEmpty());
    const QString token = tokens[QLatin1String("access_token")].toString();
    // The token says who: the User the resolver found, owning through her group.
    const Reply me = get(QStringLiteral("/api/auth/v1/userinfo"), token);
    QCOMPARE(me.status, 200);
    QCOMPARE(me.json()[QLatin1String("claims")][QLatin1String("sub")].toString(), QStringLiteral("user:default/jane"));
    QCOMPARE(me.json()[QLatin1String("claims")][QLatin1String("ent")].toArray(),
             (QJsonArray{QStringLiteral("user:default/jane"), QStringLiteral("group:default/payments")}));
    // And the policy decides for her: what payments owns, and people.
    const Reply components = get(QStringLiteral("/api/catalog/entities?filter=kind=component"), token);
    QCOMPARE(components.status, 200);
    QCOMPARE(components.json().toArray().size(), 1);
    QCOMPARE(components.json()[0][QLatin1String("metadata")][QLatin1String("name")].toString(), QStringLiteral("ledger"));
    // Only platform-team may delete.
    const QString uid = components.json()[0][QLatin1String("metadata")][QLatin1String("uid")].toString();
    const Reply refused = m_server.request("DELETE", QStringLiteral("/api/catalog/entities/by-uid/") + uid, {}, "application/json",
                                           {{"Authorization", "Bearer " + token.toLatin1()}});
    QCOMPARE(refused.status, 403);
    QCOMPARE(get(QStringLiteral("/api/catalog/entities/by-uid/") + uid, token).status, 200);
    // A token this server did not sign is refused, even on a server with no static tokens.
    QCOMPARE(get(QStringLiteral("/api/catalog/entities"), token.chopped(4) + QStringLiteral("AAAA")).status, 401);
}

void TestSignIn::resolversAndAccountsWithoutAUser()
{
    // robert's login matches no User; his email without its +tag matches bob's profile.
    QString error;
    const QJsonObject bob = signInAs(m_server.base(), m_github->host(), QStringLiteral("robert"), &error);
    QVERIFY2(!bob.isEmpty(), qPrintable(error));
    const Reply me = get(QStringLiteral("/api/auth/v1/userinfo"), bob[QLatin1String("access_token")].toString());
    QCOMPARE(me.json()[QLatin1String("claims")][QLatin1String("sub")].toString(), QStringLiteral("user:default/bob"));
    // mallory has no User: the app hears why, at its redirect, with its state.
    SignInBrowser browser(m_github->host(), QStringLiteral("http://127.0.0.1:49153/callback"));
    const BrowserVisit visit = browser.open(authorizeUrl(Pkce::make(), QStringLiteral("http://127.0.0.1:49153/callback"), QStringLiteral("m1")),
                                            QStringLiteral("mallory"));
    const QUrlQuery back(visit.stoppedAt);
    QCOMPARE(back.queryItemValue(QStringLiteral("error")), QStringLiteral("access_denied"));
    QCOMPARE(back.queryItemValue(QStringLiteral("state")), QStringLiteral("m1"));
    QVERIFY(back.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded)
                .startsWith(QLatin1String("Failed to sign-in, unable to resolve user identity")));
    QVERIFY(!back.hasQueryItem(QStringLiteral("code")));
}

void TestSignIn::authorizeRefusals()
{
    SignInBrowser browser(m_github->host(), QStringLiteral("http://127.0.0.1:49154/callback"));
    const Pkce pkce = Pkce::make();
    // Missing fields: upstream's validation message.
    BrowserVisit visit = browser.open(QUrl(m_server.base() + QStringLiteral("/api/auth/v1/authorize?response_type=code")), {});
    QCOMPARE(visit.lastStatus, 400);
    QCOMPARE(QJsonDocument::fromJson(visit.lastBody).object(),
             (QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_request")},
                          {QStringLiteral("error_description"),
                           QStringLiteral("Validation error: Invalid input: expected string, received undefined at \"client_id\"; "
                                          "Invalid input: expected string, received undefined at \"redirect_uri\"")}}));
    // A redirect that is not this machine's loopback.
    visit = browser.open(authorizeUrl(pkce, QStringLiteral("https://evil.example/callback")), {});
    QCOMPARE(visit.lastStatus, 400);
    QCOMPARE(QJsonDocument::fromJson(visit.lastBody)[QLatin1String("error")][QLatin1String("message")].toString(),
             QStringLiteral("Invalid redirect_uri 'https://evil.example/callback'"));
    // No PKCE.
    QUrl noPkce = authorizeUrl(pkce, QStringLiteral("http://127.0.0.1:49154/callback"));
    QUrlQuery query(noPkce);
    query.removeAllQueryItems(QStringLiteral("code_challenge"));
    noPkce.setQuery(query);
    visit = browser.open(noPkce, {});
    QCOMPARE(visit.lastStatus, 400);
    QCOMPARE(QJsonDocument::fromJson(visit.lastBody)[QLatin1String("error")][QLatin1String("message")].toString(),
             QStringLiteral("PKCE is required for public clients. Provide a code_challenge parameter."));
    // Another client.
    QUrl other = authorizeUrl(pkce, QStringLiteral("http://127.0.0.1:49154/callback"));
    query = QUrlQuery(other);
    query.removeAllQueryItems(QStringLiteral("client_id"));
    query.addQueryItem(QStringLiteral("client_id"), QStringLiteral("https://claude.ai/oauth/client.json"));
    other.setQuery(query);
    visit = browser.open(other, {});
    QCOMPARE(visit.lastStatus, 400);
    QVERIFY(visit.stoppedAt.isEmpty());
}

void TestSignIn::pkceStateAndCodeRefusals()
{
    const QString redirect = QStringLiteral("http://127.0.0.1:49155/callback");
    SignInBrowser browser(m_github->host(), redirect);
    const Pkce pkce = Pkce::make();
    const BrowserVisit visit = browser.open(authorizeUrl(pkce, redirect, QStringLiteral("s-123")), QStringLiteral("jane"));
    const QUrlQuery back(visit.stoppedAt);
    QCOMPARE(back.queryItemValue(QStringLiteral("state")), QStringLiteral("s-123"));   // the app checks it is its own
    const QString code = back.queryItemValue(QStringLiteral("code"));
    QVERIFY(!code.isEmpty());
    const QUrl tokenUrl(m_server.base() + QStringLiteral("/api/auth/v1/token"));
    const auto exchange = [&](const QString &verifier, const QString &redirectUri) {
        return postJson(browser.network(), tokenUrl, {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                                      {QStringLiteral("code"), code},
                                                      {QStringLiteral("redirect_uri"), redirectUri},
                                                      {QStringLiteral("code_verifier"), verifier}});
    };
    auto [status, answer] = exchange(Pkce::make().verifier, redirect);
    QCOMPARE(status, 400);
    QCOMPARE(answer, (QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_grant")},
                                  {QStringLiteral("error_description"), QStringLiteral("Invalid code verifier")}}));
    std::tie(status, answer) = exchange(pkce.verifier, QStringLiteral("http://127.0.0.1:1/callback"));
    QCOMPARE(answer[QLatin1String("error_description")].toString(), QStringLiteral("Redirect URI mismatch"));
    std::tie(status, answer) = exchange(pkce.verifier, redirect);
    QCOMPARE(status, 200);
    std::tie(status, answer) = exchange(pkce.verifier, redirect);
    QCOMPARE(status, 400);
    QCOMPARE(answer[QLatin1String("error_description")].toString(), QStringLiteral("Authorization code already used"));
    std::tie(status, answer) = postJson(browser.network(), tokenUrl, {{QStringLiteral("grant_type"), QStringLiteral("password")}});
    QCOMPARE(answer[QLatin1String("error")].toString(), QStringLiteral("unsupported_grant_type"));

    // GitHub's callback with a state this browser did not start: refused, nothing issued.
    const BrowserVisit forged = browser.open(QUrl(m_server.base() + QStringLiteral("/api/auth/github/handler/frame?code=abc&state=forged")), {});
    QCOMPARE(forged.lastStatus, 401);
    QVERIFY(forged.stoppedAt.isEmpty());
    // ... nor one started by another browser (its nonce cookie is not here).
    SignInBrowser other(m_github->host(), redirect);
    BrowserVisit started = other.open(authorizeUrl(Pkce::make(), redirect), {});   // stops at GitHub's account chooser
    QUrl atGitHub = started.visited.last();
    const QString state = QUrlQuery(atGitHub).queryItemValue(QStringLiteral("state"));
    QVERIFY(!state.isEmpty());
    const BrowserVisit stolen = browser.open(QUrl(m_server.base() + QStringLiteral("/api/auth/github/handler/frame?code=abc&state=") + state), {});
    QCOMPARE(stolen.lastStatus, 401);
}

void TestSignIn::refreshTokensRotate()
{
    const QJsonObject tokens = signInAs(m_server.base(), m_github->host(), QStringLiteral("jane"));
    const QString refresh = tokens[QLatin1String("refresh_token")].toString();
    QVERIFY(!refresh.isEmpty());
    QNetworkAccessManager network;
    const QUrl tokenUrl(m_server.base() + QStringLiteral("/api/auth/v1/token"));
    auto [status, renewed] = postJson(network, tokenUrl, {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                                          {QStringLiteral("refresh_token"), refresh}});
    QCOMPARE(status, 200);
    QVERIFY(!renewed[QLatin1String("access_token")].toString().isEmpty());
    QVERIFY(renewed[QLatin1String("refresh_token")].toString() != refresh);
    QCOMPARE(get(QStringLiteral("/api/auth/v1/userinfo"), renewed[QLatin1String("access_token")].toString())
                 .json()[QLatin1String("claims")][QLatin1String("sub")].toString(),
             QStringLiteral("user:default/jane"));
    // The old one was used up.
    auto [again, refused] = postJson(network, tokenUrl, {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                                         {QStringLiteral("refresh_token"), refresh}});
    QCOMPARE(again, 400);
    QCOMPARE(refused[QLatin1String("error_description")].toString(), QStringLiteral("Invalid refresh token"));
    // Signing out revokes the new one.
    const QString current = renewed[QLatin1String("refresh_token")].toString();
    auto [revoked, nothing] = postJson(network, QUrl(m_server.base() + QStringLiteral("/api/auth/v1/revoke")),
                                       {{QStringLiteral("token"), current}, {QStringLiteral("client_id"), cliClientId()}});
    QCOMPARE(revoked, 200);
    auto [after, gone] = postJson(network, tokenUrl, {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                                      {QStringLiteral("refresh_token"), current}});
    QCOMPARE(after, 400);
}

void TestSignIn::scaffolderObeysThePolicy()
{
    const QString jane = signInAs(m_server.base(), m_github->host(), QStringLiteral("jane"))[QLatin1String("access_token")].toString();
    const QString bob = signInAs(m_server.base(), m_github->host(), QStringLiteral("robert"))[QLatin1String("access_token")].toString();
    QVERIFY(!jane.isEmpty() && !bob.isEmpty());
    // A template Jane may not read (owned by shop) is not found for her.
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/templates/default/template/payments-service/parameter-schema"), jane).status, 200);
    const Reply hidden = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/shop-service/parameter-schema"), jane);
    QCOMPARE(hidden.status, 404);
    QCOMPARE(hidden.errorMessage(), QStringLiteral("Template template:default/shop-service not found"));
    const auto post = [this](const QString &path, const QString &token, const QByteArray &body) {
        return m_server.request("POST", path, body, "application/json", {{"Authorization", "Bearer " + token.toLatin1()}});
    };
    const QByteArray task = R"({"templateRef":"template:default/shop-service","values":{"name":"x"}})";
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/tasks"), jane, task).status, 404);
    // Bob may not create tasks at all: 403 before anything else, as upstream's checkPermission.
    const Reply refused = post(QStringLiteral("/api/scaffolder/v2/tasks"), bob, R"({"templateRef":"template:default/payments-service","values":{"name":"x"}})");
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()[QLatin1String("error")][QLatin1String("name")].toString(), QStringLiteral("NotAllowedError"));
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/dry-run"), bob, R"({"template":{},"values":{},"directoryContents":[]})").status, 403);
    // Jane may.
    const Reply created = post(QStringLiteral("/api/scaffolder/v2/tasks"), jane, R"({"templateRef":"template:default/payments-service","values":{"name":"x"}})");
    QVERIFY2(created.status == 201, created.body.constData());
    // scaffolder.action.execute, conditional on the step's rendered input: a
    // step whose message is the forbidden one fails, the others run.
    const auto finalStatus = [&](const QByteArray &body) {
        const Reply started = post(QStringLiteral("/api/scaffolder/v2/tasks"), jane, body);
        const QString id = started.json()[QLatin1String("id")].toString();
        QString status;
        if (!QTest::qWaitFor([&] {
                status = get(QStringLiteral("/api/scaffolder/v2/tasks/") + id, jane).json()[QLatin1String("status")].toString();
                return status == QLatin1String("completed") || status == QLatin1String("failed");
            }, 10000))
            status = QStringLiteral("still ") + status;
        return std::pair(id, status);
    };
    const auto [allowedId, allowedStatus] = finalStatus(R"({"templateRef":"template:default/payments-announcement","values":{"name":"hello all"}})");
    QCOMPARE(allowedStatus, QStringLiteral("completed"));
    const Reply logged = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(allowedId), jane);
    QVERIFY2(logged.body.contains(R"("message":"hello all","stepId")"), logged.body.constData());   // debug:log's line
    const auto [refusedId, refusedStatus] = finalStatus(R"({"templateRef":"template:default/payments-announcement","values":{"name":"launch codes"}})");
    QCOMPARE(refusedStatus, QStringLiteral("failed"));
    const Reply events = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(refusedId), jane);
    QVERIFY2(events.body.contains("Unauthorized action: debug:log. The action is not allowed."), events.body.constData());
    QVERIFY2(!events.body.contains(R"("message":"launch codes","stepId")"), "the refused step did not run");
    // Pages and steps tagged secret are not the caller's (HAS_TAG): the form
    // leaves the page out, and the task runs without the step.
    const Reply schema = get(QStringLiteral("/api/scaffolder/v2/templates/default/template/payments-tagged/parameter-schema"), jane);
    QCOMPARE(schema.status, 200);
    QCOMPARE(schema.json()[QLatin1String("steps")].toArray().size(), 1);
    QCOMPARE(schema.json()[QLatin1String("steps")][0][QLatin1String("title")].toString(), QStringLiteral("Name"));
    const auto [taggedId, taggedStatus] = finalStatus(R"({"templateRef":"template:default/payments-tagged","values":{"name":"x"}})");
    QCOMPARE(taggedStatus, QStringLiteral("completed"));
    const Reply tagged = get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(taggedId), jane);
    QVERIFY2(tagged.body.contains(R"("message":"in the open","stepId")"), tagged.body.constData());
    QVERIFY2(!tagged.body.contains("behind the curtain"), tagged.body.constData());
    // scaffolder.task.read and cancel, IS_TASK_OWNER: Jane's tasks are hers alone.
    const Reply mine = get(QStringLiteral("/api/scaffolder/v2/tasks/") + taggedId, jane);
    QCOMPARE(mine.status, 200);
    QCOMPARE(mine.json()[QLatin1String("createdBy")].toString(), QStringLiteral("user:default/jane"));
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks/") + taggedId, bob).status, 403);
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks/%1/events").arg(taggedId), bob).status, 403);
    QCOMPARE(post(QStringLiteral("/api/scaffolder/v2/tasks/%1/cancel").arg(taggedId), bob, "{}").status, 403);
    const Reply janesList = get(QStringLiteral("/api/scaffolder/v2/tasks"), jane);
    QVERIFY(janesList.json()[QLatin1String("totalTasks")].toInt() >= 4);
    QCOMPARE(janesList.json()[QLatin1String("tasks")].toArray().size(), janesList.json()[QLatin1String("totalTasks")].toInt());
    const Reply bobsList = get(QStringLiteral("/api/scaffolder/v2/tasks?limit=2"), bob);
    QCOMPARE(bobsList.status, 200);
    QCOMPARE(bobsList.json()[QLatin1String("totalTasks")].toInt(), 0);
    QCOMPARE(bobsList.json()[QLatin1String("tasks")].toArray().size(), 0);
    QCOMPARE(get(QStringLiteral("/api/scaffolder/v2/tasks?limit=2&offset=1"), jane).json()[QLatin1String("tasks")].toArray().size(), 2);
}

void TestSignIn::searchFindsOnlyWhatYouMayRead()
{
    const QString jane = signInAs(m_server.base(), m_github->host(), QStringLiteral("jane"))[QLatin1String("access_token")].toString();
    const auto names = [](const Reply &reply) {
        QStringList found;
        for (const QJsonValue &result : reply.json()[QLatin1String("results")].toArray())
            found.append(result[QLatin1String("document")][QLatin1String("title")].toString());
        found.sort();
        return found;
    };
    const Reply ledger = get(QStringLiteral("/api/search/query?term=ledger"), jane);
    QCOMPARE(ledger.status, 200);
    QCOMPARE(names(ledger), QStringList{QStringLiteral("ledger")});
    // cart is shop's: not found, and not counted.
    const Reply cart = get(QStringLiteral("/api/search/query?term=cart"), jane);
    QCOMPARE(cart.status, 200);
    QCOMPARE(names(cart), QStringList());
    QCOMPARE(cart.json()[QLatin1String("numberOfResults")].toInt(), 0);
    // Everything of kind Component she may see, by filter: hers only.
    QCOMPARE(names(get(QStringLiteral("/api/search/query?filters%5Bkind%5D=component"), jane)), QStringList{QStringLiteral("ledger")});
}

void TestSignIn::deviceFlow()
{
    QNetworkAccessManager device;
    auto [status, grant] = postJson(device, QUrl(m_server.base() + QStringLiteral("/api/auth/v1/device_authorization")),
                                    {{QStringLiteral("client_id"), cliClientId()}, {QStringLiteral("scope"), QStringLiteral("openid")}});
    QCOMPARE(status, 200);
    const QString userCode = grant[QLatin1String("user_code")].toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^[A-Z]{4}-[A-Z]{4}$")).match(userCode).hasMatch(), qPrintable(userCode));
    const QJsonObject poll{{QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:device_code")},
                           {QStringLiteral("device_code"), grant[QLatin1String("device_code")].toString()}};
    const QUrl tokenUrl(m_server.base() + QStringLiteral("/api/auth/v1/token"));
    auto [pendingStatus, pending] = postJson(device, tokenUrl, poll);
    QCOMPARE(pendingStatus, 400);
    QCOMPARE(pending[QLatin1String("error")].toString(), QStringLiteral("authorization_pending"));
    // On another machine, a person types the code (in lower case, without the dash) and signs in.
    SignInBrowser browser(m_github->host(), QStringLiteral("http://unused"));
    const BrowserVisit visit = browser.open(QUrl(grant[QLatin1String("verification_uri")].toString() + QStringLiteral("?user_code=")
                                                 + userCode.toLower().remove(QLatin1Char('-'))),
                                            QStringLiteral("jane"));
    QCOMPARE(visit.lastStatus, 200);
    QVERIFY2(visit.lastBody.contains("Signed in as user:default/jane"), visit.lastBody.constData());
    // Polling faster than the interval is told to slow down; at the interval, the tokens.
    auto [fastStatus, fast] = postJson(device, tokenUrl, poll);
    QCOMPARE(fast[QLatin1String("error")].toString(), QStringLiteral("slow_down"));
    QTest::qWait(10100);
    auto [doneStatus, tokens] = postJson(device, tokenUrl, poll);
    QCOMPARE(doneStatus, 200);
    QCOMPARE(get(QStringLiteral("/api/auth/v1/userinfo"), tokens[QLatin1String("access_token")].toString())
                 .json()[QLatin1String("claims")][QLatin1String("sub")].toString(),
             QStringLiteral("user:default/jane"));
    // A code works once.
    const BrowserVisit again = browser.open(QUrl(grant[QLatin1String("verification_uri_complete")].toString()), QStringLiteral("jane"));
    QCOMPARE(again.lastStatus, 400);
}

void TestSignIn::secretsAreNotPrinted()
{
    const QByteArray output = m_server.output();
    QVERIFY(!output.contains(SignInServer::ClientSecret));
    QVERIFY(!output.contains("gho_"));
}

void TestSignIn::signInSurvivesARestart()
{
    const QJsonObject tokens = signInAs(m_server.base(), m_github->host(), QStringLiteral("jane"));
    const QString access = tokens[QLatin1String("access_token")].toString();
    const QString refresh = tokens[QLatin1String("refresh_token")].toString();
    QVERIFY(!access.isEmpty() && !refresh.isEmpty());
    const QString base = m_server.base();
    QVERIFY2(m_fixture.restart(), m_server.output().constData());
    QCOMPARE(m_server.base(), base);
    // The token signed before the restart still verifies (its public key was kept) ...
    QCOMPARE(get(QStringLiteral("/api/auth/v1/userinfo"), access).status, 200);
    QVERIFY(get(QStringLiteral("/api/auth/.well-known/jwks.json")).json()[QLatin1String("keys")].toArray().size() >= 1);
    // ... and the refresh token still works, once.
    QNetworkAccessManager network;
    const QUrl tokenUrl(base + QStringLiteral("/api/auth/v1/token"));
    const QJsonObject body{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")}, {QStringLiteral("refresh_token"), refresh}};
    auto [status, renewed] = postJson(network, tokenUrl, body);
    QCOMPARE(status, 200);
    QCOMPARE(get(QStringLiteral("/api/auth/v1/userinfo"), renewed[QLatin1String("access_token")].toString()).status, 200);
    QCOMPARE(postJson(network, tokenUrl, body).first, 400);
}

QTEST_GUILESS_MAIN(TestSignIn)
#include "tst_signin.moc"
