// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "pagetemplate_p.h"

#include "htmltext.h"

#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>

namespace Greenroom::Docs {

namespace {

// Markers in the pre-rendered nav: the page's root prefix, and a page URL
// whose link gets the active class on that page.
constexpr QChar kRootMarker = QChar(0x01);
constexpr QChar kUrlStart = QChar(0x02);
constexpr QChar kUrlEnd = QChar(0x03);

bool isExternal(const QString &url)
{
    static const QRegularExpression scheme(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*:|/)"));
    return scheme.match(url).hasMatch();
}

void renderNavItems(const QJsonArray &items, QString &out, int depth)
{
    out += QStringLiteral("<ul class=\"md-nav__list\">\n");
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        const QString title = escapeHtml(item.value(QStringLiteral("title")).toString());
        if (item.contains(QStringLiteral("children"))) {
            out += QStringLiteral("<li class=\"md-nav__item md-nav__item--nested\"><label class=\"md-nav__link\">%1</label>"
                                  "<nav class=\"md-nav\" data-md-level=\"%2\">\n").arg(title).arg(depth + 1);
            renderNavItems(item.value(QStringLiteral("children")).toArray(), out, depth + 1);
            out += QStringLiteral("</nav></li>\n");
            continue;
        }
        const QString url = item.value(QStringLiteral("url")).toString();
        if (item.value(QStringLiteral("external")).toBool() || isExternal(url)) {
            out += QStringLiteral("<li class=\"md-nav__item\"><a href=\"%1\" class=\"md-nav__link\">%2</a></li>\n")
                       .arg(escapeHtml(url), title);
            continue;
        }
        out += QStringLiteral("<li class=\"md-nav__item\"><a href=\"") + kRootMarker + escapeHtml(url)
               + QStringLiteral("\" class=\"md-nav__link") + kUrlStart + url + kUrlEnd + QStringLiteral("\">") + title
               + QStringLiteral("</a></li>\n");
    }
    out += QStringLiteral("</ul>\n");
}

QString rootPrefixOf(const QString &url)
{
    const qsizetype depth = url.left(url.lastIndexOf(QLatin1Char('/')) + 1).count(QLatin1Char('/'));
    QString prefix;
    for (qsizetype i = 0; i < depth; ++i)
        prefix += QStringLiteral("../");
    return prefix;
}

QString hrefFrom(const QString &rootPrefix, const QString &url)
{
    const QString href = rootPrefix + url;
    return href.isEmpty() ? QStringLiteral("./") : href;
}

QString tocHtml(const QList<TocEntry> &toc)
{
    QString out;
    int open = 0;
    int baseLevel = 7;
    for (const TocEntry &entry : toc)
        if (entry.level > 1)
            baseLevel = std::min(baseLevel, entry.level);
    int currentLevel = baseLevel - 1;
    for (const TocEntry &entry : toc) {
        if (entry.level == 1)
            continue;
        while (currentLevel < entry.level) {
            out += currentLevel < baseLevel ? QStringLiteral("<ul class=\"md-nav__list\">\n")
                                            : QStringLiteral("<nav class=\"md-nav\"><ul class=\"md-nav__list\">\n");
            ++currentLevel;
            ++open;
        }
        while (currentLevel > entry.level) {
            out += QStringLiteral("</ul></nav>\n");
            --currentLevel;
            --open;
        }
        out += QStringLiteral("<li class=\"md-nav__item\"><a href=\"#%1\" class=\"md-nav__link\">%2</a></li>\n")
                   .arg(escapeHtml(entry.id), escapeHtml(entry.title));
    }
    while (open-- > 0)
        out += open > 0 ? QStringLiteral("</ul></nav>\n") : QStringLiteral("</ul>\n");
    return out;
}

const char kEditIcon[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\">"
    "<path d=\"M4 16.5V20h3.5L18 9.5 14.5 6 4 16.5zm16.7-9.8a1 1 0 0 0 0-1.4l-2-2a1 1 0 0 0-1.4 0L15.6 5l3.5 3.5 1.6-1.8z\"/></svg>";

} // namespace

PageTemplate::PageTemplate(const MkDocsConfig &config, const QJsonArray &nav) : m_config(config)
{
    renderNavItems(nav, m_navTemplate, 0);
}

QString PageTemplate::instantiateNav(const QString &rootPrefix, const QString &currentUrl) const
{
    QString out;
    out.reserve(m_navTemplate.size() + m_navTemplate.size() / 4);
    qsizetype i = 0;
    const qsizetype size = m_navTemplate.size();
    while (i < size) {
        qsizetype next = i;
        while (next < size && m_navTemplate[next] != kRootMarker && m_navTemplate[next] != kUrlStart)
            ++next;
        out += QStringView(m_navTemplate).mid(i, next - i);
        if (next >= size)
            break;
        if (m_navTemplate[next] == kRootMarker) {
            // An empty href would point at the page itself; "./" is the root.
            const qsizetype quote = m_navTemplate.indexOf(QLatin1Char('"'), next);
            if (rootPrefix.isEmpty() && quote == next + 1)
                out += QStringLiteral("./");
            else
                out += rootPrefix;
            i = next + 1;
        } else {
            const qsizetype end = m_navTemplate.indexOf(kUrlEnd, next);
            if (QStringView(m_navTemplate).mid(next + 1, end - next - 1) == currentUrl)
                out += QStringLiteral(" md-nav__link--active");
            i = end + 1;
        }
    }
    return out;
}

QString PageTemplate::shell(const QString &url, const QString &title, const QString &article, const QString &toc,
                            const QString &footer) const
{
    const QString root = rootPrefixOf(url);
    const bool home = url.isEmpty() || url == QLatin1String("index.html");
    QString out;
    out.reserve(article.size() + m_navTemplate.size() + 4096);
    out += QStringLiteral("<!doctype html>\n<html lang=\"en\" class=\"no-js\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n");
    if (!m_config.siteDescription.isEmpty())
        out += QStringLiteral("<meta name=\"description\" content=\"%1\">\n").arg(escapeHtml(m_config.siteDescription));
    out += QStringLiteral("<meta name=\"generator\" content=\"Greenroom\">\n");
    out += QStringLiteral("<title>%1</title>\n")
               .arg(home || title.isEmpty() ? escapeHtml(m_config.siteName)
                                            : escapeHtml(title) + QStringLiteral(" - ") + escapeHtml(m_config.siteName));
    out += QStringLiteral("<link rel=\"stylesheet\" href=\"%1assets/stylesheets/greenroom-docs.css\">\n").arg(root);
    for (const QString &css : m_config.extraCss)
        out += QStringLiteral("<link rel=\"stylesheet\" href=\"%1\">\n").arg(escapeHtml(isExternal(css) ? css : root + css));
    out += QStringLiteral("</head>\n<body dir=\"ltr\">\n");
    out += QStringLiteral("<header class=\"md-header\" data-md-component=\"header\"><nav class=\"md-header__inner md-grid\">"
                          "<a href=\"%1\" class=\"md-header__button md-logo\" title=\"%2\">%2</a>"
                          "<div class=\"md-header__title\"><span class=\"md-header__topic\">%2</span>"
                          "<span class=\"md-header__topic\">%3</span></div>")
               .arg(hrefFrom(root, QString()), escapeHtml(m_config.siteName), escapeHtml(title));
    if (!m_config.repoUrl.isEmpty())
        out += QStringLiteral("<div class=\"md-header__source\"><a href=\"%1\" class=\"md-source\">%2</a></div>")
                   .arg(escapeHtml(m_config.repoUrl), escapeHtml(m_config.repoName));
    out += QStringLiteral("</nav></header>\n<div class=\"md-container\" data-md-component=\"container\">\n"
                          "<main class=\"md-main\" data-md-component=\"main\"><div class=\"md-main__inner md-grid\">\n");
    out += QStringLiteral("<div class=\"md-sidebar md-sidebar--primary\" data-md-component=\"sidebar\" data-md-type=\"navigation\">"
                          "<div class=\"md-sidebar__scrollwrap\"><div class=\"md-sidebar__inner\">\n"
                          "<nav class=\"md-nav md-nav--primary\" aria-label=\"Navigation\" data-md-level=\"0\">"
                          "<label class=\"md-nav__title\">%1</label>\n").arg(escapeHtml(m_config.siteName));
    out += instantiateNav(root, url);
    out += QStringLiteral("</nav>\n</div></div></div>\n");
    out += QStringLiteral("<div class=\"md-sidebar md-sidebar--secondary\" data-md-component=\"sidebar\" data-md-type=\"toc\">"
                          "<div class=\"md-sidebar__scrollwrap\"><div class=\"md-sidebar__inner\">\n"
                          "<nav class=\"md-nav md-nav--secondary\" aria-label=\"Table of contents\">");
    if (!toc.isEmpty())
        out += QStringLiteral("<label class=\"md-nav__title\">Table of contents</label>\n") + toc;
    out += QStringLiteral("</nav>\n</div></div></div>\n");
    out += QStringLiteral("<div class=\"md-content\" data-md-component=\"content\">\n<article class=\"md-content__inner md-typeset\">\n");
    out += article;
    out += QStringLiteral("</article>\n</div>\n</div></main>\n");
    out += QStringLiteral("<footer class=\"md-footer\">\n") + footer;
    out += QStringLiteral("<div class=\"md-footer-meta md-typeset\"><div class=\"md-footer-meta__inner md-grid\">"
                          "<div class=\"md-footer-copyright\">");
    if (!m_config.copyright.isEmpty())
        out += QStringLiteral("<div class=\"md-footer-copyright__highlight\">%1</div>").arg(escapeHtml(m_config.copyright));
    out += QStringLiteral("Made with Greenroom</div></div></div>\n</footer>\n</div>\n</body>\n</html>\n");
    return out;
}

QString PageTemplate::render(const BuiltPage &page, const QString &body, const BuiltPage *previous, const BuiltPage *next) const
{
    const QString root = rootPrefixOf(page.url);
    QString article;
    if (!page.editUrl.isEmpty())
        article += QStringLiteral("<a href=\"%1\" title=\"Edit this page\" class=\"md-content__button md-icon\">%2</a>\n")
                       .arg(escapeHtml(page.editUrl), QString::fromLatin1(kEditIcon));
    // Material adds the title when the page does not start with one.
    if (!body.contains(QLatin1String("<h1")))
        article += QStringLiteral("<h1>%1</h1>\n").arg(escapeHtml(page.title));
    article += body;
    QString footer;
    if (previous || next) {
        footer += QStringLiteral("<nav class=\"md-footer__inner md-grid\" aria-label=\"Footer\">");
        auto link = [&](const BuiltPage *target, const QString &direction, const QString &cls) {
            footer += QStringLiteral("<a href=\"%1\" class=\"md-footer__link md-footer__link--%2\" aria-label=\"%3: %4\">"
                                     "<div class=\"md-footer__title\"><span class=\"md-footer__direction\">%3</span>"
                                     "<div class=\"md-ellipsis\">%4</div></div></a>")
                          .arg(escapeHtml(hrefFrom(root, target->url)), cls, direction, escapeHtml(target->title));
        };
        if (previous)
            link(previous, QStringLiteral("Previous"), QStringLiteral("prev"));
        if (next)
            link(next, QStringLiteral("Next"), QStringLiteral("next"));
        footer += QStringLiteral("</nav>\n");
    }
    return shell(page.url, page.title, article, tocHtml(page.toc), footer);
}

QString PageTemplate::renderNotFound() const
{
    // 404.html is served from any depth: links in it are relative to the root.
    return shell(QString(), QStringLiteral("404 - Not found"), QStringLiteral("<h1>404 - Not found</h1>\n"), QString(), QString());
}

QString PageTemplate::renderRedirect(const QString &target)
{
    const QString escaped = escapeHtml(target);
    return QStringLiteral("<!doctype html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting...</title>\n"
                          "<link rel=\"canonical\" href=\"%1\">\n<meta name=\"robots\" content=\"noindex\">\n"
                          "<meta http-equiv=\"refresh\" content=\"0; url=%1\">\n</head>\n<body>\nRedirecting to <a href=\"%1\">%1</a>...\n"
                          "</body>\n</html>\n").arg(escaped);
}

QList<QPair<QString, QByteArray>> PageTemplate::themeFiles()
{
    static const QList<QPair<QString, QByteArray>> files = [] {
        QList<QPair<QString, QByteArray>> list;
        QFile css(QStringLiteral(":/greenroom/docs/theme/greenroom-docs.css"));
        if (css.open(QIODevice::ReadOnly))
            list.append({QStringLiteral("assets/stylesheets/greenroom-docs.css"), css.readAll()});
        return list;
    }();
    return files;
}

} // namespace Greenroom::Docs
