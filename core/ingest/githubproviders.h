// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "githubclient.h"
#include "githubdiscovery.h"
#include "githuborgreader.h"
#include "processingloop.h"

#include <store/catalogstore.h>

#include <QObject>
#include <QThreadPool>

#include <memory>
#include <vector>

namespace Greenroom::Ingest {

/*
 * Runs the GitHub entity providers on their schedules (schedule.frequency
 * after schedule.initialDelay; a run past schedule.timeout is stopped), as
 * Backstage's scheduler runs them, each on a worker thread, one run of a
 * provider at a time. Discovery hands its locations to the processing
 * loop, which reads each like a registered location (a repository whose
 * file fails is that location's error; the others are read). The org
 * provider's Users and Groups are written as one full mutation under its
 * own origin. A failed run changes nothing that was stored.
 */
class GitHubProviders : public QObject
{
    Q_OBJECT
public:
    GitHubProviders(Store::CatalogStore &store, ProcessingLoop &loop, QList<GitHubIntegration> integrations, QObject *parent = nullptr);
    ~GitHubProviders() override;

    // An error naming the provider when no integration serves its host.
    Status addDiscovery(GitHubDiscoveryConfig config);
    Status addOrg(GitHubOrgProviderConfig config, bool alwaysUseDefaultNamespace);
    // The clients' waits and clock (tests), for providers added after this.
    void setClientOptions(GitHubClient::Options options) { m_clientOptions = std::move(options); }
    // Replicas on one database: a provider's run is made by whoever holds
    // the lease "provider:<name>", kept until its next run is due, so
    // replicas do not spend GitHub's quota twice on the same reads (see
    // Store::CatalogStore::claimLease). A replica that finds it held
    // skips the run and says so.
    void setLeases(const QString &holder) { m_leaseHolder = holder; }

    QStringList providerNames() const;
    void start();
    // Runs one provider now (unless it is running); ran() tells when it is done.
    void runNow(const QString &providerName);
    // The provider's client (what it sent so far), nullptr for an unknown name.
    const GitHubClient *client(const QString &providerName) const;
    void stop();

Q_SIGNALS:
    // After each run: one line for the log.
    void ran(const QString &providerName, const QString &summary, bool failed);
    // The org provider wrote entities.
    void written();

private:
    struct Provider;
    void add(std::unique_ptr<Provider> provider, const GitHubIntegration &integration);
    void run(Provider &provider);
    void finished(Provider &provider);
    Provider *find(const QString &name) const;

    Store::CatalogStore &m_store;
    ProcessingLoop &m_loop;
    QList<GitHubIntegration> m_integrations;
    GitHubClient::Options m_clientOptions;
    std::vector<std::unique_ptr<Provider>> m_providers;
    QThreadPool m_pool;
    QString m_leaseHolder;
};

} // namespace Greenroom::Ingest
