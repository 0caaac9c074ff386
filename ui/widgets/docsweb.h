// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

class QWebEngineProfile;

namespace Greenroom::Sync {
class DocsBuildClient;
}

namespace Greenroom::Ui {

class CatalogCache;

/*
 * Where the reader's pages come from: the greenroom-docs: URL scheme, served
 * from the cache's stored sites, so reading docs never touches the network.
 *
 *   greenroom-docs://techdocs/<namespace>/<kind>/<name>/<path in the site>
 *
 * One host for every site keeps relative links between pages working as in
 * a browser. Page HTML was sanitised when it was built; the reader's web
 * profile also runs no page JavaScript (our own diagram script runs in an
 * isolated world) and blocks every request that is not for this scheme, so
 * an <img src="https://…"> in a page loads nothing.
 */
namespace DocsUrl {

inline constexpr QLatin1StringView Scheme("greenroom-docs");
inline constexpr QLatin1StringView Host("techdocs");

// Call once before the QApplication is created (QtWebEngine's rule).
void registerScheme();

// `location` is site-relative ("", "setup/", "setup/#install").
QUrl forSite(const QString &entityRef, const QString &location = {});

struct Address
{
    QString entityRef;   // lower-case kind:namespace/name
    QString path;        // within the site, as a browser asked ("", "setup/", "img/a.png")
};
std::optional<Address> parse(const QUrl &url);

} // namespace DocsUrl

/*
 * The web side of the docs reader, shared by every reader in the window:
 * one off-the-record QtWebEngine profile (nothing written to disk) with the
 * scheme handler and the request blocker, the light/dark choice, and
 * mermaid.js when the build could fetch it. The profile is made on first
 * use, so windows that never open docs never start Chromium.
 *
 * It also asks the server the app syncs from to build docs that are not
 * built yet (a site is built when first opened, as in Backstage), and tells
 * every reader how that build goes.
 */
class DocsWeb : public QObject
{
    Q_OBJECT

public:
    explicit DocsWeb(CatalogCache &cache, QObject *parent = nullptr);
    ~DocsWeb() override;

    QWebEngineProfile *profile();
    CatalogCache &cache() { return m_cache; }

    bool dark() const { return m_dark; }
    void setDark(bool dark);

    // mermaid.min.js from the app's resources; empty when the build had no
    // npm, or when diagrams are switched off (the code blocks then stay).
    const QString &diagramScript() const;
    void setDiagramsEnabled(bool enabled) { m_diagrams = enabled; }
    bool diagramsEnabled() const { return m_diagrams && !diagramScript().isEmpty(); }

    // Requests the profile refused (not for greenroom-docs:), for tests and the log.
    int blockedRequests() const { return m_blocked; }

    // The Greenroom server docs are built on; none (offline, or a Backstage
    // backend, whose sites do not reach the cache) asks nothing.
    void setServer(const QUrl &server, const QString &token);
    // Asks the server to build an entity's docs; false when there is no server to ask.
    bool requestBuild(const QString &entityRef);

Q_SIGNALS:
    void darkChanged(bool dark);
    void buildLog(const QString &entityRef, const QString &line);
    // The server has the entity's site; the sync feed brings it.
    void buildFinished(const QString &entityRef, bool updated);
    void buildFailed(const QString &entityRef, const QString &message);

private:
    class SchemeHandler;
    class RequestBlocker;
    CatalogCache &m_cache;
    QWebEngineProfile *m_profile = nullptr;
    std::unique_ptr<SchemeHandler> m_handler;
    std::unique_ptr<RequestBlocker> m_blocker;
    std::unique_ptr<Sync::DocsBuildClient> m_builds;
    bool m_dark = false;
    bool m_diagrams = true;
    int m_blocked = 0;
};

} // namespace Greenroom::Ui
