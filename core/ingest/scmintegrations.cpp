// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "scmintegrations.h"

#include <model/annotations.h>

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <cstring>
#include <optional>

namespace Greenroom::Ingest {

namespace {

/*
 * An absolute URL as WHATWG's URL parser keeps it, for the few things the
 * integrations do with one: host lower case and default port dropped, path
 * dot segments resolved and percent-encoded as the parser encodes them.
 * QUrl re-encodes differently (it decodes some escapes), so the text is
 * handled here.
 */
struct WebUrl
{
    QString scheme;
    QString userInfo;
    QString host;   // lower case
    QString port;   // empty when none or the scheme's default
    QString path;   // starts with '/'
    std::optional<QString> query;   // without '?'
    std::optional<QString> fragment;

    QString hostWithPort() const { return port.isEmpty() ? host : host + QLatin1Char(':') + port; }
    QString toString() const
    {
        QString out = scheme + QStringLiteral("://");
        if (!userInfo.isEmpty())
            out += userInfo + QLatin1Char('@');
        out += hostWithPort() + path;
        if (query)
            out += QLatin1Char('?') + *query;
        if (fragment)
            out += QLatin1Char('#') + *fragment;
        return out;
    }
};

// WHATWG's percent-encode sets: the path's and the query's (special schemes).
QString percentEncode(const QString &text, const char *extra)
{
    QString out;
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || std::strchr(extra, c))
            out += QStringLiteral("%%1").arg(byte, 2, 16, QLatin1Char('0')).toUpper();
        else
            out += QLatin1Char(c);
    }
    return out;
}

// The path with "." and ".." segments resolved, as the URL parser does.
QString removeDotSegments(const QString &path)
{
    const QStringList segments = path.split(QLatin1Char('/'));
    QStringList out;
    for (qsizetype i = 1; i < segments.size(); ++i) {
        const QString segment = segments.at(i);
        const QString lower = segment.toLower();
        const bool last = i == segments.size() - 1;
        if (lower == QLatin1String("..") || lower == QLatin1String(".%2e") || lower == QLatin1String("%2e.") || lower == QLatin1String("%2e%2e")) {
            if (!out.isEmpty())
                out.removeLast();
            if (last)
                out.append(QString());
        } else if (lower == QLatin1String(".") || lower == QLatin1String("%2e")) {
            if (last)
                out.append(QString());
        } else {
            out.append(segment);
        }
    }
    return QLatin1Char('/') + out.join(QLatin1Char('/'));
}

std::optional<WebUrl> parseWebUrl(const QString &text)
{
    static const QRegularExpression form(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#\\\\]*)([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$"));
    const QRegularExpressionMatch match = form.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    WebUrl url;
    url.scheme = match.captured(1).toLower();
    QString authority = match.captured(2);
    const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        url.userInfo = authority.left(at);
        authority = authority.mid(at + 1);
    }
    const qsizetype colon = authority.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0 && !authority.mid(colon).contains(QLatin1Char(']'))) {
        url.port = authority.mid(colon + 1);
        authority.truncate(colon);
        bool number = false;
        const uint port = url.port.toUInt(&number);
        if (!url.port.isEmpty() && (!number || port > 65535))
            return std::nullopt;
        url.port = url.port.isEmpty() ? QString() : QString::number(port);
        if ((url.scheme == QLatin1String("http") && port == 80) || (url.scheme == QLatin1String("https") && port == 443))
            url.port.clear();
    }
    url.host = authority.toLower();
    if (url.host.isEmpty())
        return std::nullopt;
    const QString path = match.captured(3).replace(QLatin1Char('\\'), QLatin1Char('/'));
    url.path = removeDotSegments(percentEncode(path.isEmpty() ? QStringLiteral("/") : path, "\"<>`{}"));
    if (match.hasCaptured(4))
        url.query = percentEncode(match.captured(4), "\"#<>'");
    if (match.hasCaptured(5))
        url.fragment = percentEncode(match.captured(5), "\"<>`");
    return url;
}

// The folder of `url` ("./" resolved against it): the last path segment, query and fragment gone.
WebUrl folderOf(WebUrl url)
{
    url.path.truncate(url.path.lastIndexOf(QLatin1Char('/')) + 1);
    url.query.reset();
    url.fragment.reset();
    return url;
}

// URLSearchParams: parsed from a query, changed with set(), written back form-encoded.
class SearchParams
{
public:
    explicit SearchParams(const std::optional<QString> &query)
    {
        for (const QString &pair : query.value_or(QString()).split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
            const qsizetype equals = pair.indexOf(QLatin1Char('='));
            m_pairs.append({decode(equals < 0 ? pair : pair.left(equals)), equals < 0 ? QString() : decode(pair.mid(equals + 1))});
        }
    }
    std::optional<QString> get(const QString &name) const
    {
        for (const auto &[key, value] : m_pairs) {
            if (key == name)
                return value;
        }
        return std::nullopt;
    }
    // The first pair of that name takes the value, later ones go; appended when there is none.
    void set(const QString &name, const QString &value)
    {
        bool found = false;
        for (qsizetype i = 0; i < m_pairs.size();) {
            if (m_pairs[i].first != name) {
                ++i;
            } else if (!found) {
                m_pairs[i].second = value;
                found = true;
                ++i;
            } else {
                m_pairs.removeAt(i);
            }
        }
        if (!found)
            m_pairs.append({name, value});
    }
    // What url.search becomes once the parameters changed.
    std::optional<QString> query() const
    {
        QStringList parts;
        for (const auto &[key, value] : m_pairs)
            parts.append(encode(key) + QLatin1Char('=') + encode(value));
        return parts.isEmpty() ? std::nullopt : std::optional<QString>(parts.join(QLatin1Char('&')));
    }

private:
    static QString decode(QString text) { return QUrl::fromPercentEncoding(text.replace(QLatin1Char('+'), QLatin1Char(' ')).toUtf8()); }
    // application/x-www-form-urlencoded as URLSearchParams writes it.
    static QString encode(const QString &text)
    {
        QByteArray out = QUrl::toPercentEncoding(text, "*-._ ", "~");
        out.replace(' ', '+');
        return QString::fromLatin1(out);
    }
    QList<std::pair<QString, QString>> m_pairs;
};

// @backstage/integration's defaultScmResolveUrl for "./": the folder, the base's query kept.
std::optional<QString> resolveFolder(const QString &base)
{
    const std::optional<WebUrl> url = parseWebUrl(base);
    if (!url)
        return std::nullopt;
    WebUrl folder = folderOf(*url);
    folder.query = url->query;
    return folder.toString();
}

// replaceGithubUrlType: the first //host/owner/repo/(blob|tree|edit)/ gets `type`.
QString replaceGitHubUrlType(QString url, const QString &type)
{
    static const QRegularExpression form(QStringLiteral("//([^/]+)/([^/]+)/([^/]+)/(blob|tree|edit)/"));
    const QRegularExpressionMatch match = form.match(url);
    if (match.hasMatch())
        url.replace(match.capturedStart(), match.capturedLength(),
                    QStringLiteral("//%1/%2/%3/%4/").arg(match.captured(1), match.captured(2), match.captured(3), type));
    return url;
}

// git-url-parse's `ref` of a URL outside its special hosts (Bitbucket Cloud's edit URL needs it).
QString gitUrlRef(const WebUrl &url)
{
    static const QRegularExpression bitbucketServer(QStringLiteral("(projects|users)/(.*?)/repos/(.*?)((/.*$)|$)"));
    if (bitbucketServer.match(url.path).hasMatch())
        return SearchParams(url.query).get(QStringLiteral("at")).value_or(QString());
    QString name = QUrl::fromPercentEncoding(url.path.toUtf8());
    static const QRegularExpression edges(QStringLiteral("(^/)|(/$)"));
    name.remove(edges);
    if (name.endsWith(QLatin1String(".git")))
        name.chop(4);
    const QStringList splits = name.split(QLatin1Char('/'));
    qsizetype nameIndex = splits.size() - 1;
    if (splits.size() >= 2) {
        const auto index = [&](const char *word) { return splits.indexOf(QLatin1String(word), 2); };
        const qsizetype dash = index("-"), blob = index("blob"), tree = index("tree"), commit = index("commit"),
                        issues = index("issues"), src = index("src"), raw = index("raw"), edit = index("edit");
        nameIndex = dash > 0 ? dash - 1
                    : blob > 0 && tree > 0 ? std::min(blob - 1, tree - 1)
                    : blob > 0 ? blob - 1
                    : issues > 0 ? issues - 1
                    : tree > 0 ? tree - 1
                    : commit > 0 ? commit - 1
                    : src > 0 ? src - 1
                    : raw > 0 ? raw - 1
                    : edit > 0 ? edit - 1
                    : nameIndex;
    }
    const qsizetype offset = splits.size() > nameIndex + 1 && splits.at(nameIndex + 1) == QLatin1String("-") ? nameIndex + 1 : nameIndex;
    static const QStringList kinds{QStringLiteral("raw"), QStringLiteral("src"), QStringLiteral("blob"), QStringLiteral("tree"), QStringLiteral("edit")};
    if (splits.size() > offset + 2 && kinds.contains(splits.at(offset + 1)))
        return splits.at(offset + 2);
    return QString();
}

// Azure's AzureUrl.fromRepoUrl, as far as the annotations need it: the `path`
// parameter of a repository URL; nullopt where it throws.
std::optional<std::optional<QString>> azureRepoPath(const WebUrl &url)
{
    QStringList parts;
    for (const QString &part : url.path.split(QLatin1Char('/')))
        parts.append(QUrl::fromPercentEncoding(part.toUtf8()));
    const auto part = [&](qsizetype i) { return parts.value(i); };
    QString owner, project, repo;
    if (part(2) == QLatin1String("_git")) {
        owner = part(1);
        project = repo = part(3);
    } else if (part(3) == QLatin1String("_git")) {
        owner = part(1);
        project = part(2);
        repo = part(4);
    } else if (part(4) == QLatin1String("_git")) {
        owner = part(1) + QLatin1Char('/') + part(2);
        project = part(3);
        repo = part(5);
    }
    if (owner.isEmpty() || project.isEmpty() || repo.isEmpty())
        return std::nullopt;
    const SearchParams params(url.query);
    const QString version = params.get(QStringLiteral("version")).value_or(QString());
    if (!version.isEmpty() && !version.startsWith(QLatin1String("GB")) && !version.startsWith(QLatin1String("GT")))
        return std::nullopt;
    return params.get(QStringLiteral("path"));
}

std::optional<QString> resolveSourceUrl(const ScmIntegrations::Integration &integration, const QString &base)
{
    using Provider = ScmIntegrations::Provider;
    switch (integration.provider) {
    case Provider::GitHub: {
        const std::optional<QString> folder = resolveFolder(base);
        return folder ? std::optional<QString>(replaceGitHubUrlType(*folder, QStringLiteral("tree"))) : std::nullopt;
    }
    case Provider::Azure: {
        const std::optional<WebUrl> url = parseWebUrl(base);
        if (!url)
            return std::nullopt;
        const auto repoPath = azureRepoPath(*url);
        if (!repoPath)
            return folderOf(*url).toString();   // upstream falls back to new URL(url, base)
        const std::optional<WebUrl> mock = parseWebUrl(QStringLiteral("https://a.com") + repoPath->value_or(QString()));
        SearchParams params(url->query);
        params.set(QStringLiteral("path"), mock ? folderOf(*mock).path : QStringLiteral("/"));   // the pathname, as the parser wrote it
        WebUrl resolved = *url;
        resolved.query = params.query();
        return resolved.toString();
    }
    case Provider::BitbucketCloud:
    case Provider::BitbucketServer:
    case Provider::GitLab:
    case Provider::Gitea:
        return resolveFolder(base);
    }
    return std::nullopt;
}

QString resolveEditUrl(const ScmIntegrations::Integration &integration, const QString &url)
{
    using Provider = ScmIntegrations::Provider;
    switch (integration.provider) {
    case Provider::GitHub:
        return replaceGitHubUrlType(url, QStringLiteral("edit"));
    case Provider::GitLab: {
        static const QRegularExpression form(QStringLiteral("/-/(blob|tree|edit)/"));
        QString edit = url;
        const QRegularExpressionMatch match = form.match(edit);
        if (match.hasMatch())
            edit.replace(match.capturedStart(), match.capturedLength(), QStringLiteral("/-/edit/"));
        return edit;
    }
    case Provider::BitbucketServer:
        return url.contains(QLatin1Char('?')) ? url.left(url.indexOf(QLatin1Char('?'))) : url;
    case Provider::BitbucketCloud: {
        std::optional<WebUrl> parsed = parseWebUrl(url);
        if (!parsed)
            return QString();
        SearchParams params(parsed->query);
        params.set(QStringLiteral("mode"), QStringLiteral("edit"));
        params.set(QStringLiteral("at"), gitUrlRef(*parsed));
        parsed->query = params.query();
        return parsed->toString();
    }
    case Provider::Gitea: {
        // [_blank, owner, name, _src, _branch, ref, ...path] of the URL after the base; JavaScript writes what is missing as "undefined".
        QString rest = url;
        const qsizetype base = rest.indexOf(integration.baseUrl);
        if (base >= 0)
            rest.remove(base, integration.baseUrl.size());
        const QStringList parts = rest.split(QLatin1Char('/'));
        const auto part = [&](qsizetype i) { return i < parts.size() ? parts.at(i) : QStringLiteral("undefined"); };
        QString path = parts.mid(6).join(QLatin1Char('/'));
        if (path.startsWith(QLatin1Char('/')))
            path.remove(0, 1);
        return QStringLiteral("%1/%2/%3/_edit/%4/%5").arg(integration.baseUrl, part(1), part(2), part(5), path);
    }
    case Provider::Azure: {
        std::optional<WebUrl> parsed = parseWebUrl(url);
        const auto repoPath = parsed ? azureRepoPath(*parsed) : std::nullopt;
        if (!repoPath || !repoPath->has_value() || **repoPath == QLatin1String("/") || (*repoPath)->isEmpty())
            return url;
        SearchParams params(parsed->query);
        params.set(QStringLiteral("_a"), QStringLiteral("edit"));
        parsed->query = params.query();
        return parsed->toString();
    }
    }
    return QString();
}

} // namespace

ScmIntegrations ScmIntegrations::withDefaults(QList<Integration> configured)
{
    const auto has = [&](Provider provider, const QString &host) {
        return std::any_of(configured.cbegin(), configured.cend(), [&](const Integration &i) {
            return i.provider == provider && (host.isEmpty() || i.host == host);
        });
    };
    if (!has(Provider::GitHub, QStringLiteral("github.com")))
        configured.append({Provider::GitHub, QStringLiteral("github.com"), {}});
    if (!has(Provider::GitLab, QStringLiteral("gitlab.com")))
        configured.append({Provider::GitLab, QStringLiteral("gitlab.com"), {}});
    if (!has(Provider::BitbucketCloud, QString()))   // only when none is configured
        configured.append({Provider::BitbucketCloud, QStringLiteral("bitbucket.org"), {}});
    if (!has(Provider::Azure, QStringLiteral("dev.azure.com")))
        configured.append({Provider::Azure, QStringLiteral("dev.azure.com"), {}});
    for (Integration &integration : configured) {
        if (integration.provider == Provider::Gitea && integration.baseUrl.isEmpty())
            integration.baseUrl = QStringLiteral("https://") + integration.host;
        while (integration.baseUrl.endsWith(QLatin1Char('/')))
            integration.baseUrl.chop(1);
    }
    // ScmIntegrations.byUrl asks the providers in this order and takes the first that knows the host.
    static const QList<Provider> order{Provider::Azure, Provider::BitbucketCloud, Provider::BitbucketServer, Provider::GitHub,
                                       Provider::GitLab, Provider::Gitea};
    std::stable_sort(configured.begin(), configured.end(),
                     [](const Integration &a, const Integration &b) { return order.indexOf(a.provider) < order.indexOf(b.provider); });
    ScmIntegrations integrations;
    integrations.m_integrations = configured;
    return integrations;
}

ScmIntegrations ScmIntegrations::fromConfig(const QJsonObject &integrations)
{
    const std::pair<const char *, Provider> providers[] = {{"github", Provider::GitHub},
                                                           {"gitlab", Provider::GitLab},
                                                           {"gitea", Provider::Gitea},
                                                           {"bitbucketServer", Provider::BitbucketServer},
                                                           {"bitbucketCloud", Provider::BitbucketCloud}};
    QList<Integration> known;
    for (const auto &[key, provider] : providers) {
        for (const QJsonValue &entry : integrations.value(QLatin1String(key)).toArray()) {
            // GitHub and Bitbucket Cloud have a host of their own; the others need one.
            const QString fallback = provider == Provider::GitHub           ? QStringLiteral("github.com")
                                     : provider == Provider::BitbucketCloud ? QStringLiteral("bitbucket.org")
                                                                            : QString();
            const QString host = entry[QLatin1String("host")].toString(fallback);
            if (!host.isEmpty())
                known.append({provider, host, entry[QLatin1String("baseUrl")].toString()});
        }
    }
    return withDefaults(known);
}

const ScmIntegrations::Integration *ScmIntegrations::byUrl(const QString &url) const
{
    const std::optional<WebUrl> parsed = parseWebUrl(url);
    if (!parsed)
        return nullptr;
    const QString host = parsed->hostWithPort();
    for (const Integration &integration : m_integrations) {
        if (integration.host == host)
            return &integration;
    }
    return nullptr;
}

QJsonObject ScmIntegrations::locationAnnotations(const QString &target) const
{
    QJsonObject annotations{{Model::Annotations::ViewUrl, target}};
    const Integration *integration = byUrl(target);
    if (!integration)
        return annotations;
    // A URL pinned to a commit cannot be edited.
    static const QRegularExpression commitHash(QStringLiteral("\\b[0-9a-f]{40,}\\b"));
    if (!commitHash.match(target).hasMatch()) {
        const QString edit = resolveEditUrl(*integration, target);
        if (!edit.isEmpty())
            annotations.insert(Model::Annotations::EditUrl, edit);
    }
    if (const std::optional<QString> source = resolveSourceUrl(*integration, target); source && !source->isEmpty())
        annotations.insert(Model::Annotations::SourceLocation, QStringLiteral("url:") + *source);
    return annotations;
}

QJsonObject withScmAnnotations(QJsonObject entity, const QJsonObject &annotations)
{
    const QJsonValue given = entity.value(QLatin1String("metadata"));
    if (annotations.isEmpty() || !given.isObject() || !(given[QLatin1String("annotations")].isObject() || given[QLatin1String("annotations")].isUndefined()))
        return entity;   // left for validation to name what is wrong
    QJsonObject metadata = entity.value(QLatin1String("metadata")).toObject();
    QJsonObject existing = metadata.value(QLatin1String("annotations")).toObject();
    for (auto it = annotations.constBegin(); it != annotations.constEnd(); ++it) {
        if (!existing.contains(it.key()))   // lodash.merge(added, entity): the author's value wins
            existing.insert(it.key(), it.value());
    }
    metadata.insert(QLatin1String("annotations"), existing);
    entity.insert(QLatin1String("metadata"), metadata);
    return entity;
}

} // namespace Greenroom::Ingest
