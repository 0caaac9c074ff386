// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "urlreader.h"

#include "httprequest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Greenroom::Ingest {

namespace {

constexpr int MaxRedirects = 5;

} // namespace

std::optional<UrlReader::ConditionalCache::Entry> UrlReader::ConditionalCache::find(const QString &url) const
{
    std::lock_guard lock(m_mutex);
    const auto found = m_entries.constFind(url);
    return found == m_entries.cend() ? std::nullopt : std::optional<Entry>(*found);
}

void UrlReader::ConditionalCache::keep(const QString &url, Entry entry)
{
    std::lock_guard lock(m_mutex);
    if (const auto old = m_entries.constFind(url); old != m_entries.cend())
        m_bytes -= old->body.size() + old->etag.size();
    m_entries.remove(url);
    const qint64 size = entry.body.size() + entry.etag.size();
    if (m_bytes + size > MaxBytes)
        return;   // full: this file is read unconditionally
    m_bytes += size;
    m_entries.insert(url, std::move(entry));
}

int UrlReader::ConditionalCache::notModified() const
{
    std::lock_guard lock(m_mutex);
    return m_notModified;
}

void UrlReader::ConditionalCache::countNotModified()
{
    std::lock_guard lock(m_mutex);
    ++m_notModified;
}

UrlReader::UrlReader(ReadingAllowList allow, std::chrono::milliseconds timeout, qint64 maxBytes)
    : m_allow(std::move(allow)), m_timeout(timeout), m_maxBytes(maxBytes)
{
}

QString UrlReader::notAllowedMessage(const QUrl &url)
{
    return QStringLiteral("Reading from '%1' is not allowed. You may need to configure an integration for the target "
                          "host, or add it to the configured list of allowed hosts at 'backend.reading.allow'")
        .arg(url.toString());
}

Result<QByteArray> UrlReader::read(const QUrl &url) const
{
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return Error::input(QStringLiteral("Invalid URL %1, only http and https URLs can be read").arg(url.toString()));
    if (const GitHubIntegration *github = GitHubIntegration::forUrl(m_github, url))
        return readFromGitHub(*github, url);
    if (!m_allow.isAllowed(url))
        return Error(QStringLiteral("NotAllowedError"), notAllowedMessage(url));
    QUrl current = url;
    for (int redirects = 0; redirects < MaxRedirects; ++redirects) {
        if (!m_allow.isAllowed(current))
            return Error::internal(QStringLiteral("URL not allowed by backend.reading.allow configuration: %1")
                                       .arg(current.toString()));
        auto answer = sendHttpRequest({QByteArrayLiteral("GET"), current, {}, {}, m_timeout, m_maxBytes});
        if (!answer)
            return answer.error();
        const int status = answer->status;
        if (status >= 200 && status < 300)
            return answer->body;
        const bool redirect = status == 301 || status == 302 || status == 307 || status == 308;
        if (!redirect || answer->location.isEmpty()) {
            const QString message = QStringLiteral("could not read %1, %2 %3").arg(current.toString()).arg(status).arg(answer->reason);
            return Error(status == 404 ? QStringLiteral("NotFoundError") : QStringLiteral("Error"), message);
        }
        current = current.resolved(QUrl::fromEncoded(answer->location));
    }
    return Error::internal(QStringLiteral("Too many redirects (max %1) when reading %2").arg(MaxRedirects).arg(url.toString()));
}

Status UrlReader::readTree(const QUrl &url, const QString &destination) const
{
    const GitHubIntegration *github = GitHubIntegration::forUrl(m_github, url);
    if (!github)
        return Error(QStringLiteral("NotAllowedError"), QStringLiteral("Reading the folder %1 is not supported: only folders on a host with a GitHub "
                                                                      "integration can be read")
                                                            .arg(url.toString()));
    auto parsed = GitHubUrl::parse(url);
    if (!parsed)
        return parsed.error();
    if (github->apiBaseUrl.isEmpty())
        return Error::input(QStringLiteral("No apiBaseUrl configured for the GitHub integration %1").arg(github->host));
    const QString &owner = parsed->owner;
    const QString &repo = parsed->repo;
    const QString &ref = parsed->ref;
    const QString &folder = parsed->path;
    QUrl treeUrl(github->apiBaseUrl + QStringLiteral("/repos/%1/%2/git/trees/%3").arg(owner, repo, QString::fromUtf8(QUrl::toPercentEncoding(ref))));
    treeUrl.setQuery(QStringLiteral("recursive=1"));
    auto answer = sendHttpRequest({QByteArrayLiteral("GET"), treeUrl, github->apiHeaders(), {}, m_timeout, m_maxBytes});
    if (!answer)
        return answer.error();
    if (answer->status < 200 || answer->status >= 300)
        return Error(answer->status == 404 ? QStringLiteral("NotFoundError") : QStringLiteral("Error"),
                     QStringLiteral("%1 could not be read: the tree of %2/%3 at %4 answered %5 %6").arg(url.toString(), owner, repo, ref).arg(answer->status).arg(answer->reason));
    const QJsonObject tree = QJsonDocument::fromJson(answer->body).object();
    if (tree.value(QLatin1String("truncated")).toBool())
        return Error::input(QStringLiteral("%1 is too large to read: GitHub truncated the tree of %2/%3").arg(url.toString(), owner, repo));
    struct Entry
    {
        QString path;
        QString relative;
        bool executable;
    };
    QList<Entry> files;
    qint64 total = 0;
    const QString prefix = folder.isEmpty() ? QString() : folder + QLatin1Char('/');
    for (const QJsonValue &value : tree.value(QLatin1String("tree")).toArray()) {
        const QString path = value[QLatin1String("path")].toString();
        const QString mode = value[QLatin1String("mode")].toString();
        if (value[QLatin1String("type")].toString() != QLatin1String("blob") || mode == QLatin1String("120000") || !path.startsWith(prefix))
            continue;
        const QString relative = path.mid(prefix.size());
        if (relative.isEmpty() || relative.startsWith(QLatin1Char('/')) || relative.split(QLatin1Char('/')).contains(QStringLiteral("..")))
            return Error::input(QStringLiteral("%1 names a file outside its folder: %2").arg(url.toString(), path));
        total += value[QLatin1String("size")].toInteger();
        if (total > m_maxBytes)
            return Error::input(QStringLiteral("%1 holds more than %2 MiB").arg(url.toString()).arg(m_maxBytes / (1024 * 1024)));
        files.append({path, relative, mode == QLatin1String("100755")});
    }
    if (files.isEmpty())
        return Error(QStringLiteral("NotFoundError"), QStringLiteral("%1 has no files (no such folder in %2/%3 at %4)").arg(url.toString(), owner, repo, ref));
    for (const Entry &file : std::as_const(files)) {
        QUrl blob = url;
        blob.setPath(QStringLiteral("/%1/%2/blob/%3/%4").arg(owner, repo, ref, file.path));
        auto content = readFromGitHub(*github, blob);
        if (!content)
            return content.error();
        const QString target = QDir(destination).filePath(file.relative);
        QDir().mkpath(QFileInfo(target).absolutePath());
        QSaveFile out(target);
        if (!out.open(QIODevice::WriteOnly) || out.write(content.value()) != content->size() || !out.commit())
            return Error::internal(QStringLiteral("Cannot write %1: %2").arg(target, out.errorString()));
        if (file.executable)
            QFile::setPermissions(target, QFile::permissions(target) | QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther);
    }
    return Ok{};
}

Result<QByteArray> UrlReader::readFromGitHub(const GitHubIntegration &github, const QUrl &url) const
{
    auto fetchUrl = github.fileFetchUrl(url);
    if (!fetchUrl)
        return fetchUrl.error();
    auto parsed = GitHubUrl::parse(url);
    if (!parsed)
        return parsed.error();
    auto headers = github.apiHeadersFor(parsed->owner);
    if (!headers)
        return headers.error();
    HttpCall call{QByteArrayLiteral("GET"), fetchUrl.value(), headers.value(), {}, m_timeout, m_maxBytes};
    // The contents API answers with the file itself when asked for raw.
    call.headers[0].second = QByteArrayLiteral("application/vnd.github.v3.raw");
    const QString cacheKey = fetchUrl->toString();
    const std::optional<ConditionalCache::Entry> cached = m_conditional->find(cacheKey);
    if (cached)
        call.headers.append({QByteArrayLiteral("If-None-Match"), cached->etag});
    auto answer = sendHttpRequest(call);
    if (!answer)
        return answer.error();
    if (answer->status == 304 && cached) {
        m_conditional->countNotModified();
        return cached->body;
    }
    if (answer->status >= 200 && answer->status < 300) {
        if (const QByteArray etag = answer->header("ETag"); !etag.isEmpty())
            m_conditional->keep(cacheKey, {etag, answer->body});
        return answer->body;
    }
    const QString message = QStringLiteral("%1 could not be read as %2, %3 %4")
                                .arg(url.toString(), fetchUrl->toString(QUrl::RemoveQuery))
                                .arg(answer->status)
                                .arg(answer->reason);
    return Error(answer->status == 404 ? QStringLiteral("NotFoundError") : QStringLiteral("Error"), message);
}

} // namespace Greenroom::Ingest
