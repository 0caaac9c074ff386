// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Greenroom authors
#include "argocdcard.h"

#include <cardparts.h>
#include <serverrequest.h>

#include <QDateTime>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTableWidget>
#include <QVBoxLayout>

#include <memory>

namespace Greenroom::Plugins::ArgoCd {

using Support::appendRow;
using Support::localTime;

ArgoCdCard::ArgoCdCard(PluginApi::EntityView &view, QWidget *parent) : QWidget(parent), m_view(view)
{
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("argocdStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_applications = Support::makeTable({tr("Name"), tr("Instance"), tr("Sync Status"), tr("Health Status"), tr("Last Synced")}, QStringLiteral("argocdApplications"));
    m_history = Support::makeTable({tr("Name"), tr("Deployed"), tr("Revision")}, QStringLiteral("argocdHistory"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_applications);
    layout->addWidget(new QLabel(tr("History")));
    layout->addWidget(m_history);
    layout->addWidget(m_status);
    if (const auto cached = m_view.cachedData(QStringLiteral("applications")))
        show(cached->value.toArray());
    reload();
}

void ArgoCdCard::get(const QString &path, std::function<void(const QJsonValue &, const QString &)> done)
{
    Support::askServer(m_view, this, "GET", QStringLiteral("/api/argocd") + path, {}, [done = std::move(done)](const QJsonDocument &answer, const QString &error) {
        done(answer.isArray() ? QJsonValue(answer.array()) : QJsonValue(answer.object()), error.isEmpty() ? QString() : tr("Argo CD's applications could not be read: %1").arg(error));
    });
}

void ArgoCdCard::reload()
{
    const QJsonObject annotations = m_view.entity().value(QLatin1String("metadata"))[QLatin1String("annotations")].toObject();
    const QString name = annotations.value(QLatin1String("argocd/app-name")).toString();
    const QString selector = annotations.value(QLatin1String("argocd/app-selector")).toString();
    const QString namespaceName = annotations.value(QLatin1String("argocd/app-namespace")).toString();
    const auto cached = m_view.cachedData(QStringLiteral("applications"));
    const auto fallBack = [this, cached](const QString &why) {
        m_status->setText(Support::withCachedAge(why, cached, tr("the applications")));
        Q_EMIT loaded(false);
    };
    if (name.isEmpty() && selector.isEmpty()) {
        fallBack(tr("This entity has neither argocd/app-name nor argocd/app-selector."));
        return;
    }
    if (!m_view.serverUrl().isValid()) {
        fallBack(tr("Offline: Argo CD's applications come through the Greenroom server."));
        return;
    }
    const QString suffix = namespaceName.isEmpty() ? QString() : QStringLiteral("?appNamespace=") + QString::fromLatin1(QUrl::toPercentEncoding(namespaceName));
    const QString what = name.isEmpty() ? QStringLiteral("selector/") + QString::fromLatin1(QUrl::toPercentEncoding(selector))
                                        : QStringLiteral("name/") + QString::fromLatin1(QUrl::toPercentEncoding(name));
    get(QStringLiteral("/find/") + what + suffix, [this, what, suffix, byName = !name.isEmpty(), fallBack](const QJsonValue &found, const QString &error) {
        if (!error.isEmpty()) {
            fallBack(error);
            return;
        }
        // Then each instance that has it, as upstream's frontend does.
        struct Round
        {
            QJsonArray applications;
            int waiting = 0;
            QString error;
        };
        auto round = std::make_shared<Round>();
        const QJsonArray instances = found.toArray();
        for (const QJsonValue &instance : instances)
            round->waiting += byName ? int(instance[QLatin1String("appName")].toArray().size()) : 1;
        const auto finished = [this, round, fallBack] {
            if (--round->waiting > 0)
                return;
            if (!round->error.isEmpty() && round->applications.isEmpty()) {
                fallBack(round->error);
                return;
            }
            m_view.storeData(QStringLiteral("applications"), round->applications);
            show(round->applications);
            m_status->setText(round->error);
            Q_EMIT loaded(true);
        };
        if (round->waiting == 0) {
            ++round->waiting;
            finished();
            return;
        }
        for (const QJsonValue &instance : instances) {
            const QString instanceName = QString::fromLatin1(QUrl::toPercentEncoding(instance[QLatin1String("name")].toString()));
            const QStringList paths = [&] {
                QStringList list;
                if (!byName)
                    return QStringList{QStringLiteral("/argoInstance/%1/applications/%2%3").arg(instanceName, what, suffix)};
                for (const QJsonValue &app : instance[QLatin1String("appName")].toArray())
                    list.append(QStringLiteral("/argoInstance/%1/applications/name/%2%3")
                                    .arg(instanceName, QString::fromLatin1(QUrl::toPercentEncoding(app.toString())), suffix));
                return list;
            }();
            for (const QString &path : paths) {
                get(path, [round, finished](const QJsonValue &answer, const QString &failed) {
                    if (!failed.isEmpty())
                        round->error = failed;
                    else if (answer[QLatin1String("items")].isArray())
                        for (const QJsonValue &item : answer[QLatin1String("items")].toArray())
                            round->applications.append(item);
                    else
                        round->applications.append(answer);
                    finished();
                });
            }
        }
    });
}

void ArgoCdCard::show(const QJsonArray &applications)
{
    m_applications->setRowCount(0);
    m_history->setRowCount(0);
    for (const QJsonValue &application : applications) {
        const QString name = application[QLatin1String("metadata")][QLatin1String("name")].toString();
        const QJsonValue instance = application[QLatin1String("metadata")][QLatin1String("instance")];
        const QString instanceName = instance.isObject() ? instance[QLatin1String("name")].toString() : application[QLatin1String("instance")].toString();
        const QJsonObject status = application[QLatin1String("status")].toObject();
        const QJsonObject operation = status.value(QLatin1String("operationState")).toObject();
        appendRow(m_applications, {name, instanceName, status.value(QLatin1String("sync"))[QLatin1String("status")].toString(),
                                status.value(QLatin1String("health"))[QLatin1String("status")].toString(),
                                localTime(operation.contains(QLatin1String("finishedAt")) ? operation.value(QLatin1String("finishedAt"))
                                                                                     : operation.value(QLatin1String("startedAt")))});
        const QJsonArray history = status.value(QLatin1String("history")).toArray();
        for (qsizetype i = history.size() - 1; i >= 0; --i)   // newest first
            appendRow(m_history, {name, localTime(history.at(i)[QLatin1String("deployedAt")]), history.at(i)[QLatin1String("revision")].toString().left(7)});
    }
    m_applications->resizeColumnsToContents();
    m_history->resizeColumnsToContents();
}

} // namespace Greenroom::Plugins::ArgoCd
