// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fakegithubactions.h"

#include <algorithm>

namespace Greenroom::DemoServices {

namespace {

FakeAnswer notFound()
{
    return FakeAnswer::json(404, QJsonObject{{QStringLiteral("message"), QStringLiteral("Not Found")},
                                             {QStringLiteral("documentation_url"), QStringLiteral("https://docs.github.com/rest")}});
}

} // namespace

void FakeGitHubActions::addWorkflowRun(const QString &fullName, const QJsonObject &run, const QJsonArray &jobs)
{
    m_runs[fullName].append(run);
    m_jobs[run.value(QLatin1String("id")).toInteger()] = jobs;
}

void FakeGitHubActions::load(const QJsonObject &data)
{
    const QJsonObject repositories = data.value(QLatin1String("repositories")).toObject();
    for (auto it = repositories.begin(); it != repositories.end(); ++it) {
        for (const QJsonValue &entry : it.value().toArray())
            addWorkflowRun(it.key(), entry[QLatin1String("run")].toObject(), entry[QLatin1String("jobs")].toArray());
    }
}

std::optional<FakeAnswer> FakeGitHubActions::answer(const FakeRequest &request)
{
    const QStringList &parts = request.parts;
    if (parts.size() < 5 || parts[0] != QLatin1String("repos") || parts[3] != QLatin1String("actions") || parts[4] != QLatin1String("runs"))
        return std::nullopt;
    const QString fullName = parts[1] + QLatin1Char('/') + parts[2];
    if (!m_runs.contains(fullName))
        return notFound();
    QJsonArray &runs = m_runs[fullName];
    const QStringList rest = parts.mid(5);
    if (request.method == "GET" && rest.isEmpty()) {
        const QString branch = request.query.queryItemValue(QStringLiteral("branch"));
        QJsonArray matching;
        for (const QJsonValue &run : std::as_const(runs)) {
            if (branch.isEmpty() || run[QLatin1String("head_branch")].toString() == branch)
                matching.append(run);
        }
        const auto number = [&](const char *name, int fallback) {
            const QString value = request.query.queryItemValue(QLatin1String(name));
            return value.isEmpty() ? fallback : value.toInt();
        };
        const int perPage = std::clamp(number("per_page", 30), 1, 100);
        const int page = std::max(1, number("page", 1));
        QJsonArray slice;
        for (qsizetype i = qsizetype(page - 1) * perPage; i < matching.size() && slice.size() < perPage; ++i)
            slice.append(matching.at(i));
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("total_count"), matching.size()}, {QStringLiteral("workflow_runs"), slice}});
    }
    const qint64 id = rest.value(0).toLongLong();
    const auto run = std::find_if(runs.begin(), runs.end(), [&](const QJsonValueRef value) { return value[QLatin1String("id")].toInteger() == id; });
    if (run == runs.end())
        return notFound();
    if (request.method == "GET" && rest.size() == 1)
        return FakeAnswer::json(200, (*run).toObject());
    if (request.method == "GET" && rest.value(1) == QLatin1String("jobs")) {
        const QJsonArray jobs = m_jobs.value(id);
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("total_count"), jobs.size()}, {QStringLiteral("jobs"), jobs}});
    }
    if (request.method == "POST" && rest.value(1) == QLatin1String("rerun")) {
        QJsonObject again = (*run).toObject();
        again.insert(QStringLiteral("status"), QStringLiteral("queued"));
        again.insert(QStringLiteral("conclusion"), QJsonValue::Null);
        *run = again;
        return FakeAnswer::json(201, QJsonObject());
    }
    return notFound();
}

} // namespace Greenroom::DemoServices
