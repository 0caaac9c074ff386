// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "docsweb.h"

#include "models/catalogcache.h"

#include <sync/docsbuildclient.h>

#include <QBuffer>
#include <QFile>
#include <QMimeDatabase>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QQuickWindow>
#include <QWebEngineProfile>
#include <QWebEngineSettings>
#include <QWebEngineUrlRequestInterceptor>
#include <QWebEngineUrlRequestJob>
#include <QWebEngineUrlScheme>
#include <QWebEngineUrlSchemeHandler>

namespace Greenroom::Ui {

namespace DocsUrl {

void registerScheme()
{
    QWebEngineUrlScheme scheme(QByteArray(Scheme.data(), Scheme.size()));
    scheme.setSyntax(QWebEngineUrlScheme::Syntax::Host);
    // Secure: a page of it is a secure context; it can reach nothing but itself.
    scheme.setFlags(QWebEngineUrlScheme::SecureScheme);
    QWebEngineUrlScheme::registerScheme(scheme);
}

QUrl forSite(const QString &entityRef, const QString &location)
{
    // kind:namespace/name → /namespace/kind/name/, as Backstage's /docs/:namespace/:kind/:name.
    const qsizetype colon = entityRef.indexOf(QLatin1Char(':'));
    const qsizetype slash = entityRef.indexOf(QLatin1Char('/'), colon + 1);
    if (colon <= 0 || slash < 0)
        return {};
    const QString kind = entityRef.left(colon).toLower();
    const QString space = entityRef.mid(colon + 1, slash - colon - 1).toLower();
    const QString name = entityRef.mid(slash + 1).toLower();
    const qsizetype hash = location.indexOf(QLatin1Char('#'));
    QUrl url;
    url.setScheme(Scheme);
    url.setHost(Host);
    url.setPath(QStringLiteral("/%1/%2/%3/%4").arg(space, kind, name, hash < 0 ? location : location.left(hash)));
    if (hash >= 0)
        url.setFragment(location.mid(hash + 1));
    return url;
}

std::optional<Address> parse(const QUrl &url)
{
    if (url.scheme() != Scheme || url.host() != Host)
        return std::nullopt;
    const QString path = url.path();
    // "/ns/kind/name/rest": the first three segments name the entity.
    const QStringList parts = path.split(QLatin1Char('/'));
    if (parts.size() < 5 || !parts.at(0).isEmpty() || parts.at(1).isEmpty() || parts.at(2).isEmpty() || parts.at(3).isEmpty())
        return std::nullopt;
    Address address;
    address.entityRef = QStringLiteral("%1:%2/%3").arg(parts.at(2), parts.at(1), parts.at(3)).toLower();
    address.path = parts.mid(4).join(QLatin1Char('/'));
    return address;
}

} // namespace DocsUrl

namespace {

QString readResource(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The reader draws the header, the nav and the table of contents itself;
// its stylesheet hides the page's own and picks the colour scheme. The
// sidebars are cut out, too: a large site's nav, repeated on every page,
// is most of its bytes (108 of 120 KB a page in the 1,000-page benchmark
// site), and Chromium would parse it for nothing.
QByteArray adaptForReader(const QByteArray &html, bool dark)
{
    static const QByteArray style = "<style>" + readResource(QStringLiteral(":/greenroom/docs/reader/greenroom-reader.css")).toUtf8()
                                    + "</style>\n";
    QByteArray out = html;
    const qsizetype sidebars = out.indexOf("<div class=\"md-sidebar md-sidebar--primary\"");
    const qsizetype content = sidebars < 0 ? -1 : out.indexOf("<div class=\"md-content\"", sidebars);
    if (content > sidebars)
        out.remove(sidebars, content - sidebars);
    const qsizetype head = out.indexOf("</head>");
    if (head >= 0)
        out.insert(head, style);
    const qsizetype htmlTag = out.indexOf("<html");
    if (htmlTag >= 0)
        out.insert(htmlTag + 5, dark ? QByteArray(" data-md-color-scheme=\"slate\"") : QByteArray(" data-md-color-scheme=\"default\""));
    return out;
}

QByteArray notFoundPage(const QString &entityRef, const QString &path)
{
    const QString body = QStringLiteral("<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>"
                                        "<body class=\"md-typeset\" style=\"font-family:sans-serif;padding:2rem\">"
                                        "<h1>Page not found</h1><p>The docs of <code>%1</code> in this cache have no page "
                                        "<code>%2</code>.</p></body></html>")
                             .arg(entityRef.toHtmlEscaped(), path.toHtmlEscaped());
    return body.toUtf8();
}

// QtWebEngine draws its pages through Qt Quick, by default over OpenGL.
// Where OpenGL is a software rasteriser (Mesa's llvmpipe: no GPU, a VM,
// xvfb), compositing a page that way costs 50-100 ms of GUI-thread time;
// Qt Quick's own software renderer does it in ~10 (bench_docs_reader). It
// is chosen then, before the first web view exists, unless the user set
// QT_QUICK_BACKEND.
void chooseSceneGraph()
{
    if (!qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND"))
        return;
    QOffscreenSurface surface;
    surface.create();
    QOpenGLContext context;
    bool software = !context.create() || !context.makeCurrent(&surface);
    if (!software) {
        const QByteArray renderer = reinterpret_cast<const char *>(context.functions()->glGetString(GL_RENDERER));
        software = renderer.isEmpty() || renderer.contains("llvmpipe") || renderer.contains("softpipe")
                   || renderer.contains("SwiftShader") || renderer.contains("Software Rasterizer") || renderer.contains("swrast");
        context.doneCurrent();
    }
    if (software)
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
}

} // namespace

class DocsWeb::SchemeHandler : public QWebEngineUrlSchemeHandler
{
public:
    explicit SchemeHandler(DocsWeb &web) : m_web(web) {}

    void requestStarted(QWebEngineUrlRequestJob *job) override
    {
        const std::optional<DocsUrl::Address> address = DocsUrl::parse(job->requestUrl());
        if (!address) {
            job->fail(QWebEngineUrlRequestJob::UrlInvalid);
            return;
        }
        Store::SqliteCatalogStore &store = m_web.cache().store();
        QString path = address->path;
        if (path.isEmpty() || path.endsWith(QLatin1Char('/')))
            path += QStringLiteral("index.html");
        std::optional<QByteArray> content = store.docsFile(address->entityRef, path);
        if (!content && !address->path.isEmpty() && !address->path.endsWith(QLatin1Char('/'))
            && store.docsFile(address->entityRef, address->path + QStringLiteral("/index.html"))) {
            // A folder asked for without its slash: relative links need it.
            QUrl withSlash = job->requestUrl();
            withSlash.setPath(withSlash.path() + QLatin1Char('/'));
            job->redirect(withSlash);
            return;
        }
        QByteArray type;
        if (content) {
            type = QMimeDatabase().mimeTypeForFile(path, QMimeDatabase::MatchExtension).name().toLatin1();
        } else {
            content = notFoundPage(address->entityRef, address->path);
            type = "text/html";
        }
        if (type == "text/html")
            content = adaptForReader(*content, m_web.dark());
        auto *buffer = new QBuffer(job);
        buffer->setData(*content);
        buffer->open(QIODevice::ReadOnly);
        job->reply(type, buffer);
    }

private:
    DocsWeb &m_web;
};

class DocsWeb::RequestBlocker : public QWebEngineUrlRequestInterceptor
{
public:
    explicit RequestBlocker(DocsWeb &web) : m_web(web) {}

    void interceptRequest(QWebEngineUrlRequestInfo &info) override
    {
        const QString scheme = info.requestUrl().scheme();
        if (scheme == DocsUrl::Scheme || scheme == QLatin1String("data") || scheme == QLatin1String("blob"))
            return;
        info.block(true);
        ++m_web.m_blocked;
    }

private:
    DocsWeb &m_web;
};

DocsWeb::DocsWeb(CatalogCache &cache, QObject *parent) : QObject(parent), m_cache(cache) {}

void DocsWeb::setServer(const QUrl &server, const QString &token)
{
    m_builds.reset();
    if (!server.isValid())
        return;
    m_builds = std::make_unique<Sync::DocsBuildClient>(server, token);
    connect(m_builds.get(), &Sync::DocsBuildClient::buildLog, this, &DocsWeb::buildLog);
    connect(m_builds.get(), &Sync::DocsBuildClient::buildFinished, this, &DocsWeb::buildFinished);
    connect(m_builds.get(), &Sync::DocsBuildClient::buildFailed, this, &DocsWeb::buildFailed);
}

bool DocsWeb::requestBuild(const QString &entityRef)
{
    if (!m_builds)
        return false;
    m_builds->build(entityRef);
    return true;
}

DocsWeb::~DocsWeb()
{
    // The profile goes first: its pages belong to readers that are gone by now.
    delete m_profile;
}

QWebEngineProfile *DocsWeb::profile()
{
    if (m_profile)
        return m_profile;
    chooseSceneGraph();
    m_profile = new QWebEngineProfile;   // no storage name: off the record, nothing on disk
    m_profile->setHttpCacheType(QWebEngineProfile::MemoryHttpCache);
    m_profile->setPersistentCookiesPolicy(QWebEngineProfile::NoPersistentCookies);
    m_handler = std::make_unique<SchemeHandler>(*this);
    m_blocker = std::make_unique<RequestBlocker>(*this);
    m_profile->installUrlSchemeHandler(QByteArray(DocsUrl::Scheme.data(), DocsUrl::Scheme.size()), m_handler.get());
    m_profile->setUrlRequestInterceptor(m_blocker.get());
    QWebEngineSettings *settings = m_profile->settings();
    // Pages run no JavaScript of their own; the diagram script runs in an isolated world.
    settings->setAttribute(QWebEngineSettings::JavascriptEnabled, false);
    settings->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls, false);
    settings->setAttribute(QWebEngineSettings::LocalContentCanAccessFileUrls, false);
    settings->setAttribute(QWebEngineSettings::PluginsEnabled, false);
    settings->setAttribute(QWebEngineSettings::AutoLoadIconsForPage, false);
    settings->setAttribute(QWebEngineSettings::DnsPrefetchEnabled, false);
    return m_profile;
}

void DocsWeb::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    Q_EMIT darkChanged(dark);
}

const QString &DocsWeb::diagramScript() const
{
    static const QString script = readResource(QStringLiteral(":/greenroom/docs/mermaid/mermaid.min.js"));
    return script;
}

} // namespace Greenroom::Ui
