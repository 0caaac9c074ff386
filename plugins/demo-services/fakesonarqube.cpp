// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "fakesonarqube.h"

namespace Greenroom::DemoServices {

namespace {

// The metrics a SonarQube server knows (a real one has about a hundred), paged below.
const QStringList &knownMetrics()
{
    static const QStringList metrics{
        QStringLiteral("alert_status"), QStringLiteral("bugs"), QStringLiteral("code_smells"), QStringLiteral("complexity"),
        QStringLiteral("coverage"), QStringLiteral("duplicated_blocks"), QStringLiteral("duplicated_lines"),
        QStringLiteral("duplicated_lines_density"), QStringLiteral("lines"), QStringLiteral("ncloc"),
        QStringLiteral("reliability_rating"), QStringLiteral("security_hotspots"), QStringLiteral("security_hotspots_reviewed"),
        QStringLiteral("security_rating"), QStringLiteral("security_review_rating"), QStringLiteral("sqale_index"),
        QStringLiteral("sqale_rating"), QStringLiteral("tests"), QStringLiteral("violations"), QStringLiteral("vulnerabilities")};
    return metrics;
}

FakeAnswer errors(int status, const QString &message)
{
    return FakeAnswer::json(status, QJsonObject{{QStringLiteral("errors"), QJsonArray{QJsonObject{{QStringLiteral("msg"), message}}}}});
}

} // namespace

void FakeSonarQube::addProject(const QString &key, const QString &name, const QString &analysisDate, const QJsonObject &measures)
{
    m_projects.insert(key, QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("name"), name},
                                       {QStringLiteral("analysisDate"), analysisDate}, {QStringLiteral("measures"), measures}});
}

void FakeSonarQube::load(const QJsonObject &data)
{
    for (const QJsonValue &project : data.value(QLatin1String("projects")).toArray())
        addProject(project[QLatin1String("key")].toString(), project[QLatin1String("name")].toString(),
                   project[QLatin1String("analysisDate")].toString(), project[QLatin1String("measures")].toObject());
}

std::optional<FakeAnswer> FakeSonarQube::answer(const FakeRequest &request, const QByteArray &authorization)
{
    const QString path = request.parts.join(QLatin1Char('/'));
    if (!path.startsWith(QLatin1String("api/")))
        return std::nullopt;
    m_calls.append(path + QLatin1Char('?') + request.query.toString(QUrl::FullyDecoded));
    const bool basic = authorization == "Basic " + QByteArray(m_token.toUtf8() + ':').toBase64();
    const bool bearer = authorization == "Bearer " + m_token.toUtf8();
    if (!m_token.isEmpty() && !basic && !bearer)
        return FakeAnswer{401, QByteArray(), "text/plain"};   // SonarQube answers an empty 401
    const auto item = [&](const char *name) { return request.query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    if (request.method == "GET" && path == QLatin1String("api/components/show")) {
        const auto project = m_projects.constFind(item("component"));
        if (project == m_projects.cend())
            return errors(404, QStringLiteral("Component key '%1' not found").arg(item("component")));
        QJsonObject component = *project;
        component.remove(QStringLiteral("measures"));
        component.insert(QStringLiteral("qualifier"), QStringLiteral("TRK"));
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("component"), component}});
    }
    if (request.method == "GET" && path == QLatin1String("api/metrics/search")) {
        const int pageSize = std::clamp(item("ps").isEmpty() ? 100 : item("ps").toInt(), 1, m_maxPageSize);
        const int page = std::max(1, item("p").isEmpty() ? 1 : item("p").toInt());
        QJsonArray metrics;
        for (qsizetype i = qsizetype(page - 1) * pageSize; i < knownMetrics().size() && metrics.size() < pageSize; ++i)
            metrics.append(QJsonObject{{QStringLiteral("key"), knownMetrics().at(i)}, {QStringLiteral("name"), knownMetrics().at(i)}});
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("metrics"), metrics}, {QStringLiteral("total"), knownMetrics().size()},
                                                 {QStringLiteral("p"), page}, {QStringLiteral("ps"), pageSize}});
    }
    if (request.method == "GET" && path == QLatin1String("api/measures/component")) {
        const auto project = m_projects.constFind(item("component"));
        if (project == m_projects.cend())
            return errors(404, QStringLiteral("Component key '%1' not found").arg(item("component")));
        const QJsonObject values = project->value(QLatin1String("measures")).toObject();
        QJsonArray measures;
        for (const QString &metric : item("metricKeys").split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!knownMetrics().contains(metric))
                return errors(404, QStringLiteral("The following metric keys are not found: %1").arg(metric));
            if (values.contains(metric))
                measures.append(QJsonObject{{QStringLiteral("metric"), metric}, {QStringLiteral("value"), values.value(metric)}});
        }
        return FakeAnswer::json(200, QJsonObject{{QStringLiteral("component"), QJsonObject{{QStringLiteral("key"), item("component")},
                                                                                           {QStringLiteral("measures"), measures}}}});
    }
    return errors(404, QStringLiteral("Unknown url : /%1").arg(path));
}

} // namespace Greenroom::DemoServices
