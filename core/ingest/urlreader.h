// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "githubintegration.h"
#include "readingallowlist.h"

#include <common/result.h>

#include <QByteArray>
#include <QHash>
#include <QUrl>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace Greenroom::Ingest {

/*
 * Reads `url` locations over HTTP(S) with QtNetwork, from the hosts
 * backend.reading.allow names only, like Backstage's FetchUrlReader:
 * redirects are followed by hand (at most 5) so each hop is checked against
 * the allow list too. Errors carry Backstage's names and messages: a
 * NotFoundError for 404, NotAllowedError for a host that is not allowed.
 * URLs on a GitHub integration's host are read as Backstage's
 * GithubUrlReader reads them: through the contents API (or the raw host)
 * with the integration's token, whatever the allow list says.
 *
 * A GitHub file is asked for with the ETag of its last read (If-None-Match):
 * a 304 costs no API quota, and the body kept from that read is the
 * answer. The bodies kept are bounded (ConditionalCache::MaxBytes); past
 * that, reads are unconditional.
 *
 * read() blocks the calling thread (it runs its own event loop) and may be
 * called from any thread; a reader holds no connection between calls.
 */
class UrlReader
{
public:
    // What the reader's copies share: the last ETag and body per URL read from GitHub.
    class ConditionalCache
    {
    public:
        static constexpr qint64 MaxBytes = 32 * 1024 * 1024;
        struct Entry
        {
            QByteArray etag;
            QByteArray body;
        };
        std::optional<Entry> find(const QString &url) const;
        void keep(const QString &url, Entry entry);
        int notModified() const;   // 304s answered from here so far
        void countNotModified();

    private:
        mutable std::mutex m_mutex;
        QHash<QString, Entry> m_entries;
        qint64 m_bytes = 0;
        int m_notModified = 0;
    };

    UrlReader() = default;
    UrlReader(ReadingAllowList allow, std::chrono::milliseconds timeout = std::chrono::seconds(60),
              qint64 maxBytes = 64 * 1024 * 1024);

    void setGitHubIntegrations(QList<GitHubIntegration> integrations) { m_github = std::move(integrations); }
    const QList<GitHubIntegration> &gitHubIntegrations() const { return m_github; }

    Result<QByteArray> read(const QUrl &url) const;
    // A folder (https://<host>/<owner>/<repo>/tree/<ref>/<path>) written
    // below `destination`, as Backstage's GithubUrlReader.readTree reads it:
    // on a GitHub integration's host only, the ref's tree from the REST API
    // and then each file through the contents API. Executable bits are
    // kept; symlinks and submodules are left out. A NotFoundError when the
    // folder has no files; an InputError past the reader's byte limit.
    Status readTree(const QUrl &url, const QString &destination) const;
    bool isAllowed(const QUrl &url) const { return m_allow.isAllowed(url) || GitHubIntegration::forUrl(m_github, url); }

    static QString notAllowedMessage(const QUrl &url);
    const ConditionalCache &conditionalCache() const { return *m_conditional; }

private:
    Result<QByteArray> readFromGitHub(const GitHubIntegration &github, const QUrl &url) const;
    ReadingAllowList m_allow;
    QList<GitHubIntegration> m_github;
    std::chrono::milliseconds m_timeout = std::chrono::seconds(60);
    qint64 m_maxBytes = 64 * 1024 * 1024;
    std::shared_ptr<ConditionalCache> m_conditional = std::make_shared<ConditionalCache>();
};

} // namespace Greenroom::Ingest
