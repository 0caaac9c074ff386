// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "syncstatuswidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>

namespace Greenroom::Ui {

QString describeAge(const QDateTime &then, const QDateTime &now)
{
    if (!then.isValid())
        return QObject::tr("never synced");
    const qint64 seconds = then.secsTo(now);
    if (seconds < 60)
        return QObject::tr("just now");
    if (seconds < 3600)
        return QObject::tr("%1 min ago").arg(seconds / 60);
    if (seconds < 2 * 86400)
        return QObject::tr("%1 h ago").arg(seconds / 3600);
    return QObject::tr("%1 days ago").arg(seconds / 86400);
}

SyncStatusWidget::SyncStatusWidget(QWidget *parent) : QWidget(parent)
{
    m_label = new QLabel;
    m_label->setObjectName(QStringLiteral("syncState"));
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("syncProgress"));
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QStringLiteral("%v / %m"));
    m_progress->hide();
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_progress);
    // The age of an offline cache moves on by itself.
    auto *tick = new QTimer(this);
    tick->start(30000);
    connect(tick, &QTimer::timeout, this, &SyncStatusWidget::render);
    render();
}

QString SyncStatusWidget::text() const
{
    return m_label->text();
}

void SyncStatusWidget::showStatus(const Sync::SyncStatus &status)
{
    m_status = status;
    render();
}

void SyncStatusWidget::render()
{
    using State = Sync::SyncStatus::State;
    const QDateTime synced = m_status.lastSynced.toLocalTime();
    QString text;
    switch (m_status.state) {
    case State::Starting:
        text = synced.isValid() ? tr("Connecting… (cache from %1)").arg(describeAge(synced, QDateTime::currentDateTime()))
                                : tr("Connecting…");
        break;
    case State::Syncing:
        text = m_status.rebuilding ? tr("Rebuilding from the server") : tr("Syncing");
        break;
    case State::Synced:
        text = tr("Synced at %1").arg(synced.toString(QStringLiteral("HH:mm")));
        break;
    case State::Offline:
        text = tr("Offline — cache from %1").arg(describeAge(synced, QDateTime::currentDateTime()));
        break;
    case State::Failed:
        text = tr("Sync error: %1").arg(m_status.error);
        break;
    }
    m_label->setText(text);
    m_label->setToolTip(m_status.error);
    const bool progress = m_status.state == State::Syncing && m_status.total > 0;
    m_progress->setVisible(progress);
    if (progress) {
        m_progress->setMaximum(int(std::min<qint64>(m_status.total, INT_MAX)));
        m_progress->setValue(int(std::min<qint64>(m_status.done, INT_MAX)));
    }
}

} // namespace Greenroom::Ui
