// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include <sync/syncclient.h>

#include <QWidget>

class QLabel;
class QProgressBar;

namespace Greenroom::Ui {

// The status bar's sync state: "Synced at 14:02", "Syncing" with done/total,
// "Offline — cache from 2 h ago", or the error's reason.
class SyncStatusWidget : public QWidget
{
    Q_OBJECT

public:
    explicit SyncStatusWidget(QWidget *parent = nullptr);
    QString text() const;
    QProgressBar *progressBar() const { return m_progress; }

public Q_SLOTS:
    void showStatus(const Greenroom::Sync::SyncStatus &status);

private:
    void render();
    Sync::SyncStatus m_status;
    QLabel *m_label;
    QProgressBar *m_progress;
};

// "just now", "5 min ago", "3 h ago", "2 days ago".
QString describeAge(const QDateTime &then, const QDateTime &now);

} // namespace Greenroom::Ui
