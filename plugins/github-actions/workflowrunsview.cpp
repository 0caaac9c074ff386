// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "workflowrunsview.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Greenroom::Plugins::GitHubActions {

namespace {

enum Column { Id, Message, Source, Workflow, Status, Age, Duration };
constexpr int CardRuns = 5;
constexpr int TabRuns = 20;

QDateTime timeOf(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODate);
}

// "3 min ago", "2 h ago", "5 days ago".
QString ago(const QDateTime &when)
{
    if (!when.isValid())
        return QString();
    const qint64 seconds = when.secsTo(QDateTime::currentDateTimeUtc());
    if (seconds < 60)
        return QObject::tr("just now");
    if (seconds < 3600)
        return QObject::tr("%1 min ago").arg(seconds / 60);
    if (seconds < 86400)
        return QObject::tr("%1 h ago").arg(seconds / 3600);
    return QObject::tr("%1 days ago").arg(seconds / 86400);
}

QString elapsed(const QDateTime &from, const QDateTime &to)
{
    if (!from.isValid() || !to.isValid())
        return QString();
    const qint64 seconds = from.secsTo(to);
    return seconds < 60 ? QStringLiteral("%1 s").arg(seconds) : QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
}

// Completed runs by their conclusion, others by their status (queued, in_progress, ...).
QString statusText(const QJsonValue &item)
{
    const QString status = item[QLatin1String("status")].toString();
    const QString conclusion = item[QLatin1String("conclusion")].toString();
    return status == QLatin1String("completed") && !conclusion.isEmpty() ? conclusion : status;
}

QTableWidgetItem *cell(const QString &text, const QString &tooltip = {})
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    item->setToolTip(tooltip.isEmpty() ? text : tooltip);
    return item;
}

} // namespace

WorkflowRunsView::WorkflowRunsView(PluginApi::EntityView &view, bool compact, QWidget *parent)
    : QWidget(parent), m_view(view), m_compact(compact),
      m_repository(Repository::of(view.entity(), view.config(QStringLiteral("integrations.github"))))
{
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("githubActionsStatus"));
    m_status->setTextFormat(Qt::PlainText);   // GitHub's messages are someone else's text
    m_status->setWordWrap(true);
    m_branch = new QComboBox;
    m_branch->addItem(tr("All branches"), QString());
    m_reload = new QPushButton(tr("Reload"));
    m_rerun = new QPushButton(tr("Re-run"));
    m_rerun->setEnabled(false);
    m_runs = new QTableWidget(0, compact ? 4 : 7);
    m_runs->setObjectName(QStringLiteral("githubActionsRuns"));
    m_runs->setHorizontalHeaderLabels(compact ? QStringList{tr("Commit message"), tr("Branch"), tr("Status"), tr("Age")}
                                              : QStringList{tr("ID"), tr("Message"), tr("Source"), tr("Workflow"), tr("Status"), tr("Age"), tr("Duration")});
    m_runs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runs->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runs->verticalHeader()->hide();
    m_runs->horizontalHeader()->setStretchLastSection(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    if (!compact) {
        bar->addWidget(m_branch);
        bar->addWidget(m_rerun);
    }
    bar->addWidget(m_reload);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_runs, 2);
    if (!compact) {
        m_jobs = new QTreeWidget;
        m_jobs->setObjectName(QStringLiteral("githubActionsJobs"));
        m_jobs->setHeaderLabels({tr("Job / step"), tr("Status"), tr("Took")});
        layout->addWidget(m_jobs, 1);
    } else {
        m_runs->setMaximumHeight(220);
    }

    connect(m_reload, &QPushButton::clicked, this, &WorkflowRunsView::reload);
    connect(m_branch, &QComboBox::activated, this, &WorkflowRunsView::reload);
    connect(m_runs, &QTableWidget::itemSelectionChanged, this, [this] {
        const qint64 run = selectedRun();
        m_rerun->setEnabled(run > 0);
        if (!m_jobs || run <= 0)
            return;
        if (const auto cached = m_view.cachedData(QStringLiteral("jobs/%1").arg(run)))
            showJobs(run, cached->value.toArray());
        withClient([this, run](Client &client) {
            client.listJobs(run, [this, run](const QJsonArray &jobs, const QString &error) {
                if (!error.isEmpty()) {
                    m_status->setText(error);
                    return;
                }
                m_view.storeData(QStringLiteral("jobs/%1").arg(run), jobs);
                showJobs(run, jobs);
            });
        });
    });
    connect(m_rerun, &QPushButton::clicked, this, [this] {
        const qint64 run = selectedRun();
        withClient([this, run](Client &client) {
            client.rerun(run, [this, run](const QString &error) {
                Q_EMIT rerunRequested(run, error);
                if (!error.isEmpty()) {
                    m_status->setText(error);
                    return;
                }
                reload();
            });
        });
    });

    if (!m_repository) {
        m_status->setText(tr("This entity has no github.com/project-slug annotation (owner/repository), so there are no workflow runs to show."));
        m_reload->setEnabled(false);
        return;
    }
    showCached(QString());
    reload();
}

QString WorkflowRunsView::cacheKey() const
{
    return QStringLiteral("runs/") + m_branch->currentData().toString();
}

void WorkflowRunsView::withClient(std::function<void(Client &)> use)
{
    if (m_client) {
        use(*m_client);
        return;
    }
    // The token first (the keychain answers later); the view may be gone by then.
    m_view.hostToken(m_repository->host, [self = QPointer<WorkflowRunsView>(this), use = std::move(use)](const QString &token) {
        if (!self)
            return;
        if (!self->m_client)
            self->m_client = new Client(self->m_view.network(), *self->m_repository, token, self);
        use(*self->m_client);
    });
}

void WorkflowRunsView::reload()
{
    if (!m_repository)
        return;
    m_status->setText(tr("Asking GitHub for the runs of %1/%2…").arg(m_repository->owner, m_repository->name));
    withClient([this](Client &client) {
        client.listRuns(1, m_compact ? CardRuns : TabRuns, m_branch->currentData().toString(), [this](const QJsonObject &page, const QString &error) {
            if (!error.isEmpty()) {
                showCached(error);
                Q_EMIT loaded(false);
                return;
            }
            m_view.storeData(cacheKey(), page);
            showRuns(page);
            m_status->setText(tr("%n run(s) of %1/%2", nullptr, int(page.value(QLatin1String("total_count")).toInteger()))
                                  .arg(m_repository->owner, m_repository->name));
            Q_EMIT loaded(true);
        });
    });
}

void WorkflowRunsView::showCached(const QString &why)
{
    const auto cached = m_view.cachedData(cacheKey());
    if (cached)
        showRuns(cached->value.toObject());
    if (why.isEmpty())
        return;
    m_status->setText(cached ? tr("%1\nShowing the runs as of %2.").arg(why, ago(cached->storedAt.toUTC())) : why);
}

void WorkflowRunsView::showRuns(const QJsonObject &page)
{
    const QJsonArray runs = page.value(QLatin1String("workflow_runs")).toArray();
    m_runs->setRowCount(0);
    for (const QJsonValue &run : runs) {
        const int row = m_runs->rowCount();
        m_runs->insertRow(row);
        const QJsonObject commit = run[QLatin1String("head_commit")].toObject();
        const QString message = commit.value(QLatin1String("message")).toString().section(QLatin1Char('\n'), 0, 0);
        const QString branch = run[QLatin1String("head_branch")].toString();
        const QDateTime started = timeOf(run[QLatin1String("run_started_at")].isString() ? run[QLatin1String("run_started_at")]
                                                                                           : run[QLatin1String("created_at")]);
        const QDateTime updated = timeOf(run[QLatin1String("updated_at")]);
        QList<QTableWidgetItem *> cells;
        if (m_compact) {
            cells = {cell(message), cell(branch), cell(statusText(run)), cell(ago(started), started.toString(Qt::ISODate))};
        } else {
            cells = {cell(QString::number(run[QLatin1String("id")].toInteger())), cell(message, commit.value(QLatin1String("message")).toString()),
                     cell(QStringLiteral("%1 @ %2").arg(branch, commit.value(QLatin1String("id")).toString().left(7))),
                     cell(run[QLatin1String("name")].toString()), cell(statusText(run)), cell(ago(started), started.toString(Qt::ISODate)),
                     cell(run[QLatin1String("status")].toString() == QLatin1String("completed") ? elapsed(started, updated) : QString())};
            if (m_branch->findData(branch) < 0 && !branch.isEmpty())
                m_branch->addItem(branch, branch);
        }
        cells.first()->setData(Qt::UserRole, run[QLatin1String("id")].toInteger());
        cells.first()->setData(Qt::UserRole + 1, run[QLatin1String("html_url")].toString());
        for (int column = 0; column < cells.size(); ++column)
            m_runs->setItem(row, column, cells.at(column));
    }
    m_runs->resizeColumnsToContents();
}

void WorkflowRunsView::showJobs(qint64 runId, const QJsonArray &jobs)
{
    m_jobs->clear();
    for (const QJsonValue &job : jobs) {
        auto *item = new QTreeWidgetItem(m_jobs, {job[QLatin1String("name")].toString(), statusText(job),
                                                  elapsed(timeOf(job[QLatin1String("started_at")]), timeOf(job[QLatin1String("completed_at")]))});
        for (const QJsonValue &step : job[QLatin1String("steps")].toArray())
            new QTreeWidgetItem(item, {QStringLiteral("%1. %2").arg(step[QLatin1String("number")].toInt()).arg(step[QLatin1String("name")].toString()),
                                       statusText(step),
                                       elapsed(timeOf(step[QLatin1String("started_at")]), timeOf(step[QLatin1String("completed_at")]))});
    }
    m_jobs->expandAll();
    m_jobs->resizeColumnToContents(0);
    Q_EMIT jobsShown(runId);
}

qint64 WorkflowRunsView::selectedRun() const
{
    const QList<QTableWidgetItem *> selected = m_runs->selectedItems();
    if (selected.isEmpty())
        return 0;
    const QTableWidgetItem *first = m_runs->item(selected.first()->row(), 0);
    return first ? first->data(Qt::UserRole).toLongLong() : 0;
}

} // namespace Greenroom::Plugins::GitHubActions
