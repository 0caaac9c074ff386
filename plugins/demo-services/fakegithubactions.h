// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#pragma once

#include "fakeanswer.h"

#include <QHash>
#include <QJsonArray>

namespace Greenroom::DemoServices {

/*
 * GitHub's Actions REST API as the GitHub Actions plugin calls it, in
 * GitHub's shapes: GET /repos/:o/:r/actions/runs (per_page, page, branch;
 * {total_count, workflow_runs}), GET runs/:id, GET runs/:id/jobs ({jobs}
 * with steps), POST runs/:id/rerun (201, queued again); 404 with GitHub's
 * body otherwise. The tests' fake GitHub and the demo services both answer
 * with it. Not a real GitHub: its data is whatever it was given.
 */
class FakeGitHubActions
{
public:
    // A run of owner/repo, newest first, and its jobs.
    void addWorkflowRun(const QString &fullName, const QJsonObject &run, const QJsonArray &jobs = {});
    // Runs and jobs from the demo data's shape: {"repositories": {"o/r": [{"run": {...}, "jobs": [...]}]}}.
    void load(const QJsonObject &data);

    // The answer to a request below the API root, or nothing when it is not an Actions call.
    std::optional<FakeAnswer> answer(const FakeRequest &request);

private:
    QHash<QString, QJsonArray> m_runs;   // by owner/repo
    QHash<qint64, QJsonArray> m_jobs;    // by run id
};

} // namespace Greenroom::DemoServices
