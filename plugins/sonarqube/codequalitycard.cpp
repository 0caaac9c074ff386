// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "codequalitycard.h"

#include <cardparts.h>
#include <serverrequest.h>

#include <QDateTime>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace Greenroom::Plugins::SonarQube {

namespace {

// SonarQube's ratings are 1.0 to 5.0: A to E.
QString rating(const QString &value)
{
    const int grade = qRound(value.toDouble());
    return grade >= 1 && grade <= 5 ? QString(QChar(u'A' + grade - 1)) : QString();
}

} // namespace

CodeQualityCard::CodeQualityCard(PluginApi::EntityView &view, QWidget *parent) : QWidget(parent), m_view(view)
{
    m_gate = new QLabel;
    m_gate->setObjectName(QStringLiteral("sonarqubeGate"));
    QFont bold = m_gate->font();
    bold.setBold(true);
    m_gate->setFont(bold);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("sonarqubeStatus"));
    m_status->setTextFormat(Qt::PlainText);   // the server's and SonarQube's words
    m_status->setWordWrap(true);
    m_link = new QLabel;
    m_link->setObjectName(QStringLiteral("sonarqubeLink"));
    m_link->setTextFormat(Qt::RichText);
    connect(m_link, &QLabel::linkActivated, this, [this](const QString &url) { m_view.open(url); });
    m_tiles = new QGridLayout;
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_gate);
    layout->addLayout(m_tiles);
    layout->addWidget(m_status);
    layout->addWidget(m_link);
    if (const auto cached = m_view.cachedData(QStringLiteral("summary")))
        show(cached->value.toObject());
    reload();
}

void CodeQualityCard::reload()
{
    const QUrl server = m_view.serverUrl();
    const auto cached = m_view.cachedData(QStringLiteral("summary"));
    const auto fallBack = [this, cached](const QString &why) {
        m_status->setText(Support::withCachedAge(why, cached, tr("the findings")));
        Q_EMIT loaded(false);
    };
    if (!server.isValid()) {
        fallBack(tr("Offline: SonarQube's findings come through the Greenroom server."));
        return;
    }
    const QStringList ref = m_view.entityRef().split(QRegularExpression(QStringLiteral("[:/]")));
    const QString path = QStringLiteral("/api/sonarqube/entities/%1/%2/%3/summary")
                             .arg(QString::fromLatin1(QUrl::toPercentEncoding(ref.value(0))), QString::fromLatin1(QUrl::toPercentEncoding(ref.value(1))),
                                  QString::fromLatin1(QUrl::toPercentEncoding(ref.value(2))));
    Support::askServer(m_view, this, "GET", path, {}, [this, fallBack](const QJsonDocument &answer, const QString &error) {
        if (!error.isEmpty()) {
            fallBack(tr("SonarQube's findings could not be read: %1").arg(error));
            return;
        }
        m_view.storeData(QStringLiteral("summary"), answer.object());
        show(answer.object());
        Q_EMIT loaded(true);
    });
}

QString CodeQualityCard::tile(const QString &title) const
{
    for (int row = 0; row < m_tiles->rowCount(); ++row) {
        auto *name = m_tiles->itemAtPosition(row, 0) ? qobject_cast<QLabel *>(m_tiles->itemAtPosition(row, 0)->widget()) : nullptr;
        auto *value = m_tiles->itemAtPosition(row, 1) ? qobject_cast<QLabel *>(m_tiles->itemAtPosition(row, 1)->widget()) : nullptr;
        if (name && value && name->text() == title)
            return value->text();
    }
    return {};
}

void CodeQualityCard::show(const QJsonObject &summary)
{
    while (QLayoutItem *item = m_tiles->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QString key = summary.value(QLatin1String("componentKey")).toString();
    const QJsonValue findings = summary.value(QLatin1String("findings"));
    if (!findings.isObject()) {
        m_gate->setText(tr("No analysis"));
        m_status->setText(tr("SonarQube has no analysis of %1 yet.").arg(key));
        m_link->clear();
        return;
    }
    QHash<QString, QString> measures;
    for (const QJsonValue &measure : findings[QLatin1String("measures")].toArray())
        measures.insert(measure[QLatin1String("metric")].toString(), measure[QLatin1String("value")].toString());
    const QString gate = measures.value(QStringLiteral("alert_status"));
    m_gate->setText(gate == QLatin1String("OK") ? tr("Quality gate: passed")
                    : gate == QLatin1String("ERROR") ? tr("Quality gate: failed")
                    : gate.isEmpty() ? tr("Quality gate: not computed") : tr("Quality gate: %1").arg(gate));
    const auto withRating = [&](const char *count, const char *grade) {
        const QString value = measures.value(QLatin1String(count));
        const QString letter = rating(measures.value(QLatin1String(grade)));
        return letter.isEmpty() ? value : QStringLiteral("%1 (%2)").arg(value, letter);
    };
    const auto percent = [&](const char *metric) {
        const QString value = measures.value(QLatin1String(metric));
        return value.isEmpty() ? QString() : QStringLiteral("%1 %").arg(QString::number(value.toDouble(), 'f', 1));
    };
    const QList<std::pair<QString, QString>> tiles{
        {tr("Bugs"), withRating("bugs", "reliability_rating")},
        {tr("Vulnerabilities"), withRating("vulnerabilities", "security_rating")},
        {tr("Code Smells"), withRating("code_smells", "sqale_rating")},
        {tr("Hotspots reviewed"), percent("security_hotspots_reviewed")},
        {tr("Coverage"), percent("coverage")},
        {tr("Duplications"), percent("duplicated_lines_density")},
    };
    int row = 0;
    for (const auto &[title, value] : tiles) {
        if (value.isEmpty())
            continue;
        m_tiles->addWidget(new QLabel(title), row, 0);
        m_tiles->addWidget(new QLabel(value), row, 1);
        ++row;
    }
    const QDateTime analysed = QDateTime::fromString(findings[QLatin1String("analysisDate")].toString(), Qt::ISODate);
    m_status->setText(analysed.isValid() ? tr("Last analysis %1 (%2)").arg(analysed.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")), Support::ago(analysed))
                                         : QString());
    QUrl dashboard(summary.value(QLatin1String("instanceUrl")).toString() + QStringLiteral("/dashboard"));
    dashboard.setQuery(QUrlQuery{{QStringLiteral("id"), key}});
    const bool web = dashboard.scheme() == QLatin1String("https") || dashboard.scheme() == QLatin1String("http");
    m_link->setText(web ? QStringLiteral("<a href=\"%1\">%2</a>").arg(dashboard.toString().toHtmlEscaped(), tr("View more")) : QString());
}

} // namespace Greenroom::Plugins::SonarQube
