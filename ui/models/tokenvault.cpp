// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "tokenvault.h"

#include <qt6keychain/keychain.h>

namespace Greenroom::Ui {

TokenVault::TokenVault(QString service, QObject *parent) : QObject(parent), m_service(std::move(service)) {}

void TokenVault::read(const QString &profile, std::function<void(const QString &, const QString &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(profile);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [job, done](QKeychain::Job *) {
        if (job->error() == QKeychain::EntryNotFound)
            done(QString(), QString());
        else if (job->error() != QKeychain::NoError)
            done(QString(), job->errorString());
        else
            done(job->textData(), QString());
    });
    job->start();
}

void TokenVault::write(const QString &profile, const QString &token, std::function<void(const QString &)> done)
{
    QKeychain::Job *job;
    if (token.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(m_service, this);
    } else {
        auto *writeJob = new QKeychain::WritePasswordJob(m_service, this);
        writeJob->setTextData(token);
        job = writeJob;
    }
    job->setKey(profile);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [job, done, token](QKeychain::Job *) {
        const bool ok = job->error() == QKeychain::NoError || (token.isEmpty() && job->error() == QKeychain::EntryNotFound);
        done(ok ? QString() : job->errorString());
    });
    job->start();
}

} // namespace Greenroom::Ui
