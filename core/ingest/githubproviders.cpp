// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "githubproviders.h"

#include "providedentities.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <optional>

namespace Greenroom::Ingest {

struct GitHubProviders::Provider
{
    QString name;
    ProviderSchedule schedule;
    std::unique_ptr<GitHubClient> client;
    std::optional<GitHubDiscovery> discovery;
    std::optional<GitHubOrgReader> org;
    std::optional<ProvidedEntities> provided;   // the org provider's last full set
    QTimer timer;
    QTimer timeout;
    QFutureWatcher<void> watcher;
    std::atomic_bool cancelled = false;
    std::atomic<qint64> deadline = 0;
    bool running = false;
    // What the worker produced, handed to this thread when it is done.
    std::optional<Result<QList<Model::LocationRef>>> locations;
    std::optional<Result<QList<QJsonObject>>> entities;
    qint64 startedMs = 0;
};

GitHubProviders::GitHubProviders(Store::CatalogStore &store, ProcessingLoop &loop, QList<GitHubIntegration> integrations, QObject *parent)
    : QObject(parent), m_store(store), m_loop(loop), m_integrations(std::move(integrations))
{
    m_pool.setMaxThreadCount(2);
}

GitHubProviders::~GitHubProviders()
{
    stop();
}

void GitHubProviders::add(std::unique_ptr<Provider> provider, const GitHubIntegration &integration)
{
    // Its client stops waiting and asking when the run's timeout passes.
    GitHubClient::Options options = m_clientOptions;
    Provider *raw = provider.get();
    options.cancelled = [raw] { return raw->cancelled.load(); };
    options.deadline = [raw] { return raw->deadline.load(); };
    provider->client = std::make_unique<GitHubClient>(integration, options);
    m_providers.push_back(std::move(provider));
}

Status GitHubProviders::addDiscovery(GitHubDiscoveryConfig config)
{
    const GitHubIntegration *integration = GitHubIntegration::forHost(m_integrations, config.host);
    if (!integration)
        return Error::input(QStringLiteral("There is no GitHub config that matches host %1. Please add a configuration entry for it under "
                                           "integrations.github").arg(config.host));
    auto provider = std::make_unique<Provider>();
    provider->schedule = config.schedule;
    provider->discovery.emplace(std::move(config));
    provider->name = provider->discovery->providerName();
    add(std::move(provider), *integration);
    return Ok{};
}

Status GitHubProviders::addOrg(GitHubOrgProviderConfig config, bool alwaysUseDefaultNamespace)
{
    const GitHubIntegration *integration = GitHubIntegration::forUrl(m_integrations, QUrl(config.githubUrl));
    if (!integration)
        return Error::input(QStringLiteral("There is no GitHub integration that matches %1. Please add a configuration entry for it under "
                                           "integrations.github.").arg(config.githubUrl));
    auto provider = std::make_unique<Provider>();
    provider->schedule = config.schedule;
    provider->org.emplace(std::move(config), alwaysUseDefaultNamespace);
    provider->name = provider->org->providerName();
    provider->provided.emplace(provider->name);
    add(std::move(provider), *integration);
    return Ok{};
}

QStringList GitHubProviders::providerNames() const
{
    QStringList names;
    for (const auto &provider : m_providers)
        names.append(provider->name);
    return names;
}

GitHubProviders::Provider *GitHubProviders::find(const QString &name) const
{
    for (const auto &provider : m_providers) {
        if (provider->name == name)
            return provider.get();
    }
    return nullptr;
}

const GitHubClient *GitHubProviders::client(const QString &providerName) const
{
    Provider *provider = find(providerName);
    return provider ? provider->client.get() : nullptr;
}

void GitHubProviders::start()
{
    for (const auto &entry : m_providers) {
        Provider *provider = entry.get();
        connect(&provider->timer, &QTimer::timeout, this, [this, provider] { run(*provider); });
        const auto first = provider->schedule.initialDelay;
        QTimer::singleShot(first, this, [this, provider] {
            run(*provider);
            if (provider->schedule.frequency.count() > 0)
                provider->timer.start(provider->schedule.frequency);
        });
    }
}

void GitHubProviders::runNow(const QString &providerName)
{
    if (Provider *provider = find(providerName))
        run(*provider);
}

void GitHubProviders::run(Provider &provider)
{
    if (provider.running)
        return;   // one run at a time, as the scheduler's lock allows
    if (!m_leaseHolder.isEmpty()) {
        // Held from the start until the run after this is due (or, unscheduled, as long as a run may take).
        const qint64 heldFor = std::max<qint64>({provider.schedule.frequency.count(), provider.schedule.timeout.count(), 60000});
        auto held = m_store.claimLease(QStringLiteral("provider:") + provider.name, m_leaseHolder, heldFor);
        if (held && held.value() > 0) {
            Q_EMIT ran(provider.name, QStringLiteral("%1: another replica runs it (for %2 s more)").arg(provider.name).arg(held.value() / 1000),
                       false);
            return;
        }
    }
    provider.running = true;
    provider.cancelled = false;
    provider.startedMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 timeoutMs = provider.schedule.timeout.count();
    provider.deadline = timeoutMs > 0 ? QDateTime::currentSecsSinceEpoch() + timeoutMs / 1000 : 0;
    if (timeoutMs > 0) {
        provider.timeout.setSingleShot(true);
        provider.timeout.disconnect(this);
        connect(&provider.timeout, &QTimer::timeout, this, [&provider] { provider.cancelled = true; });
        provider.timeout.start(int(std::min<qint64>(timeoutMs, std::numeric_limits<int>::max())));
    }
    provider.watcher.disconnect(this);
    connect(&provider.watcher, &QFutureWatcher<void>::finished, this, [this, &provider] { finished(provider); });
    Provider *raw = &provider;
    provider.watcher.setFuture(QtConcurrent::run(&m_pool, [raw] {
        if (raw->discovery)
            raw->locations = raw->discovery->read(*raw->client);
        else
            raw->entities = raw->org->read(*raw->client);
    }));
}

void GitHubProviders::finished(Provider &provider)
{
    provider.running = false;
    provider.timeout.stop();
    const QString took = QStringLiteral("%1 ms").arg(QDateTime::currentMSecsSinceEpoch() - provider.startedMs);
    const GitHubClient::Counters &counters = provider.client->counters();
    const QString requests = QStringLiteral("%1 GitHub request(s) so far, %2 answered 304").arg(counters.requests).arg(counters.notModified);
    if (provider.locations) {
        const Result<QList<Model::LocationRef>> found = *std::exchange(provider.locations, std::nullopt);
        if (!found) {
            Q_EMIT ran(provider.name, QStringLiteral("%1 refresh failed, %2").arg(provider.name, found.error().message), true);
            return;
        }
        m_loop.setProvidedLocations(provider.name, found.value());
        Q_EMIT ran(provider.name, QStringLiteral("%1: %2 matching location(s) in %3 (%4)").arg(provider.name).arg(found->size()).arg(took, requests),
                   false);
        return;
    }
    if (!provider.entities)
        return;
    const Result<QList<QJsonObject>> read = *std::exchange(provider.entities, std::nullopt);
    if (!read) {
        Q_EMIT ran(provider.name, QStringLiteral("%1 refresh failed, %2").arg(provider.name, read.error().message), true);
        return;
    }
    provider.provided->applyFull(read.value());
    const Store::LocationWrite write = provider.provided->write();
    for (const Store::ProcessingErrorRecord &error : write.errors)
        Q_EMIT ran(provider.name, QStringLiteral("%1: %2: %3: %4").arg(provider.name, error.entityRef, error.name, error.message), true);
    auto report = m_store.applyLocation(write);
    if (!report) {
        Q_EMIT ran(provider.name, QStringLiteral("%1: %2").arg(provider.name, report.error().message), true);
        return;
    }
    Q_EMIT ran(provider.name, QStringLiteral("%1: %2 entities read, %3 added, %4 updated, %5 unchanged, %6 deleted in %7 (%8)")
                                  .arg(provider.name).arg(read->size()).arg(report->inserted).arg(report->updated)
                                  .arg(report->unchanged).arg(report->deleted).arg(took, requests),
               false);
    if (report->inserted + report->updated + report->deleted > 0)
        Q_EMIT written();
}

void GitHubProviders::stop()
{
    for (const auto &provider : m_providers) {
        provider->timer.stop();
        provider->cancelled = true;
    }
    for (const auto &provider : m_providers) {
        provider->watcher.disconnect(this);
        provider->watcher.waitForFinished();
        provider->running = false;
    }
    m_pool.waitForDone();
}

} // namespace Greenroom::Ingest
