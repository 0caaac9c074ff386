// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "githubactionsclient.h"

#include <pluginapi/entityview.h>

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace Greenroom::Plugins::GitHubActions {

/*
 * An entity's workflow runs, as Backstage's GitHub Actions tab shows them:
 * ID, message, source (branch and commit), workflow, status, age and
 * duration, a branch filter, reload and re-run; the tab also shows the
 * selected run's jobs and their steps. The card form (`compact`) lists
 * the five latest runs. The last answer is kept in the cache, so offline
 * the runs show with how old they are.
 */
class WorkflowRunsView : public QWidget
{
    Q_OBJECT

public:
    WorkflowRunsView(PluginApi::EntityView &view, bool compact, QWidget *parent = nullptr);

    QTableWidget *runs() const { return m_runs; }
    QTreeWidget *jobs() const { return m_jobs; }
    QLabel *status() const { return m_status; }
    QComboBox *branches() const { return m_branch; }
    QPushButton *rerunButton() const { return m_rerun; }
    void reload();

Q_SIGNALS:
    void loaded(bool fromGitHub);   // the table shows an answer (or the cached one, when GitHub did not give one)
    void jobsShown(qint64 runId);
    void rerunRequested(qint64 runId, const QString &error);

private:
    void withClient(std::function<void(Client &)> use);
    void showRuns(const QJsonObject &page);
    void showJobs(qint64 runId, const QJsonArray &jobs);
    void showCached(const QString &why);
    qint64 selectedRun() const;
    QString cacheKey() const;

    PluginApi::EntityView &m_view;
    bool m_compact;
    std::optional<Repository> m_repository;
    Client *m_client = nullptr;
    QLabel *m_status;
    QComboBox *m_branch;
    QPushButton *m_reload;
    QPushButton *m_rerun;
    QTableWidget *m_runs;
    QTreeWidget *m_jobs = nullptr;
};

} // namespace Greenroom::Plugins::GitHubActions
